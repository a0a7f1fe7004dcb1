// `logmedic scan` as users run it: the built executable (dist/, from `npm run build`) in a
// child process. Every unusable input gives exactly one `logmedic: ...` line on stderr, no
// stack trace and exit code 2; good input in any form (plain, gzip, zstd, stdin, FIFO)
// gives the same counts.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tempDir } from './_tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const INPUTS = join(ROOT, 'test', 'fixtures', 'inputs');
const APP_LOG = join(INPUTS, 'app.log');
const APP_ZST = join(INPUTS, 'app.log.zst');
const PATTERNS_FILE = join(INPUTS, 'patterns.txt');

/** The patterns of patterns.txt, and the lines of app.log each matches (counted by hand). */
const PATTERNS = ['ERROR', '(?i)out of memory', '(?i)error', 'refused', '^\\s+File', 'no such thing'];
const COUNTS = [2, 2, 4, 1, 1, 0];
const APP_LINES = 10;

const dir = tempDir('logmedic-cli-errors-');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { input?: Buffer | string; uid?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, ...ids });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
    child.stdin.end(options.input ?? '');
  });
}

function tmp(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const e = (patterns: string[]) => patterns.flatMap((p) => ['-e', p]);

/** The one-line contract for unusable input. */
function assertOneLineError(t: import('ava').ExecutionContext, r: Run, message: RegExp) {
  t.is(r.code, 2, `exit code (stderr: ${r.stderr})`);
  t.is(r.stdout, '', 'nothing on stdout');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  t.is(lines.length, 1, `exactly one line on stderr, got:\n${r.stderr}`);
  t.true(lines[0].startsWith('logmedic: '), lines[0]);
  t.regex(lines[0], message);
  t.notRegex(r.stderr, /\n\s+at |Error: |\[E_[A-Z_]+\]/, 'no stack trace, no raw native message');
}

function assertCounts(t: import('ava').ExecutionContext, r: Run, bytes: number) {
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  const out = JSON.parse(r.stdout);
  t.deepEqual(out.patterns.map((p: { pattern: string }) => p.pattern), PATTERNS, 'patterns in input order');
  t.deepEqual(out.patterns.map((p: { count: number }) => p.count), COUNTS);
  t.is(out.lines, APP_LINES);
  t.is(out.bytes, bytes);
  t.false(out.changed);
  return out;
}

const appBytes = readFileSync(APP_LOG);

// ---------------------------------------------------------------------------------------
// Good input, every form

test('--json: patterns in input order, counts, bytes and lines', async (t) => {
  const r = await cli(['scan', APP_LOG, ...e(PATTERNS), '--json']);
  const out = assertCounts(t, r, appBytes.length);
  t.is(out.source, 'read');
});

test('-f reads patterns from a file; --no-mmap and --threads 1 give the same answer', async (t) => {
  for (const extra of [[], ['--no-mmap'], ['--threads', '1'], ['--engine', 'regex']]) {
    assertCounts(t, await cli(['scan', APP_LOG, '-f', PATTERNS_FILE, '--json', ...extra]), appBytes.length);
  }
});

test('gzip (one and several members) and zstd are recognised by their bytes, whatever the name', async (t) => {
  const half = appBytes.indexOf('Traceback');
  const cases: Array<[string, Buffer, string]> = [
    ['app.log.gz', gzipSync(appBytes), 'gzip'],
    ['multi.gz', Buffer.concat([gzipSync(appBytes.subarray(0, half)), gzipSync(appBytes.subarray(half))]), 'gzip'],
    ['really-gzip.log', gzipSync(appBytes), 'gzip'],
    ['really-zstd.txt', readFileSync(APP_ZST), 'zstd'],
    ['really-plain.gz', appBytes, 'read'],
  ];
  for (const [name, bytes, source] of cases) {
    const out = assertCounts(t, await cli(['scan', tmp(name, bytes), ...e(PATTERNS), '--json']), appBytes.length);
    t.is(out.source, source, name);
  }
  const out = assertCounts(t, await cli(['scan', APP_ZST, ...e(PATTERNS), '--json']), appBytes.length);
  t.is(out.source, 'zstd');
});

test('stdin through -, plain and gzip', async (t) => {
  for (const input of [appBytes, gzipSync(appBytes)]) {
    assertCounts(t, await cli(['scan', '-', ...e(PATTERNS), '--json'], { input }), appBytes.length);
  }
});

test('a FIFO is read as a stream', async (t) => {
  const fifo = join(dir, 'app.fifo');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) return t.pass('mkfifo is not available here');
  const running = cli(['scan', fifo, ...e(PATTERNS), '--json']);
  const writer = createWriteStream(fifo);
  writer.end(appBytes);
  const out = assertCounts(t, await running, appBytes.length);
  t.is(out.source, 'stream');
});

