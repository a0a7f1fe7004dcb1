// `logmedic scan`: many patterns, one pass, matching lines counted per pattern.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';
import { PatternSet, type Engine } from '../scan.js';
import { printJson } from './output.js';

export interface ScanArgs {
  file: string;
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
    .positional('file', { type: 'string', describe: 'log file (plain, .gz or .zst; - for stdin)', demandOption: true })
    .option('e', { alias: 'regexp', type: 'string', array: true, describe: 'a pattern (repeatable)' })
    .option('f', { alias: 'file-patterns', type: 'string', describe: 'read patterns from a file, one per line (# comments and blank lines skipped)' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('engine', { choices: ['auto', 'hyperscan', 'regex'] as const, default: 'auto' as Engine, describe: 'matching engine' })
    .option('threads', { alias: 't', type: 'number', describe: 'worker threads (default: all cores)' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large files (--no-mmap reads instead)' })
    .option('max-hits', { type: 'number', default: 0, describe: 'matching lines to print per pattern' })
    .example('$0 scan app.log -e "(?i)out of memory" -e "CUDA error"', 'count lines matching each pattern')
    .example('$0 scan app.log.zst -f patterns.txt --json', 'patterns from a file, JSON out') as unknown as Argv<ScanArgs>;
}

export function readPatterns(args: Pick<ScanArgs, 'e' | 'f'>): string[] {
  const patterns = [...(args.e ?? [])];
  if (args.f !== undefined) {
    let text: string;
    try {
      text = readFileSync(args.f, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LogmedicError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `${args.f}: cannot read patterns file (${code ?? err})`);
    }
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      patterns.push(line);
    }
  }
  if (patterns.length === 0) throw new LogmedicError('E_USAGE', 'scan needs at least one pattern (-e PATTERN or -f FILE)');
  return patterns;
}

export async function runScan(args: ScanArgs, signal: AbortSignal): Promise<number> {
  const set = new PatternSet(readPatterns(args), { engine: args.engine });
  const result = await set.scanFile(args.file, {
    threads: args.threads,
    mmap: args.mmap,
    maxHits: args['max-hits'],
    signal,
  });
  if (result.changed) process.stderr.write(`logmedic: warning: ${args.file} changed while it was read; counts cover what was read\n`);
  if (args.json) {
    printJson({
      file: args.file,
      patterns: result.patterns.map((p) => ({ pattern: p.pattern, count: p.count, ...(args['max-hits'] > 0 ? { hits: p.hits } : {}) })),
      bytes: result.bytes,
      lines: result.lines,
      elapsedMs: Math.round(result.elapsedMs * 100) / 100,
      engine: result.engine,
      threads: result.threads,
      source: result.source,
      changed: result.changed,
    });
    return 0;
  }
  const width = Math.max(5, ...result.patterns.map((p) => String(p.count).length));
  for (const p of result.patterns) {
    process.stdout.write(`${String(p.count).padStart(width)}  ${p.pattern}\n`);
    for (const h of p.hits) process.stdout.write(`${' '.repeat(width)}  ${h.line}: ${h.text}\n`);
  }
  const mb = result.bytes / 1e6;
  process.stdout.write(
    `${result.lines} lines, ${mb.toFixed(1)} MB in ${(result.elapsedMs / 1000).toFixed(3)} s ` +
      `(${result.engine}, ${result.threads} threads, ${result.source})\n`,
  );
  return 0;
}
