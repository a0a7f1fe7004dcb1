// `analyze --cluster URL --on GLOB PATHS…`: the data stays where it lives. Each worker whose name
// matches GLOB lists PATHS on its own disk, then analyzes those files into partials (the core's
// summaries; no log line crosses the network). The core merges each host's partials into its
// own diagnosis, and all of them into the fleet's, in host-name order. A host's job is never
// retried elsewhere: a host that dies is reported as failed and the fleet answer as partial.

import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LogAnalyzer, LogAnalyzerOptions } from '../diagnosis/analyzer.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { LogmedicError } from '../errors.js';
import { hostQueue, partialField, type Analyzed, type HostJob, type Listed } from './host-jobs.js';
import { PREFIX, RUN_TTL_S, runKey, toRunOptions, workerKey, type Heartbeat } from './queue.js';
import { connectClient, redactUrl } from './redis.js';
import { listWorkers } from './worker.js';

/** How often the client looks at each host's job: a few commands per host, and the latency of each of the two rounds. */
const POLL_MS = 100;
const CLEANUP_MS = 2000;

export interface OnHostsOptions {
  url: string;
  /** Worker names to ask: a glob (`*`, `?`, `[…]`). */
  on: string;
  analyzer: LogAnalyzer;
  analyzerOptions: LogAnalyzerOptions;
  signal?: AbortSignal;
}

export interface HostAnswer {
  /** The worker's name (`--name`), which prefixes its files in the fleet answer. */
  name: string;
  /** The machine it runs on, from its heartbeat. */
  host: string;
  /** ok: analyzed; no-files: nothing of PATHS on its disk; failed: no answer from it (see error). */
  status: 'ok' | 'no-files' | 'failed';
  files: string[];
  skipped: Listed['skipped'];
  error?: string;
  diagnosis?: Diagnosis;
}

export interface FleetAnswer {
  on: string;
  paths: string[];
  /** True when a host failed: the fleet diagnosis lacks its files. */
  partial: boolean;
  hosts: HostAnswer[];
  /** The merge of every answering host's partials; files named `HOST:PATH`. */
  fleet: Diagnosis;
}

