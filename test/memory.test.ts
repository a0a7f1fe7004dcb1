// Peak memory of `logmedic analyze` on a 50 MB log of one line, measured in a real child
// process: its peak resident set (VmHWM in /proc/self/status, mapped file pages included)
// read as it exits, against the same measure of a 4 KB log. What the bound catches is a
// copy of the whole line too many.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cleanEnv, NODE_ARGS, ROOT } from './cli/_run.js';
import { tempDir } from './_tmp.js';

const LINUX = process.platform === 'linux';
const MiB = 1 << 20;
const LINE_BYTES = 50_000_000;
/**
 * What a 50 MB line may add to the peak of analyzing a small log: the line once (mapped or
 * read) and room for one more copy of it. The target, whole process with the built CLI, is
 * under 200 MB; through tsx the start-up alone takes more, hence a bound on the growth.
 */
const GROWTH_BOUND = 2.5 * LINE_BYTES;

const dir = tempDir('logmedic-memory-');

function oneLineLog(name: string, head: string, fill: string | Buffer = 'x', tail = ''): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat([Buffer.from(head), Buffer.alloc(LINE_BYTES, fill), Buffer.from(tail + '\n')]));
  return file;
}

/** Writes the process's peak RSS in bytes to stderr as its last line, as it exits. */
const PEAK_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { readFileSync } from 'node:fs';" +
      "process.on('exit', () => { const kb = /VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]; process.stderr.write('\\npeak ' + kb * 1024 + '\\n'); });",
  );

function peakOf(args: string[]): Promise<{ code: number | null; peak: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PEAK_HOOK, ...NODE_ARGS, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /^peak (\d+)$/m.exec(stderr);
      if (!m) return reject(new Error(`no peak reported (exit ${code}): ${stderr}`));
      resolve({ code, peak: Number(m[1]), stderr });
    });
  });
}

let baseline: number | undefined;
/**
 * The peak of analyzing a 4 KB log the same way: the start-up, the catalog, the runtime. The
 * lowest of three runs: a start-up's peak varies by a few MiB from run to run (when the
 * garbage collector runs), and the leanest one is what the line adds to.
 */
async function baselinePeak(): Promise<number> {
  if (baseline === undefined) {
    const small = join(dir, 'small.log');
    writeFileSync(small, '2025-05-17 10:05:00,066 - worker - INFO - payload ok\n'.repeat(80));
    const peaks: number[] = [];
    for (let i = 0; i < 3; i++) peaks.push((await peakOf(['analyze', small, '--json'])).peak);
    baseline = Math.min(...peaks);
  }
  return baseline;
}

const quiet = LINUX ? oneLineLog('quiet.log', '2025-05-17 10:05:00,066 - worker - INFO - payload ') : '';

for (const mmap of [true, false]) {
  const flags = mmap ? [] : ['--no-mmap'];
  (LINUX ? test.serial : test.skip)(`a 50 MB line with no failure costs at most 2.5 times its size (${mmap ? 'mapped' : '--no-mmap'})`, async (t) => {
    const r = await peakOf(['analyze', quiet, '--json', ...flags]);
    t.is(r.code, 0, r.stderr);
    const growth = r.peak - (await baselinePeak());
    t.log(`peak ${(r.peak / MiB).toFixed(0)} MiB, ${(growth / MiB).toFixed(0)} MiB over a 4 KB log`);
    // The line itself is resident at some point (mapped pages or the read buffer): the
    // measurement sees it (less what start-up peaks still vary by).
    t.true(growth > 0.8 * LINE_BYTES, `grew ${growth}`);
    t.true(growth < GROWTH_BOUND, `grew ${(growth / MiB).toFixed(0)} MiB`);
  });
}

// A failure on the line: its record and its message are kept, cut to the core's caps, never
// the whole line again.
// One long word, then 17 million short ones: the record's fields (objects, message, shape)
// are read from the line without a list of its words.
for (const [words, fill] of [['one word', 'x'], ['short words', 'ok ']] as const) {
  (LINUX ? test.serial : test.skip)(`a 50 MB line holding a failure costs at most 2.5 times its size (${words})`, async (t) => {
    const file = oneLineLog(`failing-${fill.trim()}.log`, '2025-05-17 10:05:00,066 - worker - ERROR - CUDA out of memory. Tried to allocate ', fill);
    const r = await peakOf(['analyze', file, '--json']);
    t.is(r.code, 1, r.stderr);
    const growth = r.peak - (await baselinePeak());
    t.log(`peak ${(r.peak / MiB).toFixed(0)} MiB, ${(growth / MiB).toFixed(0)} MiB over a 4 KB log`);
    t.true(growth < GROWTH_BOUND, `grew ${(growth / MiB).toFixed(0)} MiB`);
  });
}

// An error line that no pattern knows is mined for the Unrecognised section: its 17 million
// words are one template whose tail is a variable, read in the time of a short line.
(LINUX ? test.serial : test.skip)('a 50 MB error line of short words that no pattern knows costs at most 2.5 times its size', async (t) => {
  const file = oneLineLog('unknown-error.log', '2025-05-17 10:05:00,066 - worker - ERROR - widget frobnication stalled ', 'ok ');
  const r = await peakOf(['analyze', file, '--json']);
  t.is(r.code, 0, r.stderr);
  const growth = r.peak - (await baselinePeak());
  t.log(`peak ${(r.peak / MiB).toFixed(0)} MiB, ${(growth / MiB).toFixed(0)} MiB over a 4 KB log`);
  t.true(growth < GROWTH_BOUND, `grew ${(growth / MiB).toFixed(0)} MiB`);
});

// Lines that a reader could copy several times over: a JSON line whose traceback has 1.4
// million escaped frames (unescaped twice with every frame kept: 1.3 GB analyzed); a line of
// invalid UTF-8 read whole as text, each bad byte three bytes of U+FFFD (283 MB analyzed,
// 740 MB mined); one 50 MB token spelled out in a template's key (310 MB mined). Each is read
// within the bound, and its failure still found.
const HOSTILE = [
  {
    name: 'a JSON traceback of escaped frames',
    commands: ['analyze'],
    file: () => oneLineLog('escaped-frames.log', '{"level":"error","msg":"step failed","exc_info":"Traceback (most recent call last):', '\\n  File \\"/app/a.py\\", line 1, in f', '\\nRuntimeError: CUDA out of memory"}'),
  },
  {
    name: 'invalid UTF-8',
    commands: ['analyze', 'templates'],
    file: () => oneLineLog('invalid-utf8.log', '2025-05-17 10:05:00,066 - worker - ERROR - CUDA out of memory ', Buffer.from([0x61, 0xff, 0xfe, 0xc3])),
  },
  {
    name: 'one token',
    commands: ['templates'],
    file: () => oneLineLog('one-token.log', '2025-05-17 10:05:00,066 - worker - ERROR - payload '),
  },
];
for (const { name, commands, file } of HOSTILE) {
  for (const command of commands) {
    (LINUX ? test.serial : test.skip)(`${command} of a 50 MB line of ${name} costs at most 2.5 times its size`, async (t) => {
      const r = await peakOf([command, file(), ...(command === 'analyze' ? ['--json'] : [])]);
      t.is(r.code, command === 'analyze' ? 1 : 0, r.stderr);
      const growth = r.peak - (await baselinePeak());
      t.log(`peak ${(r.peak / MiB).toFixed(0)} MiB, ${(growth / MiB).toFixed(0)} MiB over a 4 KB log`);
      t.true(growth < GROWTH_BOUND, `grew ${(growth / MiB).toFixed(0)} MiB`);
    });
  }
}
