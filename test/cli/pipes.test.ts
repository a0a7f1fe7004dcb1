// A reader that closes the pipe early (`logmedic … | head -1`) ends logmedic quietly with
// status 0, as with ripgrep: no EPIPE stack trace, in every command. Each case runs the real
// executable in a real shell pipeline and reads its status from bash's PIPESTATUS.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ARGS, ROOT, cleanEnv } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-pipes-');
// Enough failure records that every command writes far more than a pipe buffer holds.
const bigLog = join(dir, 'big.log');
writeFileSync(bigLog, readFileSync(join(ROOT, 'test/fixtures/analyze/all-types.log'), 'utf8').repeat(300));

interface Piped {
  status: number | null;
  stderr: string;
  timedOut: boolean;
}

/** Run `logmedic ARGS | READER` in bash; the status is logmedic's own (PIPESTATUS[0]). */
function piped(args: string[], reader: string, timeoutMs = 100_000): Promise<Piped> {
  const script = `"$0" "$@" | ${reader} >/dev/null; echo "status=\${PIPESTATUS[0]}" >&3`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, process.execPath, ...NODE_ARGS, ...args], {
      cwd: dir,
      env: cleanEnv({ LOGMEDIC_STATE_DIR: join(dir, 'state') }),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let fd3 = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdio[3]!.on('data', (d) => (fd3 += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const m = /status=(\d+)/.exec(fd3);
      resolve({ status: m ? Number(m[1]) : null, stderr, timedOut: !m });
    });
  });
}

const cases: { name: string; args: string[]; reader: string }[] = [
  { name: 'analyze --json | head -1', args: ['analyze', bigLog, '--json'], reader: 'head -1' },
  { name: 'analyze -v | head', args: ['analyze', bigLog, '-v'], reader: 'head' },
  { name: 'analyze -v | true (closed before the first write)', args: ['analyze', bigLog, '-v'], reader: 'true' },
  { name: 'scan --max-hits 1000 | head', args: ['scan', bigLog, '-e', 'Error', '--max-hits', '1000'], reader: 'head' },
  { name: 'recover --dry-run | head -4', args: ['recover', bigLog, '--dry-run'], reader: 'head -4' },
  { name: 'recover --dry-run --json | true', args: ['recover', bigLog, '--dry-run', '--json'], reader: 'true' },
  { name: 'genlog --json | true', args: ['genlog', '--size', '0.2', '--output', join(dir, 'gen.log'), '--json', '--force'], reader: 'true' },
  { name: 'history | true', args: ['history'], reader: 'true' },
  { name: 'test | head -1', args: ['test', bigLog], reader: 'head -1' },
  { name: 'help | true', args: ['--help'], reader: 'true' },
];

for (const c of cases) {
  test(`${c.name}: ends quietly with status 0`, async (t) => {
    const r = await piped(c.args, c.reader);
    t.false(r.timedOut);
    t.is(r.stderr, '', r.stderr);
    t.is(r.status, 0);
  });
}

test('watch | true: a follower whose reader is gone saves its checkpoint and ends instead of running on', async (t) => {
  const r = await piped(['watch', bigLog, '--from-start', '--state-dir', join(dir, 'watch-state')], 'true', 100_000);
  t.false(r.timedOut, 'watch kept running after its output pipe closed');
  t.notRegex(r.stderr, /EPIPE|Error:|\n\s+at /);
  t.is(r.status, 0);
  t.regex(r.stderr, /stopping \(output closed\)/);
});
