// The interactive shell: through a pipe (scripts), in-process with streams (dispatch, word
// splitting, completion), and under a real pseudo-terminal (Ctrl-C during a job and at the
// prompt, history, tab completion).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { completeLine, PROMPT, runShell, splitWords } from '../../src/cli/shell.js';
import { cleanEnv, hasPython, ROOT, runCli, runPty } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-shell-');
const log = join(dir, 'app.log');
writeFileSync(log, '2025-05-17 10:05:00 ERROR CUDA error: out of memory\n2025-05-17 10:05:01 INFO ok\n2025-05-17 10:05:02 ERROR disk full\n');

/** Run the shell in-process on a script, recording what it dispatches. */
async function scripted(lines: string[], commands: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d) => (text += d));
  const calls: string[][] = [];
  const done = runShell({
    input,
    output,
    historyFile: null,
    commands,
    dispatch: async (argv) => {
      calls.push(argv);
      return 0;
    },
  });
  input.end(lines.map((l) => l + '\n').join(''));
  const code = await done;
  return { code, text, calls };
}

test('shell lines become the CLI argv: the seed\'s "genlog 500" and "perf 1000", quoting, help COMMAND', async (t) => {
  const r = await scripted(
    ['genlog 500 --seed 7', 'perf 1000', 'analyze "my logs/app.log" --json', "test 'a b'", 'genlog --size 3', 'help analyze', '', 'exit', 'analyze never-reached'],
    ['analyze', 'genlog', 'perf', 'test'],
  );
  t.is(r.code, 0);
  t.deepEqual(r.calls, [
    ['genlog', '--size', '500', '--seed', '7'],
    ['perf', '--size', '1000'],
    ['analyze', 'my logs/app.log', '--json'],
    ['test', 'a b'],
    ['genlog', '--size', '3'],
    ['analyze', '--help'],
  ]);
  t.is(r.text.split(PROMPT).length - 1, 8, 'a prompt before each line read');
});

