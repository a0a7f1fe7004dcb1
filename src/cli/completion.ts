// Shell completion: `logmedic completion bash|zsh|fish` prints a script that completes commands,
// their options (and option values with fixed choices) and file paths. The command list is
// read from the yargs command table itself, so a command added there is completed too.
import yargs, { type Argv } from 'yargs';
import { LogmedicError } from '../errors.js';

export interface OptionSpec {
  /** Every spelling: `-e`, `--regexp`; `--no-mmap` for a boolean that defaults to true. */
  flags: string[];
  describe: string;
  /** Whether the option consumes the next word. */
  takesValue: boolean;
  /** A string (path-like) value: complete file names for it. */
  pathValue: boolean;
  choices?: string[];
}

export interface CommandSpec {
  name: string;
  /** The command as declared, with its positionals: `analyze <files..>`. */
  usage: string;
  aliases: string[];
  description: string;
  options: OptionSpec[];
  /** Fixed choices of the first positional (e.g. `completion bash|zsh`), if any. */
  positionalChoices?: string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type ShellName = (typeof SHELLS)[number];

interface YargsCommandHandler {
  original: string;
  description: string | false;
  builder: unknown;
}

/** What the completion scripts and the shell need to know of the command table. */
export interface CommandTable {
  commands: CommandSpec[];
  /** Options before a command: the top level's and the default command's (`--interactive`). */
  globals: OptionSpec[];
}

/**
 * Capture the commands of a yargs parser now (yargs swaps its table for a command's own while
 * that command runs) and describe them on demand, by running each builder on a fresh parser.
 */
export function commandTable(parser: Argv): () => CommandTable {
  const internal = (parser as unknown as {
    getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, YargsCommandHandler>; aliasMap?: Record<string, string> } };
  }).getInternalMethods();
  const instance = internal.getCommandInstance();
  const handlers = { ...instance.getCommandHandlers() };
  const aliasMap = { ...(instance.aliasMap ?? {}) };
  const topLevel = optionSpecs(parser, new Set()).options;
  let described: CommandTable | undefined;
  return () => (described ??= describe(handlers, aliasMap, topLevel));
}

function describe(handlers: Record<string, YargsCommandHandler>, aliasMap: Record<string, string>, topLevel: OptionSpec[]): CommandTable {
  const commands: CommandSpec[] = [];
  const globals = [...topLevel];
  for (const [name, handler] of Object.entries(handlers)) {
    const words = handler.original.split(/\s+/);
    const positionals = words.slice(1).map((w) => w.replace(/^[<[]|[>\]]$/g, '').replace(/\.\.\.?$/, '').split('|')[0]);
    const y = yargs([]);
    if (typeof handler.builder === 'function') (handler.builder as (y: Argv) => unknown)(y);
    else if (handler.builder && typeof handler.builder === 'object') y.options(handler.builder as Record<string, object>);
    const spec = optionSpecs(y, new Set(positionals));
    if (name === '$0' || words[0] === '$0') {
      const seen = new Set(globals.flatMap((g) => g.flags));
      globals.push(...spec.options.filter((o) => !o.flags.some((f) => seen.has(f))));
      continue;
    }
    if (handler.description === false) continue;
    const aliases = Object.entries(aliasMap).filter(([, to]) => to === name).map(([from]) => from);
    const firstChoices = positionals.length > 0 ? spec.choices[positionals[0]] : undefined;
    const options = spec.options.filter((o) => !o.flags.includes('--help') && !o.flags.includes('--version'));
    commands.push({ name, usage: handler.original, aliases, description: String(handler.description ?? ''), options, positionalChoices: firstChoices });
  }
  commands.sort((a, b) => a.name.localeCompare(b.name));
  return { commands, globals };
}

/** Option names whose value is a path (complete file names for them); others take free text. */
const PATHY = /^(?:o|f|out|output)$|file|path|dir|report|config|state|log/i;

