import test from 'ava';
import type { LogRecord } from '../../src/diagnosis/types.js';
import { parseRuleSpec, parseWatchSection } from '../../src/watch/config.js';
import { RuleEngine, targetOf } from '../../src/watch/rules.js';

let n = 0;
function rec(type: string, extra: Partial<LogRecord> = {}): LogRecord {
  n++;
  return {
    type,
    patternId: `${type}/t`,
    file: 'app.log',
    line: n,
    endLine: n,
    offset: 0,
    message: `${type} ${n}`,
    text: `${type} ${n}`,
    frames: [],
    objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] },
    ...extra,
  };
}

const S = 1000;

test('fires at the Nth record within the window, then starts over', (t) => {
  const e = new RuleEngine([{ type: 'OutOfMemory', threshold: 3, windowSeconds: 60, perTarget: false }]);
  t.deepEqual(e.observe(rec('OutOfMemory'), 0), []);
  t.deepEqual(e.observe(rec('GPUError'), 1 * S), []); // other types do not count
  t.deepEqual(e.observe(rec('OutOfMemory'), 10 * S), []);
  const fired = e.observe(rec('OutOfMemory'), 20 * S);
  t.is(fired.length, 1);
  t.is(fired[0].records.length, 3);
  t.deepEqual(e.observe(rec('OutOfMemory'), 21 * S), []); // counting again from zero
  t.deepEqual(e.pending(), [{ ruleId: 'OutOfMemory:3/60s', type: 'OutOfMemory', count: 1 }]);
});

test('records that fall out of the window no longer count', (t) => {
  const e = new RuleEngine([{ type: 'Timeout', threshold: 2, windowSeconds: 10, perTarget: false }]);
  t.deepEqual(e.observe(rec('Timeout'), 0), []);
  t.deepEqual(e.observe(rec('Timeout'), 10 * S), []); // exactly one window later: the first is out
  t.is(e.observe(rec('Timeout'), 19 * S).length, 1);
});

test('the record time decides the window when the record has one', (t) => {
  const e = new RuleEngine([{ type: 'Timeout', threshold: 2, windowSeconds: 60, perTarget: false }]);
  // Seen together, but written an hour apart: no burst.
  t.deepEqual(e.observe(rec('Timeout', { time: '2024-01-01T00:00:00Z' }), 0), []);
  t.deepEqual(e.observe(rec('Timeout', { time: '2024-01-01T01:00:00Z' }), 0), []);
  t.is(e.observe(rec('Timeout', { time: '2024-01-01T01:00:30Z' }), 0).length, 1);
});

test('per target: each service counts on its own', (t) => {
  const e = new RuleEngine([{ type: 'ProcessCrash', threshold: 2, windowSeconds: 60, perTarget: true }]);
  const svc = (s: string) => rec('ProcessCrash', { objects: { paths: [], hosts: [], ports: [], pids: [], services: [s], devices: [] } });
  t.deepEqual(e.observe(svc('a'), 0), []);
  t.deepEqual(e.observe(svc('b'), 0), []);
  const fired = e.observe(svc('a'), 0);
  t.is(fired.length, 1);
  t.is(fired[0].target, 'a');
  t.is(targetOf(rec('X', { logger: 'worker' })), 'worker');
  t.is(targetOf(rec('X')), 'app.log');
});

test('"*" counts every type separately', (t) => {
  const e = new RuleEngine([{ type: '*', threshold: 2, windowSeconds: 60, perTarget: false }]);
  t.deepEqual(e.observe(rec('A'), 0), []);
  t.deepEqual(e.observe(rec('B'), 0), []);
  t.deepEqual(e.observe(rec('A'), 0).map((f) => f.type), ['A']);
});

test('state survives export/import; a reload keeps windows of rules that stay', (t) => {
  const rule = { type: 'OutOfMemory', threshold: 3, windowSeconds: 60, perTarget: false };
  const a = new RuleEngine([rule]);
  a.observe(rec('OutOfMemory'), 0);
  a.observe(rec('OutOfMemory'), 1 * S);
  const b = new RuleEngine([rule]);
  b.importState(JSON.parse(JSON.stringify(a.exportState())));
  t.is(b.observe(rec('OutOfMemory'), 2 * S).length, 1);

  a.setRules([rule, { type: 'GPUError', threshold: 1, windowSeconds: 5, perTarget: false }]);
  t.is(a.observe(rec('OutOfMemory'), 2 * S).length, 1);
  a.observe(rec('OutOfMemory'), 3 * S);
  a.setRules([{ ...rule, threshold: 4 }]); // a different rule: its window starts empty
  t.deepEqual(a.pending(), []);
});

test('--rule syntax and the config section are validated with clear messages', (t) => {
  t.deepEqual(parseRuleSpec('OutOfMemory:3/60s'), { type: 'OutOfMemory', threshold: 3, windowSeconds: 60, perTarget: false });
  t.deepEqual(parseRuleSpec('ProcessCrash:2/5m:per-target'), { type: 'ProcessCrash', threshold: 2, windowSeconds: 300, perTarget: true });
  t.deepEqual(parseRuleSpec('*:10/1h'), { type: '*', threshold: 10, windowSeconds: 3600, perTarget: false });
  for (const bad of ['OutOfMemory', 'OutOfMemory:3', 'OutOfMemory:0/60s', 'OutOfMemory:3/0s', 'Out Of:1/1s', 'X:1/5d']) {
    const err = t.throws(() => parseRuleSpec(bad), undefined, bad);
    t.is((err as { code?: string }).code, 'E_USAGE');
  }
  t.deepEqual(parseWatchSection({ rules: [{ type: 'OutOfMemory', threshold: 3, windowSeconds: 60 }], checkpointSeconds: 2 }, 'c.yaml'), {
    rules: [{ type: 'OutOfMemory', threshold: 3, windowSeconds: 60, perTarget: false }],
    checkpointSeconds: 2,
  });
  t.throws(() => parseWatchSection({ rules: [{ type: 'OutOfMemory', threshold: 1.5, windowSeconds: 60 }] }, 'c.yaml'), { message: /c\.yaml: watch\.rules\[0\]\.threshold/ });
  t.throws(() => parseWatchSection({ rule: [] }, 'c.yaml'), { message: /watch\.rule is not a known field/ });
});
