// The tests' temp dirs (test/_tmp.ts) go when their test ends, passed or failed, taking
// read-only and unreadable directories with them, also for a user who is not root, and
// without following a symlink out of the dir.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lchownSync, mkdirSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './_tmp.js';

const removeTreeModule = fileURLToPath(new URL('./_remove-tree.mjs', import.meta.url));
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** dir/locked (unreadable, with a file), dir/read-only/deeper (read-only), dir/out → `outside`; `owner` owns them all. */
function awkwardTree(dir: string, outside: string, owner?: number): void {
  mkdirSync(join(dir, 'locked'));
  writeFileSync(join(dir, 'locked', 'inner.log'), 'x');
  mkdirSync(join(dir, 'read-only', 'deeper'), { recursive: true });
  writeFileSync(join(dir, 'read-only', 'deeper', 'a.log'), 'x');
  symlinkSync(outside, join(dir, 'out'));
  if (owner !== undefined) {
    for (const p of ['', 'locked', 'locked/inner.log', 'read-only', 'read-only/deeper', 'read-only/deeper/a.log', 'out']) lchownSync(join(dir, p), owner, owner);
  }
  chmodSync(join(dir, 'read-only', 'deeper'), 0o500);
  chmodSync(join(dir, 'read-only'), 0o500);
  chmodSync(join(dir, 'locked'), 0o000);
}

let outside = '';
const made: string[] = [];

test.serial('tempDir makes a new real directory under the temp dir for each call', (t) => {
  outside = tempDir('logmedic-tmp-outside-');
  chmodSync(outside, 0o500);
  const a = tempDir('logmedic-tmp-', t);
  const b = tempDir('logmedic-tmp-', t);
  t.not(a, b);
  t.is(dirname(a), realpathSync(tmpdir()));
  t.deepEqual(readdirSync(a), []);
  awkwardTree(a, outside);
  made.push(a, b);
});

test.serial.failing('a failing test still has its temp dir removed', (t) => {
  const dir = tempDir('logmedic-tmp-failing-', t);
  awkwardTree(dir, outside);
  made.push(dir);
  t.fail('this test fails on purpose');
});

test.serial('the temp dirs of the tests before are gone; the symlink target outside them is untouched', (t) => {
  t.is(made.length, 3);
  for (const dir of made) t.false(existsSync(dir), dir);
  t.true(existsSync(outside));
  t.is(statSync(outside).mode & 0o777, 0o500, 'the symlinked dir keeps its mode');
});

/** Run `code` (an ES module body with `dir` and `removeTree` in scope) as the unprivileged user. */
function asUser(code: string, dir: string) {
  const script = `import { removeTree } from ${JSON.stringify(removeTreeModule)}; import { rmSync } from 'node:fs'; const dir = ${JSON.stringify(dir)}; ${code}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
}

test.serial('a user who is not root removes read-only and unreadable directories it owns', (t) => {
  const base = tempDir('logmedic-tmp-user-', t);
  if (isRoot) lchownSync(base, NOBODY, NOBODY);
  const tree = join(base, 'tree');
  mkdirSync(tree);
  awkwardTree(tree, base, isRoot ? NOBODY : undefined);

  const plain = asUser('rmSync(dir, { recursive: true, force: true });', tree);
  t.not(plain.status, 0, 'rmSync alone cannot empty a read-only directory');
  t.regex(plain.stderr, /EACCES/);
  t.true(existsSync(tree));

  const removed = asUser('removeTree(dir);', tree);
  t.is(removed.status, 0, removed.stderr);
  t.false(existsSync(tree));
  t.true(existsSync(base), 'the symlink target (here the parent) stays');
});
