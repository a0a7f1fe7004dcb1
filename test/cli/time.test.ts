// Time as an operator needs it: a year-less timestamp gets the year that puts it closest to,
// and not after, the file's modification time (monotone across a New Year); `--year`
// overrides; `--since`/`--until` leave out records outside the range. Real files, real mtimes,
// the real executable.
import test from 'ava';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTime } from '../../src/cli/time-options.js';
import { cleanEnv, runCli } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-time-');
// All times here are UTC, so that local and UTC clocks agree whatever the machine's zone.
const env = cleanEnv({ TZ: 'UTC' });

const OOM = (stamp: string, pid: number) => `${stamp} gpu01 kernel: Out of memory: Killed process ${pid} (python3) total-vm:31457280kB, anon-rss:24117248kB`;

/** A syslog across a New Year, last changed on 2027-01-05. */
const newYear = join(dir, 'new-year.log');
writeFileSync(newYear, [OOM('Dec 30 23:00:00', 1), OOM('Dec 31 23:59:59', 2), OOM('Jan  1 00:00:01', 3), OOM('Jan  3 08:00:00', 4)].join('\n') + '\n');
const modified = new Date(Date.UTC(2027, 0, 5, 12, 0, 0));
utimesSync(newYear, modified, modified);

interface Summary {
  type: string;
  count: number;
  first: { time?: string };
  last: { time?: string };
  timeline: { minute: string }[];
}

async function analyze(args: string[]): Promise<{ code: number | null; errors: Summary[]; stderr: string }> {
  const r = await runCli(['analyze', ...args, '--json'], { env });
  return { code: r.code, errors: r.stdout ? (JSON.parse(r.stdout).errors as Summary[]) : [], stderr: r.stderr };
}

test('a year-less syslog gets the years up to its modification time, in order across a New Year', async (t) => {
  const r = await analyze([newYear]);
  t.is(r.code, 1, r.stderr);
  const oom = r.errors.find((e) => e.type === 'OutOfMemory')!;
  t.is(oom.count, 4);
  t.is(oom.first.time, '2026-12-30T23:00:00');
  t.is(oom.last.time, '2027-01-03T08:00:00');
  t.is(oom.timeline[0].minute, '2026-12-30T23:00');
});

test('a date after the modification time goes back a year instead of into the future', async (t) => {
  const file = join(dir, 'december.log');
  writeFileSync(file, OOM('Dec 10 10:00:00', 7) + '\n');
  const changed = new Date(Date.UTC(2026, 11, 6, 3, 42));
  utimesSync(file, changed, changed);
  const r = await analyze([file]);
  t.is(r.errors[0].first.time, '2025-12-10T10:00:00');
});

test('--year sets the year of every year-less line', async (t) => {
  const r = await analyze([newYear, '--year', '2015']);
  const oom = r.errors.find((e) => e.type === 'OutOfMemory')!;
  t.is(oom.first.time, '2015-12-30T23:00:00', 'the first record, in file order');
  t.is(oom.last.time, '2015-01-03T08:00:00', 'one year for all, as asked, even across a New Year');
});

test('--since/--until: records outside the range are not counted', async (t) => {
  const r = await analyze([newYear, '--since', '2026-12-31 12:00', '--until', '2027-01-02']);
  const oom = r.errors.find((e) => e.type === 'OutOfMemory')!;
  t.is(oom.count, 2);
  t.is(oom.first.time, '2026-12-31T23:59:59');
  t.is(oom.last.time, '2027-01-01T00:00:01');
  const none = await analyze([newYear, '--since', '2027-01-04']);
  t.is(none.code, 0, 'nothing in range: no failure found');
  t.deepEqual(none.errors, []);
});

test('--since with a zone compares with the instant', async (t) => {
  const file = join(dir, 'zoned.log');
  writeFileSync(file, ['2026-05-17T09:00:00Z ERROR worker: CUDA error: out of memory', '2026-05-17T11:00:00Z ERROR worker: CUDA error: out of memory'].join('\n') + '\n');
  const r = await analyze([file, '--since', '2026-05-17T12:00:00+02:00']);
  t.is(r.errors.reduce((n, e) => n + e.count, 0), 1, JSON.stringify(r.errors));
  t.is(r.errors[0].first.time, '2026-05-17T11:00:00Z');
});

