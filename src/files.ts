// File-system steps shared by the commands that write files: checking where a file will go
// before the work that makes it, and cleaning up after a failed write.
import { accessSync, constants, rmSync, statSync } from 'node:fs';

/**
 * Throws, as the fs calls do (an error with an errno `code`), unless `dir` is a directory
 * this process may create files in.
 */
export function checkWritableDir(dir: string): void {
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  accessSync(dir, constants.W_OK);
}

/**
 * Removes what a failed write left (a temp file, a partial), if anything: a failure to remove
 * (the file was never made, its name too long) must not hide why the write failed.
 */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the write's own error is the one to report
  }
}
