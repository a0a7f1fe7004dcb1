// A dry run reads "would <change>": the change of every planned step must read as a verb
// phrase after "would", also for a service that is not running.
import test from 'ava';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

test('restarting a service that is not running: "would start (it is not running) …", never "would not running"', async (t) => {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  const cfg = config({ services: { processor: { start: ['sleep', '1000'], pidFile: 'run/processor.pid', loggers: ['visionai_processor'] } } }, root);
  const d = diagnosis([record({ type: 'ProcessCrash', logger: 'visionai_processor', message: 'Worker process exited unexpectedly with code -11', objects: {} })]);
  const plan = await planRecovery(d, cfg);
  t.is(plan.steps.length, 1);
  const r = await applyRecoveryActions(plan, { config: cfg, dryRun: true });
  const reason = r.steps[0].reason ?? '';
  t.regex(reason, /^dry run: would start \(it is not running\) \["sleep","1000"\]; must stay alive/);
  t.notRegex(reason, /would not running/);
});
