// `logmedic worker` as a real process against a real Redis: it announces itself (name, host,
// load, version) in a heartbeat, drains and exits 0 on SIGTERM, and refuses bad input with
// one line and exit 2.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, NODE_ARGS, ROOT, runCli } from '../cli/_run.js';
import { freePort, hasRedis, NO_REDIS, startRedis } from './_redis.js';
import { exitOrHang, startWorker } from './_workers.js';
import { connectRedis } from '../../src/cluster/redis.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('bad input: one line on stderr, exit 2', async (t) => {
  const port = await freePort();
  const cases: [string[], RegExp][] = [
    [['worker'], /^logmedic: --cluster needs a redis:\/\/ or rediss:\/\/ URL, got undefined\n$/],
    [['worker', '--cluster', 'http://x:1'], /^logmedic: --cluster needs a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/x:1"\n$/],
    [['worker', '--cluster', `redis://127.0.0.1:${port}`, '--concurrency', '0'], /^logmedic: --concurrency must be a whole number >= 1, got 0\n$/],
    [['worker', '--cluster', `redis://127.0.0.1:${port}`, '--name', 'a b'], /^logmedic: --name: "a b" is not a worker name/],
    [['worker', '--cluster', `redis://u:secret@127.0.0.1:${port}`], /^logmedic: worker: cannot reach redis:\/\/u:\*\*\*@127\.0\.0\.1:\d+: .*\n$/],
  ];
  for (const [args, err] of cases) {
    const r = await runCli(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, err);
    t.false(r.stderr.includes('secret'), 'the password never reaches the output');
  }
});

if (!hasRedis) test('worker against Redis', (t) => t.log(NO_REDIS) || t.pass());
else
  test('a worker beats its heart (name, host, load, version) and on SIGTERM drains, forgets itself and exits 0', async (t) => {
    const redis = await startRedis();
    const client = await connectRedis(redis.url);
    try {
      const child = spawn(process.execPath, [...NODE_ARGS, 'worker', '--cluster', redis.url, '--name', 'gpu-7', '--concurrency', '2'], { env: cleanEnv() });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
      let beat: string | null = null;
      for (let i = 0; i < 400 && beat === null; i++) {
        beat = await client.get('logmedic:worker:gpu-7');
        if (beat === null) await new Promise((r) => setTimeout(r, 50));
      }
      t.truthy(beat, stderr);
      const hb = JSON.parse(beat!);
      t.like(hb, { name: 'gpu-7', host: hostname(), pid: child.pid, version: VERSION, concurrency: 2, active: 0, done: 0 });
      t.is(typeof hb.load, 'number');
      t.true((await client.ttl('logmedic:worker:gpu-7')) > 0, 'a heartbeat expires unless renewed');
      child.kill('SIGTERM');
      t.is(await exited, 0, stderr);
      t.regex(stderr, /^logmedic: worker gpu-7 on \S+ ready \(concurrency 2, logmedic [\d.]+\)$/m);
      t.regex(stderr, /^logmedic: worker gpu-7 stopped after 0 ranges$/m);
      t.is(await client.get('logmedic:worker:gpu-7'), null);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

test('the worker\'s systemd unit verifies and keeps the Redis URL out of its command line', (t) => {
  const unit = join(ROOT, 'contrib', 'systemd', 'logmedic-worker.service');
  const text = readFileSync(unit, 'utf8');
  t.regex(text, /^ExecStart=\/usr\/bin\/env logmedic worker --name %H$/m);
  t.regex(text, /^EnvironmentFile=\/etc\/logmedic\/cluster\.env$/m);
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    t.log('systemd-analyze not installed: the unit was not verified');
    return;
  }
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
  // The account and the environment file belong to the host it is installed on.
  const problems = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/User=|user logmedic|Unknown user|cluster\.env/i.test(l));
  t.deepEqual(problems, []);
});

test('a worker whose Redis is gone still stops on SIGTERM, saying it could not drain', async (t) => {
  if (!hasRedis) {
    t.log(NO_REDIS);
    t.pass();
    return;
  }
  const redis = await startRedis();
  const worker = await startWorker(redis.url, 'orphan-1');
  await redis.stop();
  worker.child.kill('SIGTERM');
  // A worker that waits for its Redis never exits.
  const code = await exitOrHang(worker);
  t.is(code, 0, worker.log());
  t.regex(worker.log(), /Redis .*(unreachable|not answering)/);
  t.notRegex(worker.log(), /\n\s+at /, 'no stack trace');
  t.true((worker.log().match(/queue error: connect ECONNREFUSED/g) ?? []).length <= 2, 'a refused connection is said once per connection, not every retry');
});

test('a worker whose Redis stops answering mid-drain still stops, saying so', async (t) => {
  if (!hasRedis) {
    t.log(NO_REDIS);
    t.pass();
    return;
  }
  const redis = await startRedis();
  const worker = await startWorker(redis.url, 'orphan-2');
  // Frozen, not gone: its connections stay open, so nothing tells the worker it is lost.
  redis.process.kill('SIGSTOP');
  t.teardown(() => redis.process.kill('SIGCONT'));
  worker.child.kill('SIGTERM');
  const code = await exitOrHang(worker);
  t.is(code, 0, worker.log());
  t.regex(worker.log(), /draining[\s\S]*Redis is not answering/);
});