function optionSpecs(y: Argv, positionals: Set<string>): { options: OptionSpec[]; choices: Record<string, string[]> } {
  const o = (y as unknown as { getOptions(): unknown }).getOptions() as {
    key: Record<string, unknown>;
    alias: Record<string, string[]>;
    boolean: string[];
    number: string[];
    count: string[];
    string: string[];
    array: string[];
    choices: Record<string, unknown[]>;
    default: Record<string, unknown>;
  };
  const isAlias = new Set(Object.values(o.alias).flat());
  const describe = (y as unknown as { getInternalMethods(): { getUsageInstance(): { getDescriptions(): Record<string, string | undefined> } } })
    .getInternalMethods()
    .getUsageInstance()
    .getDescriptions();
  const choices: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(o.choices ?? {})) choices[k] = v.map(String);
  const options: OptionSpec[] = [];
  for (const key of Object.keys(o.key)) {
    if (positionals.has(key) || isAlias.has(key)) continue;
    const names = [key, ...(o.alias[key] ?? [])];
    const flags = names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    const boolean = o.boolean.includes(key) || o.count.includes(key);
    if (boolean && o.default[key] === true) flags.push(`--no-${key}`);
    options.push({
      flags,
      describe: (describe[key] ?? '').replace(/^__yargsString__:/, ''),
      takesValue: !boolean,
      pathValue: !boolean && !o.number.includes(key) && choices[key] === undefined && names.some((n) => PATHY.test(n)),
      choices: choices[key],
    });
  }
  return { options, choices };
}

/** Bash: `source <(logmedic completion bash)`, or save it under bash-completion's completions dir. */
export function bashScript(commands: CommandSpec[], globals: OptionSpec[], bin = 'logmedic'): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  const names = commands.flatMap((c) => [c.name, ...c.aliases]);
  const globalFlags = globals.flatMap((g) => g.flags);
  const cases = commands
    .map((c) => {
      const flags = c.options.flatMap((o) => o.flags);
      const valueCases = c.options
        .filter((o) => o.takesValue)
        .map((o) => {
          const pattern = o.flags.join('|');
          if (o.choices) return `        ${pattern}) COMPREPLY=( $(compgen -W ${shq(o.choices.join(' '))} -- "$cur") ); return 0 ;;`;
          if (o.pathValue) return `        ${pattern}) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;`;
          return `        ${pattern}) COMPREPLY=(); return 0 ;;`;
        });
      const positional = c.positionalChoices
        ? `      positional=${shq(c.positionalChoices.join(' '))}`
        : '';
      return [
        `    ${[c.name, ...c.aliases].join('|')})`,
        `      opts=${shq(flags.join(' '))}`,
        ...(positional ? [positional] : []),
        ...(valueCases.length ? ['      case "$prev" in', ...valueCases, '      esac'] : []),
        '      ;;',
      ].join('\n');
    })
    .join('\n');
  return `# bash completion for ${bin} (generated by \`${bin} completion bash\`)
# Load it now: source <(${bin} completion bash)
# Or for every shell: ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}
${fn}() {
  local cur prev cmd="" opts="" positional="" i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for (( i = 1; i < COMP_CWORD; i++ )); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=( $(compgen -W ${shq(globalFlags.join(' '))} -- "$cur") )
    else
      COMPREPLY=( $(compgen -W ${shq(names.join(' '))} -- "$cur") )
    fi
    return 0
  fi
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") )
    return 0
  fi
  if [[ -n "$positional" ]]; then
    COMPREPLY=( $(compgen -W "$positional" -- "$cur") )
    return 0
  fi
  compopt -o filenames 2>/dev/null
  COMPREPLY=( $(compgen -f -- "$cur") )
  return 0
}
complete -F ${fn} ${bin}
`;
}

/** Zsh: `source <(logmedic completion zsh)`, or save it as `_logmedic` in a directory on $fpath. */
export function zshScript(commands: CommandSpec[], globals: OptionSpec[], bin = 'logmedic'): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const describeList = commands
    .flatMap((c) => [c.name, ...c.aliases].map((n) => `    ${zq(`${n}:${zdesc(c.description)}`)}`))
    .join('\n');
  const argSpecs = (opts: OptionSpec[]) =>
    opts.map((o) => {
      const desc = `[${zdesc(o.describe)}]`;
      const action = !o.takesValue ? '' : o.choices ? `:value:(${o.choices.map(zword).join(' ')})` : o.pathValue ? ':file:_files' : ':value:';
      const exclusive = o.flags.length > 1 ? `(${o.flags.join(' ')})` : '';
      const names = o.flags.length > 1 ? `{${o.flags.join(',')}}` : o.flags[0];
      // The exclusion list and brace expansion must stay outside the quotes.
      return `      ${exclusive ? zq(exclusive) : ''}${names}${zq(`${desc}${action}`)}`;
    });
  const cases = commands
    .map((c) => {
      const rest = c.positionalChoices ? `'*:argument:(${c.positionalChoices.map(zword).join(' ')})'` : `'*:file:_files'`;
      return [`    ${[c.name, ...c.aliases].join('|')})`, '      _arguments -s \\', ...argSpecs(c.options).map((s) => `${s} \\`), `      ${rest}`, '      ;;'].join('\n');
    })
    .join('\n');
  return `#compdef ${bin}
# zsh completion for ${bin} (generated by \`${bin} completion zsh\`)
# Load it now: source <(${bin} completion zsh)
# Or for every shell: ${bin} completion zsh > "\${fpath[1]}/_${bin}"
${fn}() {
  local -a commands
  commands=(
${describeList}
  )
  if (( CURRENT == 2 )); then
    if [[ "$PREFIX" == -* ]]; then
      _arguments -s \\
${argSpecs(globals).map((s) => `${s} \\`).join('\n')}
        '*:: :'
    else
      _describe -t commands '${bin} command' commands
    fi
    return
  fi
  local cmd="\${words[2]}"
  (( CURRENT-- ))
  shift words
  case "$cmd" in
${cases}
    *)
      _files
      ;;
  esac
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${bin}
fi
`;
}

