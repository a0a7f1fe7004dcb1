// Policy: cooldown, circuit breaker (open, escalate, close by reset or after the window),
// hourly cap, one run at a time; and a log line crafted to inject a command doing nothing.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, cooldownEnd, planRecovery, readJournal, readState, resetCircuits, RunLockBusy, acquireRunLock } from '../../src/recovery/index.js';
import { writeState } from '../../src/recovery/policy.js';
import { config, diagnosis, record, sleeper, tmpWorld } from './helpers.js';

const timeout = record({ type: 'Timeout', message: 'TimeoutError: inference request exceeded 30 s', objects: {} });

/** A user action that fails (exit 3) or succeeds, mapped to Timeout. */
function world(exitCode: number, policy: Record<string, unknown> = {}) {
  const root = tmpWorld();
  const cfg = config(
    {
      actions: {
        probe: { command: [process.execPath, '-e', `process.exit(${exitCode})`], timeoutSeconds: 30 },
        notify: { command: [process.execPath, '-e', 'process.exit(0)'] },
      },
      actionMap: { Timeout: ['probe'] },
      policy: { cooldownSeconds: 0, circuit: { maxAttempts: 3, windowSeconds: 600 }, maxActionsPerHour: 100, ...policy },
    },
    root,
  );
  return { root, cfg, state: join(root, '.logmedic') };
}

const at = (iso: string) => () => new Date(iso);

test('the circuit opens after maxAttempts in the window, escalates with exit 4, and closes after the window', async (t) => {
  const { cfg, state } = world(3);
  const d = diagnosis([timeout]);
  const results: string[] = [];
  for (const [i, time] of ['10:00:00', '10:01:00', '10:02:00', '10:03:00', '10:09:59'].entries()) {
    const r = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at(`2025-05-17T${time}Z`) });
    results.push(`${i}:${r.steps[0].result}:${r.steps[0].policy ?? ''}:${r.exitCode}`);
  }
  t.deepEqual(results, ['0:failed::1', '1:failed::1', '2:failed::1', '3:skipped:circuit-open:4', '4:skipped:circuit-open:4']);
  t.truthy(readState(state).circuits['probe command:probe']);
  // The window (600 s from opening at 10:03) has passed: closed, and the old attempts no longer count.
  const later = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:13:01Z') });
  t.is(later.steps[0].result, 'failed');
  t.is(later.exitCode, 1);
  const journal = readJournal(state);
  t.is(journal.length, 6);
  t.like(journal[3], { action: 'probe', result: 'skipped', policy: 'circuit-open' });
  t.regex(journal[3].reason ?? '', /a person must look/);
});

test('reset closes a circuit at once', async (t) => {
  const { cfg, state } = world(3, { circuit: { maxAttempts: 1, windowSeconds: 3600 } });
  const d = diagnosis([timeout]);
  await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:00:00Z') });
  const open = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:00:30Z') });
  t.is(open.exitCode, 4);
  const s = readState(state);
  t.deepEqual(resetCircuits(s, new Date('2025-05-17T10:01:00Z'), { action: 'probe' }), ['probe command:probe']);
  writeState(state, s, cfg, new Date('2025-05-17T10:01:00Z'));
  const again = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:01:30Z') });
  t.is(again.steps[0].result, 'failed', 'tried again after the reset');
});

test('cooldown per action and target, and the hourly cap across actions', async (t) => {
  const { cfg } = world(0, { cooldownSeconds: 300, maxActionsPerHour: 2 });
  const d = diagnosis([timeout]);
  const one = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:00:00Z') });
  t.is(one.steps[0].result, 'ok');
  const two = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:04:00Z') });
  t.is(two.steps[0].policy, 'cooldown');
  t.regex(two.steps[0].reason ?? '', /again in 60 s/);
  t.is(two.exitCode, 0);
  const three = await applyRecoveryActions(['notify'], { config: cfg, now: at('2025-05-17T10:05:00Z') });
  t.is(three.steps[0].result, 'ok');
  const four = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:06:00Z') });
  t.is(four.steps[0].policy, 'hourly-cap');
});

