// Recovery on types the learned model inferred (no pattern matched): off by default, the
// plan still says what it would do; `policy.inferred` turns it on above a confidence.
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planRecovery } from '../../src/recovery/index.js';
import type { Diagnosis, UnrecognisedTemplate } from '../../src/diagnosis/types.js';
import { config, tmpWorld } from './helpers.js';

function world(policy?: Record<string, unknown>) {
  const root = tmpWorld();
  mkdirSync(join(root, 'cache'));
  writeFileSync(join(root, 'cache', 'frame-0001.bin'), Buffer.alloc(4096));
  // A target no disk meets, so that clean_cache has something to do.
  const cfg = config({ cache: { dirs: ['cache'], minFreeBytes: 1e18 }, ...(policy ? { policy: { inferred: policy } } : {}) }, root);
  return { root, cfg };
}

/** A diagnosis whose one Unrecognised group the model typed DiskSpace (type null: below its bar). */
function inferredDiagnosis(confidence: number, type: string | null = 'DiskSpace'): Diagnosis {
  const group: UnrecognisedTemplate = {
    id: 't0123456789abcdef',
    template: 'backup writer: volume <*> has no room left for segment <*>',
    count: 3,
    first: { file: 'logs/backup.log', line: 7 },
    last: { file: 'logs/backup.log', line: 9 },
    example: 'backup writer: volume /srv/b has no room left for segment 42',
    levels: ['ERROR'],
    inferred: { type, confidence },
  };
  return { schema: 1, files: ['logs/backup.log'], bytes: 100, lines: 10, elapsedMs: 1, engine: 'regex', changed: [], errors: [], unrecognised: { lines: 3, templates: [group], others: 0 } };
}

test('by default an inferred type is planned but not acted on, and the plan says why', async (t) => {
  const { cfg } = world();
  t.deepEqual(cfg.policy.inferred, { allow: false, minConfidence: 0.9 });
  const plan = await planRecovery(inferredDiagnosis(0.97), cfg);
  t.is(plan.steps.length, 1);
  const [step] = plan.steps;
  t.is(step.action, 'clean_cache');
  t.is(step.trigger.type, 'inferred:DiskSpace');
  t.regex(step.skip ?? '', /inferred DiskSpace \(confidence 0\.97\).*policy\.inferred\.allow/);
  t.regex(step.change, /delete/, 'the plan still says what it would do');
});

test('allowed and confident enough: the inferred type is acted on', async (t) => {
  const { cfg } = world({ allow: true, minConfidence: 0.9 });
  const plan = await planRecovery(inferredDiagnosis(0.95), cfg);
  t.is(plan.steps.length, 1);
  t.is(plan.steps[0].skip, undefined);
  t.is(plan.steps[0].action, 'clean_cache');
});

test('allowed but below minConfidence: skipped with the threshold as the reason', async (t) => {
  const { cfg } = world({ allow: true, minConfidence: 0.97 });
  const plan = await planRecovery(inferredDiagnosis(0.93), cfg);
  t.is(plan.steps.length, 1);
  t.regex(plan.steps[0].skip ?? '', /below policy\.inferred\.minConfidence 0\.97/);
});

test('a group without a confident type, or never typed, plans nothing', async (t) => {
  const { cfg } = world({ allow: true, minConfidence: 0 });
  t.deepEqual((await planRecovery(inferredDiagnosis(0.6, null), cfg)).steps, []);
  const d = inferredDiagnosis(0.99);
  delete d.unrecognised!.templates[0].inferred;
  t.deepEqual((await planRecovery(d, cfg)).steps, []);
});

test('policy.inferred is validated: each bad value named by its path', (t) => {
  const root = tmpWorld();
  const bad: [unknown, RegExp][] = [
    [{ allow: 'yes' }, /policy\.inferred\.allow/],
    [{ minConfidence: 1.5 }, /policy\.inferred\.minConfidence.*at most 1/],
    [{ minConfidence: -0.1 }, /policy\.inferred\.minConfidence/],
    [{ minConfidence: '0.9' }, /policy\.inferred\.minConfidence.*number/],
    [{ allowed: true }, /policy\.inferred.*allowed/],
    ['on', /policy\.inferred/],
  ];
  for (const [value, message] of bad) {
    const err = t.throws(() => config({ policy: { inferred: value } }, root));
    t.regex(err?.message ?? '', message, JSON.stringify(value));
  }
  t.deepEqual(config({ policy: { inferred: { allow: true, minConfidence: 0.75 } } }, root).policy.inferred, { allow: true, minConfidence: 0.75 });
  t.deepEqual(config({ policy: { inferred: null } }, root).policy.inferred, { allow: false, minConfidence: 0.9 });
});
