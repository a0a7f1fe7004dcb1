// From appended bytes to records, one file at a time. Holds back what may still change: a
// partial last line (until its newline arrives) and the last entry (until the next entry
// starts or the file goes idle), so a traceback written in pieces is classified whole.

import type { LogRecord } from '../diagnosis/types.js';

export interface RecordMeta {
  file: string;
  /** 1-based line number of the buffer's first line. */
  firstLine: number;
  /** File offset of the buffer's first byte. */
  baseOffset: number;
}

/** Records in a buffer of complete lines (the diagnosis layer's `recordsInBuffer`). */
export type Classifier = (buf: Buffer, meta: RecordMeta) => LogRecord[];

const NL = 0x0a;
/** How far back (bytes) to look for the start of the last entry before giving up. */
const MAX_SCAN_BACK = 64 * 1024;

/**
 * Whether a line starts a new log entry: a timestamp, a syslog prefix, or a level word at the
 * start. Lines that fail this (stack frames, `Traceback …`, `RuntimeError: …`, `Caused by:`)
 * continue the entry above them. Logs without any such line are not held back at all.
 */
const ENTRY_START = new RegExp(
  [
    String.raw`^\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T _]?\d{1,2}:\d{2}`, // 2024-01-31 12:00, 2024/01/31T..
    String.raw`^\[?\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}[ T:]\d{1,2}:\d{2}`, // 31/01/2024 12:00, 01-31 12:00:00
    String.raw`^\[?\d{1,2}[-/.]\d{1,2} \d{1,2}:\d{2}:\d{2}`, // Android 03-17 16:13:38
    String.raw`^\[?\d{6} \d{6}`, // HDFS 081109 203615
    String.raw`^\[?\d{1,2}:\d{2}:\d{2}`, // 12:00:01
    String.raw`^\[?(?:[A-Z][a-z]{2} ){1,2}[ \d]?\d \d{2}:\d{2}:\d{2}`, // syslog Jan  1 09:00:55, [Sun Dec 04 04:47:44
    String.raw`^\[?\d{10}(?:[.,]\d+)?\]?\s`, // epoch seconds
    String.raw`^[IWEFD]\d{4} \d{2}:\d{2}:\d{2}`, // glog I0131 12:00:00
    String.raw`^\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRITICAL|CRIT|FATAL|SEVERE|ALERT|EMERG)\b`,
  ].join('|'),
);

export function isEntryStart(buf: Buffer, start: number, end: number): boolean {
  if (end <= start) return false;
  const c = buf[start];
  if (c === 0x20 || c === 0x09) return false;
  return ENTRY_START.test(buf.toString('latin1', start, Math.min(end, start + 48)));
}

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
  /** The longest entry held back waiting for continuation lines (default 1 MiB). */
  maxHoldBytes?: number;
  /** A partial line longer than this is cut and handed on (default 16 MiB). */
  maxLineBytes?: number;
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

  constructor(file: () => string, classify: Classifier, start: { offset: number; line: number }, options: AssemblerOptions = {}) {
    this.#file = file;
    this.#classify = classify;
    this.committedOffset = start.offset;
    this.committedLine = start.line;
    this.#maxHold = options.maxHoldBytes ?? 1024 * 1024;
    this.#maxLine = options.maxLineBytes ?? 16 * 1024 * 1024;
  }

  /** Bytes read but not yet classified. */
  get held(): number {
    return this.#carry.length;
  }

  /** Whether complete lines are held (an idle flush would classify something). */
  get holdsCompleteLines(): boolean {
    return this.#carry.indexOf(NL) !== -1;
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
    let cut = lastEntryStart(buf, end);
    if (cut === -1 || end - cut > this.#maxHold) cut = end;
    return this.#emit(buf, cut);
  }

  /** After the file went quiet: the held entry is complete; a partial line stays held. */
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
    const records = this.#classify(part, { file: this.#file(), firstLine: this.committedLine, baseOffset: this.committedOffset });
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

/** Start of the last entry-start line in buf[0, end), or -1 when none is near the end. */
function lastEntryStart(buf: Buffer, end: number): number {
  let lineEnd = end - 1; // index of the newline closing the line under test
  while (lineEnd >= 0) {
    const start = lineEnd === 0 ? 0 : buf.lastIndexOf(NL, lineEnd - 1) + 1;
    if (isEntryStart(buf, start, lineEnd)) return start;
    if (start === 0 || end - start > MAX_SCAN_BACK) return -1;
    lineEnd = start - 1;
  }
  return -1;
}
