// `analyze --cluster URL --on GLOB PATHS` against a real Redis and three real worker processes,
// gpu-1, gpu-2 and cpu-1, each with its own temp dir as its disk (`worker --root DIR`): each
// host's answer equals a local analyze of its own files, the fleet's equals a local analyze of
// all of them in host order, gzip and zstd files read as locally; only the named hosts are asked; a host with no files is reported,
// not an error, unless none has any; a host killed mid-job is reported as failed and the answer
// marked partial, never retried elsewhere; a worker that joins mid-run is not asked.
import test from 'ava';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { connectRedis } from '../../src/cluster/redis.js';
import { cleanEnv, ROOT, runCli } from '../cli/_run.js';
import { tmpWorld } from '../recovery/helpers.js';
import { hasRedis, NO_REDIS, startRedis, type TestRedis } from './_redis.js';
import { startWorker, stopWorkers, type TestWorker } from './_workers.js';

let redis: TestRedis;
const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
const APP_ZST = join(ROOT, 'test', 'fixtures', 'inputs', 'app.log.zst');
const APP = '/var/log/app';

test('--on: bad usage is one line and exit 2, before any Redis is asked', async (t) => {
  const cases: [string[], string][] = [
    [['analyze', '--on', 'gpu-*', '/var/log/app/x.log'], 'logmedic: --on goes with --cluster (the Redis its workers use)\n'],
    [['analyze', '--cluster', 'redis://127.0.0.1:1', '--on', 'gpu-*', 'app/*.log'], "logmedic: --on: app/*.log is relative; give absolute paths, as they are on each worker's disk\n"],
    [['analyze', '--cluster', 'redis://127.0.0.1:1', '--on', 'gpu-*'], "logmedic: --on needs the paths to read on each worker (e.g. '/var/log/app/*.log', quoted so that this shell leaves the glob alone)\n"],
    [['analyze', '--cluster', 'redis://127.0.0.1:1', '--on', 'gpu-*', '--range-mb', '8', '/x.log'], 'logmedic: --range-mb splits files for --cluster; with --on each host reads its own files whole\n'],
    [['analyze', '--cluster', 'redis://127.0.0.1:1', '--on', 'gpu-*', '--journal'], "logmedic: --on analyzes files on the workers' disks, not --journal\n"],
  ];
  for (const [args, stderr] of cases) {
    const r = await runCli(args);
    t.is(r.code, 2, args.join(' '));
    t.is(r.stderr, stderr);
    t.is(r.stdout, '');
  }
});

/** A host's disk: `files` written under DIR/var/log/app. */
function disk(files: Record<string, string | Buffer | { copy: string }>): string {
  const root = tmpWorld('logmedic-disk-');
  mkdirSync(join(root, APP), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(join(root, APP, name), content);
    else copyFileSync(content.copy, join(root, APP, name));
  }
  return root;
}

/** A local analyze's JSON with its file names rewritten (`from` prefix to `to`) and no timing. */
function renamed(json: string, from: string, to: string) {
  const d = JSON.parse(json.split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1)));
  return { ...d, elapsedMs: 0 };
}
const untimed = (d: Record<string, unknown>) => ({ ...d, elapsedMs: 0 });

async function localJson(files: string[]): Promise<{ code: number | null; stdout: string }> {
  const r = await runCli(['analyze', ...files, '--json']);
  if (r.code === 2) throw new Error(r.stderr);
  return r;
}

