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

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Report an error as one line on stderr and return the exit code it maps to. */
export function reportError(err: unknown): number {
  const e = err instanceof LogmedicError ? err : fromNative(err);
  process.stderr.write(`logmedic: ${e.message}\n`);
  if (e.code === 'E_INTERNAL' && process.env.LOGMEDIC_DEBUG && err instanceof Error) {
    process.stderr.write(`${err.stack}\n`);
  }
  return exitCodeFor(e.code);
}
