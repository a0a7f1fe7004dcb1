// The scan API: compile a pattern set once, scan paths, Buffers or streams with it.
import type { Readable } from 'node:stream';
import { fromNative, LogmedicError } from './errors.js';
import { native, type ScanResult, type NativeScanOptions, type JobProgress } from './native.js';

export type Engine = 'auto' | 'hyperscan' | 'regex';

/** The core's scan options, and how a call is stopped and watched. */
export interface ScanOptions extends NativeScanOptions {
  /** Aborts the scan; the promise rejects with code E_ABORTED. */
  signal?: AbortSignal;
  /** Called about every `progressIntervalMs` with bytes done and total (-1: unknown). */
  onProgress?: (progress: JobProgress) => void;
  progressIntervalMs?: number;
}

export type { ScanResult, JobProgress };

/** A compiled multi-pattern set. Compile once, scan many times, from any thread. */
export class PatternSet {
  readonly #db: InstanceType<typeof native.PatternDatabase>;

  constructor(patterns: readonly string[], options: { engine?: Engine } = {}) {
    try {
      this.#db = new native.PatternDatabase([...patterns], { engine: options.engine ?? 'auto' });
    } catch (err) {
      throw fromNative(err);
    }
  }

  /** "hyperscan" or "regex". */
  get engine(): string {
    return this.#db.engine;
  }

  get patterns(): string[] {
    return this.#db.patterns;
  }

  /** Scan a file: plain, gzip or zstd (by magic bytes); `-` is stdin. */
  scanFile(path: string, options: ScanOptions = {}): Promise<ScanResult> {
    return this.#run(options, (opts, job) => native.scanFile(this.#db, path, opts, job));
  }

  scanFileSync(path: string, options: Omit<ScanOptions, 'signal' | 'onProgress'> = {}): ScanResult {
    try {
      return native.scanFileSync(this.#db, path, toNative(options));
    } catch (err) {
      throw fromNative(err);
    }
  }

  /** Scan bytes in memory, read in place. */
  scanBuffer(buffer: Buffer, options: ScanOptions = {}): Promise<ScanResult> {
    return this.#run(options, (opts, job) => native.scanBuffer(this.#db, buffer, opts, job));
  }

  scanBufferSync(buffer: Buffer, options: Omit<ScanOptions, 'signal' | 'onProgress'> = {}): ScanResult {
    try {
      return native.scanBufferSync(this.#db, buffer, toNative(options));
    } catch (err) {
      throw fromNative(err);
    }
  }

  /**
   * Scan a Node stream. The stream is gathered into memory first, so use it for
   * modest inputs (pipes, HTTP bodies); files are better scanned by path.
   */
  async scanStream(stream: Readable, options: ScanOptions = {}): Promise<ScanResult> {
    const parts: Buffer[] = [];
    for await (const part of stream) {
      if (options.signal?.aborted) throw new LogmedicError('E_ABORTED', 'scan aborted');
      parts.push(typeof part === 'string' ? Buffer.from(part) : part);
    }
    const result = await this.scanBuffer(Buffer.concat(parts), options);
    return { ...result, source: 'stream' };
  }

  async #run(
    options: ScanOptions,
    start: (opts: NativeScanOptions, job: InstanceType<typeof native.ScanJob>) => Promise<ScanResult>,
  ): Promise<ScanResult> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'scan aborted');
    const job = new native.ScanJob();
    const onAbort = () => job.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = onProgress ? setInterval(() => onProgress(job.progress()), options.progressIntervalMs ?? 100) : undefined;
    try {
      const result = await start(toNative(options), job);
      onProgress?.(job.progress());
      return result;
    } catch (err) {
      throw fromNative(err);
    } finally {
      if (timer) clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function toNative(o: ScanOptions): NativeScanOptions {
  const int = (name: string, v: number | undefined, min: number) => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < min || v > 0xffffffff) {
      throw new LogmedicError('E_INVALID_ARG', `${name} must be an integer >= ${min}, got ${v}`);
    }
    return v;
  };
  // Every option the core takes is listed (checked): a new one is a compile error here until it is passed on.
  return {
    threads: int('threads', o.threads, 1),
    mmap: o.mmap,
    maxHits: int('maxHits', o.maxHits, 0),
    maxTextBytes: int('maxTextBytes', o.maxTextBytes, 0),
    chunkBytes: int('chunkBytes', o.chunkBytes, 1),
    maxLineBytes: int('maxLineBytes', o.maxLineBytes, 1),
  } satisfies { [K in keyof Required<NativeScanOptions>]: NativeScanOptions[K] | undefined };
}

/** Whether the Hyperscan library (libhs) could be loaded here. */
export function hyperscanAvailable(): boolean {
  return native.hyperscanAvailable();
}
