// The interactive shell (`logmedic --interactive`, `logmedic shell`): the prompt the original description shows, with
// analyze, recover, genlog, perf, test, help and exit. Each command line is handed to the same
// yargs command table as the CLI, so a command behaves exactly as it does from the terminal.
// Ctrl-C cancels the running command (its AbortSignal), never the shell.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { Transform, type TransformCallback } from 'node:stream';
import { palette } from './color.js';

export const PROMPT = 'logmedic> ';
const HISTORY_SIZE = 1000;
/** The longest command line read from a pipe; a longer one is reported and skipped. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Piped input with each line cut to MAX_LINE_BYTES + 1 bytes, so that a line without end
 * (`yes | tr -d '\n' | logmedic -i`) cannot grow the line editor's buffer until Node fails;
 * a line that arrives longer than MAX_LINE_BYTES is one that was cut.
 */
export function capLines(max = MAX_LINE_BYTES): Transform {
  let inLine = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const keep: Buffer[] = [];
      let start = 0;
      while (start < chunk.length) {
        const nl = chunk.indexOf(0x0a, start);
        const end = nl < 0 ? chunk.length : nl + 1;
        const room = Math.max(0, max + 1 - inLine);
        const text = Math.min(end - start - (nl < 0 ? 0 : 1), room);
        if (text > 0) keep.push(chunk.subarray(start, start + text));
        inLine += end - start;
        if (nl >= 0) {
          keep.push(chunk.subarray(nl, nl + 1));
          inLine = 0;
        }
        start = end;
      }
      done(null, Buffer.concat(keep));
    },
  });
}

export interface ShellOptions {
  /** Run one CLI command line (argv without the program name); resolves to its exit code. */
  dispatch(argv: string[], signal: AbortSignal): Promise<number>;
  /** Commands the CLI has (yargs command names). */
  commands: readonly string[];
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  /** History file; null: none. Default: $LOGMEDIC_HISTORY, else ~/.logmedic_history (only on a TTY). */
  historyFile?: string | null;
}

interface ShellCommand {
  name: string;
  usage: string;
  help: string;
  /** The CLI argv for the words after the command name. */
  toArgv?: (rest: string[]) => string[];
}

/** `genlog 500` / `perf 1000` as the original description types them; a leading option passes through as is. */
const sizeFirst = (name: string) => (rest: string[]) =>
  rest.length > 0 && !rest[0].startsWith('-') ? [name, '--size', rest[0], ...rest.slice(1)] : [name, ...rest];

/** The shell's commands, in the order the original description lists them. */
export const SHELL_COMMANDS: readonly ShellCommand[] = [
  { name: 'analyze', usage: 'analyze FILE... [options]', help: 'what failed in a log, and what to do about it' },
  { name: 'recover', usage: 'recover FILE [options]', help: 'perform the recovery a log calls for (--dry-run: only print the plan)' },
  { name: 'genlog', usage: 'genlog MB [options]', help: 'generate a realistic test log of MB megabytes, with ground truth', toArgv: sizeFirst('genlog') },
  { name: 'perf', usage: 'perf MB [options]', help: 'measure analysis speed on a log of MB megabytes', toArgv: sizeFirst('perf') },
  { name: 'test', usage: 'test [FILE]', help: "the catalog's self-test; with FILE, what each pattern matches in it" },
  { name: 'help', usage: 'help [COMMAND]', help: 'this list, or the options of COMMAND' },
  { name: 'exit', usage: 'exit', help: 'leave the shell (also quit, Ctrl-D)' },
];

const EXIT_WORDS = new Set(['exit', 'quit']);

/** Split a command line into words: whitespace-separated, with '…', "…" and backslash escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/**
 * Tab completion: command names for the first word, file paths after it (directories get a
 * trailing separator). Returns readline's [candidates, the fragment they complete].
 */
export function completeLine(line: string, commands: readonly string[], cwd = process.cwd()): [string[], string] {
  const m = /(\S*)$/.exec(line);
  const fragment = m ? m[1] : '';
  const before = line.slice(0, line.length - fragment.length);
  if (before.trim() === '') {
    // A trailing space, so a unique command completes ready for its argument.
    const hits = commands.filter((c) => c.startsWith(fragment)).map((c) => `${c} `);
    return [hits, fragment];
  }
  if (fragment.startsWith('-')) return [[], fragment];
  return [completePath(fragment, cwd), fragment];
}

