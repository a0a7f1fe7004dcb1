// From a diagnosis to a plan: for each error type, the actions the map gives it (config and
// API overrides first), planned against the records that triggered them; deduplicated by
// action + target (one restart per service per run) and ordered (config and files first,
// freeing resources next, restarts last). Planning reads the system; it changes nothing.

import type { LogmedicConfig } from '../config/types.js';
import { ErrorRecoveryMap, MANUAL_ADVICE } from './action-map.js';
import type { Diagnosis, LogRecord, TypeSummary } from '../diagnosis/types.js';
import { typedGroups, type TypedGroup } from '../diagnosis/inferred.js';
import { RecoveryActions } from './registry.js';
import { findInterrupted, serviceDownRecord } from './interrupted.js';
import { notActionable } from './triggers.js';
import type { ActionContext, ManualAdvice, PlannedStep, RecoveryPlan } from './types.js';

export interface PlanOptions {
  /** Overrides of the action map for this plan only (type → actions). */
  actionMap?: Record<string, string[]>;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** A record standing for a summary that carries no samples: only where it was seen. */
function recordsOf(summary: TypeSummary): (LogRecord | undefined)[] {
  if (summary.samples.length > 0) return summary.samples;
  return [
    {
      type: summary.type,
      patternId: '',
      file: summary.first.file,
      line: summary.first.line,
      endLine: summary.first.line,
      offset: 0,
      message: summary.messages[0]?.example ?? '',
      text: '',
      frames: [],
      objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] },
    },
  ];
}

export function contextFor(config: LogmedicConfig, options: { env?: NodeJS.ProcessEnv; now?: () => Date; signal?: AbortSignal } = {}): ActionContext {
  return { config, stateDir: config.state.dir, now: options.now ?? (() => new Date()), env: options.env ?? process.env, signal: options.signal };
}

/** Plan one action for one record (or none). Unknown actions become skipped steps. */
export async function planStep(action: string, record: LogRecord | undefined, ctx: ActionContext, type?: string): Promise<{ step: PlannedStep; handoff: string[] }> {
  const trigger = { file: record?.file ?? '', line: record?.line ?? 0, type: type ?? record?.type ?? '' };
  const impl = RecoveryActions.get(action, ctx.config);
  if (!impl) return { step: { action, target: '-', change: '-', skip: `unknown action ${JSON.stringify(action)}`, trigger, record, records: 1 }, handoff: [] };
  try {
    const p = await impl.plan(record, ctx);
    return { step: { action, target: p.target, change: p.change, skip: p.skip, trigger, record, records: 1, detail: p.detail }, handoff: p.handoff ?? [] };
  } catch (err) {
    return { step: { action, target: '-', change: '-', skip: `cannot plan: ${(err as Error).message}`, trigger, record, records: 1 }, handoff: [] };
  }
}

const keyOf = (s: PlannedStep) => `${s.action} ${s.target}`;

/** Merge a step into the plan: one per action + target; a doable step beats a skipped one. Returns its key. */
function add(steps: PlannedStep[], step: PlannedStep): string {
  const same = steps.findIndex((s) => keyOf(s) === keyOf(step));
  if (same < 0) steps.push(step);
  else if (steps[same].skip && !step.skip) steps[same] = { ...step, records: steps[same].records + step.records };
  else steps[same].records += step.records;
  return keyOf(step);
}

/**
 * The records of a type beyond its samples (analyze keeps a few per type; planning reads those
 * one by one): counted with the step(s) every sample asked for; when the samples asked for
 * different steps, there is no telling which the others ask for, and they are returned.
 */
function countUnread(steps: PlannedStep[], summary: TypeSummary, asked: string[][]): number {
  const unread = summary.count - asked.length;
  if (unread <= 0) return 0;
  const first = asked[0]?.join('\n');
  if (first === undefined || asked.some((keys) => keys.join('\n') !== first)) return unread;
  for (const step of steps) if (asked[0].includes(keyOf(step))) step.records += unread;
  return 0;
}

