// Removing a test's temp dir completely, for the tests (test/_tmp.ts) and for scripts/test.mjs,
// which removes the temp dir of a whole run. Plain JavaScript so that both can load it.
import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Remove `dir` and everything under it. Tests make directories read-only or unreadable, which a
 * non-root user could not empty: each real directory gets its owner's permissions back first.
 * Symlinks are removed, never followed, so nothing outside `dir` changes.
 * @param {string} dir
 */
export function removeTree(dir) {
  restoreOwnerPermissions(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** @param {string} path */
function restoreOwnerPermissions(path) {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return;
  try {
    if ((st.mode & 0o700) !== 0o700) chmodSync(path, (st.mode & 0o7777) | 0o700);
    for (const name of readdirSync(path)) restoreOwnerPermissions(join(path, name));
  } catch {
    // not ours to change: rmSync then says what it cannot remove
  }
}
