// Checks of command-line values that several commands share, each failing as one line that
// names the option as the user typed it.
import { LogmedicError } from '../errors.js';

/** `value` of `--option` is a whole number of at least `min`. */
export function checkWholeNumber(option: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new LogmedicError('E_USAGE', `--${option} must be a whole number >= ${min}, got ${value}`);
}

/** Stdin (`-`) is among `files` at most once: it can be read only once. */
export function checkStdinOnce(files: readonly string[]): void {
  if (files.filter((f) => f === '-').length > 1) throw new LogmedicError('E_USAGE', 'stdin (-) may be named only once');
}
