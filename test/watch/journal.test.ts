// `watch --journal`: the real journalctl follows a journal file that systemd-journal-remote
// writes and appends to during the test; the journal cursor in the checkpoint makes a restart
// (after SIGTERM or kill -9) go on exactly after the last entry reported.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { followArgs } from '../../src/journal/follow.js';
import { env, ROOT, runCli, startCli, type WatchChild } from './_child.js';
import { assertExactlyOnce, idOf, tempDir, waitFor } from './_helpers.js';

const REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));
const hasJournalctl = spawnSync('journalctl', ['--version'], { stdio: 'ignore' }).status === 0;
const real = REMOTE && hasJournalctl ? test.serial : test.skip;

let seq = 0;
/** Append entries (journal export format) to `file`, written by systemd itself. */
function append(file: string, entries: { unit: string; message: string; priority?: number }[]): void {
  const base = Date.now() * 1000;
  const text = entries
    .map((e) => {
      seq++;
      return [
        `__REALTIME_TIMESTAMP=${base + seq}`, `__MONOTONIC_TIMESTAMP=${1_000_000 + seq}`, '_BOOT_ID=0123456789abcdef0123456789abcdef',
        `PRIORITY=${e.priority ?? 3}`, '_PID=4242', `SYSLOG_IDENTIFIER=${e.unit.replace(/\.service$/, '')}`, `_SYSTEMD_UNIT=${e.unit}`,
        '_HOSTNAME=gpu01', '_TRANSPORT=stdout', `MESSAGE=${e.message}`, '', '',
      ].join('\n');
    })
    .join('');
  const input = join(tempDir('logmedic-journal-export-'), 'export.bin');
  writeFileSync(input, text);
  const made = spawnSync(REMOTE!, ['-o', file, input], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`systemd-journal-remote failed: ${made.stderr}`);
}

const oom = (i: number) => ({ unit: 'visionai.service', message: `torch.cuda.OutOfMemoryError: CUDA out of memory (job=${i})` });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

async function watchJournal(t: import('ava').ExecutionContext, args: string[], cwd: string): Promise<WatchChild> {
  const c = startCli(t, ['watch', '--json', '--poll-ms', '50', '--idle-ms', '100', '--journal', ...args], cwd);
  let done = false;
  void c.exited.then(() => (done = true));
  await waitFor(() => /watching the journal/.test(c.stderr()) || done, 'the watch to start', 60_000);
  if (done) throw new Error(`watch exited early: ${c.stderr()}`);
  return c;
}

const ids = (c: WatchChild) => c.records().map((r) => idOf(r.message));

test('the follow starts after the cursor, at the end, or at the start, with an absolute --file', (t) => {
  const q = { units: ['a.service'], file: 'rel/x.journal' };
  const file = join(process.cwd(), 'rel/x.journal');
  t.deepEqual(followArgs(q, { cursor: 's=1;i=2' }), ['-f', '-o', 'json', '--no-pager', '--quiet', '-u', 'a.service', '--file', file, '--no-tail', '--after-cursor', 's=1;i=2']);
  t.deepEqual(followArgs(q, {}).slice(-2), ['--lines', '0']);
  t.deepEqual(followArgs(q, { fromStart: true }).slice(-1), ['--no-tail']);
});

