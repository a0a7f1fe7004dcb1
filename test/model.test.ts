// The learned type model: the shipped weights are exactly what `npm run train` makes from the
// repository's data; its answers are marked inferred in analyze (text, JSON, report) and kept
// out of the pattern-matched types; recover plans them without acting (policy.inferred).
import test from 'ava';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { native } from '../src/native.js';
import { inferTypes, inferUnrecognised, SHOW_INFERRED_FROM } from '../src/diagnosis/inferred.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import type { Diagnosis } from '../src/diagnosis/types.js';
import { MODEL_PATH, trainShipped } from '../scripts/train-model.js';
import { runCli } from './cli/_run.js';
import { turn } from './corpus.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-model-');
// Error-level lines of three templates no catalog pattern matches (failures in words nobody wrote
// a pattern for), one healthy line, one matched failure.
const log = join(dir, 'app.log');
writeFileSync(
  log,
  [
    '2025-05-17 10:00:00,000 - fetcher - INFO - worker 3 ready in 120 ms',
    '2025-05-17 10:00:01,000 - fetcher - ERROR - lookup of registry.internal failed: name not known',
    '2025-05-17 10:00:02,000 - fetcher - ERROR - lookup of mirror.internal failed: name not known',
    '2025-05-17 10:00:02,100 - fetcher - ERROR - lookup of cache.internal failed: name not known',
    '2025-05-17 10:00:02,200 - fetcher - ERROR - lookup of auth.internal failed: name not known',
    '2025-05-17 10:00:03,000 - fetcher - ERROR - unexpected state transition from RUNNING to PAUSED for job 81',
    '2025-05-17 10:00:03,500 - fetcher - ERROR - worker 3 did not answer within 300s, timed out',
    '2025-05-17 10:00:04,000 - fetcher - ERROR - OSError: [Errno 28] No space left on device',
    '',
  ].join('\n'),
);

test.serial('the committed model is byte-identical to a fresh npm run train', async (t) => {
  await turn();
  const fresh = trainShipped();
  t.true(Buffer.compare(fresh, readFileSync(MODEL_PATH)) === 0, 'run npm run train and rebuild the addon');
  // 2^15 buckets of one-byte weights per class: well under a megabyte in the package.
  t.true(fresh.length < 1_000_000, `${fresh.length} bytes`);
});

test('failures in unfamiliar words get a type; healthy lines get none', (t) => {
  const [dns, benign, ready] = inferTypes(['lookup of registry.internal failed: name not known', 'server started on port 8080', 'INFO worker 3 ready in 120 ms']);
  t.is(dns.type, 'DNSError');
  t.true(dns.confidence > 0.5 && dns.confidence <= 1);
  t.true(dns.support !== null && dns.support >= 0.15, `support ${dns.support}`);
  t.is(benign.type, null);
  t.is(ready.type, null);
  t.deepEqual(inferTypes([]), []);
});

test('a confident type that no training sample resembles is not given (the support floor)', (t) => {
  // A healthy state report whose words lean towards a crash: the model is confident, but no
  // ProcessCrash sample reads like it.
  const [state] = inferTypes(['[error] frob child workerEnv in error state 6']);
  t.true(state.confidence >= SHOW_INFERRED_FROM, `confidence ${state.confidence}`);
  t.true(state.support !== null && state.support < 0.15, `support ${state.support}`);
  t.is(state.type, null);
});

test('damaged model bytes and bad training options are refused with a code', (t) => {
  const err = t.throws(() => native.inferTypesSync(['x'], Buffer.from('LMTM\x01')));
  t.is((err as NodeJS.ErrnoException).code, 'E_INVALID_ARG');
  const bad = t.throws(() => native.trainTypeModelSync([{ text: 'a', label: '' }, { text: 'b', label: 'DNSError' }], { technique: 'forest' }));
  t.is((bad as NodeJS.ErrnoException).code, 'E_INVALID_ARG');
  t.regex(bad?.message ?? '', /unknown technique "forest"/);
  const feature = t.throws(() => native.trainTypeModelSync([{ text: 'a', label: '' }, { text: 'b', label: 'DNSError' }], { features: ['trigrams'] }));
  t.is((feature as NodeJS.ErrnoException).code, 'E_INVALID_ARG');
  t.regex(feature?.message ?? '', /unknown feature set "trigrams"/);
});