test('recover --since plans only from the records in range', async (t) => {
  const r = await runCli(['recover', newYear, '--since', '2027-01-02', '--dry-run', '--json'], { env, cwd: dir });
  t.true(r.code === 0 || r.code === 2, r.stderr);
  const plan = JSON.parse(r.stdout);
  const records = [...(plan.steps ?? []), ...(plan.manual ?? [])].map((s: { records?: number; count?: number }) => s.records ?? s.count);
  t.true(records.length > 0, r.stdout);
  t.true(records.every((n: number) => n === 1), `only the record of Jan 3 counts: ${r.stdout}`);
});

for (const [args, message] of [
  [['--since', 'last tuesday-ish'], /--since: cannot read "last tuesday-ish" as a time/],
  [['--until', '2026-02-31'], /--until: cannot read "2026-02-31"/],
  [['--since', '2027-01-02', '--until', '2027-01-01'], /--since .* is after --until/],
  [['--year', '20.5'], /--year must be a whole number/],
] as const) {
  test(`bad time option ${args.join(' ')}: one line, exit 2`, async (t) => {
    const r = await runCli(['analyze', newYear, ...args], { env });
    t.is(r.code, 2);
    t.is(r.stdout, '');
    t.regex(r.stderr, message);
    t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
}

test('parseTime reads the forms journalctl takes', (t) => {
  const now = new Date(2026, 11, 6, 3, 42, 10); // local time
  const local = (...a: [number, number, number, number?, number?, number?]) => new Date(a[0], a[1], a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0).getTime();
  t.is(parseTime('2026-12-01', now)?.getTime(), local(2026, 11, 1));
  t.is(parseTime('2026-12-01 10:00', now)?.getTime(), local(2026, 11, 1, 10));
  t.is(parseTime('2026-12-01T10:00:05', now)?.getTime(), local(2026, 11, 1, 10, 0, 5));
  t.is(parseTime('2026-12-01T10:00:00Z', now)?.getTime(), Date.UTC(2026, 11, 1, 10));
  t.is(parseTime('2026-12-01 10:00:00+02:00', now)?.getTime(), Date.UTC(2026, 11, 1, 8));
  t.is(parseTime('10:30', now)?.getTime(), local(2026, 11, 6, 10, 30));
  t.is(parseTime('today', now)?.getTime(), local(2026, 11, 6));
  t.is(parseTime('yesterday', now)?.getTime(), local(2026, 11, 5));
  t.is(parseTime('tomorrow', now)?.getTime(), local(2026, 11, 7));
  t.is(parseTime('now', now)?.getTime(), now.getTime());
  t.is(parseTime('-2h', now)?.getTime(), now.getTime() - 2 * 3_600_000);
  t.is(parseTime('+30min', now)?.getTime(), now.getTime() + 30 * 60_000);
  t.is(parseTime('1d ago', now)?.getTime(), now.getTime() - 86_400_000);
  for (const bad of ['2h', 'soon', '2026-13-01', '2026-02-30', '25:00', '-2parsecs', '+2h ago', '']) t.is(parseTime(bad, now), undefined, bad);
});

test('a genlog log: its modification time is its last line, so no span runs backwards and every year is its own', async (t) => {
  const log = join(dir, 'gen.log');
  const g = await runCli(['genlog', '--size', '1', '--output', log, '--force'], { env });
  t.is(g.code, 0, g.stderr);
  const r = await analyze([log]);
  t.true(r.errors.length > 5, r.stderr);
  const ms = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
  let spans = 0;
  for (const e of r.errors) {
    if (e.first.time !== undefined && e.last.time !== undefined && e.count > 1) {
      spans++;
      t.true(ms(e.first.time) <= ms(e.last.time), `${e.type}: ${e.first.time} → ${e.last.time}`);
    }
    for (const m of e.timeline) t.true(m.minute.startsWith('2025-05-'), `${e.type}: ${m.minute}`);
  }
  t.true(spans > 5);
});