/** A worker-name glob as a regular expression over the whole name. */
export function nameMatcher(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && glob.indexOf(']', i + 1) > i + 1) {
      const end = glob.indexOf(']', i + 1);
      re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function checkOnPaths(paths: string[]): void {
  if (paths.length === 0) throw new LogmedicError('E_USAGE', '--on needs the paths to read on each worker (e.g. \'/var/log/app/*.log\', quoted so that this shell leaves the glob alone)');
  for (const p of paths) {
    if (p === '-') throw new LogmedicError('E_USAGE', '--on reads files on the workers\' disks; stdin (-) is not one of them');
    if (!p.startsWith('/')) throw new LogmedicError('E_USAGE', `--on: ${p} is relative; give absolute paths, as they are on each worker's disk`);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * One job on each host's own queue, and each host's outcome. A host fails when its job fails,
 * when its job's lock lapses while active (the worker died or froze), or when its heartbeat
 * goes before it took the job (it left the cluster).
 */
async function onEachHost<T>(
  store: Redis,
  queues: Map<string, Queue>,
  jobs: Map<string, HostJob>,
  where: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, Outcome<T>>> {
  const added = new Map<string, Job>();
  for (const [name, data] of jobs) {
    const queue = queues.get(name)!;
    added.set(name, await queue.add(data.kind, data, { jobId: `${data.runId}.${data.kind}`, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } }));
  }
  const out = new Map<string, Outcome<T>>();
  try {
    await waitForHosts(store, queues, added, out, where, signal);
  } finally {
    // A job without an answer (its host failed, or this run stopped) must not run later, when
    // a worker of that name comes back: remove what can be (an active one expires unanswered).
    // Bounded: with Redis gone, cleaning up must not become the hang.
    const unanswered = [...added].filter(([name]) => !out.get(name)?.ok).map(([, job]) => job.remove().catch(() => {}));
    await Promise.race([Promise.all(unanswered), new Promise((r) => setTimeout(r, CLEANUP_MS).unref())]);
  }
  return out;
}

async function waitForHosts<T>(store: Redis, queues: Map<string, Queue>, added: Map<string, Job>, out: Map<string, Outcome<T>>, where: string, signal: AbortSignal | undefined): Promise<void> {
  const runId = (added.values().next().value as Job).data.runId as string;
  while (out.size < added.size) {
    if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'aborted');
    await new Promise((r) => setTimeout(r, POLL_MS));
    try {
      if ((await store.exists(runKey(runId, 'options'))) === 0) {
        throw new LogmedicError('E_IO', `--cluster: the run's keys are gone from ${where} (Redis restarted or was flushed); nothing was merged — run the analysis again`);
      }
      for (const [name, job] of added) {
        if (out.has(name)) continue;
        const queue = queues.get(name)!;
        const state = await job.getState();
        if (state === 'completed') {
          const done = await Job.fromId(queue, job.id!);
          out.set(name, { ok: true, value: done!.returnvalue as T });
        } else if (state === 'failed') {
          const failed = await Job.fromId(queue, job.id!);
          out.set(name, { ok: false, error: failed?.failedReason || 'the job failed' });
        } else if (state === 'active') {
          // No lock while still active (asked again: the job may have just finished): its worker is gone.
          const locked = (await store.exists(`${PREFIX}:${queue.name}:${job.id}:lock`)) === 1;
          if (!locked && (await job.getState()) === 'active') out.set(name, { ok: false, error: 'the worker stopped answering mid-job (its job lock lapsed: killed, or frozen)' });
        } else if (state === 'unknown') {
          out.set(name, { ok: false, error: 'its job vanished from Redis' });
        } else if ((await store.exists(workerKey(name))) === 0) {
          out.set(name, { ok: false, error: 'the worker left the cluster before taking the job (no heartbeat)' });
        }
      }
    } catch (err) {
      if (err instanceof LogmedicError) throw err;
      throw new LogmedicError('E_IO', `--cluster: lost ${where} during the run (${(err as Error).message}); nothing was merged — run the analysis again`);
    }
  }
}

export async function analyzeOnHosts(paths: string[], o: OnHostsOptions): Promise<FleetAnswer> {
  checkOnPaths(paths);
  const t0 = performance.now();
  const { store, queue: queueConnection } = await connectClient(o.url);
  const where = redactUrl(o.url);
  const runId = randomUUID();
  const queues = new Map<string, Queue>();
  try {
    // The hosts are the workers beating now; one that joins later is not asked in this run.
    const live = await listWorkers(store);
    const match = nameMatcher(o.on);
    const chosen = live.filter((w) => match.test(w.name));
    if (chosen.length === 0) {
      const names = live.map((w) => w.name).join(', ');
      throw new LogmedicError('E_USAGE', `--on ${o.on}: no worker of that name is connected to ${where} (${live.length ? `connected: ${names}` : 'none is connected'})`);
    }
    for (const w of chosen) {
      const queue = new Queue(hostQueue(w.name), { connection: queueConnection, prefix: PREFIX });
      // A lost connection is answered by the poll (one line, exit 2), never printed as a stack trace.
      queue.on('error', () => {});
      queues.set(w.name, queue);
    }
    await store.set(runKey(runId, 'options'), JSON.stringify(toRunOptions(o.analyzerOptions)), 'EX', RUN_TTL_S);

    const answers = new Map<string, HostAnswer>(chosen.map((w: Heartbeat) => [w.name, { name: w.name, host: w.host, status: 'failed', files: [], skipped: [] }]));
    const listed = await onEachHost<Listed>(store, queues, new Map(chosen.map((w) => [w.name, { kind: 'list', runId, paths }])), where, o.signal);

    // Every file of the run gets its index, hosts in name order: the fleet answer reads them
    // in the order a local analyze of `HOST:PATH…` would.
    const fleetFiles: string[] = [];
    const analyzeJobs = new Map<string, HostJob>();
    for (const w of chosen) {
      const a = answers.get(w.name)!;
      const l = listed.get(w.name)!;
      if (!l.ok) {
        a.error = l.error;
        continue;
      }
      a.files = l.value.files;
      a.skipped = l.value.skipped;
      if (a.files.length === 0) {
        a.status = 'no-files';
        continue;
      }
      const first = fleetFiles.length;
      fleetFiles.push(...a.files.map((f) => `${w.name}:${f}`));
      analyzeJobs.set(w.name, { kind: 'analyze', runId, files: a.files.map((path, i) => ({ path, fileIndex: first + i })) });
    }
    if (analyzeJobs.size === 0) {
      const failed = [...answers.values()].filter((a) => a.status === 'failed');
      const why = failed.length ? `; ${failed.map((a) => `${a.name} failed: ${a.error}`).join('; ')}` : '';
      throw new LogmedicError('E_NOT_FOUND', `--on ${o.on}: none of ${[...answers.keys()].join(', ')} has a file matching ${paths.join(' ')}${why}`);
    }

    const analyzed = await onEachHost<Analyzed>(store, queues, analyzeJobs, where, o.signal);
    const stored = await store.hgetallBuffer(runKey(runId, 'partials'));
    const partials: Buffer[] = [];
    for (const [name, job] of analyzeJobs) {
      const a = answers.get(name)!;
      const r = analyzed.get(name)!;
      if (!r.ok) {
        a.error = r.error;
        continue;
      }
      const files = (job as Extract<HostJob, { kind: 'analyze' }>).files;
      const mine = files.map((f) => stored[partialField(name, f.fileIndex)]);
      if (mine.some((p) => !p)) {
        a.error = `its partials are missing from ${where} (Redis lost them?)`;
        continue;
      }
      // The host's own diagnosis names its files as on its disk; the fleet's prefixes the host.
      const names = fleetFiles.map((f) => (f.startsWith(`${name}:`) ? f.slice(name.length + 1) : f));
      const own = o.analyzer.mergePartials(mine, names);
      a.diagnosis = { ...own, files: a.files, elapsedMs: Math.round((r.value.ms ?? 0) * 100) / 100 };
      a.status = 'ok';
      partials.push(...mine);
    }
    const hosts = [...answers.values()];
    const failed = hosts.filter((a) => a.status === 'failed');
    if (partials.length === 0) {
      throw new LogmedicError('E_IO', `--on ${o.on}: no host answered: ${failed.map((a) => `${a.name} failed: ${a.error}`).join('; ')}`);
    }
    const answering = new Set(hosts.filter((a) => a.status === 'ok').map((a) => a.name));
    const merged = o.analyzer.mergePartials(partials, fleetFiles);
    // A failed host's files are not in the fleet answer: it names only what was read.
    const fleet: Diagnosis = { ...merged, files: fleetFiles.filter((f) => answering.has(f.slice(0, f.indexOf(':')))), elapsedMs: Math.round((performance.now() - t0) * 100) / 100 };
    return { on: o.on, paths, partial: failed.length > 0, hosts, fleet };
  } finally {
    const cleanup = (async () => {
      await store.del(runKey(runId, 'options'), runKey(runId, 'partials')).catch(() => {});
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
    })();
    await Promise.race([cleanup, new Promise((r) => setTimeout(r, CLEANUP_MS).unref())]);
    store.disconnect();
    queueConnection.disconnect();
  }
}
