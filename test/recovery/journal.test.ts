// The write-ahead journal against a real crash: `recover --yes` killed with SIGKILL while it
// restarts a real service (slow to stop), then the next runs: the attempt is on disk, it is
// reported and verified (the service is down), it counts, and the breaker opens.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/recovery/index.js';
import { alive, diagnosis, record, tmpWorld, waitFor } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const nodeArgs = ['--import', import.meta.resolve('tsx'), main];
const env = (root: string) => ({ ...process.env, XDG_CONFIG_HOME: join(root, '.no-xdg'), NO_COLOR: '1' });

/** A service that takes 2 s to stop on SIGTERM, so a restart is slow enough to be killed in. */
const SLOW_STOP = "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 2000)); setInterval(() => {}, 1000);";

function world() {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  const service = spawn(process.execPath, ['-e', SLOW_STOP], { stdio: 'ignore', detached: true });
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

/** Start `recover --yes` and SIGKILL it once its n-th attempt line is on disk. */
async function killDuringAttempt(root: string, n: number): Promise<void> {
  const child = spawn(process.execPath, [...nodeArgs, 'recover', '--diagnosis', 'crash.json', '--yes'], { cwd: root, env: env(root), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => attempts(root).length >= n, 60_000);
  child.kill('SIGKILL');
  await exited;
}

test('kill -9 during a restart: the attempt is journaled, the next run reports it, and the breaker opens', async (t) => {
  const { root, firstPid } = world();
  await killDuringAttempt(root, 1);
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
