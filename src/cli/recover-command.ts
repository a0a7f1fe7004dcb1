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
import { maskControls, printJson } from './output.js';
import { readTimeArgs, timeOptions, type TimeArgs } from './time-options.js';

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
  const analyzer = analyzerFromConfig(config, { mmap: args.mmap, ...readTimeArgs(args) });
  const diagnosis = await analyzer.diagnoseFromLogs(files, { signal });
  if (!files.includes('-')) {
    const { inferUnrecognised } = await import('../diagnosis/inferred.js');
    diagnosis.inferred = await inferUnrecognised(files, analyzer.catalog, { signal });
  }
  return diagnosis;
}

const mark = (s: StepReport | { result: string }) => (s.result === 'ok' ? 'ok     ' : s.result === 'failed' ? 'FAILED ' : 'skipped');

function printPlan(plan: RecoveryPlan, out: NodeJS.WritableStream): void {
  if (plan.steps.length === 0 && plan.manual.length === 0) {
    out.write('nothing to recover: no failure with an action was found\n');
    return;
  }
  plan.steps.forEach((s, i) => {
    const why = `${s.trigger.type} at ${s.trigger.file}:${s.trigger.line}${s.records > 1 ? ` (+${s.records - 1} more)` : ''}`;
    out.write(`${String(i + 1).padStart(2)}. ${s.action}  ${clean(s.target)}\n    ${s.skip ? `skip: ${clean(s.skip)}` : clean(s.change)}\n    because: ${clean(why)}\n`);
  });
  for (const m of plan.manual) out.write(`    ${m.type} (${m.count}×): no automatic action — ${m.advice}\n`);
}

function printStep(s: StepReport, verbose: boolean): void {
  const what = s.result === 'ok' ? clean(s.change) : clean(s.error ?? s.reason ?? '');
  process.stdout.write(`${mark(s)} ${s.action}  ${clean(s.target)}  ${what}${s.durationMs ? ` (${(s.durationMs / 1000).toFixed(1)} s)` : ''}\n`);
  if (verbose && (s.before !== undefined || s.after !== undefined)) process.stdout.write(`        before ${clean(JSON.stringify(s.before))}\n        after  ${clean(JSON.stringify(s.after))}\n`);
}

function toJson(report: RecoveryReport, files: string[]) {
  return {
    dryRun: report.dryRun,
    files,
    steps: report.steps.map((s) => ({
      action: s.action,
      target: s.target,
      change: s.change,
      result: s.result,
      ...(s.interrupted ? { interrupted: true } : {}),
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
    process.stdout.write(`${doable} step${doable === 1 ? '' : 's'} to carry out${config.file ? ` (config ${config.file})` : ' (no config file: nothing is allowed)'}\n`);
  }

  let report: RecoveryReport;
  try {
    report = await applyRecoveryActions(plan, { config, dryRun: args['dry-run'], signal, onStep: args.json || args['dry-run'] ? undefined : (s) => printStep(s, Boolean(args.verbose)) });
  } catch (err) {
    if (err instanceof RunLockBusy) {
      process.stderr.write(`logmedic: ${clean(err.message)}\n`);
      return RecoverExit.BUSY;
    }
    throw err;
  }

  if (args.json) printJson(toJson(report, sources));
  else if (args['dry-run']) {
    process.stdout.write(`dry run: nothing will be changed${config.file ? ` (config ${config.file})` : ' (no config file found: nothing is allowed, every step is skipped)'}\n`);
    printPlan({ steps: report.steps.map((s) => ({ ...s, skip: s.policy ? `${s.policy}: ${s.reason}` : s.skip })), manual: plan.manual }, process.stdout);
  } else {
    for (const m of plan.manual) process.stdout.write(`manual  ${m.type} (${m.count}×): ${m.advice}\n`);
    const count = (r: string) => report.steps.filter((s) => s.result === r).length;
    process.stdout.write(`${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped\n`);
  }
  for (const e of report.escalations) process.stderr.write(`logmedic: ESCALATE: ${clean(e.message)}\n`);
  return report.exitCode;
}
