// LogAnalyzer, the library API the original description names: extractErrors (typed records), diagnoseFromLogs (a diagnosis
// per type with the recovery actions that fit) and applyRecoveryActions (delegated to
// src/recovery). The catalog is compiled once into the Rust core, which groups records,
// reads their fields, aggregates at scan speed and merges partial analyses (byte ranges,
// several files, watch windows); this module names files, types and patterns.

import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { defaultCatalog } from '../catalog/index.js';
import type { Catalog, ErrorType } from '../catalog/types.js';
import { fromNative, LogmedicError } from '../errors.js';
import type { AnalysisResult as NativeAnalysis, AnalyzeOptions, JobProgress, NativeRecord, NativeTypeSummary, TemplateSighting, TimeBound, Unrecognised as NativeUnrecognised } from '../../native/index.cjs';
import { native } from '../native.js';
import type { Engine } from '../scan.js';
import { ErrorRecoveryMap } from '../recovery/action-map.js';
import type { ApplyOptions, RecoveryReport, applyRecoveryActions as applyRecoveryActionsFn } from '../recovery/index.js';
import type { Diagnosis, LogRecord, MessageGroup, PlannedActionRef, RecoveryActionName, TypeSummary, Unrecognised, UnrecognisedTemplate } from './types.js';

type NativeCatalog = InstanceType<typeof native.CompiledCatalog>;

export interface LogAnalyzerOptions {
  /** The failure catalog (default: the built-in one). */
  catalog?: Catalog;
  engine?: Engine;
  /** Worker threads (default: all cores). */
  threads?: number;
  /** Memory-map large files (default true). */
  mmap?: boolean;
  /** Records kept whole per type in a diagnosis (default 5); all are counted. */
  maxSamples?: number;
  /**
   * Year for timestamps that leave it out (syslog, Android, glog); default: the year that
   * puts each closest to, and not after, the file's modification time (a buffer or stream: now).
   */
  year?: number;
  /** Count only records at or after this time (the core compares; records without a time stay). */
  since?: Date;
  /** Count only records at or before this time. */
  until?: Date;
  /** Chunk size in bytes (default: chosen from the input size). For tests and tuning. */
  chunkBytes?: number;
  /** Actions per type that replace the built-in ones (the config's `actionMap`). */
  actionMap?: Record<string, readonly string[]>;
}

export interface AnalyzeCallOptions {
  /** Aborts the analysis; the promise rejects with code E_ABORTED. */
  signal?: AbortSignal;
  /** Called about every 100 ms with bytes done and total (-1 when unknown). */
  onProgress?: (progress: JobProgress) => void;
}

/** Options of `analyzeRange` and `analyzePartial`. */
export interface RangeOptions extends AnalyzeCallOptions {
  /**
   * The file's place among the inputs (default 0): partials of several files are merged in
   * this order, and `mergePartials(partials, files)` names file `i` as `files[i]`.
   */
  fileIndex?: number;
}

export interface ExtractOptions extends AnalyzeCallOptions {
  /** Records returned per type (default 10000); the rest are counted only. */
  maxRecords?: number;
}

/** Where a buffer's lines sit in their file (live watch). */
export interface BufferMeta {
  file: string;
  /** 1-based line number of the buffer's first line. */
  firstLine: number;
  /** Byte offset of the buffer's first byte in the file. */
  baseOffset: number;
  /**
   * The file's running Unrecognised lines (`watch`, one per followed file): the buffer's are
   * added to it, merged there with the earlier pieces', instead of returned.
   */
  tally?: InstanceType<typeof native.UnrecognisedTally>;
}

type Input = string | Buffer | Readable;

/** One end of a time range as the core takes it: the instant and the local clock's offset then. */
export function bound(date: Date | undefined): TimeBound | undefined {
  if (date === undefined) return undefined;
  if (Number.isNaN(date.getTime())) throw new LogmedicError('E_INVALID_ARG', 'since/until must be valid dates');
  return { utcMs: date.getTime(), offsetMinutes: -date.getTimezoneOffset() };
}

