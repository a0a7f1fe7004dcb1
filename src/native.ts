// Loads the napi-rs addon through the generated loader (native/index.cjs), which looks for a
// local build (native/logmedic.<platform>.node) and then the `logmedic-<platform>` package.
// Where neither loads, every use of the addon fails with one line saying how to build it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Binding from '../native/index.cjs';
import { LogmedicError } from './errors.js';

const require = createRequire(import.meta.url);

export type NativeBinding = typeof Binding;
export type { ScanResult, PatternResult, Hit, ScanOptions as NativeScanOptions, JobProgress } from '../native/index.cjs';

/** The napi-rs platform suffix of this machine: linux-x64-gnu, darwin-arm64, win32-x64-msvc, … */
export function platformSuffix(): string {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return `${platform}-${arch}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `${platform}-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** The one line shown where no addon loads: what is missing and the command that builds it. */
export function missingAddonMessage(packageRoot: string): string {
  const prefix = /[\s"'$`\\]/.test(packageRoot) ? JSON.stringify(packageRoot) : packageRoot;
  return (
    `no prebuilt engine for ${platformSuffix()} (the optional package logmedic-${platformSuffix()} is not installed); ` +
    `build it from source (needs a Rust toolchain and a C compiler): npm run build:addon --prefix ${prefix}`
  );
}

/**
 * The package's root: the folder above this module's, as tsc builds it (dist/native.js) or
 * as tsx runs it (src/native.ts), or two above in the bundled CLI (dist/cli/*.js, see
 * scripts/bundle-cli.mjs).
 */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const above = join(here, '..');
  return existsSync(join(above, 'native', 'index.cjs')) ? above : join(here, '..', '..');
}

function load(): NativeBinding {
  const root = packageRoot();
  try {
    return require(join(root, 'native', 'index.cjs')) as NativeBinding;
  } catch (err) {
    const error = new LogmedicError('E_ENGINE', missingAddonMessage(root), { cause: err });
    // Fail at first use, not at import: `--version`, `--help` and the docs still work.
    return new Proxy({} as NativeBinding, {
      get() {
        throw error;
      },
    });
  }
}

export const native: NativeBinding = load();
