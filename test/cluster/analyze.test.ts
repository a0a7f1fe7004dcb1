// `analyze --cluster` against a real Redis and real worker processes: the answer equals a local
// analyze (text, JSON and exit code; only elapsedMs differs) on a 256 MiB genlog with three
// workers; a worker killed with SIGKILL mid-range changes nothing (its range is retried and
// counted once); Redis restarted mid-run gives a clear error, never an answer, and the worker
// carries on after it.
import test from 'ava';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectRedis } from '../../src/cluster/redis.js';
import { ROOT, runCli, type Run } from '../cli/_run.js';
import { tmpWorld } from '../recovery/helpers.js';
import { hasRedis, NO_REDIS, startRedis, type TestRedis } from './_redis.js';
import { startWorker, stopWorkers } from './_workers.js';

/** The same run in background, to act on the cluster while it works. */
function runInBackground(args: string[], cwd: string): Promise<Run> {
  return runCli(args, { cwd });
}

const jsonWithoutTiming = (s: string) => ({ ...JSON.parse(s), elapsedMs: 0 });
/** The human report's last line carries the elapsed time; everything else must be equal. */
const textWithoutTiming = (s: string) => s.replace(/[^\n]*\n$/, '');
const rangesIn = (log: string) => [...log.matchAll(/^logmedic: range (\S+) /gm)].map((m) => m[1]);

async function genlog(dir: string, name: string, mb: number, seed: number): Promise<void> {
  const r = await runCli(['genlog', '--size', String(mb), '--seed', String(seed), '-o', name], { cwd: dir });
  if (r.code !== 0) throw new Error(r.stderr);
}

/** Wait until some range job is being worked on (BullMQ's active list). */
async function someRangeActive(url: string): Promise<void> {
  const c = await connectRedis(url);
  try {
    for (let i = 0; i < 2400; i++) {
      if ((await c.llen('logmedic:ranges:active')) > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no range became active');
  } finally {
    c.disconnect();
  }
}

if (!hasRedis) test('analyze --cluster', (t) => t.log(NO_REDIS) || t.pass());
else {
  let dir: string;
  test.before(async () => {
    dir = tmpWorld('logmedic-cluster-');
    // 256 MiB (269 MB) for the equality test; 64 MB for the fault tests.
    await genlog(dir, 'big.log', 269, 42);
    await genlog(dir, 'mid.log', 64, 9);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log'), join(dir, 'visionai.log'));
  });

  test.serial('three workers, a 256 MiB genlog and a small log: the same text, JSON and exit code as a local analyze', async (t) => {
    t.timeout(8 * 60_000);
    const redis = await startRedis();
    const workers = await Promise.all(['w1', 'w2', 'w3'].map((n) => startWorker(redis.url, n)));
    try {
      const files = ['big.log', 'visionai.log'];
      const local = await runCli(['analyze', ...files, '--json'], { cwd: dir });
      const cluster = await runCli(['analyze', '--cluster', redis.url, '--range-mb', '16', ...files, '--json'], { cwd: dir });
      t.is(local.code, 1, local.stderr);
      t.is(cluster.code, local.code, cluster.stderr);
      t.deepEqual(jsonWithoutTiming(cluster.stdout), jsonWithoutTiming(local.stdout));
      const done = workers.flatMap((w) => rangesIn(w.log()));
      t.is(done.length, 17 + 1, 'big.log in 17 ranges of 16 MiB, visionai.log in one');
      t.true(workers.filter((w) => rangesIn(w.log()).length > 0).length >= 2, 'the ranges were shared out');

      const localText = await runCli(['analyze', 'visionai.log', 'big.log', '--max-samples', '2'], { cwd: dir });
      const clusterText = await runCli(['analyze', '--cluster', redis.url, '--range-mb', '64', 'visionai.log', 'big.log', '--max-samples', '2'], { cwd: dir });
      t.is(clusterText.code, localText.code);
      t.is(textWithoutTiming(clusterText.stdout), textWithoutTiming(localText.stdout));
    } finally {
      await stopWorkers(workers);
      await redis.stop();
    }
  });

  test.serial('a worker killed with SIGKILL mid-range: another takes the range over; the answer is the same, nothing counted twice', async (t) => {
    t.timeout(5 * 60_000);
    const redis = await startRedis();
    const doomed = await startWorker(redis.url, 'doomed');
    const workers = [doomed];
    try {
      const local = await runCli(['analyze', 'mid.log', '--json'], { cwd: dir });
      const pending = runInBackground(['analyze', '--cluster', redis.url, '--range-mb', '8', 'mid.log', '--json'], dir);
      await someRangeActive(redis.url);
      doomed.child.kill('SIGKILL');
      t.is(await doomed.exited, null);
      workers.push(await startWorker(redis.url, 'survivor'));
      const cluster = await pending;
      t.is(cluster.code, local.code, cluster.stderr);
      t.deepEqual(jsonWithoutTiming(cluster.stdout), jsonWithoutTiming(local.stdout));
      const byDoomed = rangesIn(doomed.log());
      const bySurvivor = rangesIn(workers[1].log());
      t.true(byDoomed.length < 8, `the killed worker finished ${byDoomed.length} of 8 ranges`);
      t.deepEqual([...new Set([...byDoomed, ...bySurvivor])].sort(), ['0.0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7']);
    } finally {
      await stopWorkers(workers);
      await redis.stop();
    }
  });

  test.serial('Redis restarted mid-run: a clear error and exit 2, never an answer; the worker carries on with the next run', async (t) => {
    t.timeout(5 * 60_000);
    let redis: TestRedis = await startRedis();
    const worker = await startWorker(redis.url, 'steady');
    try {
      const pending = runInBackground(['analyze', '--cluster', redis.url, '--range-mb', '4', 'mid.log', '--json'], dir);
      await someRangeActive(redis.url);
      await redis.stop();
      redis = await startRedis(redis.port);
      const broken = await pending;
      t.is(broken.code, 2);
      t.is(broken.stdout, '', 'no answer at all');
      t.regex(broken.stderr, /^logmedic: --cluster: (the run's keys are gone from|lost) redis:\/\/127\.0\.0\.1:\d+ .*run the analysis again\n$/);

      // The worker reconnected by itself: the next run works.
      for (let i = 0; i < 400 && !(await (async () => { const c = await connectRedis(redis.url); const k = await c.exists('logmedic:worker:steady'); c.disconnect(); return k; })()); i++) await new Promise((r) => setTimeout(r, 50));
      const local = await runCli(['analyze', 'visionai.log', '--json'], { cwd: dir });
      const again = await runCli(['analyze', '--cluster', redis.url, 'visionai.log', '--json'], { cwd: dir });
      t.is(again.code, local.code, again.stderr);
      t.deepEqual(jsonWithoutTiming(again.stdout), jsonWithoutTiming(local.stdout));
    } finally {
      await stopWorkers([worker]);
      await redis.stop();
    }
  });
}
