#!/usr/bin/env node
// `npm test`: the Rust tests, the regression and fuzz tests unoptimised, then ava, all with TMPDIR
// pointing at a fresh directory of this run's own. Whatever the tests leave in it is listed, one
// line each, and fails the run; the directory is removed either way, so the temp dir stays clean.
// Usage: node scripts/test.mjs [AVA ARGS...]   (ava's arguments, e.g. one test file)
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTree } from '../test/_remove-tree.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ava = join(root, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');
const steps = [
  ['cargo', ['test', '--workspace', '--release']],
  ['cargo', ['test', '-p', 'logmedic-core', '--test', 'regression', '--test', 'fuzz']],
  [process.execPath, [ava, ...process.argv.slice(2)]],
];
// Caches of the tools that run the tests, not anything a test made: tsx keeps its compiled
// TypeScript in tsx-<uid>.
const toolCaches = [/^tsx-\d+$/];

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'logmedic-test-')));
// Open to every user, sticky, as /tmp is: some tests run logmedic as an unprivileged user on
// files in their temp dirs.
chmodSync(temp, 0o1777);
const env = { ...process.env, TMPDIR: temp, TMP: temp, TEMP: temp };

let code = 0;
for (const [command, args] of steps) {
  const r = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (r.error) {
    console.error(`logmedic: cannot run ${command}: ${r.error.message}`);
    code = 2;
  } else if (r.status !== 0) code = r.status ?? 1;
  if (code !== 0) break;
}

const left = readdirSync(temp).filter((name) => !toolCaches.some((cache) => cache.test(name)));
for (const name of left) {
  const kind = lstatSync(join(temp, name)).isDirectory() ? 'directory' : 'file';
  console.error(`logmedic: the tests left the ${kind} ${name} in the temp dir (tests make temp dirs with test/_tmp.ts, which removes them)`);
}
if (left.length > 0 && code === 0) code = 1;
try {
  removeTree(temp);
} catch (e) {
  console.error(`logmedic: cannot remove the tests' temp dir ${temp}: ${e.message}`);
  if (code === 0) code = 1;
}
process.exit(code);
