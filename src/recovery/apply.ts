// Carrying out a plan: under the run lock, steps a crash interrupted earlier are reported and
// counted first; then each step passes policy (circuit, cooldown, hourly cap), is journaled as
// an attempt (fsynced) before it acts, executes and verifies, and its result is journaled. A
// dry run evaluates the same policy on a copy of the state and writes nothing at all. With a
// fleet store (policy.store) a step also needs the fleet's slot, and each entry is copied there.

import { randomUUID } from 'node:crypto';
import { fileError, LogmedicError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import type { LogmedicConfig } from '../config/types.js';
import type { Diagnosis, LogRecord } from '../diagnosis/types.js';
import { findInterrupted, type InterruptedStep } from './interrupted.js';
import { appendAttempt, appendJournal, type JournalEntry } from './journal.js';
import { contextFor, orderSteps, planRecovery, planStep } from './plan.js';
import { acquireRunLock, decide, localStore, openPolicyStore, readState, recordAttempt, writeState } from './policy.js';
import { RecoveryActions } from './registry.js';
import type { PlannedStep, RecoveryPlan, RecoveryReport, StepReport } from './types.js';

/** Exit codes of `recover` beyond the common ones (0 ok, 2 usage/config, 3 internal). */
export const RecoverExit = {
  OK: 0,
  /** A step ran and failed (its verification did not pass). */
  FAILED: 1,
  /** A circuit is open: the same action kept failing to cure the error; a person must look. */
  ESCALATE: 4,
  /** Another logmedic run holds the state dir's lock. */
  BUSY: 5,
} as const;

export interface ApplyOptions {
  config?: LogmedicConfig;
  /** Overrides config.state.dir. */
  stateDir?: string;
  dryRun?: boolean;
  /** Asked once before anything changes, with the plan; false → nothing is done. */
  confirm?: (plan: RecoveryPlan) => boolean | Promise<boolean>;
  /** For a list of action names: the record they act on. */
  record?: LogRecord;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  signal?: AbortSignal;
  /** Called as each step ends (progress output). */
  onStep?: (step: StepReport) => void;
  /** Who approved this run: written on each step's attempt and result lines. */
  approvedBy?: string;
  /**
   * A dry run with `policy.store`: ask the fleet too (read-only) and show its state with each
   * step (`recover --dry-run`). Off by default: a preview then never waits on Redis.
   */
  askFleet?: boolean;
}

type Input = Diagnosis | RecoveryPlan | (PlannedStep | string)[];

const isDiagnosis = (input: Input): input is Diagnosis => !Array.isArray(input) && (input as Diagnosis).schema === 1 && Array.isArray((input as Diagnosis).errors);

async function toPlan(input: Input, config: LogmedicConfig, options: ApplyOptions): Promise<RecoveryPlan> {
  // The original description's flow: diagnoseFromLogs(path) → applyRecoveryActions(diagnosis).
  if (isDiagnosis(input)) return planRecovery(input, config);
  if (!Array.isArray(input)) return input;
  const ctx = contextFor(config, options);
  const steps: PlannedStep[] = [];
  for (const item of input) {
    if (typeof item !== 'string') steps.push(item);
    else steps.push((await planStep(item, options.record, ctx)).step);
  }
  return { steps: orderSteps(steps, config), manual: [] };
}

function report(step: PlannedStep, fields: Partial<StepReport> & Pick<StepReport, 'result' | 'dryRun'>): StepReport {
  return { ...step, durationMs: 0, ...fields };
}

/** Carry out a diagnosis, a plan, or a list of action names / planned steps. Never throws for a failed step. */
export async function applyRecoveryActions(input: Input, options: ApplyOptions = {}): Promise<RecoveryReport> {
  const loaded = options.config ?? loadConfig();
  const config = options.stateDir ? { ...loaded, state: { dir: options.stateDir } } : loaded;
  const plan = await toPlan(input, config, options);
  const ctx = contextFor(config, options);
  const now = ctx.now;
  const dryRun = options.dryRun ?? false;
  const out: RecoveryReport = { dryRun, steps: [], manual: plan.manual, escalations: [], exitCode: RecoverExit.OK };
  const finish = (s: StepReport) => {
    out.steps.push(s);
    options.onStep?.(s);
  };
  // Reported and counted here; a service they left down is already in the plan (planRecovery).
  const interrupted = await findInterrupted(ctx.stateDir, config, ctx.env);
  const doable = plan.steps.filter((s) => !s.skip);

  if (dryRun || (doable.length === 0 && interrupted.length === 0)) {
    // Policy as it would decide, on a copy of the state; nothing is written. With a fleet
    // store, the fleet is asked too, read-only, and its state shown with each step.
    const state = readState(ctx.stateDir);
    for (const i of interrupted) {
      recordAttempt(state, i.attempt.action, i.attempt.target, 'failed', new Date(i.attempt.time));
      finish(interruptedReport(i, dryRun));
    }
    const store = dryRun && options.askFleet && doable.length > 0 ? await openPolicyStore(config) : localStore;
    try {
      for (const step of plan.steps) {
        if (step.skip) {
          finish(report(step, { result: 'skipped', dryRun, reason: step.skip }));
          continue;
        }
        const local = decide(state, config, step.action, step.target, now());
        const fleet = store.preview ? await store.preview(state, step.action, step.target, now()) : undefined;
        const d = local.allow && fleet ? fleet.decision : local;
        const seen = fleet ? { fleet: fleet.fleet } : {};
        if (!d.allow) {
          finish(report(step, { result: 'skipped', dryRun, policy: d.policy, reason: d.reason, ...seen }));
          if (d.policy === 'circuit-open' || d.policy === 'fleet-circuit-open') out.escalations.push({ action: step.action, target: step.target, attempts: d.attempts, message: d.reason });
        } else finish(report(step, { result: 'dry-run', dryRun, reason: `would ${step.action}: ${step.change}`, ...seen }));
      }
    } finally {
      await store.close();
    }
    out.exitCode = out.escalations.length ? RecoverExit.ESCALATE : RecoverExit.OK;
    return out;
  }

  if (options.confirm && !(await options.confirm(plan))) {
    for (const step of plan.steps) finish(report(step, { result: 'skipped', dryRun, reason: step.skip ?? 'not confirmed' }));
    return out;
  }

  const release = acquireRunLock(ctx.stateDir);
  const runId = randomUUID();
  const store = await openPolicyStore(config);
  try {
    const state = readState(ctx.stateDir);
    // Close each interrupted attempt with its result line: failed, counted, its target verified.
    for (const i of interrupted) {
      const r = interruptedReport(i, dryRun);
      recordAttempt(state, i.attempt.action, i.attempt.target, 'failed', new Date(i.attempt.time));
      writeState(ctx.stateDir, state, config, now());
      appendJournal(ctx.stateDir, {
        time: i.attempt.time,
        runId: i.attempt.runId,
        attemptId: i.attempt.attemptId,
        action: i.attempt.action,
        target: i.attempt.target,
        trigger: i.attempt.trigger,
        dryRun,
        result: 'failed',
        interrupted: true,
        change: i.attempt.change,
        reason: r.reason,
        durationMs: 0,
        approvedBy: i.attempt.approvedBy,
      });
      finish(r);
    }
    for (const step of plan.steps) {
      const started = now();
      const t0 = performance.now();
      let r: StepReport;
      let attemptId: string | undefined;
      if (step.skip) r = report(step, { result: 'skipped', dryRun, reason: step.skip });
      else if (options.signal?.aborted) r = report(step, { result: 'skipped', dryRun, reason: 'aborted' });
      else {
        attemptId = randomUUID();
        const local = decide(state, config, step.action, step.target, started);
        const d = local.allow ? await store.reserve(state, step.action, step.target, attemptId, started) : local;
        if (!d.allow) {
          attemptId = undefined;
          r = report(step, { result: 'skipped', dryRun, policy: d.policy, reason: d.reason });
          if (d.policy === 'circuit-open' || d.policy === 'fleet-circuit-open') out.escalations.push({ action: step.action, target: step.target, attempts: d.attempts, message: d.reason });
        } else {
          const impl = RecoveryActions.get(step.action, config)!;
          // Write-ahead: on disk before the world changes, so that a crash from here on is found.
          appendAttempt(ctx.stateDir, { kind: 'attempt', attemptId, time: started.toISOString(), runId, action: step.action, target: step.target, trigger: step.trigger.file ? step.trigger : null, change: step.change, approvedBy: options.approvedBy });
          try {
            const o = await impl.execute(step, ctx);
            r = report(step, { result: o.result, dryRun, change: o.done ?? step.change, before: o.before, after: o.after, error: o.error, reason: o.result === 'skipped' ? o.error : undefined });
          } catch (err) {
            r = report(step, { result: 'failed', dryRun, error: (err as Error).message });
          }
          r.durationMs = Math.round((performance.now() - t0) * 10) / 10;
          if (r.result === 'ok' || r.result === 'failed') recordAttempt(state, step.action, step.target, r.result, started);
          await store.settle(step.action, step.target, attemptId);
        }
      }
      writeState(ctx.stateDir, state, config, now());
      const entry: JournalEntry = {
        time: started.toISOString(),
        runId,
        attemptId,
        action: r.action,
        target: r.target,
        trigger: r.trigger.file ? r.trigger : null,
        dryRun,
        result: r.result,
        policy: r.policy,
        change: r.change,
        reason: r.reason,
        before: r.before,
        after: r.after,
        durationMs: r.durationMs,
        error: r.error,
        approvedBy: options.approvedBy,
      };
      appendJournal(ctx.stateDir, entry);
      await store.publish(entry);
      finish(r);
    }
  } catch (err) {
    // The state dir refused a write (full, read-only): stop here. A step already begun has its
    // attempt line on disk, so the next run finds it; no step starts without one.
    if (typeof (err as NodeJS.ErrnoException).syscall === 'string') {
      const e = fileError(ctx.stateDir, 'write the recovery journal and state', err);
      throw new LogmedicError(e.code, `${e.message}; recovery stopped`, { cause: err });
    }
    throw err;
  } finally {
    await store.close();
    release();
  }
  out.exitCode = out.escalations.length ? RecoverExit.ESCALATE : out.steps.some((s) => s.result === 'failed' && !s.interrupted) ? RecoverExit.FAILED : RecoverExit.OK;
  return out;
}

/** An interrupted attempt as a step of this run's report: failed, and what its target looks like now. */
function interruptedReport(i: InterruptedStep, dryRun: boolean): StepReport {
  const a = i.attempt;
  return {
    action: a.action,
    target: a.target,
    change: a.change,
    trigger: a.trigger ?? { file: '', line: 0, type: '' },
    records: 1,
    result: 'failed',
    interrupted: true,
    dryRun,
    reason: `interrupted: the attempt of ${a.time} never finished (logmedic was killed or crashed during it); counted as a failed attempt; ${i.note}`,
    durationMs: 0,
  };
}

/** Circuits and their state now (open ones first), for `watch` metrics and `history`. */
export function circuits(options: { config?: LogmedicConfig; stateDir?: string; now?: Date } = {}): { action: string; target: string; open: boolean; openedAt?: string }[] {
  const config = options.config ?? loadConfig();
  const state = readState(options.stateDir ?? config.state.dir);
  const now = (options.now ?? new Date()).getTime();
  return Object.entries(state.circuits).map(([key, c]) => {
    const [action, ...rest] = key.split(' ');
    return { action, target: rest.join(' '), open: now < Date.parse(c.openedAt) + config.policy.circuit.windowSeconds * 1000, openedAt: c.openedAt };
  });
}
