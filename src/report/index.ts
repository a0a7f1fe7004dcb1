// Reports of a diagnosis written to disk. `writeReport` replaces the target atomically
// (temp file + fsync + rename), so a reader never sees half a report and a failed write
// leaves any previous report as it was.
import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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
    throw cannotWrite(path, err);
  }
}

function cannotWrite(path: string, err: unknown): LogmedicError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code === 'ENOTDIR' ? 'not a directory' : String(code ?? err);
  const errorCode = code === 'ENOENT' || code === 'ENOTDIR' ? 'E_NOT_FOUND' : code === 'EACCES' || code === 'EPERM' ? 'E_PERMISSION' : code === 'EISDIR' ? 'E_IS_DIRECTORY' : 'E_IO';
  return new LogmedicError(errorCode, `${path}: cannot write the report (${why})`, { cause: err });
}

/**
 * Check, before any analysis, that a report could be written at `path`: its directory exists
 * and is writable, and the path is not a directory. Throws the error writeReport would.
 */
export function checkReportTarget(path: string): void {
  try {
    if (existsSync(path) && statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const dir = dirname(path);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw cannotWrite(path, err);
  }
}
