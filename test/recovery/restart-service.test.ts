import test from 'ava';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery, readJournal, readState } from '../../src/recovery/index.js';
import { alive, config, diagnosis, record, sleeper, tmpWorld, waitFor } from './helpers.js';

const crash = (logger = 'visionai_processor') =>
  record({ type: 'ProcessCrash', logger, message: 'Worker process exited unexpectedly with code -11', objects: {} });

/** A service whose process writes READY=<its pid> and sleeps; healthy when READY holds the live PID. */
function serviceWorld(health: 'pass' | 'fail') {
  const root = tmpWorld();
  mkdirSync(join(root, 'run'));
  const ready = join(root, 'ready');
  const start = [process.execPath, '-e', "require('fs').writeFileSync(process.env.READY, String(process.pid)); setInterval(() => {}, 1000)"];
  const healthArgv =
    health === 'pass'
      ? [process.execPath, '-e', "const fs = require('fs'); const pid = Number(fs.readFileSync(fs.realpathSync('run/processor.pid'), 'utf8')); process.exit(fs.existsSync(process.env.READY) && Number(fs.readFileSync(process.env.READY, 'utf8')) === pid ? 0 : 1)"]
      : ['sh', '-c', 'echo "503 Service Unavailable" >&2; exit 22'];
  const cfg = config(
    {
      services: { processor: { start, pidFile: 'run/processor.pid', health: healthArgv, loggers: ['visionai_processor'], env: { READY: ready }, stopTimeoutSeconds: 5, healthTimeoutSeconds: health === 'pass' ? 30 : 2 } },
      policy: { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } },
    },
    root,
  );
  return { root, cfg, ready, pidFile: join(root, 'run/processor.pid') };
}

test('a running service is stopped and started again: new PID, health check passes', async (t) => {
  const { cfg, pidFile, root } = serviceWorld('pass');
  const old = sleeper({ detached: true });
  writeFileSync(pidFile, `${old.pid}\n`);
  const d = diagnosis([crash()]);
  const plan = await planRecovery(d, cfg);
  t.is(plan.steps.length, 1);
  t.is(plan.steps[0].target, 'service:processor');
  t.regex(plan.steps[0].change, new RegExp(`stop PID ${old.pid}`));

  const r = await applyRecoveryActions(plan, { config: cfg });
  const step = r.steps[0];
  t.is(step.result, 'ok', step.error);
  t.is(r.exitCode, 0);
  const newPid = Number(readFileSync(pidFile, 'utf8'));
  t.not(newPid, old.pid);
  t.true(alive(newPid));
  t.true(await waitFor(() => !alive(old.pid!)), 'the old process is gone');
  t.deepEqual(step.before, { pid: old.pid });
  t.is((step.after as { pid: number }).pid, newPid);
  t.regex((step.after as { health: string }).health, /health check passed/);
  t.true(existsSync(join(root, '.logmedic/services/processor.log')));
  const journal = readJournal(join(root, '.logmedic'));
  t.is(journal.length, 1);
  t.like(journal[0], { action: 'restart_service', target: 'service:processor', result: 'ok', dryRun: false, trigger: { file: 'logs/visionai.log', line: 120, type: 'ProcessCrash' } });
  process.kill(newPid, 'SIGKILL');
});

test('a process that ignores SIGTERM is killed after stopTimeoutSeconds', async (t) => {
  const { cfg, pidFile } = serviceWorld('pass');
  const marker = join(tmpWorld(t), 'm');
  const stubborn = sleeper({ detached: true, ignoreTerm: true, marker, signal: 'SIGUSR2' });
  await waitFor(() => existsSync(marker + '.ready'));
  writeFileSync(pidFile, `${stubborn.pid}\n`);
  cfg.services.processor.stopTimeoutSeconds = 0.3;
  const r = await applyRecoveryActions(['restart_service'], { config: cfg, record: crash() });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  t.false(alive(stubborn.pid!));
  t.is(stubborn.signalCode ?? (await new Promise((res) => stubborn.once('exit', (_c, s) => res(s)))), 'SIGKILL');
  process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
});

test('a failing health check is a failed step; the circuit counts it and opens after maxAttempts (exit 4)', async (t) => {
  const { cfg, pidFile, root } = serviceWorld('fail');
  const d = diagnosis([crash()]);
  const pids: number[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg });
    t.is(r.steps[0].result, 'failed');
    t.regex(r.steps[0].error ?? '', /health check did not pass within 2 s .*exit 22: 503 Service Unavailable/);
    t.is(r.exitCode, 1);
    pids.push(Number(readFileSync(pidFile, 'utf8')));
    t.false(alive(pids[i]), 'the unhealthy process the restart started is stopped, not left running');
    t.regex(r.steps[0].error ?? '', new RegExp(`the process started \\(PID ${pids[i]}\\) was stopped`));
  }
  const state = readState(join(root, '.logmedic'));
  t.deepEqual(state.attempts.map((a) => a.result), ['failed', 'failed']);

  const third = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg });
  t.is(third.exitCode, 4);
  t.is(third.steps[0].result, 'skipped');
  t.is(third.steps[0].policy, 'circuit-open');
  t.is(third.escalations.length, 1);
  t.regex(third.escalations[0].message, /tried 2 times .* a person must look/);
  t.is(Number(readFileSync(pidFile, 'utf8')), pids[1], 'nothing was restarted');
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

test('systemd units are restarted with systemctl as an argv, then checked active', async (t) => {
  const root = tmpWorld(t);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const calls = join(root, 'calls');
  writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\nfor a in "$@"; do printf '%s|' "$a" >> '${calls}'; done; echo >> '${calls}'\nexit 0\n`);
  chmodSync(join(bin, 'systemctl'), 0o755);
  const cfg = config({ services: { api: { systemd: 'visionai-api.service', loggers: ['api'], healthTimeoutSeconds: 5 } } }, root);
  const r = await applyRecoveryActions(['restart_service'], { config: cfg, record: crash('api'), env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  const lines = readFileSync(calls, 'utf8').trim().split('\n');
  t.true(lines.includes('restart|visionai-api.service|'));
  t.true(lines.includes('is-active|--quiet|visionai-api.service|'));
});

test('a record of a logger no service claims, with several services, restarts nothing', async (t) => {
  const root = tmpWorld(t);
  const cfg = config(
    {
      services: {
        a: { start: ['true'], pidFile: 'a.pid', loggers: ['a'] },
        b: { start: ['true'], pidFile: 'b.pid', loggers: ['b'] },
      },
    },
    root,
  );
  const plan = await planRecovery(diagnosis([crash('nginx')]), cfg);
  t.regex(plan.steps[0].skip ?? '', /names no configured service/);
});

test('"the only configured service" is not a default: a record it cannot be attributed to restarts nothing unless it opts in', async (t) => {
  const root = tmpWorld(t);
  const one = (extra: Record<string, unknown>) => config({ services: { app: { start: ['true'], pidFile: 'app.pid', loggers: ['app'], ...extra } } }, root);
  const unattributed = diagnosis([crash('nginx')]);
  const plan = await planRecovery(unattributed, one({}));
  t.is(plan.steps[0].action, 'restart_service');
  t.regex(plan.steps[0].skip ?? '', /names no configured service .*default: true/);
  const optedIn = await planRecovery(unattributed, one({ default: true }));
  t.falsy(optedIn.steps[0].skip);
  t.regex(optedIn.steps[0].change, /the default service \(services\.app\.default\)/);
  // Its own logger still attributes a record without any opt-in.
  t.falsy((await planRecovery(diagnosis([crash('app')]), one({}))).steps[0].skip);
});