/** One analyzed input, before merging. */
interface Part {
  file: string;
  result: NativeAnalysis;
}

const DEFAULT_MAX_SAMPLES = 5;
const DEFAULT_MAX_RECORDS = 10_000;
const TOP_MESSAGES = 10;

/**
 * Below this many input bytes, `engine: "auto"` analyzes with the Rust engine unless the
 * catalog's Hyperscan database is already cached (found by the pattern sources, loaded in
 * about 7 ms; a 4 KB log then costs the same with either engine, 114 against 109 ms whole
 * process, within the noise): compiling the whole catalog for Hyperscan takes about a
 * second, more than Hyperscan's faster scan saves on a small log (measured: a 4 KB sample
 * log took 1.9 s with Hyperscan, 0.5 s with the Rust engine, whole process). Inputs of
 * unknown size (stdin) count as large.
 */
export const AUTO_HYPERSCAN_FROM_BYTES = 256 << 20;

type CatalogEntry = ConstructorParameters<typeof native.CompiledCatalog>[0][number];

export class LogAnalyzer {
  readonly catalog: Catalog;
  readonly #options: LogAnalyzerOptions;
  readonly #entries: CatalogEntry[];
  readonly #typeNames: string[];
  readonly #types: { name: string; priority: number }[];
  /** The catalog compiled once per engine actually used ("regex", "auto", "hyperscan"). */
  readonly #compiled = new Map<string, NativeCatalog>();

