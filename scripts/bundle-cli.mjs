#!/usr/bin/env node
// Bundles the `logmedic` executable: dist/cli/main.js becomes one ESM file holding the
// shim and the fast path, and each lazily loaded command or option (report writer,
// cluster, journal, web server, yargs' full parser) becomes a chunk beside it that is read
// only when a run needs it. Resolving, reading and linking ~40 small modules one by one
// cost a 4 KB analyze 5-10 ms of CPU. Runs after `tsc` (npm run build:ts): the library's
// entry points stay tsc's one-file-per-module output; only the CLI runs from the bundle.
//
// Usage: node scripts/bundle-cli.mjs
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const CHUNK = /^chunk-[A-Z0-9]+\.js$/;

// Packages stay in node_modules (yargs reads its locale files beside itself, fastify and
// bullmq are large and load only for their commands), except the small argument parser the
// fast path uses on every run.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bundled = new Set(['yargs-parser']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((name) => !bundled.has(name));

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
  legalComments: 'eof',
  logLevel: 'warning',
});
