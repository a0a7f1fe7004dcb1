// Helpers for CLI tests: run the real `logmedic` executable (from source, through tsx) as a
// child process, through a pipe or under a pseudo-terminal.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
// tsx by its absolute URL, so that the child may run in any working directory.
export const NODE_ARGS = ['--import', import.meta.resolve('tsx'), MAIN];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no colour forcing inherited from the test runner. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return { ...env, LOGMEDIC_HISTORY: '', ...extra };
}

/** Run logmedic with `args`, stdin from `input`, all through pipes. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

/**
 * Drive logmedic under a pseudo-terminal (python3's pty module). `steps`: wait for a regex
 * in the output (after the previous match), then send bytes. Resolves with the whole
 * transcript, the exit code, and `timeout` naming the wait that never matched (the child is
 * then killed), so a hang fails the test instead of hanging it. A step with `fifo` starts
 * feeding that FIFO with log lines, endlessly, and waits until the child has opened it.
 */
export function runPty(
  args: string[],
  steps: { waitFor: string; send?: string; timeoutS?: number; fifo?: string }[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ timeout: string | null; transcript: string; code: number | null }> {
  const driver = `
import os, pty, re, select, sys, json, time, signal, threading
steps = json.loads(sys.argv[1])
argv = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
buf = b''
eof = False
def pump(timeout):
    global buf, eof
    if eof:
        time.sleep(timeout)
        return
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            eof = True
        buf += data
def finish(result):
    result['transcript'] = buf.decode('utf-8', 'replace')
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    sys.exit(0)
pos = 0
for step in steps:
    rx = re.compile(step['waitFor'].encode())
    deadline = time.time() + step.get('timeoutS', 30)
    while True:
        m = rx.search(buf, pos)
        if m:
            pos = m.end()
            break
        if time.time() > deadline or eof:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            finish({'timeout': step['waitFor'], 'code': None})
        pump(0.05)
    if step.get('fifo'):
        # Feed a FIFO without end from a thread; wait until the child has opened it.
        opened = threading.Event()
        def feed(path):
            try:
                with open(path, 'wb', buffering=0) as w:
                    opened.set()
                    line = b'2025-05-17 10:05:00 ERROR worker: still going\\n' * 1024
                    while True:
                        w.write(line)
            except OSError:
                pass
        threading.Thread(target=feed, args=(step['fifo'],), daemon=True).start()
        if not opened.wait(30):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            finish({'timeout': 'fifo ' + step['fifo'], 'code': None})
    if step.get('send') is not None:
        os.write(fd, step['send'].encode())
code = None
deadline = time.time() + 30
while time.time() < deadline:
    pump(0.05)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
        break
if code is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
for _ in range(40):
    if eof:
        break
    pump(0.05)
finish({'timeout': None, 'code': code})
`;
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, ...NODE_ARGS, ...args];
    const child = spawn('python3', ['-c', driver, JSON.stringify(steps), JSON.stringify(argv)], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? cleanEnv(),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        const result = JSON.parse(out);
        resolve({ timeout: result.timeout, transcript: result.transcript, code: result.code });
      } catch {
        reject(new Error(`pty driver failed (${status}): ${err}${out}`));
      }
    });
  });
}
