// From appended bytes to records, one file at a time. Holds back what may still change: a
// partial last line (until its newline arrives) and the last record (until the next record
// starts or the file goes idle), so a traceback written in pieces is classified whole. Where
// a record starts is the core's rule (`lastRecordStart`), the one `analyze` groups by.

import { analyzerFromConfig } from '../config/analyzer.js';
import type { LogmedicConfig } from '../config/types.js';
import { unrecognisedOf } from '../diagnosis/analyzer.js';
import type { LogRecord, UnrecognisedTemplate } from '../diagnosis/types.js';
import { native } from '../native.js';

export interface RecordMeta {
  file: string;
  /** 1-based line number of the buffer's first line. */
  firstLine: number;
  /** File offset of the buffer's first byte. */
  baseOffset: number;
  /**
   * The file's running Unrecognised lines: a classifier that finds them (the diagnosis
   * layer's `sliceOfBuffer`) adds the buffer's here, where the core merges them by template.
   */
  tally?: UnrecognisedTally;
}

type UnrecognisedTally = InstanceType<typeof native.UnrecognisedTally>;

/**
 * A file's tally as a checkpoint saved it (`RecordAssembler.savedTally`). Throws, saying why,
 * when it does not restore: damaged, cut short, of another format version, not a string.
 */
export function restoreTally(saved: unknown): UnrecognisedTally {
  if (typeof saved !== 'string') throw new Error('not a string');
  return native.UnrecognisedTally.restore(Buffer.from(saved, 'base64'));
}

/** Records in a buffer of complete lines (the diagnosis layer's `recordsInBuffer` or `sliceOfBuffer`). */
export type Classifier = (buf: Buffer, meta: RecordMeta) => LogRecord[] | Classified;

export interface Classified {
  records: LogRecord[];
}

/** A template of a file's Unrecognised lines since the last report, with its running count. */
export type RunningTemplate = UnrecognisedTemplate & {
  /** Its lines since the watch started reading the file (`count`: since the last report). */
  total: number;
};

/** A file's Unrecognised lines since the last report, one entry per template. */
export interface UnrecognisedSince {
  file: string;
  lines: number;
  /** Most lines first. */
  templates: RunningTemplate[];
  others: number;
}

/**
 * The classifier a watch runs: the records `analyze` finds in the same bytes, by the analyzer
 * every command builds from the config (its catalog additions and actionMap included).
 */
export function classifierFor(config: LogmedicConfig): Classifier {
  const analyzer = analyzerFromConfig(config);
  return (buf, meta) => analyzer.sliceOfBuffer(buf, meta);
}

const NL = 0x0a;

export function countNewlines(buf: Buffer, start = 0, end = buf.length): number {
  let n = 0;
  let i = buf.indexOf(NL, start);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(NL, i + 1);
  }
  return n;
}

export interface AssemblerOptions {
  /** The longest record held back waiting for continuation lines (default 1 MiB). */
  maxHoldBytes?: number;
  /** A partial line longer than this is cut and handed on (default 16 MiB). */
  maxLineBytes?: number;
  /** Keep the file's Unrecognised lines for `takeUnrecognised` (default: no). */
  tallyUnrecognised?: boolean;
}

/** Where an assembler starts: a byte and its line number, and the tally of the lines before. */
export interface AssemblyStart {
  offset: number;
  line: number;
  /** With `tallyUnrecognised`: the tally to go on from (`restoreTally`); else a fresh one. */
  tally?: UnrecognisedTally;
}

/**
 * One file's assembly state. `committedOffset`/`committedLine` name the first byte and line
 * not yet handed to the classifier: that is what a checkpoint stores, so a restart re-reads
 * exactly what was held back and nothing that was already reported.
 */
export class RecordAssembler {
  committedOffset: number;
  committedLine: number;
  #carry: Buffer = Buffer.alloc(0);
  #classify: Classifier;
  #file: () => string;
  #maxHold: number;
  #maxLine: number;
  #tally?: UnrecognisedTally;
  /** The tally's last saved form, and its line count then (unchanged count: same bytes). */
  #saved?: { lines: number; base64: string };

