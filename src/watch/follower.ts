// Follows one log file by identity (device + inode), not by name: reads what was appended
// since its offset, notices truncation (copytruncate) and replacement (a different first
// KiB), and keeps reading a file that was renamed away until the orchestrator retires it.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { native } from '../native.js';

/** Bytes at the start of a file whose hash tells a replaced file from the one we knew. */
export const HEAD_BYTES = 1024;

/** Compressed rotations are never followed: by extension, and by the core's magic bytes. */
export const COMPRESSED_EXT = /\.(?:gz|zst|xz|bz2|lz4|zip|7z)$/i;

/** Whether a file's first bytes name a compressed format (the core's one table). */
export function isCompressedHead(head: Buffer): boolean {
  return native.compressionOf(head) != null;
}

export function identityKey(s: { dev: bigint | string; ino: bigint | string }): string {
  return `${s.dev}:${s.ino}`;
}

export interface Head {
  len: number;
  hash: string;
}

export function hashHead(buf: Buffer): string {
  return createHash('sha1').update(buf).digest('hex');
}

/** The head of an open file: hash of its first `len` bytes (fewer if the file is shorter). */
export function readHead(fd: number, len = HEAD_BYTES): Head {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, 0);
  return { len: n, hash: hashHead(buf.subarray(0, n)) };
}

export type PollResult = 'unchanged' | 'grown' | 'truncated' | 'replaced';

export class Follower {
  readonly key: string;
  readonly dev: bigint;
  readonly ino: bigint;
  /** The path it was last seen under (it changes when the file is renamed). */
  path: string;
  /** Next byte to read. */
  offset: number;
  /** Size at the last poll. */
  size: number;
  head: Head;
  #fd: number;
  #mtimeNs: bigint;

  private constructor(path: string, fd: number, dev: bigint, ino: bigint, size: number, mtimeNs: bigint, offset: number, head: Head) {
    this.path = path;
    this.#fd = fd;
    this.dev = dev;
    this.ino = ino;
    this.key = identityKey({ dev, ino });
    this.size = size;
    this.#mtimeNs = mtimeNs;
    this.offset = offset;
    this.head = head;
  }

  /**
   * Open `path` for following. Identity comes from the opened descriptor, so a rename
   * between discovery and open cannot mix two files up; with `expect` (the identity
   * discovery saw), a different file at that name by now is refused too: a symlink swapped
   * in for a file a glob found is never followed out of the watched directory (that throws
   * an error whose code is `ECHANGED`). Returns undefined for something that is not a
   * regular file or is compressed; throws on I/O errors.
   */
  static open(path: string, expect?: string): Follower | undefined {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd, { bigint: true });
      if (expect !== undefined && identityKey(st) !== expect) {
        throw Object.assign(new Error(`${path} is no longer the file found there`), { code: 'ECHANGED' });
      }
      if (!st.isFile()) {
        closeSync(fd);
        return undefined;
      }
      const head = readHead(fd);
      if (head.len > 0) {
        const magic = Buffer.alloc(native.MAGIC_LEN);
        const n = readSync(fd, magic, 0, magic.length, 0);
        if (isCompressedHead(magic.subarray(0, n))) {
          closeSync(fd);
          return undefined;
        }
      }
      return new Follower(path, fd, st.dev, st.ino, Number(st.size), st.mtimeNs, 0, head);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Whether the file's current head still matches `expected` (a checkpointed head). */
  headMatches(expected: Head): boolean {
    if (expected.len === 0) return true;
    if (this.size < expected.len) return false;
    const buf = Buffer.alloc(expected.len);
    const n = readSync(this.#fd, buf, 0, expected.len, 0);
    return n === expected.len && hashHead(buf) === expected.hash;
  }

  /** Position the reader (resume from a checkpoint, start at the end, restart at 0). */
  seek(offset: number): void {
    this.offset = offset;
    if (offset === 0 || this.head.len < HEAD_BYTES) this.head = readHead(this.#fd);
  }

  /** The byte after the last newline at or before `limit` (start "at the end" on a line boundary). */
  lineBoundaryBefore(limit: number): number {
    const chunk = 64 * 1024;
    const buf = Buffer.alloc(chunk);
    let end = limit;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const n = readSync(this.#fd, buf, 0, end - start, start);
      const i = buf.subarray(0, n).lastIndexOf(0x0a);
      if (i !== -1) return start + i + 1;
      end = start;
    }
    return 0;
  }

  /** Count newlines in [0, end): the line number to start at when not starting at 0. */
  countLines(end: number): number {
    const buf = Buffer.alloc(4 * 1024 * 1024);
    let pos = 0;
    let lines = 0;
    while (pos < end) {
      const n = readSync(this.#fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n === 0) break;
      let i = buf.indexOf(0x0a, 0);
      while (i !== -1 && i < n) {
        lines++;
        i = buf.indexOf(0x0a, i + 1);
      }
      pos += n;
    }
    return lines;
  }

  /**
   * Look at the file again. `truncated`: it shrank below what was read (copytruncate).
   * `replaced`: its first KiB changed (truncated and rewritten past our offset between two
   * polls, or overwritten in place). Either way the reader must start again at 0.
   */
  poll(): PollResult {
    const st = fstatSync(this.#fd, { bigint: true });
    const size = Number(st.size);
    const changed = size !== this.size || st.mtimeNs !== this.#mtimeNs;
    this.size = size;
    this.#mtimeNs = st.mtimeNs;
    if (size < this.offset) return 'truncated';
    if (!changed) return 'unchanged';
    if (this.head.len > 0 && !this.headMatches(this.head)) return 'replaced';
    if (this.head.len < HEAD_BYTES && size > this.head.len) this.head = readHead(this.#fd);
    return size > this.offset ? 'grown' : 'unchanged';
  }

  /** The file's size now (for "bytes behind"); the last known size if it cannot be had. */
  currentSize(): number {
    try {
      return Number(fstatSync(this.#fd).size);
    } catch {
      return this.size;
    }
  }

  /** Read up to `max` bytes at the offset into buf[at..]; advances the offset. */
  read(buf: Buffer, at: number, max: number): number {
    const want = Math.min(max, buf.length - at);
    if (want <= 0) return 0;
    const n = readSync(this.#fd, buf, at, want, this.offset);
    this.offset += n;
    if (this.offset > this.size) this.size = this.offset;
    return n;
  }

  close(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
  }
}
