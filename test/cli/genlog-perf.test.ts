// genlog and perf from the command line: sizes, seeds (same seed, same bytes), the ground
// truth beside the log, no half-written file, and the shape of perf's report.
import test from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAnswers, variants, type VariantResult } from '../../src/cli/perf-command.js';
import { defaultLogName } from '../../src/cli/genlog-command.js';
import { hasPython, ROOT, runCli, runPty } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-genlog-');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** About 1 MB of real syslog (loghub's Linux sample, repeated), cut at a line end. */
function realLog(path: string): number {
  let text = readFileSync(join(ROOT, 'test', 'fixtures', 'cli', 'linux-2k.log'), 'utf8');
  while (text.length < 1_000_000) text += text;
  text = text.slice(0, 1_000_000);
  text = text.slice(0, text.lastIndexOf('\n') + 1);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

test('perf on a given 1 MB log: four variants, MB/s against the 3 s target, one answer', async (t) => {
  const log = join(dir, 'real.log');
  const bytes = realLog(log);
  const r = await runCli(['perf', '--size', '1', '--file', log, '--threads', '2', '--json']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '', 'no progress or notes around --json');
  const out = JSON.parse(r.stdout);
  t.is(out.bytes, bytes);
  t.is(out.target.mbPerS, 333.33);
  t.deepEqual(out.variants.map((v: any) => [v.name, v.mmap, v.threads]), [
    ['mmap, 1 thread', true, 1],
    ['mmap, 2 threads', true, 2],
    ['read, 1 thread', false, 1],
    ['read, 2 threads', false, 2],
  ]);
  for (const v of out.variants) {
    t.true(v.seconds > 0 && v.mbPerS > 0);
    t.is(v.meetsTarget, v.mbPerS >= 333.33);
  }
  t.deepEqual(out.answer, { consistent: true, truth: 'unknown' });

  const text = await runCli(['perf', '--size', '1', '--file', log, '--threads', '2']);
  t.is(text.code, 0, text.stderr);
  t.regex(text.stdout, /^.*real\.log: 1\.0 MB, [\d,]+ lines, engine \w+\n/);
  t.regex(text.stdout, /\nvariant +time +MB\/s +vs target\n/);
  t.is(text.stdout.match(/^(mmap|read), [12] threads? +[\d.]+ s +[\d.]+ +[\d.]+x +(ok|below)$/gm)?.length, 4);
  t.regex(text.stdout, /target: a 1 GB log analyzed in 3 s = 333\.3 MB\/s/);
  t.regex(text.stderr, /perf: reusing .*real\.log/);
  t.false(/[\x1b\r]/.test(text.stdout + text.stderr), 'plain through pipes');
});

test('perf: variants for one core, answers compared across variants and with the truth', (t) => {
  t.deepEqual(variants(1).map((v) => v.name), ['mmap, 1 thread', 'read, 1 thread']);
  const base = { seconds: 1, mbPerS: 1, ratio: 1, meetsTarget: false };
  const r = (name: string, counts: Record<string, number>): VariantResult => ({ name, mmap: true, threads: 1, ...base, counts });
  t.deepEqual(checkAnswers([r('a', { OutOfMemory: 3, KeyError: 0 }), r('b', { OutOfMemory: 3 })], { OutOfMemory: 3, DNSError: 0 }), { consistent: true, truth: 'match' });
  const wrong = checkAnswers([r('a', { OutOfMemory: 3 })], { OutOfMemory: 4 });
  t.is(wrong.truth, 'mismatch');
  t.regex(wrong.detail!, /OutOfMemory 3 \(truth 4\)/);
  t.false(checkAnswers([r('a', { OutOfMemory: 3 }), r('b', { OutOfMemory: 2 })], null).consistent);
});

test('perf and genlog refuse bad input in one line, exit 2', async (t) => {
  const log = join(dir, 'small.log');
  writeFileSync(log, 'x\n');
  for (const [args, re] of [
    [['perf', '--size', '0'], /--size must be a positive number/],
    [['perf', '--size', '1', '--file', log], /small\.log: is 0\.0 MB, not 1 MB/],
    [['perf', '--size', '1', '--runs', '0'], /--runs must be an integer/],
    [['genlog', '--size', '-3'], /--size must be a positive number/],
    [['genlog', '--size', '1', '--error-rate', '2'], /--error-rate must be between 0 and 1/],
    [['genlog'], /Missing required argument: size/],
  ] as const) {
    const r = await runCli([...args], { cwd: dir });
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, re);
    t.is(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
  }
});

test('default log name', (t) => {
  t.is(defaultLogName(500), 'logmedic-500MB.log');
  t.is(defaultLogName(0.5), 'logmedic-0.5MB.log');
  t.is(defaultLogName(0.1 + 0.2), 'logmedic-0.3MB.log');
});

const generator = existsSync(join(ROOT, 'src', 'genlog.ts'));
const genTest = generator ? test : test.skip;
if (!generator) console.log('genlog-perf.test: src/genlog.ts is not in this build; the genlog tests are skipped');

genTest('genlog: the size asked for, ground truth beside it, same seed same bytes, another seed other bytes', async (t) => {
  const work = mkdtempSync(join(dir, 'seeds-'));
  const a = await runCli(['genlog', '--size', '2', '--seed', '7'], { cwd: work });
  t.is(a.code, 0, a.stderr);
  const file = join(work, 'logmedic-2MB.log');
  t.is(statSync(file).size, 2_000_000, 'exactly 2 MB');
  t.regex(a.stdout, /^wrote logmedic-2MB\.log: 2\.0 MB, [\d,]+ lines, [\d,]+ failure records of \d+ types \(seed 7\)/);
  const truth = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8'));
  t.truthy(truth);
  const first = sha(file);
  // Again with the same seed (genlog replaces its own file): the same bytes.
  const b = await runCli(['genlog', '--size', '2', '--seed', '7'], { cwd: work });
  t.is(b.code, 0, b.stderr);
  t.is(sha(file), first);
  const other = join(work, 'other.log');
  const c = await runCli(['genlog', '--size', '2', '--seed', '8', '-o', other], { cwd: work });
  t.is(c.code, 0, c.stderr);
  t.is(statSync(other).size, 2_000_000);
  t.not(sha(other), first);
  t.deepEqual(readdirSync(work).filter((n) => n.includes('partial')), [], 'no temporary file left');
  t.false(/[\x1b\r]/.test(a.stdout + a.stderr), 'no progress through a pipe');
});

genTest('genlog never replaces a file it did not write, unless --force', async (t) => {
  const work = mkdtempSync(join(dir, 'force-'));
  const mine = join(work, 'app.log');
  writeFileSync(mine, 'precious\n');
  const r = await runCli(['genlog', '--size', '1', '-o', mine], { cwd: work });
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: .*app\.log: exists and was not written by genlog \(use --force/);
  t.is(readFileSync(mine, 'utf8'), 'precious\n');
  const forced = await runCli(['genlog', '--size', '1', '-o', mine, '--force', '--json'], { cwd: work });
  t.is(forced.code, 0, forced.stderr);
  t.is(JSON.parse(forced.stdout).file, mine);
  t.is(statSync(mine).size, 1_000_000);
});

genTest('perf generates the log it needs, then checks every variant against its ground truth', async (t) => {
  const work = mkdtempSync(join(dir, 'perf-'));
  const r = await runCli(['perf', '--size', '2', '--json'], { cwd: work });
  t.true(r.code === 0 || r.code === 3, r.stderr);
  const out = JSON.parse(r.stdout);
  t.is(out.bytes, 2_000_000);
  t.true(existsSync(join(work, 'logmedic-2MB.log.truth.json')));
  t.true(out.answer.consistent);
});

(generator && hasPython ? test : test.skip)('under a terminal genlog draws progress on stderr; Ctrl-C in the shell stops it and leaves no file', async (t) => {
  const work = mkdtempSync(join(dir, 'pty-'));
  // Large enough to outlast the bar's start delay (no bar flashes for a job shorter than 300 ms).
  const bar = await runPty(['genlog', '--size', '400', '-o', join(work, 'bar.log')], [{ waitFor: 'wrote ' }], { cwd: work });
  t.is(bar.timeout, null, bar.transcript);
  t.is(bar.code, 0);
  t.regex(bar.transcript, /\rgenlog bar\.log \[[#-]+\] +\d+% [\d.]+ MB\/400\.0 MB/);
  rmSync(join(work, 'bar.log'));
  // A 2 GB job, interrupted at its first progress report: stopped, and nothing is left behind.
  const big = join(work, 'big.log');
  try {
    const r = await runPty(['-i'], [
      { waitFor: 'logmedic> ', send: `genlog 2000 -o ${big}\r` },
      { waitFor: '\\d+% ', send: '\x03' },
      { waitFor: 'logmedic: [^\\r\\n]*abort', timeoutS: 60 },
      { waitFor: 'logmedic> ', send: 'exit\r' },
    ], { cwd: work });
    t.is(r.timeout, null, r.transcript);
    t.is(r.code, 0);
    t.deepEqual(readdirSync(work).filter((n) => n.startsWith('big') || n.startsWith('.big')), []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
