// journald: `journalctl -o json` output is read by the core's JSON header reader (time from
// __REALTIME_TIMESTAMP, logger from SYSLOG_IDENTIFIER/_SYSTEMD_UNIT, priority → level,
// MESSAGE also as an array of bytes), piped in or read with `analyze --journal`, which runs
// the real journalctl. The fixture is real journalctl (systemd 252) output; where
// systemd-journal-remote is installed, a journal file is made in the test and read through
// `journalctl --file`.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalctlArgs } from '../src/journal/journalctl.js';
import { ROOT, cleanEnv, runCli } from './cli/_run.js';
import { tempDir } from './_tmp.js';

const FIXTURE = join(ROOT, 'test/fixtures/journald/journalctl-o-json.jsonl');
const env = cleanEnv({ TZ: 'UTC' });

interface Sample {
  type: string;
  time?: string;
  level?: string;
  logger?: string;
  message: string;
  objects: { pids: number[]; services: string[] };
}

function samplesOf(stdout: string): Sample[] {
  const d = JSON.parse(stdout);
  return d.errors.flatMap((e: { samples: Sample[] }) => e.samples).sort((a: Sample, b: Sample) => (a.time! < b.time! ? -1 : 1));
}

function assertJournalRecords(t: import('ava').ExecutionContext, samples: Sample[]) {
  t.deepEqual(
    samples.map((s) => [s.type, s.time, s.level, s.logger]),
    [
      ['OutOfMemory', '2026-12-02T03:00:02.000Z', 'ERROR', 'python3'],
      ['GPUError', '2026-12-02T03:00:03.000Z', 'ERROR', 'python3'],
      ['DiskSpace', '2026-12-02T03:00:05.000Z', 'CRITICAL', 'python3'],
    ],
  );
  t.true(samples[0].message.startsWith('torch.cuda.OutOfMemoryError: CUDA out of memory.'), samples[0].message);
  t.true(samples[1].message.startsWith('RuntimeError: CUDA error: an illegal memory access'), 'a MESSAGE given as bytes reads as text');
  t.is(samples[2].message, 'OSError: [Errno 28] No space left on device');
  t.true(samples[0].objects.pids.includes(4242));
}

test('journalctl -o json piped in: time, level, logger, PID and message from the journal fields', async (t) => {
  const r = await runCli(['analyze', '-', '--json'], { input: readFileSync(FIXTURE, 'utf8'), env });
  t.is(r.code, 1, r.stderr);
  assertJournalRecords(t, samplesOf(r.stdout));
});

test('journalctl arguments: units, times and a file, as argv', (t) => {
  const since = new Date(2026, 11, 1, 10, 0, 0);
  t.deepEqual(journalctlArgs({ units: ['a.service', 'b'], since, file: '/x/y.journal' }), [
    '-o', 'json', '--no-pager', '--quiet', '-u', 'a.service', '-u', 'b', '--since', '2026-12-01 10:00:00', '--file', '/x/y.journal',
  ]);
});

test('--journal without journalctl on PATH: one clear line, exit 2', async (t) => {
  const r = await runCli(['analyze', '--journal'], { env: cleanEnv({ PATH: tempDir('logmedic-nopath-', t) }) });
  t.is(r.code, 2);
  t.is(r.stderr, 'logmedic: --journal needs journalctl (systemd) on PATH; it was not found\n');
  t.is(r.stdout, '');
});

test('--journal with files too is refused', async (t) => {
  const r = await runCli(['analyze', FIXTURE, '--journal'], { env });
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: give log files or --journal, not both\n$/);
});

const REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));
const hasJournalctl = spawnSync('journalctl', ['--version'], { stdio: 'ignore' }).status === 0;

/** A journal file written by systemd itself from entries in journal export format. */
function makeJournal(dir: string): string {
  const base = 1796180400000000;
  const entry = (i: number, unit: string, ident: string, pid: number, prio: number, message: Buffer) => {
    const fields = [
      `__REALTIME_TIMESTAMP=${base + i * 1_000_000}`, `__MONOTONIC_TIMESTAMP=${1_000_000 + i}`, '_BOOT_ID=0123456789abcdef0123456789abcdef',
      `PRIORITY=${prio}`, `_PID=${pid}`, `SYSLOG_IDENTIFIER=${ident}`, `_SYSTEMD_UNIT=${unit}`, '_HOSTNAME=gpu01', '_TRANSPORT=stdout',
    ].join('\n');
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(message.length));
    // MESSAGE in the binary-safe form, so bytes that are not UTF-8 stay as they are.
    return Buffer.concat([Buffer.from(`${fields}\nMESSAGE\n`), size, message, Buffer.from('\n\n')]);
  };
  const exported = Buffer.concat([
    entry(1, 'visionai.service', 'python3', 4242, 6, Buffer.from('worker started')),
    entry(2, 'visionai.service', 'python3', 4242, 3, Buffer.from('torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB')),
    entry(3, 'visionai.service', 'python3', 4242, 3, Buffer.concat([Buffer.from('RuntimeError: CUDA error: an illegal memory access was encountered '), Buffer.from([0xff, 0xfe])])),
    entry(4, 'redis-server.service', 'redis-server', 77, 3, Buffer.from('OSError: [Errno 28] No space left on device, in another unit')),
    entry(5, 'visionai.service', 'python3', 4242, 2, Buffer.from('OSError: [Errno 28] No space left on device')),
  ]);
  const input = join(dir, 'export.bin');
  writeFileSync(input, exported);
  const file = join(dir, 'test.journal');
  const made = spawnSync(REMOTE!, ['-o', file, input], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`systemd-journal-remote failed: ${made.stderr}`);
  return file;
}

(REMOTE && hasJournalctl ? test : test.skip)('--journal --journal-file -u: the real journalctl reads a journal made by systemd', async (t) => {
  const dir = tempDir('logmedic-journal-test-');
  const file = makeJournal(dir);
  const r = await runCli(['analyze', '--journal', '--journal-file', file, '-u', 'visionai.service', '--json', '-v'], { env });
  t.is(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  t.deepEqual(d.files, [`journal ${file} (visionai.service)`], 'named for the journal, not a temporary FIFO');
  assertJournalRecords(t, samplesOf(r.stdout));
  const since = await runCli(['analyze', '--journal', '--journal-file', file, '--since', '2026-12-02 03:00:04', '--json'], { env });
  t.deepEqual(samplesOf(since.stdout).map((s) => [s.logger, s.time]), [['redis-server', '2026-12-02T03:00:04.000Z'], ['python3', '2026-12-02T03:00:05.000Z']], 'only entries from 03:00:04 on');
  const bad = await runCli(['analyze', '--journal', '--journal-file', join(dir, 'missing.journal')], { env });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: journalctl: /);
  t.is(bad.stderr.trim().split('\n').length, 1);
});
