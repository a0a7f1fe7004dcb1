// The command table. Each command lives in its own module; this file wires them to yargs,
// turns errors into one line and an exit code, and Ctrl-C into an abort.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { ExitCode, LogmedicError } from '../errors.js';
import { reportError } from './output.js';
import { commandTable, completionBuilder, runCompletion } from './completion.js';
import { manPage } from './man-page.js';
import { CONFIG_DESCRIBE } from './config-option.js';
import type { AnalyzeArgs } from './analyze-command.js';
import type { CompletionArgs } from './completion.js';
import type { ConfigArgs } from './config-command.js';
import type { GenlogArgs } from './genlog-command.js';
import type { HistoryArgs } from './history-command.js';
import type { InitArgs } from './init-command.js';
import type { PerfArgs } from './perf-command.js';
import type { RecoverArgs } from './recover-command.js';
import type { ResetArgs } from './reset-command.js';
import type { ScanArgs } from './scan-command.js';
import type { ServeArgs } from './serve-command.js';
import type { TemplatesArgs } from './templates-command.js';
import type { TestArgs } from './test-command.js';
import type { WatchArgs } from './watch-command.js';
import type { WorkerArgs } from './worker-command.js';

/**
 * Each command's module, loaded only when needed: together they pull in the web server,
 * the file watcher and the report writer, several times Node's own start-up. The table
 * below stays static, so help, completion and the man page still list every command.
 */
const MODULES = {
  analyze: () => import('./analyze-command.js'),
  test: () => import('./test-command.js'),
  templates: () => import('./templates-command.js'),
  scan: () => import('./scan-command.js'),
  watch: () => import('./watch-command.js'),
  genlog: () => import('./genlog-command.js'),
  perf: () => import('./perf-command.js'),
  recover: () => import('./recover-command.js'),
  init: () => import('./init-command.js'),
  history: () => import('./history-command.js'),
  reset: () => import('./reset-command.js'),
  config: () => import('./config-command.js'),
  serve: () => import('./serve-command.js'),
  worker: () => import('./worker-command.js'),
};
type CommandName = keyof typeof MODULES;
type Loaded = { [K in CommandName]?: Awaited<ReturnType<(typeof MODULES)[K]>> };

/**
 * The modules a command line needs: the one it names, or all of them where every
 * command's options are read (top-level help, completion, the man page, the shell) or
 * where the line names no known command (yargs then words the error).
 */
async function loadModules(argv: string[]): Promise<Loaded> {
  const first = argv[0];
  const names = first !== undefined && Object.hasOwn(MODULES, first) ? [first as CommandName] : (Object.keys(MODULES) as CommandName[]);
  const loaded: Loaded = {};
  await Promise.all(names.map(async (name) => Object.assign(loaded, { [name]: await MODULES[name]() })));
  return loaded;
}

/** A loaded module's part; yargs asks for a builder only of the command it runs. */
function from<T>(module: T | undefined, name: CommandName): T {
  if (module === undefined) throw new Error(`command module ${name} was not loaded`);
  return module;
}

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
    const m = await loadModules(argv);
    // yargs drops a lone `-` (stdin) from positionals: carry it through as a token and
    // turn it back into `-` before any handler sees it.
    const parser = yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
      .middleware(restoreStdin, true)
      .scriptName('logmedic')
      .usage('$0 <command> [options]\n\nRecognise what failed in a log and perform the recovery that fits.')
      .command<AnalyzeArgs>('analyze [files..]', 'find what failed in logs and the recovery actions that fit', (y) => from(m.analyze, 'analyze').analyzeBuilder(y), async (args) => {
        exit = await from(m.analyze, 'analyze').runAnalyze(args, controller.signal);
      })
      .command<TestArgs>('test [file]', "the catalog's self-test; with a log: what each pattern matches there, and what none does", (y) => from(m.test, 'test').testBuilder(y), async (args) => {
        exit = await from(m.test, 'test').runTest(args, controller.signal);
      })
      .command<TemplatesArgs>('templates <files..>', 'group lines into templates (what varies masked as <*>), with counts and examples', (y) => from(m.templates, 'templates').templatesBuilder(y), async (args) => {
        exit = await from(m.templates, 'templates').runTemplates(args, controller.signal);
      })
      .command<ScanArgs>('scan <files..>', 'count lines matching each of many patterns, in one pass over each file', (y) => from(m.scan, 'scan').scanBuilder(y), async (args) => {
        exit = await from(m.scan, 'scan').runScan(args, controller.signal);
      })
      .command<WatchArgs>('watch [paths..]', 'follow growing logs: report failures as they are written, act when a rule fires', (y) => from(m.watch, 'watch').watchBuilder(y), async (args) => {
        exit = await from(m.watch, 'watch').runWatch(args, controller.signal);
      })
      .command<GenlogArgs>('genlog', 'write a realistic test log of a given size, with its ground truth', (y) => from(m.genlog, 'genlog').genlogBuilder(y), async (args) => {
        const genlog = from(m.genlog, 'genlog');
        exit = await genlog.runGenlog(args, controller.signal, await genlog.loadGenerateLog());
      })
      .command<PerfArgs>('perf', 'measure analysis speed (mmap/read, 1/N threads) against 1 GB in 3 s', (y) => from(m.perf, 'perf').perfBuilder(y), async (args) => {
        const { loadGenerateLog } = await MODULES.genlog();
        exit = await from(m.perf, 'perf').runPerf(args, controller.signal, loadGenerateLog);
      })
      .command<RecoverArgs>('recover [files..]', 'diagnose logs and carry out the recovery that fits (--dry-run: plan only)', (y) => from(m.recover, 'recover').recoverBuilder(y), async (args) => {
        exit = await from(m.recover, 'recover').runRecover(args, controller.signal);
      })
      .command<InitArgs>('init', 'write a commented starting config (logmedic.config.yaml)', (y) => from(m.init, 'init').initBuilder(y), (args) => {
        exit = from(m.init, 'init').runInit(args);
      })
      .command<HistoryArgs>('history', 'show what recovery did (the audit journal)', (y) => from(m.history, 'history').historyBuilder(y), async (args) => {
        exit = await from(m.history, 'history').runHistory(args);
      })
      .command<ResetArgs>('reset', 'close circuit breakers opened by repeated recovery attempts', (y) => from(m.reset, 'reset').resetBuilder(y), async (args) => {
        exit = await from(m.reset, 'reset').runReset(args);
      })
      .command<ConfigArgs>('config <action> [file]', 'check a config file, or show the config in effect', (y) => from(m.config, 'config').configBuilder(y), (args) => {
        exit = from(m.config, 'config').runConfig(args);
      })
      .command<ServeArgs>('serve', 'the web UI: diagnosis, step-by-step recovery, live watch and catalog in a browser', (y) => from(m.serve, 'serve').serveBuilder(y), async (args) => {
        exit = await from(m.serve, 'serve').runServe(args, controller.signal);
      })
      .command<WorkerArgs>('worker', 'join a cluster (Redis): analyze the byte ranges that analyze --cluster queues', (y) => from(m.worker, 'worker').workerBuilder(y), async (args) => {
        exit = await from(m.worker, 'worker').runWorker(args, controller.signal, ownVersion());
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
    const startShell = async (config?: string) => {
      const [{ readConfigFile }, { runShell }] = await Promise.all([import('../config/load.js'), import('./shell.js')]);
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