function completePath(fragment: string, cwd: string): string[] {
  const expanded = fragment.startsWith('~/') ? join(homedir(), fragment.slice(2)) : fragment;
  const cut = Math.max(expanded.lastIndexOf('/'), sep === '\\' ? expanded.lastIndexOf('\\') : -1);
  const dirPart = cut >= 0 ? expanded.slice(0, cut + 1) : '';
  const base = cut >= 0 ? expanded.slice(cut + 1) : expanded;
  const shownDir = cut >= 0 ? fragment.slice(0, fragment.length - base.length) : '';
  const dir = dirPart === '' ? cwd : dirPart.startsWith('/') ? dirPart : join(cwd, dirPart);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.startsWith(base) && (base.startsWith('.') || !e.startsWith('.')))
    .sort()
    .map((e) => {
      let isDir = false;
      try {
        isDir = statSync(join(dir, e)).isDirectory();
      } catch {
        // a dangling link completes as a plain name
      }
      return shownDir + e + (isDir ? '/' : '');
    });
}

/** Where history is kept: $LOGMEDIC_HISTORY ('' turns it off), else ~/.logmedic_history. */
export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.LOGMEDIC_HISTORY !== undefined) return env.LOGMEDIC_HISTORY === '' ? null : env.LOGMEDIC_HISTORY;
  return join(homedir(), '.logmedic_history');
}

function loadHistory(file: string): string[] {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-HISTORY_SIZE).reverse(); // readline wants newest first
  } catch {
    return [];
  }
}

function appendHistory(file: string, line: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, line.replace(/\n/g, ' ') + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience; failing to keep it must never break the shell.
  }
}

/** Keep the file to the last HISTORY_SIZE entries so it cannot grow without bound. */
function trimHistory(file: string): void {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    if (lines.length > HISTORY_SIZE) writeFileSync(file, lines.slice(-HISTORY_SIZE).join('\n') + '\n', { mode: 0o600 });
  } catch {
    // see appendHistory
  }
}

/**
 * Run the shell until exit, quit or end of input. Resolves to the shell's exit code.
 *
 * On a terminal, the line editor exists only while the prompt waits: it is closed while a
 * command runs, so the command owns the terminal (a `recover` confirmation reads its own
 * answer), the terminal is back in its normal mode, and Ctrl-C reaches the process as SIGINT,
 * which cancels the command. On a pipe, one reader serves all lines, in order.
 */
