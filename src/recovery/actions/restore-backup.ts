// restore_backup: for the corrupt model or config file the record names (only under
// `backups.files`), put back the newest backup that verifies; the corrupt file is kept as
// `NAME.corrupt-<time>`, the copy is atomic, and the result must read back equal to the
// backup. The replacement is made through directory handles from the allowed root at the
// moment of acting (contained.ts): a directory swapped for a symlink while the y/N prompt
// waited cannot redirect it.

import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { LogmedicConfig } from '../../config/types.js';
import type { LogRecord } from '../../diagnosis/types.js';
import { checkFile } from '../file-check.js';
import { ContainedError, replaceFromFile, underRoot } from '../contained.js';
import { containingRoot, isSymlink, isWithin, sha256File, stamp } from '../safety.js';
import type { RecoveryAction } from '../types.js';

/** Files named `name` under `dir` (no symlinks followed), at most `limit` entries visited. */
function findByName(dir: string, match: (entry: string) => boolean, limit = 100_000): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (d: string, depth: number) => {
    if (depth > 16 || seen > limit) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      seen++;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && match(e.name)) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The live file the record names, under an allowed root; or why there is none. */
export function resolveTarget(record: LogRecord | undefined, config: LogmedicConfig): { file?: string; why: string } {
  const roots = config.backups.files;
  const paths = record?.objects.paths ?? [];
  if (paths.length === 0) return { why: 'the record names no file' };
  for (const p of paths) {
    const candidates = isAbsolute(p) ? [resolve(p)] : [resolve(config.baseDir, p), ...roots.filter(isDir).map((r) => resolve(r, p))];
    for (const c of candidates) if (existsSync(c) && containingRoot(roots, c)) return { file: c, why: `named by the record (${p})` };
    if (isAbsolute(p)) continue;
    // A bare name ("clips_base.pt checksum mismatch"): look for it under the roots.
    const name = basename(p);
    const backupDir = config.backups.dir;
    const found = [...new Set(roots.flatMap((r) => (isDir(r) ? findByName(r, (n) => n === name) : basename(r) === name && existsSync(r) ? [r] : [])))].filter(
      (f) => !backupDir || !isWithin(resolve(backupDir), f),
    );
    if (found.length === 1 && containingRoot(roots, found[0])) return { file: found[0], why: `${name} found under ${roots.find((r) => found[0].startsWith(r))}` };
    if (found.length > 1) return { why: `${name} is ambiguous: ${found.length} files by that name under backups.files (${found.slice(0, 3).join(', ')}…)` };
  }
  return { why: `none of the files the record names (${paths.join(', ')}) is under backups.files (${roots.join(', ') || 'none configured'})` };
}

/** Backups of `name` in the backup dir, newest first: `name`, or `name` plus a suffix (`.1`, `.2025-05-17`, `-bak`). */
export function backupsOf(dir: string, name: string): string[] {
  const suffix = /^[.\-_~]/;
  const files = findByName(dir, (n) => (n === name || (n.startsWith(name) && suffix.test(n.slice(name.length)))) && !n.endsWith('.sha256') && !n.includes('.corrupt-') && !n.includes('.logmedic-tmp-'));
  return files.map((f) => ({ f, t: statSync(f).mtimeMs })).sort((a, b) => b.t - a.t || b.f.localeCompare(a.f)).map((x) => x.f);
}

export const restoreBackup: RecoveryAction = {
  name: 'restore_backup',
  phase: 20,

  async plan(record, ctx) {
    const { dir } = ctx.config.backups;
    if (!dir || ctx.config.backups.files.length === 0) return { target: 'backup', change: 'restore a file from its backup', skip: 'backups.dir and backups.files are not configured' };
    const { file, why } = resolveTarget(record, ctx.config);
    if (!file) return { target: 'backup', change: 'restore a file from its backup', skip: why };
    const target = `file:${file}`;
    if (isSymlink(file)) return { target, change: `restore ${file}`, skip: `${file} is a symlink; refusing to replace it` };
    const name = basename(file);
    const refused: { backup: string; why: string }[] = [];
    const liveHash = existsSync(file) ? sha256File(file) : undefined;
    for (const b of backupsOf(dir, name)) {
      if (lstatSync(b).isSymbolicLink()) continue;
      const v = checkFile(b, name);
      if (!v.ok) {
        refused.push({ backup: b, why: `${v.by}: ${v.why}` });
        continue;
      }
      if (liveHash !== undefined && sha256File(b) === liveHash) return { target, change: `restore ${file}`, skip: `${file} is already identical to its newest valid backup ${b}`, detail: { refused } };
      return {
        target,
        change: `restore ${file} from ${b} (verified: ${v.by}); ${liveHash ? `the current file is kept as ${name}.corrupt-<time>` : 'the file is missing'}`,
        detail: { file, backup: b, verifiedBy: v.by, refused },
      };
    }
    return { target, change: `restore ${file}`, skip: refused.length ? `no backup of ${name} verifies (${refused.map((r) => `${basename(r.backup)}: ${r.why}`).join('; ')})` : `no backup of ${name} in ${dir}`, detail: { refused } };
  },

  async execute(step, ctx) {
    const { dir, files } = ctx.config.backups;
    const file = String(step.detail?.file);
    const backup = String(step.detail?.backup);
    // A root in backups.files may be a directory or the file itself (then its directory is the handle's root).
    const at = underRoot(files.filter(isDir), file) ?? (files.includes(resolve(file)) ? { root: dirname(file), rel: basename(file) } : undefined);
    const from = dir ? underRoot([dir], backup) : undefined;
    if (!at || !from) return { result: 'skipped', error: `${file} or its backup is no longer inside backups.files / backups.dir` };
    const v = checkFile(backup, basename(file));
    if (!v.ok) return { result: 'skipped', error: `the backup no longer verifies (${v.by}: ${v.why})` };
    const want = sha256File(backup);
    const before = existsSync(file) ? { sha256: sha256File(file), size: statSync(file).size } : { missing: true };
    let r;
    try {
      r = replaceFromFile(at.root, at.rel, from.root, from.rel, `${basename(file)}.corrupt-${stamp(ctx.now())}`);
    } catch (err) {
      if (err instanceof ContainedError) return { result: 'skipped', before, error: err.message };
      throw err;
    }
    const kept = r.kept ? join(at.root, r.kept) : null;
    const after = { sha256: r.verified ? want : null, size: r.size, from: backup, kept };
    if (!r.verified) return { result: 'failed', before, after, error: `verification: the restored file does not read back equal to ${backup} (the corrupt file is kept at ${kept})` };
    return { result: 'ok', before, after, done: `restore ${file} from ${backup}${kept ? `; the corrupt file is kept as ${kept}` : ''}` };
  },
};
