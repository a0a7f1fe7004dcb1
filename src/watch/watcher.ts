// The live watch loop: discovery finds files, followers read them (and journalctl the journal,
// for --journal), assemblers make records, rules decide, the responder acts, the checkpoint
// remembers. Each tick reads what is new,
// commits the checkpoint, and only then reports, so a crash can repeat nothing already
// reported. Which file is which across rotation lives in rotation.ts.

import { basename } from 'node:path';
import { groupAnswer, inferTypes } from '../diagnosis/inferred.js';
import type { LogRecord, UnrecognisedTemplate } from '../diagnosis/types.js';
import { fromNative } from '../errors.js';
import { JournalFollower, lastCursor, type JournalEnd } from '../journal/follow.js';
import { journalName, type JournalQuery } from '../journal/journalctl.js';
import { CheckpointStore, lockStateDir, type CheckpointData, type FileCheckpoint, type JournalCheckpoint } from './checkpoint.js';
import { Discovery, type Found } from './discovery.js';
import { Follower, identityKey, type Head } from './follower.js';
import type { MetricsSnapshot } from './metrics.js';
import { RecordAssembler, restoreTally, type AssemblerOptions, type Classifier, type RecordMeta, type RunningTemplate, type UnrecognisedSince } from './records.js';
import { RuleEngine, type Firing, type WatchRule } from './rules.js';
import type { ActionEvent } from './respond.js';
import { copyOf, findCopy, findRotatedAway, RetiredFiles } from './rotation.js';

export interface RecordEvent {
  event: 'record';
  type: string;
  file: string;
  line: number;
  endLine: number;
  /** The record's own time when it has one, else when it was seen. */
  time: string;
  seenAt: string;
  message: string;
  patternId: string;
  offset: number;
  level?: string;
  exception?: string;
}

/**
 * The Unrecognised section of one file in one tick: the error-level lines no pattern matched
 * in all the pieces of the file read in the tick, one entry per template. The core groups
 * them, merging the pieces' templates and clustering over every such line of the file read
 * since the watch started, so a template keeps its id from tick to tick (the id `analyze`
 * gives it over those lines) and carries a running count (`total`). Each template is typed
 * once by the learned model (`inferred`, a guess, never a record).
 */
export interface UnrecognisedEvent {
  event: 'unrecognised';
  file: string;
  /** Error-level lines no pattern matched, read in the tick. */
  lines: number;
  /** Most lines first: `count`, `first`, `last`, `example`, `levels` of the tick's lines. */
  templates: RunningTemplate[];
  /** Lines of templates not listed. */
  others: number;
  seenAt: string;
}

/**
 * A piece of a file that could not be classified (the core failed on it). It is reported and
 * passed over: the checkpoint moves past it, so a restart does not stumble on it again.
 */
export interface SkippedEvent {
  event: 'skipped';
  file: string;
  line: number;
  offset: number;
  bytes: number;
  code: string;
  reason: string;
  time: string;
}

export interface WatcherOptions {
  paths: string[];
  stateDir: string;
  classify: Classifier;
  rules?: WatchRule[];
  /** Read files found at start from their beginning (default: from their end). */
  fromStart?: boolean;
  pollMs?: number;
  /** Quiet time after which a held-back last entry is complete (default 200 ms). */
  idleMs?: number;
  checkpointSeconds?: number;
  /** How long a file that left the watch (renamed away, deleted) is still drained. */
  rotateGraceMs?: number;
  respond?: (firing: Firing) => Promise<ActionEvent[]>;
  circuits?: () => MetricsSnapshot['circuits'];
  onRecord?: (event: RecordEvent, record: LogRecord) => void;
  /** After the records of one tick were handed to onRecord (write them out in one go here). */
  onFlush?: () => void;
  /** After onFlush: the Unrecognised section of each file read in the tick that has one. */
  onUnrecognised?: (event: UnrecognisedEvent) => void;
  /** Least time between two ticks (default 20 ms): batches fast writers into fewer commits. */
  minTickGapMs?: number;
  onAction?: (event: ActionEvent) => void;
  onNote?: (message: string) => void;
  /** A piece that could not be classified and was passed over (default: a note). */
  onSkipped?: (event: SkippedEvent) => void;
  cwd?: string;
  /** Also follow the systemd journal (`journalctl -f`), from the checkpoint's cursor. */
  journal?: JournalQuery;
  /** journalctl ended on its own (the watch is blind to the journal from then on). */
  onJournalEnd?: (end: JournalEnd) => void;
}