test('a command the build lacks, an unknown one, stdin as input: one clear line each, nothing dispatched', async (t) => {
  const r = await scripted(['recover app.log', 'frobnicate', 'help nothing', 'scan - -e x', 'help'], ['analyze', 'scan']);
  t.deepEqual(r.calls, []);
  t.regex(r.text, /logmedic: recover is not available in this build yet\n/);
  t.regex(r.text, /logmedic: unknown command "frobnicate" \(type help\)\n/);
  t.regex(r.text, /logmedic: no command "nothing"/);
  t.regex(r.text, /logmedic: "-" \(stdin\) is the shell's own input here; give scan a file\n/);
  t.regex(r.text, /recover FILE \[options\] +perform the recovery .*\(not available in this build\)/);
  t.regex(r.text, /Also: scan \(as on the command line\)\./);
  t.is(r.code, 0, 'end of input leaves cleanly');
});

test('splitWords handles quotes and escapes, and rejects an unterminated quote', (t) => {
  t.deepEqual(splitWords(`analyze  a\\ b "c \\"d\\"" 'e\\f' ""`), ['analyze', 'a b', 'c "d"', 'e\\f', '']);
  t.throws(() => splitWords('analyze "open'), { message: /unterminated " quote/ });
});

test('tab completion: commands first, then paths relative to the working directory', (t) => {
  const cwd = tempDir('logmedic-complete-');
  mkdirSync(join(cwd, 'logs'));
  writeFileSync(join(cwd, 'logs', 'app.log'), '');
  writeFileSync(join(cwd, 'logs', 'app.log.gz'), '');
  writeFileSync(join(cwd, 'logs', '.hidden'), '');
  const cmds = ['analyze', 'exit', 'genlog', 'help'];
  t.deepEqual(completeLine('ge', cmds, cwd), [['genlog '], 'ge']);
  t.deepEqual(completeLine('', cmds, cwd)[0], cmds.map((c) => `${c} `));
  t.deepEqual(completeLine('analyze lo', cmds, cwd), [['logs/'], 'lo']);
  t.deepEqual(completeLine('analyze logs/app', cmds, cwd), [['logs/app.log', 'logs/app.log.gz'], 'logs/app']);
  t.deepEqual(completeLine('analyze logs/', cmds, cwd)[0], ['logs/app.log', 'logs/app.log.gz'], 'hidden files only when asked for');
  t.deepEqual(completeLine('analyze logs/.h', cmds, cwd)[0], ['logs/.hidden']);
  t.deepEqual(completeLine(`analyze ${cwd}/logs/app.log.`, cmds, '/')[0], [`${cwd}/logs/app.log.gz`]);
  t.deepEqual(completeLine('analyze nowhere/x', cmds, cwd)[0], []);
});

test('through a pipe: help, a real command, exit; plain text, exit code 0', async (t) => {
  const r = await runCli(['--interactive'], { input: `help\nscan ${log} -e ERROR -e "out of memory"\nexit\n` });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^logmedic> Commands:\n/);
  t.regex(r.stdout, /genlog MB \[options\]/);
  t.regex(r.stdout, /logmedic> +2  ERROR\n +1  out of memory\n3 lines/);
  t.false(r.stdout.includes('\x1b'), 'no escape codes through a pipe');
  t.false(r.stderr.includes('\x1b'));
  // `logmedic shell` is the same shell.
  const s = await runCli(['shell'], { input: 'help\n' });
  t.is(s.code, 0);
  t.regex(s.stdout, /Commands:/);
});

test('through a pipe: a failing command reports one line and the shell goes on', async (t) => {
  const r = await runCli(['-i'], { input: `scan ${join(dir, 'missing.log')} -e x\nscan ${log}\nscan ${log} -e "(unclosed"\nscan ${log} -e ERROR\n` });
  t.is(r.code, 0);
  t.regex(r.stderr, /^logmedic: .*missing\.log: no such file\n/m);
  t.regex(r.stderr, /^logmedic: scan needs at least one pattern/m);
  t.regex(r.stderr, /^logmedic: .*\(unclosed/m);
  t.regex(r.stdout, / 2  ERROR\n/, 'the last command still ran');
  t.false(/\n\s+at /.test(r.stderr), 'no stack trace');
});

const ptyTest = hasPython ? test : test.skip;
if (!hasPython) console.log('shell.test: python3 with the pty module is absent; the terminal tests are skipped');

ptyTest('under a terminal: Ctrl-C cancels a running job and the shell prompts again; exit leaves cleanly', async (t) => {
  const fifo = join(dir, 'endless.fifo');
  execFileSync('mkfifo', [fifo]);
  const r = await runPty(['--interactive'], [
    { waitFor: PROMPT, send: `scan ${fifo} -e ERROR\r` },
    // The job has started once it opened the FIFO; it never ends by itself.
    { waitFor: `scan ${fifo} -e ERROR\r*\n`, fifo },
    { waitFor: '$', send: '\x03' },
    { waitFor: 'logmedic: [^\\r\\n]*abort[^\\r\\n]*\\r*\\n' },
    { waitFor: PROMPT, send: 'exit\r' },
  ]);
  t.is(r.timeout, null, r.transcript);
  t.is(r.code, 0, r.transcript);
});

ptyTest('under a terminal: Ctrl-C at the prompt clears the line and stays; Ctrl-D leaves', async (t) => {
  const r = await runPty(['shell'], [
    { waitFor: PROMPT, send: 'analyze half-typed' },
    { waitFor: 'half-typed', send: '\x03' },
    { waitFor: `\\^C\\r*\\n(?:\x1b\\[[0-9;]*[A-Za-z])*${PROMPT}`, send: 'help\r' },
    { waitFor: 'Commands:' },
    { waitFor: PROMPT, send: '\x04' },
  ]);
  t.is(r.timeout, null, r.transcript);
  t.is(r.code, 0, r.transcript);
  t.false(/unknown command "analyze|half-typed: no such/.test(r.transcript), 'the cleared line never ran');
});

ptyTest('under a terminal: history persists across sessions, and Tab completes commands and paths', async (t) => {
  const history = join(dir, 'history');
  const env = cleanEnv({ LOGMEDIC_HISTORY: history });
  const first = await runPty(['-i'], [
    { waitFor: PROMPT, send: `sca\t` },
    { waitFor: 'scan ', send: `${dir}/app.l\t` },
    { waitFor: 'app.log', send: ' -e disk\r' },
    { waitFor: '1  disk' },
    { waitFor: PROMPT, send: 'exit\r' },
  ], { env });
  t.is(first.timeout, null, first.transcript);
  t.deepEqual(readFileSync(history, 'utf8').split('\n').filter(Boolean), [`scan ${dir}/app.log -e disk`, 'exit']);
  // Up twice: past `exit` to the scan, which runs again.
  const second = await runPty(['-i'], [
    { waitFor: PROMPT, send: '\x1b[A' },
    { waitFor: 'exit', send: '\x1b[A' },
    { waitFor: 'disk', send: '\r' },
    { waitFor: '1  disk' },
    { waitFor: PROMPT, send: 'exit\r' },
  ], { env });
  t.is(second.timeout, null, second.transcript);
  t.is(second.code, 0);
});

test('the shell is registered in --help and examples are shown', async (t) => {
  const r = await runCli(['--help'], { cwd: ROOT });
  t.is(r.code, 0);
  t.regex(r.stdout, /logmedic shell +the interactive shell/);
  t.regex(r.stdout, /-i, --interactive/);
  t.regex(r.stdout, /Examples:\n +logmedic --interactive/);
});
