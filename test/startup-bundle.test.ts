// The executable is a bundle (scripts/bundle-cli.mjs, run by `npm run build:ts`): one file for
// the shim and the fast path, chunks beside it for what only some runs need. These tests run
// the built dist/cli/main.js and read which of its files a run loads (NODE_DEBUG=esm); esbuild
// heads each bundled module with a `// src/...` line, which says what a loaded chunk holds.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './_tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_DIR = join(ROOT, 'dist', 'cli');
const CLI = join(CLI_DIR, 'main.js');

const work = tempDir('logmedic-bundle-');
const smallLog = join(work, 'small.log');
writeFileSync(smallLog, '2026-12-06 09:00:00 INFO worker started\n'.repeat(40) + 'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n');

/** Run the built CLI; returns its exit code, stdout and the source modules it loaded. */
function run(args: string[]): { status: number | null; stdout: string; stderr: string; modules: Set<string>; files: string[] } {
  const env = { ...process.env, NODE_DEBUG: 'esm', NO_COLOR: '1', LOGMEDIC_HISTORY: '', LOGMEDIC_CACHE_DIR: join(work, 'cache') };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd: work });
  const files = [...new Set([...r.stderr.matchAll(/file:\/\/(\S+?\.[cm]?js)\b/g)].map((m) => fileURLToPath(`file://${m[1]}`)))];
  const modules = new Set<string>();
  for (const f of files.filter((f) => f.startsWith(CLI_DIR))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ (src\/\S+\.ts)$/gm)) modules.add(m[1]);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules, files };
}

const LAZY = ['src/report/', 'src/cluster/', 'src/journal/', 'src/serve/', 'src/watch/', 'src/cli/app.ts'];

test('dist/cli/main.js is the bundle: the shim and the fast path in one file, no tsc module loaded', (t) => {
  const main = readFileSync(CLI, 'utf8');
  t.true(main.startsWith('#!/usr/bin/env node\n'), 'runs as a bin');
  t.regex(main, /^\/\/ src\/cli\/fast-path\.ts$/m);
  t.notRegex(main, /from "\.\.\//, 'imports only its own chunks and packages');
  const r = run(['analyze', smallLog]);
  t.is(r.status, 1, r.stderr.slice(-2000));
  t.regex(r.stdout, /Found error: OutOfMemory/);
  const outside = r.files.filter((f) => f.startsWith(ROOT) && !f.startsWith(CLI_DIR) && !f.includes('node_modules'));
  t.deepEqual(outside, [], 'every module of the run comes from the bundle');
  t.true(r.modules.has('src/diagnosis/analyzer.ts') && r.modules.has('src/native.ts'), 'the run found its modules in the chunks');
});

test('a small analyze loads none of the lazily loaded parts', (t) => {
  const r = run(['analyze', smallLog, '--json']);
  t.is(r.status, 1, r.stderr.slice(-2000));
  t.is(JSON.parse(r.stdout).errors[0].type, 'OutOfMemory');
  t.deepEqual([...r.modules].filter((m) => LAZY.some((l) => m.startsWith(l))), []);
  t.false(r.files.some((f) => /node_modules[\\/]yargs[\\/]/.test(f)), 'the full parser stays unloaded');
});

test('the parts an option needs still load with it: --report loads the report writer', (t) => {
  const report = join(work, 'r.html');
  const r = run(['analyze', smallLog, '--report', report]);
  t.is(r.status, 1, r.stderr.slice(-2000));
  t.true([...r.modules].some((m) => m.startsWith('src/report/')));
  t.regex(readFileSync(report, 'utf8'), /OutOfMemory/);
});
