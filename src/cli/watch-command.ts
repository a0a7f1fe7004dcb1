// `logmedic watch`: follow growing logs (files, or the systemd journal with --journal), report
// failure records as they are written, and act through the recovery policy when a rule's
// threshold is crossed. Runs until SIGINT/SIGTERM; SIGHUP reloads the config.

import { CONFIG_DESCRIBE } from './config-option.js';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { existsSync } from 'node:fs';
import { defaultCatalog } from '../catalog/index.js';
import { LogmedicError } from '../errors.js';
import { checkJournalctl, type JournalQuery } from '../journal/journalctl.js';
import { analyzerFromConfig } from '../config/analyzer.js';
import { loadWatchConfig, parseRuleSpec, type LoadedConfig } from '../watch/config.js';
import { checkSpec, isGlob } from '../watch/discovery.js';
import { serveMetrics } from '../watch/metrics.js';
import { createResponder, type ActionEvent } from '../watch/respond.js';
import type { WatchRule } from '../watch/rules.js';
import { Watcher, type RecordEvent, type UnrecognisedEvent } from '../watch/watcher.js';
import { jsonText, maskControls } from './output.js';

export interface WatchArgs {
  paths: string[];
  'state-dir'?: string;
  config?: string;
  json?: boolean;
  'dry-run'?: boolean;
  yes?: boolean;
  'from-start'?: boolean;
  rule?: string[];
  metrics?: number;
  'metrics-host': string;
  'poll-ms': number;
  'idle-ms': number;
  journal?: boolean;
  unit?: string[];
  'journal-file'?: string;
}

export function watchBuilder(y: Argv): Argv<WatchArgs> {
  return y
    .positional('paths', { type: 'string', array: true, describe: 'log files or quoted globs ("logs/*.log", "/var/log/app/**/*.log")' })
    .option('journal', { type: 'boolean', describe: 'follow the systemd journal (journalctl -f -o json), its cursor kept in the checkpoint' })
    .option('unit', { alias: 'u', type: 'string', array: true, nargs: 1, describe: 'with --journal: only this systemd unit (repeatable)' })
    .option('journal-file', { type: 'string', describe: 'with --journal: follow this journal file (journalctl --file)' })
    .option('state-dir', { type: 'string', describe: 'where checkpoints live (default: the config\'s state.dir, else .logmedic/)' })
    .option('config', { alias: 'c', type: 'string', describe: CONFIG_DESCRIBE })
    .option('json', { type: 'boolean', describe: 'one JSON object per line for each record and action, nothing else on stdout' })
    .option('dry-run', { type: 'boolean', describe: 'plan recovery when a rule fires, change nothing' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'carry out recovery when a rule fires (without it the watch only plans)' })
    .option('from-start', { type: 'boolean', describe: 'read files found at start from their beginning (default: from their end)' })
    .option('rule', { type: 'string', array: true, nargs: 1, describe: 'TYPE:N/WINDOW[:per-target]: act when N records of TYPE fall within WINDOW (e.g. OutOfMemory:3/60s)' })
    .option('metrics', { type: 'number', describe: 'serve Prometheus metrics on this port (0: any free port)' })
    .option('metrics-host', { type: 'string', default: '127.0.0.1', describe: 'address for --metrics' })
    .option('poll-ms', { type: 'number', default: 250, describe: 'how often files are looked at even without change notices' })
    .option('idle-ms', { type: 'number', default: 200, describe: 'quiet time after which the last entry of a file counts as complete' })
    .example('$0 watch "/var/log/app/*.log" --json', 'follow every .log file there, one JSON line per failure')
    .example('$0 watch app.log --rule OutOfMemory:3/60s --yes', 'recover after 3 out-of-memory records within a minute')
    .example('$0 watch --journal -u app.service --rule OutOfMemory:3/60s', 'follow one systemd unit\'s journal')
    .example('$0 watch app.log --metrics 9464', 'also serve http://127.0.0.1:9464/metrics') as unknown as Argv<WatchArgs>;
}

function intOption(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) throw new LogmedicError('E_USAGE', `--${name} must be a whole number from ${min} to ${max}, got ${v}`);
}

function rulesFrom(args: WatchArgs, loaded: LoadedConfig): WatchRule[] {
  const known = (loaded.config.catalog ?? defaultCatalog()).types.map((t) => t.name);
  const given = (args.rule ?? []).map((spec) => {
    const rule = parseRuleSpec(spec);
    // As analyze's --fail-on: a rule on a type no record can have would never fire.
    if (!known.includes(rule.type)) throw new LogmedicError('E_USAGE', `--rule ${JSON.stringify(spec)}: unknown error type ${JSON.stringify(rule.type)} (known: ${known.join(', ')})`);
    return rule;
  });
  return [...loaded.watch.rules, ...given];
}

