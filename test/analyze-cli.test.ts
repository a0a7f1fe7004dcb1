// `logmedic analyze` and `logmedic test` as a user runs them: real child processes, real
// files. Exit codes, --json, zh output, globs, stdin, --fail-on, colour only on request.
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cleanEnv, ROOT, runCli } from './cli/_run.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-analyze-cli-');
const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
const healthy = join(dir, 'healthy.log');
writeFileSync(healthy, '2025-05-17 10:00:00 - app - INFO - started\n2025-05-17 10:00:01 - cache - INFO - errors=0 evictions=3\n');
const seed1 = join(dir, 'scenario1.log');
writeFileSync(
  seed1,
  `2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory error occurred during processing
Traceback (most recent call last):
  File "src/core/processor.py", line 120, in process_batch
    result = model.forward(batch)
MemoryError: CUDA out of memory
`,
);

test('the seed scenario prints the seed report and exits 1', async (t) => {
  const r = await runCli(['analyze', seed1], { env: cleanEnv({ LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }) });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /^Found error: OutOfMemory {2}\(1 record\)$/m);
  t.true(r.stdout.includes('Recommended recovery actions:\n- reduce_quant\n- clean_cache\n- free_gpu_memory\n'), r.stdout);
  t.regex(r.stdout, /Innermost frame: src\/core\/processor\.py:120 in process_batch/);
  t.false(r.stdout.includes('\x1b['), 'no colour through a pipe');
  t.is(r.stderr, '');
});

test('Chinese with --lang zh or a zh_* locale', async (t) => {
  for (const [args, env] of [
    [['--lang', 'zh'], { LANG: 'C' }],
    [[], { LANG: 'zh_CN.UTF-8', LC_ALL: '' }],
    [[], { LANG: 'C', LC_ALL: 'zh_TW.UTF-8' }],
  ] as const) {
    const r = await runCli(['analyze', seed1, ...args], { env: cleanEnv(env) });
    t.is(r.code, 1);
    t.regex(r.stdout, /^发现错误: OutOfMemory/m);
    t.true(r.stdout.includes('推荐的恢复操作:\n- reduce_quant\n- clean_cache\n- free_gpu_memory\n'));
  }
  const en = await runCli(['analyze', seed1, '--lang', 'en'], { env: cleanEnv({ LANG: 'zh_CN.UTF-8' }) });
  t.regex(en.stdout, /^Found error: OutOfMemory/m);
});

test('--json prints the Diagnosis and nothing else', async (t) => {
  const r = await runCli(['analyze', SAMPLE, '--json']);
  t.is(r.code, 1);
  const d = JSON.parse(r.stdout);
  t.is(d.schema, 1);
  t.deepEqual(d.files, [SAMPLE]);
  const types = d.errors.map((e: { type: string }) => e.type).sort();
  t.deepEqual(types, ['ConnectionError', 'Deadlock', 'DiskSpace', 'GPUError', 'ModelCorruption', 'OutOfMemory', 'PermissionDenied']);
  const oom = d.errors.find((e: { type: string }) => e.type === 'OutOfMemory');
  t.is(oom.count, 2);
  t.deepEqual(oom.actions.map((a: { action: string }) => a.action), ['reduce_quant', 'clean_cache', 'free_gpu_memory']);
  for (const k of ['type', 'count', 'first', 'last', 'samples', 'actions', 'messages', 'timeline']) t.true(k in oom, k);
});

test('exit codes: 0 nothing found, 1 found, 2 missing file / directory / usage, one line on stderr', async (t) => {
  const ok = await runCli(['analyze', healthy]);
  t.is(ok.code, 0);
  t.regex(ok.stdout, /No failure found\./);
  for (const args of [['analyze', join(dir, 'missing.log')], ['analyze', dir], ['analyze', healthy, '--threads', '0'], ['analyze', join(dir, 'nomatch-*.log')], ['analyze']]) {
    const r = await runCli(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /^logmedic: [^\n]+\n$/, args.join(' '));
    t.is(r.stdout, '');
  }
});

