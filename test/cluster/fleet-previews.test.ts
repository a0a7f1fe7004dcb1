// The previews that decide nothing — the web UI's plan and watch's dry run — show what the fleet
// would decide (an open fleet circuit refuses there as a real run would), and never hang on the
// store: one that accepts connections and never answers costs a bounded wait, then the preview
// says what the host would do by its offline rule.
import test from 'ava';
import { createServer, type Server } from 'node:net';
import { connectRedis } from '../../src/cluster/redis.js';
import { LogAnalyzer } from '../../src/index.js';
import { loadServeConfig } from '../../src/serve/config.js';
import type { PlanView, StepView } from '../../src/serve/view-types.js';
import { createResponder } from '../../src/watch/respond.js';
import type { WatchRule } from '../../src/watch/rules.js';
import { serve, type World } from '../serve/_world.js';
import { fleetWorld, openFleetCircuit, OPS_TOKEN } from './_fleet-world.js';
import { freePort, hasRedis, NO_REDIS, startRedis } from './_redis.js';

const auth = { authorization: `Bearer ${OPS_TOKEN}` };

/** The web UI's plan of the world's log: each step's preview, by action. */
async function pagePreview(w: World): Promise<Map<string, StepView['preview']>> {
  const server = await serve(w);
  try {
    const a = await fetch(`${server.url}/api/analyze`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ file: w.log }) });
    const { id } = (await a.json()) as { id: string };
    const plan = (await (await fetch(`${server.url}/api/analyses/${id}/plan`, { headers: auth })).json()) as PlanView;
    return new Map(plan.steps.map((s) => [s.action, s.preview]));
  } finally {
    await server.close();
  }
}

/** Watch's dry run of a rule firing on the world's corrupt-model records: the event per action. */
async function watchPreview(w: World): Promise<Map<string, { result: string; reason?: string }>> {
  const config = loadServeConfig(w.configFile).config;
  const records = (await new LogAnalyzer().extractErrors(w.log)).filter((r) => /corrupt/i.test(r.message));
  const rule = { type: records[0].type, threshold: 1, windowSeconds: 60 } as WatchRule;
  const responder = createResponder({ config: () => config, stateDir: config.state.dir, dryRun: true, yes: false });
  const events = await responder.respond({ rule, type: rule.type, records });
  return new Map(events.map((e) => [e.action, { result: e.result, reason: e.reason }]));
}

/** The target the world's plan restores (the truncated model). */
const restoreTarget = (w: World) => `file:${w.model}`;

if (!hasRedis) test('fleet previews', (t) => t.log(NO_REDIS) || t.pass());
else {
  test('an open fleet circuit shows in the web UI\'s preview and in watch\'s dry run, as a real run would meet it', async (t) => {
    const redis = await startRedis();
    try {
      const w = fleetWorld(redis.url);
      t.like((await pagePreview(w)).get('restore_backup'), { result: 'dry-run' });
      t.like((await watchPreview(w)).get('restore_backup'), { result: 'dry-run' });

      await openFleetCircuit(w, 'restore_backup', restoreTarget(w));
      const page = (await pagePreview(w)).get('restore_backup');
      t.like(page, { result: 'skipped', policy: 'fleet-circuit-open' });
      t.regex(page?.reason ?? '', /^fleet circuit open: restore_backup on file:.* tried 2 times across the fleet/);
      const watch = (await watchPreview(w)).get('restore_backup');
      t.is(watch?.result, 'fleet-circuit-open');
      t.is(watch?.reason, page?.reason);
    } finally {
      await redis.stop();
    }
  });
}

test('a store that accepts and never answers: the previews still come, by the offline rule', async (t) => {
  t.timeout(60_000);
  const silent: Server = createServer(() => {});
  const port = await freePort();
  await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
  try {
    const url = `redis://127.0.0.1:${port}`;
    await t.throwsAsync(connectRedis(url), { message: `cannot reach ${url}: no answer within 3 s` });
    const w = fleetWorld(url);
    t.like((await pagePreview(w)).get('restore_backup'), { result: 'dry-run' });
    t.like((await watchPreview(w)).get('restore_backup'), { result: 'dry-run' });
  } finally {
    silent.close();
  }
});
