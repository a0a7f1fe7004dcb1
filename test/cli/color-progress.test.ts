// Colour and progress rules: colour only on a TTY and never with NO_COLOR (FORCE_COLOR
// respected); progress only on a TTY stderr and never with --json. Checked on the functions
// and end to end, through pipes and under a real terminal.
import test from 'ava';
import { colorEnabled, palette, stripAnsi } from '../../src/cli/color.js';
import { createProgress, progressEnabled, renderProgressLine } from '../../src/cli/progress.js';
import { cleanEnv, hasPython, runCli, runPty } from './_run.js';

test('colorEnabled: TTY only, NO_COLOR always wins, FORCE_COLOR forces on or off', (t) => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  t.true(colorEnabled(tty, {}));
  t.false(colorEnabled(pipe, {}));
  t.false(colorEnabled(tty, { NO_COLOR: '1' }));
  t.false(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }));
  t.true(colorEnabled(tty, { NO_COLOR: '' }), 'an empty NO_COLOR does not count');
  t.true(colorEnabled(pipe, { FORCE_COLOR: '1' }));
  t.true(colorEnabled(pipe, { FORCE_COLOR: '' }));
  t.false(colorEnabled(tty, { FORCE_COLOR: '0' }));
  t.false(colorEnabled(tty, { FORCE_COLOR: 'false' }));
  t.false(colorEnabled(tty, { TERM: 'dumb' }));
  t.is(palette(tty, {}).red('x'), '\x1b[31mx\x1b[39m');
  t.is(palette(pipe, {}).red('x'), 'x');
  t.is(stripAnsi(palette(tty, {}).bold('a') + 'b'), 'ab');
});

test('progress: a job done before the delay (a tiny file) draws nothing at all, not even when complete', (t) => {
  let clock = 0;
  const tty = fakeStream(true);
  const p = createProgress('analyzing', { stream: tty, total: 3700, now: () => clock });
  clock = 40;
  p.update(3700); // complete within 40 ms
  p.done();
  t.deepEqual(tty.writes, []);
  const slow = createProgress('analyzing', { stream: tty, total: 10, now: () => clock, delayMs: 300 });
  clock = 400;
  slow.update(5);
  t.is(tty.writes.length, 1, 'after the delay the bar is drawn');
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 80, writes, write: (s: string) => writes.push(s) };
}

test('progress: drawn on a TTY with \\r and no escape sequence, erased at the end; nothing on a pipe or with --json', (t) => {
  let clock = 0;
  const tty = fakeStream(true);
  const p = createProgress('genlog', { stream: tty, total: 200e6, now: () => clock, intervalMs: 100 });
  t.true(p.active);
  clock = 1000;
  p.update(50e6);
  p.update(60e6); // within the interval: not drawn
  clock = 2000;
  p.update(100e6);
  p.update(200e6); // complete: always drawn
  p.done();
  t.is(tty.writes.length, 4);
  t.regex(tty.writes[0], /^\rgenlog \[#{8}-{22}\]  25% 50\.0 MB\/200\.0 MB  50 MB\/s$/);
  t.regex(tty.writes[2], /100% 200\.0 MB\/200\.0 MB/);
  t.regex(tty.writes[3], /^\r +\r$/);
  t.false(tty.writes.join('').includes('\x1b'));
  for (const [stream, json] of [[fakeStream(false), false], [fakeStream(true), true]] as const) {
    const q = createProgress('x', { stream, json, total: 10 });
    t.false(q.active);
    q.update(5);
    q.done();
    t.deepEqual(stream.writes, []);
  }
  t.false(progressEnabled({ isTTY: true }, false, { TERM: 'dumb' }));
});

test('progress line: fits the width, unknown totals show the amount only', (t) => {
  t.is(renderProgressLine('perf', 5e6, 0, 1000, 80), 'perf 5.0 MB  5 MB/s');
  t.is(renderProgressLine('n', 3, 10, 0, 80, 'count'), 'n [#########---------------------]  30% 3/10');
  t.true(renderProgressLine('a very long label '.repeat(10), 1, 2, 1, 40).length <= 40);
});

test('through pipes: no colour, no carriage return, no escape code in any output', async (t) => {
  for (const args of [['--help'], ['completion', 'bash'], ['nonsense-command'], ['scan', 'package.json', '-e', 'name']]) {
    const r = await runCli(args, { env: cleanEnv() });
    t.false(/[\x1b\r]/.test(r.stdout + r.stderr), `${args.join(' ')}: ${JSON.stringify(r.stdout + r.stderr).slice(0, 200)}`);
  }
  const shell = await runCli(['-i'], { input: 'help\nscan package.json -e name\n' });
  t.false(/[\x1b\r]/.test(shell.stdout + shell.stderr));
  // FORCE_COLOR turns colour on even through a pipe.
  const forced = await runCli(['-i'], { input: 'help\n', env: cleanEnv({ FORCE_COLOR: '1' }) });
  t.true(forced.stdout.includes('\x1b[1mCommands:\x1b[22m'));
});

(hasPython ? test : test.skip)('under a terminal: colour by default, none with NO_COLOR', async (t) => {
  const steps = [{ waitFor: 'logmedic> ', send: 'help\r' }, { waitFor: 'Ctrl-D or `exit` leaves' }, { waitFor: 'logmedic> ', send: 'exit\r' }];
  const colored = await runPty(['-i'], steps);
  t.is(colored.timeout, null, colored.transcript);
  t.true(colored.transcript.includes('\x1b[1mCommands:\x1b[22m'));
  const plain = await runPty(['-i'], steps, { env: cleanEnv({ NO_COLOR: '1' }) });
  t.is(plain.timeout, null, plain.transcript);
  t.false(/\x1b\[[0-9;]*m/.test(plain.transcript), 'no SGR (colour) sequence with NO_COLOR');
  t.regex(plain.transcript, /Commands:/);
});
