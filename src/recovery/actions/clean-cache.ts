// clean_cache: delete files inside the configured cache directories only, oldest first, until
// the filesystem has `minFreeBytes` free (or the cache is empty). It prefers the filesystem
// that filled up (the one the record names, else the fullest). Files are listed and removed
// through directory handles from the cache dir (contained.ts): a directory swapped for a
// symlink meanwhile cannot lead a delete outside, and a file with other hard links stays.

import { lstatSync, statSync, statfsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { LogRecord } from '../../diagnosis/types.js';
import { ContainedError, listFiles, unlinkIn, type ContainedFile } from '../contained.js';
import { realpathLoose } from '../safety.js';
import type { RecoveryAction } from '../types.js';

/** A file listed under the cache directory `root`. */
type CacheFile = ContainedFile & { root: string };

const freeBytes = (dir: string) => {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
};

const deviceOf = (p: string): number | undefined => {
  try {
    return statSync(realpathLoose(p)).dev;
  } catch {
    return undefined;
  }
};

/** Regular files with one link under `dir`, oldest first, without entering symlinked directories. */
function cacheFiles(dir: string): CacheFile[] {
  let files;
  try {
    files = listFiles(dir, '', 32);
  } catch (err) {
    if (err instanceof ContainedError) return [];
    throw err;
  }
  return files
    .filter((f) => f.nlink === 1)
    .map((f) => ({ ...f, root: dir }))
    .sort((a, b) => a.mtimeMs - b.mtimeMs || a.rel.localeCompare(b.rel));
}

/** Cache dirs (real paths) on the filesystem that needs space. */
function chooseDirs(record: LogRecord | undefined, configured: string[]): { dirs: string[]; why: string } {
  const dirs = configured.map((d) => realpathLoose(d)).filter((d) => deviceOf(d) !== undefined && lstatSync(d).isDirectory());
  if (dirs.length === 0) return { dirs, why: 'no configured cache directory exists' };
  for (const p of record?.objects.paths ?? []) {
    if (!isAbsolute(p)) continue;
    const dev = deviceOf(p);
    if (dev === undefined) continue;
    const same = dirs.filter((d) => deviceOf(d) === dev);
    if (same.length) return { dirs: same, why: `the filesystem of ${p}` };
  }
  // The fullest filesystem: least free space.
  const byFree = [...dirs].sort((a, b) => freeBytes(a) - freeBytes(b));
  const dev = deviceOf(byFree[0]);
  return { dirs: byFree.filter((d) => deviceOf(d) === dev), why: 'the fullest filesystem with a cache directory' };
}

export const cleanCache: RecoveryAction = {
  name: 'clean_cache',
  phase: 40,

  async plan(record, ctx) {
    const { dirs: configured, minFreeBytes } = ctx.config.cache;
    if (configured.length === 0) return { target: 'cache', change: 'delete cache files', skip: 'no cache directories are configured' };
    const { dirs, why } = chooseDirs(record, configured);
    if (dirs.length === 0) return { target: 'cache', change: 'delete cache files', skip: why };
    const target = `cache:${dirs.join(',')}`;
    const free = freeBytes(dirs[0]);
    const files = dirs.flatMap(cacheFiles);
    const total = files.reduce((n, f) => n + f.size, 0);
    if (free >= minFreeBytes) return { target, change: 'nothing to delete', skip: `${fmt(free)} free already meets the target of ${fmt(minFreeBytes)}`, detail: { free } };
    if (files.length === 0) return { target, change: 'nothing to delete', skip: `the cache is empty (${fmt(free)} free, target ${fmt(minFreeBytes)})`, detail: { free } };
    return {
      target,
      change: `delete files in ${dirs.join(', ')}, oldest first, until ${fmt(minFreeBytes)} are free (now ${fmt(free)} free; ${files.length} files, ${fmt(total)} in the cache) — ${why}`,
      detail: { dirs, free, cacheBytes: total, files: files.length },
    };
  },

  async execute(step, ctx) {
    const dirs = (step.detail?.dirs as string[]) ?? [];
    const target = ctx.config.cache.minFreeBytes;
    const before = freeBytes(dirs[0]);
    let freed = 0;
    let deleted = 0;
    for (const f of dirs.flatMap(cacheFiles).sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (freeBytes(dirs[0]) >= target) break;
      try {
        // Reached again from the root's handle, and only the very file listed (same inode).
        freed += unlinkIn(f.root, f.rel, f.identity);
        deleted++;
      } catch (err) {
        // Gone, replaced, hard-linked, behind a symlink now, or not removable: go on with the next.
        if (!(err instanceof ContainedError)) throw err;
      }
    }
    const after = freeBytes(dirs[0]);
    const outcome = { before: { free: before }, after: { free: after, bytesFreed: freed, filesDeleted: deleted } };
    if (after >= target) return { result: 'ok', ...outcome };
    return { result: 'failed', ...outcome, error: `the cache is exhausted: ${fmt(after)} free, below the target of ${fmt(target)} (freed ${fmt(freed)})` };
  },
};

export function fmt(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
