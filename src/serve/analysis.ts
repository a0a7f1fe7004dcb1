// Analyses the server keeps for the browser: the diagnosis of a log (LogAnalyzer, as
// `analyze` computes it), its records for paging, and its recovery plan (planRecovery, as
// `recover --dry-run` shows it). The diagnosis' pass keeps the first EARLY_RECORDS of each
// type, which hold the first pages of records, so those are there as soon as the summary
// is; the rest are read by a second pass meanwhile. The browser gets summaries and pages,
// never the whole log.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { LogmedicConfig } from '../config/types.js';
import type { Diagnosis, LogRecord } from '../diagnosis/types.js';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
import { inferUnrecognised } from '../diagnosis/inferred.js';
import { applyRecoveryActions, planRecovery, type RecoveryPlan, type StepReport } from '../recovery/index.js';
import type { Bars, ProgressEvent } from './view-types.js';

/**
 * Analyses kept at once; the oldest is dropped first. Each holds up to 10,000 records per
 * type with their text, so a few big logs already weigh hundreds of MB.
 */
const KEEP = 3;
/** Records per type kept for paging (the rest are counted in the diagnosis only). */
const MAX_RECORDS_PER_TYPE = 10_000;
/** Records per type a diagnosis carries, as `analyze` keeps them (LogAnalyzer's default maxSamples). */
const SUMMARY_SAMPLES = 5;
/**
 * Records per type kept by the diagnosis' own pass: at least a page of the largest size
 * (the server's limit is 200), so any first page is whole before the second pass ends.
 * Costs next to nothing over 5; keeping 10,000 per type there doubles the pass' CPU time.
 */
export const EARLY_RECORDS = 200;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Bytes read around a record for its context lines. */
const CONTEXT_BYTES = 4096;

export interface Analysis {
  id: string;
  /** The log as the browser named it (a listed path, or `upload:<name>`). */
  name: string;
  key: string;
  diagnosis: Diagnosis;
  /**
   * The records known so far, in line order, for paging: a prefix of all of them (the same
   * records at the same indexes), all of them once `complete`.
   */
  records: LogRecord[];
  /** Whether `records` holds all the records kept for paging (MAX_RECORDS_PER_TYPE per type). */
  complete: boolean;
  /** All the records kept for paging, once the second pass has read them. */
  allRecords: Promise<LogRecord[]>;
  plan: RecoveryPlan;
  /** What the plan's steps would meet now (policy included), as `recover --dry-run` prints. */
  preview: StepReport[];
  /** Steps carried out from the browser, by index into plan.steps. */
  done: Map<number, StepReport & { approvedBy: string }>;
  /** Where context lines can be read (undefined for an upload, deleted after analysis). */
  readable?: string;
}

/** Bytes of the log read so far by a pass (the diagnosis', then the records'), and its size (-1 when unknown). */
export type OnProgress = (progress: Omit<ProgressEvent, 'name'>) => void;

