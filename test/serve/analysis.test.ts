// The server's analysis of a log: its diagnosis and plan are exactly what diagnoseFromLogs
// (`analyze`) and planRecovery (`recover --dry-run`) give; its first records come with the
// diagnosis' own pass (a prefix of all of them, same indexes), and the rest from a second
// pass, after which they are exactly what extractErrors returns.
import test from 'ava';
import { appendFileSync } from 'node:fs';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import { planRecovery } from '../../src/recovery/index.js';
import { Analyses, EARLY_RECORDS, recordsPage, type Analysis } from '../../src/serve/analysis.js';
import { loadServeConfig } from '../../src/serve/config.js';
import type { ProgressEvent } from '../../src/serve/view-types.js';
import { world } from './_world.js';

const refused = (i: number) => `2025-05-17 10:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},000 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.${i % 3}, port=6379)`;

test('a log with fewer records of each type than the first pass keeps: complete at once, the same diagnosis, records and plan as the CLI', async (t) => {
  const w = world();
  appendFileSync(w.log, '\n' + Array.from({ length: 40 }, (_, i) => refused(i)).join('\n') + '\n');
  const config = loadServeConfig(w.configFile).config;
  const progress: Omit<ProgressEvent, 'name'>[] = [];
  const a = await new Analyses(() => config).ofFile(w.log, w.log, undefined, (p) => progress.push(p));

  const analyzer = new LogAnalyzer({ catalog: config.catalog });
  const records = await analyzer.extractErrors(w.log);
  t.true(records.filter((r) => r.message.includes('Connection refused')).length >= 43);
  t.true(a.complete);
  t.deepEqual(a.records, records);
  t.deepEqual(await a.allRecords, records);
  const diagnosis = await analyzer.diagnoseFromLogs(w.log);
  t.deepEqual({ ...a.diagnosis, elapsedMs: 0 }, { ...diagnosis, elapsedMs: 0 });
  t.deepEqual(a.plan, await planRecovery(diagnosis, config));
  for (const p of progress) t.true(p.phase === 'summary' && p.bytes <= p.total);
});

test('more records of a type than the first pass keeps: the first pages at once from a prefix, the rest after the second pass', async (t) => {
  const w = world();
  const many = EARLY_RECORDS + 150;
  // The refusals, then one more corrupt model: its record comes after the kept refusals end.
  appendFileSync(w.log, '\n' + Array.from({ length: many }, (_, i) => refused(i)).join('\n') + '\n2025-05-17 10:30:00,000 - model_loader - ERROR - Model file corrupt: other.pt checksum mismatch\n');
  const config = loadServeConfig(w.configFile).config;
  const told: Analysis[] = [];
  const a = await new Analyses(() => config, { onRecords: (x) => told.push(x) }).ofFile(w.log, w.log);
  // As the summary is answered: what the first pass kept, and a page from it.
  t.false(a.complete);
  const early = a.records;
  const first = await recordsPage(a, {}, 0, 50);
  const all = await new LogAnalyzer({ catalog: config.catalog }).extractErrors(w.log);
  t.true(early.length >= EARLY_RECORDS && early.length < all.length);
  t.deepEqual(early, all.slice(0, early.length), 'a prefix: the same records at the same indexes');
  t.deepEqual({ ...a.diagnosis, elapsedMs: 0 }, { ...(await new LogAnalyzer({ catalog: config.catalog }).diagnoseFromLogs(w.log)), elapsedMs: 0 });

  // The first page came from what was known: not waiting, its total a lower bound.
  t.false(first.complete);
  t.true(first.total >= 50 && first.total < all.length);
  t.deepEqual(first.records.map((r) => r.index), [...Array(50).keys()]);
  t.deepEqual(first.records.map(({ index, ...r }) => r), all.slice(0, 50));
  // A page past what is known waits for the second pass and is exact.
  const corrupt = await recordsPage(a, { type: 'ModelCorruption' }, 0, 50);
  t.true(corrupt.complete);
  t.deepEqual(corrupt.records.map((r) => r.message), all.filter((r) => r.type === 'ModelCorruption').map((r) => r.message));
  t.is(corrupt.total, 2);
  t.true(a.complete);
  t.deepEqual(a.records, all);
  t.deepEqual(told, [a]);
  t.is((await recordsPage(a, {}, 0, 50)).total, all.length);
});
