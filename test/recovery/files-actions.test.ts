// clean_cache, fix_permissions, clear_deadlocks on real files, real modes, real locks.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statfsSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { alive, config, diagnosis, record, tmpWorld, waitFor } from './helpers.js';
import { removeWhenDone } from '../_tmp.js';

const MB = 1024 * 1024;
const free = (dir: string) => {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
};

test('clean_cache deletes oldest files first until the free-space target, and no further', async (t) => {
  // A tmpfs when there is one, so other work on the machine does not move free space under us.
  const base = existsSync('/dev/shm') && statfsSync('/dev/shm').bavail > 0 ? removeWhenDone(realpathSync(mkdtempSync('/dev/shm/logmedic-cache-')), t) : tmpWorld(t);
  const cache = join(base, 'cache');
  mkdirSync(join(cache, 'thumbnails'), { recursive: true });
  const files = [0, 1, 2, 3, 4].map((i) => join(cache, i % 2 ? 'thumbnails' : '', `chunk-${i}.bin`));
  files.forEach((f, i) => {
    writeFileSync(f, Buffer.alloc(MB, i + 1));
    const when = new Date(Date.UTC(2025, 4, 17, 10, i));
    utimesSync(f, when, when);
  });
  // A symlink in the cache pointing out of it: neither it nor what it points to is touched.
  const precious = join(base, 'precious.bin');
  writeFileSync(precious, 'keep me');
  symlinkSync(precious, join(cache, 'aaa-link.bin'));
  const target = free(cache) + 3 * MB;
  const cfg = config({ cache: { dirs: [cache], minFreeBytes: target } }, base);
  const rec = record({ type: 'DiskSpace', message: `OSError: [Errno 28] No space left on device: '${join(cache, 'frame.bin')}'`, objects: { paths: [join(cache, 'frame.bin')] } });

  const plan = await planRecovery(diagnosis([rec]), cfg);
  t.falsy(plan.steps[0].skip);
  t.regex(plan.steps[0].change, /oldest first/);
  const r = await applyRecoveryActions(plan, { config: cfg });
  const after = r.steps[0].after as { free: number; bytesFreed: number; filesDeleted: number };
  const remaining = files.map((f) => existsSync(f));
  // Oldest first: what is deleted is a prefix of the age order.
  t.deepEqual(remaining, remaining.map((_, i) => i >= after.filesDeleted));
  t.true(after.filesDeleted >= 3);
  t.is(after.bytesFreed, after.filesDeleted * MB);
  if (r.steps[0].result === 'ok') {
    t.true(after.free >= target);
    t.true(after.filesDeleted <= 4, 'stops once the target is met');
  } else t.is(after.filesDeleted, 5); // only when something else filled the disk meanwhile
  t.is(readFileSync(precious, 'utf8'), 'keep me');
  t.true(existsSync(join(cache, 'aaa-link.bin')));
});

test('clean_cache with the target already met changes nothing', async (t) => {
  const base = tmpWorld(t);
  mkdirSync(join(base, 'cache'));
  writeFileSync(join(base, 'cache/a'), 'x');
  const cfg = config({ cache: { dirs: ['cache'], minFreeBytes: 1 } }, base);
  const r = await applyRecoveryActions(['clean_cache'], { config: cfg });
  t.is(r.steps[0].result, 'skipped');
  t.regex(r.steps[0].reason ?? '', /already meets the target/);
  t.true(existsSync(join(base, 'cache/a')));
});

