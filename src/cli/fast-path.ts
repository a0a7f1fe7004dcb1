// The fast path for the hot commands (`scan`, `analyze`).
//
// Loading yargs costs ~75 ms on this class of machine (its help layout builds an
// Intl.Segmenter at import), which is a fifth of a 1 GB scan. A plain, valid `scan` or
// `analyze` command line does not need help layout: it is parsed here with yargs' own
// parser (yargs-parser, with the same configuration yargs gives it) from the options the
// command's builder declares — recorded, not restated, so there is one definition.
// Anything unusual — help, version, an unknown option, a bad choice, a missing or extra
// positional — returns undefined, and the caller hands the line to the full yargs parser,
// which then behaves and words its errors exactly as always.
import parse from 'yargs-parser';
import type { Argv, Options, PositionalOptions } from 'yargs';
import { reportError } from './output.js';

type Builder = (y: Argv) => Argv<unknown>;
type Runner = (args: Record<string, unknown>, signal: AbortSignal) => Promise<number>;

interface FastCommand {
  name: string;
  /** `one`: exactly one positional (`scan <file>`); `many`: one or more (`analyze <files..>`). */
  positional: { name: string; arity: 'one' | 'many' };
  /** The command's module, loaded only when the line names it. */
  load: () => Promise<{ builder: Builder; run: Runner }>;
}

const FAST_COMMANDS: FastCommand[] = [
  {
    name: 'scan',
    positional: { name: 'files', arity: 'many' },
    load: async () => {
      const m = await import('./scan-command.js');
      return { builder: m.scanBuilder as Builder, run: m.runScan as unknown as Runner };
    },
  },
  {
    name: 'analyze',
    positional: { name: 'files', arity: 'many' },
    load: async () => {
      const m = await import('./analyze-command.js');
      return { builder: m.analyzeBuilder as Builder, run: m.runAnalyze as unknown as Runner };
    },
  },
];

/** What a builder declares, recorded through a stand-in for yargs' Argv. */
interface Declared {
  options: Map<string, Options>;
  positionals: Map<string, PositionalOptions>;
}

function record(builder: Builder): Declared {
  const declared: Declared = { options: new Map(), positionals: new Map() };
  const recorder = {
    option(key: string, opt: Options) {
      declared.options.set(key, opt);
      return recorder;
    },
    positional(key: string, opt: PositionalOptions) {
      declared.positionals.set(key, opt);
      return recorder;
    },
    example() {
      return recorder;
    },
  };
  builder(recorder as unknown as Argv);
  return declared;
}

/** Flags the full parser must see: help and version output, shell completion. */
const FULL_PARSER_FLAGS = new Set(['--help', '-h', '--version', '--get-yargs-completions', '--']);

/**
 * Parse `argv` as one of the fast commands. Returns the arguments the command's handler
 * would get from yargs, or undefined when the full parser should take the line.
 */
export async function parseFast(argv: string[]): Promise<{ run: Runner; args: Record<string, unknown> } | undefined> {
  const command = FAST_COMMANDS.find((c) => c.name === argv[0]);
  if (!command) return undefined;
  if (argv.some((a) => FULL_PARSER_FLAGS.has(a) || a.startsWith('--help=') || a.startsWith('--version='))) return undefined;
  const { builder, run } = await command.load();
  const declared = record(builder);

  const alias: Record<string, string[]> = {};
  const kinds: Record<'array' | 'boolean' | 'number' | 'string', string[]> = { array: [], boolean: [], number: [], string: [] };
  const defaults: Record<string, unknown> = {};
  const narg: Record<string, number> = {};
  const known = new Set<string>(['_', '$0']);
  for (const [key, opt] of declared.options) {
    known.add(key);
    const aliases = opt.alias === undefined ? [] : Array.isArray(opt.alias) ? opt.alias : [opt.alias];
    if (aliases.length > 0) alias[key] = aliases;
    for (const a of aliases) known.add(a);
    if (opt.array) kinds.array.push(key);
    if (opt.type === 'boolean' || opt.type === 'number' || opt.type === 'string') kinds[opt.type].push(key);
    if (opt.default !== undefined) defaults[key] = opt.default;
    if (opt.nargs !== undefined) narg[key] = opt.nargs;
  }

  // A lone `-` means stdin; yargs-parser would drop it, so carry it as a token.
  const STDIN = '\u0000stdin';
  const parsed = parse.detailed(
    argv.slice(1).map((a) => (a === '-' ? STDIN : a)),
    { alias, ...kinds, default: defaults, narg, configuration: { 'parse-positional-numbers': false } },
  );
  if (parsed.error) return undefined;
  const args = parsed.argv as Record<string, unknown>;
  const restore = (v: unknown): unknown => (v === STDIN ? '-' : Array.isArray(v) ? v.map(restore) : v);
  for (const k of Object.keys(args)) args[k] = restore(args[k]);

  // Strict, as yargs is: every key must be a declared option, an alias or its camelCase form.
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const allowed = new Set([...known].flatMap((k) => [k, camel(k)]));
  if (Object.keys(args).some((k) => !allowed.has(k))) return undefined;
  for (const [key, opt] of declared.options) {
    const value = args[key];
    if (value === undefined) continue;
    if (opt.choices && !(opt.choices as unknown[]).includes(value)) return undefined;
    if (opt.type === 'number' && typeof value === 'number' && Number.isNaN(value)) return undefined;
    // An option given twice becomes an array unless declared one: yargs then errors or
    // keeps both; leave that to it.
    if (!opt.array && Array.isArray(value)) return undefined;
  }

  const positionals = args._ as unknown[];
  const count = positionals.length;
  if (count === 0 || (command.positional.arity === 'one' && count !== 1)) return undefined;
  args[command.positional.name] = command.positional.arity === 'one' ? String(positionals[0]) : positionals.map(String);
  args._ = [command.name];
  args.$0 = 'logmedic';
  return { run, args };
}

/**
 * Run `argv` on the fast path, or return undefined for the full parser. Errors and Ctrl-C
 * are handled as in app.ts's `main`: one line on stderr and an exit code.
 */
export async function runFast(argv: string[]): Promise<number | undefined> {
  let fast;
  try {
    fast = await parseFast(argv);
  } catch {
    return undefined; // whatever went wrong, the full parser reports it properly
  }
  if (!fast) return undefined;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await fast.run(fast.args, controller.signal);
  } catch (err) {
    return reportError(err);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
