// watch's Unrecognised totals across restarts: the checkpoint keeps each followed file's
// tally (the core's saved bytes), so "N since the watch began" goes on counting when the
// watch is stopped and started again on the same file; a new file at the path (rotation)
// starts over, and a tally that does not restore is warned about once and starts over
// without costing the watch its place. Real `logmedic watch` processes, and the binding's
// save/restore.
import test from 'ava';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import { native } from '../../src/native.js';
import { CHECKPOINT_FILE, type CheckpointData } from '../../src/watch/checkpoint.js';
import type { UnrecognisedEvent } from '../../src/watch/watcher.js';
import { startWatching, type WatchChild } from './_child.js';
import { oomLine, sleep, startWatcher, tempDir, waitFor, watchCatalog } from './_helpers.js';

const ledger = (n: number) => `2025-05-17 10:05:${String(n % 60).padStart(2, '0')} ERROR api - ledger shard-${n % 7} drifted by ${n * 7} units\n`;
const LEDGER = 'ledger <*> drifted by <*> units';

const unrecognised = (c: WatchChild) => c.events.filter((e) => e.event === 'unrecognised');
const ledgerOf = (e: Record<string, any>) => e.templates.find((g: Record<string, any>) => g.template === LEDGER);

/** What the watch's events from the `from`th on say of the ledger template (a write's last line is held until the file goes quiet, so one write may take two events). */
function ledgerSince(c: WatchChild, from: number) {
  const groups = unrecognised(c).slice(from).map(ledgerOf).filter(Boolean);
  if (groups.length === 0) return undefined;
  const ids = new Set(groups.map((g) => g.id));
  return { id: ids.size === 1 ? groups[0].id : [...ids], count: groups.reduce((k, g) => k + g.count, 0), total: groups.at(-1).total, first: groups[0].first.line, last: groups.at(-1).last.line };
}

/** Wait until the watch's events from the `from`th on hold `n` ledger lines. */
async function ledgerLines(c: WatchChild, from: number, n: number) {
  await waitFor(() => (ledgerSince(c, from)?.count ?? 0) >= n, `${n} unrecognised lines`);
  return ledgerSince(c, from)!;
}

/** Append `ledger(from..from+n-1)` and wait for the watch to report them. */
async function report(c: WatchChild, log: string, from: number, n: number) {
  const before = unrecognised(c).length;
  appendFileSync(log, Array.from({ length: n }, (_, i) => ledger(from + i)).join(''));
  return ledgerLines(c, before, n);
}

async function stop(c: WatchChild): Promise<number | null> {
  c.proc.kill('SIGTERM');
  return (await c.exited).code;
}

function checkpoint(state: string): CheckpointData {
  return JSON.parse(readFileSync(join(state, CHECKPOINT_FILE), 'utf8')) as CheckpointData;
}

function editCheckpoint(state: string, edit: (cp: CheckpointData) => void): void {
  const cp = checkpoint(state);
  edit(cp);
  writeFileSync(join(state, CHECKPOINT_FILE), JSON.stringify(cp));
}

/** A watch of a new `app.log` that reported 3 ledger lines and was stopped. */
async function watchedThreeThenStopped(t: Parameters<Parameters<typeof test>[1]>[0]) {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, '');
  const first = await startWatching(t, [log, '--state-dir', state], dir);
  const before = await report(first, log, 1, 3);
  t.like(before, { count: 3, total: 3 });
  t.is(await stop(first), 0);
  return { dir, log, state, id: before.id as string };
}

test('a watch stopped and started again goes on counting each template\'s lines since the watch began', async (t) => {
  const { dir, log, state, id } = await watchedThreeThenStopped(t);
  const saved = checkpoint(state).files[0];
  t.is(typeof saved.unrecognised, 'string', 'the checkpoint keeps the file\'s tally');
  // Two lines written while the watch was stopped, two more once it runs again.
  appendFileSync(log, ledger(4) + ledger(5));
  const second = await startWatching(t, [log, '--state-dir', state], dir);
  t.deepEqual(await ledgerLines(second, 0, 2), { id, count: 2, total: 5, first: 4, last: 5 });
  t.deepEqual(await report(second, log, 6, 2), { id, count: 2, total: 7, first: 6, last: 7 });
  t.is(await stop(second), 0);
  t.notRegex(second.stderr(), /tally/, 'no warning');
});

test('a file rotated while the watch was stopped: its last lines count on under its tally, the new file at the path counts from zero', async (t) => {
  const { dir, log, state } = await watchedThreeThenStopped(t);
  appendFileSync(log, ledger(4));
  renameSync(log, `${log}.1`);
  writeFileSync(log, ledger(10) + ledger(11));
  const second = await startWatching(t, [log, '--state-dir', state], dir);
  // Both are reported under the name they were followed as; their line numbers tell them apart.
  const groups = () => unrecognised(second).map(ledgerOf).filter(Boolean);
  await waitFor(() => groups().reduce((k, g) => k + g.count, 0) >= 3, 'the rotated file\'s last line and the new file\'s two');
  const rotated = groups().filter((g) => g.first.line === 4);
  const fresh = groups().filter((g) => g.first.line <= 2);
  t.deepEqual(rotated.map((g) => [g.count, g.total]), [[1, 4]], 'the rotated file: 3 before the restart, 1 after');
  t.is(fresh.reduce((k, g) => k + g.count, 0), 2);
  t.is(fresh.at(-1).total, 2, 'the new file starts from zero');
  t.like(await report(second, log, 12, 1), { count: 1, total: 3, first: 3 });
  t.is(await stop(second), 0);
});

