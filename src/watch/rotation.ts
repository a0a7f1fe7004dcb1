// File identity across rotation: which identities the watch has let go of (rotated away,
// deleted, ignored), and how a file is found again by identity or by its head (renamed while
// the watch was stopped, copied by copytruncate). The loop in watcher.ts decides when to ask.

import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileCheckpoint } from './checkpoint.js';
import type { Found } from './discovery.js';
import { COMPRESSED_EXT, Follower, identityKey, type Head } from './follower.js';

/** Retired identities remembered (to recognise a file seen again), newest kept. */
const MAX_RETIRED = 256;
/** The fewest head bytes that identify a copy of a followed file. */
const MIN_COPY_HEAD = 256;

export type RetiredEntry = FileCheckpoint & { ignore?: boolean };

/** Identities no longer followed: files that left the watch, and files never to follow. */
export class RetiredFiles {
  #entries = new Map<string, RetiredEntry>();

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): RetiredEntry | undefined {
    return this.#entries.get(key);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  set(key: string, entry: RetiredEntry): void {
    this.#entries.set(key, entry);
  }

  /**
   * Remember a followed file's last checkpoint entry as it leaves the watch now. Without its
   * Unrecognised tally: a file that comes back under a watched name starts its totals over.
   */
  retire(key: string, entry: FileCheckpoint): void {
    const { unrecognised: _, ...kept } = entry;
    this.#entries.set(key, { ...kept, retiredAt: new Date().toISOString() });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  values(): RetiredEntry[] {
    return [...this.#entries.values()];
  }

  /** Remember an identity never to follow (compressed, not a file, a copy of one we follow). */
  ignore(found: Found, head?: Head): void {
    const [dev, ino] = found.key.split(':');
    this.#entries.set(found.key, {
      path: found.path,
      dev,
      ino,
      size: found.size,
      offset: found.size,
      line: 0,
      headLen: head?.len ?? 0,
      headHash: head?.hash ?? '',
      retiredAt: new Date().toISOString(),
      ignore: true,
    });
  }

  /**
   * Keep at most MAX_RETIRED: forget files that are gone first, oldest first; an identity
   * still on disk (`onDisk`: an ignored copy, a rotated file) only when nothing else is left.
   */
  prune(onDisk: Set<string>): void {
    if (this.#entries.size <= MAX_RETIRED) return;
    for (const key of [...this.#entries.keys()]) {
      if (this.#entries.size <= MAX_RETIRED) break;
      if (!onDisk.has(key)) this.#entries.delete(key);
    }
    while (this.#entries.size > MAX_RETIRED) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/** The path among `heads` whose first KiB `f` repeats, if any. */
export function copyOf(f: Follower, heads: { path: string; head: Head }[]): string | undefined {
  // Short heads say too little (two logs may open with the same banner line).
  for (const { path, head } of heads) if (head.len >= MIN_COPY_HEAD && f.headMatches(head)) return path;
  return undefined;
}

/**
 * The plain files beside `path` (its siblings, itself included), skipping compressed names
 * and symbolic links: a link in a watched directory never leads the watch out of it.
 */
function siblings(path: string): string[] {
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // directory gone
  }
  const out: string[] = [];
  for (const name of names) {
    if (COMPRESSED_EXT.test(name)) continue;
    const sibling = join(dir, name);
    try {
      if (lstatSync(sibling).isFile()) out.push(sibling);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * A checkpointed file not found under its name at start: the same identity next to where it
 * was (renamed by rotation while stopped), opened and positioned where the checkpoint left it.
 */
export function findRotatedAway(cp: FileCheckpoint): { follower: Follower; name: string } | undefined {
  const key = identityKey(cp);
  for (const path of siblings(cp.path)) {
    try {
      if (identityKey(lstatSync(path, { bigint: true })) !== key) continue;
    } catch {
      continue;
    }
    let f: Follower | undefined;
    try {
      f = Follower.open(path);
    } catch {
      return undefined;
    }
    if (!f || f.key !== key) {
      f?.close();
      return undefined;
    }
    f.seek(cp.offset);
    f.head = { len: cp.headLen, hash: cp.headHash };
    f.size = -1;
    return { follower: f, name: path };
  }
  return undefined;
}

/**
 * Copytruncate: the bytes of `f` not read yet are in a copy beside it, found by its head.
 * Returns the copy positioned at `f`'s offset (the caller reads it, then closes it).
 */
export function findCopy(f: Follower): { follower: Follower; path: string } | undefined {
  if (f.head.len === 0) return undefined;
  for (const path of siblings(f.path)) {
    let copy: Follower | undefined;
    try {
      copy = Follower.open(path);
    } catch {
      continue;
    }
    if (!copy) continue;
    if (copy.key === f.key || !copy.headMatches(f.head) || copy.size < f.offset) {
      copy.close();
      continue;
    }
    copy.seek(f.offset);
    return { follower: copy, path };
  }
  return undefined;
}
