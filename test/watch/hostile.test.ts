// The watch under hostile input and state: a piece the core fails on, a checkpoint with a
// field of the wrong type, a state dir that cannot be made, a symlink planted in a watched
// directory, a line longer than the read pieces. Real child processes where it matters.
import test from 'ava';
import { appendFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE } from '../../src/watch/checkpoint.js';
import { Follower, identityKey } from '../../src/watch/follower.js';
import { RecordAssembler, type RecordMeta } from '../../src/watch/records.js';
import type { SkippedEvent } from '../../src/watch/watcher.js';
import { ROOT, runCli, startWatching, type WatchChild } from './_child.js';
import { classify, idOf, oomLine, startWatcher, tempDir, waitFor } from './_helpers.js';

const FAILING_CORE = ['--import', join(ROOT, 'test', '_failing-core.mjs')];

async function stop(c: WatchChild): Promise<number | null> {
  c.proc.kill('SIGTERM');
  return (await c.exited).code;
}

test('a piece the core fails on is reported and passed over; a restart does not hit it again', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const args = [log, '--state-dir', join(dir, 'state')];
  const a = await startWatching(t, args, dir, FAILING_CORE);
  appendFileSync(log, oomLine(0));
  await waitFor(() => a.records().length === 1, 'the record before the bad piece');
  appendFileSync(log, `${new Date().toISOString()} ERROR worker: out of memory POISON-SLICE\n`);
  await waitFor(() => a.events.some((e) => e.event === 'skipped'), 'the skipped event');
  appendFileSync(log, oomLine(1));
  await waitFor(() => a.records().length === 2, 'the record after the bad piece');
  t.is(await stop(a), 0);

  const skipped = a.events.filter((e) => e.event === 'skipped');
  t.is(skipped.length, 1);
  t.like(skipped[0], { file: log, line: 2, code: 'E_INTERNAL' });
  const said = a.stderr().split('\n').filter((l) => l.includes('passed over'));
  t.is(said.length, 1, a.stderr());
  t.regex(said[0], /^logmedic: .*app\.log:2: \d+ bytes passed over, they could not be classified \(E_INTERNAL: /);
  t.deepEqual(a.records().map((r) => [idOf(r.message), r.line]), [[0, 1], [1, 3]]);

  const b = await startWatching(t, args, dir, FAILING_CORE);
  appendFileSync(log, oomLine(2));
  await waitFor(() => b.records().length === 1, 'the new record after the restart');
  t.is(await stop(b), 0);
  t.deepEqual(b.events.filter((e) => e.event === 'skipped'), [], 'the bad piece is behind the checkpoint');
  t.deepEqual(b.records().map((r) => [idOf(r.message), r.line]), [[2, 4]]);
});

test('a checkpoint with a field of the wrong type is set aside; the watch starts as on a first run', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, oomLine(900));
  mkdirSync(state);
  const checkpoint = join(state, 'watch-checkpoint.json');
  const entry = { path: log, dev: '1', ino: '2', size: 10, offset: 'abc', line: 1, headLen: 0, headHash: '' };
  writeFileSync(checkpoint, JSON.stringify({ version: 1, savedAt: new Date().toISOString(), files: [entry], retired: [] }));
  const a = await startWatching(t, [log, '--state-dir', state], dir);
  appendFileSync(log, oomLine(0));
  await waitFor(() => a.records().length === 1, 'a record: the watch is not blind');
  t.is(await stop(a), 0);
  t.is(idOf(a.records()[0].message), 0);
  t.regex(a.stderr(), /checkpoint .* is unreadable \(a file entry's "offset" is not a count\); kept as .*\.corrupt-\d+, starting fresh/);
  const kept = readdirSync(state).filter((n) => n.startsWith('watch-checkpoint.json.corrupt-'));
  t.is(kept.length, 1);
  t.true(readFileSync(join(state, kept[0]), 'utf8').includes('"abc"'), 'the bad checkpoint is kept, not deleted');
});

test('a state dir that cannot be created: one line and exit 2, no spin', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'a-file'), '');
  for (const stateDir of ['/proc/logmedic-test/state', join(dir, 'a-file', 'state')]) {
    const r = await runCli(t, ['watch', log, '--state-dir', stateDir], dir);
    t.is(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0], /^logmedic: .*cannot (use as|create the) state dir/);
  }
});

test('a symlink that a glob reaches is not followed out of the directory; a named one is', async (t) => {
  const dir = tempDir();
  const logs = join(dir, 'logs');
  const outside = join(dir, 'outside');
  mkdirSync(logs);
  mkdirSync(outside);
  writeFileSync(join(logs, 'app.log'), '');
  writeFileSync(join(outside, 'secret.log'), oomLine(666));
  symlinkSync(join(outside, 'secret.log'), join(logs, 'link.log'));
  mkdirSync(join(outside, 'sub'));
  writeFileSync(join(outside, 'sub', 'deep.log'), oomLine(667));
  symlinkSync(join(outside, 'sub'), join(logs, 'sub'));

  const globbed = startWatcher(t, { paths: [join(logs, '*.log'), join(logs, '*', '*.log'), join(logs, '**', '*.log')], stateDir: join(dir, 's1'), fromStart: true });
  appendFileSync(join(logs, 'app.log'), oomLine(1));
  await waitFor(() => globbed.records.length >= 1, 'the record of the real file');
  appendFileSync(join(outside, 'secret.log'), oomLine(668));
  appendFileSync(join(logs, 'app.log'), oomLine(2));
  await waitFor(() => globbed.records.length >= 2, 'the second record');
  await globbed.w.stop();
  t.deepEqual(globbed.records.map((r) => idOf(r.message)), [1, 2]);
  t.deepEqual(globbed.w.files.map((f) => f.path), [join(logs, 'app.log')], 'only the real file is followed');

  const named = startWatcher(t, { paths: [join(logs, 'link.log')], stateDir: join(dir, 's2'), fromStart: true });
  await waitFor(() => named.records.length >= 2, 'the named link is followed');
  t.deepEqual(named.records.map((r) => idOf(r.message)), [666, 668]);
});

