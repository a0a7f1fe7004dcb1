// `analyze --cluster`: files split into byte ranges, queued as one BullMQ flow (the parent is
// the merge, the children are the ranges), analyzed by whichever workers are up, and the
// partials merged by the core into the diagnosis a local analyze gives. The merge reads
// exactly one partial per range id, so a range retried after a worker died counts once.

import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LogAnalyzer, LogAnalyzerOptions } from '../diagnosis/analyzer.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { JobProgress } from '../native.js';
import { LogmedicError } from '../errors.js';
import { mergeRun } from './ranges.js';
import { PREFIX, RANGE_QUEUE, RUN_TTL_S, runKey, toRunOptions, type RangeJob } from './queue.js';
import { connectClient, redactUrl } from './redis.js';
import { listWorkers } from './worker.js';

/** Default range size: large enough that queueing is noise beside the scan, small enough to spread. */
export const RANGE_BYTES = 64 * 1024 * 1024;
const COMPRESSED = /\.(gz|zst|zstd)$/i;
/** How often the client looks at the run (progress, and whether Redis still holds it). */
const POLL_MS = 250;
const CLEANUP_MS = 2000;

export interface ClusterAnalyzeOptions {
  url: string;
  analyzer: LogAnalyzer;
  analyzerOptions: LogAnalyzerOptions;
  rangeBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

/** Ranges of each file, in file order, each owning the records that start in it. */
export function splitRanges(runId: string, files: string[], rangeBytes: number): RangeJob[] {
  const out: RangeJob[] = [];
  files.forEach((path, fileIndex) => {
    const size = statSync(path).size;
    for (let start = 0, k = 0; start < size || (size === 0 && k === 0); start += rangeBytes, k++) {
      out.push({ runId, rangeId: `${fileIndex}.${k}`, fileIndex, path, start, end: Math.min(size, start + rangeBytes) });
      if (size === 0) break;
    }
  });
  return out;
}

function checkFiles(files: string[]): string[] {
  return files.map((f) => {
    if (f === '-') throw new LogmedicError('E_USAGE', '--cluster reads files the workers can open; stdin (-) cannot be split among them');
    if (COMPRESSED.test(f)) throw new LogmedicError('E_USAGE', `--cluster: ${f} is compressed; byte ranges need a plain file (analyze it without --cluster, or decompress it where the workers read)`);
    let st;
    try {
      st = statSync(f);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LogmedicError(code === 'EACCES' ? 'E_PERMISSION' : 'E_NOT_FOUND', `${f}: ${code === 'EACCES' ? 'permission denied' : 'no such file'}`);
    }
    if (st.isDirectory()) throw new LogmedicError('E_IS_DIRECTORY', `${f}: is a directory`);
    // Workers open the path themselves: it must mean the same file on every machine (shared storage).
    return resolve(f);
  });
}

/** Why a range failed, from the parent's reason (which names the child job) and the child's own. */
async function rangeFailure(ranges: Queue, parentReason: string): Promise<string> {
  const id = /:([^:\s]+) failed/.exec(parentReason)?.[1];
  const child = id ? await Job.fromId<RangeJob>(ranges, id).catch(() => undefined) : undefined;
  return child?.failedReason ? `range ${child.data.rangeId} of ${child.data.path} failed on every attempt: ${child.failedReason}` : parentReason;
}

export async function analyzeOnCluster(files: string[], o: ClusterAnalyzeOptions): Promise<Diagnosis> {
  const paths = checkFiles(files);
  const t0 = performance.now();
  const { store, queue: queueConnection } = await connectClient(o.url);
  const where = redactUrl(o.url);
  const runId = randomUUID();
  const mergeQueue = `merge-${runId}`;
  const ranges = splitRanges(runId, paths, o.rangeBytes ?? RANGE_BYTES);
  const total = ranges.reduce((n, r) => n + r.end - r.start, 0);
  const sizes = new Map(ranges.map((r) => [r.rangeId, r.end - r.start]));
  let merger: Worker | undefined;
  let poll: NodeJS.Timeout | undefined;
  let parentId: string | undefined;
  let merges: Queue | undefined;
  try {
    if ((await listWorkers(store)).length === 0) throw new LogmedicError('E_IO', `--cluster: no worker is connected to ${where} (start one: logmedic worker --cluster URL)`);
    merges = new Queue(mergeQueue, { connection: queueConnection, prefix: PREFIX });
    const rangeQueue = new Queue(RANGE_QUEUE, { connection: queueConnection, prefix: PREFIX });
    // A lost connection is answered by the poll below (one line, exit 2); BullMQ would print
    // an 'error' nobody listens to as a stack trace.
    for (const q of [merges, rangeQueue]) q.on('error', () => {});
    await store.set(runKey(runId, 'options'), JSON.stringify(toRunOptions(o.analyzerOptions)), 'EX', RUN_TTL_S);
    await store.expire(runKey(runId, 'partials'), RUN_TTL_S);

    const result = new Promise<Diagnosis>((resolveRun, reject) => {
      // The parent job, processed here once every range is done: the merge.
      merger = new Worker(
        mergeQueue,
        async () => {
          const stored = await store.hgetallBuffer(runKey(runId, 'partials'));
          const missing = ranges.filter((r) => !stored[r.rangeId]);
          if (missing.length > 0) throw new Error(`${missing.length} of ${ranges.length} ranges have no partial in ${where} (Redis lost them?); nothing was merged — run the analysis again`);
          // Exactly one partial per range id, in range order.
          resolveRun(mergeRun(o.analyzer, ranges.map((r) => stored[r.rangeId]), files, performance.now() - t0));
          return { ranges: ranges.length };
        },
        { connection: queueConnection, prefix: PREFIX, concurrency: 1 },
      );
      merger.on('error', () => {});
      merger.on('failed', async (_job, err) => reject(new LogmedicError('E_IO', `--cluster: ${await rangeFailure(rangeQueue, err.message)}; nothing was merged`)));
      // Progress from the partials stored; and a run whose keys vanished (Redis restarted
      // without them) is an error now, never a wait for ranges that no longer exist.
      poll = setInterval(async () => {
        try {
          const [[, exists], [, done]] = (await store.multi().exists(runKey(runId, 'options')).hkeys(runKey(runId, 'partials')).exec())! as [[null, number], [null, string[]]];
          if (exists === 0) reject(new LogmedicError('E_IO', `--cluster: the run's keys are gone from ${where} (Redis restarted or was flushed); nothing was merged — run the analysis again`));
          // A range that failed every attempt fails the merge job before it ever runs here.
          const parent = parentId ? await Job.fromId(merges!, parentId) : undefined;
          if (parent?.failedReason) reject(new LogmedicError('E_IO', `--cluster: ${await rangeFailure(rangeQueue, parent.failedReason)}; nothing was merged`));
          o.onProgress?.({ bytes: done.reduce((n, id) => n + (sizes.get(id) ?? 0), 0), total });
        } catch (err) {
          reject(new LogmedicError('E_IO', `--cluster: lost ${where} during the run (${(err as Error).message}); nothing was merged — run the analysis again`));
        }
      }, POLL_MS);
      o.signal?.addEventListener('abort', () => reject(new LogmedicError('E_ABORTED', 'aborted')), { once: true });
    });
    // Ranges finish into partials that are retried (a worker killed mid-range) up to 3 times.
    const flow = new FlowProducer({ connection: queueConnection, prefix: PREFIX });
    flow.on('error', () => {});
    const added = await flow.add({
      name: 'merge',
      queueName: mergeQueue,
      data: { runId },
      children: ranges.map((r) => ({
        name: 'range',
        queueName: RANGE_QUEUE,
        data: r,
        opts: { jobId: `${runId}.${r.rangeId}`, attempts: 3, backoff: { type: 'fixed', delay: 500 }, failParentOnFailure: true, removeOnComplete: true, removeOnFail: { age: 3600 } },
      })),
    });
    parentId = added.job.id;
    await flow.close();
    return await result;
  } finally {
    if (poll) clearInterval(poll);
    // The run's keys and its merge queue go; what a dead client or a lost Redis leaves expires
    // with RUN_TTL_S. Bounded: with Redis gone, cleaning up must not become the hang.
    const cleanup = (async () => {
      await merger?.close(true).catch(() => {});
      await store.del(runKey(runId, 'options'), runKey(runId, 'partials')).catch(() => {});
      await merges?.obliterate({ force: true }).catch(() => {});
    })();
    await Promise.race([cleanup, new Promise((r) => setTimeout(r, CLEANUP_MS).unref())]);
    store.disconnect();
    queueConnection.disconnect();
  }
}
