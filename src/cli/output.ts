// Writing to the terminal: one-line errors, JSON that never mixes with anything else, and a
// quiet end when the reader of our output goes away (`logmedic analyze big.log | head`).
import { ExitCode, LogmedicError, exitCodeFor, fromNative } from '../errors.js';

/**
 * End the process quietly, with status 0, when stdout or stderr is a pipe whose reader has
 * closed it (EPIPE): what `head` expects, and what ripgrep does. Node ignores SIGPIPE and
 * reports the closed pipe as an 'error' event, which would otherwise crash with a stack trace.
 * Installed once, by the executable, for every command. Recovery stays safe when it is cut
 * short here: every change is written by temp file and rename after a write-ahead journal line.
 * Any other write error on stdout (EIO, ENOSPC on a redirected file) is one line and status 2.
 * A command that listens for stdout errors itself (`watch`, which saves its checkpoint and
 * stops) is left to end its own way.
 */
export function endQuietlyWhenOutputCloses(): void {
  let ending = false;
  const onError = (stream: 'stdout' | 'stderr') => (err: NodeJS.ErrnoException) => {
    if (stream === 'stdout' && process.stdout.listenerCount('error') > 1) return;
    if (ending) return;
    ending = true;
    if (err.code === 'EPIPE' || stream === 'stderr') process.exit(ExitCode.OK);
    try {
      process.stderr.write(`logmedic: cannot write the output (${err.code ?? err.message})\n`);
    } finally {
      process.exit(ExitCode.INPUT);
    }
  };
  process.stdout.on('error', onError('stdout'));
  process.stderr.on('error', onError('stderr'));
}

/**
 * Text from a log (or a name from the file system) made safe to print on a terminal: every C0
 * control but tab, DEL and every C1 control become '?', so that a log line cannot set the
 * window title (OSC), clear the screen or rewrite what was printed (`\r\e[K`). With `lines`,
 * line breaks are kept (a record's text); without, a value stays on its one line.
 */
export function maskControls(text: string, lines = false): string {
  return text.replace(lines ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '?');
}

/**
 * JSON with DEL and the C1 controls escaped too (`\u009b`): JSON.stringify escapes only C0,
 * and a terminal may read a raw C1 control (U+009B is CSI) as the start of an escape sequence.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value, 2) + '\n');
}

/**
 * The longest error message printed whole: one quoting a user's input (a pattern) may hold
 * megabytes. A longer one keeps its start and its end, where the reason is.
 */
const MAX_MESSAGE_CHARS = 1000;

function capMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const head = 600;
  const tail = 300;
  return `${message.slice(0, head)}…(${message.length - head - tail} characters)…${message.slice(-tail)}`;
}

/** Report an error as one line on stderr and return the exit code it maps to. */
export function reportError(err: unknown): number {
  const e = err instanceof LogmedicError ? err : fromNative(err);
  process.stderr.write(`logmedic: ${maskControls(capMessage(e.message))}\n`);
  if (e.code === 'E_INTERNAL' && process.env.LOGMEDIC_DEBUG && err instanceof Error) {
    process.stderr.write(`${err.stack}\n`);
  }
  return exitCodeFor(e.code);
}
