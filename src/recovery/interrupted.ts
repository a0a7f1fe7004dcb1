// Steps a crash interrupted: attempts in the write-ahead journal without a result. Each is
// reported, counts as a failed attempt toward the circuit breaker, and its target is verified
// where logmedic can tell: a service left down by a kill -9 mid-restart is planned to be
// restarted again, under the same policy as any restart (so a loop of such crashes opens the
// circuit instead of restarting forever).

import type { LogmedicConfig } from '../config/types.js';
import type { LogRecord } from '../diagnosis/types.js';
import { type AttemptLine, danglingAttempts } from './journal.js';
import { mainPid } from './services.js';

export interface InterruptedStep {
  attempt: AttemptLine;
  /** What verifying its target found. */
  note: string;
  /** The service the interrupted step was restarting, when it is down now. */
  serviceDown?: string;
}

export async function findInterrupted(stateDir: string, config: LogmedicConfig, env: NodeJS.ProcessEnv): Promise<InterruptedStep[]> {
  const out: InterruptedStep[] = [];
  for (const attempt of danglingAttempts(stateDir)) {
    const name = attempt.action === 'restart_service' && attempt.target.startsWith('service:') ? attempt.target.slice('service:'.length) : undefined;
    const service = name !== undefined && Object.hasOwn(config.services, name) ? config.services[name] : undefined;
    if (!service) {
      out.push({ attempt, note: 'its target cannot be verified automatically; check it' });
      continue;
    }
    const pid = await mainPid(service, env);
    out.push(pid !== undefined ? { attempt, note: `service ${service.name} is running (PID ${pid})` } : { attempt, note: `service ${service.name} is down`, serviceDown: service.name });
  }
  return out;
}

/** A record standing for "this service was left down", so the service can be planned by name. */
export function serviceDownRecord(service: string): LogRecord {
  return {
    type: 'InterruptedRecovery',
    patternId: '',
    file: '',
    line: 0,
    endLine: 0,
    offset: 0,
    message: `${service} was left down by an interrupted restart`,
    text: '',
    frames: [],
    objects: { paths: [], hosts: [], ports: [], pids: [], services: [service], devices: [] },
  };
}
