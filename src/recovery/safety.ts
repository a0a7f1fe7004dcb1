// Path-level safety checks for planning (containment in allowed roots through realpath, so a
// plan never names a path that leaves its root) and atomic writes of logmedic's own files.
// Changes to files under the roots go through contained.ts, which re-checks on handles.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { removeQuietly } from '../files.js';

// node:crypto costs about 5 ms to load and every `analyze` reaches this module through the
// config's checks; only hashing a file needs it.
const requireBuiltin = createRequire(import.meta.url);

/** `p` is `root` or below it (lexically; both absolute and normalised). */
export function isWithin(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** realpath of `p`, or of its nearest existing ancestor joined with the rest. */
export function realpathLoose(p: string): string {
  const missing: string[] = [];
  let cur = resolve(p);
  for (;;) {
    try {
      return join(fs.realpathSync(cur), ...missing.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return resolve(p);
      missing.push(basename(cur));
      cur = parent;
    }
  }
}

/**
 * The allowed root that really contains `p`, or undefined. Both sides go through realpath,
 * so a path that leaves its root through a symlink (in any component) is not contained.
 */
export function containingRoot(roots: readonly string[], p: string): string | undefined {
  const real = realpathLoose(p);
  return roots.find((root) => isWithin(realpathLoose(root), real) && isWithin(resolve(root), resolve(p)));
}

export function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A time stamp for file names: sortable, no colons (Windows). */
export function stamp(date: Date = new Date()): string {
  return date.toISOString().replace(/:/g, '-').replace(/\.(\d+)Z$/, '.$1Z');
}

/** `base` if free, else `base-1`, `base-2`…: never overwrite a kept copy. */
export function freeName(base: string): string {
  if (!fs.existsSync(base)) return base;
  for (let i = 1; ; i++) if (!fs.existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.logmedic-tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

/**
 * Replace `file` with `data`: write a temp file beside it, fsync, rename over, fsync the
 * directory. A reader sees the old file or the new one, never a half-written one. The mode of
 * the file replaced is kept.
 */
export function atomicWriteFile(file: string, data: string | Uint8Array): void {
  const tmp = tempName(file);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
  try {
    fs.writeFileSync(fd, data);
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    removeQuietly(tmp);
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
  fsyncDir(dirname(file));
}

/**
 * Keep a copy of `file` under `keptName` before it is replaced: a hard link when the
 * filesystem allows (no bytes copied, atomic), else a copy, fsynced. Returns the kept path.
 */
export function keepCopy(file: string, keptName: string): string {
  const kept = freeName(keptName);
  try {
    fs.linkSync(file, kept);
  } catch {
    fs.copyFileSync(file, kept, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(kept, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fsyncDir(dirname(kept));
  return kept;
}

export function sha256File(file: string): string {
  const hash = (requireBuiltin('node:crypto') as typeof import('node:crypto')).createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Write JSON atomically, creating the directory. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(dirname(file), { recursive: true });
  atomicWriteFile(file, JSON.stringify(value, null, 2) + '\n');
}

/** Mode bits as "0644". */
export const octal = (mode: number) => '0' + (mode & 0o7777).toString(8).padStart(3, '0');
