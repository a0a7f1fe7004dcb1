// watch's Unrecognised section: per file and tick, the error-level lines no pattern matched
// in all the pieces read, merged by template in the core (clustered over every such line of
// the file read so far, as analyze would group them), each template typed once by the
// learned model, with line numbers of the file, not of the piece.
import test from 'ava';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import { native } from '../../src/native.js';
import type { UnrecognisedEvent } from '../../src/watch/watcher.js';
import { spawn } from 'node:child_process';
import { ROOT, env, startWatching } from './_child.js';
import { oomLine, sleep, startWatcher, tempDir, waitFor, watchCatalog } from './_helpers.js';

const at = (s: number) => `2025-05-17 10:05:${String(s).padStart(2, '0')}`;
const ledger = (s: number, shard: number) => `${at(s)} ERROR api - ledger shard-${shard} drifted by ${s * 7} units\n`;
const arbiter = (s: number) => `${at(s)} ERROR api - arbiter vote skipped for term ${s}\n`;
const info = (s: number) => `${at(s)} INFO api - ledger shard-1 balanced in ${s} ms\n`;

test('a tick gives the file\'s Unrecognised section: grouped by template in the core, typed, numbered as lines of the file', async (t) => {
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
  // A later tick: its lines are numbered on from the file's start.
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(log, ledger(7, 3) + info(8));
  await waitFor(() => sections.length >= 2, 'the second section');
  t.deepEqual(sections[1].templates.map((g) => [g.template, g.count, g.first.line]), [['ledger <*> drifted by <*> units', 1, 9]]);
  t.is(sections[1].templates[0].id, first.templates[0].id, 'the same template has the same id in every tick');
  t.deepEqual([first.templates[0].total, sections[1].templates[0].total], [3, 4], 'and a running count');
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
  t.is(e.templates[0].total, 2);
  c.proc.kill('SIGTERM');
  t.is((await c.exited).code, 0);
});

test('watch in text shows each template\'s lines since the watch began once a later tick adds to it', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'watch', log, '--poll-ms', '50', '--idle-ms', '100', '--state-dir', join(dir, 'state')], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => proc.kill('SIGKILL'));
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await waitFor(() => /watching \d+ file/.test(err), 'the watch to start', 60_000);
  appendFileSync(log, ledger(1, 2));
  await waitFor(() => out.includes('Unrecognised in'), 'a first Unrecognised section');
  t.regex(out, /1× .*ledger <\*> drifted by <\*> units {2}\[line 1\]\n/);
  t.notRegex(out, /since the watch began/);
  appendFileSync(log, ledger(2, 4) + ledger(3, 5));
  await waitFor(() => /, 3 since the watch began\]/.test(out), 'a later section counting all three lines');
  t.regex(out, /× .*ledger <\*> drifted by <\*> units {2}\[lines? [\d-]+, 3 since the watch began\]/);
});

const consensus = (n: number, peer: string) => `${at(n % 60)} ERROR raft - consensus stalled waiting on peer ${peer}\n`;
const escrow = (n: number) => `${at(n % 60)} ERROR vault - escrow ${n} refused by custodian\n`;
const turbine = (n: number) => `${at(n % 60)} CRITICAL plant - turbine ${n % 9} over torque at ${n * 3} rpm\n`;
// About 100 bytes: a 10 MiB burst is read in 4 MiB reads (the watcher's buffer), one piece each.
const quiet = (n: number) => `${at(n % 60)} INFO api - batch ${n} done in 12 ms; queue depth nominal, nothing to report here\n`;
const PEERS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

/** Lines `from..from+count-1` of a log (1-based), every 97th an unrecognised error line; the last is quiet. */
function burst(from: number, count: number, peerOf: (n: number) => string): { text: string; truth: Map<string, number[]> } {
  const truth = new Map<string, number[]>();
  const note = (what: string, n: number) => truth.set(what, [...(truth.get(what) ?? []), n]);
  const out: string[] = [];
  for (let n = from; n < from + count; n++) {
    if (n % 97 !== 0 || n === from + count - 1) out.push(quiet(n));
    else if (n % 3 === 0) (out.push(consensus(n, peerOf(n))), note('consensus', n));
    else if (n % 3 === 1) (out.push(escrow(n)), note('escrow', n));
    else (out.push(turbine(n)), note('turbine', n));
  }
  return { text: out.join(''), truth };
}

const wordOf = (template: string) => template.split(' ')[0];

