// Progress bars for long jobs (a big analyze, genlog, perf): drawn on stderr, and only when
// stderr is a terminal and the output is not --json, so pipes, files and JSON stay clean.
// The bar is plain text redrawn with a carriage return: no escape sequences, no colour.

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  /** Total units (bytes by default); 0 or negative when unknown. */
  total?: number;
  /** Where to draw; default process.stderr. */
  stream?: ProgressStream;
  /** The command prints JSON: never draw. */
  json?: boolean;
  /** 'bytes' shows MB and MB/s; 'count' plain numbers. */
  unit?: 'bytes' | 'count';
  /** Least time between redraws (ms). */
  intervalMs?: number;
  /** Nothing is drawn before the job has run this long (ms), so a quick job never flashes a bar. */
  delayMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface Progress {
  /** Whether anything is drawn at all. */
  readonly active: boolean;
  /** Report `done` units so far (and the total, when it becomes known). */
  update(done: number, total?: number): void;
  /** Change the label (e.g. the next phase of a job). */
  label(text: string): void;
  /** Erase the bar, leaving the line as it was before. */
  done(): void;
}

const NOOP: Progress = { active: false, update() {}, label() {}, done() {} };

/** Whether a progress bar may be drawn on `stream`. */
export function progressEnabled(stream: ProgressStream, json = false, env: NodeJS.ProcessEnv = process.env): boolean {
  if (json) return false;
  if (stream.isTTY !== true) return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

/** One line of progress, at most `width` characters. Pure, for tests. */
export function renderProgressLine(
  text: string,
  done: number,
  total: number,
  elapsedMs: number,
  width: number,
  unit: 'bytes' | 'count' = 'bytes',
): string {
  const fmt = (n: number) => (unit === 'bytes' ? `${(n / 1e6).toFixed(1)} MB` : String(Math.round(n)));
  const rate = elapsedMs > 0 && done > 0 ? (unit === 'bytes' ? `${(done / 1e6 / (elapsedMs / 1000)).toFixed(0)} MB/s` : `${(done / (elapsedMs / 1000)).toFixed(0)}/s`) : '';
  let line: string;
  if (total > 0) {
    const fraction = Math.max(0, Math.min(1, done / total));
    const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
    const tail = ` ${pct} ${fmt(done)}/${fmt(total)}${rate ? `  ${rate}` : ''}`;
    const barWidth = Math.max(0, Math.min(30, width - text.length - tail.length - 3));
    const filled = Math.round(fraction * barWidth);
    const bar = barWidth > 0 ? ` [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]` : '';
    line = `${text}${bar}${tail}`;
  } else {
    line = `${text} ${fmt(done)}${rate ? `  ${rate}` : ''}`;
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

/** A progress bar on stderr, or a no-op where it must not be drawn. */
export function createProgress(text: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!progressEnabled(stream, options.json)) return NOOP;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const delay = options.delayMs ?? 300;
  const unit = options.unit ?? 'bytes';
  const start = now();
  let total = options.total ?? 0;
  let label = text;
  let lastDraw = -Infinity;
  let drawnWidth = 0;
  let finished = false;
  // A terminal that reports 0 columns (a pty nobody sized) is treated as unknown: 80.
  const width = () => Math.max(20, (stream.columns || 80) - 1);
  const draw = (done: number) => {
    const line = renderProgressLine(label, done, total, now() - start, width(), unit);
    // Pad over whatever a longer previous line left behind.
    stream.write(`\r${line}${' '.repeat(Math.max(0, drawnWidth - line.length))}`);
    drawnWidth = line.length;
  };
  return {
    active: true,
    update(done, newTotal) {
      if (finished) return;
      if (newTotal !== undefined && newTotal > 0) total = newTotal;
      const t = now();
      if (t - start < delay) return;
      const complete = total > 0 && done >= total;
      if (!complete && t - lastDraw < interval) return;
      lastDraw = t;
      draw(done);
    },
    label(next) {
      label = next;
      lastDraw = -Infinity;
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawnWidth > 0) stream.write(`\r${' '.repeat(drawnWidth)}\r`);
    },
  };
}
