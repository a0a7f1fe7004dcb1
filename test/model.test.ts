// The learned type model: the shipped weights are exactly what `npm run train` makes from the
// repository's data; its answers are marked inferred in analyze (text, JSON, report) and kept
// out of the pattern-matched types; recover plans them without acting (policy.inferred).
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { native } from '../src/native.js';
import { inferTypes, SHOW_INFERRED_FROM } from '../src/diagnosis/inferred.js';
import type { Diagnosis } from '../src/diagnosis/types.js';
import { MODEL_PATH, trainShipped } from '../scripts/train-model.js';
import { runCli } from './cli/_run.js';
import { turn } from './corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'logmedic-model-'));
// Error-level lines of two templates no catalog pattern matches (a failure in words nobody wrote a
// pattern for), one healthy line, one matched failure.
const log = join(dir, 'app.log');
writeFileSync(
  log,
  [
    '2025-05-17 10:00:00,000 - fetcher - INFO - worker 3 ready in 120 ms',
    '2025-05-17 10:00:01,000 - fetcher - ERROR - lookup of registry.internal failed: name not known',
    '2025-05-17 10:00:02,000 - fetcher - ERROR - lookup of mirror.internal failed: name not known',
    '2025-05-17 10:00:02,100 - fetcher - ERROR - lookup of cache.internal failed: name not known',
    '2025-05-17 10:00:02,200 - fetcher - ERROR - lookup of auth.internal failed: name not known',
    '2025-05-17 10:00:03,000 - fetcher - ERROR - worker heartbeat missed: job 81 exceeded its deadline of 300s',
    '2025-05-17 10:00:04,000 - fetcher - ERROR - OSError: [Errno 28] No space left on device',
    '',
  ].join('\n'),
);

test.serial('the committed model is byte-identical to a fresh npm run train', async (t) => {
  await turn();
  const fresh = trainShipped();
  t.true(Buffer.compare(fresh, readFileSync(MODEL_PATH)) === 0, 'run npm run train and rebuild the addon');
  t.true(fresh.length < 200_000, `${fresh.length} bytes`);
});

test('failures in unfamiliar words get a type; healthy lines get none', (t) => {
  const [dns, benign, ready] = inferTypes(['lookup of registry.internal failed: name not known', 'server started on port 8080', 'INFO worker 3 ready in 120 ms']);
  t.is(dns.type, 'DNSError');
  t.true(dns.confidence > 0.5 && dns.confidence <= 1);
  t.is(benign.type, null);
  t.is(ready.type, null);
  t.deepEqual(inferTypes([]), []);
});

test('damaged model bytes and bad training options are refused with a code', (t) => {
  const err = t.throws(() => native.inferTypesSync(['x'], Buffer.from('LMTM\x01')));
  t.is((err as NodeJS.ErrnoException).code, 'E_INVALID_ARG');
  const bad = t.throws(() => native.trainTypeModelSync([{ text: 'a', label: '' }, { text: 'b', label: 'DNSError' }], { technique: 'forest' }));
  t.is((bad as NodeJS.ErrnoException).code, 'E_INVALID_ARG');
  t.regex(bad?.message ?? '', /unknown technique "forest"/);
});

test('analyze lists unmatched error templates under Unrecognised, marked inferred, apart from matched types', async (t) => {
  const text = await runCli(['analyze', log]);
  t.is(text.code, 1, text.stderr);
  t.regex(text.stdout, /Found error: DiskSpace/);
  t.regex(text.stdout, /Unrecognised: 2 error-level templates/);
  t.regex(text.stdout, /4× inferred DNSError \(\d+%\)\s+.*lookup of registry\.internal/);
  t.notRegex(text.stdout, /Found error: DNSError/);
  // Below the shown confidence (SHOW_INFERRED_FROM) a guess is not shown as the group's type.
  t.regex(text.stdout, /1× no confident type\s+.*worker heartbeat missed/);

  const json = await runCli(['analyze', log, '--json']);
  const d = JSON.parse(json.stdout) as Diagnosis;
  t.deepEqual(d.errors.map((e) => e.type), ['DiskSpace']);
  const dns = d.inferred?.find((g) => g.inferred?.type === 'DNSError');
  t.truthy(dns);
  t.is(dns?.count, 4);
  t.is(dns?.first.line, 2);
  t.regex(dns?.template ?? '', /<\*>/);
  const timeout = d.inferred?.find((g) => g.example.includes('heartbeat'));
  t.true((timeout?.inferred?.confidence ?? 1) < SHOW_INFERRED_FROM, 'JSON keeps the low-confidence answer with its confidence');

  const report = join(dir, 'report.html');
  const r = await runCli(['analyze', log, '--report', report]);
  t.is(r.code, 1);
  const html = readFileSync(report, 'utf8');
  t.regex(html, /<section id="unrecognised">/);
  t.regex(html, /inferred DNSError/);
});

test('recover --dry-run plans an inferred type, skipped: acting on inferred types is off by default', async (t) => {
  const config = join(dir, 'logmedic.config.json');
  writeFileSync(config, JSON.stringify({ services: { fetcher: { start: ['sleep', '1000'], pidFile: 'fetcher.pid', loggers: ['fetcher'], default: true } }, state: { dir: join(dir, 'state') } }));
  const r = await runCli(['recover', log, '--dry-run', '--config', config]);
  t.regex(r.stdout + r.stderr, /inferred Timeout \(confidence [\d.]+\).*policy\.inferred\.allow/);
});
