// Which configured service a log record belongs to (by logger, by name, by PID), and the
// service's main PID (its pid file, or systemd's MainPID). Log text is only ever compared
// against configured names, never used to build a command.

import type { LogmedicConfig, ServiceConfig } from '../config/types.js';
import type { LogRecord } from '../diagnosis/types.js';
import { isAlive, lineage, readPidFile, runArgv } from './proc.js';

/** The service's main PID when it is running, else undefined. */
export async function mainPid(service: ServiceConfig, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  if (service.systemd) {
    const r = await runArgv(['systemctl', 'show', '--property=MainPID', '--value', service.systemd], { timeoutMs: 10_000, env });
    const pid = Number(r.stdout.trim());
    return r.code === 0 && pid > 0 && isAlive(pid) ? pid : undefined;
  }
  const pid = service.pidFile ? readPidFile(service.pidFile) : undefined;
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/**
 * Main PIDs of all configured services that are running. With `memo` (one planning pass), they
 * are read once for all records: a config with many services would otherwise read every
 * pid file once per record.
 */
export function servicePids(config: LogmedicConfig, env: NodeJS.ProcessEnv, memo?: Map<string, unknown>): Promise<Map<number, string>> {
  if (!memo) return readServicePids(config, env);
  let pending = memo.get('servicePids') as Promise<Map<number, string>> | undefined;
  if (!pending) memo.set('servicePids', (pending = readServicePids(config, env)));
  return pending;
}

async function readServicePids(config: LogmedicConfig, env: NodeJS.ProcessEnv): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const s of Object.values(config.services)) {
    const pid = await mainPid(s, env);
    if (pid !== undefined) out.set(pid, s.name);
  }
  return out;
}

/** The service a process belongs to: its own PID or an ancestor's is a service's main PID. */
export function ownerOf(pid: number, mains: Map<number, string>): string | undefined {
  for (const p of lineage(pid)) if (mains.has(p)) return mains.get(p);
  return mains.get(pid);
}

/**
 * The configured service a record names: its logger is one of the service's loggers; or it
 * names the service (or its systemd unit) exactly; or one of its PIDs belongs to the
 * service. A record attributable to none belongs to the service marked `default: true`, and
 * to no service when none is: restarting a service for a line it did not write (a client's
 * reset connection, another task's error) is the unsafe default. Undefined when none fits.
 */
export async function serviceFor(record: LogRecord | undefined, config: LogmedicConfig, env: NodeJS.ProcessEnv, memo?: Map<string, unknown>): Promise<{ service?: ServiceConfig; why: string }> {
  const all = Object.values(config.services);
  if (all.length === 0) return { why: 'no services are configured' };
  if (record?.logger) {
    const s = all.find((x) => x.loggers.includes(record.logger!));
    if (s) return { service: s, why: `logger ${record.logger}` };
  }
  for (const name of record?.objects.services ?? []) {
    const s = all.find((x) => x.name === name || x.systemd === name || x.systemd === `${name}.service`);
    if (s) return { service: s, why: `the record names ${name}` };
  }
  if (record && record.objects.pids.length > 0) {
    const mains = await servicePids(config, env, memo);
    for (const pid of record.objects.pids) {
      const owner = ownerOf(pid, mains);
      if (owner) return { service: config.services[owner], why: `PID ${pid} belongs to it` };
    }
  }
  const fallback = all.find((x) => x.isDefault);
  if (fallback) return { service: fallback, why: `the default service (services.${fallback.name}.default)` };
  return { why: 'the record names no configured service (by logger, name or PID), and no service is marked default: true' };
}
