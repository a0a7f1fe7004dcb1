// The fleet store's rules, one by one, against a real Redis: maxConcurrent slots held until
// settled, the fleet-wide circuit and hourly cap, the journal stream, and what a store that
// stops answering mid-run decides (the offline rule, never an allow).
import test from 'ava';
import { join } from 'node:path';
import { FleetStore, openFleetStore, readFleetJournal } from '../../src/cluster/fleet-policy.js';
import { connectRedis } from '../../src/cluster/redis.js';
import { readState, recordAttempt } from '../../src/recovery/policy.js';
import { config, tmpWorld } from '../recovery/helpers.js';
import { hasRedis, NO_REDIS, startRedis, type TestRedis } from './_redis.js';

const fleetConfig = (url: string, policy: Record<string, unknown>) => config({ policy: { store: url, ...policy } }, tmpWorld('logmedic-fleet-store-'));
const empty = () => readState(join(tmpWorld(), 'none'));

if (!hasRedis) test('fleet store', (t) => t.log(NO_REDIS) || t.pass());
else {
  let redis: TestRedis;
  test.before(async () => {
    redis = await startRedis();
  });
  test.after.always(async () => {
    await redis?.stop();
  });
  test.afterEach.always(async () => {
    const c = await connectRedis(redis.url);
    await c.flushall();
    c.disconnect();
  });

  test.serial('maxConcurrent: a second host is refused while the first holds the slot, and may go once it settles', async (t) => {
    const cfg = fleetConfig(redis.url, { cooldownSeconds: 0, maxConcurrent: 1 });
    const a = await openFleetStore(cfg);
    const b = await openFleetStore(cfg);
    const now = new Date();
    t.deepEqual(await a.reserve(empty(), 'restart_service', 'service:api', 'a1', now), { allow: true });
    const refused = await b.reserve(empty(), 'restart_service', 'service:api', 'b1', now);
    t.like(refused, { allow: false, policy: 'fleet-busy' });
    t.regex((refused as { reason: string }).reason, /^fleet busy: \S+ PID \d+ is running restart_service on service:api; policy\.maxConcurrent is 1$/);
    t.deepEqual(await b.reserve(empty(), 'restart_service', 'service:other', 'b2', now), { allow: true }, 'another target has its own slots');
    await a.settle('restart_service', 'service:api', 'a1');
    t.deepEqual(await b.reserve(empty(), 'restart_service', 'service:api', 'b3', now), { allow: true });
    await Promise.all([a.close(), b.close()]);
  });

  test.serial('the circuit opens on the fleet\'s attempts, and the hourly cap counts every host', async (t) => {
    const cfg = fleetConfig(redis.url, { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 600 }, maxActionsPerHour: 3 });
    const hosts = await Promise.all([openFleetStore(cfg), openFleetStore(cfg), openFleetStore(cfg)]);
    const now = new Date();
    t.true((await hosts[0].reserve(empty(), 'clean_cache', 'cache', 'x1', now)).allow);
    t.true((await hosts[1].reserve(empty(), 'clean_cache', 'cache', 'x2', now)).allow);
    const open = await hosts[2].reserve(empty(), 'clean_cache', 'cache', 'x3', now);
    t.like(open, { allow: false, policy: 'fleet-circuit-open', attempts: 2 });
    t.true((await hosts[2].reserve(empty(), 'free_gpu_memory', 'gpu:0', 'x4', now)).allow);
    const capped = await hosts[0].reserve(empty(), 'restart_service', 'service:api', 'x5', now);
    t.like(capped, { allow: false, policy: 'fleet-hourly-cap' });
    t.regex((capped as { reason: string }).reason, /^3 actions across the fleet in the last hour reach policy\.maxActionsPerHour \(3\)$/);
    await Promise.all(hosts.map((h) => h.close()));
  });

  test.serial('entries published by each host are read back in order, with their host', async (t) => {
    const cfg = fleetConfig(redis.url, {});
    const store = await openFleetStore(cfg);
    for (const action of ['clean_cache', 'restart_service']) {
      await store.publish({ time: new Date().toISOString(), runId: 'r', action, target: 't', trigger: null, dryRun: false, result: 'ok', durationMs: 1 });
    }
    await store.close();
    const rows = await readFleetJournal(redis.url, 10);
    t.deepEqual(rows.map((r) => r.entry.action), ['clean_cache', 'restart_service']);
    t.true(rows.every((r) => typeof r.host === 'string' && r.host.length > 0));
    t.deepEqual((await readFleetJournal(redis.url, 1)).map((r) => r.entry.action), ['restart_service'], 'the newest when limited');
  });

  test.serial('a store lost mid-run: the rest of the run decides by the offline rule, never by allowing', async (t) => {
    const own = await startRedis();
    const cfg = fleetConfig(own.url, { cooldownSeconds: 0, offlineMaxActionsPerHour: 1 });
    const store = (await openFleetStore(cfg)) as FleetStore;
    const state = empty();
    t.true((await store.reserve(state, 'clean_cache', 'cache', 'y1', new Date())).allow);
    recordAttempt(state, 'clean_cache', 'cache', 'ok', new Date());
    await own.stop();
    const d = await store.reserve(state, 'restart_service', 'service:api', 'y2', new Date());
    t.like(d, { allow: false, policy: 'fleet-unreachable' });
    t.regex((d as { reason: string }).reason, /^fleet policy store unreachable \(.+\); 1 actions in the last hour reach policy\.offlineMaxActionsPerHour \(1\)$/);
    await t.notThrowsAsync(store.settle('restart_service', 'service:api', 'y2'));
    await store.close();
  });
}
