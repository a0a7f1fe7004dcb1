// Containment under races: a swapper process exchanges a directory inside a root with a
// symlink to a directory outside it (renameat2 RENAME_EXCHANGE, in a loop) while clean_cache,
// fix_permissions and restore_backup run again and again; nothing outside may change. Also
// the hard-link case and a directory swapped for a symlink while the y/N prompt waits.
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { contextFor, planStep } from '../../src/recovery/plan.js';
import { RecoveryActions } from '../../src/recovery/registry.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

const SWAPPER = fileURLToPath(new URL('./swapper.py', import.meta.url));
const canRace = process.platform === 'linux' && spawnSync('python3', ['-c', 'import ctypes; ctypes.CDLL(None).renameat2'], { stdio: 'ignore' }).status === 0;
const race = canRace ? test.serial : test.skip;

interface Swapper {
  child: ChildProcess;
  /** Hold the swapper still while the test sets files up inside (never through the link). */
  paused<T>(fn: () => T): T;
  stop(): Promise<number>;
}

async function startSwapper(a: string, b: string): Promise<Swapper> {
  const child = spawn('python3', [SWAPPER, a, b], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`swapper exited ${code}`)));
  });
  return {
    child,
    paused(fn) {
      child.kill('SIGSTOP');
      // kill() returns before the swapper has really stopped: wait until its state says so.
      while (!/^\S+ \(.*\) T/.test(readFileSync(`/proc/${child.pid}/stat`, 'utf8')));
      try {
        return fn();
      } finally {
        child.kill('SIGCONT');
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      return Number(out.trim().split('\n').pop());
    },
  };
}

/** Whichever of `a`/`b` is the real directory now (the other is the symlink). */
const realDir = (a: string, b: string) => (lstatSync(a).isDirectory() ? a : b);
const mode = (p: string) => statSync(p).mode & 0o777;

/** root/{a: directory, b: symlink to outside}; outside holds the files that must not change. */
function swapWorld(rootName: string) {
  const base = tmpWorld('logmedic-race-');
  const root = join(base, rootName);
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(root, 'b'));
  return { base, root, outside, a: join(root, 'a'), b: join(root, 'b') };
}

race('clean_cache: a directory swapped for a symlink never leads a delete outside the cache', async (t) => {
  const w = swapWorld('cache');
  const names = Array.from({ length: 20 }, (_, i) => `chunk-${i}.bin`);
  for (const n of names) writeFileSync(join(w.outside, n), 'outside');
  // A target no filesystem meets: every run deletes all it can.
  const cfg = config({ cache: { dirs: ['cache'], minFreeBytes: 1e15 } }, w.base);
  const ctx = contextFor(cfg);
  const rec = record({ type: 'DiskSpace', objects: {} });
  const swapper = await startSwapper(w.a, w.b);
  let deleted = 0;
  try {
    for (let i = 0; i < 80; i++) {
      swapper.paused(() => names.forEach((n) => writeFileSync(join(realDir(w.a, w.b), n), 'inside')));
      const { step } = await planStep('clean_cache', rec, ctx);
      if (step.skip) continue;
      const r = await RecoveryActions.clean_cache.execute(step, ctx);
      deleted += (r.after as { filesDeleted: number }).filesDeleted;
      const lost = names.filter((n) => !existsSync(join(w.outside, n)) || readFileSync(join(w.outside, n), 'utf8') !== 'outside');
      t.deepEqual(lost, [], `iteration ${i}: files outside the cache changed`);
    }
  } finally {
    t.true((await swapper.stop()) > 1000, 'the swapper raced');
  }
  t.deepEqual(readdirSync(w.outside).sort(), [...names].sort());
  t.true(deleted > 0, 'clean_cache did delete inside the cache meanwhile');
});

race('fix_permissions: a directory swapped for a symlink never leads a chmod outside the root', async (t) => {
  const w = swapWorld('data');
  writeFileSync(join(w.outside, 'secret.txt'), 'secret');
  chmodSync(join(w.outside, 'secret.txt'), 0o600);
  const cfg = config({ permissions: { roots: ['data'], fileMode: '0644', dirMode: '0755' } }, w.base);
  const ctx = contextFor(cfg);
  writeFileSync(join(w.a, 'secret.txt'), 'inside');
  const swapper = await startSwapper(w.a, w.b);
  let changed = 0;
  try {
    for (let i = 0; i < 300; i++) {
      swapper.paused(() => chmodSync(join(realDir(w.a, w.b), 'secret.txt'), 0o600));
      const p = join(w.root, i % 2 ? 'a' : 'b', 'secret.txt');
      // Planned as the swapper allows; executed against what is there at the moment of acting.
      const step = { action: 'fix_permissions', target: `path:${p}`, change: 'chmod', trigger: { file: '', line: 0, type: 'PermissionDenied' }, records: 1, detail: { path: p } };
      const r = await RecoveryActions.fix_permissions.execute(step, ctx);
      if (r.result === 'ok') changed++;
      t.is(mode(join(w.outside, 'secret.txt')), 0o600, `iteration ${i}: the outside file was chmodded`);
    }
  } finally {
    t.true((await swapper.stop()) > 1000, 'the swapper raced');
  }
  t.true(changed > 0, 'fix_permissions did change the inside file meanwhile');
});

