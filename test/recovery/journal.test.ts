// The write-ahead journal against a real crash: `recover --yes` killed with SIGKILL while it
// restarts a real service (slow to stop), then the next runs: the attempt is on disk, it is
// reported and verified (the service is down), it counts, and the breaker opens.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyRecoveryActions, readJournal, readState } from '../../src/recovery/index.js';
import { alive, config, diagnosis, record, tmpWorld, waitFor } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const nodeArgs = ['--import', import.meta.resolve('tsx'), main];
const env = (root: string) => ({ ...process.env, XDG_CONFIG_HOME: join(root, '.no-xdg'), NO_COLOR: '1' });

/** A service that takes 2 s to stop on SIGTERM (and says it got one), so a restart is slow enough to be killed in. */
const SLOW_STOP = "process.on('SIGTERM', () => { require('fs').writeFileSync('stopping-' + process.pid, ''); setTimeout(() => process.exit(0), 2000); }); setInterval(() => {}, 1000);";

function world() {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  const service = spawn(process.execPath, ['-e', SLOW_STOP], { stdio: 'ignore', detached: true, cwd: root });
  service.unref();
  writeFileSync(join(root, 'run/app.pid'), `${service.pid}\n`);
  writeFileSync(
    join(root, 'logmedic.config.yaml'),
    [
      'services:',
      '  app:',
      `    start: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(SLOW_STOP)}]`,
      '    pidFile: run/app.pid',
      '    loggers: [app]',
      '    stopTimeoutSeconds: 10',
      'policy: { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'crash.json'), JSON.stringify(diagnosis([record({ type: 'ProcessCrash', logger: 'app', message: 'Process app exited with code 137' })])));
  return { root, firstPid: service.pid! };
}

const journalLines = (root: string) =>
  existsSync(join(root, '.logmedic/journal.jsonl'))
    ? readFileSync(join(root, '.logmedic/journal.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    : [];
const attempts = (root: string) => journalLines(root).filter((l) => l.kind === 'attempt');

/** Start `recover --yes` and SIGKILL it once its n-th attempt line is on disk (and `also` holds). */
async function killDuringAttempt(root: string, n: number, also: () => boolean = () => true): Promise<void> {
  const child = spawn(process.execPath, [...nodeArgs, 'recover', '--diagnosis', 'crash.json', '--yes'], { cwd: root, env: env(root), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => attempts(root).length >= n && also(), 60_000);
  child.kill('SIGKILL');
  await exited;
}

test('kill -9 during a restart: the attempt is journaled, the next run reports it, and the breaker opens', async (t) => {
  const { root, firstPid } = world();
  // Killed once the service has its SIGTERM: mid-restart, before anything is started again.
  await killDuringAttempt(root, 1, () => existsSync(join(root, `stopping-${firstPid}`)));
  const first = attempts(root);
  t.is(first.length, 1);
  t.like(first[0], { kind: 'attempt', action: 'restart_service', target: 'service:app' });
  t.false(journalLines(root).some((l) => l.attemptId === first[0].attemptId && l.kind !== 'attempt'), 'no result: the run was killed');
  t.is(readJournal(join(root, '.logmedic')).at(-1)?.result, 'interrupted');
  // The service got its SIGTERM and stops; nobody starts it again: it is left down.
  t.true(await waitFor(() => !alive(firstPid), 10_000));

  // A dry run reports the interrupted step, finds the service down, and would restart it.
  const dry = spawnSync(process.execPath, [...nodeArgs, 'recover', '--diagnosis', 'crash.json', '--dry-run', '--json'], { cwd: root, env: env(root), encoding: 'utf8', timeout: 120_000 });
  t.is(dry.status, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout).steps;
  t.like(planned[0], { action: 'restart_service', interrupted: true, result: 'failed' });
  t.regex(planned[0].reason, /interrupted.*service app is down/);

  // The second run counts it (1 of 2), restarts, and is killed too.
  await killDuringAttempt(root, 2);
  t.is(attempts(root).length, 2);
  t.true(journalLines(root).some((l) => l.attemptId === first[0].attemptId && l.interrupted === true && l.result === 'failed'), 'the first attempt was closed as interrupted');

  // The third run: two attempts in the window reach maxAttempts 2: the circuit opens, no restart.
  const pidBefore = readFileSync(join(root, 'run/app.pid'), 'utf8');
  const third = spawnSync(process.execPath, [...nodeArgs, 'recover', '--diagnosis', 'crash.json', '--yes', '--json'], { cwd: root, env: env(root), encoding: 'utf8', timeout: 120_000 });
  t.is(third.status, 4, third.stderr);
  const steps = JSON.parse(third.stdout).steps;
  t.true(steps.some((s: { policy?: string }) => s.policy === 'circuit-open'));
  t.is(attempts(root).length, 2, 'no third attempt');
  t.is(readFileSync(join(root, 'run/app.pid'), 'utf8'), pidBefore, 'the service was not restarted again');
  const started = Number(pidBefore);
  if (alive(started)) process.kill(started, 'SIGKILL');
});

test('an empty run (what watch does as it starts) closes interrupted attempts: reported, counted, journaled', async (t) => {
  const root = tmpWorld(t);
  const state = join(root, 'state');
  mkdirSync(state);
  const attempt = { kind: 'attempt', attemptId: 'a-1', time: '2025-05-17T10:00:00.000Z', runId: 'r-1', action: 'clean_cache', target: 'cache:/srv/cache', trigger: null, change: 'delete files' };
  writeFileSync(join(state, 'journal.jsonl'), JSON.stringify(attempt) + '\n');
  const cfg = config({}, root);
  const now = () => new Date('2025-05-17T10:05:00Z');
  const r = await applyRecoveryActions([], { config: cfg, stateDir: state, now });
  t.is(r.steps.length, 1);
  t.like(r.steps[0], { action: 'clean_cache', result: 'failed', interrupted: true });
  t.regex(r.steps[0].reason ?? '', /interrupted.*cannot be verified automatically/);
  t.is(r.exitCode, 0, 'an earlier run\'s failure is reported, not this run\'s exit code');
  t.deepEqual(readState(state).attempts, [{ action: 'clean_cache', target: 'cache:/srv/cache', time: attempt.time, result: 'failed' }]);
  t.like(readJournal(state), [{ attemptId: 'a-1', result: 'failed', interrupted: true }]);
  // Closed once: the next run has nothing to report.
  t.is((await applyRecoveryActions([], { config: cfg, stateDir: state, now })).steps.length, 0);
});

test('a service an interrupted restart left down is in the next plan (shown and confirmed with the rest), under policy', async (t) => {
  const root = tmpWorld(t);
  const state = join(root, '.logmedic');
  mkdirSync(state);
  mkdirSync(join(root, 'run'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(root, 'run/app.pid'), `${dead}\n`);
  const attempt = { kind: 'attempt', attemptId: 'a-2', time: new Date().toISOString(), runId: 'r-2', action: 'restart_service', target: 'service:app', trigger: null, change: 'stop; start' };
  writeFileSync(join(state, 'journal.jsonl'), JSON.stringify(attempt) + '\n');
  const cfg = config({ services: { app: { start: [process.execPath, '-e', '0'], pidFile: 'run/app.pid' } }, policy: { circuit: { maxAttempts: 1, windowSeconds: 3600 } } }, root);
  const { planRecovery } = await import('../../src/recovery/index.js');
  const plan = await planRecovery(diagnosis([]), cfg);
  t.is(plan.steps.length, 1);
  t.like(plan.steps[0], { action: 'restart_service', target: 'service:app', trigger: { type: 'InterruptedRecovery' } });
  t.falsy(plan.steps[0].skip);
  // The interrupted attempt counts: with maxAttempts 1 the circuit opens instead of restarting.
  const r = await applyRecoveryActions(plan, { config: cfg });
  t.like(r.steps[0], { interrupted: true, result: 'failed' });
  t.regex(r.steps[0].reason ?? '', /service app is down/);
  t.like(r.steps[1], { action: 'restart_service', result: 'skipped', policy: 'circuit-open' });
  t.is(r.exitCode, 4);
});

test('the approver is on the step\'s own attempt and result lines, and on the line that closes its interrupted attempt', async (t) => {
  const root = tmpWorld(t);
  const state = join(root, 'state');
  mkdirSync(join(root, 'data'));
  const file = join(root, 'data/clip.mp4');
  writeFileSync(file, 'video');
  chmodSync(file, 0o000);
  const cfg = config({ permissions: { roots: ['data/'], fileMode: '0644', dirMode: '0755' }, policy: { cooldownSeconds: 0 } }, root);
  const denied = record({ type: 'PermissionDenied', message: `PermissionError: [Errno 13] Permission denied: '${file}'`, objects: { paths: [file] } });
  const r = await applyRecoveryActions(diagnosis([denied]), { config: cfg, stateDir: state, approvedBy: 'alice' });
  t.is(r.steps[0].result, 'ok');
  const lines = readFileSync(join(state, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(lines.map((l) => [l.kind ?? 'result', l.action, l.approvedBy]), [['attempt', 'fix_permissions', 'alice'], ['result', 'fix_permissions', 'alice']]);
  t.is(lines[0].attemptId, lines[1].attemptId);
  t.like(readJournal(state), [{ action: 'fix_permissions', result: 'ok', approvedBy: 'alice' }]);
  // No approver given (recover --yes, watch): no field at all, nothing invented.
  chmodSync(file, 0o000);
  await applyRecoveryActions(diagnosis([denied]), { config: cfg, stateDir: state });
  t.like(readJournal(state).at(-1), { action: 'fix_permissions', result: 'ok' });
  t.false('approvedBy' in readJournal(state).at(-1)!);
  // `logmedic history` names the approver on the approved step only.
  writeFileSync(join(root, 'logmedic.config.yaml'), 'state: { dir: state/ }\n');
  const history = spawnSync(process.execPath, [...nodeArgs, 'history'], { cwd: root, env: env(root), encoding: 'utf8', timeout: 120_000 });
  t.is(history.status, 0, history.stderr);
  t.deepEqual(history.stdout.trim().split('\n').map((l) => /\(approved by (\w+)\)$/.exec(l)?.[1] ?? null), ['alice', null]);

  // An approved attempt a crash interrupted: still shown with its approver, and closed with it.
  const attempt = { kind: 'attempt', attemptId: 'a-2', time: '2025-05-17T10:00:00.000Z', runId: 'r-2', action: 'clean_cache', target: 'cache:/srv/cache', trigger: null, change: 'delete files', approvedBy: 'bob' };
  writeFileSync(join(state, 'journal.jsonl'), readFileSync(join(state, 'journal.jsonl'), 'utf8') + JSON.stringify(attempt) + '\n');
  t.like(readJournal(state).at(-1), { result: 'interrupted', approvedBy: 'bob' });
  await applyRecoveryActions([], { config: cfg, stateDir: state });
  t.like(readJournal(state).at(-1), { attemptId: 'a-2', result: 'failed', interrupted: true, approvedBy: 'bob' });
});
