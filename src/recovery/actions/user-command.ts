// User-defined actions (config `actions: { name: { command: [argv…], timeoutSeconds } }`):
// the argv runs without a shell, and the record reaches it only as LOGMEDIC_* environment
// variables — log text is never spliced into a command line.

import type { UserActionConfig } from '../../config/types.js';
import type { LogRecord } from '../../diagnosis/types.js';
import { runArgv, tail } from '../proc.js';
import type { RecoveryAction } from '../types.js';

/** The record's fields as environment variables. */
export function recordEnv(action: string, record: LogRecord | undefined): Record<string, string> {
  const o = record?.objects;
  const env: Record<string, string> = { LOGMEDIC_ACTION: action };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') env[k] = String(v).replace(/\0/g, '');
  };
  if (record) {
    set('LOGMEDIC_TYPE', record.type);
    set('LOGMEDIC_FILE', record.file);
    set('LOGMEDIC_LINE', record.line);
    set('LOGMEDIC_TIME', record.time);
    set('LOGMEDIC_LEVEL', record.level);
    set('LOGMEDIC_LOGGER', record.logger);
    set('LOGMEDIC_MESSAGE', record.message);
    set('LOGMEDIC_EXCEPTION', record.exception);
    set('LOGMEDIC_PATH', o?.paths[0]);
    set('LOGMEDIC_PATHS', o?.paths.join('\n'));
    set('LOGMEDIC_PID', o?.pids[0]);
    set('LOGMEDIC_PIDS', o?.pids.join(' '));
    set('LOGMEDIC_SERVICE', o?.services[0]);
    set('LOGMEDIC_HOST', o?.hosts[0]);
    set('LOGMEDIC_PORT', o?.ports[0]);
    set('LOGMEDIC_DEVICE', o?.devices[0]);
  }
  return env;
}

export function userAction(name: string, def: UserActionConfig): RecoveryAction {
  return {
    name,
    phase: 70,
    async plan() {
      return { target: `command:${name}`, change: `run ${JSON.stringify(def.command)} (record in LOGMEDIC_* variables, ${def.timeoutSeconds} s limit)` };
    },
    async execute(step, ctx) {
      const r = await runArgv(def.command, { timeoutMs: def.timeoutSeconds * 1000, env: { ...ctx.env, ...recordEnv(name, step.record) }, cwd: ctx.config.baseDir, signal: ctx.signal });
      const after = { exitCode: r.code, signal: r.signal, stdout: tail(r.stdout, 1000), stderr: tail(r.stderr, 1000) };
      if (r.spawnError) return { result: 'failed', after, error: `cannot run ${def.command[0]}: ${r.spawnError}` };
      if (r.timedOut) return { result: 'failed', after, error: `timed out after ${def.timeoutSeconds} s` };
      return r.code === 0 ? { result: 'ok', after } : { result: 'failed', after, error: `exited ${r.code ?? r.signal}` };
    },
  };
}
