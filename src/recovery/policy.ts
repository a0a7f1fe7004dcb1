// Policy between a plan and the world: cooldown per action+target, a circuit breaker that
// stops retrying what keeps failing to cure the error, a global hourly cap, and one run at a
// time (a lock file with the PID and the process's start time). State persists in `<state>/state.json`, written atomically.
// With `policy.store`, a PolicyStore adds the fleet's view (src/cluster/fleet-policy.ts): a step
// runs only when this host's policy and the fleet's both allow it.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogmedicConfig } from '../config/types.js';
import { fileError, LogmedicError } from '../errors.js';
import { appendJournal, type JournalEntry } from './journal.js';
import { isAlive, procStat } from './proc.js';
import { writeJsonAtomic } from './safety.js';

export interface Attempt {
  action: string;
  target: string;
  time: string;
  result: 'ok' | 'failed';
}

export interface PolicyState {
  version: 1;
  attempts: Attempt[];
  /** Attempts before this time do not count (set by `logmedic reset` and when a circuit closes). */
  resets: Record<string, string>;
  /** Open circuits: when they opened. */
  circuits: Record<string, { openedAt: string; attempts: number }>;
}

export const keyOf = (action: string, target: string) => `${action} ${target}`;
export const statePath = (stateDir: string) => join(stateDir, 'state.json');

export function readState(stateDir: string): PolicyState {
  try {
    const s = JSON.parse(readFileSync(statePath(stateDir), 'utf8'));
    if (s && s.version === 1 && Array.isArray(s.attempts)) return { version: 1, attempts: s.attempts, resets: s.resets ?? {}, circuits: s.circuits ?? {} };
  } catch {
    // Missing or unreadable: start empty (the journal still has the history).
  }
  return { version: 1, attempts: [], resets: {}, circuits: {} };
}

export function writeState(stateDir: string, state: PolicyState, config: LogmedicConfig, now: Date): void {
  // Keep only what any rule can still look at.
  const keepMs = Math.max(config.policy.circuit.windowSeconds, config.policy.cooldownSeconds, 3600) * 1000;
  state.attempts = state.attempts.filter((a) => now.getTime() - Date.parse(a.time) < keepMs);
  writeJsonAtomic(statePath(stateDir), state);
}

export type Decision =
  | { allow: true }
  | { allow: false; policy: 'cooldown' | 'hourly-cap' | 'fleet-cooldown' | 'fleet-busy' | 'fleet-hourly-cap' | 'fleet-unreachable'; reason: string }
  | { allow: false; policy: 'circuit-open' | 'fleet-circuit-open'; reason: string; attempts: number };

/**
 * The policy shared beyond this host. `reserve` is asked after the local policy allowed a step
 * and, when it allows too, holds a slot until `settle`; `publish` copies a journal entry out
 * (the local journal stays complete either way).
 */
