// The vocabulary of recovery: a plan is a list of steps (action + target + what will change),
// each action plans (reads only) and then executes and verifies; every step ends in a result.

import type { LogmedicConfig } from '../config/types.js';
import type { LogRecord } from '../diagnosis/types.js';
import type { Decision, FleetView } from './policy.js';

/** `dry-run`: a step a dry run would carry out (policy allows it); `skipped`: not carried out. */
export type StepResult = 'ok' | 'failed' | 'skipped' | 'dry-run';

/** The log record that asked for a step. */
export interface Trigger {
  file: string;
  line: number;
  type: string;
}

export interface PlannedStep {
  action: string;
  /** What it acts on, as a stable key: cooldown, circuit and dedup are per action + target. */
  target: string;
  /** One line: exactly what will change. */
  change: string;
  /** Set when the step cannot or need not be done: why. Such a step changes nothing. */
  skip?: string;
  trigger: Trigger;
  /** The record (full) that triggered it; actions read paths, pids, services from it. */
  record?: LogRecord;
  /** Records of the diagnosis that asked for this same step. */
  records: number;
  /** Action-specific plan data (e.g. from/to level), shown in --json. */
  detail?: Record<string, unknown>;
}

export interface ManualAdvice {
  type: string;
  count: number;
  advice: string;
}

export interface RecoveryPlan {
  steps: PlannedStep[];
  /** Types found that have no automatic action, with what a person should do. */
  manual: ManualAdvice[];
  /**
   * Records of a type that the plan did not read one by one (the diagnosis kept only samples,
   * and those asked for different steps): with the steps' `records`, they add up to the count.
   */
  unsampled?: { type: string; records: number }[];
}

export interface ActionContext {
  config: LogmedicConfig;
  /** The state dir (service logs, stack dumps live there). */
  stateDir: string;
  now: () => Date;
  /** PATH and the like for the commands an action runs (tests put fakes first on PATH). */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Facts read once per planning pass (service PIDs); absent when executing, which reads afresh. */
  memo?: Map<string, unknown>;
}

export interface PlanOutcome {
  target: string;
  change: string;
  skip?: string;
  detail?: Record<string, unknown>;
  /** Other actions this one hands off to for the same record (clear_deadlocks → restart_service). */
  handoff?: string[];
}

export interface ActionOutcome {
  result: StepResult;
  before?: unknown;
  after?: unknown;
  error?: string;
  detail?: Record<string, unknown>;
  /** What was changed, as done (real names where the plan could only say `<time>`); the plan's change when absent. */
  done?: string;
}

/** One recovery action: plan (reads only), then execute and verify. */
export interface RecoveryAction {
  name: string;
  /** Lower runs first: change config and files, free resources, and restart last. */
  phase: number;
  plan(record: LogRecord | undefined, ctx: ActionContext): Promise<PlanOutcome>;
  execute(step: PlannedStep, ctx: ActionContext): Promise<ActionOutcome>;
}

/** A step as carried out (or not): what the journal records and what `recover` reports. */
export interface StepReport extends PlannedStep {
  result: StepResult;
  dryRun: boolean;
  /** Set when policy (cooldown, circuit, cap; the fleet's with `policy.store`) kept the step from running. */
  policy?: Exclude<Decision, { allow: true }>['policy'];
  reason?: string;
  before?: unknown;
  after?: unknown;
  error?: string;
  durationMs: number;
  /** A step of an earlier run that a crash interrupted, reported (and counted) by this run. */
  interrupted?: boolean;
  /** A dry run with `policy.store`: the fleet's state for this action and target. */
  fleet?: FleetView;
}

export interface RecoveryReport {
  dryRun: boolean;
  steps: StepReport[];
  manual: ManualAdvice[];
  /** Circuits that are open: a person must look (exit code 4). */
  escalations: { action: string; target: string; attempts: number; message: string }[];
  exitCode: number;
}