  constructor(file: () => string, classify: Classifier, start: AssemblyStart, options: AssemblerOptions = {}) {
    this.#file = file;
    this.#classify = classify;
    this.committedOffset = start.offset;
    this.committedLine = start.line;
    this.#maxHold = options.maxHoldBytes ?? 1024 * 1024;
    this.#maxLine = options.maxLineBytes ?? 16 * 1024 * 1024;
    if (options.tallyUnrecognised) this.#tally = start.tally ?? new native.UnrecognisedTally();
  }

  /**
   * The tally of the Unrecognised lines classified so far, for a checkpoint (base64); none
   * when no line was. Lines not yet taken are saved as reported: the checkpoint is written
   * before the tick's report, and a restore must not report them a second time.
   */
  savedTally(): string | undefined {
    const tally = this.#tally;
    if (!tally || tally.lines === 0) return undefined;
    if (this.#saved?.lines !== tally.lines) this.#saved = { lines: tally.lines, base64: tally.save().toString('base64') };
    return this.#saved.base64;
  }

  /** Bytes read but not yet classified. */
  get held(): number {
    return this.#carry.length;
  }

  /** Whether complete lines are held (an idle flush would classify something). */
  get holdsCompleteLines(): boolean {
    return this.#carry.indexOf(NL) !== -1;
  }

  /**
   * The Unrecognised lines of the pieces classified since the last call, merged by template
   * in the core over every line of the file seen so far; none when there were none.
   */
  takeUnrecognised(): UnrecognisedSince | undefined {
    const taken = this.#tally?.take();
    if (!taken) return undefined;
    const file = this.#file();
    const listed = unrecognisedOf({ lines: taken.lines, others: taken.others, templates: taken.templates.map((t) => t.mined) }, () => file);
    return { file, ...listed, templates: listed.templates.map((t, i) => ({ ...t, total: taken.templates[i].total })) };
  }

  /** Start over at `offset` (truncation, replacement). Anything held is dropped: flush first. */
  reset(offset: number, line: number): void {
    this.#carry = Buffer.alloc(0);
    this.committedOffset = offset;
    this.committedLine = line;
  }

  /** Take the bytes appended after what is held; returns the records now complete. */
  push(data: Buffer): LogRecord[] {
    if (data.length === 0) return [];
    const buf = this.#carry.length === 0 ? data : Buffer.concat([this.#carry, data]);
    const end = buf.lastIndexOf(NL) + 1;
    if (end === 0) {
      if (buf.length > this.#maxLine) return this.#emit(buf, buf.length);
      this.#keep(buf, 0);
      return [];
    }
    // Everything before the last record's start is final; a log without headers near the
    // end, or a record longer than the hold limit, is handed on whole.
    const start = native.lastRecordStart(buf);
    const cut = start == null || end - start > this.#maxHold ? end : start;
    return this.#emit(buf, cut);
  }

  /** After the file went quiet: the held record is complete; a partial line stays held. */
  flushComplete(): LogRecord[] {
    const end = this.#carry.lastIndexOf(NL) + 1;
    return end === 0 ? [] : this.#emit(this.#carry, end);
  }

  /** The file is finished (rotated away, truncated, deleted): everything, partial line too. */
  flushAll(): LogRecord[] {
    return this.#carry.length === 0 ? [] : this.#emit(this.#carry, this.#carry.length, true);
  }

  /** `finished`: a partial line at the cut is the file's last (else it goes on in the next piece). */
  #emit(buf: Buffer, cut: number, finished = false): LogRecord[] {
    if (cut === 0) {
      this.#keep(buf, 0);
      return [];
    }
    const part = buf.subarray(0, cut);
    const classified = this.#classify(part, { file: this.#file(), firstLine: this.committedLine, baseOffset: this.committedOffset, tally: this.#tally });
    const records = Array.isArray(classified) ? classified : classified.records;
    let lines = countNewlines(part);
    // A giant line handed on in pieces keeps its number: only the file's end ends it.
    if (finished && part[part.length - 1] !== NL) lines++;
    this.committedLine += lines;
    this.committedOffset += cut;
    this.#keep(buf, cut);
    return records;
  }

  #keep(buf: Buffer, from: number): void {
    // Copy: `buf` may be a view of a read buffer that is about to be reused.
    this.#carry = from >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(from));
  }
}
