// Temporary directories for tests, so the suite leaves the temp dir as it found it:
// `tempDir(prefix, t)` is removed when test `t` ends, passed or failed; `tempDir(prefix)` when
// the test file ends. Processes and servers registered with `stopBeforeRemoval` are stopped first;
// read-only directories are made writable again so that a non-root user can remove them too.
import test from 'ava';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './_remove-tree.mjs';

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
  const failed: string[] = [];
  for (const dir of fileDirs.splice(0)) {
    try {
      removeTree(dir);
    } catch (e) {
      failed.push((e as Error).message);
    }
  }
  if (failed.length > 0) throw new Error(`could not remove temp dirs: ${failed.join('; ')}`);
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