export async function planRecovery(diagnosis: Diagnosis, config: LogmedicConfig, options: PlanOptions = {}): Promise<RecoveryPlan> {
  const ctx = { ...contextFor(config, options), memo: new Map<string, unknown>() };
  const map = { ...ErrorRecoveryMap.ACTION_MAP, ...config.actionMap, ...options.actionMap };
  const steps: PlannedStep[] = [];
  const manual: ManualAdvice[] = [];
  const unsampled: { type: string; records: number }[] = [];
  for (const summary of diagnosis.errors) {
    const actions = ErrorRecoveryMap.actionsFor(summary.type, map);
    if (actions.length === 0) {
      manual.push({ type: summary.type, count: summary.count, advice: MANUAL_ADVICE[summary.type] ?? 'no automatic action is mapped to this type' });
      continue;
    }
    // For each record planned, the keys of the steps it asked for.
    const asked: string[][] = [];
    for (const record of recordsOf(summary)) {
      const keys: string[] = [];
      asked.push(keys);
      const passive = notActionable(record, config.policy.alsoActOn);
      if (passive) {
        const trigger = { file: record?.file ?? '', line: record?.line ?? 0, type: summary.type };
        for (const action of actions) keys.push(add(steps, { action, target: `not-actionable:${passive.cls}`, change: '-', skip: passive.why, trigger, record, records: 1 }));
        continue;
      }
      for (const action of actions) {
        const { step, handoff } = await planStep(action, record, ctx, summary.type);
        keys.push(add(steps, step));
        for (const next of handoff) keys.push(add(steps, (await planStep(next, record, ctx, summary.type)).step));
      }
    }
    const unread = countUnread(steps, summary, asked);
    if (unread > 0) unsampled.push({ type: summary.type, records: unread });
  }
  for (const group of typedGroups(diagnosis)) await planInferred(group, steps, ctx, map);
  // A service that a restart interrupted by a crash left down is restarted again, under the
  // same policy; planned here so that it is shown, and confirmed, with the rest of the plan.
  for (const i of await findInterrupted(ctx.stateDir, config, ctx.env)) {
    if (!i.serviceDown) continue;
    const { step } = await planStep('restart_service', serviceDownRecord(i.serviceDown), ctx, 'InterruptedRecovery');
    add(steps, step);
  }
  return { steps: orderSteps(steps, config), manual, ...(unsampled.length ? { unsampled } : {}) };
}

/**
 * A type the model inferred (no pattern matched) is acted on only when `policy.inferred`
 * allows it and the model is confident enough; otherwise each step is planned, so the plan
 * says what it would do, and skipped with the reason.
 */
async function planInferred(group: TypedGroup, steps: PlannedStep[], ctx: ActionContext, map: Record<string, string[]>): Promise<void> {
  const { type, confidence } = group.inferred;
  const { allow, minConfidence } = ctx.config.policy.inferred;
  const why = !allow
    ? `inferred ${type} (confidence ${confidence}), not matched by a pattern: acting on inferred types is off (policy.inferred.allow)`
    : confidence < minConfidence
      ? `inferred ${type} (confidence ${confidence}) is below policy.inferred.minConfidence ${minConfidence}`
      : undefined;
  const record: LogRecord = {
    type,
    patternId: 'inferred',
    file: group.first.file,
    line: group.first.line,
    endLine: group.first.line,
    ...(group.first.time !== undefined ? { time: group.first.time } : {}),
    offset: 0,
    message: group.example,
    text: group.example,
    frames: [],
    objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] },
  };
  const passive = notActionable(record, ctx.config.policy.alsoActOn);
  for (const action of ErrorRecoveryMap.actionsFor(type, map)) {
    if (passive) {
      add(steps, { action, target: `not-actionable:${passive.cls}`, change: '-', skip: passive.why, trigger: { file: record.file, line: record.line, type: `inferred:${type}` }, record, records: 1 });
      continue;
    }
    const { step } = await planStep(action, record, ctx, `inferred:${type}`);
    add(steps, why && !step.skip ? { ...step, skip: why } : step);
  }
}

/** By phase (config and files, then resources, then restarts); stable within a phase. */
export function orderSteps(steps: PlannedStep[], config: LogmedicConfig): PlannedStep[] {
  const phase = (s: PlannedStep) => RecoveryActions.get(s.action, config)?.phase ?? 70;
  return steps.map((s, i) => ({ s, i })).sort((a, b) => phase(a.s) - phase(b.s) || a.i - b.i).map((x) => x.s);
}
