// `logmedic worker`: a BullMQ worker that analyzes byte ranges with the native core and stores
// each partial under its range id (a retry overwrites, never adds), takes `analyze --on` jobs
// for its own disk from a queue of its own (host-jobs.ts), beats its heart (name, host, load,
// version) into Redis, and drains on SIGTERM: the jobs it holds finish first.

import { hostname, loadavg } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
import { analyzeRange } from './ranges.js';
import { fromRunOptions, HEARTBEAT_MS, HEARTBEAT_TTL_S, LOCK_MS, PREFIX, RANGE_QUEUE, RUN_TTL_S, runKey, workerKey, type Heartbeat, type RangeDone, type RangeJob, type RunOptions } from './queue.js';
import { connectRedis } from './redis.js';
import { analyzeFiles, hostQueue, listFiles, type Analyzed, type HostJob, type Listed } from './host-jobs.js';

/** How often a draining worker checks that Redis still answers. */
const REDIS_CHECK_MS = 250;
/** How long a worker that lost Redis waits for the queue's connections to close before it exits. */
const STOP_WAIT_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface WorkerOptions {
  url: string;
  name: string;
  concurrency: number;
  version: string;
  /** Where this host's `/` is for `analyze --on` jobs (a container's mount of the host's disk); default `/`. */
  root?: string;
  /** Lines for the operator (started, each range, draining). */
  log: (line: string) => void;
}

export interface RunningWorker {
  /** Stop taking jobs, finish the ones held, stop beating; resolves when all that is done. */
  drain(): Promise<void>;
}

/** Analyzers compiled per run (a run's catalog is compiled once per worker, not per range). */
class AnalyzerCache {
  private readonly byRun = new Map<string, LogAnalyzer>();
  constructor(private readonly redis: Redis) {}

  async get(runId: string): Promise<LogAnalyzer> {
    const hit = this.byRun.get(runId);
    if (hit) return hit;
    const raw = await this.redis.get(runKey(runId, 'options'));
    if (raw === null) throw new Error(`run ${runId} has no options in Redis (expired, or the client's keys were removed)`);
    const analyzer = new LogAnalyzer(fromRunOptions(JSON.parse(raw) as RunOptions));
    // A few runs at a time is plenty; the oldest compiled catalog goes first.
    if (this.byRun.size >= 4) this.byRun.delete(this.byRun.keys().next().value!);
    this.byRun.set(runId, analyzer);
    return analyzer;
  }
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  // Both connections wait out a Redis restart: a worker outlives its Redis, and jobs it
  // cannot finish meanwhile go back to the queue when their lock lapses.
  const store = await connectRedis(o.url, { forQueue: true });
  const queueConnection = await connectRedis(o.url, { forQueue: true });
  const analyzers = new AnalyzerCache(store);
  let done = 0;
  let active = 0;

  const worker = new Worker<RangeJob, RangeDone>(
    RANGE_QUEUE,
    async (job: Job<RangeJob, RangeDone>) => {
      const t0 = performance.now();
      const { runId, rangeId, path, start, end } = job.data;
      active++;
      let partial: Buffer;
      try {
        partial = await analyzeRange(await analyzers.get(runId), job.data);
      } finally {
        active--;
      }
      // One field per range: a range analyzed twice (a retry after a kill) leaves one partial.
      await store.multi().hset(runKey(runId, 'partials'), rangeId, partial).expire(runKey(runId, 'partials'), RUN_TTL_S).exec();
      done++;
      const ms = Math.round(performance.now() - t0);
      o.log(`range ${rangeId} ${path} [${start}, ${end}) → ${partial.length} B partial in ${ms} ms`);
      return { rangeId, worker: o.name, partialBytes: partial.length, ms };
    },
    { connection: queueConnection, prefix: PREFIX, concurrency: o.concurrency, lockDuration: LOCK_MS, stalledInterval: LOCK_MS / 2, maxStalledCount: 3, autorun: true },
  );
  // While Redis is away the queue reports the same refused connection every retry: said once.
  let lastQueueError = '';
  const queueError = (err: Error) => {
    if (err.message !== lastQueueError) o.log(`queue error: ${err.message}`);
    lastQueueError = err.message;
  };
  worker.on('error', queueError);
  worker.on('failed', (job, err) => o.log(`range ${job?.data.rangeId ?? '?'} failed: ${err.message}`));

