// fix_permissions: give the path the record names the configured mode (and owner, when
// running as root) — only under `permissions.roots`, never through a symlink nor to a file
// with other hard links, and reporting the mode before and after. The change is made through
// directory handles from the root (contained.ts), so a swap racing it cannot lead it outside.

import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LogmedicConfig } from '../../config/types.js';
import type { LogRecord } from '../../diagnosis/types.js';
import { ContainedError, setModeIn, underRoot } from '../contained.js';
import { containingRoot, isWithin, octal, realpathLoose } from '../safety.js';
import type { RecoveryAction } from '../types.js';

/** The path the record names, under a root; or why it cannot be touched. */
function resolvePath(record: LogRecord | undefined, config: LogmedicConfig): { path?: string; why: string } {
  const roots = config.permissions.roots;
  const paths = record?.objects.paths ?? [];
  if (paths.length === 0) return { why: 'the record names no path' };
  let why = '';
  for (const p of paths) {
    const candidates = isAbsolute(p) ? [resolve(p)] : [resolve(config.baseDir, p), ...roots.map((r) => resolve(r, p))];
    for (const c of candidates) {
      if (!existsSync(c) && !isSymlinkPath(c)) continue;
      const lexical = roots.find((r) => isWithin(resolve(r), c));
      if (!lexical) {
        why ||= `${c} is outside permissions.roots (${roots.join(', ')})`;
        continue;
      }
      if (isSymlinkPath(c)) return { why: `${c} is a symlink; refusing to change what it points to` };
      if (!containingRoot(roots, c)) return { why: `${c} leaves ${lexical} through a symlink (really ${realpathLoose(c)}); refusing` };
      return { path: c, why: `named by the record (${p})` };
    }
  }
  return { why: why || `none of the paths the record names (${paths.join(', ')}) exists under permissions.roots` };
}

function isSymlinkPath(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** uid and gid for "user" or "user:group" (names from /etc/passwd and /etc/group, or numbers). */
function ownerIds(owner: string): { uid: number; gid: number } | undefined {
  const [user, group] = owner.split(':');
  const lookup = (file: string, name: string) => {
    if (/^\d+$/.test(name)) return [name, '', name, name];
    try {
      return readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
    } catch {
      return undefined;
    }
  };
  const pw = lookup('/etc/passwd', user);
  if (!pw) return undefined;
  const uid = Number(pw[2]);
  let gid = Number(pw[3]);
  if (group) {
    const gr = lookup('/etc/group', group);
    if (!gr) return undefined;
    gid = Number(gr[2]);
  }
  return { uid, gid };
}

export const fixPermissions: RecoveryAction = {
  name: 'fix_permissions',
  phase: 30,

  async plan(record, ctx) {
    const perm = ctx.config.permissions;
    if (perm.roots.length === 0) return { target: 'permissions', change: 'fix permissions', skip: 'permissions.roots is not configured' };
    if (perm.fileMode === undefined && perm.dirMode === undefined && !perm.owner) return { target: 'permissions', change: 'fix permissions', skip: 'neither fileMode, dirMode nor owner is configured' };
    const { path, why } = resolvePath(record, ctx.config);
    if (!path) return { target: 'permissions', change: 'fix permissions', skip: why };
    const st = lstatSync(path);
    if (!st.isDirectory() && st.nlink > 1) return { target: `path:${path}`, change: 'fix permissions', skip: `${path} has ${st.nlink} hard links; changing it would change the same file under another path` };
    const want = st.isDirectory() ? perm.dirMode : perm.fileMode;
    const parts = [];
    if (want !== undefined) parts.push(`mode ${octal(st.mode)} → ${octal(want)}`);
    if (perm.owner) parts.push(process.getuid?.() === 0 ? `owner → ${perm.owner}` : `owner ${perm.owner} (not applied: not running as root)`);
    return { target: `path:${path}`, change: `${path}: ${parts.join(', ')}${perm.recursive && st.isDirectory() ? ' (and everything below it)' : ''}`, detail: { path } };
  },

  async execute(step, ctx) {
    const perm = ctx.config.permissions;
    const path = String(step.detail?.path);
    const at = underRoot(perm.roots, path);
    if (!at) return { result: 'skipped', error: `${path} is no longer inside permissions.roots` };
    const ids = perm.owner && process.getuid?.() === 0 ? ownerIds(perm.owner) : undefined;
    if (perm.owner && process.getuid?.() === 0 && !ids) return { result: 'failed', error: `unknown owner ${perm.owner}` };
    let r;
    try {
      r = setModeIn(at.root, at.rel, { fileMode: perm.fileMode, dirMode: perm.dirMode, owner: ids, recursive: perm.recursive });
    } catch (err) {
      // A symlink or hard link now in the way, or the file gone: refused, nothing changed.
      if (err instanceof ContainedError) return { result: 'skipped', error: err.message };
      throw err;
    }
    const before = octal(r.modeBefore);
    const after = octal(r.modeAfter);
    const want = r.isDir ? perm.dirMode : perm.fileMode;
    const refused = r.refused.length ? r.refused.slice(0, 20) : undefined;
    if (want !== undefined && r.modeAfter !== want) return { result: 'failed', before: { mode: before }, after: { mode: after, refused }, error: `mode is ${after} after chmod, expected ${octal(want)}` };
    return { result: 'ok', before: { mode: before }, after: { mode: after, owner: ids ? `${ids.uid}:${ids.gid}` : undefined, changed: r.changed, refused } };
  },
};