test('analyze types each Unrecognised group, marked inferred, apart from matched types', async (t) => {
  const text = await runCli(['analyze', log]);
  t.is(text.code, 1, text.stderr);
  t.regex(text.stdout, /Found error: DiskSpace/);
  t.regex(text.stdout, /Unrecognised: 6 error-level lines that no pattern matched, 3 templates \(types inferred by the model, not matched\)/);
  t.regex(text.stdout, /4× inferred DNSError \(\d+%\)\s+lookup of <\*> failed: name not known/);
  t.notRegex(text.stdout, /Found error: DNSError/);
  t.is(text.stdout.match(/Unrecognised/g)?.length, 1, 'one Unrecognised section');
  // Below the shown confidence (SHOW_INFERRED_FROM) a guess is not the group's type.
  t.regex(text.stdout, /1× no confident type\s+unexpected state transition/);

  const zh = await runCli(['analyze', log, '--lang', 'zh']);
  t.regex(zh.stdout, /未识别: 6 条没有任何模式匹配的错误级别行, 3 个模板/);
  t.regex(zh.stdout, /4× 推断为 DNSError \(\d+%\)/);

  const json = await runCli(['analyze', log, '--json']);
  const d = JSON.parse(json.stdout) as Diagnosis & { inferred?: unknown };
  t.deepEqual(d.errors.map((e) => e.type), ['DiskSpace']);
  t.is(d.inferred, undefined, 'no second list: the types sit on the Unrecognised groups');
  const groups = d.unrecognised?.templates ?? [];
  const dns = groups.find((g) => g.inferred?.type === 'DNSError');
  t.is(dns?.count, 4);
  t.is(dns?.first.line, 2);
  t.regex(dns?.template ?? '', /<\*>/);
  t.true((dns?.inferred?.confidence ?? 0) >= SHOW_INFERRED_FROM);
  t.true((dns?.inferred?.support ?? 0) >= 0.15, 'the JSON keeps the support');
  const unsure = groups.find((g) => g.example.includes('state transition'));
  t.is(unsure?.inferred?.type, null);
  const kept = unsure?.inferred?.confidence ?? 0;
  t.true(kept > 0 && kept < SHOW_INFERRED_FROM, 'JSON keeps the low answer\'s confidence');

  const report = join(dir, 'report.html');
  const r = await runCli(['analyze', log, '--report', report]);
  t.is(r.code, 1);
  const html = readFileSync(report, 'utf8');
  t.regex(html, /<section id="unrecognised"><h2>Unrecognised<span class="count">6 error-level lines/);
  t.notRegex(html, /unrecognised-templates/);
  t.regex(html, /<tr id="template-[0-9a-f]+"><td class="num">4<\/td><td><span class="inferred">inferred DNSError \(\d+%\)<\/span>/);
});

test('stdin gets the same inferred types as the file', async (t) => {
  const r = await runCli(['analyze', '-', '--json'], { input: readFileSync(log, 'utf8') });
  const d = JSON.parse(r.stdout) as Diagnosis;
  t.deepEqual(
    d.unrecognised?.templates.map((g) => [g.count, g.inferred?.type]),
    [
      [4, 'DNSError'],
      [1, null],
      [1, 'Timeout'],
    ],
  );
});

test('inference reads the diagnosis only: no second pass over the log, no miner', async (t) => {
  const copy = join(dir, 'gone.log');
  writeFileSync(copy, readFileSync(log));
  const d = await new LogAnalyzer().diagnoseFromLogs([copy]);
  // The log is gone and every mining entry of the addon refuses to run: typing the groups must
  // still work, from what the one scan already grouped.
  rmSync(copy);
  const miners = Object.keys(native).filter((k) => /^mine/i.test(k));
  t.true(miners.length > 0, 'the addon exports a miner to guard');
  const saved = miners.map((k) => [k, (native as Record<string, unknown>)[k]] as const);
  const called: string[] = [];
  for (const k of miners) (native as Record<string, unknown>)[k] = () => { called.push(k); throw new Error(`${k} called`); };
  try {
    inferUnrecognised(d);
  } finally {
    for (const [k, v] of saved) (native as Record<string, unknown>)[k] = v;
  }
  t.deepEqual(called, []);
  t.is(d.unrecognised?.templates.find((g) => g.count === 4)?.inferred?.type, 'DNSError');
});

test('recover --dry-run plans an inferred type, skipped: acting on inferred types is off by default', async (t) => {
  const config = join(dir, 'logmedic.config.json');
  writeFileSync(config, JSON.stringify({ services: { fetcher: { start: ['sleep', '1000'], pidFile: 'fetcher.pid', loggers: ['fetcher'], default: true } }, state: { dir: join(dir, 'state') } }));
  const r = await runCli(['recover', log, '--dry-run', '--config', config]);
  t.regex(r.stdout + r.stderr, /inferred Timeout \(confidence 0\.\d+\).*policy\.inferred\.allow/);
  t.notRegex(r.stdout + r.stderr, /state transition/, 'a group below the bar plans nothing');
});
