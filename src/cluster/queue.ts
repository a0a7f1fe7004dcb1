// The names and shapes shared by `logmedic worker` and `logmedic analyze --cluster`: BullMQ
// queues under one prefix, the per-run keys where partial analyses are stored (one field per
// range id, so a retried range overwrites its own partial and is never counted twice), and the
// workers' heartbeats.

import type { LogAnalyzerOptions } from '../diagnosis/analyzer.js';

/** Every key logmedic's queues and runs use starts with this. */
export const PREFIX = 'logmedic';
/** Range jobs: any worker takes them. */
export const RANGE_QUEUE = 'ranges';
/** Heartbeats: `${PREFIX}:worker:<name>`, expiring when a worker stops beating. */
export const HEARTBEAT_MS = 5_000;
export const HEARTBEAT_TTL_S = 15;
/** A worker that stops renewing its job's lock this long (killed, frozen) loses the job to another. */
export const LOCK_MS = 10_000;
/** A run's keys live this long after it was queued (a client that died leaves nothing behind for good). */
export const RUN_TTL_S = 24 * 3600;

export const workerKey = (name: string) => `${PREFIX}:worker:${name}`;
export const runKey = (runId: string, what: 'options' | 'partials') => `${PREFIX}:run:${runId}:${what}`;

/** What a worker needs to analyze as the client would: its config's analyzer options, serializable. */
export type RunOptions = Pick<LogAnalyzerOptions, 'catalog' | 'actionMap' | 'maxSamples' | 'engine' | 'year'> & { since?: string; until?: string };

/** One byte range of one file; the range owns the records that start in it. */
export interface RangeJob {
  runId: string;
  rangeId: string;
  /** The file's place among the run's files: what the merged diagnosis calls it. */
  fileIndex: number;
  path: string;
  start: number;
  end: number;
}

/** What a range job returns (its partial itself is stored under runKey(runId, 'partials')). */
export interface RangeDone {
  rangeId: string;
  worker: string;
  partialBytes: number;
  ms: number;
}

export interface Heartbeat {
  name: string;
  host: string;
  pid: number;
  version: string;
  concurrency: number;
  /** 1-minute load average of the worker's machine. */
  load: number;
  active: number;
  done: number;
  time: string;
}

/** Options as JSON carries them (dates as ISO strings) and back. */
export function toRunOptions(o: LogAnalyzerOptions): RunOptions {
  return {
    ...(o.catalog ? { catalog: o.catalog } : {}),
    ...(o.actionMap ? { actionMap: o.actionMap } : {}),
    ...(o.maxSamples !== undefined ? { maxSamples: o.maxSamples } : {}),
    ...(o.engine ? { engine: o.engine } : {}),
    ...(o.year !== undefined ? { year: o.year } : {}),
    ...(o.since ? { since: o.since.toISOString() } : {}),
    ...(o.until ? { until: o.until.toISOString() } : {}),
  };
}

export function fromRunOptions(o: RunOptions): LogAnalyzerOptions {
  const { since, until, ...rest } = o;
  return { ...rest, ...(since ? { since: new Date(since) } : {}), ...(until ? { until: new Date(until) } : {}) };
}

/** A redis:// or rediss:// URL, or a usage error naming the option. */
export function checkClusterUrl(url: unknown, option: string): string {
  if (typeof url !== 'string' || !/^rediss?:\/\/\S+$/.test(url)) throw new Error(`${option} needs a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  return url;
}
