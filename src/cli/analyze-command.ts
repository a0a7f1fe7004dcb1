// `logmedic analyze FILE...`: what failed in these logs, and what to do about it. Human
// output modelled on the original description's ("Found error: OutOfMemory / Recommended recovery actions:"),
// in English or Chinese; `--json` prints the Diagnosis (schema 1) and nothing else.
import type { Argv } from 'yargs';
import { LogmedicError, ExitCode } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { analyzerFromConfig, analyzerOptionsFromConfig } from '../config/analyzer.js';
import { manualAdvice } from '../recovery/action-map.js';
import type { Diagnosis, Frame, LogRecord, MinuteCount, Unrecognised } from '../diagnosis/types.js';
import type { JobProgress } from '../native.js';
import { inferUnrecognised } from '../diagnosis/inferred.js';
import type { Engine } from '../scan.js';
import { palette, type Palette } from './color.js';
import { maskControls, printJson } from './output.js';
import { createProgress } from './progress.js';
import { pickLang, strings, type Strings } from './i18n.js';
import { expandFiles } from './globs.js';
import { readTimeArgs, timeOptions, type TimeArgs } from './time-options.js';
import { CONFIG_DESCRIBE } from './config-option.js';
import { checkStdinOnce, checkWholeNumber } from './usage.js';

export { expandFiles, expandGlob } from './globs.js';

export interface AnalyzeArgs extends TimeArgs {
  files?: string[];
  journal?: boolean;
  unit?: string[];
  'journal-file'?: string;
  json?: boolean;
  verbose?: boolean;
  mmap: boolean;
  engine: Engine;
  threads?: number;
  lang?: string;
  'fail-on'?: string;
  'max-samples'?: number;
  report?: string;
  config?: string;
  cluster?: string;
  'range-mb'?: number;
  on?: string;
}