/** The journal, followed like a file: its stream of JSON lines and their assembly. */
interface JournalTail {
  name: string;
  follower: JournalFollower;
  assembler: RecordAssembler;
  lastDataAt: number;
}

interface Tail {
  follower: Follower;
  assembler: RecordAssembler;
  lastDataAt: number;
  /** When the file stopped being found under any watched name. */
  goneSince?: number;
}

/** Template ids whose inferred type is remembered (the model's answers, a few MB at most). */
const TYPED_KEPT = 10_000;

/**
 * The most a file's saved Unrecognised tally may add to the checkpoint (base64 characters):
 * 1,000 distinct shapes of 120-byte lines take about 47 KB; a larger tally (thousands of
 * shapes of very long lines) is not saved, and its totals start over after a restart.
 */
const MAX_SAVED_TALLY = 1024 * 1024;

/** Records reported per checkpoint: about 40 KB of JSON events, within a pipe's buffer. */
const REPORT_SLICE = 128;
/** Bytes read from one file per tick before others get their turn. */
const TICK_BUDGET = 16 * 1024 * 1024;
/** Bytes read at a time: 1 MiB of short failure lines is at most some ten thousand records. */
const READ_STEP = 1024 * 1024;
/**
 * Records a tick gathers before it reports them (and reads on in the next tick): each is a
 * JavaScript object until reported, so a backlog of a million one-line failures is read a
 * few thousand at a time, not held at once.
 */
const TICK_RECORDS = 8192;

export class Watcher {
  readonly stateDir: string;
  #o: Required<Pick<WatcherOptions, 'pollMs' | 'idleMs' | 'rotateGraceMs'>> & WatcherOptions;
  #store: CheckpointStore;
  #discovery: Discovery;
  #rules: RuleEngine;
  #tails = new Map<string, Tail>();
  #journal?: JournalTail;
  #retired = new RetiredFiles();
  /** Files retired in this tick, whose Unrecognised lines are still to report. */
  #leaving: RecordAssembler[] = [];
  /** How files are assembled: their Unrecognised lines are kept only for a listener. */
  #assembly: AssemblerOptions;
  /** The model's answer per template id: each template is typed once. */
  #typed = new Map<string, NonNullable<UnrecognisedTemplate['inferred']>>();
  #buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  #unlock?: () => void;
  #checkpointMs: number;
  #lastSave = 0;
  #dirty = false;
  #timers: NodeJS.Timeout[] = [];
  #idleTimer?: NodeJS.Timeout;
  #scheduled = false;
  #lastTick = 0;
  #saveFailing = false;

  /**
   * Save the checkpoint; when the state dir refuses it (full, read-only), say so once and
   * carry on: the watch keeps reporting, and a restart may repeat what the last saved
   * checkpoint does not cover. Returns whether it was saved.
   */
  #saveOrNote(upTo?: Map<string, { offset: number; line: number }>): boolean {
    try {
      this.#save(upTo);
      this.#saveFailing = false;
      return true;
    } catch (err) {
      if (!this.#saveFailing) this.#note(`cannot write the checkpoint (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); still reporting, a restart may repeat records`);
      this.#saveFailing = true;
      return false;
    }
  }
  /** Identities the last discovery found (retired ones still on disk are kept longest). */
  #lastFound = new Set<string>();
  #discoverDue = true;
  #stopped = false;
  #actions: Promise<void> = Promise.resolve();
  #startedAt = Date.now();
  readonly recordsByType = new Map<string, number>();
  readonly actionsByResult = new Map<string, number>();
  bytesRead = 0;

