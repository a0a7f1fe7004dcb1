// Writing to the terminal: one-line errors, and JSON that never mixes with anything else.
import { LogmedicError, exitCodeFor, fromNative } from '../errors.js';

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