export function analyzeBuilder(y: Argv): Argv<AnalyzeArgs> {
  return timeOptions(y)
    .positional('files', { type: 'string', array: true, describe: 'log files or globs (plain, .gz, .zst; - for stdin)' })
    .option('journal', { type: 'boolean', describe: 'read the systemd journal (journalctl -o json) instead of files' })
    .option('unit', { alias: 'u', type: 'string', array: true, nargs: 1, describe: 'with --journal: only this systemd unit (repeatable)' })
    .option('journal-file', { type: 'string', describe: 'with --journal: read this journal file (journalctl --file)' })
    .option('json', { type: 'boolean', describe: 'print the diagnosis as JSON (schema 1) and nothing else' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'print every kept record with its stack trace' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large files (--no-mmap reads instead)' })
    .option('engine', { choices: ['auto', 'hyperscan', 'regex'] as const, default: 'auto' as Engine, describe: 'matching engine' })
    .option('threads', { alias: 't', type: 'number', describe: 'worker threads (default: all cores)' })
    .option('lang', { type: 'string', choices: ['en', 'zh'], describe: 'output language (default: from LC_ALL/LC_MESSAGES/LANG)' })
    .option('fail-on', { type: 'string', describe: 'exit 1 only if one of these types is found (comma-separated)' })
    .option('max-samples', { type: 'number', describe: 'records kept per type (default 5; 100 with --verbose)' })
    .option('config', { alias: 'c', type: 'string', describe: CONFIG_DESCRIBE })
    .option('cluster', { type: 'string', describe: 'split the files into byte ranges for the logmedic workers on this Redis (a redis:// or rediss:// URL)' })
    .option('range-mb', { type: 'number', describe: 'with --cluster: MiB per range (default 64)' })
    .option('on', { type: 'string', describe: 'with --cluster: ask the workers whose names match this glob to analyze the paths on their own disks (quote the paths)' })
    .example('$0 analyze app.log', 'what failed, and the recovery that fits')
    .example('$0 analyze "logs/**/*.log.gz" --json', 'several files, JSON out')
    .example("$0 analyze --cluster redis://10.0.0.5:6379 --on 'gpu-*' '/var/log/app/*.log'", 'each gpu-* worker reads its own disk: per-host and fleet-wide diagnoses')
    .option('report', { type: 'string', describe: 'also write a self-contained HTML report (charts, records, plan) to this file' })
    .example('$0 analyze app.log --fail-on OutOfMemory,GPUError', 'exit 1 only for these types')
    .example('$0 analyze app.log --report report.html', 'and an HTML report to open in a browser')
    .example('$0 analyze /var/log/syslog --since yesterday --until 06:00', 'only the records from yesterday until 6 this morning')
    .example('$0 analyze --journal -u visionai.service --since -2h', 'the journal of one service, the last two hours') as unknown as Argv<AnalyzeArgs>;
}

// ---------------------------------------------------------------------------------------

/** The types `--fail-on` names, checked against the catalog. */
export function parseFailOn(value: string | undefined, known: string[]): Set<string> | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new LogmedicError('E_USAGE', '--fail-on needs at least one type name');
  for (const n of names) {
    if (!known.includes(n)) throw new LogmedicError('E_USAGE', `--fail-on: unknown error type ${JSON.stringify(n)} (known: ${known.join(', ')})`);
  }
  return new Set(names);
}

/** Exit code for a diagnosis: 1 when failures (of the `failOn` types, if given) were found. */
export function exitFor(d: Diagnosis, failOn?: Set<string>): number {
  const hit = failOn ? d.errors.some((e) => failOn.has(e.type)) : d.errors.length > 0;
  return hit ? ExitCode.FOUND : ExitCode.OK;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of records per minute, gaps filled, at most `width` cells (minutes binned). */
export function sparkline(timeline: MinuteCount[], width = 60): string {
  if (timeline.length === 0) return '';
  const t = (m: string) => Date.parse(`${m}:00Z`) / 60_000;
  const first = t(timeline[0].minute);
  const last = t(timeline[timeline.length - 1].minute);
  const span = last - first + 1;
  const cells = Math.min(width, span);
  const bins = new Array<number>(cells).fill(0);
  for (const m of timeline) bins[Math.min(cells - 1, Math.floor(((t(m.minute) - first) * cells) / span))] += m.count;
  const max = Math.max(...bins);
  return bins.map((n) => (n === 0 ? ' ' : BARS[Math.min(7, Math.floor((n / max) * 7.999))])).join('').replace(/ /g, '▁');
}

function short(s: string, n = 100): string {
  const one = maskControls(s.replace(/\s+/g, ' '));
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function frameText(f: Frame): string {
  return maskControls(`${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.function ? ` in ${f.function}` : ''}`);
}

/** The human report. Pure, for tests. */
export function renderDiagnosis(d: Diagnosis, s: Strings, c: Palette, verbose = false): string {
  const out: string[] = [];
  const many = d.files.length > 1;
  if (d.errors.length === 0) out.push(c.green(s.noFailures));
  for (const e of d.errors) {
    out.push(`${c.bold(c.red(`${s.foundError}: ${e.type}`))}  ${c.dim(`(${s.records(e.count)})`)}`);
    const where = (p: { line: number; file: string }) => `${many ? `${p.file}:` : `${s.line} `}${p.line}`;
    if (e.count > 1) {
      const span = e.first.time && e.last.time ? `${e.first.time} → ${e.last.time}, ` : '';
      out.push(`  ${s.span}: ${span}${where(e.first)} … ${where(e.last)}`);
    } else out.push(`  ${s.at}: ${e.first.time ? `${e.first.time}, ` : ''}${where(e.first)}`);
    const messages = e.messages.slice(0, 3);
    if (messages.length > 0) {
      out.push(`  ${s.topMessages}`);
      const w = Math.max(...messages.map((m) => String(m.count).length));
      for (const m of messages) out.push(`    ${String(m.count).padStart(w)}× ${short(m.example)}`);
    }
    if (e.innermostFrame) out.push(`  ${s.innermostFrame}: ${c.cyan(frameText(e.innermostFrame))}`);
    if (e.timeline.length > 1) {
      out.push(`  ${s.timeline}: ${c.yellow(sparkline(e.timeline))} ${c.dim(`${e.timeline[0].minute} → ${e.timeline[e.timeline.length - 1].minute}`)}`);
    }
    if (verbose) for (const r of e.samples) out.push(...renderRecord(r, c));
    if (e.actions.length > 0) {
      out.push(s.recommended);
      for (const a of e.actions) out.push(`- ${c.bold(a.action)}`);
    } else {
      out.push(`${s.noAutomaticAction} ${manualAdvice(e.type, s.lang) ?? ''}`.trimEnd());
    }
    out.push('');
  }
  if (d.unrecognised && d.unrecognised.lines > 0) out.push(...renderUnrecognised(d.unrecognised, s, c, many, verbose), '');
  const records = d.errors.reduce((n, e) => n + e.count, 0);
  out.push(c.dim(s.summary(d.errors.length, records, d.files.length, d.lines, d.elapsedMs)));
  return out.join('\n') + '\n';
}

/** Unrecognised templates shown in the text report (all with --verbose); JSON and the HTML report list more. */
const UNRECOGNISED_SHOWN = 5;

function renderUnrecognised(u: Unrecognised, s: Strings, c: Palette, many: boolean, verbose = false): string[] {
  const out = [c.bold(c.yellow(s.unrecognised(u.lines, u.templates.length)))];
  const shown = verbose ? u.templates : u.templates.slice(0, UNRECOGNISED_SHOWN);
  const w = Math.max(...shown.map((t) => String(t.count).length));
  const where = (p: { line: number; file: string }) => `${many ? `${p.file}:` : `${s.line} `}${p.line}`;
  for (const t of shown) {
    const label = t.inferred?.type ? c.yellow(s.inferred(t.inferred.type, t.inferred.confidence)) : c.dim(s.notInferred);
    out.push(`  ${String(t.count).padStart(w)}× ${label}  ${short(t.template)}  ${c.dim(`[${t.id}]`)}`);
    const span = t.count > 1 ? `${where(t.first)} … ${where(t.last)}` : where(t.first);
    out.push(`  ${' '.repeat(w + 1)} ${c.dim(`${maskControls(span)}: ${short(t.example, 90)}`)}`);
  }
  const restLines = u.lines - shown.reduce((n, t) => n + t.count, 0);
  if (restLines > 0) out.push(c.dim(`  ${s.moreTemplates(restLines)}`));
  return out;
}

function renderRecord(r: LogRecord, c: Palette): string[] {
  const head = `  ${c.dim(maskControls(`${r.file}:${r.line}${r.endLine > r.line ? `-${r.endLine}` : ''}`))} ${c.dim(`[${r.patternId}]`)}`;
  const lines = r.text.split('\n').map((l) => `    ${maskControls(l)}`);
  return [head, ...lines];
}

/** --cluster and --range-mb, checked: the Redis URL and the range size in bytes. */
function clusterArgs(args: AnalyzeArgs, journal: boolean): { url: string; rangeBytes: number } {
  if (journal) throw new LogmedicError('E_USAGE', '--cluster analyzes files the workers can read, not --journal');
  if (!/^rediss?:\/\/\S+$/.test(args.cluster ?? '')) throw new LogmedicError('E_USAGE', `--cluster needs a redis:// or rediss:// URL, got ${JSON.stringify(args.cluster)}`);
  const mb = args['range-mb'] ?? 64;
  if (!(typeof mb === 'number' && Number.isFinite(mb) && mb > 0)) throw new LogmedicError('E_USAGE', `--range-mb must be a number > 0, got ${args['range-mb']}`);
  return { url: args.cluster!, rangeBytes: Math.max(1, Math.round(mb * 1024 * 1024)) };
}

/** `--on`: the paths are read on the workers' disks, never expanded here. */
async function runAnalyzeOnHosts(args: AnalyzeArgs, signal: AbortSignal): Promise<number> {
  if (args.cluster === undefined) throw new LogmedicError('E_USAGE', '--on goes with --cluster (the Redis its workers use)');
  if (args.journal === true || args.unit !== undefined || args['journal-file'] !== undefined) throw new LogmedicError('E_USAGE', '--on analyzes files on the workers\' disks, not --journal');
  if (args['range-mb'] !== undefined) throw new LogmedicError('E_USAGE', '--range-mb splits files for --cluster; with --on each host reads its own files whole');
  if (!args.on) throw new LogmedicError('E_USAGE', '--on needs a worker name or glob (e.g. \'gpu-*\')');
  const { url } = clusterArgs(args, false);
  const maxSamples = args['max-samples'] ?? (args.verbose ? 100 : 5);
  if (!Number.isInteger(maxSamples) || maxSamples < 0) throw new LogmedicError('E_USAGE', `--max-samples must be a whole number >= 0`);
  if (args.threads !== undefined) throw new LogmedicError('E_USAGE', '--threads: with --on each worker uses every core of its own machine');
  const time = readTimeArgs(args);
  const config = loadConfig({ configPath: args.config });
  const analyzerOptions = { engine: args.engine, mmap: args.mmap, maxSamples, ...time };
  const analyzer = analyzerFromConfig(config, analyzerOptions);
  const failOn = parseFailOn(args['fail-on'], analyzer.catalog.types.map((t) => t.name));
  const htmlReport = args.report !== undefined ? await import('../report/index.js') : undefined;
  if (htmlReport && args.report !== undefined) htmlReport.checkReportTarget(args.report);
  const { loadCluster } = await import('./worker-command.js');
  const [{ analyzeOnHosts, checkOnPaths }, report] = await loadCluster(() => Promise.all([import('../cluster/on-hosts.js'), import('../cluster/fleet-report.js')]));
  checkOnPaths(args.files ?? []);
  const answer = await analyzeOnHosts(args.files ?? [], { url, on: args.on, analyzer, analyzerOptions: { ...analyzerOptionsFromConfig(config), ...analyzerOptions }, signal });
  for (const h of answer.hosts) if (h.diagnosis) inferUnrecognised(h.diagnosis);
  inferUnrecognised(answer.fleet);
  const s = strings(pickLang(args.lang));
  for (const f of answer.fleet.changed) process.stderr.write(`logmedic: ${s.changed(f)}\n`);
  if (args.json) printJson(report.fleetJson(answer));
  else process.stdout.write(report.renderFleet(answer, s, palette(process.stdout), args.verbose));
  if (htmlReport && args.report !== undefined) {
    htmlReport.writeReport(args.report, answer.fleet);
    if (!args.json) process.stderr.write(`logmedic: report of the fleet diagnosis written to ${args.report}\n`);
  }
  return report.fleetExit(answer, failOn);
}

export async function runAnalyze(args: AnalyzeArgs, signal: AbortSignal): Promise<number> {
  if (args.on !== undefined) return runAnalyzeOnHosts(args, signal);
  const files = expandFiles(args.files ?? []);
  const journal = args.journal === true || args.unit !== undefined || args['journal-file'] !== undefined;
  if (journal && files.length > 0) throw new LogmedicError('E_USAGE', 'give log files or --journal, not both');
  if (!journal && files.length === 0) throw new LogmedicError('E_USAGE', 'analyze needs a log file (or --journal)');
  checkStdinOnce(files);
  if (args.threads !== undefined) checkWholeNumber('threads', args.threads, 1);
  const maxSamples = args['max-samples'] ?? (args.verbose ? 100 : 5);
  if (!Number.isInteger(maxSamples) || maxSamples < 0) throw new LogmedicError('E_USAGE', `--max-samples must be a whole number >= 0`);
  const time = readTimeArgs(args);
  const config = loadConfig({ configPath: args.config });
  const analyzerOptions = { engine: args.engine, threads: args.threads, mmap: args.mmap, maxSamples, ...time };
  const analyzer = analyzerFromConfig(config, analyzerOptions);
  if (args['range-mb'] !== undefined && args.cluster === undefined) throw new LogmedicError('E_USAGE', '--range-mb goes with --cluster');
  const cluster = args.cluster !== undefined ? clusterArgs(args, journal) : undefined;
  const failOn = parseFailOn(args['fail-on'], analyzer.catalog.types.map((t) => t.name));
  // The report writer, the journal reader and the cluster load only for their options.
  const report = args.report !== undefined ? await import('../report/index.js') : undefined;
  // A report that cannot be written fails now, not after the whole analysis.
  if (report && args.report !== undefined) report.checkReportTarget(args.report);
  const progress = createProgress('analyzing', { json: args.json });
  // Progress restarts with each file: carry what earlier files read.
  let base = 0;
  let last = 0;
  const onProgress = (p: JobProgress) => {
    if (p.bytes < last) base += last;
    last = p.bytes;
    progress.update(base + p.bytes, p.total > 0 ? base + p.total : undefined);
  };
  let diagnosis: Diagnosis;
  try {
    if (journal) {
      const { journalName, readJournal, renameFile } = await import('../journal/journalctl.js');
      const query = { units: args.unit, since: time.since, until: time.until, file: args['journal-file'] };
      let fifo = '';
      const read = await readJournal(query, (path) => {
        fifo = path;
        return analyzer.diagnoseFromLogs([path], { signal, onProgress });
      });
      diagnosis = renameFile(read, fifo, journalName(query));
    } else if (cluster) {
      // The queue library loads only for --cluster.
      const { loadCluster } = await import('./worker-command.js');
      const { analyzeOnCluster } = await loadCluster(() => import('../cluster/analyze.js'));
      diagnosis = await analyzeOnCluster(files, { ...cluster, analyzer, analyzerOptions: { ...analyzerOptionsFromConfig(config), ...analyzerOptions }, signal, onProgress });
    } else {
      diagnosis = await analyzer.diagnoseFromLogs(files, { signal, onProgress });
    }
  } finally {
    progress.done();
  }
  // The model types the Unrecognised groups here, whatever read the log (a cluster's workers too).
  inferUnrecognised(diagnosis);
  const lang = pickLang(args.lang);
  const s = strings(lang);
  for (const f of diagnosis.changed) process.stderr.write(`logmedic: ${s.changed(f)}\n`);
  if (args.json) printJson(diagnosis);
  else process.stdout.write(renderDiagnosis(diagnosis, s, palette(process.stdout), args.verbose));
  if (report && args.report !== undefined) {
    report.writeReport(args.report, diagnosis);
    if (!args.json) process.stderr.write(`logmedic: report written to ${args.report}\n`);
  }
  return exitFor(diagnosis, failOn);
}
