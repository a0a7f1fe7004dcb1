#!/usr/bin/env node
// Build logmedic's native addon from the Rust sources shipped in the package, for a platform
// without a prebuilt `logmedic-<platform>` package. Needs cargo and a C compiler, nothing from
// npm: it runs `cargo build --release` and puts the library where native/index.cjs looks first.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The napi-rs platform suffix: linux-x64-gnu, darwin-arm64, win32-x64-msvc, … */
export function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    return `${platform}-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `${platform}-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function fail(message) {
  process.stderr.write(`logmedic: ${message}\n`);
  process.exit(1);
}

function main() {
  const cargo = process.env.CARGO || 'cargo';
  const probe = spawnSync(cargo, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) fail('cargo not found: install a Rust toolchain (https://rustup.rs) and a C compiler, then run this again');
  const build = spawnSync(cargo, ['build', '--release', '--locked', '-p', 'logmedic-napi', '--manifest-path', join(root, 'Cargo.toml')], { stdio: 'inherit' });
  if (build.status !== 0) fail(`cargo build failed (exit ${build.status ?? build.signal})`);
  const targetDir = process.env.CARGO_TARGET_DIR || join(root, 'target');
  const lib = { win32: 'logmedic_napi.dll', darwin: 'liblogmedic_napi.dylib' }[process.platform] ?? 'liblogmedic_napi.so';
  const built = join(targetDir, 'release', lib);
  if (!existsSync(built)) fail(`cargo finished but ${built} is missing`);
  const dest = join(root, 'native', `logmedic.${platformSuffix()}.node`);
  copyFileSync(built, dest);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  process.stdout.write(`logmedic ${version}: built ${dest}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
