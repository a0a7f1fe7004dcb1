// watch's Unrecognised section: per piece of a file read, the error-level lines no pattern
// matched, grouped by template in the core's scan (the same grouping as analyze's section),
// each group typed by the learned model, with line numbers of the file, not of the piece.
import test from 'ava';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import type { UnrecognisedEvent } from '../../src/watch/watcher.js';
import { startWatching } from './_child.js';
import { oomLine, startWatcher, tempDir, waitFor, watchCatalog } from './_helpers.js';

const at = (s: number) => `2025-05-17 10:05:${String(s).padStart(2, '0')}`;
const ledger = (s: number, shard: number) => `${at(s)} ERROR api - ledger shard-${shard} drifted by ${s * 7} units\n`;
const arbiter = (s: number) => `${at(s)} ERROR api - arbiter vote skipped for term ${s}\n`;
const info = (s: number) => `${at(s)} INFO api - ledger shard-1 balanced in ${s} ms\n`;

test('each piece read gives its Unrecognised section: grouped by template in the core, typed, numbered as lines of the file', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const analyzer = new LogAnalyzer({ catalog: watchCatalog });
  const sections: UnrecognisedEvent[] = [];
  const { records } = startWatcher(t, {
    paths: [log],
    stateDir: join(dir, 'state'),
    classify: (buf, meta) => analyzer.sliceOfBuffer(buf, meta),
    onUnrecognised: (e) => sections.push(e),
  });
  await new Promise((r) => setTimeout(r, 300));
  // Lines 1-8: a record, five unmatched error lines of two templates, info lines (the last
  // is held back until the file goes quiet, as the last record of a piece always is).
  appendFileSync(log, info(0) + ledger(1, 2) + oomLine(1) + arbiter(2) + ledger(3, 5) + arbiter(4) + ledger(5, 9) + info(6));
  await waitFor(() => sections.length >= 1 && records.length >= 1, 'the first section');
  const first = sections[0];
  t.is(first.event, 'unrecognised');
  t.is(first.file, log);
  t.is(first.lines, 5);
  t.is(first.others, 0);
  t.deepEqual(
    first.templates.map((g) => [g.template, g.count, g.first.line, g.last.line]),
    [
      ['ledger <*> drifted by <*> units', 3, 2, 7],
      ['arbiter vote skipped for term <*>', 2, 4, 6],
    ],
  );
  for (const g of first.templates) {
    t.is(typeof g.inferred?.confidence, 'number', 'each group is typed once by the model');
    t.truthy(g.pattern, 'with the pattern test FILE would suggest');
  }
  t.deepEqual(records.map((r) => r.type), ['OutOfMemory'], 'unmatched lines are never records');
  // A later piece: its lines are numbered on from the file's start.
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(log, ledger(7, 3) + info(8));
  await waitFor(() => sections.length >= 2, 'the second section');
  t.deepEqual(sections[1].templates.map((g) => [g.template, g.count, g.first.line]), [['ledger <*> drifted by <*> units', 1, 9]]);
  t.is(sections[1].templates[0].id, first.templates[0].id, 'the same template has the same id in every piece');
});

test('watch --json writes each Unrecognised section as one JSON event', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const c = await startWatching(t, [log, '--state-dir', join(dir, 'state')], dir);
  appendFileSync(log, ledger(1, 2) + ledger(2, 4) + oomLine(3));
  await waitFor(() => c.events.some((e) => e.event === 'unrecognised') && c.records().length === 1, 'an unrecognised event');
  const e = c.events.find((x) => x.event === 'unrecognised')!;
  t.is(e.lines, 2);
  t.is(e.file, log);
  t.is(e.templates[0].template, 'ledger <*> drifted by <*> units');
  t.is(e.templates[0].count, 2);
  t.true('inferred' in e.templates[0]);
  c.proc.kill('SIGTERM');
  t.is((await c.exited).code, 0);
});
