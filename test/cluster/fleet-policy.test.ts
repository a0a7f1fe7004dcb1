// The fleet policy against a real Redis and real processes: five hosts (five state dirs, five
// services) see the same OOM at once and one restart happens fleet-wide; with the store
// unreachable a host falls back to its own policy and acts less than without a store.
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/recovery/index.js';
import { alive, diagnosis, record, sleeper, tmpWorld } from '../recovery/helpers.js';
import { cleanEnv, runCli, type Run } from '../cli/_run.js';
import { freePort, hasRedis, NO_REDIS, startRedis } from './_redis.js';

function logmedic(args: string[], cwd: string): Promise<Run> {
  return runCli(args, { cwd, env: cleanEnv({ XDG_CONFIG_HOME: join(cwd, '.no-xdg'), NO_COLOR: '1' }) });
}

const START = [process.execPath, '-e', 'setInterval(() => {}, 1000)'];

/** One host: its services running (a PID file each), its config, an OOM diagnosis. */
function host(policy: Record<string, unknown>, services = ['processor']) {
  const root = tmpWorld('logmedic-fleet-');
  mkdirSync(join(root, 'run'));
  const config: Record<string, unknown> = { services: {}, policy };
  for (const name of services) {
    const running = sleeper({ detached: true });
    writeFileSync(join(root, `run/${name}.pid`), `${running.pid}\n`);
    (config.services as Record<string, unknown>)[name] = { start: START, pidFile: `run/${name}.pid`, loggers: [`visionai_${name}`] };
  }
  writeFileSync(join(root, 'logmedic.config.json'), JSON.stringify(config));
  const records = services.map((name, i) => record({ type: 'ProcessCrash', logger: `visionai_${name}`, line: 10 + i, message: `Worker process exited unexpectedly with code -9 (OOM killer)` }));
  writeFileSync(join(root, 'crash.json'), JSON.stringify(diagnosis(records)));
  const pid = (name = 'processor') => Number(readFileSync(join(root, `run/${name}.pid`), 'utf8'));
  return { root, pid, original: Object.fromEntries(services.map((s) => [s, pid(s)])) };
}

const restarts = (root: string) => readJournal(join(root, '.logmedic')).filter((e) => e.action === 'restart_service');

if (!hasRedis) test('fleet policy', (t) => t.log(NO_REDIS) || t.pass());
else {
  test.serial('five hosts see the same crash at once: exactly one restart fleet-wide, four journal a fleet cooldown', async (t) => {
    const redis = await startRedis();
    try {
      const hosts = Array.from({ length: 5 }, () => host({ store: redis.url, maxConcurrent: 1, cooldownSeconds: 300 }));
      const runs = await Promise.all(hosts.map((h) => logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], h.root)));
      for (const r of runs) t.is(r.code, 0, r.stderr);

      const restarted = hosts.filter((h) => h.pid() !== h.original.processor);
      t.is(restarted.length, 1, 'one service restarted across the fleet');
      t.true(alive(restarted[0].pid()));
      for (const h of hosts) {
        const [entry, ...more] = restarts(h.root);
        t.is(more.length, 0);
        if (h === restarted[0]) t.like(entry, { result: 'ok', target: 'service:processor' });
        else {
          t.like(entry, { result: 'skipped', policy: 'fleet-cooldown', target: 'service:processor' });
          t.regex(entry.reason ?? '', /^fleet cooldown: restart_service on service:processor was started by \S+ PID \d+; again in \d+ s$/);
          t.true(alive(h.original.processor), 'a skipped host left its service alone');
        }
      }

      // The fleet's journal has all five steps; each host's own journal stays complete.
      const fleet = await logmedic(['history', '--fleet', '--json'], hosts[0].root);
      t.is(fleet.code, 0, fleet.stderr);
      const entries = JSON.parse(fleet.stdout) as { host: string; result: string; policy?: string }[];
      t.is(entries.length, 5);
      t.is(entries.filter((e) => e.result === 'ok').length, 1);
      t.is(entries.filter((e) => e.policy === 'fleet-cooldown').length, 4);
      const text = await logmedic(['history', '--fleet'], hosts[1].root);
      t.regex(text.stdout, /skipped restart_service {2}service:processor .*fleet cooldown/);
      for (const h of restarted) process.kill(h.pid(), 'SIGKILL');
    } finally {
      await redis.stop();
    }
  });

  test.serial('store unreachable: the host keeps its own policy and acts less (offlineMaxActionsPerHour), never more', async (t) => {
    const deadPort = await freePort();
    const offline = host({ store: `redis://127.0.0.1:${deadPort}`, cooldownSeconds: 0 }, ['processor', 'uploader']);
    const standalone = host({ cooldownSeconds: 0 }, ['processor', 'uploader']);
    const r = await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], offline.root);
    t.is(r.code, 0, r.stderr);
    t.is((await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], standalone.root)).code, 0);

    const done = (h: ReturnType<typeof host>) => restarts(h.root).filter((e) => e.result === 'ok').length;
    t.is(done(standalone), 2, 'without a store both services restart');
    t.is(done(offline), 1, 'with the store unreachable only one does');
    const skipped = restarts(offline.root).find((e) => e.result === 'skipped')!;
    t.is(skipped.policy, 'fleet-unreachable');
    t.regex(skipped.reason ?? '', /^fleet policy store unreachable \(cannot reach redis:\/\/127\.0\.0\.1:\d+: .*\); 1 actions in the last hour reach policy\.offlineMaxActionsPerHour \(1\)$/);

    const history = await logmedic(['history', '--fleet'], offline.root);
    t.is(history.code, 2);
    t.regex(history.stderr, /^logmedic: fleet history: cannot reach redis:\/\/127\.0\.0\.1:\d+: /);
    for (const h of [offline, standalone]) for (const s of ['processor', 'uploader']) if (h.pid(s) !== h.original[s]) process.kill(h.pid(s), 'SIGKILL');
  });

  test('history --fleet without policy.store: one line, exit 2', async (t) => {
    const h = host({ cooldownSeconds: 0 });
    const r = await logmedic(['history', '--fleet'], h.root);
    t.is(r.code, 2);
    t.is(r.stderr, 'logmedic: --fleet needs policy.store in the config (a redis:// URL shared by the fleet)\n');
  });

  test('policy.store must be a redis:// or rediss:// URL', async (t) => {
    const h = host({ store: 'http://example.com:6379' });
    const r = await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], h.root);
    t.is(r.code, 2);
    t.regex(r.stderr, /^logmedic: .*policy\.store: must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/example\.com:6379"/m);
    t.true(alive(h.original.processor));
  });
}
