// Where the watch stands, kept in the state dir so a restart neither re-reads old lines nor
// misses new ones: per file its identity, head hash, the first byte/line not yet reported and
// its Unrecognised tally, the journal's cursor for `--journal`, plus the rules' windows. Written atomically (temp file, fsync, rename) and guarded by a
// pid lock so two watchers never share one state dir.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errnoReason, LogmedicError } from '../errors.js';
import { removeQuietly } from '../files.js';

export interface FileCheckpoint {
  path: string;
  dev: string;
  ino: string;
  /** Size when saved. */
  size: number;
  /** First byte not yet reported (held-back lines are re-read after a restart). */
  offset: number;
  /** Line number of that byte. */
  line: number;
  headLen: number;
  headHash: string;
  /**
   * The file's Unrecognised lines before `offset`, by template (the core's saved tally,
   * base64), so totals "since the watch began" go on after a restart. Absent when none were
   * seen; a value that does not restore is warned about and the totals start over.
   */
  unrecognised?: string;
  /** Set when the file left the watch (rotated away, deleted): kept to recognise it. */
  retiredAt?: string;
}

/** Where `watch --journal` stands in the systemd journal. */
export interface JournalCheckpoint {
  /** The journal cursor of the last entry reported (a restart follows after it). */
  cursor?: string;
  /** Bytes of journalctl output and lines handed on so far, counted across restarts. */
  offset: number;
  line: number;
  /** The journal's Unrecognised tally, as a file's. */
  unrecognised?: string;
}

export interface CheckpointData {
  version: 1;
  savedAt: string;
  files: FileCheckpoint[];
  retired: FileCheckpoint[];
  /** The rules' open windows (see rules.ts), so thresholds count across restarts. */
  rules?: unknown;
  journal?: JournalCheckpoint;
}

export const CHECKPOINT_FILE = 'watch-checkpoint.json';
const LOCK_FILE = 'watch.lock';

export class CheckpointStore {
  readonly dir: string;
  readonly path: string;
  saves = 0;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, CHECKPOINT_FILE);
  }

  /**
   * The saved checkpoint, or undefined on a first run. A corrupt file is moved aside (kept,
   * never deleted) and reported through `warn`; the watch then starts as on a first run.
   */
  load(warn: (msg: string) => void): CheckpointData | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LogmedicError('E_IO', `${this.path}: cannot read checkpoint (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    try {
      const data = JSON.parse(text) as CheckpointData;
      if (data?.version !== 1 || !Array.isArray(data.files)) throw new Error('unknown shape');
      data.retired ??= [];
      if (!Array.isArray(data.retired)) throw new Error('"retired" is not a list');
      if (typeof data.savedAt !== 'string') throw new Error('"savedAt" is not a string');
      for (const f of [...data.files, ...data.retired]) {
        const problem = entryProblem(f);
        if (problem) throw new Error(problem);
      }
      const journalProblem = data.journal === undefined ? undefined : journalEntryProblem(data.journal);
      if (journalProblem) throw new Error(journalProblem);
      return data;
    } catch (err) {
      const aside = `${this.path}.corrupt-${Date.now()}`;
      renameSync(this.path, aside);
      warn(`checkpoint ${this.path} is unreadable (${(err as Error).message}); kept as ${aside}, starting fresh`);
      return undefined;
    }
  }

  /**
   * Atomic replace: a crash leaves either the old checkpoint or the new one, never half.
   * The directory entry is made durable by `syncDir`, which the watcher calls after it has
   * reported what this checkpoint covers (so that fsync does not delay the report).
   */
  save(data: CheckpointData): void {
    makeStateDir(this.dir);
    const tmp = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      try {
        writeSync(fd, JSON.stringify(data));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (err) {
      // A half-written temp file (a full disk) is of no use to anyone: the old checkpoint stands.
      removeQuietly(tmp);
      throw err;
    }
    this.saves++;
  }

  /** Make the last rename survive a power cut. */
  syncDir(): void {
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

/**
 * Create the state dir and its missing parents, one level at a time: Node's recursive
 * mkdirSync never returns where a parent exists but refuses new entries (`/proc/x`), so a
 * bad --state-dir would spin instead of failing with one line.
 */
export function makeStateDir(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new LogmedicError('E_IO', `${dir}: cannot use as state dir (${at}: ${errnoReason(err)})`);
      missing.push(at);
      if (dirname(at) === at) break;
      continue;
    }
    if (!isDir) throw new LogmedicError('E_IO', `${dir}: cannot use as state dir (${at} is not a directory)`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new LogmedicError('E_IO', `${dir}: cannot create the state dir (${code ?? err})`);
    }
  }
}

/**
 * What is wrong with one file's entry, if anything. A field of the wrong type (an offset of
 * "abc") would otherwise be carried into every later read and leave the file unread for good.
 */
function entryProblem(f: unknown): string | undefined {
  if (typeof f !== 'object' || f === null) return 'a file entry is not an object';
  const e = f as Record<string, unknown>;
  for (const key of ['path', 'dev', 'ino', 'headHash'] as const) {
    if (typeof e[key] !== 'string') return `a file entry's "${key}" is not a string`;
  }
  for (const key of ['size', 'offset', 'line', 'headLen'] as const) {
    const v = e[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `a file entry's "${key}" is not a count`;
  }
  if ((e.line as number) < 1 && e.ignore !== true) return 'a file entry\'s "line" is not a line number';
  if (e.retiredAt !== undefined && typeof e.retiredAt !== 'string') return 'a file entry\'s "retiredAt" is not a string';
  return undefined;
}

function journalEntryProblem(j: unknown): string | undefined {
  if (typeof j !== 'object' || j === null) return '"journal" is not an object';
  const e = j as Record<string, unknown>;
  if (e.cursor !== undefined && (typeof e.cursor !== 'string' || e.cursor === '')) return 'the journal "cursor" is not a cursor';
  for (const key of ['offset', 'line'] as const) {
    const v = e[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `the journal's "${key}" is not a count`;
  }
  if ((e.line as number) < 1) return 'the journal\'s "line" is not a line number';
  return undefined;
}

/**
 * Take the state dir for this process. A lock left by a dead process is taken over; one held
 * by a live process is an error that names it.
 */
export function lockStateDir(dir: string): () => void {
  makeStateDir(dir);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // gone already
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LogmedicError('E_IO', `${dir}: cannot use as state dir (${errnoReason(err)})`);
      }
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new LogmedicError('E_USAGE', `another watch (pid ${pid}) uses the state dir ${dir}; stop it or pass another --state-dir`);
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new LogmedicError('E_IO', `${dir}: cannot take the watch lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
