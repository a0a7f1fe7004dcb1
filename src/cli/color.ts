// Colour for terminal output, decided once per stream: on a TTY only, never with NO_COLOR,
// forced on or off by FORCE_COLOR (https://no-color.org, https://force-color.org).
// Every coloured string in the CLI goes through here, so piped output stays plain text.

export interface ColorEnv {
  NO_COLOR?: string;
  FORCE_COLOR?: string;
  TERM?: string;
}

/**
 * Whether to colour what goes to `stream`. NO_COLOR (any non-empty value) always wins;
 * then FORCE_COLOR ("0"/"false" off, anything else on, even when piped); then a TTY that
 * is not TERM=dumb.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: ColorEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) {
    const v = env.FORCE_COLOR.toLowerCase();
    return !(v === '0' || v === 'false');
  }
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Palette {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

/** A palette for one stream: real SGR codes when colour is enabled there, identity otherwise. */
export function palette(stream: { isTTY?: boolean } = process.stdout, env: ColorEnv = process.env): Palette {
  const on = colorEnabled(stream, env);
  return {
    enabled: on,
    bold: on ? sgr(1, 22) : plain,
    dim: on ? sgr(2, 22) : plain,
    red: on ? sgr(31, 39) : plain,
    green: on ? sgr(32, 39) : plain,
    yellow: on ? sgr(33, 39) : plain,
    cyan: on ? sgr(36, 39) : plain,
  };
}

/** Remove SGR escape sequences (for measuring the visible width of a coloured string). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}