function permWorld() {
  const root = tmpWorld();
  mkdirSync(join(root, 'data/videos'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  const cfg = config({ permissions: { roots: ['data/'], fileMode: '0644', dirMode: '0755' } }, root);
  return { root, cfg };
}
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const denied = (p: string) =>
  record({ type: 'PermissionDenied', message: `PermissionError: [Errno 13] Permission denied: '${p}'`, objects: { paths: [p] } });

test('fix_permissions applies the configured modes under a root and reports before/after', async (t) => {
  const { root, cfg } = permWorld();
  const file = join(root, 'data/videos/clip_0001.mp4');
  writeFileSync(file, 'video');
  chmodSync(file, 0o000);
  chmodSync(join(root, 'data/videos'), 0o700);
  const rel = record({ type: 'PermissionDenied', message: "Permission denied: 'data/videos'", objects: { paths: ['data/videos'] } });
  const r = await applyRecoveryActions(await planRecovery(diagnosis([denied(file), rel]), cfg), { config: cfg });
  t.deepEqual(r.steps.map((s) => s.result), ['ok', 'ok']);
  t.deepEqual(r.steps[0].before, { mode: '0000' });
  t.like(r.steps[0].after as object, { mode: '0644' });
  t.is(mode(file), '644');
  t.is(mode(join(root, 'data/videos')), '755');
});

test('fix_permissions refuses a path outside the roots, a symlink, and a path that leaves the root through a symlink', async (t) => {
  const { root, cfg } = permWorld();
  const outsideFile = join(root, 'outside/secret.key');
  writeFileSync(outsideFile, 'k');
  chmodSync(outsideFile, 0o600);
  symlinkSync(outsideFile, join(root, 'data/key-link'));
  symlinkSync(join(root, 'outside'), join(root, 'data/escape'));
  const cases = [outsideFile, join(root, 'data/key-link'), join(root, 'data/escape/secret.key'), '../outside/secret.key'];
  const plan = await planRecovery(diagnosis(cases.map(denied)), cfg);
  t.is(plan.steps.length, 1, 'all refused steps share the generic target');
  const reasons: string[] = [];
  for (const p of cases) {
    const one = await planRecovery(diagnosis([denied(p)]), cfg);
    reasons.push(one.steps[0].skip ?? 'NOT REFUSED');
  }
  t.regex(reasons[0], /outside permissions\.roots/);
  t.regex(reasons[1], /is a symlink/);
  t.regex(reasons[2], /leaves .* through a symlink/);
  t.regex(reasons[3], /outside permissions\.roots|exists under/);
  await applyRecoveryActions(plan, { config: cfg });
  t.is(mode(outsideFile), '600');
});

function lockWorld() {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  const cfg = config({ locks: { dirs: ['run/'], minAgeSeconds: 0 } }, root);
  return { root, cfg, run: join(root, 'run') };
}

test('clear_deadlocks removes stale locks (dead PID, unheld flock) and keeps live ones', async (t) => {
  const { cfg, run } = lockWorld();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(run, 'worker.pid'), `${dead}\n`);
  writeFileSync(join(run, 'scheduler.lock'), JSON.stringify({ pid: process.pid, host: 'gpu-node-1' }));
  writeFileSync(join(run, 'model-download.lock'), ''); // no PID, nobody holds it
  writeFileSync(join(run, 'index.lock'), ''); // no PID, held by flock(1) below
  writeFileSync(join(run, 'notes.txt'), '12345'); // not a lock name: never touched
  const hasFlock = spawnSync('flock', ['--version']).status === 0;
  const holder = hasFlock ? spawn('flock', [join(run, 'index.lock'), process.execPath, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }) : undefined;
  if (holder) {
    await waitFor(() => readFileSync('/proc/locks', 'utf8').includes(` ${holder.pid} `) || spawnSync('flock', ['-n', '-E', '75', join(run, 'index.lock'), 'true']).status === 75);
  }
  const rec = record({ type: 'Deadlock', message: 'Deadlock detected: thread pool exhausted waiting for lock', objects: {} });
  const r = await applyRecoveryActions(await planRecovery(diagnosis([rec]), cfg), { config: cfg });
  t.is(r.steps[0].action, 'clear_deadlocks');
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  const left = readdirSync(run).sort();
  t.false(left.includes('worker.pid'));
  t.false(left.includes('model-download.lock'));
  t.true(left.includes('scheduler.lock'), 'a lock whose PID lives stays');
  t.true(left.includes('notes.txt'));
  if (holder) {
    t.true(left.includes('index.lock'), 'a lock a process holds stays');
    holder.kill('SIGKILL');
  }
});

test('clear_deadlocks dumps the stack of a hung service process, then hands off to restart_service', async (t) => {
  const { root, run } = lockWorld();
  const hung = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
  writeFileSync(join(run, 'processor.pid'), String(hung.pid));
  const cfg = config(
    {
      services: { processor: { start: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], pidFile: 'run/processor.pid', loggers: ['visionai_processor'] } },
      locks: { dirs: ['run/'], minAgeSeconds: 0, dumpCommand: [process.execPath, '-e', 'console.log("Thread 0x7f (idle): MainThread for pid " + process.argv[1])', '{pid}'] },
      policy: { cooldownSeconds: 0 },
    },
    root,
  );
  const rec = record({ type: 'Deadlock', logger: 'visionai_processor', message: `Worker ${hung.pid} hung: no heartbeat for 300 s`, objects: { pids: [hung.pid!] } });
  const plan = await planRecovery(diagnosis([rec]), cfg);
  t.deepEqual(plan.steps.map((s) => s.action), ['clear_deadlocks', 'restart_service']);
  t.regex(plan.steps[0].change, new RegExp(`stack dump of PID ${hung.pid} \\(processor\\)`));
  const r = await applyRecoveryActions(plan, { config: cfg });
  t.deepEqual(r.steps.map((s) => s.result), ['ok', 'ok'], JSON.stringify(r.steps.map((s) => s.error)));
  const dumps = readdirSync(join(root, '.logmedic/dumps'));
  t.is(dumps.length, 1);
  t.regex(readFileSync(join(root, '.logmedic/dumps', dumps[0]), 'utf8'), new RegExp(`MainThread for pid ${hung.pid}`));
  t.true(await waitFor(() => !alive(hung.pid!)), 'the hung process was restarted away');
  const fresh = Number(readFileSync(join(run, 'processor.pid'), 'utf8'));
  t.not(fresh, hung.pid);
  process.kill(fresh, 'SIGKILL');
});
