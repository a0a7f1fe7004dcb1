// What happens when a rule fires: the records in its window become a Diagnosis, which goes
// through the same plan → policy (cooldown, circuit breaker, cap, lock) → journal path as
// `logmedic recover`. This module is the one place where watch meets src/recovery/.

import type { Diagnosis, LogRecord, MessageGroup, TypeSummary } from '../diagnosis/types.js';
import { ErrorRecoveryMap } from '../diagnosis/action-map.js';
import { ruleId, type Firing } from './rules.js';

export interface ActionEvent {
  event: 'action';
  action: string;
  target?: string;
  /** ok, failed, skipped, dry-run, refused (cooldown, circuit open, cap), unavailable… */
  result: string;
  reason?: string;
  type: string;
  rule: string;
  /** Records in the window that fired. */
  count: number;
  /** The record that crossed the threshold. */
  record: { file: string; line: number };
  dryRun: boolean;
  time: string;
  [extra: string]: unknown;
}

export interface Responder {
  /** Carry out what the firing calls for; one event per planned step. */
  respond(firing: Firing): Promise<ActionEvent[]>;
  /** Circuit breaker state per action and target, for metrics (empty when unknown). */
  circuits(): { action: string; target: string; open: boolean }[];
  /** Whether a real recovery layer is wired in (false: events say "unavailable"). */
  readonly available: boolean;
}

export interface ResponderOptions {
  config: Record<string, unknown>;
  configPath?: string;
  stateDir: string;
  dryRun: boolean;
  /** Act without asking. Watch never asks: without --yes it only plans (dry-run). */
  yes: boolean;
}

/** Mask what varies in a message (numbers, hex, paths) so similar messages group together. */
function shape(message: string): string {
  return message
    .replace(/(?:\/[\w.-]+)+/g, '<path>')
    .replace(/0x[0-9a-f]+/gi, '<hex>')
    .replace(/\d+(?:\.\d+)?/g, '<n>');
}

/** A Diagnosis of the records in a rule's window: what the recovery planner consumes. */
export function diagnosisFromRecords(records: readonly LogRecord[]): Diagnosis {
  const byType = new Map<string, LogRecord[]>();
  for (const r of records) {
    const list = byType.get(r.type) ?? [];
    list.push(r);
    byType.set(r.type, list);
  }
  const errors: TypeSummary[] = [...byType].map(([type, recs]) => {
    const groups = new Map<string, MessageGroup>();
    for (const r of recs) {
      const s = shape(r.message);
      const g = groups.get(s) ?? { shape: s, count: 0, example: r.message };
      g.count++;
      groups.set(s, g);
    }
    const first = recs[0];
    const last = recs[recs.length - 1];
    const minutes = new Map<string, number>();
    for (const r of recs) if (r.time) minutes.set(r.time.slice(0, 16), (minutes.get(r.time.slice(0, 16)) ?? 0) + 1);
    const innermost = [...recs].reverse().find((r) => r.innermost !== undefined);
    return {
      type,
      count: recs.length,
      first: { line: first.line, file: first.file, ...(first.time ? { time: first.time } : {}) },
      last: { line: last.line, file: last.file, ...(last.time ? { time: last.time } : {}) },
      messages: [...groups.values()].sort((a, b) => b.count - a.count),
      ...(innermost ? { innermostFrame: innermost.frames[innermost.innermost!] } : {}),
      timeline: [...minutes].sort().map(([minute, count]) => ({ minute, count })),
      samples: recs.slice(-5),
      actions: ErrorRecoveryMap.actionsFor(type).map((action) => ({
        action,
        reason: `${recs.length} ${type} record(s) within the watch window`,
        record: { file: last.file, line: last.line },
      })),
    };
  });
  errors.sort((a, b) => b.count - a.count);
  return { schema: 1, files: [...new Set(records.map((r) => r.file))], bytes: 0, lines: 0, elapsedMs: 0, engine: 'watch', errors, changed: [] };
}

function baseEvent(firing: Firing, dryRun: boolean): ActionEvent {
  const last = firing.records[firing.records.length - 1];
  return {
    event: 'action',
    action: 'none',
    result: 'skipped',
    ...(firing.target !== undefined ? { target: firing.target } : {}),
    type: firing.type,
    rule: ruleId(firing.rule),
    count: firing.records.length,
    record: { file: last.file, line: last.line },
    dryRun,
    time: new Date().toISOString(),
  };
}

/**
 * The responder for this build. The recovery layer (src/recovery/index.ts: planRecovery,
 * applyRecoveryActions) is loaded when present; without it every firing is reported with
 * the actions ErrorRecoveryMap names for its type and result "unavailable".
 */
export async function createResponder(options: ResponderOptions): Promise<Responder> {
  const recovery = await loadRecovery();
  const dryRun = options.dryRun || !options.yes;
  if (!recovery) {
    return {
      available: false,
      circuits: () => [],
      async respond(firing) {
        const actions = ErrorRecoveryMap.actionsFor(firing.type);
        const base = baseEvent(firing, dryRun);
        if (actions.length === 0) return [{ ...base, action: 'none', result: 'skipped', reason: `no automatic action for ${firing.type}` }];
        return actions.map((action) => ({ ...base, action, result: 'unavailable', reason: 'the recovery layer is not part of this build' }));
      },
    };
  }
  return {
    available: true,
    circuits: () => recovery.circuits?.(options) ?? [],
    async respond(firing) {
      const base = baseEvent(firing, dryRun);
      const diagnosis = diagnosisFromRecords(firing.records);
      try {
        const plan = await recovery.planRecovery(diagnosis, options.config);
        const results: Record<string, unknown>[] = (await recovery.applyRecoveryActions(plan, { dryRun, yes: true, stateDir: options.stateDir, configPath: options.configPath, config: options.config })) ?? [];
        if (results.length === 0) return [{ ...base, action: 'none', result: 'skipped', reason: 'the plan is empty' }];
        return results.map((r) => ({ ...base, ...r, action: String(r.action ?? 'unknown'), result: String(r.result ?? 'unknown') }));
      } catch (err) {
        return [{ ...base, action: 'plan', result: 'failed', reason: err instanceof Error ? err.message : String(err) }];
      }
    },
  };
}

interface RecoveryModule {
  planRecovery(diagnosis: Diagnosis, config: unknown): unknown;
  applyRecoveryActions(plan: unknown, options: Record<string, unknown>): Promise<Record<string, unknown>[]> | Record<string, unknown>[];
  circuits?(options: ResponderOptions): { action: string; target: string; open: boolean }[];
}

async function loadRecovery(): Promise<RecoveryModule | undefined> {
  // A computed specifier: the recovery layer is built in parallel and may not exist yet.
  const spec = '../recovery/index.js';
  try {
    const mod = (await import(spec)) as Partial<RecoveryModule>;
    if (typeof mod.planRecovery === 'function' && typeof mod.applyRecoveryActions === 'function') return mod as RecoveryModule;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  return undefined;
}
