// clear_deadlocks against real lock holders: a lock held by flock(1) or by a POSIX (fcntl)
// lock in another process is never removed, whatever the file says; a number in the text is
// not a PID; a live PID that started after the lock was written is a reused PID.
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { config, diagnosis, record, tmpWorld, waitFor } from './helpers.js';

const linux = process.platform === 'linux';
const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import fcntl'], { stdio: 'ignore' }).status === 0;

function lockWorld() {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  return { root, run: join(root, 'run'), cfg: config({ locks: { dirs: ['run/'], minAgeSeconds: 0 } }, root) };
}

const deadlock = record({ type: 'Deadlock', message: 'Deadlock detected: thread pool exhausted waiting for lock', objects: {} });

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Start `argv` and wait until /proc/locks lists a lock owned by it. */
async function holder(t: { teardown: (fn: () => void) => void }, argv: string[]): Promise<ChildProcess> {
  // Its own process group: flock(1) runs its command as a child that shares the locked file.
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore', detached: true });
  t.teardown(() => killGroup(child));
  const listed = () => readFileSync('/proc/locks', 'utf8').split('\n').some((l) => l.split(/\s+/).includes(String(child.pid)));
  if (!(await waitFor(listed, 20_000))) throw new Error('the holder never took its lock');
  return child;
}

(linux && hasFlock ? test : test.skip)('a lock held under flock is kept, whatever it contains; once released it is stale', async (t) => {
  const { run, cfg } = lockWorld();
  const lock = join(run, 'app.lock');
  writeFileSync(lock, 'locked at 1700000000\n');
  const h = await holder(t, ['flock', lock, 'sleep', '60']);
  const first = await applyRecoveryActions(await planRecovery(diagnosis([deadlock]), cfg), { config: cfg });
  t.is(first.steps[0].result, 'skipped');
  t.regex(first.steps[0].reason ?? '', /no stale lock/);
  t.true(existsSync(lock), 'a held lock is never removed');
  killGroup(h);
  await waitFor(() => !readFileSync('/proc/locks', 'utf8').includes(`:${statSync(lock).ino} `));
  const plan = await planRecovery(diagnosis([deadlock]), cfg);
  t.regex(plan.steps[0].change, /app\.lock \(no process holds a lock on it and it names no PID/);
  const second = await applyRecoveryActions(plan, { config: cfg });
  t.is(second.steps[0].result, 'ok', second.steps[0].error);
  t.false(existsSync(lock));
});

(linux && hasPython ? test : test.skip)('a lock held by a POSIX (fcntl) lock in another process is kept, even naming a dead PID', async (t) => {
  const { run, cfg } = lockWorld();
  const lock = join(run, 'db.lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(lock, `${dead}\n`);
  await holder(t, ['python3', '-c', `import fcntl, time\nf = open(${JSON.stringify(lock)}, 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\ntime.sleep(60)`]);
  const r = await applyRecoveryActions(await planRecovery(diagnosis([deadlock]), cfg), { config: cfg });
  t.is(r.steps[0].result, 'skipped');
  t.regex(JSON.stringify(r.steps[0].detail), /a process holds a (POSIX|FLOCK|OFDLCK)/);
  t.true(existsSync(lock));
});

(linux ? test : test.skip)('a live PID that started after the lock was written is a reused PID: the lock is stale', async (t) => {
  const { run, cfg } = lockWorld();
  const reused = join(run, 'worker.pid');
  writeFileSync(reused, `${process.pid}\n`);
  const longAgo = new Date('2001-01-01T00:00:00Z');
  utimesSync(reused, longAgo, longAgo);
  const current = join(run, 'current.pid');
  writeFileSync(current, `${process.pid}\n`);
  const plan = await planRecovery(diagnosis([deadlock]), cfg);
  t.regex(plan.steps[0].change, /worker\.pid \(PID \d+ belongs to a process started after the lock was written/);
  const r = await applyRecoveryActions(plan, { config: cfg });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  t.false(existsSync(reused));
  t.true(existsSync(current), 'the PID that wrote it is alive: kept');
});
