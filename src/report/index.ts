// Reports of a diagnosis written to disk. `writeReport` replaces a regular file atomically
// (temp file + fsync + rename), so a reader never sees half a report and a failed write
// leaves any previous report as it was. A symbolic link is written through (its target is
// replaced, the link stays), and a target that is not a regular file (`/dev/stdout`, a FIFO)
// is written into, never replaced by a file; so is the file our own output goes to.
import { accessSync, closeSync, constants, fstatSync, fsyncSync, openSync, realpathSync, renameSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnosis } from '../diagnosis/types.js';
import { fileError, type LogmedicError } from '../errors.js';
import { checkWritableDir, removeQuietly } from '../files.js';
import { renderReport, type ReportOptions } from './html.js';

export { renderReport, escapeHtml, type ReportOptions } from './html.js';

/** Render `diagnosis` as HTML and write it to `path`. Errors are LogmedicErrors naming the path. */
export function writeReport(path: string, diagnosis: Diagnosis, options: ReportOptions = {}): void {
  const html = renderReport(diagnosis, options);
  let existing: Stats | undefined;
  try {
    existing = statOrUndefined(path);
  } catch (err) {
    throw cannotWrite(path, err);
  }
  if (existing && !existing.isFile() && !existing.isDirectory()) return writeInto(path, html, 'w');
  // Appended, after what we printed there.
  if (existing && isOurOutput(existing)) return writeInto(path, html, 'a');
  // Through a link: the temp file goes beside the file it names, so the rename stays on its filesystem.
  const target = existing ? realpathSync(path) : path;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o644);
    writeSync(fd, html);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    throw cannotWrite(path, err);
  }
}

/** A device, FIFO or socket: written as `>` would, without a rename that would replace the node. */
function writeInto(path: string, html: string, flags: 'w' | 'a'): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, flags);
    const bytes = Buffer.from(html);
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
  } catch (err) {
    throw cannotWrite(path, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file our stdout or stderr writes to (`--report /dev/stdout > out.txt`): a rename would cut it off. */
function isOurOutput(st: Stats): boolean {
  return [1, 2].some((fd) => {
    try {
      const o = fstatSync(fd);
      return o.dev === st.dev && o.ino === st.ino;
    } catch {
      return false;
    }
  });
}

/** `path`'s stat, or undefined where nothing is there yet; other failures (a name too long, a closed directory) are thrown. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function cannotWrite(path: string, err: unknown): LogmedicError {
  return fileError(path, 'write the report', err);
}

/**
 * Check, before any analysis, that a report could be written at `path`: its directory exists
 * and is writable, and the path is not a directory; a device or FIFO must be writable itself.
 * Throws the error writeReport would.
 */
export function checkReportTarget(path: string): void {
  try {
    const existing = statOrUndefined(path);
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (existing && !existing.isFile()) return accessSync(path, constants.W_OK);
    checkWritableDir(dirname(existing ? realpathSync(path) : path));
  } catch (err) {
    throw cannotWrite(path, err);
  }
}