export async function runShell(options: ShellOptions): Promise<number> {
  const given = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const terminal = given.isTTY === true && output.isTTY === true;
  // A terminal's line editor is fed by hand; a pipe can hold a line without end.
  const input: NodeJS.ReadableStream = terminal ? given : given.pipe(capLines());
  const historyFile = options.historyFile !== undefined ? options.historyFile : terminal ? defaultHistoryFile() : null;
  const available = new Set(options.commands);
  const names = [...new Set([...SHELL_COMMANDS.map((c) => c.name), ...options.commands.filter((c) => c !== 'shell'), 'quit'])].sort();
  const color = palette(output);
  let history = historyFile ? loadHistory(historyFile) : [];

  let job: AbortController | null = null;
  let interruptedIdle = false;
  let rl: Interface | null = null;

  const open = (): Interface => {
    const r = createInterface({
      input,
      output,
      terminal,
      prompt: PROMPT,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      completer: (line: string) => completeLine(line, names),
    });
    r.on('history', (h: string[]) => (history = h));
    r.on('SIGINT', interrupt);
    return r;
  };

  function interrupt(): void {
    if (job) {
      // Cancel the running command; the shell stays. The command reports "aborted" itself.
      job.abort();
      if (terminal) output.write('\n'); // after the terminal's own ^C echo
      return;
    }
    if (!terminal || !rl) {
      // Interrupted while idle on a pipe: behave like a script and stop.
      interruptedIdle = true;
      rl?.close();
      return;
    }
    // Idle at the prompt: leave what was typed on screen, marked ^C, and start a fresh line, as shells do.
    output.write('^C\n');
    const state = rl as unknown as { line: string; cursor: number };
    state.line = '';
    state.cursor = 0;
    rl.prompt();
  }
  process.on('SIGINT', interrupt);

  // The next line typed or read, or null at end of input (Ctrl-D, end of the pipe).
  let lines: AsyncIterator<string> | null = null;
  const nextLine = async (): Promise<string | null> => {
    if (!terminal) {
      if (!rl) {
        rl = open();
        lines = rl[Symbol.asyncIterator]();
      }
      rl.prompt();
      const r = await lines!.next();
      return r.done ? null : r.value;
    }
    const r = open();
    rl = r;
    return new Promise((resolve) => {
      let line: string | null = null;
      r.once('line', (l) => {
        line = l;
        r.close();
      });
      r.once('close', () => {
        rl = null;
        resolve(line);
      });
      r.prompt();
    });
  };

  const say = (s: string) => output.write(s + '\n');
  const printHelp = () => {
    say(color.bold('Commands:'));
    const width = Math.max(...SHELL_COMMANDS.map((c) => c.usage.length));
    for (const c of SHELL_COMMANDS) {
      const unavailable = c.name !== 'help' && c.name !== 'exit' && !available.has(c.name) ? color.dim(' (not available in this build)') : '';
      say(`  ${c.usage.padEnd(width)}  ${c.help}${unavailable}`);
    }
    const extra = options.commands.filter((c) => c !== 'shell' && !SHELL_COMMANDS.some((s) => s.name === c));
    if (extra.length > 0) say(`Also: ${extra.join(', ')} (as on the command line).`);
    say('Options are those of the command line: `help analyze` lists them. Tab completes commands and paths;');
    say('Ctrl-C cancels the running command; Ctrl-D or `exit` leaves.');
  };

  try {
    for (;;) {
      const line = await nextLine();
      if (line === null || interruptedIdle) break;
      if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
        say(`logmedic: a line of more than ${MAX_LINE_BYTES} bytes; skipped`);
        continue;
      }
      const trimmed = line.trim();
      if (trimmed !== '' && historyFile) appendHistory(historyFile, trimmed);
      let words: string[];
      try {
        words = splitWords(trimmed);
      } catch (err) {
        say(`logmedic: ${(err as Error).message}`);
        continue;
      }
      if (words.length === 0) continue;
      const [name, ...rest] = words;
      if (EXIT_WORDS.has(name)) break;
      if (name === 'help' || name === '?') {
        if (rest.length > 0 && available.has(rest[0])) await runJob([rest[0], '--help']);
        else if (rest.length > 0) say(`logmedic: no command "${rest[0]}" (type help)`);
        else printHelp();
        continue;
      }
      if (name === 'shell') {
        say('logmedic: already in the shell');
        continue;
      }
      const known = SHELL_COMMANDS.find((c) => c.name === name);
      if (!available.has(name)) {
        if (known) say(`logmedic: ${name} is not available in this build yet`);
        else say(`logmedic: unknown command "${name}" (type help)`);
        continue;
      }
      if (rest.includes('-')) {
        // The shell reads its commands from stdin; a command cannot read a log from it too.
        say(`logmedic: "-" (stdin) is the shell's own input here; give ${name} a file`);
        continue;
      }
      await runJob(known?.toArgv ? known.toArgv(rest) : [name, ...rest]);
      if (interruptedIdle) break;
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    (rl as Interface | null)?.close();
    // Stop reading the pipe, so that the shell ends at `exit` without waiting for its writer.
    if (input !== given) {
      (given as NodeJS.ReadStream).unpipe?.();
      given.pause();
    }
    if (historyFile) trimHistory(historyFile);
  }
  // `exit`, quit and end of input leave with success; a command's own failure was reported where it happened.
  return interruptedIdle ? 130 : 0;

  async function runJob(argv: string[]): Promise<number> {
    job = new AbortController();
    try {
      return await options.dispatch(argv, job.signal);
    } finally {
      job = null;
    }
  }
}
