// `logmedic worker --cluster redis://HOST:PORT` (or LOGMEDIC_CLUSTER): this machine joins a
// cluster and analyzes the byte ranges `analyze --cluster` queues, and the files of its own disk
// that `analyze --on` asks it for, until SIGTERM or Ctrl-C, when it drains (finishes the jobs it
// holds) and exits 0. It logs to stderr, a line a job.
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';
import { checkWholeNumber } from './usage.js';

export interface WorkerArgs {
  cluster?: string;
  concurrency: number;
  name?: string;
  root?: string;
}

export function workerBuilder(y: Argv): Argv<WorkerArgs> {
  return y
    .option('cluster', { type: 'string', describe: 'the Redis that holds the queue: redis://[USER:PASSWORD@]HOST:PORT (rediss:// for TLS); default: $LOGMEDIC_CLUSTER' })
    .option('concurrency', { type: 'number', default: 1, describe: 'ranges analyzed at once (each uses every core)' })
    .option('name', { type: 'string', describe: 'this worker\'s name in the cluster (default: the host name)' })
    .option('root', { type: 'string', describe: 'for analyze --on: where this host\'s / is mounted (a container reading the host\'s disk at /host); default /' })
    .example('$0 worker --cluster redis://10.0.0.5:6379', 'join the cluster; stop with SIGTERM (it drains first)')
    .example('$0 worker --cluster redis://10.0.0.5:6379 --root /host', 'in a container with the host\'s disk at /host: analyze --on reads /host/var/log/… for /var/log/…')
    .example('$0 worker --cluster rediss://logmedic:PASSWORD@redis.internal:6380 --name gpu-3', 'over TLS as an ACL user') as unknown as Argv<WorkerArgs>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Load a cluster module. BullMQ is an optional peer dependency (it brings an install script
 * most installs never need): without it the cluster commands say how to add it.
 */
export async function loadCluster<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /'bullmq'/.test((err as Error).message)) {
      throw new LogmedicError('E_USAGE', 'the cluster commands need BullMQ, an optional peer dependency: npm install bullmq (where logmedic is installed; -g for a global logmedic)');
    }
    throw err;
  }
}

export async function runWorker(args: WorkerArgs, signal: AbortSignal, version: string): Promise<number> {
  const { checkClusterUrl } = await import('../cluster/queue.js');
  let url: string;
  try {
    // From the environment, a URL with a password stays out of the process list.
    url = checkClusterUrl(args.cluster ?? process.env.LOGMEDIC_CLUSTER, '--cluster');
  } catch (err) {
    throw new LogmedicError('E_USAGE', (err as Error).message);
  }
  checkWholeNumber('concurrency', args.concurrency, 1);
  const name = args.name ?? hostname();
  if (!NAME.test(name)) throw new LogmedicError('E_USAGE', `--name: ${JSON.stringify(name)} is not a worker name (letters, digits, _ . -)`);
  let root: string | undefined;
  if (args.root !== undefined) {
    root = resolve(args.root);
    let dir = false;
    try {
      dir = statSync(root).isDirectory();
    } catch {
      /* reported below */
    }
    if (!dir) throw new LogmedicError('E_USAGE', `--root: ${args.root} is not a directory`);
  }
  // Listening for SIGTERM before joining: a stop that comes as the worker announces itself drains it too.
  const stop = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    process.once('SIGTERM', () => resolve());
  });
  // The queue library loads only for the cluster commands.
  const { startWorker } = await loadCluster(() => import('../cluster/worker.js'));
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker({ url, name, root, concurrency: args.concurrency, version, log: (line) => process.stderr.write(`logmedic: ${line}\n`) });
  } catch (err) {
    throw new LogmedicError('E_IO', `worker: ${(err as Error).message}`);
  }
  await stop;
  await worker.drain();
  // What the queue library still has pending after a drain Redis cut short (retry timers of
  // its connections) must not keep the process: it ends within a few seconds either way.
  setTimeout(() => process.exit(process.exitCode ?? 0), 3_000).unref();
  return 0;
}