test('a line longer than a read piece keeps the line numbers after it', (t) => {
  const firstLines: number[] = [];
  const classify = (buf: Buffer, meta: RecordMeta) => {
    firstLines.push(meta.firstLine);
    return [];
  };
  const a = new RecordAssembler(() => 'f', classify, { offset: 0, line: 1 }, { maxLineBytes: 1000 });
  a.push(Buffer.from('first\n'));
  a.flushComplete();
  // One line of 3,500 bytes in pieces of 700: handed on at each 1,000 held, all as line 2.
  const giant = Buffer.alloc(3500, 'x');
  for (let i = 0; i < giant.length; i += 700) a.push(giant.subarray(i, i + 700));
  a.push(Buffer.from('\nthird\n'));
  a.flushComplete();
  t.is(a.committedLine, 4);
  t.is(firstLines[0], 1);
  t.true(firstLines.slice(1, -1).every((l) => l === 2), `${firstLines}`);
  t.is(firstLines.at(-1), 3, 'the line after the giant one is line 3 (held as the last record until the flush)');
});

test('a symlink swapped in for a file a glob found is refused at open', (t) => {
  const dir = tempDir();
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const secret = join(dir, 'secret.log');
  writeFileSync(secret, oomLine(666));
  const path = join(logs, 'app.log');
  writeFileSync(path, oomLine(1));
  const found = identityKey(lstatSync(path, { bigint: true })); // what discovery saw
  const first = Follower.open(path, found);
  t.truthy(first, 'the file discovery saw opens');
  first?.close();
  // Swapped between discovery and open: the name now leads out of the directory.
  renameSync(path, join(logs, 'app.log.1'));
  symlinkSync(secret, path);
  const err = t.throws(() => Follower.open(path, found));
  t.is((err as NodeJS.ErrnoException).code, 'ECHANGED');
});

test('a skipped piece is reported before the checkpoint that passes it is saved', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const stateDir = join(dir, 'state');
  writeFileSync(log, '');
  const savedOffsetAtReport: number[] = [];
  const skipped: SkippedEvent[] = [];
  const { records } = startWatcher(t, {
    paths: [log],
    stateDir,
    classify: (buf, meta) => {
      if (buf.includes('POISON-SLICE')) throw Object.assign(new Error('injected by the test'), { code: 'E_INTERNAL' });
      return classify(buf, meta);
    },
    onSkipped: (e) => {
      const cp = JSON.parse(readFileSync(join(stateDir, CHECKPOINT_FILE), 'utf8')) as { files: { path: string; offset: number }[] };
      savedOffsetAtReport.push(cp.files.find((f) => f.path === log)?.offset ?? -1);
      skipped.push(e);
    },
  });
  appendFileSync(log, oomLine(0));
  await waitFor(() => records.length === 1, 'the record before the bad piece');
  appendFileSync(log, `${new Date().toISOString()} ERROR worker: out of memory POISON-SLICE\n`);
  appendFileSync(log, oomLine(1));
  await waitFor(() => records.length === 2, 'the record after the bad piece');
  t.is(skipped.length, 1);
  // When it was reported, the checkpoint on disk still stood at (or before) the bad piece:
  // a kill at that moment repeats the report, never loses it.
  t.true(savedOffsetAtReport[0] <= skipped[0].offset, `checkpoint at ${savedOffsetAtReport[0]}, piece at ${skipped[0].offset}`);
});

test('killed right after a skipped event, a restart neither loses it nor stops at it', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const args = [log, '--state-dir', join(dir, 'state')];
  const a = await startWatching(t, args, dir, FAILING_CORE);
  appendFileSync(log, `${new Date().toISOString()} ERROR worker: out of memory POISON-SLICE\n`);
  await waitFor(() => a.events.some((e) => e.event === 'skipped'), 'the skipped event');
  a.proc.kill('SIGKILL');
  await a.exited;
  const b = await startWatching(t, args, dir, FAILING_CORE);
  appendFileSync(log, oomLine(1));
  await waitFor(() => b.records().length === 1, 'the record after the restart');
  t.is(await stop(b), 0);
  const seen = [...a.events, ...b.events].filter((e) => e.event === 'skipped');
  t.true(seen.length >= 1 && seen.length <= 2, `${seen.length} skipped events`);
  for (const e of seen) t.like(e, { file: log, line: 1, code: 'E_INTERNAL' });
  t.deepEqual(b.records().map((r) => [idOf(r.message), r.line]), [[1, 2]]);
});

test('a backlog of 300,000 one-word failures is reported whole and in order', async (t) => {
  // Ten bytes a record: one 4 MiB read of it is 400,000 records, more than one call's
  // arguments may spread; the watch reads a backlog a few thousand records at a time.
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const n = 300_000;
  writeFileSync(log, 'OOMKilled\n'.repeat(n));
  const a = await startWatching(t, [log, '--from-start', '--state-dir', join(dir, 'state')], dir);
  await waitFor(() => a.records().length >= n || /watch error/.test(a.stderr()), 'every record of the backlog', 120_000);
  t.is(await stop(a), 0);
  t.notRegex(a.stderr(), /watch error|Maximum call stack/);
  const records = a.records();
  t.is(records.length, n);
  t.true(records.every((r, i) => r.line === i + 1 && r.type === 'OutOfMemory'), 'one OutOfMemory record per line, in order');
});