export interface PolicyStore {
  /** What `reserve` would decide now, and the fleet's state behind it, taking and writing nothing (a dry run). */
  preview?(state: PolicyState, action: string, target: string, now: Date): Promise<{ decision: Decision; fleet: FleetView }>;
  reserve(state: PolicyState, action: string, target: string, attemptId: string, now: Date): Promise<Decision>;
  settle(action: string, target: string, attemptId: string): Promise<void>;
  publish(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
}

/** The fleet's policy state for one action and target, as a dry run shows it. */
export interface FleetView {
  /** The store's URL, password masked. */
  store: string;
  reachable: boolean;
  /** Why it could not be reached: the host falls back to `offline`. */
  unreachable?: string;
  circuit?: { open: boolean; attempts: number; maxAttempts: number; windowSeconds: number; openedAt?: string };
  cooldownLeftSeconds?: number;
  /** Hosts acting on this action and target now, against policy.maxConcurrent (null: no limit). */
  slots?: { inUse: number; max: number | null };
  /** Actions of the whole fleet in the last hour, against policy.maxActionsPerHour. */
  hour?: { actions: number; cap: number };
  /** Unreachable: this host's own cap while blind to the fleet, and its actions in the last hour. */
  offline?: { cap: number; actionsThisHour: number };
}

/** No fleet: this host's policy is the whole policy. */
export const localStore: PolicyStore = {
  reserve: async () => ({ allow: true }),
  settle: async () => {},
  publish: async () => {},
  close: async () => {},
};

/** The store `config.policy.store` names; the Redis client is loaded only when one is configured. */
export async function openPolicyStore(config: LogmedicConfig): Promise<PolicyStore> {
  if (!config.policy.store) return localStore;
  const { openFleetStore } = await import('../cluster/fleet-policy.js');
  return openFleetStore(config);
}

/** policy.offlineMaxActionsPerHour when not set: one action an hour while blind to the fleet. */
export const OFFLINE_MAX_ACTIONS_PER_HOUR = 1;

/**
 * While the fleet's store cannot be reached, a host acts less than the fleet policy would let
 * it: its own policy still applies, and at most `offlineMaxActionsPerHour` of its actions.
 */
export function offlineDecision(state: PolicyState, config: LogmedicConfig, now: Date, why: string): Decision {
  const cap = config.policy.offlineMaxActionsPerHour ?? OFFLINE_MAX_ACTIONS_PER_HOUR;
  const lastHour = state.attempts.filter((a) => now.getTime() - Date.parse(a.time) < 3600_000).length;
  if (lastHour < cap) return { allow: true };
  return { allow: false, policy: 'fleet-unreachable', reason: `fleet policy store unreachable (${why}); ${lastHour} actions in the last hour reach policy.offlineMaxActionsPerHour (${cap})` };
}

/**
 * May `action` run on `target` now? Mutates `state` only to open or close a circuit (the
 * caller persists it, or not, for a dry run).
 */
export function decide(state: PolicyState, config: LogmedicConfig, action: string, target: string, now: Date): Decision {
  const { circuit, maxActionsPerHour } = config.policy;
  const key = keyOf(action, target);
  const t = now.getTime();
  const open = state.circuits[key];
  if (open) {
    const closesAt = Date.parse(open.openedAt) + circuit.windowSeconds * 1000;
    if (t < closesAt) return circuitOpen(action, target, open.attempts, circuit.windowSeconds);
    // The window has passed: the circuit closes and its attempts are forgotten.
    delete state.circuits[key];
    state.resets[key] = new Date(closesAt).toISOString();
  }
  const mine = countedAttempts(state, config, action, target, now);
  if (mine.length >= circuit.maxAttempts) {
    state.circuits[key] = { openedAt: now.toISOString(), attempts: mine.length };
    return circuitOpen(action, target, mine.length, circuit.windowSeconds);
  }
  const last = mine[mine.length - 1];
  const cooling = cooldownEnd(state, config, action, target, now);
  if (cooling) {
    const left = Math.ceil((cooling.getTime() - t) / 1000);
    return { allow: false, policy: 'cooldown', reason: `cooling down: last tried at ${last.time} (${last.result}); again in ${left} s` };
  }
  const lastHour = state.attempts.filter((a) => t - Date.parse(a.time) < 3600_000).length;
  if (lastHour >= maxActionsPerHour) return { allow: false, policy: 'hourly-cap', reason: `${lastHour} actions in the last hour reach policy.maxActionsPerHour (${maxActionsPerHour})` };
  return { allow: true };
}

/** Attempts of `action` on `target` that policy counts now: within the circuit window, after the last reset. */
function countedAttempts(state: PolicyState, config: LogmedicConfig, action: string, target: string, now: Date): Attempt[] {
  const reset = state.resets[keyOf(action, target)];
  const since = Math.max(now.getTime() - config.policy.circuit.windowSeconds * 1000, reset ? Date.parse(reset) : -Infinity);
  return state.attempts.filter((a) => a.action === action && a.target === target && Date.parse(a.time) > since);
}

/** When the cooldown after the last attempt of `action` on `target` ends; undefined when none runs now. */
export function cooldownEnd(state: PolicyState, config: LogmedicConfig, action: string, target: string, now: Date): Date | undefined {
  const last = countedAttempts(state, config, action, target, now).at(-1);
  if (!last) return undefined;
  const end = Date.parse(last.time) + config.policy.cooldownSeconds * 1000;
  return end > now.getTime() ? new Date(end) : undefined;
}

function circuitOpen(action: string, target: string, attempts: number, windowSeconds: number): Decision {
  return {
    allow: false,
    policy: 'circuit-open',
    attempts,
    reason:
      `circuit open: ${action} on ${target} was tried ${attempts} times within ${windowSeconds} s and the error keeps coming; ` +
      `not trying again — a person must look. After fixing: logmedic reset --action ${action} --target '${target}'`,
  };
}

export function recordAttempt(state: PolicyState, action: string, target: string, result: 'ok' | 'failed', now: Date): void {
  state.attempts.push({ action, target, time: now.toISOString(), result });
}

/** Close circuits (and forget attempts) matching action and/or target; returns the keys closed. */
export function resetCircuits(state: PolicyState, now: Date, filter: { action?: string; target?: string }): string[] {
  const keys = new Set([...Object.keys(state.circuits), ...state.attempts.map((a) => keyOf(a.action, a.target))]);
  const matched = [...keys].filter((k) => {
    const [action, ...rest] = k.split(' ');
    return (!filter.action || filter.action === action) && (!filter.target || filter.target === rest.join(' '));
  });
  for (const k of matched) {
    delete state.circuits[k];
    state.resets[k] = now.toISOString();
  }
  return matched;
}

export class RunLockBusy extends Error {
  constructor(readonly pid: number, readonly file: string) {
    super(`another logmedic run (PID ${pid}) holds ${file}; try again when it ends`);
  }
}

/** What `run.lock` says: `PID START` (START: /proc/PID/stat's start time, absent off Linux). */
function readLock(file: string): { pid?: number; start?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return {};
  }
  const [pid, start] = text.trim().split(/\s+/);
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 ? { pid: n, start: start || undefined } : {};
}

