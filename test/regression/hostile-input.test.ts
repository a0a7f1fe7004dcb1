// Hostile input through the built CLI: a core that fails (a contained panic) is one line and
// exit 3; terminal escapes in log text never reach the terminal raw; a giant line gives a
// capped message; a gzip file with garbage after its end is corrupt (E_CORRUPT, exit 2).
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, openSync, closeSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../_tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const FAILING_CORE = join(ROOT, 'test', '_failing-core.mjs');
const dir = tempDir('logmedic-hostile-');

const env = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent-logmedic-test' };
delete env.FORCE_COLOR;

function cli(args: string[], nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', env, cwd: dir, maxBuffer: 64 << 20 });
}

/** Every C0 control but tab and line feed, DEL, and every C1 control. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const HOSTILE =
  '2025-05-17 10:05:00 ERROR worker: CUDA out of memory \u001b]0;pwned\u0007 title\n' +
  '2025-05-17 10:05:01 ERROR worker: CUDA out of memory \u001b[2J\u001b[H cleared\n' +
  '2025-05-17 10:05:02 ERROR worker: CUDA out of memory\r\u001b[Krewritten\n' +
  '2025-05-17 10:05:03 ERROR worker: CUDA out of memory \u009b31m c1 \u0000 nul \u007f del\n';

test('a failure inside the core reaches the CLI as E_INTERNAL: one line, exit 3', (t) => {
  const log = join(dir, 'POISON-SLICE.log');
  writeFileSync(log, '2025-05-17 10:05:00 ERROR worker: CUDA out of memory\n');
  for (const extra of [[], ['--json'], ['--no-mmap']]) {
    const run = cli(['analyze', log, ...extra], ['--import', FAILING_CORE]);
    t.is(run.signal, null);
    t.is(run.status, 3, run.stderr);
    t.is(run.stdout, '');
    t.deepEqual(run.stderr.trim().split('\n'), ['logmedic: internal error (a bug in logmedic; please report it): injected by the test']);
  }
  // Without the preload the same file is an ordinary log.
  t.is(cli(['analyze', log]).status, 1);
});

test('terminal escapes in log text are masked in text output, and escaped in JSON', (t) => {
  const log = join(dir, 'escapes.log');
  writeFileSync(log, HOSTILE);
  for (const args of [['analyze', log], ['analyze', log, '--verbose'], ['test', log], ['recover', log, '--dry-run']]) {
    const run = cli(args);
    t.true(run.status === 0 || run.status === 1, `${args.join(' ')}: ${run.stderr}`);
    t.false(CONTROL.test(run.stdout), `${args.join(' ')} printed a control character: ${JSON.stringify(run.stdout)}`);
    t.false(CONTROL.test(run.stderr), `${args.join(' ')} printed a control character on stderr: ${JSON.stringify(run.stderr)}`);
  }
  const analyzed = cli(['analyze', log, '--verbose']).stdout;
  t.regex(analyzed, /out of memory \?\]0;pwned\? title/);
  const json = cli(['analyze', log, '--json']);
  t.false(CONTROL.test(json.stdout), 'JSON escapes controls');
  const examples: string[] = JSON.parse(json.stdout).errors.flatMap((e: { messages: { example: string }[] }) => e.messages.map((m) => m.example));
  t.true(examples.some((m) => m.includes('\u001b]0;pwned\u0007')), 'JSON keeps the text exactly');
});

test('watch in text mode masks terminal escapes too', async (t) => {
  const log = join(dir, 'watched.log');
  writeFileSync(log, '');
  const child = spawn(process.execPath, [CLI, 'watch', log, '--state-dir', join(dir, 'watch-state'), '--poll-ms', '50', '--idle-ms', '50'], { env, cwd: dir });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
  const deadline = Date.now() + 180_000; // a bound for a stuck child, not a timing assertion
  while (!/watching 1 file/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  appendFileSync(log, HOSTILE);
  while (out.split('\n').length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  t.is(out.trim().split('\n').length, 4, out);
  t.false(CONTROL.test(out), JSON.stringify(out));
  t.false(CONTROL.test(err), JSON.stringify(err));
  t.regex(out, /out of memory\?\?\[Krewritten/);
});

test('a giant line gives a message capped at 4 KiB, flagged, not "Invalid string length"', (t) => {
  const log = join(dir, 'giant.log');
  const fd = openSync(log, 'w');
  writeSync(fd, '2025-05-17 10:05:00 ERROR worker: CUDA out of memory ');
  const block = Buffer.alloc(1 << 20, 'é');
  for (let i = 0; i < 48; i++) writeSync(fd, block);
  writeSync(fd, '\n');
  closeSync(fd);
  const run = cli(['analyze', log, '--json']);
  t.is(run.status, 1, run.stderr);
  const [e] = JSON.parse(run.stdout).errors;
  t.is(e.count, 1);
  t.true(Buffer.byteLength(e.messages[0].example) <= 4096);
  t.true(e.messages[0].exampleTruncated);
  t.true(e.messages[0].example.startsWith('CUDA out of memory éé'));
  t.false(e.messages[0].example.includes('\ufffd'), 'cut on a character boundary');
});

test('a gzip file with garbage after its end is E_CORRUPT, exit 2', (t) => {
  const log = join(dir, 'trailing.log.gz');
  writeFileSync(log, Buffer.concat([gzipSync('2025-05-17 10:05:00 ERROR worker: CUDA out of memory\n'), Buffer.from('garbage trailing')]));
  const run = cli(['analyze', log]);
  t.is(run.status, 2, run.stderr);
  t.regex(run.stderr, /^logmedic: corrupt input \(garbage after the end of the gzip data\) \(path: .*trailing\.log\.gz\)\n$/);
});
