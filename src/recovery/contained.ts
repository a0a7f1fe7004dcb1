// Contained file changes for the recovery actions: every unlink, chmod/chown, replacement and
// lock removal goes through the native logmedic-fs crate, which reaches the file through
// directory handles opened from an allowed root without following any symlink, and checks
// the file (type, hard links, identity) on the handle at the moment it acts.

import { relative, resolve, sep } from 'node:path';
import type { ContainedFile, LockVerdict } from '../../native/index.cjs';
import { native } from '../native.js';
import { isWithin } from './safety.js';

export type ContainedCode =
  | 'E_FS_SYMLINK'
  | 'E_FS_HARDLINK'
  | 'E_FS_NOT_REGULAR'
  | 'E_FS_CHANGED'
  | 'E_FS_NOT_FOUND'
  | 'E_FS_LOCK_HELD'
  | 'E_FS_BAD_PATH'
  | 'E_FS_IO'
  | 'E_FS_UNSUPPORTED';

/** A refusal or failure of a contained operation; `message` says why in one line. */
export class ContainedError extends Error {
  constructor(readonly code: ContainedCode, message: string) {
    super(message);
    this.name = 'ContainedError';
  }
}

function contained<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    const m = /^\[(E_FS_[A-Z_]+)\] ([\s\S]*)$/.exec(err instanceof Error ? err.message : String(err));
    if (m) throw new ContainedError(m[1] as ContainedCode, m[2]);
    throw err;
  }
}

/** The configured root an absolute path lies under (lexically), and the path relative to it. */
export function underRoot(roots: readonly string[], path: string): { root: string; rel: string } | undefined {
  const p = resolve(path);
  // The longest root wins, so that a nested root's own rules apply.
  const root = [...roots].map((r) => resolve(r)).sort((a, b) => b.length - a.length).find((r) => isWithin(r, p));
  return root === undefined ? undefined : { root, rel: relative(root, p).split(sep).join('/') };
}

export type { ContainedFile, LockVerdict };

/** Regular files below `root`/`rel`, not entering symlinked directories. */
export const listFiles = (root: string, rel = '', maxDepth = 32, maxEntries = 100_000): ContainedFile[] =>
  contained(() => native.fsListFiles(root, rel, maxDepth, maxEntries));

/** Remove a regular file with one link; returns its size. */
export const unlinkIn = (root: string, rel: string, identity?: string): number => contained(() => native.fsUnlinkFile(root, rel, identity));

export interface SetModeOptions {
  fileMode?: number;
  dirMode?: number;
  owner?: { uid: number; gid: number };
  recursive: boolean;
}

export const setModeIn = (root: string, rel: string, o: SetModeOptions) =>
  contained(() => native.fsSetMode(root, rel, { fileMode: o.fileMode, dirMode: o.dirMode, uid: o.owner?.uid, gid: o.owner?.gid, recursive: o.recursive }));

/** Replace root/rel by the file sourceRoot/sourceRel; what was there is kept as `keepAs` (same directory). */
export const replaceFromFile = (root: string, rel: string, sourceRoot: string, sourceRel: string, keepAs?: string) =>
  contained(() => native.fsReplaceFromFile(root, rel, sourceRoot, sourceRel, keepAs));

export const replaceWithBytes = (root: string, rel: string, data: Uint8Array, keepAs?: string) =>
  contained(() => native.fsReplaceWithBytes(root, rel, Buffer.from(data), keepAs));

export const lockVerdict = (dir: string, name: string): LockVerdict => contained(() => native.fsLockVerdict(dir, name));

/** Removes the lock exactly when the returned verdict is stale. */
export const removeStaleLock = (dir: string, name: string, identity: string): LockVerdict => contained(() => native.fsRemoveStaleLock(dir, name, identity));

/** Why `path` may not be a recovery root (a system directory), or undefined. */
export const systemRootReason = (path: string, home?: string): string | undefined => native.fsSystemRootReason(path, home) ?? undefined;