test('/dev/null and an empty file: zero lines, zero counts, exit 1 (nothing matched, as grep)', async (t) => {
  for (const path of ['/dev/null', tmp('empty.log', '')]) {
    if (!statSafe(path)) continue;
    const r = await cli(['scan', path, '-e', 'ERROR', '--json']);
    t.is(r.code, 1, r.stderr);
    t.is(r.stderr, '');
    const out = JSON.parse(r.stdout);
    t.deepEqual([out.lines, out.bytes, out.patterns[0].count], [0, 0, 0], path);
  }
});

test('binary data scans like text: NUL bytes and invalid UTF-8 are just bytes', async (t) => {
  const bytes = Buffer.concat([
    Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a]),
    Buffer.from('ERROR \u0000 in the middle\n'),
    Buffer.from([0xc3, 0x28, 0x45, 0x52, 0x52, 0x4f, 0x52, 0x0d, 0x0a]), // "\xc3(ERROR\r\n"
    Buffer.from([0x00, 0x00, 0x00]),
  ]);
  const r = await cli(['scan', tmp('binary.bin', bytes), '-e', 'ERROR$', '-e', '\\x00', '--json', '--max-hits', '5']);
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.is(out.lines, 4);
  t.deepEqual(out.patterns.map((p: { count: number }) => p.count), [1, 3]);
  t.deepEqual(out.patterns[0].hits.map((h: { line: number; offset: number }) => [h.line, h.offset]), [[3, 28]]);
});

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Unusable input and bad usage: one line, exit 2

const appGz = gzipSync(appBytes);
const bigGz = gzipSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i} ERROR ${i * 7919}\n`).join('')));
const zst = readFileSync(APP_ZST);
const flipped = Buffer.from(bigGz);
for (let i = bigGz.length / 2; i < bigGz.length / 2 + 8; i++) flipped[i] ^= 0xa5;

const badInputs: Array<[string, () => string[], RegExp]> = [
  ['missing file', () => ['scan', join(dir, 'nope.log'), '-e', 'x'], /nope\.log: no such file/],
  ['a directory', () => ['scan', dir, '-e', 'x'], /is a directory/],
  ['a path through a file', () => ['scan', join(tmp('plain.log', appBytes), 'inner.log'), '-e', 'x'], /plain\.log\/inner\.log: no such file \(a part of the path is not a directory\)$/],
  ['a file name too long', () => ['scan', join(dir, `${'n'.repeat(300)}.log`), '-e', 'x'], /n\.log: file name too long$/],
  ['truncated .gz', () => ['scan', tmp('cut.gz', appGz.subarray(0, appGz.length - 12)), '-e', 'x'], /cut\.gz.*truncated|truncated.*cut\.gz/],
  ['truncated .gz (header only)', () => ['scan', tmp('head.gz', appGz.subarray(0, 5)), '-e', 'x'], /truncated/],
  ['truncated .zst', () => ['scan', tmp('cut.zst', zst.subarray(0, zst.length - 20)), '-e', 'x'], /truncated/],
  ['corrupt .gz', () => ['scan', tmp('flipped.gz', flipped), '-e', 'x'], /corrupt|truncated/],
  ['missing patterns file', () => ['scan', APP_LOG, '-f', join(dir, 'no-patterns.txt')], /no-patterns\.txt/],
  ['no pattern', () => ['scan', APP_LOG], /at least one pattern/],
  ['no file', () => ['scan'], /argument/i],
  ['unknown option', () => ['scan', APP_LOG, '-e', 'x', '--frobnicate'], /Unknown argument: frobnicate/],
  ['invalid pattern, named', () => ['scan', APP_LOG, '-e', 'ok', '-e', 'Out of (memory'], /Out of \(memory/],
  ['pattern that matches every line', () => ['scan', APP_LOG, '-e', 'a*'], /"a\*"/],
  ['--threads 0', () => ['scan', APP_LOG, '-e', 'x', '--threads', '0'], /threads/],
  ['--threads abc', () => ['scan', APP_LOG, '-e', 'x', '--threads', 'abc'], /threads/],
  ['--engine bogus', () => ['scan', APP_LOG, '-e', 'x', '--engine', 'bogus'], /engine|Invalid values/i],
];

for (const [name, args, message] of badInputs) {
  test(`bad input: ${name}`, async (t) => {
    assertOneLineError(t, await cli(args()), message);
  });
}

test('bad input: unreadable file and unsearchable directory', async (t) => {
  const root = process.getuid?.() === 0;
  const base = tempDir('logmedic-perm-', t); // removal gives the locked dir its permissions back
  const secret = join(base, 'secret.log');
  writeFileSync(secret, 'ERROR\n');
  chmodSync(secret, 0o000);
  const locked = join(base, 'locked');
  mkdirSync(locked);
  writeFileSync(join(locked, 'inner.log'), 'ERROR\n');
  chmodSync(locked, 0o600);
  chmodSync(base, 0o755);
  // root reads whatever the mode says: run the CLI as an unprivileged user instead.
  const uid = root ? 65534 : undefined;
  for (const path of [secret, join(locked, 'inner.log')]) {
    assertOneLineError(t, await cli(['scan', path, '-e', 'ERROR'], { uid }), /permission denied/);
  }
});
