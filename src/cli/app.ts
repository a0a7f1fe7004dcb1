// The command table. Each command lives in its own module; this file wires them to yargs,
// turns errors into one line and an exit code, and Ctrl-C into an abort.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { ExitCode, LogmedicError } from '../errors.js';
import { reportError } from './output.js';
import { runScan, scanBuilder, type ScanArgs } from './scan-command.js';
import { runWatch, watchBuilder, type WatchArgs } from './watch-command.js';
import { runShell } from './shell.js';
import { genlogBuilder, loadGenerateLog, runGenlog, type GenlogArgs } from './genlog-command.js';
import { perfBuilder, runPerf, type PerfArgs } from './perf-command.js';
import { commandTable, completionBuilder, runCompletion, type CompletionArgs } from './completion.js';
import { recoverBuilder, runRecover, type RecoverArgs } from './recover-command.js';
import { initBuilder, runInit, type InitArgs } from './init-command.js';
import { historyBuilder, runHistory, type HistoryArgs } from './history-command.js';
import { resetBuilder, runReset, type ResetArgs } from './reset-command.js';
import { analyzeBuilder, runAnalyze, type AnalyzeArgs } from './analyze-command.js';
import { runTest, testBuilder, type TestArgs } from './test-command.js';
import { runServe, serveBuilder, type ServeArgs } from './serve-command.js';
import { runTemplates, templatesBuilder, type TemplatesArgs } from './templates-command.js';
import { configBuilder, runConfig, type ConfigArgs } from './config-command.js';
import { runWorker, workerBuilder, type WorkerArgs } from './worker-command.js';
import { manPage } from './man-page.js';
import { CONFIG_DESCRIBE } from './config-option.js';
import { readConfigFile } from '../config/load.js';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';

interface ShellArgs {
  config?: string;
}

/** The shell's own options: a config that every command run in it reads. */
function shellOptions<T>(y: Argv<T>): Argv<T & ShellArgs> {
  return y.option('config', { alias: 'c', type: 'string', describe: `${CONFIG_DESCRIBE}; every command in the shell reads it` }) as Argv<T & ShellArgs>;
}

/** logmedic's own version (its package.json, two levels above this module), never the cwd's. */
function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const STDIN_TOKEN = '\u0000stdin';

function restoreStdin(argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (v === STDIN_TOKEN) argv[k] = '-';
    else if (Array.isArray(v)) argv[k] = v.map((x) => (x === STDIN_TOKEN ? '-' : x));
  }
}