export interface RecordFilter {
  type?: string;
  /** ISO minute bounds, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  file?: string;
  text?: string;
}

/** Gaps between minutes are filled up to this many minutes (a week); beyond, only minutes with records. */
const MAX_FILLED_MINUTES = 7 * 24 * 60;

/** Records per minute, stacked by type, from the diagnosis' per-type timelines. */
export function bars(d: Diagnosis): Bars {
  const all = new Set<string>();
  for (const t of d.errors) for (const p of t.timeline) all.add(p.minute);
  let minutes = [...all].sort();
  if (minutes.length > 1) {
    const start = Date.parse(minutes[0] + ':00Z');
    const end = Date.parse(minutes[minutes.length - 1] + ':00Z');
    const span = (end - start) / 60_000;
    if (Number.isFinite(span) && span < MAX_FILLED_MINUTES) {
      minutes = [];
      for (let t = start; t <= end; t += 60_000) minutes.push(new Date(t).toISOString().slice(0, 16));
    }
  }
  const index = new Map(minutes.map((m, i) => [m, i]));
  const series = d.errors
    .filter((t) => t.timeline.length > 0)
    .map((t) => {
      const counts = new Array<number>(minutes.length).fill(0);
      for (const p of t.timeline) counts[index.get(p.minute)!] += p.count;
      return { type: t.type, counts };
    });
  return { minutes, series };
}

export function matches(r: LogRecord, f: RecordFilter): boolean {
  if (f.type && r.type !== f.type) return false;
  if (f.file && r.file !== f.file) return false;
  if (f.from || f.to) {
    if (!r.time) return false;
    const m = r.time.slice(0, 16);
    if (f.from && m < f.from) return false;
    if (f.to && m >= f.to) return false;
  }
  if (f.text && !r.text.toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

/** Up to `before`/`after` lines around a record, read from the file at its offset. */
export function contextLines(file: string, r: LogRecord, around = 5): { before: string[]; after: string[] } {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    // Offsets of a compressed log are in its decompressed text: no raw context to show.
    if (magic.subarray(0, 2).equals(GZIP_MAGIC) || magic.equals(ZSTD_MAGIC)) return { before: [], after: [] };
    const size = statSync(file).size;
    const start = Math.max(0, r.offset - CONTEXT_BYTES);
    const head = Buffer.alloc(r.offset - start);
    readSync(fd, head, 0, head.length, start);
    const beforeLines = head.toString('utf8').split('\n');
    beforeLines.pop(); // the part of the record's own first line (empty when offset is a line start)
    if (start > 0) beforeLines.shift(); // cut mid-line
    const endOffset = r.offset + Buffer.byteLength(r.text) + 1;
    const tail = Buffer.alloc(Math.max(0, Math.min(CONTEXT_BYTES, size - endOffset)));
    readSync(fd, tail, 0, tail.length, endOffset);
    const afterLines = tail.toString('utf8').split('\n');
    if (endOffset + tail.length < size) afterLines.pop();
    return { before: beforeLines.slice(-around), after: afterLines.slice(0, around).filter((l, i, a) => !(i === a.length - 1 && l === '')) };
  } catch {
    return { before: [], after: [] };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The records a diagnosis holds that are surely the first ones of the log, in line order:
 * all of them when no type has more records than it kept; else those up to the last one
 * kept of the type whose kept records end first (beyond it, records of that type are missing).
 */
export function knownPrefix(d: Diagnosis): { records: LogRecord[]; complete: boolean } {
  const records = d.errors.flatMap((t) => t.samples).sort((a, b) => a.line - b.line);
  const cut = d.errors.filter((t) => t.count > t.samples.length);
  if (cut.length === 0) return { records, complete: true };
  const upTo = Math.min(...cut.map((t) => t.samples.at(-1)?.line ?? 0));
  return { records: records.filter((r) => r.line <= upTo), complete: false };
}

export interface RecordsPage {
  /** Matching records before and in the page: the total once `complete`, a lower bound before. */
  total: number;
  complete: boolean;
  records: (LogRecord & { index: number })[];
}

/**
 * A page of the records that match: from the records known so far when they reach past the
 * page, else once all are read.
 */
export async function recordsPage(a: Analysis, f: RecordFilter, offset: number, limit: number): Promise<RecordsPage> {
  const scan = (records: LogRecord[], complete: boolean): RecordsPage => {
    const page: RecordsPage['records'] = [];
    let total = 0;
    records.forEach((r, index) => {
      if (!matches(r, f)) return;
      if (total >= offset && page.length < limit) page.push({ ...r, index });
      total++;
    });
    return { total, complete, records: page };
  };
  if (!a.complete) {
    const early = scan(a.records, false);
    if (early.total >= offset + limit) return early;
  }
  return scan(a.complete ? a.records : await a.allRecords, true);
}

export interface AnalysesOptions {
  /** Told when an analysis' records are all read (its `records` are then complete). */
  onRecords?: (a: Analysis) => void;
  signal?: AbortSignal;
}

export class Analyses {
  #items = new Map<string, Analysis>();
  /** Stops the second pass of an analysis that is dropped before it ends. */
  #stops = new Map<string, AbortController>();
  /** The diagnosis' pass: EARLY_RECORDS per type. */
  #analyzer: LogAnalyzer;
  /** An upload's single pass: every record kept for paging (its copy is deleted right after). */
  #whole: LogAnalyzer;
  #config: () => LogmedicConfig;
  #options: AnalysesOptions;

  constructor(config: () => LogmedicConfig, options: AnalysesOptions = {}) {
    this.#config = config;
    this.#options = options;
    this.#analyzer = new LogAnalyzer({ catalog: config().catalog, maxSamples: EARLY_RECORDS });
    this.#whole = new LogAnalyzer({ catalog: config().catalog, maxSamples: MAX_RECORDS_PER_TYPE });
  }

  get catalog() {
    return this.#analyzer.catalog;
  }

  get(id: string): Analysis | undefined {
    return this.#items.get(id);
  }

  /** The analysis of a file: reused while the file is unchanged (same size and mtime). */
  async ofFile(name: string, real: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<Analysis> {
    const st = statSync(real);
    const key = `${real}\0${st.size}\0${st.mtimeMs}`;
    for (const a of this.#items.values()) {
      if (a.key !== key) continue;
      // Used again: it becomes the newest, the last to be dropped.
      this.#items.delete(a.id);
      this.#items.set(a.id, a);
      return a;
    }
    const diagnosis = await this.#analyzer.diagnoseFromLogs(real, { signal, onProgress: (p) => onProgress?.({ phase: 'summary', ...p }) });
    const a = await this.#add(name, key, diagnosis, real);
    if (!a.complete) this.#readAll(a, real, onProgress);
    return a;
  }

  /** The analysis of an uploaded copy (read once; the caller deletes the copy after). */
  async ofUpload(name: string, copy: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<Analysis> {
    const diagnosis = await this.#whole.diagnoseFromLogs(copy, { signal, onProgress: (p) => onProgress?.({ phase: 'summary', ...p }) });
    // The copy's name means nothing to the user: show the uploaded name instead.
    diagnosis.files = [name];
    for (const t of diagnosis.errors) {
      t.first.file = t.last.file = name;
      for (const s of t.samples) s.file = name;
      for (const a of t.actions) a.record.file = name;
    }
    for (const g of diagnosis.unrecognised?.templates ?? []) g.first.file = g.last.file = name;
    return this.#add(name, `upload\0${randomBytes(8).toString('hex')}`, diagnosis, undefined);
  }

  /** `readable` undefined: an upload, whose one pass kept every record there is to page. */
  async #add(name: string, key: string, diagnosis: Diagnosis, readable: string | undefined): Promise<Analysis> {
    inferUnrecognised(diagnosis);
    const { records, complete } = readable === undefined ? { records: diagnosis.errors.flatMap((t) => t.samples).sort((x, y) => x.line - y.line), complete: true } : knownPrefix(diagnosis);
    // The diagnosis keeps as many samples as `analyze` does, so that its plan is the one `recover` makes.
    for (const t of diagnosis.errors) t.samples = t.samples.slice(0, SUMMARY_SAMPLES);
    const config = this.#config();
    const plan = await planRecovery(diagnosis, config);
    // With a fleet store, the preview shows what the fleet would decide (a neighbour's cooldown,
    // an open fleet circuit), read-only and bounded by the store's timeouts.
    const preview = (await applyRecoveryActions(plan, { config, dryRun: true, askFleet: true })).steps;
    const a: Analysis = { id: randomBytes(9).toString('base64url'), name, key, diagnosis, records, complete, allRecords: Promise.resolve(records), plan, preview, done: new Map(), readable };
    this.#items.set(a.id, a);
    while (this.#items.size > KEEP) {
      const oldest = this.#items.keys().next().value!;
      this.#items.delete(oldest);
      this.#stops.get(oldest)?.abort();
      this.#stops.delete(oldest);
    }
    return a;
  }

  /** The second pass: every record kept for paging; `a.records` becomes all of them. */
  #readAll(a: Analysis, path: string, onProgress?: OnProgress): void {
    const stop = new AbortController();
    this.#stops.set(a.id, stop);
    const signal = this.#options.signal ? AbortSignal.any([this.#options.signal, stop.signal]) : stop.signal;
    a.allRecords = this.#analyzer.extractErrors(path, { signal, maxRecords: MAX_RECORDS_PER_TYPE, onProgress: (p) => onProgress?.({ phase: 'records', ...p }) }).then((all) => {
      a.records = all;
      a.complete = true;
      this.#stops.delete(a.id);
      this.#options.onRecords?.(a);
      return all;
    });
    // Seen as failed only by whoever awaits them; not an unhandled rejection meanwhile.
    a.allRecords.catch(() => this.#stops.delete(a.id));
  }
}
