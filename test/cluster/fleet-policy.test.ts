// The fleet policy against a real Redis and real processes: five hosts (five state dirs, five
// services) see the same crash at once — from a saved diagnosis (`recover`) and as five
// `watch` processes following their own logs — and one restart happens fleet-wide; with the store
// unreachable a host falls back to its own policy and acts less than without a store;
// `recover --dry-run` shows the fleet's state read-only, and `reset` closes fleet circuits.
import test, { type ExecutionContext } from 'ava';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/recovery/index.js';
import { alive, diagnosis, record, sleeper, tmpWorld } from '../recovery/helpers.js';
import { cleanEnv, runCli, type Run } from '../cli/_run.js';
import { freePort, hasRedis, NO_REDIS, startRedis } from './_redis.js';
import { connectRedis } from '../../src/cluster/redis.js';
import { startWatching } from '../watch/_child.js';
import { waitFor } from '../watch/_helpers.js';

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

/** Exactly one host restarted its service; every other journaled a fleet cooldown and left its
 * service running. The hosts that restarted. */
function oneRestartFleetWide(t: ExecutionContext, hosts: ReturnType<typeof host>[]) {
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
  return restarted;
}

if (!hasRedis) test('fleet policy', (t) => t.log(NO_REDIS) || t.pass());
else {
  test.serial('five hosts see the same crash at once: exactly one restart fleet-wide, four journal a fleet cooldown', async (t) => {
    const redis = await startRedis();
    try {
      const hosts = Array.from({ length: 5 }, () => host({ store: redis.url, maxConcurrent: 1, cooldownSeconds: 300 }));
      const runs = await Promise.all(hosts.map((h) => logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], h.root)));
      for (const r of runs) t.is(r.code, 0, r.stderr);

      const restarted = oneRestartFleetWide(t, hosts);

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

  test.serial('five watch processes see the same crash written to their logs: one restart fleet-wide, four skip with a fleet cooldown', async (t) => {
    const redis = await startRedis();
    try {
      const hosts = Array.from({ length: 5 }, () => host({ store: redis.url, maxConcurrent: 1, cooldownSeconds: 300 }));
      const logs = hosts.map((h) => join(h.root, 'app.log'));
      for (const log of logs) writeFileSync(log, '2026-12-06 10:00:00,000 - visionai_processor - INFO - serving\n');
      const watchers = await Promise.all(hosts.map((h, i) => startWatching(t, [logs[i], '--rule', 'ProcessCrash:1/60s', '--yes'], h.root)));
      const crash = '2026-12-06 10:00:05,000 - visionai_processor - ERROR - Worker process exited unexpectedly with code -11 (SIGSEGV)\n';
      for (const log of logs) appendFileSync(log, crash);
      await waitFor(() => hosts.every((h) => restarts(h.root).length > 0), 'every host to journal its restart step', 60_000);
      for (const w of watchers) w.proc.kill('SIGTERM');
      await Promise.all(watchers.map((w) => w.exited));

      const restarted = oneRestartFleetWide(t, hosts);
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

  /** Every key and value of the fleet policy in Redis (TTLs aside): what a dry run must leave as it was. */
  async function policyKeys(url: string): Promise<Record<string, unknown>> {
    const c = await connectRedis(url);
    try {
      const out: Record<string, unknown> = {};
      for (const k of (await c.keys('logmedic:*')).sort()) {
        const type = await c.type(k);
        out[k] = type === 'zset' ? await c.zrange(k, 0, -1, 'WITHSCORES') : type === 'hash' ? await c.hgetall(k) : type === 'stream' ? await c.xlen(k) : type;
      }
      return out;
    } finally {
      c.disconnect();
    }
  }

  test.serial('recover --dry-run shows the fleet policy from Redis (cooldown left, circuit, slots, hourly cap) and changes nothing there', async (t) => {
    const redis = await startRedis();
    try {
      const policy = { store: redis.url, maxConcurrent: 1, cooldownSeconds: 300, maxActionsPerHour: 10, circuit: { maxAttempts: 3, windowSeconds: 3600 } };
      const first = host(policy);
      const second = host(policy);
      const before = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run'], second.root);
      t.is(before.code, 0, before.stderr);
      t.regex(before.stdout, /\n {4}fleet redis:\/\/127\.0\.0\.1:\d+: circuit closed \(0 of 3 attempts in 3600 s\), no cooldown, 0 of 1 slots in use, 0 of 10 actions this hour\n/);
      t.regex(before.stdout, /1 step: 1 would be carried out/);

      t.is((await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], first.root)).code, 0);
      const fleetBefore = await policyKeys(redis.url);
      const text = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run'], second.root);
      t.is(text.code, 0, text.stderr);
      t.regex(text.stdout, /skip: fleet-cooldown: fleet cooldown: restart_service on service:processor was started by \S+ PID \d+; again in \d+ s\n/);
      t.regex(text.stdout, /\n {4}fleet redis:\/\/127\.0\.0\.1:\d+: circuit closed \(1 of 3 attempts in 3600 s\), cooldown \d+ s left, 0 of 1 slots in use, 1 of 10 actions this hour\n/);
      const json = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run', '--json'], second.root);
      const [step] = JSON.parse(json.stdout).steps;
      t.like(step, { result: 'skipped', policy: 'fleet-cooldown', fleet: { reachable: true, circuit: { open: false, attempts: 1, maxAttempts: 3 }, slots: { inUse: 0, max: 1 }, hour: { actions: 1, cap: 10 } } });
      t.true(step.fleet.cooldownLeftSeconds > 250 && step.fleet.cooldownLeftSeconds <= 300);
      t.deepEqual(await policyKeys(redis.url), fleetBefore, 'a dry run takes no slot, records no attempt, opens no circuit');
      t.true(alive(second.original.processor), 'and touches no service');
      t.deepEqual(restarts(second.root), [], 'nor journals anything');
      process.kill(first.pid(), 'SIGKILL');
    } finally {
      await redis.stop();
    }
  });

  test.serial('recover --dry-run with the store down says the host would fall back to its own policy and act less', async (t) => {
    const deadPort = await freePort();
    const h = host({ store: `redis://u:secret@127.0.0.1:${deadPort}`, offlineMaxActionsPerHour: 1 });
    const r = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run'], h.root);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /\n {4}fleet redis:\/\/u:\*\*\*@127\.0\.0\.1:\d+: unreachable \(cannot reach redis:\/\/u:\*\*\*@127\.0\.0\.1:\d+: .*\); would fall back to this host's policy and act less: at most 1 action an hour while the store is out of reach \(0 in the last hour\)\n/);
    t.false(r.stdout.includes('secret'));
    const json = JSON.parse((await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run', '--json'], h.root)).stdout);
    t.like(json.steps[0], { result: 'dry-run', fleet: { reachable: false, offline: { cap: 1, actionsThisHour: 0 } } });
  });

  test.serial('a fleet circuit: recover escalates (exit 4), the dry run shows it open, and reset closes it, saying which', async (t) => {
    const redis = await startRedis();
    try {
      const policy = { store: redis.url, cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } };
      const hosts = [host(policy), host(policy), host(policy)];
      for (const h of hosts.slice(0, 2)) t.is((await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], h.root)).code, 0);
      const third = hosts[2];
      const held = await logmedic(['recover', '--diagnosis', 'crash.json', '--yes'], third.root);
      t.is(held.code, 4, held.stderr);
      t.regex(held.stderr, /ESCALATE: fleet circuit open: restart_service on service:processor was tried 2 times across the fleet/);
      const dry = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run'], third.root);
      t.is(dry.code, 4);
      t.regex(dry.stdout, /fleet redis:\/\/127\.0\.0\.1:\d+: circuit OPEN since \d{4}-\d\d-\d\dT[\d:.]+Z \(2 attempts\), no cooldown/);

      const reset = await logmedic(['reset'], third.root);
      t.is(reset.code, 0, reset.stderr);
      t.regex(reset.stdout, /^closed \(fleet\): restart_service service:processor$/m);
      const after = await logmedic(['recover', '--diagnosis', 'crash.json', '--dry-run'], third.root);
      t.is(after.code, 0, after.stdout);
      t.regex(after.stdout, /circuit closed \(0 of 2 attempts in 3600 s\)/);
      const again = await logmedic(['reset'], third.root);
      t.regex(again.stdout, /^no open fleet circuit matched; fleet attempt counts cleared for 0 action\/target pairs$/m);
      const fleet = JSON.parse((await logmedic(['history', '--fleet', '--json'], third.root)).stdout) as { action: string; after?: { fleet?: boolean; closed?: string[] } }[];
      t.deepEqual(fleet.filter((e) => e.action === 'reset').map((e) => e.after?.closed), [['restart_service service:processor'], []], 'each reset is in the fleet journal');
      t.true(alive(third.original.processor));
      for (const h of hosts.slice(0, 2)) process.kill(h.pid(), 'SIGKILL');
    } finally {
      await redis.stop();
    }
  });

  test.serial('reset with the store down: this host\'s circuits close, the fleet\'s cannot; one line, exit 2', async (t) => {
    const deadPort = await freePort();
    const h = host({ store: `redis://127.0.0.1:${deadPort}` });
    mkdirSync(join(h.root, '.logmedic'), { recursive: true });
    const r = await logmedic(['reset'], h.root);
    t.is(r.code, 2);
    t.regex(r.stdout, /^no open circuit matched; attempt counts cleared for 0 action\/target pairs\n$/);
    t.regex(r.stderr, /^logmedic: fleet circuits not reset: cannot reach redis:\/\/127\.0\.0\.1:\d+: .*; run logmedic reset again when the store answers\n$/);
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
