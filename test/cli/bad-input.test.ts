// Bad input to every command, as a hostile user gives it, through the built executable
// (dist/): a report target that is not a plain file, grep's argument order, an endless line
// typed into the shell, unwritable or missing directories, a journal with foreign lines, a
// FIFO named to watch. Each case is one `logmedic: ...` line on stderr and the documented
// exit code, no stack trace, and nothing the user had is replaced or lost.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './_run.js';
import { tempDir } from '../_tmp.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const dir = tempDir('logmedic-bad-input-');
const env = { ...process.env, NO_COLOR: '1', LOGMEDIC_HISTORY: '', XDG_CONFIG_HOME: join(dir, 'no-xdg') };
delete env.FORCE_COLOR;

const LOG = '2024-05-01 12:00:00 INFO  server started\n2024-05-01 12:00:01 ERROR CUDA out of memory. Tried to allocate 2.00 GiB\n';
const log = join(dir, 'app.log');
writeFileSync(log, LOG);

/** Root reads and writes whatever the mode says: permission cases run the CLI as nobody. */
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd?: string; input?: string | Buffer; user?: boolean; timeoutMs?: number } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? dir,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.user ? asUser : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The contract for bad input: one `logmedic: ` line, no trace, the given exit code. */
function assertOneLine(t: import('ava').ExecutionContext, r: Run, code: number, message: RegExp) {
  t.is(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  t.is(lines.length, 1, `exactly one line on stderr, got:\n${r.stderr}`);
  t.true(lines[0]?.startsWith('logmedic: '), lines[0]);
  t.regex(lines[0] ?? '', message);
  t.notRegex(r.stderr, /\n\s+at |node:internal|[A-Z]{2,}: [a-z ]+, [a-z]+ '/, 'no stack trace, no raw Node message');
}

// ---------------------------------------------------------------------------------------
// --report: only a regular file is replaced; anything else is written into

test('--report into a FIFO writes the report through it and leaves the FIFO a FIFO', async (t) => {
  const fifo = join(dir, 'report.fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return t.pass('mkfifo is not available here');
  // The reader: cat, so that the CLI's open of the FIFO finds someone at the other end.
  const reader = spawn('cat', [fifo]);
  let html = '';
  reader.stdout.on('data', (d) => (html += d));
  const read = new Promise((resolve) => reader.on('close', resolve));
  const r = cli(['analyze', log, '--report', fifo]);
  // A CLI that replaced the FIFO never opened it: the reader would wait forever.
  const stuck = setTimeout(() => reader.kill(), 10_000);
  await read;
  clearTimeout(stuck);
  t.is(r.code, 1, r.stderr);
  t.true(lstatSync(fifo).isFIFO(), 'still a FIFO, not replaced by a file');
  t.regex(html, /^<!doctype html>/i);
  t.regex(html, /OutOfMemory/);
});

test('--report through a symbolic link replaces the file it names and keeps the link', (t) => {
  const reports = join(dir, 'reports');
  mkdirSync(reports, { recursive: true });
  const target = join(reports, 'today.html');
  writeFileSync(target, 'yesterday');
  const link = join(dir, 'latest.html');
  symlinkSync(target, link);
  const r = cli(['analyze', log, '--report', link]);
  t.is(r.code, 1, r.stderr);
  t.true(lstatSync(link).isSymbolicLink(), 'the link stays a link');
  t.is(readlinkSync(link), target);
  t.regex(readFileSync(target, 'utf8'), /^<!doctype html>/i);
});

test('--report with a name too long or a path through a file: one line naming it, exit 2, before any analysis', (t) => {
  // A temp file that could not be made is not removed again: that throws Node's raw ENAMETOOLONG.
  for (const [target, why] of [
    [join(dir, `${'r'.repeat(300)}.html`), /r\.html: cannot write the report \(file name too long\)$/],
    [join(log, 'report.html'), /report\.html: cannot write the report \(not a directory\)$/],
  ] as const) {
    const r = cli(['analyze', log, '--report', target]);
    assertOneLine(t, r, 2, why);
    t.is(r.stdout, '', 'refused before the analysis');
  }
});

test('a config, patterns file or state dir whose name is too long, or whose path runs through a file, is said in words', (t) => {
  const long = join(dir, 'q'.repeat(300));
  const through = join(log, 'inner');
  for (const [args, why] of [
    [['analyze', log, '--config', `${long}.yaml`], /q\.yaml: cannot read the config file \(file name too long\)$/],
    [['analyze', log, '--config', `${through}.yaml`], /inner\.yaml: cannot read the config file \(a part of the path is not a directory\)$/],
    [['scan', '-f', `${long}.txt`, log], /q\.txt: cannot read patterns file \(file name too long\)$/],
    [['watch', log, '--state-dir', long], /q: cannot use as state dir \(.*q: file name too long\)$/],
  ] as const) {
    assertOneLine(t, cli([...args]), 2, why);
  }
});

test('--report naming our own stdout, itself a file: the report follows the text, neither is lost', (t) => {
  // What /dev/stdout is, made here: a link to /proc/self/fd/1 (the test must never risk /dev itself).
  if (!statSafe('/proc/self/fd/1')) return t.pass('no /proc/self/fd here');
  const stdoutLink = join(dir, 'stdout');
  symlinkSync('/proc/self/fd/1', stdoutLink);
  const out = join(dir, 'both.txt');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" analyze "${log}" --report "${stdoutLink}" > "${out}"`], { env, encoding: 'utf8' });
  t.true(lstatSync(stdoutLink).isSymbolicLink());
  t.is(r.status, 1, r.stderr);
  const text = readFileSync(out, 'utf8');
  t.regex(text, /^Found error: OutOfMemory/, 'the text report is still there');
  t.regex(text, /<!doctype html>/i, 'and the HTML after it');
  t.true(text.indexOf('Found error') < text.search(/<!doctype html>/i));
});

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// A repeatable option takes one value, as grep's -e does: the words after it are files

test('scan -e PATTERN FILE (grep order) scans FILE, on the fast path and the full parser', (t) => {
  const other = join(dir, 'other.log');
  writeFileSync(other, 'Connection refused\nERROR one\nERROR two\n');
  // --version-free lines take the fast path; an extra `--engine` choice still does, `-h` would not.
  for (const args of [
    ['scan', '-e', 'ERROR', log, other, '--json'],
    ['scan', '-e', 'ERROR', log, '-e', 'refused', other, '--json'],
    ['scan', '--regexp', 'ERROR', log, other, '--engine', 'regex', '--json'],
  ]) {
    const r = cli(args);
    t.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    t.deepEqual(out.files.map((f: { file: string }) => f.file), [log, other], args.join(' '));
    t.is(out.patterns[0].pattern, 'ERROR');
    t.is(out.patterns[0].count, 3);
  }
});

test('watch --rule RULE FILE: FILE is watched, not read as a second rule', async (t) => {
  const child = spawn(process.execPath, [CLI, 'watch', '--rule', 'OutOfMemory:3/60s', log, '--state-dir', join(dir, 'state-rule')], { cwd: dir, env });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 30_000;
  while (!/watching 1 file/.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  await closed;
  t.regex(stderr, /watching 1 file\(s\) matching .*app\.log/, stderr);
  t.notRegex(stderr, /expected TYPE:N\/WINDOW/);
});

// ---------------------------------------------------------------------------------------
// The shell reading a pipe

test('the shell fed a line without end: no crash, memory held, the next line still runs', async (t) => {
  const child = spawn(process.execPath, [CLI, '-i'], { cwd: dir, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // 256 MiB without a line feed, in 1 MiB pieces (before the cap, Node's line buffer failed
  // with "Invalid string length" and a stack trace), then a command and exit.
  const piece = Buffer.alloc(1 << 20, 'a');
  for (let i = 0; i < 256 && child.exitCode === null; i++) {
    if (!child.stdin.write(piece)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end(`\nanalyze ${log}\nexit\n`);
  const code = await closed;
  t.is(code, 0, stderr);
  t.notRegex(stderr, /node:internal|RangeError|\n\s+at /);
  t.regex(stdout, /logmedic: a line of more than 65536 bytes; skipped/);
  t.regex(stdout, /Found error: OutOfMemory/, 'the command after it ran');
});

// ---------------------------------------------------------------------------------------
// Writing where the user pointed: a missing, unusable or closed directory is exit 2, one
// line naming the file asked for (before, init and genlog ended as internal errors, exit 3,
// with Node's raw message naming a temporary file)

test('init --dir and genlog -o into a missing directory, a file, and a directory closed to us', (t) => {
  const closed = tempDir('logmedic-closed-', t);
  chmodSync(closed, 0o500);
  const cases: Array<[string[], RegExp, boolean]> = [
    [['init', '--dir', join(dir, 'no-such-dir')], /no-such-dir[/\\]logmedic\.config\.yaml: cannot write the config \(no such directory\)$/, false],
    [['init', '--dir', log], /app\.log[/\\]logmedic\.config\.yaml: cannot write the config \(not a directory\)$/, false],
    [['init', '--dir', closed], /logmedic\.config\.yaml: cannot write the config \(permission denied\)$/, true],
    [['genlog', '-s', '0.01', '-o', join(dir, 'no-such-dir', 'x.log')], /no-such-dir[/\\]x\.log: cannot write the log \(no such directory\)$/, false],
    [['genlog', '-s', '0.01', '-o', join(log, 'x.log')], /app\.log[/\\]x\.log: cannot write the log \(not a directory\)$/, false],
    [['genlog', '-s', '0.01', '-o', join(closed, 'x.log')], /x\.log: cannot write the log \(permission denied\)$/, true],
  ];
  for (const [args, message, user] of cases) assertOneLine(t, cli(args, { user }), 2, message);
});

test('history with lines in its journal that are not entries: the entries, and a warning', (t) => {
  const home = tempDir('logmedic-history-', t);
  mkdirSync(join(home, '.logmedic'));
  const entry = { time: '2026-01-01T00:00:00.000Z', runId: 'r1', action: 'clean_cache', target: 'cache', trigger: null, dryRun: false, result: 'ok', change: 'removed 3 files', durationMs: 12 };
  writeFileSync(join(home, '.logmedic', 'journal.jsonl'), ['garbage', JSON.stringify({ a: 1 }), '[1,2]', 'null', JSON.stringify(entry), '\u0000\u0001'].join('\n') + '\n');
  const r = cli(['history'], { cwd: home });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^2026-01-01T00:00:00\.000Z {2}ok {6}clean_cache {2}cache/m);
  t.regex(r.stderr, /^logmedic: warning: .*journal\.jsonl: 5 lines are not journal entries; left out\n$/);
  const json = cli(['history', '--json'], { cwd: home });
  t.is(json.code, 0, json.stderr);
  t.deepEqual(JSON.parse(json.stdout), [entry]);
});

// ---------------------------------------------------------------------------------------
// watch

test('watch and serve --watch of a FIFO or a device: one line and exit 2, not a silent watch of nothing', (t) => {
  const fifo = join(dir, 'watch.fifo');
  const targets = ['/dev/null'];
  if (spawnSync('mkfifo', [fifo]).status === 0) targets.push(fifo);
  for (const target of targets) {
    // A watch that starts runs until stopped: the timeout ends it, and the test fails.
    assertOneLine(t, cli(['watch', target, '--state-dir', join(dir, 'state-fifo')], { timeoutMs: 15_000 }), 2, /: not a regular file \(watch follows files, not pipes or devices\)$/);
    assertOneLine(t, cli(['serve', '-p', '0', '--watch', target], { timeoutMs: 15_000 }), 2, /: not a regular file/);
  }
});

test('watch -c FILE reads that config, as every other command does', (t) => {
  const config = join(dir, 'wrong-type.yaml');
  writeFileSync(config, 'cache: 5\n');
  assertOneLine(t, cli(['watch', log, '-c', config], { timeoutMs: 15_000 }), 2, /wrong-type\.yaml: cache: must be an object, got the number 5$/);
});

// ---------------------------------------------------------------------------------------
// A log that changes while it is read (truncated under the read, as copytruncate does)

const CHANGING = join(ROOT, 'test', 'cli', '_changing-file.mjs');

test('analyze, test FILE and recover say when the log changed under the read (test and recover said nothing)', (t) => {
  // 60 MB with a failure and its traceback every ten lines: long enough to read that the
  // preload finds the core in the middle of it (a test FILE reads it twice at once).
  const block = Buffer.from(
    Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 0
        ? `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} ERROR worker: CUDA out of memory. Tried to allocate ${i} MiB\nTraceback (most recent call last):\n  File "/app/run.py", line ${i}, in run\nRuntimeError: CUDA error: out of memory\n`
        : `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} INFO worker: step ${i} done in 12 ms\n`,
    ).join(''),
  );
  const copies = Math.ceil(60_000_000 / block.length);
  for (const args of [['analyze'], ['test'], ['test', '--json'], ['recover', '--dry-run']]) {
    const file = join(dir, 'CHANGING-FILE.log');
    writeFileSync(file, Buffer.concat(Array.from({ length: copies }, () => block)));
    const r = spawnSync(process.execPath, ['--import', CHANGING, CLI, ...args, file], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
    t.is(statSync(file).size, 4096, `${args.join(' ')}: the file was truncated while read`);
    t.true([0, 1].includes(r.status ?? -1), `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, /^logmedic: warning: .*CHANGING-FILE\.log changed while it was read; results cover what was read$/m, args.join(' '));
    t.notRegex(r.stderr, /\n\s+at /);
  }
});

// ---------------------------------------------------------------------------------------
// scan's options and patterns file

test('scan names its options as typed, refuses a binary patterns file, and quotes a huge pattern in a line that fits', (t) => {
  assertOneLine(t, cli(['scan', log, '-e', 'ERROR', '--max-hits', 'abc']), 2, /^logmedic: --max-hits must be a whole number >= 0, got NaN$/);
  assertOneLine(t, cli(['scan', log, '-e', 'ERROR', '--max-hits', '1.5']), 2, /^logmedic: --max-hits must be a whole number >= 0, got 1\.5$/);
  assertOneLine(t, cli(['scan', log, '-e', 'ERROR', '--threads', '0']), 2, /^logmedic: --threads must be a whole number >= 1, got 0$/);
  const binary = join(dir, 'patterns.bin');
  writeFileSync(binary, Buffer.concat([Buffer.from('ERROR\n'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 0x0a]), Buffer.alloc(20000, 0x41)]));
  assertOneLine(t, cli(['scan', log, '-f', binary]), 2, /patterns\.bin: not a patterns file \(a NUL byte on line 2; one pattern per line, as text\)$/);
  const huge = join(dir, 'patterns.huge');
  writeFileSync(huge, `(${'a'.repeat(200_000)}\n`);
  const r = cli(['scan', log, '-f', huge]);
  assertOneLine(t, r, 2, /^logmedic: invalid pattern "\(a+…\(\d+ characters\)…a+": unclosed group$/);
  t.true(r.stderr.length < 1100, `the line is ${r.stderr.length} characters`);
});

// ---------------------------------------------------------------------------------------
// test FILE reads its log more than once: a stream must give the same report as the file

test('test - and test FIFO report what test FILE reports (the stream is read once, not split between readers)', async (t) => {
  // Enough lines that the two readers of one pipe would each get only part of them.
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) {
    lines.push(i % 50 === 0 ? `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} ERROR worker: CUDA out of memory. Tried to allocate ${i} MiB` : `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} INFO worker: step ${i} done`);
  }
  const text = lines.join('\n') + '\n';
  const file = join(dir, 'many.log');
  writeFileSync(file, text);
  const expected = JSON.parse(cli(['test', file, '--json']).stdout);
  t.is(expected.lines, 20000);
  t.is(expected.records, 400);
  const summary = (r: Run) => {
    t.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    return [out.lines, out.records, out.types, out.patterns];
  };
  const fromStdin = cli(['test', '-', '--json'], { input: text });
  t.deepEqual(summary(fromStdin), [expected.lines, expected.records, expected.types, expected.patterns]);
  t.is(JSON.parse(fromStdin.stdout).file, '-');
  const rule = (r: Run) => {
    t.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    return [out.lines, out.matchedLines.count, out.matchedRecords.count, out.changes.count];
  };
  const args = ['-e', 'out of memory', '--type', 'OutOfMemory', '--json'];
  t.deepEqual(rule(cli(['test', '-', ...args], { input: text })), rule(cli(['test', file, ...args])));
  const fifo = join(dir, 'test.fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;
  const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`]);
  const viaFifo = await new Promise<Run>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'test', fifo, '--json'], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  writer.kill();
  t.deepEqual(summary(viaFifo), [expected.lines, expected.records, expected.types, expected.patterns]);
});

test('test - with a truncated gzip on stdin names stdin, not a temporary copy', (t) => {
  const gz = spawnSync('gzip', ['-c'], { input: LOG }).stdout;
  if (!gz?.length) return t.pass('gzip is not available here');
  assertOneLine(t, cli(['test', '-'], { input: gz.subarray(0, gz.length - 12) }), 2, /^logmedic: truncated input \(.*\) \(path: -\)$/);
});

test('templates - -: stdin named twice is refused, as analyze and scan refuse it', (t) => {
  assertOneLine(t, cli(['templates', '-', '-'], { input: LOG }), 2, /^logmedic: stdin \(-\) may be named only once$/);
});

test('perf --file naming a directory or a device says so (it said "is 0.0 MB, not 1 MB")', (t) => {
  assertOneLine(t, cli(['perf', '-s', '1', '--file', dir]), 2, /: is a directory$/);
  assertOneLine(t, cli(['perf', '-s', '1', '--file', '/dev/null']), 2, /^logmedic: \/dev\/null: not a regular file \(perf reads its log several times\)$/);
});

// ---------------------------------------------------------------------------------------
// The config found in the working directory

test('a logmedic.config.yaml found here that is a FIFO or a link to nothing: one line, exit 2 (a FIFO would hang every command; a dangling link is not skipped in silence)', (t) => {
  const here = tempDir('logmedic-found-config-', t);
  writeFileSync(join(here, 'app.log'), LOG);
  const config = join(here, 'logmedic.config.yaml');
  symlinkSync(join(here, 'moved-away.yaml'), config);
  assertOneLine(t, cli(['analyze', 'app.log'], { cwd: here }), 2, /logmedic\.config\.yaml: cannot read the config file \(a link to a file that does not exist\)$/);
  if (spawnSync('sh', ['-c', `rm "${config}" && mkfifo "${config}"`]).status !== 0) return;
  for (const args of [['analyze', 'app.log'], ['recover', '--dry-run', 'app.log'], ['config', 'check']]) {
    assertOneLine(t, cli(args, { cwd: here, timeoutMs: 15_000 }), 2, /logmedic\.config\.yaml: cannot read the config file \(not a regular file\)$/);
  }
});

// ---------------------------------------------------------------------------------------
// recover with a state dir that refuses writes

test('recover -y with a state dir that refuses reads or writes: exit 2, one line, no step without its journal line, no lock left behind', (t) => {
  const home = tempDir('logmedic-state-', t);
  writeFileSync(join(home, 'app.log'), '2024-05-01 12:00:05 ERROR error disk full: No space left on device\n');
  mkdirSync(join(home, 'cache'));
  for (const f of ['a.bin', 'b.bin']) writeFileSync(join(home, 'cache', f), Buffer.alloc(1000, 1));
  // clean_cache is allowed and wanted (the free-space target cannot be met), so a step is planned.
  const config = (state: string) => `cache:\n  dirs: ["cache/"]\n  minFreeBytes: 999999999999999\nstate:\n  dir: ${state}\n`;
  // The journal cannot be read or written (a directory stands in its place): no step may
  // start without its attempt line on disk, so nothing changes.
  mkdirSync(join(home, 'state-a', 'journal.jsonl'), { recursive: true });
  writeFileSync(join(home, 'a.yaml'), config('state-a'));
  assertOneLine(t, cli(['recover', 'app.log', '-y', '-c', 'a.yaml'], { cwd: home }), 2, /state-a[/\\]journal\.jsonl: cannot read the recovery journal \(is a directory\)$/);
  t.deepEqual(readdirSync(join(home, 'cache')).sort(), ['a.bin', 'b.bin'], 'the cache is as it was');
  t.false(readdirSync(join(home, 'state-a')).includes('run.lock'), 'the run lock is released');
  // The state file cannot be written after the step acted: the run stops, and the step's
  // attempt line, on disk before it acted, lets history (and the next run) know of it.
  mkdirSync(join(home, 'state-c', 'state.json'), { recursive: true });
  writeFileSync(join(home, 'c.yaml'), config('state-c'));
  assertOneLine(t, cli(['recover', 'app.log', '-y', '-c', 'c.yaml'], { cwd: home }), 2, /state-c: cannot write the recovery journal and state \(is a directory\); recovery stopped$/);
  t.false(readdirSync(join(home, 'state-c')).includes('run.lock'), 'the run lock is released');
  const history = cli(['history', '-c', 'c.yaml'], { cwd: home });
  t.regex(history.stdout, /interrupted clean_cache/, history.stdout + history.stderr);
  // A state dir closed to the user: the run lock cannot be taken.
  for (const f of ['a.bin', 'b.bin']) writeFileSync(join(home, 'cache', f), Buffer.alloc(1000, 1));
  chmodSync(join(home, 'cache'), 0o777);
  mkdirSync(join(home, 'state-b'));
  chmodSync(join(home, 'state-b'), 0o555);
  chmodSync(home, 0o777);
  writeFileSync(join(home, 'b.yaml'), config('state-b'));
  chmodSync(join(home, 'app.log'), 0o644);
  const r = cli(['recover', 'app.log', '-y', '-c', 'b.yaml'], { cwd: home, user: true });
  assertOneLine(t, r, 2, /state-b[/\\]run\.lock: cannot take the run lock \(permission denied\)$/);
});

test('watch with a state dir on a full disk reports every record, says once that it cannot checkpoint, leaves no temp file', async (t) => {
  const home = tempDir('logmedic-full-state-', t);
  const watched = join(home, 'w.log');
  writeFileSync(watched, 'start\n');
  const state = join(home, 'state');
  const child = spawn(process.execPath, ['--import', join(ROOT, 'test', 'cli', '_full-disk-checkpoint.mjs'), CLI, 'watch', watched, '--json', '--state-dir', state, '--idle-ms', '50'], { cwd: home, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const waitFor = async (ok: () => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!ok() && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  await waitFor(() => /watching 1 file/.test(stderr));
  for (let i = 1; i <= 3; i++) appendFileSync(watched, `2024-05-01 12:00:0${i} ERROR worker: CUDA out of memory (${i})\n`);
  await waitFor(() => stdout.split('\n').filter((l) => l.includes('"record"') || l.includes('OutOfMemory')).length >= 3);
  child.kill('SIGTERM');
  const code = await closed;
  t.is(code, 0, stderr);
  t.is((stdout.match(/CUDA out of memory \(\d\)/g) ?? []).length, 3, stdout);
  t.is((stderr.match(/cannot write the checkpoint \(ENOSPC\); still reporting/g) ?? []).length, 1, stderr);
  t.notRegex(stderr, /\n\s+at |node:internal/);
  t.deepEqual(readdirSync(state).filter((f) => f.includes('.tmp-')), [], 'no temp checkpoint left');
});

test('a state dir reused for another file: the file followed before is not said to be "rotated to" its own name', async (t) => {
  const home = tempDir('logmedic-reused-state-', t);
  const [first, second] = [join(home, 'first.log'), join(home, 'second.log')];
  writeFileSync(first, 'a\n');
  writeFileSync(second, 'b\n');
  const watchUntilStarted = async (path: string) => {
    const child = spawn(process.execPath, [CLI, 'watch', path, '--state-dir', join(home, 'state')], { cwd: home, env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (!/watching \d+ file/.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    await closed;
    return stderr;
  };
  await watchUntilStarted(first);
  const stderr = await watchUntilStarted(second);
  t.notRegex(stderr, /was rotated to first\.log/, stderr);
  t.regex(stderr, /first\.log was followed by the last watch in this state dir and is not named now; reading the rest of it/);
});
