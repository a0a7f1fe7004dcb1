// Reports of a diagnosis written to disk. `writeReport` replaces the target atomically
// (temp file + fsync + rename), so a reader never sees half a report and a failed write
// leaves any previous report as it was.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnosis } from '../diagnosis/types.js';
import { LogmedicError } from '../errors.js';
import { renderReport, type ReportOptions } from './html.js';

export { renderReport, escapeHtml, type ReportOptions } from './html.js';

/** Render `diagnosis` as HTML and write it to `path`. Errors are LogmedicErrors naming the path. */
export function writeReport(path: string, diagnosis: Diagnosis, options: ReportOptions = {}): void {
  const html = renderReport(diagnosis, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o644);
    writeSync(fd, html);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
    throw new LogmedicError(code === 'ENOENT' ? 'E_NOT_FOUND' : code === 'EACCES' || code === 'EPERM' ? 'E_PERMISSION' : code === 'EISDIR' ? 'E_IS_DIRECTORY' : 'E_IO', `${path}: cannot write the report (${why})`, {
      cause: err,
    });
  }
}
