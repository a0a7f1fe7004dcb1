// `logmedic recover FILE…`: diagnose the logs, plan the recovery, show it, and carry it out —
// after confirmation on a terminal, or with --yes; --dry-run only prints the plan.
// Exit codes: 0 done (or nothing to do), 1 a step failed, 2 usage/config/refused without
// confirmation, 4 a circuit is open (escalate to a person), 5 another run holds the lock.

import { CONFIG_DESCRIBE } from './config-option.js';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { loadConfig, type LogmedicConfig } from '../config/index.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { ExitCode, LogmedicError } from '../errors.js';
import { applyRecoveryActions, planRecovery, RecoverExit, RunLockBusy, type RecoveryPlan, type RecoveryReport, type StepReport } from '../recovery/index.js';
import type { FleetView } from '../recovery/policy.js';
import { maskControls, printJson } from './output.js';
import { readTimeArgs, timeOptions, type TimeArgs } from './time-options.js';
import { pickLang, strings } from './i18n.js';

export interface RecoverArgs extends TimeArgs {
  files?: string[];
  'dry-run'?: boolean;
  yes?: boolean;
  json?: boolean;
  config?: string;
  diagnosis?: string;
  mmap: boolean;
  verbose?: boolean;
}

export function recoverBuilder(y: Argv): Argv<RecoverArgs> {
  return timeOptions(y)
    .positional('files', { type: 'string', array: true, describe: 'log files to diagnose (plain, .gz, .zst; - for stdin)' })
    .option('dry-run', { alias: 'n', type: 'boolean', describe: 'print the exact plan and change nothing' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'carry out the plan without asking' })
    .option('json', { type: 'boolean', describe: 'print the plan/report as JSON' })
    .option('config', { alias: 'c', type: 'string', describe: CONFIG_DESCRIBE })
    .option('diagnosis', { type: 'string', describe: 'use a saved diagnosis (analyze --json output; - for stdin) instead of reading logs' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large logs (--no-mmap reads instead)' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'show before/after of each step' })
    .example('$0 recover app.log --dry-run', 'what would be done, changing nothing')
    .example('$0 recover app.log --yes', 'carry it out without asking')
    .example('$0 analyze app.log --json > d.json && $0 recover --diagnosis d.json', 'recover from a saved diagnosis') as unknown as Argv<RecoverArgs>;
}

/** Control characters from log text must not reach the terminal (escape-sequence injection). */
export const clean = (s: string) => maskControls(s, true);

function readDiagnosis(file: string): Diagnosis {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LogmedicError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `${file}: cannot read the diagnosis (${code ?? err})`);
  }
  let d: Diagnosis;
  try {
    d = JSON.parse(text);
  } catch (err) {
    throw new LogmedicError('E_INVALID_ARG', `${file}: not a diagnosis: invalid JSON (${(err as Error).message})`);
  }
  if (!d || typeof d !== 'object' || d.schema !== 1 || !Array.isArray(d.errors)) throw new LogmedicError('E_INVALID_ARG', `${file}: not a diagnosis (expected the output of analyze --json, schema 1)`);
  return d;
}

async function diagnose(files: string[], args: RecoverArgs, config: LogmedicConfig, signal: AbortSignal): Promise<Diagnosis> {
  // Loaded on demand: the analyzer needs the native addon, which --diagnosis does not.
  const { analyzerFromConfig } = await import('../config/analyzer.js');
  const analyzer = analyzerFromConfig(config, { mmap: args.mmap, maxSamples: PLAN_SAMPLES, ...readTimeArgs(args) });
  const diagnosis = await analyzer.diagnoseFromLogs(files, { signal });
  const { inferUnrecognised } = await import('../diagnosis/inferred.js');
  return inferUnrecognised(diagnosis);
}

/** Records per type the plan reads one by one (the rest are counted: see RecoveryPlan.unsampled). */
const PLAN_SAMPLES = 100;

const mark = (s: StepReport | { result: string }) => (s.result === 'ok' ? 'ok     ' : s.result === 'failed' ? 'FAILED ' : s.result === 'dry-run' ? 'would  ' : 'skipped');

