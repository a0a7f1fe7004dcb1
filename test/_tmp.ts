// Temporary directories for tests, so the suite leaves the temp dir as it found it:
// `tempDir(prefix, t)` is removed when test `t` ends, passed or failed; `tempDir(prefix)` when
// the test file ends. Processes and servers registered with `stopBeforeRemoval` are stopped first.
import test from 'ava';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What `tempDir` needs of a test: ava's `t`, or anything with `teardown`. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

const fileDirs: string[] = [];
const fileStops: Array<() => unknown> = [];

// Declared when a test file first imports this module, so it runs before that file's own
// after.always hooks: whatever those hooks stop must be registered with stopBeforeRemoval too.
test.after.always('remove the temp dirs this file made', async () => {
  for (const stop of fileStops.splice(0).reverse()) await stop();
  for (const dir of fileDirs.splice(0)) removeTree(dir);
});

/** A new directory under the temp dir (real path, no symlinks), removed when `t` ends or, without `t`, when the file ends. */
export function tempDir(prefix = 'logmedic-', t?: Teardown): string {
  return removeWhenDone(realpathSync(mkdtempSync(join(tmpdir(), prefix))), t);
}

/** Remove `dir`, made elsewhere than the temp dir, when `t` ends or, without `t`, when the file ends. */
export function removeWhenDone(dir: string, t?: Teardown): string {
  if (t) t.teardown(() => removeTree(dir));
  else fileDirs.push(dir);
  return dir;
}

/** Run `stop` (stop a server, kill a child) at the end of the file, before its temp dirs go; it must be safe to call twice. */
export function stopBeforeRemoval(stop: () => unknown): void {
  fileStops.push(stop);
}

/**
 * Remove `dir` and everything under it. Tests make directories read-only (and unreadable), which
 * a non-root user could not empty: each real directory gets its owner's permissions back first.
 * Symlinks are removed, never followed, so nothing outside `dir` is touched.
 */
export function removeTree(dir: string): void {
  restoreWrite(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function restoreWrite(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  if ((st.mode & 0o700) !== 0o700) {
    try {
      chmodSync(path, st.mode | 0o700);
    } catch {
      return; // not ours to change; rmSync says why if it cannot remove it
    }
  }
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return;
  }
  for (const name of names) restoreWrite(join(path, name));
}