test('a damaged tally in the checkpoint: one warning, its totals start over, the watch keeps its place and goes on', async (t) => {
  const { dir, log, state } = await watchedThreeThenStopped(t);
  editCheckpoint(state, (cp) => {
    const saved = Buffer.from(cp.files[0].unrecognised!, 'base64');
    saved[saved.length - 20] ^= 0x10;
    cp.files[0].unrecognised = saved.toString('base64');
  });
  appendFileSync(log, ledger(4) + ledger(5));
  const second = await startWatching(t, [log, '--state-dir', state], dir);
  t.like(await ledgerLines(second, 0, 2), { count: 2, total: 2, first: 4 }, 'only the new lines: the old ones were not read again');
  const warnings = second.stderr().split('\n').filter((l) => /tally/.test(l));
  t.deepEqual(warnings, [`logmedic: ${log}: the checkpoint's Unrecognised tally cannot be restored (saved unrecognised tally is corrupt or cut short); its totals since the watch began start over`]);
  appendFileSync(log, oomLine(1));
  await waitFor(() => second.records().length === 1, 'a record after the warning');
  t.like(await report(second, log, 6, 1), { count: 1, total: 3, first: 7 });
  t.is(await stop(second), 0);
  t.is(typeof checkpoint(state).files[0].unrecognised, 'string', 'the fresh tally is saved in its place');
});

test('a checkpoint without tallies (an older watch\'s) or with one of the wrong type still loads', async (t) => {
  const { dir, log, state } = await watchedThreeThenStopped(t);
  editCheckpoint(state, (cp) => {
    delete cp.files[0].unrecognised;
  });
  appendFileSync(log, ledger(4));
  const second = await startWatching(t, [log, '--state-dir', state], dir);
  t.like(await ledgerLines(second, 0, 1), { count: 1, total: 1, first: 4 });
  t.is(await stop(second), 0);
  t.notRegex(second.stderr(), /tally|unreadable/);

  editCheckpoint(state, (cp) => {
    (cp.files[0] as unknown as Record<string, unknown>).unrecognised = 42;
  });
  appendFileSync(log, ledger(5));
  const third = await startWatching(t, [log, '--state-dir', state], dir);
  t.like(await ledgerLines(third, 0, 1), { count: 1, total: 1, first: 5 });
  t.regex(third.stderr(), /Unrecognised tally cannot be restored \(not a string\)/);
  t.is(await stop(third), 0);
});

test('a tally past what a checkpoint keeps is not saved: one note, the watch goes on', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, '');
  const analyzer = new LogAnalyzer({ catalog: watchCatalog });
  const events: UnrecognisedEvent[] = [];
  const { w, notes } = startWatcher(t, { paths: [log], stateDir: state, classify: (buf, meta) => analyzer.sliceOfBuffer(buf, meta), onUnrecognised: (e) => events.push(e) });
  await sleep(200);
  // 800 error lines of distinct random wording, about 3 KB each: over a MiB saved, however packed.
  let x = 0x2545f491;
  const word = () => {
    let s = '';
    for (let i = 0; i < 60; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += String.fromCharCode(97 + ((x >>> 0) % 26));
    }
    return s;
  };
  const lines = Array.from({ length: 800 }, () => `2025-05-17 10:05:00 ERROR api - ${Array.from({ length: 45 }, word).join(' ')}\n`);
  appendFileSync(log, lines.slice(0, 400).join(''));
  await waitFor(() => events.reduce((k, e) => k + e.lines, 0) >= 400, 'the first lines');
  appendFileSync(log, lines.slice(400).join(''));
  await waitFor(() => events.reduce((k, e) => k + e.lines, 0) >= 800, 'the rest');
  await w.stop();
  t.deepEqual(notes.filter((n) => /tally/.test(n)).map((n) => n.replace(/[\d.]+ MiB/, 'N MiB')), [`the Unrecognised tally of ${log} is N MiB, more than a checkpoint keeps (1 MiB); its totals will start over after a restart`]);
  const saved = checkpoint(state).files[0];
  t.is(saved.unrecognised, undefined);
  t.true(saved.offset > 1_000_000, 'the file\'s place is saved');
});

test('the binding: a restored tally goes on counting; damaged bytes are refused with E_CORRUPT', (t) => {
  const catalog = new native.CompiledCatalog([], [{ name: 'OutOfMemory', priority: 0 }]);
  const tally = new native.UnrecognisedTally();
  native.analyzeSliceSync(catalog, Buffer.from(ledger(1) + ledger(2) + ledger(3)), 0, tally);
  const saved = tally.save();
  t.is(tally.lines, 3);
  t.like(tally.take()?.templates[0], { total: 3 }, 'saving leaves the lines to report');
  const restored = native.UnrecognisedTally.restore(saved);
  t.is(restored.lines, 3);
  t.is(restored.take(), null, 'restored lines count as reported');
  native.analyzeSliceSync(catalog, Buffer.from(ledger(4) + ledger(5)), 3, restored);
  t.like(restored.take()?.templates[0], { total: 5, mined: { count: 2, first: { line: 4 } } });
  for (const bad of [saved.subarray(0, saved.length - 1), Buffer.from('not a tally at all'), Buffer.alloc(0)]) {
    t.throws(() => native.UnrecognisedTally.restore(bad), { code: 'E_CORRUPT' });
  }
  const flipped = Buffer.from(saved);
  flipped[10] ^= 4;
  t.throws(() => native.UnrecognisedTally.restore(flipped), { code: 'E_CORRUPT', message: 'saved unrecognised tally is corrupt or cut short' });
});