/** How a run's steps ended, skipped ones by why: the same counts in text and JSON. */
export function totals(steps: StepReport[]) {
  const n = (f: (s: StepReport) => boolean) => steps.filter(f).length;
  const skipped = steps.filter((s) => s.result === 'skipped');
  return {
    steps: steps.length,
    ok: n((s) => s.result === 'ok'),
    failed: n((s) => s.result === 'failed'),
    interrupted: n((s) => Boolean(s.interrupted)),
    dryRun: n((s) => s.result === 'dry-run'),
    skipped: skipped.length,
    /** Why the skipped ones were: the plan said it cannot be done, policy held it back, or it was found undoable (or aborted, or not confirmed) when its turn came. */
    skippedBy: { plan: skipped.filter((s) => s.skip && !s.policy).length, policy: skipped.filter((s) => s.policy).length, run: skipped.filter((s) => !s.skip && !s.policy).length },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `7 steps: 0 ok, 0 failed, 7 skipped (4 cannot be done as planned, 3 held back by policy)`. */
export function totalsLine(t: ReturnType<typeof totals>): string {
  const parts = t.dryRun ? [`${t.dryRun} would be carried out`] : [`${t.ok} ok`, `${t.failed} failed${t.interrupted ? ` (${t.interrupted} interrupted earlier)` : ''}`];
  const why = [
    t.skippedBy.plan && `${t.skippedBy.plan} cannot be done as planned`,
    t.skippedBy.policy && `${t.skippedBy.policy} held back by policy`,
    t.skippedBy.run && `${t.skippedBy.run} not done when their turn came`,
  ].filter(Boolean);
  return `${plural(t.steps, 'step')}: ${parts.join(', ')}, ${t.skipped} skipped${why.length ? ` (${why.join(', ')})` : ''}`;
}

/** A dry run's view of the fleet policy for one step (policy.store): what Redis holds, or that it is out of reach. */
export function fleetLine(v: FleetView): string {
  if (!v.reachable) {
    const cap = v.offline!.cap;
    return `fleet ${v.store}: unreachable (${v.unreachable}); would fall back to this host's policy and act less: at most ${plural(cap, 'action')} an hour while the store is out of reach (${v.offline!.actionsThisHour} in the last hour)`;
  }
  const c = v.circuit!;
  const circuit = c.open ? `circuit OPEN since ${c.openedAt} (${plural(c.attempts, 'attempt')})` : `circuit closed (${c.attempts} of ${c.maxAttempts} attempts in ${c.windowSeconds} s)`;
  const cooldown = v.cooldownLeftSeconds ? `cooldown ${v.cooldownLeftSeconds} s left` : 'no cooldown';
  const slots = v.slots!.max === null ? `${v.slots!.inUse} in progress (no maxConcurrent)` : `${v.slots!.inUse} of ${v.slots!.max} slots in use`;
  return `fleet ${v.store}: ${circuit}, ${cooldown}, ${slots}, ${v.hour!.actions} of ${v.hour!.cap} actions this hour`;
}

function printPlan(plan: RecoveryPlan, out: NodeJS.WritableStream, dryRun = false): void {
  if (plan.steps.length === 0 && plan.manual.length === 0) {
    out.write('nothing to recover: no failure with an action was found\n');
    return;
  }
  plan.steps.forEach((s, i) => {
    const why = `${s.trigger.type} at ${s.trigger.file}:${s.trigger.line}${s.records > 1 ? ` (+${s.records - 1} more)` : ''}`;
    out.write(`${String(i + 1).padStart(2)}. ${s.action}  ${clean(s.target)}\n    ${s.skip ? `skip: ${clean(s.skip)}` : `${dryRun ? 'would: ' : ''}${clean(s.change)}`}\n    because: ${clean(why)}\n`);
    const fleet = (s as Partial<StepReport>).fleet;
    if (fleet) out.write(`    ${clean(fleetLine(fleet))}\n`);
  });
  for (const u of plan.unsampled ?? []) out.write(`    ${u.type}: ${plural(u.records, 'more record')} not read one by one (the diagnosis kept samples only)\n`);
  for (const m of plan.manual) out.write(`    ${m.type} (${m.count}×): no automatic action — ${m.advice}\n`);
}

function printStep(s: StepReport, verbose: boolean): void {
  const what = s.result === 'ok' ? clean(s.change) : clean(s.error ?? s.reason ?? '');
  process.stdout.write(`${mark(s)} ${s.action}  ${clean(s.target)}  ${what}${s.durationMs ? ` (${(s.durationMs / 1000).toFixed(1)} s)` : ''}\n`);
  if (verbose && (s.before !== undefined || s.after !== undefined)) process.stdout.write(`        before ${clean(JSON.stringify(s.before))}\n        after  ${clean(JSON.stringify(s.after))}\n`);
}

function toJson(report: RecoveryReport, files: string[], plan: RecoveryPlan) {
  return {
    dryRun: report.dryRun,
    totals: totals(report.steps),
    files,
    steps: report.steps.map((s) => ({
      action: s.action,
      target: s.target,
      change: s.change,
      result: s.result,
      ...(s.interrupted ? { interrupted: true } : {}),
      ...(s.fleet ? { fleet: s.fleet } : {}),
      ...(s.policy ? { policy: s.policy } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
      trigger: s.trigger,
      records: s.records,
      ...(s.detail ? { detail: s.detail } : {}),
      ...(s.before !== undefined ? { before: s.before } : {}),
      ...(s.after !== undefined ? { after: s.after } : {}),
      ...(s.error ? { error: s.error } : {}),
      durationMs: s.durationMs,
    })),
    manual: report.manual,
    ...(plan.unsampled ? { unsampled: plan.unsampled } : {}),
    escalations: report.escalations,
    exitCode: report.exitCode,
  };
}

async function askOnTerminal(plan: RecoveryPlan): Promise<boolean> {
  printPlan(plan, process.stdout);
  const n = plan.steps.filter((s) => !s.skip).length;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Carry out ${n} step${n === 1 ? '' : 's'}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runRecover(args: RecoverArgs, signal: AbortSignal): Promise<number> {
  const files = args.files ?? [];
  if (files.length === 0 && args.diagnosis === undefined) throw new LogmedicError('E_USAGE', 'recover needs a log file (or --diagnosis FILE)');
  const config: LogmedicConfig = loadConfig({ configPath: args.config });
  const diagnosis = args.diagnosis !== undefined ? readDiagnosis(args.diagnosis) : await diagnose(files, args, config, signal);
  // A plan from a log that changed under the read acts on part of it: said as analyze says it.
  const said = strings(pickLang(undefined));
  for (const f of Array.isArray(diagnosis.changed) ? diagnosis.changed : []) process.stderr.write(`logmedic: ${said.changed(clean(String(f)))}\n`);
  const plan = await planRecovery(diagnosis, config);
  const sources = args.diagnosis !== undefined ? diagnosis.files : files;
  const doable = plan.steps.filter((s) => !s.skip).length;

  if (!args['dry-run'] && doable > 0 && !args.yes) {
    if (!(process.stdin.isTTY && process.stdout.isTTY) || args.json) {
      if (!args.json) printPlan(plan, process.stderr);
      throw new LogmedicError('E_USAGE', `refusing to change the system without confirmation (${doable} step${doable === 1 ? '' : 's'} planned): no terminal to ask on; pass --yes to carry them out, or --dry-run to see the plan`);
    }
    if (!(await askOnTerminal(plan))) {
      process.stdout.write('nothing done\n');
      return ExitCode.OK;
    }
  } else if (!args.json && !args['dry-run']) {
    const undoable = plan.steps.length - doable;
    const of = undoable ? `${doable} of ${plural(plan.steps.length, 'step')} to carry out (${undoable} cannot be done as planned)` : `${plural(doable, 'step')} to carry out`;
    process.stdout.write(`${of}${config.file ? ` (config ${config.file})` : ' (no config file: nothing is allowed)'}\n`);
  }

  let report: RecoveryReport;
  try {
    report = await applyRecoveryActions(plan, { config, dryRun: args['dry-run'], askFleet: true, signal, onStep: args.json || args['dry-run'] ? undefined : (s) => printStep(s, Boolean(args.verbose)) });
  } catch (err) {
    if (err instanceof RunLockBusy) {
      process.stderr.write(`logmedic: ${clean(err.message)}\n`);
      return RecoverExit.BUSY;
    }
    throw err;
  }

  if (args.json) printJson(toJson(report, sources, plan));
  else if (args['dry-run']) {
    process.stdout.write(`dry run: nothing will be changed${config.file ? ` (config ${config.file})` : ' (no config file found: nothing is allowed, every step is skipped)'}\n`);
    printPlan({ steps: report.steps.map((s) => ({ ...s, skip: s.policy ? `${s.policy}: ${s.reason}` : s.skip })), manual: plan.manual, unsampled: plan.unsampled }, process.stdout, true);
    process.stdout.write(`${totalsLine(totals(report.steps))}\n`);
  } else {
    for (const m of plan.manual) process.stdout.write(`manual  ${m.type} (${m.count}×): ${m.advice}\n`);
    process.stdout.write(`${totalsLine(totals(report.steps))}\n`);
  }
  for (const e of report.escalations) process.stderr.write(`logmedic: ESCALATE: ${clean(e.message)}\n`);
  return report.exitCode;
}