  constructor(options: WatcherOptions) {
    this.#o = { pollMs: 250, idleMs: 200, rotateGraceMs: 10_000, ...options };
    this.stateDir = options.stateDir;
    this.#store = new CheckpointStore(options.stateDir);
    this.#discovery = new Discovery(options.paths, options.cwd);
    this.#rules = new RuleEngine(options.rules ?? []);
    this.#checkpointMs = (options.checkpointSeconds ?? 5) * 1000;
    this.#assembly = { tallyUnrecognised: options.onUnrecognised !== undefined };
  }

  get files(): { path: string; key: string; offset: number; committed: number; held: number }[] {
    return [...this.#tails.values()].map((t) => ({
      path: t.follower.path,
      key: t.follower.key,
      offset: t.follower.offset,
      committed: t.assembler.committedOffset,
      held: t.assembler.held,
    }));
  }

  get ruleWindows() {
    return this.#rules.pending();
  }

  /** Take the state dir, load the checkpoint, open the files, start following. */
  start(): void {
    this.#unlock = lockStateDir(this.stateDir);
    try {
      const cp = this.#store.load((m) => this.#note(m));
      this.#rules.importState(cp?.rules);
      for (const r of cp?.retired ?? []) this.#retired.set(identityKey(r), r);
      const known = new Map<string, FileCheckpoint>();
      for (const f of cp?.files ?? []) known.set(identityKey(f), f);
      const found = this.#discovery.scan();
      const foundKeys = new Set(found.map((f) => f.key));
      this.#lastFound = foundKeys;
      for (const f of found) this.#open(f, { cp, known });
      // Files checkpointed but not found under a watched name: rotated away while stopped.
      for (const [key, f] of known) if (!foundKeys.has(key) && !this.#tails.has(key)) this.#resumeRotatedAway(f);
      this.#discovery.onChange((event) => {
        // Content changes only need a read; names that come and go need a new look.
        if (event === 'rename') this.#discoverDue = true;
        this.#request();
      });
      this.#discovery.scan(); // now with directory watches
      if (this.#o.journal) this.#followJournal(this.#o.journal, cp?.journal);
      this.#saveOrNote();
    } catch (err) {
      for (const t of this.#tails.values()) t.follower.close();
      this.#tails.clear();
      this.#journal?.follower.stop();
      this.#discovery.close();
      this.#release();
      throw err;
    }
    this.#timers.push(
      setInterval(() => {
        this.#discoverDue = true;
        this.#request();
      }, this.#o.pollMs),
    );
    this.#request();
  }

  /** Start journalctl after the checkpoint's cursor (first run: after the newest entry). */
  #followJournal(q: JournalQuery, cp: JournalCheckpoint | undefined): void {
    const cursor = cp?.cursor ?? (this.#o.fromStart ? undefined : lastCursor(q));
    const name = journalName(q);
    const start = { offset: cp?.offset ?? 0, line: cp?.line ?? 1, tally: this.#restoredTally(name, cp?.unrecognised) };
    const follower = new JournalFollower(q, { cursor, fromStart: this.#o.fromStart }, start.offset, () => this.#request(), (end) => this.#o.onJournalEnd?.(end));
    this.#journal = { name, follower, assembler: new RecordAssembler(() => name, this.#classifyOrSkip, start, this.#assembly), lastDataAt: Date.now() };
  }

  /** New rules and checkpoint interval (config reload); open windows of kept rules stay. */
  reload(rules: WatchRule[], checkpointSeconds?: number): void {
    this.#rules.setRules(rules);
    if (checkpointSeconds !== undefined) this.#checkpointMs = checkpointSeconds * 1000;
    this.#dirty = true;
  }

  /** Stop reading, let running actions finish, write the checkpoint, release the state dir. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#discovery.close();
    this.#journal?.follower.stop();
    await this.#actions;
    try {
      if (this.#saveOrNote()) this.#store.syncDir();
    } finally {
      for (const t of this.#tails.values()) t.follower.close();
      this.#release();
    }
  }

  /** Resolves when the actions started so far are done (tests, benchmarks). */
  settled(): Promise<void> {
    return this.#actions;
  }

  snapshot(): MetricsSnapshot {
    const behind = new Map<string, number>();
    for (const t of this.#tails.values()) {
      behind.set(t.follower.path, Math.max(0, t.follower.currentSize() - t.follower.offset));
    }
    return {
      recordsByType: this.recordsByType,
      actionsByResult: this.actionsByResult,
      behind,
      bytesRead: this.bytesRead,
      files: this.#tails.size,
      circuits: this.#o.circuits?.() ?? [],
      checkpointSaves: this.#store.saves,
      startedAt: this.#startedAt,
    };
  }

  #release(): void {
    this.#unlock?.();
    this.#unlock = undefined;
  }

  #note(message: string): void {
    this.#o.onNote?.(message);
  }

  #request(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      if (this.#stopped) return;
      this.#lastTick = Date.now();
      try {
        this.#tick();
      } catch (err) {
        this.#note(`watch error: ${(err as Error).message}`);
      }
    };
    // A floor between ticks: a busy file is read in larger pieces with fewer checkpoints.
    const wait = this.#lastTick + (this.#o.minTickGapMs ?? 20) - Date.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  /** Open a found file and decide where to start reading it. */
  #open(found: Found, startup?: { cp: CheckpointData | undefined; known: Map<string, FileCheckpoint> }): void {
    const retired = this.#retired.get(found.key);
    if (retired?.ignore) return;
    let f: Follower | undefined;
    try {
      f = Follower.open(found.path, found.key);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ECHANGED: replaced between discovery and open (a rotation, or a symlink swapped in):
      // the next discovery sees what is there now.
      if (code === 'ECHANGED') this.#noteOnce(`changed:${found.key}`, `${found.path} changed between discovery and open; looking again`);
      else if (code !== 'ENOENT') this.#noteOnce(`open:${found.key}`, `cannot read ${found.path} (${code ?? err}); retrying`);
      return;
    }
    if (!f) {
      this.#ignore(found, 'not a plain uncompressed file');
      return;
    }
    const existing = this.#tails.get(f.key);
    if (existing) {
      existing.follower.path = found.path;
      existing.goneSince = undefined;
      f.close();
      return;
    }
    const known = startup?.known.get(f.key) ?? retired;
    if (known) {
      // Resume where it was; poll() then notices truncation or replacement (inode reuse).
      this.#retired.delete(f.key);
      f.seek(known.offset);
      f.head = { len: known.headLen, hash: known.headHash };
      f.size = -1;
      this.#addTail(f, known.offset, known.line, known.unrecognised);
      return;
    }
    const copyOf = this.#copyOf(f, startup?.known);
    if (copyOf) {
      this.#ignore({ ...found, key: f.key }, `a copy of ${copyOf} (copytruncate rotation)`, f);
      f.close();
      return;
    }
    let fromZero: boolean;
    if (!startup) fromZero = true; // appeared while watching
    else if (this.#o.fromStart) fromZero = true;
    else if (!startup.cp) fromZero = false; // first run: existing files start at their end
    else {
      // Not in the checkpoint: appeared while the watch was stopped, or newly named.
      const savedAt = Date.parse(startup.cp.savedAt);
      const pathWasKnown = startup.cp.files.some((c) => c.path === found.path) || startup.cp.retired.some((c) => c.path === found.path);
      fromZero = pathWasKnown || (found.birthtimeMs > 0 && found.birthtimeMs >= savedAt);
    }
    if (fromZero) {
      f.seek(0);
      this.#addTail(f, 0, 1);
    } else {
      const at = f.lineBoundaryBefore(f.size);
      const line = f.countLines(at) + 1;
      f.seek(at);
      this.#addTail(f, at, line);
    }
  }

  /** Follow `f` from `offset` (line `line`); `savedTally`: its checkpoint's, when it resumes. */
  #addTail(f: Follower, offset: number, line: number, savedTally?: unknown): void {
    const tally = this.#restoredTally(f.path, savedTally);
    const tail: Tail = {
      follower: f,
      assembler: new RecordAssembler(() => tail.follower.path, this.#classifyOrSkip, { offset, line, tally }, this.#assembly),
      lastDataAt: Date.now(),
    };
    this.#tails.set(f.key, tail);
    this.#dirty = true;
  }

  /**
   * The Unrecognised tally a checkpoint saved for `name`, restored; none when none was saved
   * or the watch keeps none. One that does not restore is noted and the totals start over:
   * a damaged tally never stops the watch or costs its place in the file.
   */
  #restoredTally(name: string, saved: unknown): ReturnType<typeof restoreTally> | undefined {
    if (saved === undefined || !this.#assembly.tallyUnrecognised) return undefined;
    try {
      return restoreTally(saved);
    } catch (err) {
      this.#note(`${name}: the checkpoint's Unrecognised tally cannot be restored (${fromNative(err).message}); its totals since the watch began start over`);
      return undefined;
    }
  }

  /**
   * Classify a piece of a file; when the core fails on it, report it and hand back no
   * records, so the assembler commits past it as if it had none: one bad piece never stops
   * the watch, and never makes a restart fail on the same bytes again.
   */
  #classifyOrSkip: Classifier = (buf: Buffer, meta: RecordMeta) => {
    try {
      return this.#o.classify(buf, meta);
    } catch (err) {
      const e = fromNative(err);
      const event: SkippedEvent = {
        event: 'skipped',
        file: meta.file,
        line: meta.firstLine,
        offset: meta.baseOffset,
        bytes: buf.length,
        code: e.code,
        reason: e.message,
        time: new Date().toISOString(),
      };
      this.#dirty = true; // commit the position past it at once
      if (this.#o.onSkipped) this.#o.onSkipped(event);
      else this.#note(`${meta.file}:${meta.firstLine}: ${buf.length} bytes passed over, they could not be classified (${e.code}: ${e.message})`);
      return [];
    }
  };

  #noted = new Set<string>();
  #noteOnce(key: string, message: string): void {
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.#note(message);
  }

  /** Remember an identity never to follow (compressed, not a file, a copy of one we follow). */
  #ignore(found: Found, why: string, f?: Follower): void {
    this.#retired.ignore(found, f?.head);
    this.#noteOnce(`ignore:${found.key}`, `not following ${found.path}: ${why}`);
    this.#dirty = true;
  }

  /** The path of a followed (or checkpointed) file whose first KiB `f` repeats, if any. */
  #copyOf(f: Follower, known?: Map<string, FileCheckpoint>): string | undefined {
    const heads: { path: string; head: Head }[] = [...this.#tails.values()].map((t) => ({ path: t.follower.path, head: t.follower.head }));
    for (const k of known?.values() ?? []) heads.push({ path: k.path, head: { len: k.headLen, hash: k.headHash } });
    return copyOf(f, heads);
  }

  /** A checkpointed file not found at start: look for it by identity next to where it was. */
  #resumeRotatedAway(cp: FileCheckpoint): void {
    const key = identityKey(cp);
    const moved = findRotatedAway(cp);
    if (!moved) {
      this.#retired.retire(key, cp);
      this.#note(`${cp.path} was rotated away or deleted while stopped and is not found; lines written to it after the checkpoint could not be read`);
      return;
    }
    this.#addTail(moved.follower, cp.offset, cp.line, cp.unrecognised);
    const tail = this.#tails.get(key)!;
    tail.follower.path = cp.path; // report under the name it was followed as
    tail.goneSince = Date.now();
    // Still under its own name: not rotated, only no longer among the paths this watch was given.
    if (moved.name === cp.path) this.#note(`${cp.path} was followed by the last watch in this state dir and is not named now; reading the rest of it`);
    else this.#note(`${cp.path} was rotated to ${basename(moved.name)} while stopped; reading the rest of it`);
  }

  /** Copytruncate: the bytes we had not read yet are in the copy; find it by its head. */
  #readFromCopy(tail: Tail, out: LogRecord[]): void {
    const found = findCopy(tail.follower);
    if (!found) return;
    const copy = found.follower;
    try {
      let n: number;
      while ((n = copy.read(this.#buf, 0, this.#buf.length)) > 0) {
        append(out, tail.assembler.push(this.#buf.subarray(0, n)));
        this.bytesRead += n;
      }
      if (!this.#retired.has(copy.key)) {
        this.#ignore({ path: found.path, key: copy.key, size: copy.size, birthtimeMs: 0 }, `a copy of ${tail.follower.path} (copytruncate rotation)`, copy);
      }
    } finally {
      copy.close();
    }
  }

  #discover(now: number): void {
    this.#discoverDue = false;
    const found = this.#discovery.scan();
    const keys = new Set<string>();
    this.#lastFound = keys;
    for (const f of found) {
      keys.add(f.key);
      const tail = this.#tails.get(f.key);
      if (tail) {
        tail.follower.path = f.path;
        tail.goneSince = undefined;
      } else if (!this.#retired.get(f.key)?.ignore) {
        this.#open(f);
      }
    }
    for (const t of this.#tails.values()) if (!keys.has(t.follower.key) && t.goneSince === undefined) t.goneSince = now;
  }

  #tick(): void {
    const now = Date.now();
    if (this.#discoverDue) this.#discover(now);
    const records: LogRecord[] = [];
    let more = false;
    for (const tail of [...this.#tails.values()]) {
      const unread = this.#readTail(tail, records, now);
      if (unread) more = true;
      if (tail.assembler.holdsCompleteLines && now - tail.lastDataAt >= this.#o.idleMs) append(records, tail.assembler.flushComplete());
      if (tail.goneSince !== undefined && now - tail.goneSince >= this.#o.rotateGraceMs && !unread) this.#retire(tail, records);
    }
    const j = this.#journal;
    if (j) {
      const data = j.follower.take();
      if (data.length > 0) {
        this.bytesRead += data.length;
        j.lastDataAt = now;
        append(records, j.assembler.push(data));
      }
      if (j.assembler.holdsCompleteLines && now - j.lastDataAt >= this.#o.idleMs) append(records, j.assembler.flushComplete());
    }
    const firings: Firing[] = [];
    for (const r of records) firings.push(...this.#rules.observe(r, now));
    let saved = records.length > 0 || firings.length > 0 || this.#dirty || now - this.#lastSave >= this.#checkpointMs;
    if (saved) this.#rules.expire(now);
    // Reported only after the checkpoint that covers them is on disk, one slice at a time:
    // each checkpoint stops at the first record of the slices still to come, so a kill -9
    // while a slow reader blocks the write loses at most one slice, not the whole tick.
    const seenAt = new Date(now).toISOString();
    const unreported = unreportedFrom(records);
    // At least one pass, so a tick without records still saves when it is due.
    let from = 0;
    do {
      const slice = records.slice(from, from + REPORT_SLICE);
      if (saved) {
        // A full disk is exactly when records matter most: report them anyway (a restart may
        // then repeat some) rather than lose them.
        saved = this.#saveOrNote(unreported[from / REPORT_SLICE + 1]);
      }
      for (const r of slice) {
        this.recordsByType.set(r.type, (this.recordsByType.get(r.type) ?? 0) + 1);
        this.#o.onRecord?.(toEvent(r, seenAt), r);
      }
      if (slice.length > 0) this.#o.onFlush?.();
      from += REPORT_SLICE;
    } while (from < records.length);
    this.#reportUnrecognised(seenAt);
    if (saved) {
      try {
        this.#store.syncDir();
      } catch {
        // The rename is done; only its durability across a power cut is in doubt.
      }
    }
    for (const f of firings) this.#enqueue(f);
    if (more) this.#request();
    this.#armIdle(now);
  }

  /** Hand on each file's Unrecognised section of the tick, typed by the model. */
  #reportUnrecognised(seenAt: string): void {
    const assemblers = [...[...this.#tails.values()].map((t) => t.assembler), ...this.#leaving.splice(0)];
    if (this.#journal) assemblers.push(this.#journal.assembler);
    if (!this.#o.onUnrecognised) return;
    const sections: UnrecognisedSince[] = [];
    for (const a of assemblers) {
      try {
        const section = a.takeUnrecognised();
        if (section) sections.push(section);
      } catch (err) {
        this.#noteOnce('unrecognised', `cannot group unrecognised lines (${fromNative(err).message})`);
      }
    }
    if (sections.length === 0) return;
    this.#typeOnce(sections.flatMap((u) => u.templates));
    for (const u of sections) this.#o.onUnrecognised({ event: 'unrecognised', ...u, seenAt });
  }

  /** Type templates by the model, each id once (by the example it was first seen with). */
  #typeOnce(templates: RunningTemplate[]): void {
    const untyped = new Map<string, string>();
    for (const t of templates) if (!this.#typed.has(t.id) && !untyped.has(t.id)) untyped.set(t.id, t.example);
    if (untyped.size > 0) {
      try {
        const answers = inferTypes([...untyped.values()]);
        if (this.#typed.size + untyped.size > TYPED_KEPT) this.#typed.clear();
        [...untyped.keys()].forEach((id, i) => this.#typed.set(id, groupAnswer(answers[i])));
      } catch (err) {
        this.#noteOnce('infer', `the learned model could not type unrecognised lines (${(err as Error).message})`);
      }
    }
    for (const t of templates) {
      const answer = this.#typed.get(t.id);
      if (answer) t.inferred = { ...answer };
    }
  }

  /** Read what is new in one file; true when its budget (bytes or records) ran out with more to read. */
  #readTail(tail: Tail, out: LogRecord[], now: number): boolean {
    const f = tail.follower;
    let state;
    try {
      state = f.poll();
    } catch {
      return false;
    }
    if (state === 'truncated' || state === 'replaced') {
      this.#readFromCopy(tail, out);
      append(out, tail.assembler.flushAll());
      this.#note(`${f.path} was ${state === 'truncated' ? 'truncated' : 'replaced in place'}; reading it again from the start`);
      f.seek(0);
      tail.assembler.reset(0, 1);
      this.#dirty = true;
    }
    let budget = TICK_BUDGET;
    while (budget > 0 && out.length < TICK_RECORDS) {
      const n = f.read(this.#buf, 0, Math.min(READ_STEP, budget));
      if (n === 0) return false;
      this.bytesRead += n;
      budget -= n;
      tail.lastDataAt = now;
      append(out, tail.assembler.push(this.#buf.subarray(0, n)));
    }
    return true;
  }

  /** A file gone for longer than the grace time: report all it held, close, remember it. */
  #retire(tail: Tail, out: LogRecord[]): void {
    append(out, tail.assembler.flushAll());
    this.#leaving.push(tail.assembler);
    const f = tail.follower;
    f.close();
    this.#tails.delete(f.key);
    this.#retired.retire(f.key, this.#entry(tail));
    this.#dirty = true;
  }

  #entry(t: Tail, upTo?: Map<string, { offset: number; line: number }>): FileCheckpoint {
    const f = t.follower;
    const until = upTo?.get(f.path);
    return {
      path: f.path,
      dev: String(f.dev),
      ino: String(f.ino),
      size: Math.max(0, f.size),
      offset: until?.offset ?? t.assembler.committedOffset,
      line: until?.line ?? t.assembler.committedLine,
      headLen: f.head.len,
      headHash: f.head.hash,
      ...this.#savedTally(t.assembler, f.path),
    };
  }

  /**
   * The `unrecognised` field of a checkpoint entry: the assembler's tally, unless it is past
   * MAX_SAVED_TALLY. It covers every line read, also when the entry stops short of them (a
   * tick reported in slices): a kill between two slices may count those lines twice.
   */
  #savedTally(a: RecordAssembler, name: string): { unrecognised?: string } {
    let saved: string | undefined;
    try {
      saved = a.savedTally();
    } catch (err) {
      this.#noteOnce(`tally:${name}`, `cannot save the Unrecognised tally of ${name} (${fromNative(err).message}); its totals will start over after a restart`);
      return {};
    }
    if (saved === undefined) return {};
    if (saved.length > MAX_SAVED_TALLY) {
      this.#noteOnce(`tally:${name}`, `the Unrecognised tally of ${name} is ${(saved.length / 1024 / 1024).toFixed(1)} MiB, more than a checkpoint keeps (1 MiB); its totals will start over after a restart`);
      return {};
    }
    return { unrecognised: saved };
  }

  /** The journal's position: the cursor of the last entry handed on (or of `upTo`'s). */
  #journalEntry(j: JournalTail, upTo?: Map<string, { offset: number; line: number }>): JournalCheckpoint {
    const until = upTo?.get(j.name);
    const offset = until?.offset ?? j.assembler.committedOffset;
    const cursor = j.follower.cursorAt(offset);
    return { ...(cursor !== undefined ? { cursor } : {}), offset, line: until?.line ?? j.assembler.committedLine, ...this.#savedTally(j.assembler, j.name) };
  }

  /** Write the checkpoint; `upTo`: per path, a position short of what was read (see tick). */
  #save(upTo?: Map<string, { offset: number; line: number }>): void {
    this.#retired.prune(this.#lastFound);
    const journal = this.#journal ? this.#journalEntry(this.#journal, upTo) : undefined;
    this.#store.save({
      version: 1,
      savedAt: new Date().toISOString(),
      files: [...this.#tails.values()].map((t) => this.#entry(t, upTo)),
      retired: this.#retired.values(),
      rules: this.#rules.exportState(),
      ...(journal ? { journal } : {}),
    });
    if (journal) this.#journal!.follower.prune(journal.offset);
    this.#lastSave = Date.now();
    this.#dirty = false;
  }

  #enqueue(firing: Firing): void {
    const respond = this.#o.respond;
    if (!respond) return;
    this.#actions = this.#actions.then(async () => {
      let events: ActionEvent[];
      try {
        events = await respond(firing);
      } catch (err) {
        events = [];
        this.#note(`recovery failed: ${(err as Error).message}`);
      }
      for (const e of events) {
        this.actionsByResult.set(e.result, (this.actionsByResult.get(e.result) ?? 0) + 1);
        this.#o.onAction?.(e);
      }
    });
  }

  /** Wake up when a held-back entry becomes complete by idleness. */
  #armIdle(now: number): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    let due = Infinity;
    for (const t of this.#tails.values()) if (t.assembler.holdsCompleteLines) due = Math.min(due, t.lastDataAt + this.#o.idleMs);
    const j = this.#journal;
    if (j?.assembler.holdsCompleteLines) due = Math.min(due, j.lastDataAt + this.#o.idleMs);
    if (due === Infinity) return;
    this.#idleTimer = setTimeout(() => this.#request(), Math.max(0, due - now) + 1);
  }
}

/** Appends `items` to `to` one by one: a spread of some hundred thousand arguments overflows the stack. */
function append<T>(to: T[], items: T[]): void {
  for (const item of items) to.push(item);
}

/**
 * For each slice of REPORT_SLICE records after the first (index k: the slice starting at
 * record k * REPORT_SLICE), where each followed file's first record from that slice on
 * starts: what a checkpoint taken before the slice may claim as read. One walk from the end.
 */
function unreportedFrom(records: LogRecord[]): Map<string, { offset: number; line: number }>[] {
  const bySlice: Map<string, { offset: number; line: number }>[] = [];
  const first = new Map<string, { offset: number; line: number }>();
  for (let i = records.length - 1; i >= REPORT_SLICE; i--) {
    const r = records[i];
    first.set(r.file, { offset: r.offset, line: r.line });
    if (i % REPORT_SLICE === 0) bySlice[i / REPORT_SLICE] = new Map(first);
  }
  return bySlice;
}

function toEvent(r: LogRecord, seenAt: string): RecordEvent {
  return {
    event: 'record',
    type: r.type,
    file: r.file,
    line: r.line,
    endLine: r.endLine,
    time: r.time ?? seenAt,
    seenAt,
    message: r.message,
    patternId: r.patternId,
    offset: r.offset,
    ...(r.level !== undefined ? { level: r.level } : {}),
    ...(r.exception !== undefined ? { exception: r.exception } : {}),
  };
}
