// The web UI's circuit reset with `policy.store`, against a real Redis: it closes this host's
// circuits and the fleet's that match, says which of each, and journals the fleet's reset with
// the operator; a store that cannot be reached leaves this host's reset done and answers 502
// saying the fleet's circuits were not reset. Without a store the answer has no `fleet`. The
// page, in a real headless Chromium, says which fleet circuits its reset closed.
import test from 'ava';
import { join } from 'node:path';
import { openFleetStore, readFleetJournal } from '../../src/cluster/fleet-policy.js';
import { circuits, readState } from '../../src/recovery/index.js';
import { loadServeConfig } from '../../src/serve/config.js';
import type { CircuitResetView } from '../../src/serve/view-types.js';
import { tmpWorld } from '../recovery/helpers.js';
import { browser, hasChromium, openPage, serve } from '../serve/_world.js';
import { fleetWorld, openFleetCircuit, openLocalCircuit, OPS_TOKEN } from './_fleet-world.js';
import { hasRedis, NO_REDIS, startRedis } from './_redis.js';

async function reset(url: string, body: Record<string, string>): Promise<{ status: number; body: CircuitResetView & { error?: string } }> {
  const r = await fetch(`${url}/api/circuits/reset`, { method: 'POST', headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

test('without a store: this host\'s circuits only, and no fleet in the answer', async (t) => {
  const w = fleetWorld();
  const target = await openLocalCircuit(w);
  const server = await serve(w);
  try {
    const r = await reset(server.url, {});
    t.is(r.status, 200);
    t.deepEqual(r.body.closed, [`page_oncall ${target}`]);
    t.false('fleet' in r.body);
  } finally {
    await server.close();
  }
});

if (!hasRedis) test('web UI reset of fleet circuits', (t) => t.log(NO_REDIS) || t.pass());
else {
  test('with a store: this host\'s and the fleet\'s matching circuits close, each said apart; the fleet journals who reset', async (t) => {
    const redis = await startRedis();
    const w = fleetWorld(redis.url);
    const server = await serve(w);
    try {
      const target = await openLocalCircuit(w);
      await openFleetCircuit(w, 'page_oncall', target);
      await openFleetCircuit(w, 'clean_cache', 'cache');

      // One pair: closed here and in the fleet; the fleet's other circuit stays open.
      const one = await reset(server.url, { action: 'page_oncall', target });
      t.is(one.status, 200, one.body.error);
      t.deepEqual(one.body.closed, [`page_oncall ${target}`]);
      t.deepEqual(one.body.fleet, { closed: [`page_oncall ${target}`], forgotten: [`page_oncall ${target}`] });
      t.false(circuits({ config: loadServeConfig(w.configFile).config }).some((c) => c.open));
      const config = loadServeConfig(w.configFile).config;
      const probe = await openFleetStore(config);
      const elsewhere = readState(join(tmpWorld(t), 'none'));
      t.like(await probe.reserve(elsewhere, 'clean_cache', 'cache', 'probe-1', new Date()), { allow: false, policy: 'fleet-circuit-open' });
      t.deepEqual(await probe.reserve(elsewhere, 'page_oncall', target, 'probe-2', new Date()), { allow: true }, 'the fleet acts again on the pair reset');

      // Everything: nothing left open here, the fleet's clean_cache circuit closes.
      const all = await reset(server.url, {});
      t.is(all.status, 200, all.body.error);
      t.deepEqual(all.body.closed, []);
      t.deepEqual(all.body.fleet?.closed, ['clean_cache cache']);
      t.true(all.body.fleet!.forgotten.includes(`page_oncall ${target}`));
      t.deepEqual(await probe.reserve(elsewhere, 'clean_cache', 'cache', 'probe-3', new Date()), { allow: true });
      await probe.close();

      const resets = (await readFleetJournal(redis.url, 100)).filter((r) => r.entry.action === 'reset');
      t.deepEqual(resets.map((r) => r.entry.after), [
        { fleet: true, closed: [`page_oncall ${target}`], forgotten: [`page_oncall ${target}`], by: 'ops' },
        { fleet: true, closed: ['clean_cache cache'], forgotten: all.body.fleet!.forgotten, by: 'ops' },
      ]);
    } finally {
      await server.close();
      await redis.stop();
    }
  });

  test('the store down: this host\'s circuits close, and the answer is 502 saying the fleet\'s were not', async (t) => {
    const redis = await startRedis();
    const w = fleetWorld(redis.url);
    await redis.stop();
    const target = await openLocalCircuit(w);
    const server = await serve(w);
    try {
      const r = await reset(server.url, {});
      t.is(r.status, 502);
      t.true(r.body.error!.startsWith(`closed here: page_oncall ${target}; fleet circuits not reset: cannot reach ${redis.url}: `), r.body.error);
      t.true(r.body.error!.endsWith('; reset again when the store answers'), r.body.error);
      t.false(circuits({ config: loadServeConfig(w.configFile).config }).some((c) => c.open));
    } finally {
      await server.close();
    }
  });

  if (hasChromium) {
    test('the page: a reset confirmed on the Recovery page says which fleet circuits it closed', async (t) => {
      const redis = await startRedis();
      const w = fleetWorld(redis.url, 'battery staple');
      const server = await serve(w);
      const b = await browser();
      try {
        const target = await openLocalCircuit(w);
        await openFleetCircuit(w, 'page_oncall', target);
        const { page, problems } = await openPage(b, server.url);
        await page.goto(`${server.url}/recovery?file=${encodeURIComponent(w.log)}`);
        await page.fill('input[name="name"]', 'ops');
        await page.fill('input[name="password"]', 'battery staple');
        await page.click('form.login button[type="submit"]');
        const row = page.locator('tr[data-circuit^="page_oncall"]');
        await row.locator('[data-reset]').click();
        await row.locator('[data-confirm-reset]').click();
        const said = page.locator('[data-fleet-reset]');
        await said.waitFor();
        t.is(await said.textContent(), `Fleet circuits closed: page_oncall ${target}`);
        t.false(circuits({ config: loadServeConfig(w.configFile).config }).some((c) => c.open));
        t.deepEqual(problems, []);
      } finally {
        await b.close();
        await server.close();
        await redis.stop();
      }
    });
  }
}
