// `analyze --cluster` refuses what it cannot do with one line and exit 2, before queueing
// anything: a bad URL, --range-mb alone, stdin, --journal, compressed files, a missing file,
// an unreachable Redis, a Redis with no worker.
import test from 'ava';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, ROOT } from '../cli/_run.js';
import { tmpWorld } from '../recovery/helpers.js';
import { freePort, hasRedis, NO_REDIS, startRedis } from './_redis.js';

const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');

test('bad input: one line on stderr, exit 2, nothing on stdout', async (t) => {
  const dir = tmpWorld('logmedic-cluster-', t);
  copyFileSync(SAMPLE, join(dir, 'app.log'));
  writeFileSync(join(dir, 'app.log.gz'), gzipSync(Buffer.from('x\n')));
  const dead = `redis://127.0.0.1:${await freePort()}`;
  const cases: [string[], RegExp][] = [
    [['analyze', '--cluster', 'localhost:6379', 'app.log'], /^logmedic: --cluster needs a redis:\/\/ or rediss:\/\/ URL, got "localhost:6379"\n$/],
    [['analyze', '--range-mb', '8', 'app.log'], /^logmedic: --range-mb goes with --cluster\n$/],
    [['analyze', '--cluster', dead, '--range-mb', '0', 'app.log'], /^logmedic: --range-mb must be a number > 0, got 0\n$/],
    [['analyze', '--cluster', dead, '-'], /^logmedic: --cluster reads files the workers can open; stdin \(-\) cannot be split among them\n$/],
    [['analyze', '--cluster', dead, '--journal'], /^logmedic: --cluster analyzes files the workers can read, not --journal\n$/],
    [['analyze', '--cluster', dead, 'app.log.gz'], /^logmedic: --cluster: app\.log\.gz is compressed; byte ranges need a plain file/],
    [['analyze', '--cluster', dead, 'missing.log'], /^logmedic: .*missing\.log.*\n$/],
    [['analyze', '--cluster', dead.replace('//', '//ops:hunter2@'), 'app.log'], /^logmedic: --cluster: cannot reach redis:\/\/ops:\*\*\*@127\.0\.0\.1:\d+: .*\n$/],
  ];
  for (const [args, err] of cases) {
    const r = await runCli(args, { cwd: dir });
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, err, args.join(' '));
    t.is(r.stdout, '');
    t.false(r.stderr.includes('hunter2'));
  }
});

if (!hasRedis) test('no worker', (t) => t.log(NO_REDIS) || t.pass());
else
  test('a Redis without any worker: said at once, exit 2, nothing left queued', async (t) => {
    const redis = await startRedis();
    try {
      const r = await runCli(['analyze', '--cluster', redis.url, SAMPLE]);
      t.is(r.code, 2);
      t.regex(r.stderr, /^logmedic: --cluster: no worker is connected to redis:\/\/127\.0\.0\.1:\d+ \(start one: logmedic worker --cluster URL\)\n$/);
      const { connectRedis } = await import('../../src/cluster/redis.js');
      const c = await connectRedis(redis.url);
      t.deepEqual(await c.keys('*'), []);
      c.disconnect();
    } finally {
      await redis.stop();
    }
  });
