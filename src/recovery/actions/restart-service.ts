// restart_service: stop the service the record belongs to (SIGTERM, SIGKILL after a timeout)
// and start it again, or `systemctl restart` its unit; then verify it is up: alive, and its
// health command passing within the timeout. A failed health check is a failed step.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServiceConfig } from '../../config/types.js';
import { isAlive, readPidFile, runArgv, sleep, tail, waitUntil } from '../proc.js';
import { atomicWriteFile } from '../safety.js';
import { mainPid, serviceFor } from '../services.js';
import type { ActionContext, ActionOutcome, RecoveryAction } from '../types.js';

export const restartService: RecoveryAction = {
  name: 'restart_service',
  phase: 90,

  async plan(record, ctx) {
    const { service, why } = await serviceFor(record, ctx.config, ctx.env, ctx.memo);
    if (!service) return { target: 'service', change: 'restart a service', skip: why };
    const target = `service:${service.name}`;
    if (service.systemd) {
      return { target, change: `systemctl restart ${service.systemd}, then wait until it is active${service.health ? ' and healthy' : ''} (${why})`, detail: { service: service.name, unit: service.systemd } };
    }
    const pid = await mainPid(service, ctx.env);
    // Read after "would" in a dry run: each part must be a verb phrase.
    const stop = pid ? `stop PID ${pid} (SIGTERM, SIGKILL after ${service.stopTimeoutSeconds} s); start` : 'start (it is not running)';
    return {
      target,
      change: `${stop} ${JSON.stringify(service.start)}; ${service.health ? `health ${JSON.stringify(service.health)} must pass within ${service.healthTimeoutSeconds} s` : 'must stay alive'} (${why})`,
      detail: { service: service.name, pid: pid ?? null },
    };
  },

  async execute(step, ctx) {
    const service = ctx.config.services[String(step.detail?.service)];
    if (!service) return { result: 'skipped', error: 'service no longer configured' };
    return service.systemd ? restartUnit(service, ctx) : restartProcess(service, ctx);
  },
};

async function restartUnit(service: ServiceConfig, ctx: ActionContext): Promise<ActionOutcome> {
  const unit = service.systemd!;
  const before = await mainPid(service, ctx.env);
  const r = await runArgv(['systemctl', 'restart', unit], { timeoutMs: (service.stopTimeoutSeconds + service.healthTimeoutSeconds + 30) * 1000, env: ctx.env });
  if (r.spawnError) return { result: 'failed', before: { pid: before ?? null }, error: `systemctl: ${r.spawnError}` };
  if (r.code !== 0) return { result: 'failed', before: { pid: before ?? null }, error: `systemctl restart ${unit} exited ${r.code ?? r.signal}: ${tail(r.stderr, 300)}` };
  const health = await verifyHealthy(service, ctx, async () => (await runArgv(['systemctl', 'is-active', '--quiet', unit], { timeoutMs: 10_000, env: ctx.env })).code === 0);
  const after = await mainPid(service, ctx.env);
  return { result: health.ok ? 'ok' : 'failed', before: { pid: before ?? null }, after: { pid: after ?? null, health: health.note }, error: health.ok ? undefined : health.note };
}

async function restartProcess(service: ServiceConfig, ctx: ActionContext): Promise<ActionOutcome> {
  const pidFile = service.pidFile!;
  const old = readPidFile(pidFile);
  const before = { pid: old !== undefined && isAlive(old) ? old : null };
  if (before.pid !== null) {
    const pid = before.pid;
    signalQuietly(pid, 'SIGTERM');
    if (!(await waitUntil(() => !isAlive(pid), service.stopTimeoutSeconds * 1000))) {
      signalQuietly(pid, 'SIGKILL');
      if (!(await waitUntil(() => !isAlive(pid), 5000))) return { result: 'failed', before, error: `PID ${pid} did not exit after SIGKILL` };
    }
  }
  const logDir = join(ctx.stateDir, 'services');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${service.name}.log`);
  const out = openSync(logFile, 'a');
  let pid: number | undefined;
  let spawnError: string | undefined;
  try {
    const child = spawn(service.start![0], service.start!.slice(1), {
      cwd: service.cwd,
      env: { ...ctx.env, ...service.env },
      detached: true,
      stdio: ['ignore', out, out],
      shell: false,
      windowsHide: true,
    });
    child.on('error', (err) => {
      spawnError = (err as NodeJS.ErrnoException).code ?? err.message;
    });
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(out);
  }
  await sleep(50);
  if (pid === undefined || spawnError) return { result: 'failed', before, error: `cannot start ${service.start![0]}: ${spawnError ?? 'spawn failed'}` };
  mkdirSync(dirname(pidFile), { recursive: true });
  atomicWriteFile(pidFile, `${pid}\n`);
  const started = pid;
  const health = await verifyHealthy(service, ctx, async () => isAlive(started));
  if (!health.ok && isAlive(started)) {
    // An unhealthy process is not left running half-up: stop what this step started.
    await stopProcess(started, service.stopTimeoutSeconds);
    return { result: 'failed', before, after: { pid: null, stopped: started, health: health.note, log: logFile }, error: `${health.note}; the process started (PID ${started}) was stopped` };
  }
  const after = { pid: isAlive(started) ? started : null, health: health.note, log: logFile };
  return { result: health.ok ? 'ok' : 'failed', before, after, error: health.ok ? undefined : health.note };
}

/** SIGTERM to the process group the start created (the service and its children), SIGKILL after the timeout. */
async function stopProcess(pid: number, timeoutSeconds: number): Promise<void> {
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      signalQuietly(pid, sig);
    }
  };
  group('SIGTERM');
  if (!(await waitUntil(() => !isAlive(pid), timeoutSeconds * 1000))) {
    group('SIGKILL');
    await waitUntil(() => !isAlive(pid), 5000);
  }
}

function signalQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/**
 * Up means: `up()` holds (process alive / unit active) and the health command exits 0, within
 * healthTimeoutSeconds, retried with backoff. Without a health command, the process must
 * still be up after a short settle time.
 */
async function verifyHealthy(service: ServiceConfig, ctx: ActionContext, up: () => Promise<boolean>): Promise<{ ok: boolean; note: string }> {
  const deadline = Date.now() + service.healthTimeoutSeconds * 1000;
  if (!service.health) {
    await sleep(Math.min(1000, service.healthTimeoutSeconds * 1000));
    return (await up()) ? { ok: true, note: 'alive (no health command configured)' } : { ok: false, note: 'exited right after start' };
  }
  let delay = 200;
  let last = 'not tried';
  for (let attempt = 1; ; attempt++) {
    if (!(await up())) return { ok: false, note: 'exited right after start' };
    const left = deadline - Date.now();
    const r = await runArgv(service.health, { timeoutMs: Math.max(500, Math.min(left, 10_000)), env: { ...ctx.env, ...service.env }, cwd: service.cwd });
    if (r.code === 0 && (await up())) return { ok: true, note: `health check passed (attempt ${attempt})` };
    last = r.spawnError ? `cannot run ${service.health[0]}: ${r.spawnError}` : r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}${r.stderr.trim() ? `: ${tail(r.stderr, 200)}` : ''}`;
    if (Date.now() + delay >= deadline) return { ok: false, note: `health check did not pass within ${service.healthTimeoutSeconds} s (${attempt} attempts; last: ${last})` };
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, 2000);
  }
}