race('restore_backup: a directory swapped for a symlink never leads a replacement outside backups.files', async (t) => {
  const w = swapWorld('models');
  mkdirSync(join(w.base, 'backups'));
  writeFileSync(join(w.base, 'backups', 'config.json'), '{"good": true}\n');
  writeFileSync(join(w.outside, 'config.json'), 'outside');
  const cfg = config({ backups: { dir: 'backups', files: ['models'] } }, w.base);
  const ctx = contextFor(cfg);
  writeFileSync(join(w.a, 'config.json'), '{"corrupt');
  const swapper = await startSwapper(w.a, w.b);
  let restored = 0;
  try {
    for (let i = 0; i < 150; i++) {
      swapper.paused(() => {
        const dir = realDir(w.a, w.b);
        for (const f of readdirSync(dir)) if (f !== 'config.json') renameSync(join(dir, f), join(w.base, `kept-${i}-${f}`));
        writeFileSync(join(dir, 'config.json'), '{"corrupt');
      });
      const file = join(w.root, i % 2 ? 'a' : 'b', 'config.json');
      const step = { action: 'restore_backup', target: `file:${file}`, change: 'restore', trigger: { file: '', line: 0, type: 'CorruptFile' }, records: 1, detail: { file, backup: join(w.base, 'backups', 'config.json') } };
      const r = await RecoveryActions.restore_backup.execute(step, ctx);
      if (r.result === 'ok') restored++;
      t.deepEqual(readdirSync(w.outside), ['config.json'], `iteration ${i}: a file appeared outside`);
      t.is(readFileSync(join(w.outside, 'config.json'), 'utf8'), 'outside', `iteration ${i}: the outside file was replaced`);
    }
  } finally {
    t.true((await swapper.stop()) > 1000, 'the swapper raced');
  }
  t.true(restored > 0, 'restore_backup did restore inside meanwhile');
});

test('a file hard-linked to one outside the root is refused for chmod, delete and replace', async (t) => {
  const base = tmpWorld(t);
  mkdirSync(join(base, 'data'));
  mkdirSync(join(base, 'outside'));
  const secret = join(base, 'outside', 'secret.json');
  writeFileSync(secret, '"secret"');
  chmodSync(secret, 0o600);
  linkSync(secret, join(base, 'data', 'hl.json'));
  const cfg = config({ permissions: { roots: ['data'], fileMode: '0644' }, cache: { dirs: ['data'], minFreeBytes: 1e15 }, backups: { dir: 'backups', files: ['data'] } }, base);
  const denied = record({ type: 'PermissionDenied', message: `Permission denied: '${join(base, 'data', 'hl.json')}'`, objects: { paths: [join(base, 'data', 'hl.json')] } });
  const plan = await planRecovery(diagnosis([denied]), cfg);
  t.regex(plan.steps[0].skip ?? '', /hard links/);
  // Linked after the plan: refused at the moment of acting.
  const ctx = contextFor(cfg);
  const path = join(base, 'data', 'hl.json');
  const chmod = await RecoveryActions.fix_permissions.execute({ action: 'fix_permissions', target: `path:${path}`, change: '', trigger: { file: '', line: 0, type: '' }, records: 1, detail: { path } }, ctx);
  t.is(chmod.result, 'skipped');
  t.regex(chmod.error ?? '', /hard links/);
  const clean = await applyRecoveryActions(['clean_cache'], { config: cfg, stateDir: join(base, 'state') });
  t.is((clean.steps[0].after as { filesDeleted?: number } | undefined)?.filesDeleted ?? 0, 0);
  mkdirSync(join(base, 'backups'));
  writeFileSync(join(base, 'backups', 'hl.json'), '{}');
  const replace = await RecoveryActions.restore_backup.execute({ action: 'restore_backup', target: `file:${path}`, change: '', trigger: { file: '', line: 0, type: '' }, records: 1, detail: { file: path, backup: join(base, 'backups', 'hl.json') } }, ctx);
  t.is(replace.result, 'skipped');
  t.regex(replace.error ?? '', /hard links/);
  t.is(mode(secret), 0o600);
  t.is(readFileSync(secret, 'utf8'), '"secret"');
  t.is(statSync(secret).nlink, 2, 'neither link was removed');
});

test('restore_backup re-checks after the y/N prompt: models/sub swapped for a symlink while it waited', async (t) => {
  const base = tmpWorld(t);
  mkdirSync(join(base, 'models', 'sub'), { recursive: true });
  mkdirSync(join(base, 'backups'));
  mkdirSync(join(base, 'outside'));
  const live = join(base, 'models', 'sub', 'config.json');
  writeFileSync(live, '{"corrupt');
  writeFileSync(join(base, 'backups', 'config.json'), '{"good": true}\n');
  writeFileSync(join(base, 'outside', 'config.json'), 'outside');
  const cfg = config({ backups: { dir: 'backups', files: ['models'] } }, base);
  const rec = record({ type: 'ModelCorruption', message: `Model file corrupt: ${live} checksum mismatch`, objects: { paths: [live] } });
  const plan = await planRecovery(diagnosis([rec]), cfg);
  t.falsy(plan.steps[0].skip, plan.steps[0].skip);
  const r = await applyRecoveryActions(plan, {
    config: cfg,
    stateDir: join(base, 'state'),
    confirm: () => {
      renameSync(join(base, 'models', 'sub'), join(base, 'models', 'sub-real'));
      symlinkSync(join(base, 'outside'), join(base, 'models', 'sub'));
      return true;
    },
  });
  t.is(r.steps[0].result, 'skipped');
  t.regex(r.steps[0].error ?? r.steps[0].reason ?? '', /symlink/);
  t.is(readFileSync(join(base, 'outside', 'config.json'), 'utf8'), 'outside');
  t.deepEqual(readdirSync(join(base, 'outside')), ['config.json']);
});