real('a journal file appended to: records as they are written; restarts after SIGTERM and kill -9 go on after the cursor', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'app.journal');
  append(file, [oom(0), { unit: 'visionai.service', message: 'worker started', priority: 6 }]);
  const args = ['--journal-file', file, '-u', 'visionai.service', '--state-dir', join(dir, 'state'), '--from-start'];
  const a = await watchJournal(t, args, dir);
  await waitFor(() => a.records().length === 1, 'the entry written before the watch');
  append(file, [oom(1), { unit: 'redis-server.service', message: 'OSError: [Errno 28] No space left on device (job=99)' }, oom(2)]);
  await waitFor(() => a.records().length === 3, 'entries appended while watching');
  t.like(a.records()[0], { type: 'OutOfMemory', file: `journal ${file} (visionai.service)`, level: 'ERROR' });
  a.proc.kill('SIGTERM');
  t.is((await a.exited).code, 0);
  const cp = JSON.parse(readFileSync(join(dir, 'state', 'watch-checkpoint.json'), 'utf8'));
  t.regex(cp.journal.cursor, /^s=[0-9a-f]+;i=/);

  append(file, [oom(3), oom(4)]); // written while stopped
  const b = await watchJournal(t, args, dir);
  await waitFor(() => b.records().length === 2, 'the entries written while stopped');
  append(file, range(5, 9).map(oom));
  await waitFor(() => b.records().length === 6, 'entries appended after the restart');
  b.proc.kill('SIGKILL');
  await b.exited;

  append(file, [oom(9)]);
  const c = await watchJournal(t, args, dir);
  await waitFor(() => c.records().length >= 1, 'the entry written after the kill');
  await new Promise((r) => setTimeout(r, 300));
  c.proc.kill('SIGTERM');
  t.is((await c.exited).code, 0);
  t.deepEqual(ids(a), [0, 1, 2]);
  assertExactlyOnce(t, [...a.records(), ...b.records(), ...c.records()], 10); // job=99 is another unit's
});

real('the journal\'s Unrecognised totals go on across a restart, like a file\'s', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'app.journal');
  const ledger = (i: number) => ({ unit: 'visionai.service', message: `ledger shard-${i} drifted by ${i * 7} units` });
  append(file, [ledger(1), ledger(2), ledger(3)]);
  const args = ['--journal-file', file, '-u', 'visionai.service', '--state-dir', join(dir, 'state'), '--from-start'];
  const ledgerGroups = (c: WatchChild) => c.events.filter((e) => e.event === 'unrecognised').flatMap((e) => e.templates).filter((g) => g.template === 'ledger <*> drifted by <*> units');
  const counted = (c: WatchChild) => ledgerGroups(c).reduce((n, g) => n + g.count, 0);
  const a = await watchJournal(t, args, dir);
  await waitFor(() => counted(a) === 3, 'the three entries');
  t.is(ledgerGroups(a).at(-1).total, 3);
  a.proc.kill('SIGTERM');
  t.is((await a.exited).code, 0);
  append(file, [ledger(4), ledger(5)]);
  const b = await watchJournal(t, args, dir);
  await waitFor(() => counted(b) === 2, 'the entries written while stopped');
  t.is(ledgerGroups(b).at(-1).total, 5);
  t.is(ledgerGroups(b)[0].id, ledgerGroups(a)[0].id);
  b.proc.kill('SIGTERM');
  t.is((await b.exited).code, 0);
});

real('a first run starts at the journal\'s end, and a restart before any new entry still misses nothing', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'app.journal');
  append(file, [oom(100)]);
  const args = ['--journal-file', file, '--state-dir', join(dir, 'state')];
  const a = await watchJournal(t, args, dir);
  a.proc.kill('SIGTERM');
  t.is((await a.exited).code, 0);
  append(file, [oom(0)]); // after the first run's end position
  const b = await watchJournal(t, args, dir);
  await waitFor(() => b.records().length === 1, 'the entry written while stopped');
  append(file, [oom(1)]);
  await waitFor(() => b.records().length === 2, 'a new entry');
  b.proc.kill('SIGTERM');
  t.is((await b.exited).code, 0);
  t.deepEqual(a.records(), [], 'the entry from before the first run is old news');
  t.deepEqual(ids(b), [0, 1]);
});

real('journalctl failing (a journal file that is not there): one line, exit 2', async (t) => {
  const dir = tempDir();
  const r = await runCli(t, ['watch', '--journal', '--journal-file', join(dir, 'missing.journal'), '--state-dir', join(dir, 'state')], dir);
  t.is(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => !/^logmedic: (watching|stopping)/.test(l));
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0], /^logmedic: journalctl: /);
});

test('--journal without journalctl on PATH: one clear line, exit 2', async (t) => {
  const dir = tempDir();
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, join(ROOT, 'src', 'cli', 'main.ts'), 'watch', '--journal', '--state-dir', join(dir, 'state')], {
    cwd: dir,
    env: { ...env(), PATH: tempDir('logmedic-nopath-') },
    encoding: 'utf8',
  });
  t.is(r.status, 2);
  t.is(r.stderr, 'logmedic: --journal needs journalctl (systemd) on PATH; it was not found\n');
  t.is(r.stdout, '');
});
