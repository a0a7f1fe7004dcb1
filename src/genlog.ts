// genlog: write a realistic, seeded test log with its ground truth beside it
// (`<log>.truth.json`). The generator is Rust (crates/logmedic-genlog); this
// module validates options, runs it on the libuv pool and writes the ground truth file.
import { writeFileSync, readFileSync, renameSync } from 'node:fs';
import { fromNative, LogmedicError } from './errors.js';
import { removeQuietly } from './files.js';
import type { GenlogTruth, GenlogVariant } from '../native/index.cjs';
import { native } from './native.js';

/** The log formats genlog writes; each belongs to one or more simulated services. */
export const GENLOG_FORMATS = ['python', 'json', 'syslog', 'java', 'node', 'go', 'nginx', 'postgres', 'redis'] as const;
export type GenlogFormat = (typeof GENLOG_FORMATS)[number];

export interface GenlogOptions {
  /** Exact size of the log in bytes. */
  sizeBytes: number;
  /** Same seed and options, same bytes. Default 1. */
  seed?: number;
  /** Share of records that are failures, 0 to 1. Default 0.01. */
  errorRate?: number;
  /** Share of normal records that are healthy near-misses (`0 errors`, `timeout=30`), 0 to 1. Default 0.02. */
  nearMissRate?: number;
  /** Formats to write (default all). */
  formats?: readonly GenlogFormat[];
  /** Patterns (Rust regex syntax) whose matching lines the ground truth counts; at most 64. */
  countPatterns?: readonly string[];
  /** First-line numbers kept per type (default 10000); the counts are always exact. */
  maxLinesPerType?: number;
  /** Write `<log>.truth.json` beside the log (default true). */
  writeTruth?: boolean;
  /** Stops the generator; the promise rejects with code E_ABORTED and the partial log is removed. */
  signal?: AbortSignal;
  /** Called about every `progressIntervalMs` with the bytes written so far. */
  onProgress?: (bytes: number) => void;
  progressIntervalMs?: number;
}

/** The generator's account of the log it wrote, with the options that shaped it; also the content of `<log>.truth.json`. */
export interface GroundTruth extends GenlogTruth {
  generator: 'logmedic genlog';
  version: 1;
  errorRate: number;
  nearMissRate: number;
  formats: GenlogFormat[];
}

export const truthPathFor = (log: string): string => `${log}.truth.json`;

/** Write a generated log at `path` (created or replaced) and its ground truth beside it. */
export async function generateLog(path: string, options: GenlogOptions): Promise<GroundTruth> {
  const nativeOptions = toNative(path, options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'genlog aborted');
  const job = new native.ScanJob();
  const onAbort = () => job.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  const report = () => onProgress?.(Math.max(0, job.progress().bytes));
  const timer = onProgress ? setInterval(report, options.progressIntervalMs ?? 100) : undefined;
  try {
    const raw = await native.generateLog(nativeOptions, job);
    report();
    return finish(path, options, raw);
  } catch (err) {
    removeQuietly(path);
    throw fromNative(err);
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The sync twin of {@link generateLog} (no signal, no progress). */
export function generateLogSync(path: string, options: Omit<GenlogOptions, 'signal' | 'onProgress'>): GroundTruth {
  const nativeOptions = toNative(path, options);
  try {
    return finish(path, options, native.generateLogSync(nativeOptions));
  } catch (err) {
    removeQuietly(path);
    throw fromNative(err);
  }
}

/** Read a ground truth file written by genlog. */
export function readTruth(logOrTruthPath: string): GroundTruth {
  const file = logOrTruthPath.endsWith('.truth.json') ? logOrTruthPath : truthPathFor(logOrTruthPath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_INVALID_ARG';
    throw new LogmedicError(code, `${file}: not a readable genlog ground truth (${(err as Error).message})`);
  }
  const t = parsed as Partial<GroundTruth>;
  if (t?.generator !== 'logmedic genlog' || !Array.isArray(t.types)) {
    throw new LogmedicError('E_INVALID_ARG', `${file}: not a genlog ground truth`);
  }
  return t as GroundTruth;
}

/** The failure templates genlog writes (type, source software, lines with `{slot}`s). */
export function genlogVariants(): GenlogVariant[] {
  return native.genlogVariants();
}

function finish(path: string, options: Omit<GenlogOptions, 'signal' | 'onProgress'>, raw: GenlogTruth): GroundTruth {
  const truth: GroundTruth = {
    generator: 'logmedic genlog',
    version: 1,
    seed: raw.seed,
    errorRate: options.errorRate ?? 0.01,
    nearMissRate: options.nearMissRate ?? 0.02,
    formats: [...(options.formats ?? GENLOG_FORMATS)],
    bytes: raw.bytes,
    lines: raw.lines,
    records: raw.records,
    failureRecords: raw.failureRecords,
    nearMissRecords: raw.nearMissRecords,
    types: raw.types,
    patterns: raw.patterns,
    anyPatternLines: raw.anyPatternLines,
  };
  if (options.writeTruth ?? true) {
    // Written whole under a temporary name, then renamed: never a half-written truth.
    const file = truthPathFor(path);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(truth) + '\n');
    renameSync(tmp, file);
  }
  return truth;
}

function toNative(path: string, o: Omit<GenlogOptions, 'signal' | 'onProgress'>) {
  const fail = (m: string) => {
    throw new LogmedicError('E_INVALID_ARG', m);
  };
  if (typeof path !== 'string' || path === '') fail('genlog needs a path to write to');
  if (!Number.isSafeInteger(o.sizeBytes) || o.sizeBytes < 0) fail(`sizeBytes must be an integer >= 0, got ${o.sizeBytes}`);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) fail(`seed must be an integer >= 0, got ${o.seed}`);
  for (const [name, v] of [['errorRate', o.errorRate], ['nearMissRate', o.nearMissRate]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 1)) fail(`${name} must be between 0 and 1, got ${v}`);
  }
  for (const f of o.formats ?? []) {
    if (!(GENLOG_FORMATS as readonly string[]).includes(f)) fail(`unknown log format ${JSON.stringify(f)} (known: ${GENLOG_FORMATS.join(', ')})`);
  }
  if (o.maxLinesPerType !== undefined && (!Number.isInteger(o.maxLinesPerType) || o.maxLinesPerType < 0 || o.maxLinesPerType > 0xffffffff)) {
    fail(`maxLinesPerType must be an integer >= 0, got ${o.maxLinesPerType}`);
  }
  return {
    path,
    sizeBytes: o.sizeBytes,
    seed,
    errorRate: o.errorRate,
    nearMissRate: o.nearMissRate,
    formats: o.formats ? [...o.formats] : undefined,
    countPatterns: o.countPatterns ? [...o.countPatterns] : undefined,
    maxLinesPerType: o.maxLinesPerType,
  };
}