/** Wait until the worker `name` is analyzing its files (its analyze job is active). */
async function analyzingOn(name: string, url = redis.url): Promise<void> {
  const c = await connectRedis(url);
  try {
    for (let i = 0; i < 4800; i++) {
      if ((await c.lrange(`logmedic:host-${name}:active`, 0, -1)).some((id) => id.endsWith('.analyze'))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${name} never took its analyze job`);
  } finally {
    c.disconnect();
  }
}

if (!hasRedis) test('analyze --on', (t) => t.log(NO_REDIS) || t.pass());
else {
  let workers: TestWorker[] = [];
  let disks: Record<string, string>;
  test.before(async () => {
    const half = join(tmpWorld('logmedic-half-'), 'half.log');
    const lines = readFileSync(SAMPLE, 'utf8').split('\n');
    writeFileSync(half, lines.slice(0, 30).join('\n') + '\n');
    disks = {
      'gpu-1': disk({
        'a.log': { copy: SAMPLE },
        'b.log': '2026-12-01 10:00:00 INFO all good\n',
        // A rotated log, gzip, and a zstd one: read decompressed, as a local analyze reads them.
        'a.log.1.gz': gzipSync(lines.slice(20).join('\n')),
        'app.log.zst': { copy: APP_ZST },
      }),
      'gpu-2': disk({ 'x.log': { copy: half } }),
      'cpu-1': disk({}),
    };
    redis = await startRedis();
    workers = await Promise.all(Object.entries(disks).map(([name, root]) => startWorker(redis.url, name, ['--root', root])));
  });
  test.after.always(async () => {
    await stopWorkers(workers);
    await redis?.stop();
  });

  test.serial('--on gpu-*: each host answers as a local analyze of its own files; the fleet as one of all of them, HOST:PATH; cpu-1 is not asked', async (t) => {
    const r = await runCli(['analyze', '--cluster', redis.url, '--on', 'gpu-*', `${APP}/*.log*`, '--json']);
    const d = JSON.parse(r.stdout);
    t.is(d.partial, false);
    t.deepEqual(d.hosts.map((h: { name: string; status: string }) => [h.name, h.status]), [['gpu-1', 'ok'], ['gpu-2', 'ok']]);
    const [g1, g2] = d.hosts;
    t.deepEqual(g1.files, [`${APP}/a.log`, `${APP}/a.log.1.gz`, `${APP}/app.log.zst`, `${APP}/b.log`]);
    t.deepEqual(g1.skipped, []);

    const g1Files = g1.files.map((f: string) => join(disks['gpu-1'], f));
    const g2Files = g2.files.map((f: string) => join(disks['gpu-2'], f));
    const local1 = await localJson(g1Files);
    const local2 = await localJson(g2Files);
    t.deepEqual(untimed(g1.diagnosis), renamed(local1.stdout, disks['gpu-1'], ''));
    t.deepEqual(untimed(g2.diagnosis), renamed(local2.stdout, disks['gpu-2'], ''));

    const all = await localJson([...g1Files, ...g2Files]);
    t.deepEqual(untimed(d.fleet), renamed(JSON.stringify(renamed(all.stdout, disks['gpu-1'], 'gpu-1:')), disks['gpu-2'], 'gpu-2:'));
    const records = (diagnosis: { errors: { count: number }[] }) => diagnosis.errors.reduce((n, e) => n + e.count, 0);
    t.is(records(d.fleet), records(g1.diagnosis) + records(g2.diagnosis));
    // The compressed files were read, not skipped: gpu-1 counts more than its plain files hold.
    const plainOnly = await localJson(g1Files.filter((f: string) => f.endsWith('.log')));
    t.true(records(g1.diagnosis) > records(JSON.parse(plainOnly.stdout)));
    t.deepEqual(g1.diagnosis.files, g1.files);
    t.is(r.code, all.code, r.stderr);
    t.is(r.code, 1);
    t.false(workers[2].log().includes('files of my own'), 'cpu-1 was never asked');
    t.regex(workers[0].log(), /^logmedic: run \S+: 4 files of my own match \/var\/log\/app\/\*\.log\*$/m);
  });

  test.serial('text: a section per host, then the fleet; a host with no files is reported, not an error', async (t) => {
    const r = await runCli(['analyze', '--cluster', redis.url, '--on', '*', `${APP}/*.log`], { env: cleanEnv({ NO_COLOR: '1' }) });
    t.is(r.code, 1, r.stderr);
    t.regex(r.stdout, /^== cpu-1 \(\S+\): no file matches \/var\/log\/app\/\*\.log\n {2}skipped \/var\/log\/app\/\*\.log: no file matches\n\n== gpu-1 \(\S+\): 2 files\nFound error: OutOfMemory {2}\(2 records\)\n/);
    t.regex(r.stdout, /\n== gpu-2 \(\S+\): 1 file\n/);
    t.regex(r.stdout, /\n== fleet: 3 of 3 hosts answered, 3 files\nFound error: OutOfMemory {2}\(\d+ records\)\n {2}time span: .* gpu-1:\/var\/log\/app\/a\.log:12 … gpu-2:\/var\/log\/app\/x\.log:18\n/);
    t.notRegex(r.stdout, /PARTIAL/);
  });

  test.serial('no worker matches, or no matching worker has a file: one line, exit 2', async (t) => {
    const none = await runCli(['analyze', '--cluster', redis.url, '--on', 'tpu-*', `${APP}/*.log`]);
    t.is(none.code, 2);
    t.is(none.stderr, `logmedic: --on tpu-*: no worker of that name is connected to ${redis.url} (connected: cpu-1, gpu-1, gpu-2)\n`);
    const empty = await runCli(['analyze', '--cluster', redis.url, '--on', '*', '/srv/none/*.log']);
    t.is(empty.code, 2);
    t.is(empty.stderr, 'logmedic: --on *: none of cpu-1, gpu-1, gpu-2 has a file matching /srv/none/*.log\n');
    t.is(empty.stdout, '');
  });

  test.serial('a broken archive fails its host\'s job, with the reason a local analyze gives', async (t) => {
    const whole = gzipSync(readFileSync(SAMPLE));
    const arcDisk = disk({ 'ok.log': { copy: SAMPLE }, 'cut.log.gz': whole.subarray(0, whole.length >> 1) });
    const arc = await startWorker(redis.url, 'arc-1', ['--root', arcDisk]);
    workers.push(arc);
    const local = await runCli(['analyze', join(arcDisk, APP, 'cut.log.gz')]);
    t.is(local.code, 2);
    const reason = local.stderr.replace(/^logmedic: /, '').replace(/ \(path: .*\n$/, '');
    t.regex(reason, /truncated/);
    const r = await runCli(['analyze', '--cluster', redis.url, '--on', 'arc-1', `${APP}/*`]);
    t.is(r.code, 2);
    t.is(r.stdout, '');
    t.true(r.stderr.startsWith(`logmedic: --on arc-1: no host answered: arc-1 failed: ${reason}`), r.stderr);
  });

  test.serial('a host killed mid-job: reported as failed, not retried on another host; the fleet answer is partial (exit 6 with nothing found)', async (t) => {
    t.timeout(5 * 60_000);
    // big-1 holds a large log (its analysis takes a while), calm-1 a clean one.
    const bigDisk = disk({});
    const gen = await runCli(['genlog', '--size', '96', '--seed', '3', '-o', join(bigDisk, APP, 'big.log')]);
    t.is(gen.code, 0, gen.stderr);
    const calmDisk = disk({ 'calm.log': '2026-12-01 10:00:00 INFO all good\n2026-12-01 10:00:01 INFO still good\n' });
    const big = await startWorker(redis.url, 'big-1', ['--root', bigDisk]);
    const calm = await startWorker(redis.url, 'calm-1', ['--root', calmDisk]);
    workers.push(big, calm);
    const pending = runCli(['analyze', '--cluster', redis.url, '--on', '[bc]*-1', `${APP}/*.log`, '--json']);
    await analyzingOn('big-1');
    big.child.kill('SIGKILL');
    // A worker whose name matches, joining after the run took its hosts from the heartbeats.
    const lateDisk = disk({ 'late.log': { copy: SAMPLE } });
    const late = await startWorker(redis.url, 'cool-1', ['--root', lateDisk]);
    workers.push(late);
    const r = await pending;
    t.false(late.log().includes('files of my own'), 'a worker that joined late is not asked in that run');
    t.false(r.stdout.includes('cool-1'));
    t.is(r.code, 6, r.stderr);
    const d = JSON.parse(r.stdout);
    t.is(d.partial, true);
    t.like(d.hosts.find((h: { name: string }) => h.name === 'big-1'), { status: 'failed', files: [`${APP}/big.log`], error: 'the worker stopped answering mid-job (its job lock lapsed: killed, or frozen)' });
    t.like(d.hosts.find((h: { name: string }) => h.name === 'calm-1'), { status: 'ok', files: [`${APP}/calm.log`] });
    t.deepEqual(d.fleet.files, ['calm-1:/var/log/app/calm.log']);
    t.deepEqual(d.fleet.errors, []);
    // No other worker took big-1's job: its data is not theirs.
    for (const w of workers) if (w !== big) t.notRegex(w.log(), /big\.log|\.analyze/);

    const text = await runCli(['analyze', '--cluster', redis.url, '--on', 'calm-1', `${APP}/*.log`]);
    t.is(text.code, 0, text.stderr);
    t.regex(text.stdout, /== fleet: 1 of 1 hosts answered, 1 files\n/);

    // big-1 back under the same name: the job of the run that gave up on it is gone, not run late.
    const again = await startWorker(redis.url, 'big-1', ['--root', bigDisk]);
    workers.push(again);
    const alone = runCli(['analyze', '--cluster', redis.url, '--on', 'big-1', `${APP}/*.log`]);
    await analyzingOn('big-1');
    t.is([...again.log().matchAll(/files of my own \(/g)].length, 0, 'no earlier job was run');
    again.child.kill('SIGKILL');
    const none = await alone;
    t.is(none.code, 2);
    t.is(none.stdout, '');
    t.is(none.stderr, 'logmedic: --on big-1: no host answered: big-1 failed: the worker stopped answering mid-job (its job lock lapsed: killed, or frozen)\n');
  });

  test.serial('Redis restarted mid-run: one line, exit 2, never an answer', async (t) => {
    t.timeout(5 * 60_000);
    let own = await startRedis();
    const bigDisk = disk({});
    const gen = await runCli(['genlog', '--size', '96', '--seed', '5', '-o', join(bigDisk, APP, 'big.log')]);
    t.is(gen.code, 0, gen.stderr);
    const w = await startWorker(own.url, 'gpu-9', ['--root', bigDisk]);
    try {
      const pending = runCli(['analyze', '--cluster', own.url, '--on', 'gpu-*', `${APP}/*.log`]);
      await analyzingOn('gpu-9', own.url);
      await own.stop();
      own = await startRedis(own.port);
      const r = await pending;
      t.is(r.code, 2);
      t.is(r.stdout, '');
      t.regex(r.stderr, /^logmedic: --cluster: (the run's keys are gone from|lost) redis:\/\/127\.0\.0\.1:\d+ .*run the analysis again\n$/);
    } finally {
      await stopWorkers([w]);
      await own.stop();
    }
  });
}