export async function runWatch(args: WatchArgs, signal: AbortSignal): Promise<number> {
  intOption('metrics', args.metrics, 0, 65535);
  intOption('poll-ms', args['poll-ms'], 10, 60_000);
  intOption('idle-ms', args['idle-ms'], 0, 60_000);
  if (args.yes && args['dry-run']) throw new LogmedicError('E_USAGE', '--yes and --dry-run contradict each other; pick one');
  const paths = args.paths ?? [];
  const journal: JournalQuery | undefined =
    args.journal === true || args.unit !== undefined || args['journal-file'] !== undefined ? { units: args.unit, file: args['journal-file'] } : undefined;
  if (!journal && paths.length === 0) throw new LogmedicError('E_USAGE', 'watch needs log files or globs (or --journal)');
  if (journal) checkJournalctl();
  for (const p of paths) {
    const problem = checkSpec(p);
    if (problem) throw new LogmedicError('E_USAGE', problem);
  }
  let loaded = loadWatchConfig(args.config);
  const rules = rulesFrom(args, loaded);
  const stateDir = resolve(args['state-dir'] ?? loaded.config.state.dir);
  const json = args.json === true;
  const status = !json && process.stderr.isTTY === true;
  let statusShown = false;
  const note = (msg: string) => {
    clearStatus();
    process.stderr.write(`logmedic: ${maskControls(msg)}\n`);
  };

  // The analyzer every command builds from the config: its catalog additions and actionMap
  // decide what watch reports, as they do for analyze. SIGHUP swaps in the reloaded one.
  let analyzer = analyzerFromConfig(loaded.config);
  const responder = createResponder({ config: () => loaded.config, stateDir, signal, dryRun: args['dry-run'] === true, yes: args.yes === true });

  function clearStatus(): void {
    if (statusShown) process.stderr.write('\r\x1b[K');
    statusShown = false;
  }
  const out = (line: string) => {
    clearStatus();
    process.stdout.write(line + '\n');
  };

  const escalated = new Set<string>();
  const pending: string[] = [];
  let journalEnded: string | undefined;
  const watcher = new Watcher({
    paths,
    journal,
    onJournalEnd: (end) => {
      journalEnded = end.reason;
      stop(); // journalctl's own line, below, says why
    },
    stateDir,
    classify: (buf, meta) => analyzer.sliceOfBuffer(buf, meta),
    rules,
    fromStart: args['from-start'] === true,
    pollMs: args['poll-ms'],
    idleMs: args['idle-ms'],
    checkpointSeconds: loaded.watch.checkpointSeconds,
    respond: (f) => responder.respond(f),
    circuits: () => responder.circuits(),
    onRecord: (e) => pending.push(json ? jsonText(e) : formatRecord(e)),
    onFlush: () => {
      // One write per tick: the events of a committed checkpoint go out together.
      const text = pending.join('\n') + '\n';
      pending.length = 0;
      clearStatus();
      process.stdout.write(text);
    },
    onUnrecognised: (e) => out(json ? jsonText(e) : formatUnrecognised(e)),
    onAction: (e) => {
      out(json ? jsonText(e) : formatAction(e));
      if (e.result === 'circuit-open' && !escalated.has(`${e.action} ${e.target}`)) {
        escalated.add(`${e.action} ${e.target}`);
        note(`escalation: ${e.reason}`);
      }
    },
    onNote: note,
    onSkipped: (e) => {
      note(`${e.file}:${e.line}: ${e.bytes} bytes passed over, they could not be classified (${e.code}: ${e.reason})`);
      if (json) out(jsonText(e));
    },
  });
  let metricsServer: import('node:http').Server | undefined;
  if (args.metrics !== undefined) {
    try {
      const { server, address } = await serveMetrics(args['metrics-host'], args.metrics, () => watcher.snapshot());
      metricsServer = server;
      note(`metrics on http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LogmedicError('E_USAGE', `--metrics ${args.metrics}: cannot listen on ${args['metrics-host']} (${code ?? (err as Error).message})`);
    }
  }
  try {
    watcher.start();
  } catch (err) {
    metricsServer?.close();
    throw err;
  }
  let stopping = false;
  let resolveStop!: () => void;
  const stopped = new Promise<void>((r) => (resolveStop = r));
  const stop = (why?: string) => {
    if (stopping) return;
    stopping = true;
    if (!json && why !== undefined) note(`stopping (${why})`);
    void watcher
      .stop()
      .catch((err) => note(`could not write the final checkpoint: ${(err as Error).message}`))
      .finally(() => {
        metricsServer?.close();
        resolveStop();
      });
  };
  const onTerm = () => stop('SIGTERM');
  const onAbort = () => stop('SIGINT');
  const onHup = () => {
    try {
      const reloaded = loadWatchConfig(args.config);
      const next = rulesFrom(args, reloaded);
      analyzer = analyzerFromConfig(reloaded.config);
      loaded = reloaded;
      watcher.reload(next, loaded.watch.checkpointSeconds);
      note(`config reloaded: ${next.length} rule(s)${loaded.file ? ` from ${loaded.file}` : ''}`);
    } catch (err) {
      note(`config reload failed, keeping the previous one: ${(err as Error).message}`);
    }
  };
  const onOutputError = (err: NodeJS.ErrnoException) => stop(err.code === 'EPIPE' ? 'output closed' : `output error ${err.code}`);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  signal.addEventListener('abort', onAbort, { once: true });
  process.stdout.on('error', onOutputError);
  if (signal.aborted) stop('SIGINT');

  if (rules.length > 0 && !args.yes && !args['dry-run']) note('rules will only plan recovery (dry run); pass --yes to carry it out');
  const what = [paths.length > 0 ? `${watcher.files.length} file(s) matching ${paths.join(' ')}` : '', journal ? 'the journal' : ''].filter((w) => w !== '').join(' and ');
  note(`watching ${what}; state in ${stateDir}`);
  for (const p of paths) {
    if (!isGlob(p) && !existsSync(p)) note(`${p}: no such file yet; it is followed when it appears`);
  }

  const statusTimer = status
    ? setInterval(() => {
        const files = watcher.files.length;
        const records = [...watcher.recordsByType.values()].reduce((a, b) => a + b, 0);
        const actions = [...watcher.actionsByResult.values()].reduce((a, b) => a + b, 0);
        const behind = [...watcher.snapshot().behind.values()].reduce((a, b) => a + b, 0);
        const line = `watching ${files} file(s) · ${(watcher.bytesRead / 1e6).toFixed(1)} MB read · ${records} record(s) · ${actions} action(s) · ${behind} B behind`;
        process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
        statusShown = true;
      }, 500)
    : undefined;

  await stopped;
  process.off('SIGTERM', onTerm);
  process.off('SIGHUP', onHup);
  signal.removeEventListener('abort', onAbort);
  process.stdout.off('error', onOutputError);
  if (statusTimer) clearInterval(statusTimer);
  clearStatus();
  // Without journalctl the watch is blind to the journal: an error, not a quiet end.
  if (journalEnded !== undefined) throw new LogmedicError('E_INVALID_ARG', `journalctl: ${journalEnded}`);
  return 0;
}

function formatRecord(e: RecordEvent): string {
  return maskControls(`${e.time}  ${e.type.padEnd(16)} ${e.file}:${e.line}  ${e.message}`);
}

/** Templates listed per Unrecognised section in text; JSON lists them all. */
const UNRECOGNISED_SHOWN = 5;

function formatUnrecognised(e: UnrecognisedEvent): string {
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const out = [`${e.seenAt}  Unrecognised in ${e.file}: ${n(e.lines, 'error-level line')} that no pattern matched, ${n(e.templates.length, 'template')} (types inferred by the model, not matched)`];
  const shown = e.templates.slice(0, UNRECOGNISED_SHOWN);
  const w = Math.max(...shown.map((t) => String(t.count).length));
  for (const t of shown) {
    const label = t.inferred?.type ? `inferred ${t.inferred.type} (${t.inferred.confidence.toFixed(2)})` : 'no type inferred';
    const span = t.count > 1 ? `lines ${t.first.line}-${t.last.line}` : `line ${t.first.line}`;
    const since = t.total > t.count ? `, ${t.total} since the watch began` : '';
    out.push(`  ${String(t.count).padStart(w)}× ${label}  ${t.template}  [${span}${since}]`);
  }
  const rest = e.lines - shown.reduce((k, t) => k + t.count, 0);
  if (rest > 0) out.push(`  and ${n(rest, 'more line')} of other templates`);
  return out.map((l) => maskControls(l)).join('\n');
}

function formatAction(e: ActionEvent): string {
  return maskControls(`${e.time}  action ${e.action}${e.target ? ` on ${e.target}` : ''}: ${e.result}${e.dryRun ? ' (dry run)' : ''}${e.reason ? ` — ${e.reason}` : ''}  [${e.rule}: ${e.count} ${e.type}]`);
}