  constructor(options: LogAnalyzerOptions = {}) {
    this.#options = options;
    this.catalog = options.catalog ?? defaultCatalog();
    const typeIndex = new Map(this.catalog.types.map((t, i) => [t.name, i]));
    this.#typeNames = this.catalog.types.map((t) => t.name);
    this.#types = this.catalog.types.map((t) => ({ name: t.name, priority: t.priority }));
    this.#entries = this.catalog.patterns.map((p) => {
      const t = typeIndex.get(p.type);
      if (t === undefined) throw new LogmedicError('E_CONFIG', `catalog pattern ${p.id}: unknown type ${p.type}`);
      const refines = p.refines?.map((name) => {
        const r = typeIndex.get(name);
        if (r === undefined) throw new LogmedicError('E_CONFIG', `catalog pattern ${p.id}: refines unknown type ${name}`);
        return r;
      });
      return { pattern: p.pattern, typeIndex: t, ...(p.priority !== undefined ? { priority: p.priority } : {}), ...(refines ? { refines } : {}) };
    });
    if (this.#entries.length === 0) throw new LogmedicError('E_CONFIG', 'the catalog has no patterns');
    // Compile now what small inputs use, so that a bad pattern fails here, not mid-run.
    this.#compiledFor(0);
  }

  /** The engine asked for: "auto", "hyperscan" or "regex" (results say which one ran). */
  get #actionMap(): Record<string, readonly string[]> | undefined {
    return this.#options.actionMap;
  }

  get engine(): string {
    return this.#options.engine ?? 'auto';
  }

  /** The compiled catalog for an input of `bytes` bytes (Infinity: unknown). */
  #compiledFor(bytes: number): NativeCatalog {
    const requested = this.#options.engine ?? 'auto';
    const engine = requested === 'auto' && bytes < AUTO_HYPERSCAN_FROM_BYTES && !this.#hyperscanCached() ? 'regex' : requested;
    let compiled = this.#compiled.get(engine);
    if (compiled === undefined) {
      try {
        compiled = new native.CompiledCatalog(this.#entries, this.#types, engine);
      } catch (err) {
        throw fromNative(err);
      }
      this.#compiled.set(engine, compiled);
    }
    return compiled;
  }

  #cachedHyperscan: boolean | undefined;

  /** Whether Hyperscan would load this catalog from its cache (asked once per analyzer). */
  #hyperscanCached(): boolean {
    return (this.#cachedHyperscan ??= native.catalogCachedForHyperscan(this.#entries));
  }

  #compiledForPath(file: string): NativeCatalog {
    if (file === '-') return this.#compiledFor(Infinity);
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      // Unreadable or missing: the native open reports it with its code.
    }
    return this.#compiledFor(size);
  }

  /** Every failing record (up to `maxRecords` per type), in input order. */
  async extractErrors(input: Input, opts: ExtractOptions = {}): Promise<LogRecord[]> {
    const part = await this.#analyze(input, opts, opts.maxRecords ?? DEFAULT_MAX_RECORDS);
    return this.#records(part);
  }

  extractErrorsSync(input: string | Buffer, opts: { maxRecords?: number } = {}): LogRecord[] {
    return this.#records(this.#analyzeSync(input, opts.maxRecords ?? DEFAULT_MAX_RECORDS));
  }

  /** The diagnosis of one or more logs: per type counts, times, messages, frames, actions. */
  async diagnoseFromLogs(input: Input | string[], opts: AnalyzeCallOptions = {}): Promise<Diagnosis> {
    const started = performance.now();
    const inputs = Array.isArray(input) ? input : [input];
    if (inputs.length === 0) throw new LogmedicError('E_USAGE', 'no log to analyze');
    const files: string[] = [];
    const partials: Buffer[] = [];
    for (const [fileIndex, one] of inputs.entries()) {
      if (opts.signal?.aborted) throw new LogmedicError('E_ABORTED', 'analysis aborted');
      const { file, value } = await this.#run(one, opts, (compiled, target, job) =>
        native.analyzePartial(compiled, target, { ...this.#nativeOptions(this.#maxSamples()), fileIndex }, job),
      );
      files.push(file);
      partials.push(value);
    }
    return this.#merged(partials, files, started);
  }

  diagnoseFromLogsSync(input: string | string[] | Buffer): Diagnosis {
    const started = performance.now();
    const inputs = Array.isArray(input) ? input : [input];
    if (inputs.length === 0) throw new LogmedicError('E_USAGE', 'no log to analyze');
    const partials = inputs.map((one, fileIndex) => {
      if (typeof one !== 'string' && !Buffer.isBuffer(one)) throw new LogmedicError('E_INVALID_ARG', 'input must be a path or a Buffer');
      try {
        const compiled = typeof one === 'string' ? this.#compiledForPath(one) : this.#compiledFor(one.length);
        return native.analyzePartialSync(compiled, one, { ...this.#nativeOptions(this.#maxSamples()), fileIndex });
      } catch (err) {
        throw fromNative(err);
      }
    });
    return this.#merged(partials, inputs.map((one) => (typeof one === 'string' ? one : '<buffer>')), started);
  }

  /**
   * A partial analysis of one whole input (a path: plain, gzip or zstd, told by its first
   * bytes; a buffer; a stream), in the core's versioned binary format. Merged with
   * `mergePartials`, the partials of several inputs, each with its own `fileIndex`, give what
   * `diagnoseFromLogs` of all of them gives.
   */
  async analyzePartial(input: Input, opts: RangeOptions = {}): Promise<Buffer> {
    const index = fileIndex(opts.fileIndex);
    const { value } = await this.#run(input, opts, (compiled, target, job) =>
      native.analyzePartial(compiled, target, { ...this.#nativeOptions(this.#maxSamples()), fileIndex: index }, job),
    );
    return value;
  }

  /**
   * A partial analysis of the bytes `[start, end)` of a plain file: the records that start in
   * the range (the last one read to its end, past `end`; the tail of one begun before
   * `start` skipped). Ranges that tile a file, merged with `mergePartials`, give exactly its
   * whole diagnosis. The result is the core's versioned binary format: store it, send it to
   * another worker; `mergePartials` refuses partials of another format version, catalog or
   * options. Compressed files and stdin cannot be ranged (E_INVALID_ARG).
   */
  async analyzeRange(file: string, start: number, end: number, opts: RangeOptions = {}): Promise<Buffer> {
    const options = { ...this.#nativeOptions(this.#maxSamples()), fileIndex: fileIndex(opts.fileIndex) };
    // A path in, so `#run` hands the call that path back.
    const { value } = await this.#run(file, opts, (compiled, target, job) => native.analyzeFileRange(compiled, target as string, start, end, options, job));
    return value;
  }

  analyzeRangeSync(file: string, start: number, end: number, opts: { fileIndex?: number } = {}): Buffer {
    try {
      const options = { ...this.#nativeOptions(this.#maxSamples()), fileIndex: fileIndex(opts.fileIndex) };
      return native.analyzeFileRangeSync(this.#compiledForPath(file), file, start, end, options);
    } catch (err) {
      throw fromNative(err);
    }
  }

  /**
   * The diagnosis of partials from `analyzeRange` (given in any order: each says its file and
   * range), merged by the core; `files[i]` names the file analyzed with `fileIndex: i`.
   */
  mergePartials(partials: readonly Buffer[], files: readonly string[]): Diagnosis {
    return this.#merged(partials, files, performance.now());
  }

  /**
   * The diagnosis of records found before (a watch rule's window), summarized by the core in
   * the order given, as an analysis summarizes what it reads; all are kept as samples.
   * Records of types or patterns this analyzer's catalog lacks are refused (E_INVALID_ARG).
   */
  summarizeRecords(records: readonly LogRecord[]): Diagnosis {
    const typeIndex = new Map(this.#typeNames.map((name, i) => [name, i]));
    const patternIndex = new Map(this.catalog.patterns.map((p, i) => [p.id, i]));
    const files: string[] = [];
    const fileIndex = new Map<string, number>();
    const index = (map: Map<string, number>, key: string, what: string): number => {
      const i = map.get(key);
      if (i === undefined) throw new LogmedicError('E_INVALID_ARG', `record of unknown ${what} ${JSON.stringify(key)}`);
      return i;
    };
    const native_ = records.map((r) => {
      if (!fileIndex.has(r.file)) fileIndex.set(r.file, files.push(r.file) - 1);
      return {
        typeIndex: index(typeIndex, r.type, 'type'),
        fileIndex: fileIndex.get(r.file)!,
        patternIndex: index(patternIndex, r.patternId, 'pattern'),
        matched: (r.matched ?? []).flatMap((id) => patternIndex.get(id) ?? []),
        line: r.line,
        endLine: r.endLine,
        offset: r.offset,
        time: r.time,
        level: r.level,
        logger: r.logger,
        message: r.message,
        messageTruncated: r.messageTruncated === true,
        exception: r.exception,
        text: r.text,
        textTruncated: false,
        frames: r.frames,
        innermost: r.innermost,
        objects: r.objects,
      };
    });
    let result: NativeAnalysis;
    try {
      result = native.summarizeRecords(this.#compiledFor(0), native_, { maxSamples: Math.max(records.length, 1) });
    } catch (err) {
      throw fromNative(err);
    }
    return this.#diagnosisOf(result, files, 0);
  }

  #merged(partials: readonly Buffer[], files: readonly string[], started: number): Diagnosis {
    let result: NativeAnalysis;
    try {
      result = native.mergePartials(this.#compiledFor(0), [...partials], this.#nativeOptions(this.#maxSamples()));
    } catch (err) {
      throw fromNative(err);
    }
    return this.#diagnosisOf(result, files, performance.now() - started);
  }

  /**
   * The records in a buffer of complete lines (live watch): all of them, numbered as lines
   * of `meta.file` starting at `meta.firstLine`, offsets from `meta.baseOffset`.
   */
  recordsInBuffer(buf: Buffer, meta: BufferMeta): LogRecord[] {
    return this.sliceOfBuffer(buf, meta).records;
  }

  /**
   * `recordsInBuffer`, with the buffer's Unrecognised section: its error-level lines that no
   * pattern matched, grouped by template in the same scan (numbered as its records are);
   * with `meta.tally`, the section goes into the tally instead.
   */
  sliceOfBuffer(buf: Buffer, meta: BufferMeta): { records: LogRecord[]; unrecognised?: Unrecognised } {
    let result: NativeAnalysis;
    const options = { threads: 1, maxSamples: 0xffffffff, year: this.#options.year };
    try {
      const compiled = this.#compiledFor(buf.length);
      result = meta.tally ? native.analyzeSliceSync(compiled, buf, meta.firstLine - 1, meta.tally, options) : native.analyzeBufferSync(compiled, buf, options);
    } catch (err) {
      throw fromNative(err);
    }
    const records = this.#records({ file: meta.file, result }).map((r) => ({
      ...r,
      line: r.line + meta.firstLine - 1,
      endLine: r.endLine + meta.firstLine - 1,
      offset: r.offset + meta.baseOffset,
    }));
    return meta.tally ? { records } : { records, unrecognised: unrecognisedOf(result.unrecognised, () => meta.file, meta.firstLine - 1) };
  }

  /**
   * Carry out recovery actions (see src/recovery): a plan, or action names / planned steps
   * as `diagnoseFromLogs(...).errors[i].actions` give them. Loaded on demand, so that
   * analysis alone never loads the code that changes the world.
   */
  async applyRecoveryActions(
    actions: Parameters<typeof applyRecoveryActionsFn>[0],
    opts?: ApplyOptions,
  ): Promise<RecoveryReport> {
    const mod = await import('../recovery/index.js');
    return mod.applyRecoveryActions(actions, opts);
  }

  // -------------------------------------------------------------------------------------

  #maxSamples(): number {
    const n = this.#options.maxSamples ?? DEFAULT_MAX_SAMPLES;
    if (!Number.isInteger(n) || n < 0) throw new LogmedicError('E_INVALID_ARG', `maxSamples must be an integer >= 0, got ${n}`);
    return n;
  }

  #nativeOptions(maxSamples: number): AnalyzeOptions {
    const o = this.#options;
    if (o.threads !== undefined && (!Number.isInteger(o.threads) || o.threads < 1)) {
      throw new LogmedicError('E_INVALID_ARG', `threads must be an integer >= 1, got ${o.threads}`);
    }
    return { threads: o.threads, mmap: o.mmap, maxSamples, year: o.year, since: bound(o.since), until: bound(o.until), chunkBytes: o.chunkBytes };
  }

  async #analyze(input: Input, opts: AnalyzeCallOptions, maxSamples: number): Promise<Part> {
    const { file, value } = await this.#run(input, opts, (compiled, target, job) => {
      const options = this.#nativeOptions(maxSamples);
      return typeof target === 'string' ? native.analyzeFile(compiled, target, options, job) : native.analyzeBuffer(compiled, target, options, job);
    });
    return { file, result: value };
  }

  /** Run `call` on one input (a path, a buffer, or a stream read into a buffer) with abort and progress. */
  async #run<T>(input: Input, opts: AnalyzeCallOptions, call: (compiled: NativeCatalog, target: string | Buffer, job: InstanceType<typeof native.ScanJob>) => Promise<T>): Promise<{ file: string; value: T }> {
    const { signal, onProgress } = opts;
    if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'analysis aborted');
    let file: string;
    let buffer: Buffer | undefined;
    if (typeof input === 'string') file = input;
    else if (Buffer.isBuffer(input)) [file, buffer] = ['<buffer>', input];
    else [file, buffer] = ['<stream>', await gather(input, signal)];
    const job = new native.ScanJob();
    const onAbort = () => job.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = onProgress ? setInterval(() => onProgress(job.progress()), 100) : undefined;
    try {
      const value = buffer ? await call(this.#compiledFor(buffer.length), buffer, job) : await call(this.#compiledForPath(file), file, job);
      onProgress?.(job.progress());
      return { file, value };
    } catch (err) {
      throw fromNative(err);
    } finally {
      if (timer) clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #analyzeSync(input: string | Buffer, maxSamples: number): Part {
    try {
      const options = this.#nativeOptions(maxSamples);
      if (typeof input === 'string') return { file: input, result: native.analyzeFileSync(this.#compiledForPath(input), input, options) };
      if (Buffer.isBuffer(input)) return { file: '<buffer>', result: native.analyzeBufferSync(this.#compiledFor(input.length), input, options) };
    } catch (err) {
      throw fromNative(err);
    }
    throw new LogmedicError('E_INVALID_ARG', 'input must be a path or a Buffer');
  }

  #record(r: NativeRecord, file: string): LogRecord {
    const rec: LogRecord = {
      type: this.#typeNames[r.typeIndex],
      patternId: this.#patternId(r.patternIndex),
      matched: r.matched.map((i) => this.#patternId(i)),
      file,
      line: r.line,
      endLine: r.endLine,
      offset: r.offset,
      message: r.message,
      ...(r.messageTruncated ? { messageTruncated: true as const } : {}),
      text: r.text,
      frames: r.frames,
      objects: r.objects,
    };
    if (r.time != null) rec.time = r.time;
    if (r.level != null) rec.level = r.level;
    if (r.logger != null) rec.logger = r.logger;
    if (r.exception != null) rec.exception = r.exception;
    if (r.innermost != null) rec.innermost = r.innermost;
    return rec;
  }

  #patternId(index: number): string {
    return this.catalog.patterns[index]?.id ?? String(index);
  }

  #records(part: Part): LogRecord[] {
    const out = part.result.types.flatMap((t) => t.samples.map((r) => this.#record(r, part.file)));
    return out.sort((a, b) => a.line - b.line);
  }

  /** The diagnosis of one merged result whose file `i` is `files[i]`. */
  #diagnosisOf(result: NativeAnalysis, files: readonly string[], elapsedMs: number): Diagnosis {
    const name = (i: number) => files[i] ?? `#${i}`;
    const priority = new Map(this.catalog.types.map((t) => [t.name, t.priority]));
    // Types seen as often and of the same priority: the one whose first file comes first,
    // then catalog order.
    const order = new Map(result.types.map((t) => [this.#typeNames[t.typeIndex], t.firstFile * 2 ** 20 + t.typeIndex]));
    const errors = result.types
      .map((t) => this.#summaryOf(t, name))
      .map((s) => ({ ...s, messages: s.messages.slice(0, TOP_MESSAGES), actions: actionsFor(s, this.#actionMap) }))
      .sort((a, b) => b.count - a.count || (priority.get(b.type) ?? 0) - (priority.get(a.type) ?? 0) || order.get(a.type)! - order.get(b.type)!);
    return {
      schema: 1,
      files: [...files],
      bytes: result.scan.bytes,
      lines: result.scan.lines,
      elapsedMs: Math.round(elapsedMs * 100) / 100,
      engine: result.scan.engine,
      errors,
      changed: result.changedFiles.map(name),
      unrecognised: unrecognisedOf(result.unrecognised, name),
    };
  }

  /** A type's summary; `name(i)` is the name of file index `i`. */
  #summaryOf(t: NativeTypeSummary, name: (i: number) => string): TypeSummary {
    const first: TypeSummary['first'] = { line: t.firstLine, file: name(t.firstFile) };
    if (t.firstTime != null) first.time = t.firstTime;
    const last: TypeSummary['last'] = { line: t.lastLine, file: name(t.lastFile) };
    if (t.lastTime != null) last.time = t.lastTime;
    const messages: MessageGroup[] = t.shapes.map((s) => ({ shape: s.shape, count: s.count, example: s.example, ...(s.exampleTruncated ? { exampleTruncated: true as const } : {}) }));
    if (t.otherShapes > 0) messages.push({ shape: '…', count: t.otherShapes, example: '(more distinct messages than kept)' });
    const summary: TypeSummary = {
      type: this.#typeNames[t.typeIndex],
      count: t.count,
      first,
      last,
      messages,
      timeline: t.timeline,
      samples: t.samples.map((r) => this.#record(r, name(r.fileIndex))),
      actions: [],
    };
    if (t.frames.length > 0) summary.innermostFrame = t.frames[0].frame;
    return summary;
  }

}

/** Templates of unrecognised lines listed in a diagnosis; the rest are counted in `others`. */
export const UNRECOGNISED_TEMPLATES = 100;

/**
 * The core's unrecognised templates (merged across chunks and files there, or across a
 * watched file's pieces), as listed: the first `UNRECOGNISED_TEMPLATES`, in the core's order.
 */
export function unrecognisedOf(section: NativeUnrecognised, name: (i: number) => string, linesBefore = 0): Unrecognised {
  const at = (s: TemplateSighting) => ({ file: name(s.file), line: s.line + linesBefore, ...(s.time != null ? { time: s.time } : {}) });
  const all = section.templates;
  const templates = all.slice(0, UNRECOGNISED_TEMPLATES).map((t) => ({ id: t.id, template: t.text, count: t.count, first: at(t.first), last: at(t.last), example: t.example, levels: t.levels, ...(t.pattern != null ? { pattern: t.pattern } : {}) }));
  const others = section.others + all.slice(UNRECOGNISED_TEMPLATES).reduce((n, t) => n + t.count, 0);
  return { lines: section.lines, templates, others };
}

function fileIndex(i: number | undefined): number {
  if (i === undefined) return 0;
  if (!Number.isInteger(i) || i < 0 || i > 0xffffffff) throw new LogmedicError('E_INVALID_ARG', `fileIndex must be an integer >= 0, got ${i}`);
  return i;
}

/**
 * `[start, end)` byte ranges that cut a file of `size` bytes into `parts` nearly equal
 * pieces. Any cut is safe: a range owns the records that start in it.
 */
export function byteRanges(size: number, parts: number): [number, number][] {
  if (!Number.isInteger(parts) || parts < 1) throw new LogmedicError('E_INVALID_ARG', `parts must be an integer >= 1, got ${parts}`);
  const out: [number, number][] = [];
  for (let i = 0; i < parts; i++) out.push([Math.floor((size * i) / parts), Math.floor((size * (i + 1)) / parts)]);
  return out;
}

/** The actions for a type, each justified by the type's first record. */
function actionsFor(s: TypeSummary, overrides: Record<string, readonly string[]> | undefined): PlannedActionRef[] {
  const where = `${s.first.file}:${s.first.line}`;
  const example = s.samples[0]?.message ?? s.messages[0]?.example ?? '';
  const short = example.length > 120 ? `${example.slice(0, 117)}...` : example;
  const times = s.count === 1 ? '1 record' : `${s.count} records`;
  const map = overrides ? { ...ErrorRecoveryMap.ACTION_MAP, ...(overrides as Record<string, readonly RecoveryActionName[]>) } : ErrorRecoveryMap.ACTION_MAP;
  return ErrorRecoveryMap.actionsFor(s.type as ErrorType, map).map((action: RecoveryActionName) => ({
    action,
    reason: `${s.type} (${times}), first at ${where}: ${short}`,
    record: { file: s.first.file, line: s.first.line },
  }));
}

async function gather(stream: Readable, signal?: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) {
    if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'analysis aborted');
    parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
  }
  return Buffer.concat(parts);
}