  // `analyze --on`: jobs for this host's own files, on a queue only this worker takes from.
  // A job whose worker died is never run again (maxStalledCount 0): the client has reported
  // this host as failed by then, and nobody else holds its files.
  const own = new Worker<HostJob, Listed | Analyzed>(
    hostQueue(o.name),
    async (job) => {
      const data = job.data;
      if (data.kind === 'list') {
        const listed = listFiles(data.paths, o.root);
        o.log(`run ${data.runId}: ${listed.files.length} files of my own match ${data.paths.join(' ')}`);
        return listed;
      }
      active++;
      try {
        const analyzer = await analyzers.get(data.runId);
        const analyzed = await analyzeFiles(analyzer, data, o.name, o.root, async (field, partial) => {
          await store.multi().hset(runKey(data.runId, 'partials'), field, partial).expire(runKey(data.runId, 'partials'), RUN_TTL_S).exec();
        });
        o.log(`run ${data.runId}: ${analyzed.files} files of my own (${analyzed.bytes} B) analyzed in ${analyzed.ms} ms`);
        return analyzed;
      } finally {
        active--;
      }
    },
    { connection: queueConnection, prefix: PREFIX, concurrency: o.concurrency, lockDuration: LOCK_MS, stalledInterval: LOCK_MS / 2, maxStalledCount: 0, autorun: true },
  );
  own.on('error', queueError);
  own.on('failed', (job, err) => o.log(`run ${job?.data.runId ?? '?'}: ${job?.data.kind ?? 'job'} of my own files failed: ${err.message}`));

  // Both of the worker's connections (the blocking one is its own copy) are up before it
  // says it is ready: closing one that is still connecting rejects where no listener is left.
  const blocking = await Promise.all([worker.waitUntilReady(), own.waitUntilReady()]);

  store.on('ready', () => (lastQueueError = ''));
  const beat = async () => {
    const hb: Heartbeat = { name: o.name, host: hostname(), pid: process.pid, version: o.version, concurrency: o.concurrency, load: loadavg()[0], active, done, time: new Date().toISOString() };
    await store.set(workerKey(o.name), JSON.stringify(hb), 'EX', HEARTBEAT_TTL_S).catch(() => {});
  };
  await beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  o.log(`worker ${o.name} on ${hostname()} ready (concurrency ${o.concurrency}, logmedic ${o.version})`);

  return {
    async drain() {
      clearInterval(timer);
      // Draining needs Redis (each finished range is stored there). Without it the worker stops
      // at once: the ranges it held go back to the queue when their locks lapse.
      const unreachable = () => store.status !== 'ready' || queueConnection.status !== 'ready';
      // Every connection, the queues' blocking copies included: a close already under way (a
      // drain Redis left mid-way) waits for a QUIT that cannot be sent, and a connection left
      // reconnecting would keep the process alive.
      const disconnectAll = () => {
        for (const connection of [store, queueConnection, ...blocking]) connection.disconnect();
      };
      const stopNow = async () => {
        o.log(`worker ${o.name}: Redis is unreachable, stopping without draining (the ranges it held return to the queue when their locks lapse)`);
        disconnectAll();
        await Promise.race([Promise.all([worker.close(true), own.close(true)]).catch(() => {}), sleep(STOP_WAIT_MS)]);
        o.log(`worker ${o.name} stopped after ${done} ranges`);
      };
      if (unreachable()) return stopNow();
      o.log(`worker ${o.name} draining: finishing the ranges it holds`);
      let watch: NodeJS.Timeout | undefined;
      const lost = new Promise<'lost'>((resolve) => {
        watch = setInterval(() => unreachable() && resolve('lost'), REDIS_CHECK_MS);
      });
      const drained = await Promise.race([Promise.all([worker.close(), own.close()]).then(() => 'drained' as const), lost]);
      clearInterval(watch);
      if (drained === 'lost') return stopNow();
      const forget = async () => {
        await store.del(workerKey(o.name)).catch(() => {});
        // QUIT after the replies still due, so that no command is left to fail on a closed socket.
        await Promise.all([store.quit().catch(() => {}), queueConnection.quit().catch(() => {})]);
        return true;
      };
      if (!(await Promise.race([forget(), sleep(STOP_WAIT_MS).then(() => false)]))) {
        o.log(`worker ${o.name}: Redis is not answering; its heartbeat expires by itself within ${HEARTBEAT_TTL_S} s`);
        disconnectAll();
      }
      o.log(`worker ${o.name} stopped after ${done} ranges`);
    },
  };
}

/** The live workers, from their heartbeats. */
export async function listWorkers(redis: Redis): Promise<Heartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', workerKey('*'), 'COUNT', 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.flatMap((v) => (v ? [JSON.parse(v) as Heartbeat] : [])).sort((a, b) => a.name.localeCompare(b.name));
}