test('a burst read in several pieces in one tick gives one event for the file, its templates merged across the pieces', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const analyzer = new LogAnalyzer({ catalog: watchCatalog });
  const piecesWithErrors: number[] = [];
  const events: UnrecognisedEvent[] = [];
  startWatcher(t, {
    paths: [log],
    stateDir: join(dir, 'state'),
    classify: (buf, meta) => {
      if (buf.includes(' ERROR ') || buf.includes(' CRITICAL ')) piecesWithErrors.push(meta.firstLine);
      return analyzer.sliceOfBuffer(buf, meta);
    },
    onUnrecognised: (e) => events.push(e),
  });
  await sleep(300);
  // 110,000 lines, about 10 MiB. Each fifth of the file names its own peer, so no one piece
  // sees the four peers that make "peer <*>" a variable: only the merge across pieces does.
  const lines = 110_000;
  const { text, truth } = burst(1, lines, (n) => PEERS[Math.floor(((n - 1) * PEERS.length) / lines)]);
  appendFileSync(log, text);
  const expected = [...truth.values()].reduce((n, l) => n + l.length, 0);
  await waitFor(() => events.reduce((n, e) => n + e.lines, 0) >= expected, 'the unrecognised lines', 60_000);
  await sleep(300);
  t.true(piecesWithErrors.length >= 3, `read in ${piecesWithErrors.length} pieces`);
  t.is(events.length, 1, 'one event for the file in the tick that read the burst');
  const [e] = events;
  t.is(e.lines, expected);
  t.is(e.others, 0);
  t.deepEqual(
    e.templates.map((g) => [g.template, g.count, g.total, g.first.line, g.last.line]).sort(),
    [
      ['consensus stalled waiting on peer <*>', truth.get('consensus')!.length, truth.get('consensus')!.length, truth.get('consensus')![0], truth.get('consensus')!.at(-1)],
      ['escrow <*> refused by custodian', truth.get('escrow')!.length, truth.get('escrow')!.length, truth.get('escrow')![0], truth.get('escrow')!.at(-1)],
      ['turbine <*> over torque at <*> rpm', truth.get('turbine')!.length, truth.get('turbine')!.length, truth.get('turbine')![0], truth.get('turbine')!.at(-1)],
    ].sort(),
  );
  t.is(e.templates.find((g) => wordOf(g.template) === 'consensus')?.example, consensus(truth.get('consensus')![0], 'alpha').trimEnd());
  // The templates and ids analyze gives the same file.
  const whole = await analyzer.diagnoseFromLogs(log);
  t.deepEqual(e.templates.map((g) => [g.id, g.template]).sort(), (whole.unrecognised?.templates ?? []).map((g) => [g.id, g.template]).sort());
});

test.serial('across ticks: one event per file and tick, the tick\'s counts, the same ids, running totals, each template typed once', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const analyzer = new LogAnalyzer({ catalog: watchCatalog });
  const typed: string[] = [];
  const infer = native.inferTypesSync;
  native.inferTypesSync = (texts: string[]) => {
    typed.push(...texts.filter((x) => / (consensus|escrow|turbine) /.test(x)));
    return infer(texts);
  };
  t.teardown(() => {
    native.inferTypesSync = infer;
  });
  const events: UnrecognisedEvent[] = [];
  startWatcher(t, { paths: [log], stateDir: join(dir, 'state'), classify: (buf, meta) => analyzer.sliceOfBuffer(buf, meta), onUnrecognised: (e) => events.push(e) });
  await sleep(300);
  const totals = new Map<string, number>();
  const ids = new Map<string, string>();
  let line = 1;
  for (let tick = 0; tick < 3; tick++) {
    // 2,000 lines in two writes before the next tick, every peer in each tick.
    const { text, truth } = burst(line, 2_000, (n) => PEERS[n % PEERS.length]);
    const half = text.indexOf('\n', text.length / 2) + 1;
    appendFileSync(log, text.slice(0, half));
    appendFileSync(log, text.slice(half));
    const expected = [...truth.values()].reduce((n, l) => n + l.length, 0);
    await waitFor(() => events.length === tick + 1, `the event of tick ${tick}`);
    await sleep(200);
    t.is(events.length, tick + 1, `one event for tick ${tick}`);
    const e = events[tick];
    t.is(e.lines, expected);
    t.is(e.templates.length, 3);
    for (const g of e.templates) {
      const mine = truth.get(wordOf(g.template))!;
      t.deepEqual([g.count, g.first.line, g.last.line], [mine.length, mine[0], mine.at(-1)], g.template);
      const total = (totals.get(g.template) ?? 0) + g.count;
      totals.set(g.template, total);
      t.is(g.total, total, `running count of ${g.template}`);
      t.is(ids.get(g.template) ?? g.id, g.id, `the id of ${g.template} in tick ${tick}`);
      ids.set(g.template, g.id);
      t.is(typeof g.inferred?.confidence, 'number');
    }
    line += 2_000;
  }
  t.is(typed.length, 3, 'the model typed each template once, not once per tick');
});

test('a slice numbered before the file\'s first line is refused with E_INVALID_ARG', (t) => {
  const catalog = new native.CompiledCatalog([], [{ name: 'OutOfMemory', priority: 0 }]);
  const tally = new native.UnrecognisedTally();
  t.throws(() => native.analyzeSliceSync(catalog, Buffer.from(ledger(1, 2)), -1, tally), { code: 'E_INVALID_ARG', message: /linesBefore must be >= 0/ });
  t.is(tally.take(), null, 'nothing was added');
  native.analyzeSliceSync(catalog, Buffer.from(ledger(1, 2)), 41, tally);
  const taken = tally.take();
  t.like(taken, { lines: 1, others: 0 });
  t.like(taken?.templates[0], { total: 1, mined: { count: 1, first: { line: 42 } } });
});
