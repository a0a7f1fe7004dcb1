// A dry run reads "would <action>: <change>", and the change of a restart reads as what is
// done, also for a service that is not running.
import test from 'ava';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

test('restarting a service that is not running: "would start (it is not running) …", never "would not running"', async (t) => {
  const root = tmpWorld(t);
  mkdirSync(join(root, 'run'));
  const cfg = config({ services: { processor: { start: ['sleep', '1000'], pidFile: 'run/processor.pid', loggers: ['visionai_processor'] } } }, root);
  const d = diagnosis([record({ type: 'ProcessCrash', logger: 'visionai_processor', message: 'Worker process exited unexpectedly with code -11', objects: {} })]);
  const plan = await planRecovery(d, cfg);
  t.is(plan.steps.length, 1);
  const r = await applyRecoveryActions(plan, { config: cfg, dryRun: true });
  const reason = r.steps[0].reason ?? '';
  t.is(r.steps[0].result, 'dry-run');
  t.regex(reason, /^would restart_service: start \(it is not running\) \["sleep","1000"\]; must stay alive/);
  t.notRegex(reason, /would not running/);
});