test('--fail-on: exit 1 only for the named types; an unknown type is a usage error', async (t) => {
  t.is((await runCli(['analyze', SAMPLE, '--fail-on', 'DiskSpace,KeyError'])).code, 1);
  const quiet = await runCli(['analyze', SAMPLE, '--fail-on', 'KeyError,DNSError']);
  t.is(quiet.code, 0);
  t.regex(quiet.stdout, /Found error: OutOfMemory/, 'the report is still printed');
  const bad = await runCli(['analyze', SAMPLE, '--fail-on', 'OutOfMemroy']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: --fail-on: unknown error type "OutOfMemroy"/);
});

test('several files, globs (also quoted), gzip and stdin', async (t) => {
  const logs = join(dir, 'logs', 'a', 'b');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(dir, 'logs', 'one.log'), readFileSync(seed1));
  writeFileSync(join(logs, 'two.log.gz'), gzipSync('2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch\n'));
  const r = await runCli(['analyze', '--json', `${dir}/logs/**/*.log*`]);
  t.is(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  t.deepEqual(d.files, [join(dir, 'logs', 'a', 'b', 'two.log.gz'), join(dir, 'logs', 'one.log')]);
  t.deepEqual(d.errors.map((e: { type: string }) => e.type).sort(), ['ModelCorruption', 'OutOfMemory']);
  const stdin = await runCli(['analyze', '-', '--json'], { input: readFileSync(seed1, 'utf8') });
  t.is(stdin.code, 1);
  t.deepEqual(JSON.parse(stdin.stdout).errors.map((e: { type: string; first: { file: string } }) => [e.type, e.first.file]), [['OutOfMemory', '-']]);
});

test('--verbose prints the records with their stack traces; --no-mmap and --engine regex agree', async (t) => {
  const v = await runCli(['analyze', seed1, '-v']);
  t.true(v.stdout.includes('    MemoryError: CUDA out of memory'));
  const a = JSON.parse((await runCli(['analyze', SAMPLE, '--json', '--no-mmap', '--engine', 'regex'])).stdout);
  const b = JSON.parse((await runCli(['analyze', SAMPLE, '--json'])).stdout);
  const strip = (d: { errors: unknown[] }) => JSON.stringify(d.errors);
  t.is(strip(a), strip(b));
});

test('colour only when asked for (FORCE_COLOR) and never with NO_COLOR', async (t) => {
  const forced = await runCli(['analyze', seed1], { env: cleanEnv({ FORCE_COLOR: '1' }) });
  t.true(forced.stdout.includes('\x1b['));
  const none = await runCli(['analyze', seed1], { env: cleanEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) });
  t.false(none.stdout.includes('\x1b['));
});

test('logmedic test: the catalog self-test passes and says so', async (t) => {
  const r = await runCli(['test']);
  t.is(r.code, 0, r.stdout);
  t.regex(r.stdout, /catalog self-test passed: \d+ patterns, \d+ samples/);
  const j = JSON.parse((await runCli(['test', '--json'])).stdout);
  t.true(j.ok);
  t.deepEqual(j.problems, []);
});

test('logmedic test FILE: lines per pattern, and error-level lines no pattern matched, by template', async (t) => {
  const file = join(dir, 'tester.log');
  writeFileSync(file, [
    '2025-05-17 10:00:00 - app - INFO - started',
    '2025-05-17 10:00:01 - db - ERROR - Connection refused',
    '2025-05-17 10:00:02 - app - ERROR - frobnicator went sideways',
    '2025-05-17 10:00:03 - db - ERROR - Connection refused',
    '',
  ].join('\n'));
  const r = await runCli(['test', file, '--json']);
  t.is(r.code, 0);
  const j = JSON.parse(r.stdout);
  const conn = j.patterns.filter((p: { type: string }) => p.type === 'ConnectionError');
  t.true(conn.length >= 1);
  t.deepEqual(conn[0].lines.map((l: { line: number }) => l.line), [2, 4]);
  t.is(j.unmatched.count, 1);
  t.like(j.unmatched.templates[0], { template: 'frobnicator went sideways', count: 1, first: 3, last: 3, example: '2025-05-17 10:00:02 - app - ERROR - frobnicator went sideways', pattern: String.raw`\bfrobnicator\s+went\s+sideways\s*$` });
  const human = await runCli(['test', file]);
  t.regex(human.stdout, /Error-level lines that no pattern matched: 1, 1 template\n +1× frobnicator went sideways +\[[0-9a-f]{12}\]\n +line 3: .*frobnicator/);
  const missing = await runCli(['test', join(dir, 'none.log')]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^logmedic: /);
});
