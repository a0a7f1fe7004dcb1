// No false alarms on real logs: every record of loghub-2k (16 systems, real production logs)
// is typed by the core as `analyze` types it, and what is flagged must equal test/fixtures/loghub-expected.json — a
// table in which every flagged line is justified as a real failure. Any other line
// flagged is a false alarm and fails this test.

import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { classifyRecords } from '../src/diagnosis/classify.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import { inferUnrecognised } from '../src/diagnosis/inferred.js';
import { hyperscanAvailable } from '../src/scan.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LOGHUB = join(REPO, '..', 'shared', 'data', 'loghub-2k');
const expected = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'loghub-expected.json'), 'utf8')) as Record<
  string,
  { types: Record<string, number>; why: string }
>;
delete expected._comment;

const systems = existsSync(LOGHUB)
  ? readdirSync(LOGHUB, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

test('loghub-2k: what is flagged per system equals the justified expected table', (t) => {
  if (systems.length === 0) {
    t.log(`loghub-2k not found at ${LOGHUB}: skipped`);
    t.pass();
    return;
  }
  const catalog = defaultCatalog();
  const actual: Record<string, Record<string, number>> = {};
  const samples: string[] = [];
  let lines = 0;
  for (const system of systems) {
    const file = readdirSync(join(LOGHUB, system)).find((f) => f.endsWith('.log'));
    if (!file) continue;
    const buffer = readFileSync(join(LOGHUB, system, file));
    for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) lines++;
    const text = buffer.toString('utf8').split('\n');
    const counts: Record<string, number> = {};
    for (const hit of classifyRecords(catalog, buffer)) {
      counts[hit.type] = (counts[hit.type] ?? 0) + 1;
      const known = expected[system]?.types[hit.type];
      if (known === undefined) samples.push(`${system}:${hit.line} unexpected ${hit.type} (${hit.patternId}): ${text[hit.line - 1].slice(0, 160)}`);
    }
    actual[system] = counts;
  }
  const rows = systems.map((s) => {
    const c = actual[s] ?? {};
    const cells = Object.entries(c).map(([type, n]) => `${type} ${n}`);
    return `  ${s.padEnd(12)} ${cells.length ? cells.join(', ') : '-'}`;
  });
  t.log(`loghub-2k: ${systems.length} systems, ${lines} lines; flagged per system:\n${rows.join('\n')}`);
  for (const s of samples) t.log(s);
  t.deepEqual(actual, Object.fromEntries(systems.map((s) => [s, expected[s]?.types ?? {}])));
});

test('loghub-2k: the model types only the justified Unrecognised groups at the shown confidence', async (t) => {
  if (systems.length === 0) {
    t.pass();
    return;
  }
  const inferred = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'loghub-inferred.json'), 'utf8')) as Record<string, { types: Record<string, number>; why: string }>;
  delete inferred._comment;
  const actual: Record<string, Record<string, number>> = {};
  for (const system of systems) {
    const file = readdirSync(join(LOGHUB, system)).find((f) => f.endsWith('.log'));
    if (!file) continue;
    const diagnosis = inferUnrecognised(await new LogAnalyzer().diagnoseFromLogs([join(LOGHUB, system, file)]));
    for (const g of diagnosis.unrecognised?.templates ?? []) {
      if (!g.inferred?.type) continue;
      if (inferred[system]?.types[g.inferred.type] === undefined) t.log(`${system}: ${g.count}× unexpected ${g.inferred.type} (${g.inferred.confidence.toFixed(3)}): ${g.example.slice(0, 160)}`);
      const counts = (actual[system] ??= {});
      counts[g.inferred.type] = (counts[g.inferred.type] ?? 0) + g.count;
    }
  }
  t.deepEqual(actual, Object.fromEntries(Object.entries(inferred).map(([s, { types }]) => [s, types])));
  for (const [system, { why }] of Object.entries(inferred)) t.true(why.length > 20, `${system} is not justified`);
});

test('loghub-2k: the expected table lists every system and justifies every flagged type', (t) => {
  if (systems.length === 0) {
    t.pass();
    return;
  }
  t.deepEqual(Object.keys(expected).sort(), systems);
  for (const [system, { types, why }] of Object.entries(expected)) {
    for (const type of Object.keys(types)) t.true(why.length > 20, `${system}: ${type} is not justified`);
  }
});

test('loghub-2k: the hyperscan engine flags exactly the same records as the regex engine', (t) => {
  if (systems.length === 0 || !hyperscanAvailable()) {
    t.log(systems.length === 0 ? 'loghub-2k not found: skipped' : 'hyperscan not available here: skipped');
    t.pass();
    return;
  }
  const catalog = defaultCatalog();
  for (const system of systems) {
    const file = readdirSync(join(LOGHUB, system)).find((f) => f.endsWith('.log'));
    if (!file) continue;
    const buffer = readFileSync(join(LOGHUB, system, file));
    const view = (engine: 'regex' | 'hyperscan') => classifyRecords(catalog, buffer, { engine }).map((h) => `${h.line} ${h.matched.join(',')}`);
    t.deepEqual(view('hyperscan'), view('regex'), system);
  }
});