/** Run one command line. With `options.signal` (the shell), that signal aborts it and Ctrl-C is the caller's. */
export async function main(argv: string[], options: { signal?: AbortSignal } = {}): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  if (options.signal) options.signal.addEventListener('abort', onSigint, { once: true });
  else process.once('SIGINT', onSigint);
  let exit: number = ExitCode.OK;
  try {
    // yargs drops a lone `-` (stdin) from positionals: carry it through as a token and
    // turn it back into `-` before any handler sees it.
    const parser = yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
      .middleware(restoreStdin, true)
      .scriptName('logmedic')
      .usage('$0 <command> [options]\n\nRecognise what failed in a log and perform the recovery that fits.')
      .command<AnalyzeArgs>('analyze [files..]', 'find what failed in logs and the recovery actions that fit', analyzeBuilder, async (args) => {
        exit = await runAnalyze(args, controller.signal);
      })
      .command<TestArgs>('test [file]', "the catalog's self-test; with a log: what each pattern matches there, and what none does", testBuilder, async (args) => {
        exit = await runTest(args, controller.signal);
      })
      .command<TemplatesArgs>('templates <files..>', 'group lines into templates (what varies masked as <*>), with counts and examples', templatesBuilder, async (args) => {
        exit = await runTemplates(args, controller.signal);
      })
      .command<ScanArgs>('scan <files..>', 'count lines matching each of many patterns, in one pass over each file', scanBuilder, async (args) => {
        exit = await runScan(args, controller.signal);
      })
      .command<WatchArgs>('watch [paths..]', 'follow growing logs: report failures as they are written, act when a rule fires', watchBuilder, async (args) => {
        exit = await runWatch(args, controller.signal);
      })
      .command<GenlogArgs>('genlog', 'write a realistic test log of a given size, with its ground truth', genlogBuilder, async (args) => {
        exit = await runGenlog(args, controller.signal, await loadGenerateLog());
      })
      .command<PerfArgs>('perf', 'measure analysis speed (mmap/read, 1/N threads) against 1 GB in 3 s', perfBuilder, async (args) => {
        exit = await runPerf(args, controller.signal, loadGenerateLog);
      })
      .command<RecoverArgs>('recover [files..]', 'diagnose logs and carry out the recovery that fits (--dry-run: plan only)', recoverBuilder, async (args) => {
        exit = await runRecover(args, controller.signal);
      })
      .command<InitArgs>('init', 'write a commented starting config (logmedic.config.yaml)', initBuilder, (args) => {
        exit = runInit(args);
      })
      .command<HistoryArgs>('history', 'show what recovery did (the audit journal)', historyBuilder, async (args) => {
        exit = await runHistory(args);
      })
      .command<ResetArgs>('reset', 'close circuit breakers opened by repeated recovery attempts', resetBuilder, (args) => {
        exit = runReset(args);
      })
      .command<ConfigArgs>('config <action> [file]', 'check a config file, or show the config in effect', configBuilder, (args) => {
        exit = runConfig(args);
      })
      .command<ServeArgs>('serve', 'the web UI: diagnosis, step-by-step recovery, live watch and catalog in a browser', serveBuilder, async (args) => {
        exit = await runServe(args, controller.signal);
      })
      .command<WorkerArgs>('worker', 'join a cluster (Redis): analyze the byte ranges that analyze --cluster queues', workerBuilder, async (args) => {
        exit = await runWorker(args, controller.signal, ownVersion());
      })
      .command<ShellArgs>('shell', 'the interactive shell (same as --interactive)', (y) => shellOptions(y).example('$0 shell', 'then: analyze app.log, genlog 100, help, exit').example('$0 shell -c ops.yaml', 'every command in it reads ops.yaml'), async (args) => {
        exit = await startShell(args.config);
      })
      .command<CompletionArgs>('completion <shell>', 'print a bash, zsh or fish completion script', completionBuilder, (args) => {
        exit = runCompletion(args, table());
      })
      // Hidden: writes man/logmedic.1 (`npm run man`), generated from this table.
      .command('man', false, (y) => y, () => {
        process.stdout.write(manPage(table(), ownVersion()));
      })
      .command<ShellArgs & { interactive?: boolean }>('$0', false, (y) => shellOptions(y.option('interactive', { alias: 'i', type: 'boolean', describe: 'start the interactive shell' })), async (args) => {
        if (!args.interactive) throw new LogmedicError('E_USAGE', 'name a command (see --help)');
        exit = await startShell(args.config);
      })
      .example('$0 --interactive', 'the interactive shell')
      .exitProcess(false)
      .strict()
      .help()
      .alias('h', 'help')
      .version(ownVersion())
      .wrap(Math.min(100, process.stdout.columns || 100))
      .fail((msg, err) => {
        // Throw, so that a usage error stops the command before its handler runs.
        if (err) throw err;
        throw new LogmedicError('E_USAGE', msg.replace(/\s*\n\s*/g, ' ')); // one line, whatever yargs wrote
      });
    const table = commandTable(parser);
    // The shell hands each line back to this same table, so commands behave as on the command line.
    // A config given to the shell goes to every command that reads one, unless the line names its own.
    const startShell = (config?: string) => {
      const file = config === undefined ? undefined : readConfigFile(resolve(config)).file;
      const commands = table().commands;
      const readsConfig = new Set(commands.filter((c) => c.options.some((o) => o.flags.includes('--config'))).map((c) => c.name));
      const withConfig = (args: string[]) => (file !== undefined && readsConfig.has(args[0]) && !args.some((a) => /^(--config|-c)(=|$)/.test(a)) ? [...args, '--config', file] : args);
      return runShell({ dispatch: (args, signal) => main(withConfig(args), { signal }), commands: commands.map((c) => c.name) });
    };
    await parser.parseAsync();
  } catch (err) {
    exit = reportError(err);
  } finally {
    process.removeListener('SIGINT', onSigint);
    options.signal?.removeEventListener('abort', onSigint);
  }
  return exit;
}