/** Fish: `logmedic completion fish | source`, or save it as ~/.config/fish/completions/logmedic.fish. */
export function fishScript(commands: CommandSpec[], globals: OptionSpec[], bin = 'logmedic'): string {
  const lines: string[] = [];
  const optionLine = (condition: string, o: OptionSpec) => {
    const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
    const value = !o.takesValue ? '' : o.choices ? ` -x -a ${fq(o.choices.join(' '))}` : o.pathValue ? ' -r -F' : ' -x';
    return `complete -c ${bin} -n ${fq(condition)} ${names}${value} -d ${fq(fdesc(o.describe))}`;
  };
  lines.push(`# fish completion for ${bin} (generated by \`${bin} completion fish\`)`);
  lines.push(`# Load it now: ${bin} completion fish | source`);
  lines.push(`# Or for every shell: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`);
  lines.push(`complete -c ${bin} -f`);
  for (const c of commands) {
    for (const n of [c.name, ...c.aliases]) lines.push(`complete -c ${bin} -n __fish_use_subcommand -a ${fq(n)} -d ${fq(fdesc(c.description))}`);
  }
  for (const g of globals) lines.push(optionLine('__fish_use_subcommand', g));
  for (const c of commands) {
    const seen = `__fish_seen_subcommand_from ${[c.name, ...c.aliases].join(' ')}`;
    for (const o of c.options) lines.push(optionLine(seen, o));
    // Positionals: fixed choices where the command has them, else file names.
    if (c.positionalChoices) {
      const chosen = `__fish_seen_subcommand_from ${c.positionalChoices.join(' ')}`;
      lines.push(`complete -c ${bin} -n ${fq(`${seen}; and not ${chosen}`)} -x -a ${fq(c.positionalChoices.join(' '))}`);
      lines.push(`complete -c ${bin} -n ${fq(`${seen}; and ${chosen}`)} -F`);
    } else lines.push(`complete -c ${bin} -n ${fq(seen)} -F`);
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: string, table: CommandTable, bin = 'logmedic'): string {
  const { commands, globals } = table;
  if (shell === 'bash') return bashScript(commands, globals, bin);
  if (shell === 'zsh') return zshScript(commands, globals, bin);
  if (shell === 'fish') return fishScript(commands, globals, bin);
  throw new LogmedicError('E_USAGE', `completion: unknown shell "${shell}" (choose bash, zsh or fish)`);
}

export interface CompletionArgs {
  shell: string;
}

export function completionBuilder(y: Argv): Argv<CompletionArgs> {
  return y
    .positional('shell', { choices: SHELLS, describe: 'the shell to complete for', demandOption: true })
    .example('$0 completion bash > ~/.local/share/bash-completion/completions/logmedic', 'install for bash')
    .example('source <($0 completion zsh)', 'load into the running zsh')
    .example('$0 completion fish > ~/.config/fish/completions/logmedic.fish', 'install for fish') as unknown as Argv<CompletionArgs>;
}

export function runCompletion(args: CompletionArgs, table: CommandTable): number {
  process.stdout.write(completionScript(args.shell, table));
  return 0;
}

/** Single-quote for bash. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
/** Single-quote for zsh. */
function zq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
/** A description safe inside `_arguments` brackets and `_describe` entries. */
function zdesc(s: string): string {
  return s.replace(/[\[\]:\\]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
/** Single-quote for fish (inside quotes only \\ and \' are special). */
function fq(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
/** A description on one line. */
function fdesc(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
function zword(s: string): string {
  return s.replace(/[^A-Za-z0-9_.,+-]/g, (c) => `\\${c}`);
}
