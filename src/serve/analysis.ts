// Analyses the server keeps for the browser: the diagnosis of a log (LogAnalyzer, as
// `analyze` computes it), its records for paging, and its recovery plan (planRecovery, as
// `recover --dry-run` shows it). One pass over the log gives both the diagnosis and the
// records, so the first page of records is there as soon as the summary is. The browser gets
// summaries and pages, never the whole log.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { LogmedicConfig } from '../config/types.js';
import type { Diagnosis, LogRecord } from '../diagnosis/types.js';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
import { applyRecoveryActions, planRecovery, type RecoveryPlan, type StepReport } from '../recovery/index.js';

/**
 * Analyses kept at once; the oldest is dropped first. Each holds up to 10,000 records per
 * type with their text, so a few big logs already weigh hundreds of MB.
 */
const KEEP = 3;
/** Records per type kept for paging (the rest are counted in the diagnosis only). */
const MAX_RECORDS_PER_TYPE = 10_000;
/** Records per type a diagnosis carries, as `analyze` keeps them (LogAnalyzer's default maxSamples). */
const SUMMARY_SAMPLES = 5;
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
  /** The records, for paging: the first MAX_RECORDS_PER_TYPE of each type, in line order. */
  records: LogRecord[];
  plan: RecoveryPlan;
  /** What the plan's steps would meet now (policy included), as `recover --dry-run` prints. */
  preview: StepReport[];
  /** Steps carried out from the browser, by index into plan.steps. */
  done: Map<number, StepReport & { approvedBy: string }>;
  /** Where context lines can be read (undefined for an upload, deleted after analysis). */
  readable?: string;
}

/** Bytes of the log analyzed so far, and its size (-1 when unknown). */
export type OnProgress = (progress: { bytes: number; total: number }) => void;

export interface RecordFilter {
  type?: string;
  /** ISO minute bounds, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  file?: string;
  text?: string;
}

export interface Bars {
  /** Minutes (ISO, `YYYY-MM-DDTHH:MM`). */
  minutes: string[];
  /** Per type, counts per minute (aligned with `minutes`). */
  series: { type: string; counts: number[] }[];
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

export class Analyses {
  #items = new Map<string, Analysis>();
  /** Keeps MAX_RECORDS_PER_TYPE samples per type: the diagnosis and the records in one pass. */
  #analyzer: LogAnalyzer;
  #config: () => LogmedicConfig;

  constructor(config: () => LogmedicConfig) {
    this.#config = config;
    this.#analyzer = new LogAnalyzer({ catalog: config().catalog, maxSamples: MAX_RECORDS_PER_TYPE });
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
    return this.#add(name, key, real, real, signal, onProgress);
  }

  /** The analysis of an uploaded copy (read once; the caller deletes the copy after). */
  async ofUpload(name: string, copy: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<Analysis> {
    return this.#add(name, `upload\0${randomBytes(8).toString('hex')}`, copy, undefined, signal, onProgress);
  }

  async #add(name: string, key: string, path: string, readable: string | undefined, signal?: AbortSignal, onProgress?: OnProgress): Promise<Analysis> {
    const diagnosis = await this.#analyzer.diagnoseFromLogs(path, { signal, onProgress });
    // The samples are the records (what extractErrors returns for the same limit); the
    // diagnosis keeps as many as `analyze` does, so that its plan is the one `recover` makes.
    const records = diagnosis.errors.flatMap((t) => t.samples).sort((a, b) => a.line - b.line);
    for (const t of diagnosis.errors) t.samples = t.samples.slice(0, SUMMARY_SAMPLES);
    if (readable === undefined) {
      // The copy's name means nothing to the user: show the uploaded name instead.
      diagnosis.files = [name];
      for (const r of records) r.file = name;
      for (const t of diagnosis.errors) {
        t.first.file = t.last.file = name;
        for (const s of t.samples) s.file = name;
        for (const a of t.actions) a.record.file = name;
      }
    }
    const config = this.#config();
    const plan = await planRecovery(diagnosis, config);
    const preview = (await applyRecoveryActions(plan, { config, dryRun: true })).steps;
    const a: Analysis = { id: randomBytes(9).toString('base64url'), name, key, diagnosis, records, plan, preview, done: new Map(), readable };
    this.#items.set(a.id, a);
    while (this.#items.size > KEEP) this.#items.delete(this.#items.keys().next().value!);
    return a;
  }
}