/** Whether the lock's holder still runs: its PID is alive and, where the lock gives one, started when the holder did. */
function holderRuns(lock: { pid?: number; start?: string }): boolean {
  if (lock.pid === undefined || !isAlive(lock.pid)) return false;
  const now = procStat(lock.pid)?.startTime;
  return lock.start === undefined || now === undefined || now === lock.start;
}

/**
 * One run at a time: create `<state>/run.lock` exclusively with our PID and start time. A lock
 * left by a process that is gone is taken over, also when its PID now belongs to another
 * process (the start times differ). Returns the release function.
 */
export function acquireRunLock(stateDir: string): () => void {
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (err) {
    // A state dir that cannot exist is a configuration problem (exit 2), not a crash.
    throw new LogmedicError('E_CONFIG', `state dir ${stateDir}: cannot create it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const file = join(stateDir, 'run.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(file, 'take the run lock', err);
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid} ${procStat(process.pid)?.startTime ?? ''}`.trim() + '\n');
        closeSync(fd);
      } catch (err) {
        // A lock we could not finish (a full disk) is removed, not left for the next run to wait on.
        try {
          closeSync(fd);
        } catch {
          // already closed
        }
        rmSync(file, { force: true });
        throw fileError(file, 'take the run lock', err);
      }
      return () => {
        if (readLock(file).pid === process.pid) unlinkSync(file);
      };
    }
    const lock = readLock(file);
    const holder = lock.pid;
    if (holder !== undefined && holderRuns(lock)) throw new RunLockBusy(holder, file);
    // No PID yet: its creator may be between open and write; only an old empty lock is stale.
    if (holder === undefined && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 5000) throw new RunLockBusy(0, file);
    // Stale (gone, a reused PID, or empty from a crash during creation): take it over.
    try {
      if (readLock(file).pid === holder) unlinkSync(file);
    } catch {
      // Someone else took it over first; try again.
    }
  }
  throw new RunLockBusy(readLock(file).pid ?? 0, file);
}

/** The journal line of a circuit reset: what matched the filter, what closed, who asked. */
export function resetEntry(filter: { action?: string; target?: string }, after: Record<string, unknown>, by: string | undefined, now = new Date()): JournalEntry {
  return {
    time: now.toISOString(),
    runId: 'reset',
    action: 'reset',
    target: [filter.action ?? '*', filter.target ?? '*'].join(' '),
    trigger: null,
    dryRun: false,
    result: 'ok',
    policy: 'reset',
    after: { ...after, ...(by !== undefined ? { by } : {}) },
    durationMs: 0,
  };
}

/**
 * Close the circuits that match (all when no filter), under the run lock, and journal it.
 * `by` names who asked (the web UI's signed-in user). Throws RunLockBusy when a run holds the lock.
 */
export function closeCircuits(config: LogmedicConfig, filter: { action?: string; target?: string }, by?: string): { closed: string[]; forgotten: string[] } {
  const release = acquireRunLock(config.state.dir);
  try {
    const now = new Date();
    const state = readState(config.state.dir);
    const open = new Set(Object.keys(state.circuits));
    const forgotten = resetCircuits(state, now, filter);
    writeState(config.state.dir, state, config, now);
    const closed = forgotten.filter((k) => open.has(k));
    appendJournal(config.state.dir, resetEntry(filter, { closed, forgotten }, by, now));
    return { closed, forgotten };
  } finally {
    release();
  }
}