test('cooldownEnd: when the last counted attempt\'s cooldown ends; none after it, none after a reset', async (t) => {
  const { cfg, state } = world(3, { cooldownSeconds: 300 });
  const d = diagnosis([timeout]);
  const one = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg, now: at('2025-05-17T10:00:00Z') });
  t.is(one.steps[0].result, 'failed');
  const target = one.steps[0].target;
  t.deepEqual(cooldownEnd(readState(state), cfg, 'probe', target, new Date('2025-05-17T10:01:00Z')), new Date('2025-05-17T10:05:00Z'));
  t.is(cooldownEnd(readState(state), cfg, 'probe', target, new Date('2025-05-17T10:05:00Z')), undefined, 'over when it ends');
  t.is(cooldownEnd(readState(state), cfg, 'notify', target, new Date('2025-05-17T10:01:00Z')), undefined, 'per action');
  const s = readState(state);
  resetCircuits(s, new Date('2025-05-17T10:02:00Z'), { action: 'probe' });
  t.is(cooldownEnd(s, cfg, 'probe', target, new Date('2025-05-17T10:03:00Z')), undefined, 'a reset forgets the attempt');
});

test('one run at a time: a live holder makes the run refuse, a dead one is taken over', async (t) => {
  const { cfg, state } = world(0);
  mkdirSync(state, { recursive: true });
  const holder = sleeper();
  writeFileSync(join(state, 'run.lock'), `${holder.pid}\n`);
  await t.throwsAsync(applyRecoveryActions(['probe'], { config: cfg, record: timeout }), { instanceOf: RunLockBusy, message: new RegExp(`PID ${holder.pid}`) });
  t.false(existsSync(join(state, 'journal.jsonl')), 'nothing ran');
  holder.kill('SIGKILL');
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
  writeFileSync(join(state, 'run.lock'), `${dead}\n`);
  const r = await applyRecoveryActions(['probe'], { config: cfg, record: timeout });
  t.is(r.steps[0].result, 'ok');
  t.false(existsSync(join(state, 'run.lock')), 'released after the run');
  const release = acquireRunLock(state);
  t.throws(() => acquireRunLock(state), { instanceOf: RunLockBusy });
  release();
});

test('a log line crafted to inject shell commands does nothing', async (t) => {
  const root = tmpWorld(t);
  const pwned = join(root, 'pwned');
  const got = join(root, 'message-seen');
  for (const d of ['data', 'cache', 'backups', 'run', 'models']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'q.yaml'), 'quantization: Q4_K_M\n');
  const evil = [`; touch ${pwned}`, `$(touch ${pwned})`, `\`touch ${pwned}\``, `| touch ${pwned}`, `data/x; touch ${pwned}`, `'; touch ${pwned}; '`];
  const rec = record({
    type: 'ProcessCrash',
    logger: `$(touch ${pwned})`,
    message: `Worker crashed: ${evil.join(' ')}`,
    objects: { paths: evil, services: evil, pids: [], hosts: [`$(touch ${pwned})`], ports: [], devices: [`; touch ${pwned}`] },
  });
  const cfg = config(
    {
      services: {
        a: { start: ['sh', '-c', `echo started >> ${join(root, 'a-started')}`], pidFile: 'run/a.pid', loggers: ['a'] },
        b: { start: ['sh', '-c', `echo started >> ${join(root, 'b-started')}`], pidFile: 'run/b.pid', loggers: ['b'] },
      },
      cache: { dirs: ['cache'], minFreeBytes: 1 },
      backups: { dir: 'backups', files: ['models'] },
      permissions: { roots: ['data'], fileMode: '0644' },
      locks: { dirs: ['run'], minAgeSeconds: 0 },
      quantization: { file: 'q.yaml', key: 'quantization', ladder: ['Q4_K_M', 'Q3_K_M'] },
      actions: { notify: { command: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(got)}, process.env.LOGMEDIC_MESSAGE + '\\n' + process.env.LOGMEDIC_PATH)`] } },
      actionMap: { ProcessCrash: ['reduce_quant', 'clean_cache', 'restore_backup', 'restart_service', 'free_gpu_memory', 'clear_deadlocks', 'fix_permissions', 'notify'] },
      policy: { cooldownSeconds: 0 },
    },
    root,
  );
  const r = await applyRecoveryActions(await planRecovery(diagnosis([rec]), cfg), { config: cfg });
  t.false(existsSync(pwned), 'no injected command ran');
  t.false(existsSync(join(root, 'a-started')) || existsSync(join(root, 'b-started')), 'no service matched by log text');
  const step = (a: string) => r.steps.find((s) => s.action === a)!;
  t.is(step('restart_service').result, 'skipped');
  t.is(step('restore_backup').result, 'skipped');
  t.is(step('fix_permissions').result, 'skipped');
  t.is(step('notify').result, 'ok');
  t.is(readFileSync(got, 'utf8'), `${rec.message}\n${evil[0]}`, 'the user command got the text as data, verbatim');
});
