// Following the systemd journal for `watch --journal`: `journalctl -f -o json` is spawned
// (argv, no shell) after a cursor, and its output reaches the watch as a stream of bytes.
// Each line is remembered with its journal cursor, so a checkpoint names the exact entry a
// restart goes on after: nothing reported twice, nothing written while stopped missed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { checkJournalctl, type JournalQuery } from './journalctl.js';

/** Where a follow starts: after a cursor, at the journal's beginning, or at its end. */
export interface FollowFrom {
  cursor?: string;
  fromStart?: boolean;
}

/** Queued output above which journalctl is paused until the watch catches up. */
const MAX_QUEUED = 16 * 1024 * 1024;

const CURSOR = /"__CURSOR":"([^"\\]+)"/;

function selection(q: JournalQuery): string[] {
  const args: string[] = [];
  for (const u of q.units ?? []) args.push('-u', u);
  // Absolute: journalctl -f watches the file through inotify, which a relative name defeats.
  if (q.file !== undefined) args.push('--file', resolve(q.file));
  return args;
}

/** The argv (without the executable) that follows the journal from `from`. */
export function followArgs(q: JournalQuery, from: FollowFrom): string[] {
  const args = ['-f', '-o', 'json', '--no-pager', '--quiet', ...selection(q)];
  // --no-tail: with -f, journalctl otherwise shows at most the last 10 entries after a cursor.
  if (from.cursor !== undefined) args.push('--no-tail', '--after-cursor', from.cursor);
  else if (from.fromStart) args.push('--no-tail');
  else args.push('--lines', '0');
  return args;
}

/**
 * The cursor of the newest entry the query selects, or undefined for an empty journal: a
 * first run starts after it, so its checkpoint names a position even before any entry came.
 */
export function lastCursor(q: JournalQuery): string | undefined {
  const journalctl = q.journalctl ?? 'journalctl';
  const r = spawnSync(journalctl, ['-o', 'json', '--no-pager', '--quiet', '--lines', '1', ...selection(q)], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return undefined; // the follow itself reports why journalctl fails
  return CURSOR.exec(r.stdout)?.[1];
}

export interface JournalEnd {
  code: number | null;
  /** journalctl's first line on stderr, or how it ended. */
  reason: string;
}

export class JournalFollower {
  #child: ChildProcess;
  #queued: Buffer[] = [];
  #queuedBytes = 0;
  #partial: Buffer[] = [];
  /** Stream offset after the last byte received. */
  #received: number;
  /** Per complete line received and not yet pruned: its end offset and its cursor. */
  #ends: number[] = [];
  #cursors: string[] = [];
  #startCursor: string | undefined;
  #stopping = false;

  /**
   * `baseOffset`: the stream offset of the first byte journalctl will write (the watch counts
   * journal bytes across restarts, as it does a file's). `onData`: bytes are waiting.
   * `onEnd`: journalctl ended while the follow was not being stopped.
   */
  constructor(q: JournalQuery, from: FollowFrom, baseOffset: number, onData: () => void, onEnd: (end: JournalEnd) => void) {
    const journalctl = q.journalctl ?? 'journalctl';
    checkJournalctl(journalctl);
    this.#startCursor = from.cursor;
    this.#received = baseOffset;
    let stderr = '';
    this.#child = spawn(journalctl, followArgs(q, from), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#receive(d);
      onData();
    });
    this.#child.stderr!.on('data', (d) => (stderr += d));
    let ended = false;
    const end = (code: number | null, how: string) => {
      if (ended || this.#stopping) return;
      ended = true;
      const line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
      onEnd({ code, reason: line ?? how });
    };
    this.#child.on('error', (err) => end(null, err.message));
    this.#child.on('close', (code, signal) => end(code, signal ? `killed by ${signal}` : `exit status ${code}`));
  }

  #receive(d: Buffer): void {
    this.#queued.push(d);
    this.#queuedBytes += d.length;
    let start = 0;
    for (let nl = d.indexOf(0x0a); nl !== -1; nl = d.indexOf(0x0a, start)) {
      const line = this.#partial.length === 0 ? d.subarray(start, nl) : Buffer.concat([...this.#partial, d.subarray(start, nl)]);
      this.#partial = [];
      const cursor = CURSOR.exec(line.toString('latin1'))?.[1];
      const end = this.#received + nl + 1;
      if (cursor !== undefined) {
        this.#ends.push(end);
        this.#cursors.push(cursor);
      }
      start = nl + 1;
    }
    if (start < d.length) this.#partial.push(d.subarray(start));
    this.#received += d.length;
    if (this.#queuedBytes > MAX_QUEUED) this.#child.stdout!.pause();
  }

  /** The bytes received since the last call (and journalctl may go on writing). */
  take(): Buffer {
    const out = this.#queued.length === 1 ? this.#queued[0] : Buffer.concat(this.#queued);
    this.#queued = [];
    this.#queuedBytes = 0;
    this.#child.stdout!.resume();
    return out;
  }

  /**
   * The cursor to resume after, for a stream position that is a line start: that of the
   * entry whose line ends there, or the newest one before it; the starting cursor before any.
   */
  cursorAt(offset: number): string | undefined {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ends[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.#startCursor : this.#cursors[lo - 1];
  }

  /** Forget the cursors of lines that end before `offset` (a checkpoint stands there). */
  prune(offset: number): void {
    let n = 0;
    while (n + 1 < this.#ends.length && this.#ends[n + 1] <= offset) n++;
    if (n === 0) return;
    this.#startCursor = this.#cursors[n - 1];
    this.#ends.splice(0, n);
    this.#cursors.splice(0, n);
  }

  stop(): void {
    this.#stopping = true;
    this.#child.kill('SIGTERM');
  }
}
