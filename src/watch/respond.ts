// What happens when a rule fires: the records in its window become a Diagnosis, which goes
// through the same plan → policy (cooldown, circuit breaker, cap, lock) → journal path as
// `logmedic recover`. This module is the one place where watch meets src/recovery/.

import { analyzerFromConfig } from '../config/analyzer.js';
import type { LogmedicConfig } from '../config/types.js';
import type { LogAnalyzer } from '../diagnosis/analyzer.js';
import type { Diagnosis, LogRecord } from '../diagnosis/types.js';
import { applyRecoveryActions, circuits, planRecovery, RunLockBusy, type StepReport } from '../recovery/index.js';
import { ruleId, type Firing } from './rules.js';

export interface ActionEvent {
  event: 'action';
  action: string;
  target?: string;
  /** ok, failed, skipped, dry-run, or the policy that refused it: cooldown, circuit-open, hourly-cap; busy. */
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
  /** Circuit breaker state per action and target, for metrics. */
  circuits(): { action: string; target: string; open: boolean }[];
}

export interface ResponderOptions {
  /** The config in effect now (it changes on reload). */
  config: () => LogmedicConfig;
  /** The recovery state (policy, journal) lives here too, shared with `recover`. */
  stateDir: string;
  dryRun: boolean;
  /** Act without asking. Watch never asks: without --yes it only plans (dry run). */
  yes: boolean;
  signal?: AbortSignal;
}

/** Records of a window that recovery acts on: the most recent ones. */
const ACTED_ON = 5;

/**
 * A Diagnosis of the records in a rule's window, summarized by the core as an analysis is
 * (`LogAnalyzer.summarizeRecords`): what the recovery planner consumes. Recovery acts on the
 * window's most recent records, the ones that made the rule fire.
 */
export function diagnosisFromRecords(analyzer: LogAnalyzer, records: readonly LogRecord[]): Diagnosis {
  const diagnosis = analyzer.summarizeRecords(records);
  return { ...diagnosis, errors: diagnosis.errors.map((e) => ({ ...e, samples: e.samples.slice(-ACTED_ON) })) };
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

function toEvent(base: ActionEvent, step: StepReport): ActionEvent {
  // result: what happened to the step; policy refusals are named by their policy.
  const result = step.policy ?? (step.dryRun && !step.skip && step.result === 'skipped' ? 'dry-run' : step.result);
  return {
    ...base,
    action: step.action,
    target: step.target,
    result,
    ...(step.reason !== undefined ? { reason: step.reason } : {}),
    change: step.change,
    ...(step.error !== undefined ? { error: step.error } : {}),
    ...(step.before !== undefined ? { before: step.before } : {}),
    ...(step.after !== undefined ? { after: step.after } : {}),
    durationMs: step.durationMs,
    ...(base.target !== undefined && base.target !== step.target ? { ruleTarget: base.target } : {}),
  };
}

/**
 * The responder: each firing is planned and applied by the recovery layer, under its policy
 * (cooldown, circuit breaker, hourly cap, run lock) and into its journal, exactly as
 * `logmedic recover` does. Watch never asks: without --yes every plan is a dry run.
 */
export function createResponder(options: ResponderOptions): Responder {
  const dryRun = options.dryRun || !options.yes;
  const current = (): LogmedicConfig => ({ ...options.config(), state: { dir: options.stateDir } });
  // The analyzer of the config in effect (made again when a reload changes the config).
  let analyzer: { config: LogmedicConfig; analyzer: LogAnalyzer } | undefined;
  const analyzerFor = (config: LogmedicConfig): LogAnalyzer => {
    if (analyzer?.config !== config) analyzer = { config, analyzer: analyzerFromConfig(config) };
    return analyzer.analyzer;
  };
  return {
    circuits: () => {
      try {
        return circuits({ config: current(), stateDir: options.stateDir }).map(({ action, target, open }) => ({ action, target, open }));
      } catch {
        return [];
      }
    },
    async respond(firing) {
      const base = baseEvent(firing, dryRun);
      const config = current();
      try {
        const plan = await planRecovery(diagnosisFromRecords(analyzerFor(options.config()), firing.records), config);
        // A dry run asks the fleet too, as a real run would (read-only, bounded by the store's timeouts).
        const report = await applyRecoveryActions(plan, { config, stateDir: options.stateDir, dryRun, askFleet: true, signal: options.signal });
        const events = report.steps.map((step) => toEvent(base, step));
        for (const m of plan.manual) events.push({ ...base, action: 'manual', result: 'skipped', reason: m.advice });
        if (events.length === 0) events.push({ ...base, action: 'none', result: 'skipped', reason: 'the plan is empty' });
        return events;
      } catch (err) {
        if (err instanceof RunLockBusy) return [{ ...base, action: 'plan', result: 'busy', reason: err.message }];
        return [{ ...base, action: 'plan', result: 'failed', reason: err instanceof Error ? err.message : String(err) }];
      }
    },
  };
}
