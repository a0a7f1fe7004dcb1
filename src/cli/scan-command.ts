// `logmedic scan`: many patterns, one pass per file, matching lines counted per pattern and
// per file. Several files and quoted globs; exit status as grep's (0 matched, 1 none, 2 error).
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { errnoReason, ExitCode, LogmedicError, fromNative } from '../errors.js';
import { PatternSet, type Engine, type ScanResult } from '../scan.js';
import { expandFiles, isGlobPattern } from './globs.js';
import { printJson } from './output.js';
import { checkStdinOnce, checkWholeNumber } from './usage.js';

export interface ScanArgs {
  files: string[];
  e?: string[];
  f?: string;
  json?: boolean;
  engine: Engine;
  threads?: number;
  mmap: boolean;
  'max-hits': number;
}

export function scanBuilder(y: Argv): Argv<ScanArgs> {
  return y
    .positional('files', { type: 'string', array: true, describe: 'log files or quoted globs (plain, .gz or .zst; - for stdin)', demandOption: true })
    .option('e', { alias: 'regexp', type: 'string', array: true, nargs: 1, describe: 'a pattern (repeatable)' })
    .option('f', { alias: 'file-patterns', type: 'string', describe: 'read patterns from a file, one per line (# comments and blank lines skipped)' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('engine', { choices: ['auto', 'hyperscan', 'regex'] as const, default: 'auto' as Engine, describe: 'matching engine' })
    .option('threads', { alias: 't', type: 'number', describe: 'worker threads (default: all cores)' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large files (--no-mmap reads instead)' })
    .option('max-hits', { type: 'number', default: 0, describe: 'matching lines to print per pattern' })
    .example('$0 scan app.log -e "(?i)out of memory" -e "CUDA error"', 'count lines matching each pattern')
    .example('$0 scan app.log.zst -f patterns.txt --json', 'patterns from a file, JSON out')
    .example('$0 scan a.log b.log "logs/*.gz" -e Traceback --json', 'several files: totals and per-file counts') as unknown as Argv<ScanArgs>;
}

export function readPatterns(args: Pick<ScanArgs, 'e' | 'f'>): string[] {
  const patterns = [...(args.e ?? [])];
  if (args.f !== undefined) {
    let text: string;
    try {
      text = readFileSync(args.f, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LogmedicError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `${args.f}: cannot read patterns file (${errnoReason(err)})`);
    }
    const nul = text.indexOf('\0');
    if (nul >= 0) throw new LogmedicError('E_INVALID_ARG', `${args.f}: not a patterns file (a NUL byte on line ${text.slice(0, nul).split('\n').length}; one pattern per line, as text)`);
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      patterns.push(line);
    }
  }
  if (patterns.length === 0) throw new LogmedicError('E_USAGE', 'scan needs at least one pattern (-e PATTERN or -f FILE)');
  return patterns;
}

/** One named path: its files (a glob expands), or why it names none. */
function filesFor(spec: string): { files: string[] } | { error: LogmedicError } {
  try {
    return { files: expandFiles([spec]) };
  } catch (err) {
    return { error: fromNative(err) };
  }
}

interface FileScan {
  file: string;
  result?: ScanResult;
  error?: LogmedicError;
}

/**
 * Scan every named file (globs expanded) with one compiled set, one file after another, each
 * on all threads. A file that cannot be read is reported on stderr and the rest are scanned.
 * Exit status as grep's: 0 when some line matched, 1 when none did, 2 when any file failed.
 */
export async function runScan(args: ScanArgs, signal: AbortSignal): Promise<number> {
  const specs = args.files;
  // Named as the user typed them (the library's own checks name its option fields).
  if (args.threads !== undefined) checkWholeNumber('threads', args.threads, 1);
  checkWholeNumber('max-hits', args['max-hits'], 0);
  checkStdinOnce(specs);
  const set = new PatternSet(readPatterns(args), { engine: args.engine });
  const scans: FileScan[] = [];
  for (const spec of specs) {
    const named = filesFor(spec);
    if ('error' in named) {
      scans.push({ file: spec, error: named.error });
      continue;
    }
    for (const file of named.files) {
      try {
        const result = await set.scanFile(file, { threads: args.threads, mmap: args.mmap, maxHits: args['max-hits'], signal });
        scans.push({ file, result });
      } catch (err) {
        const e = fromNative(err);
        // Usage and pattern errors and Ctrl-C concern the whole run, not this file.
        if (e.code === 'E_ABORTED' || e.code === 'E_INVALID_ARG' || e.code === 'E_USAGE' || e.code === 'E_PATTERN') throw e;
        scans.push({ file, error: e });
      }
    }
  }
  const done = scans.filter((s): s is FileScan & { result: ScanResult } => s.result !== undefined);
  const failed = scans.filter((s) => s.error !== undefined);
  // A single file that cannot be read is the whole answer: one line, its exit code.
  if (specs.length === 1 && done.length === 0 && failed.length === 1) throw failed[0].error;
  for (const f of failed) process.stderr.write(`logmedic: ${f.error!.message}\n`);
  for (const f of done) {
    if (f.result.changed) process.stderr.write(`logmedic: warning: ${f.file} changed while it was read; counts cover what was read\n`);
  }
  const single = specs.length === 1 && !isGlobPattern(specs[0]) && done.length === 1 ? done[0] : undefined;
  const totals = set.patterns.map((pattern, i) => ({ pattern, count: done.reduce((n, f) => n + f.result.patterns[i].count, 0) }));
  const matched = totals.some((p) => p.count > 0);
  const status = failed.length > 0 ? ExitCode.INPUT : matched ? ExitCode.OK : ExitCode.FOUND;
  const withHits = args['max-hits'] > 0;
  const patternsOf = (r: ScanResult) => r.patterns.map((p) => ({ pattern: p.pattern, count: p.count, ...(withHits ? { hits: p.hits } : {}) }));
  const bytes = done.reduce((n, f) => n + f.result.bytes, 0);
  const lines = done.reduce((n, f) => n + f.result.lines, 0);
  const elapsedMs = done.reduce((n, f) => n + f.result.elapsedMs, 0);
  const engine = done[0]?.result.engine ?? set.engine;
  const threads = Math.max(0, ...done.map((f) => f.result.threads));

  if (args.json) {
    if (single) {
      const r = single.result;
      printJson({
        file: single.file,
        patterns: patternsOf(r),
        bytes: r.bytes,
        lines: r.lines,
        elapsedMs: round(r.elapsedMs),
        engine: r.engine,
        threads: r.threads,
        source: r.source,
        changed: r.changed,
      });
    } else {
      printJson({
        files: done.map((f) => ({
          file: f.file,
          patterns: patternsOf(f.result),
          bytes: f.result.bytes,
          lines: f.result.lines,
          source: f.result.source,
          changed: f.result.changed,
        })),
        errors: failed.map((f) => ({ file: f.file, code: f.error!.code, message: f.error!.message })),
        patterns: totals,
        bytes,
        lines,
        elapsedMs: round(elapsedMs),
        engine,
        threads,
      });
    }
    return status;
  }
  const width = Math.max(5, ...totals.map((p) => String(p.count).length));
  const where = (f: FileScan) => (single ? '' : `${f.file}:`);
  for (const [i, p] of totals.entries()) {
    process.stdout.write(`${String(p.count).padStart(width)}  ${p.pattern}\n`);
    for (const f of done) {
      for (const h of f.result.patterns[i].hits) process.stdout.write(`${' '.repeat(width)}  ${where(f)}${h.line}: ${h.text}\n`);
    }
  }
  if (!single) {
    for (const f of done) {
      const n = f.result.patterns.reduce((sum, p) => sum + p.count, 0);
      process.stdout.write(`${String(n).padStart(width)}  matches in ${f.file}\n`);
    }
  }
  const mb = bytes / 1e6;
  const across = single ? '' : `, ${done.length} file${done.length === 1 ? '' : 's'}`;
  const source = single ? `, ${single.result.source}` : '';
  process.stdout.write(
    `${lines} lines, ${mb.toFixed(1)} MB in ${(elapsedMs / 1000).toFixed(3)} s ` + `(${engine}, ${threads} threads${source}${across})\n`,
  );
  return status;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
