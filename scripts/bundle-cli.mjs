#!/usr/bin/env node
// Bundles the `logmedic` executable: dist/cli/main.js becomes one ESM file holding the
// shim and the fast path, and each lazily loaded command or option (report writer,
// cluster, journal, web server, yargs' full parser) becomes a chunk beside it that is read
// only when a run needs it. Resolving and linking ~40 small modules was a tenth of a short
// run's CPU. Runs after `tsc` (npm run build:ts): the library's entry points stay tsc's
// one-file-per-module output; only the CLI runs from the bundle.
//
// The built-in catalog enters the bundle as one JSON string, evaluated from tsc's output of
// src/catalog/default-patterns.ts: V8 parses JSON several times faster than the object
// literals, template strings and helper calls the pattern modules are written in.
//
// Usage: node scripts/bundle-cli.mjs
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const CHUNK = /^chunk-[A-Z0-9]+\.js$/;

// Packages stay in node_modules (yargs reads its locale files beside itself, fastify and
// bullmq are large and load only for their commands), except the small argument parser the
// fast path uses on every run.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bundled = new Set(['yargs-parser']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((name) => !bundled.has(name));

/** Replaces the pattern modules with the catalog they build, as JSON. */
const catalogAsJson = {
  name: 'catalog-as-json',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]catalog[\\/]default-patterns\.ts$/ }, async () => {
      const built = pathToFileURL(join(root, 'dist', 'catalog', 'default-patterns.js')).href;
      const { DEFAULT_PATTERNS } = await import(built);
      const json = JSON.stringify(DEFAULT_PATTERNS);
      return {
        loader: 'js',
        contents: `// The built-in catalog's patterns (src/catalog/patterns/), evaluated at build time.\nexport const DEFAULT_PATTERNS = JSON.parse(${JSON.stringify(json)});\n`,
      };
    });
  },
};

// Chunks of an earlier build would otherwise pile up beside the new ones.
for (const f of readdirSync(outdir)) if (CHUNK.test(f)) rmSync(join(outdir, f));

await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Flat beside main.js: modules that find files from their own location (the web UI's
  // assets, package.json) see the same depth as tsc's dist/cli/*.js.
  chunkNames: 'chunk-[hash]',
  external,
  plugins: [catalogAsJson],
  legalComments: 'eof',
  logLevel: 'warning',
});
