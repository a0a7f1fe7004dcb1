// `logmedic perf --size MB`: the performance test. Generates (or reuses) a log of that
// size, analyzes it memory-mapped and read, on 1 thread and on all cores, and prints MB/s per
// variant against the product's target: a 1 GB log analyzed in 3 s. Every variant must give the same answer
// (and the generator's ground truth, when there is one) before its time is shown as valid.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
import { palette } from './color.js';
import { defaultLogName, MB, runGenlog, type GenerateLog } from './genlog-command.js';
import { printJson } from './output.js';
import { createProgress } from './progress.js';

/** The analysis speed the product is held to: a 1 GB log analyzed in 3 seconds. */
export const TARGET_MB_PER_S = 1000 / 3;

export interface PerfArgs {
  size: number;
  file?: string;
  threads?: number;
  runs: number;
  seed: number;
  json?: boolean;
}

export function perfBuilder(y: Argv): Argv<PerfArgs> {
  return y
    .option('size', { alias: 's', type: 'number', demandOption: true, describe: 'log size in MB (1 MB = 1,000,000 bytes)' })
    .option('file', { alias: 'o', type: 'string', describe: 'the log to use (default: logmedic-<size>MB.log here, generated if missing)' })
    .option('threads', { alias: 't', type: 'number', describe: 'the "N threads" variants (default: all cores)' })
    .option('runs', { type: 'number', default: 1, describe: 'runs per variant; the fastest counts' })
    .option('seed', { type: 'number', default: 1, describe: 'seed when the log must be generated' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .example('$0 perf --size 1000', 'a 1 GB log against the 3 s target')
    .example('$0 perf --size 100 --runs 3 --json', 'a quick run, best of 3, as JSON')
    .check((a) => {
      if (!(a.size > 0) || !Number.isFinite(a.size)) throw new LogmedicError('E_USAGE', `--size must be a positive number of MB, got ${a.size}`);
      if (a.threads !== undefined && (!Number.isInteger(a.threads) || a.threads < 1)) throw new LogmedicError('E_USAGE', `--threads must be an integer >= 1, got ${a.threads}`);
      if (!Number.isInteger(a.runs) || a.runs < 1) throw new LogmedicError('E_USAGE', `--runs must be an integer >= 1, got ${a.runs}`);
      return true;
    }) as unknown as Argv<PerfArgs>;
}

export interface Variant {
  name: string;
  mmap: boolean;
  threads: number;
}

export interface VariantResult extends Variant {
  seconds: number;
  mbPerS: number;
  /** mbPerS / target. */
  ratio: number;
  meetsTarget: boolean;
  /** Records (or matching lines) per type found by this variant. */
  counts: Record<string, number>;
}

/** What one analysis of the file gives perf: enough to time it and to check its answer. */
export interface Measured {
  bytes: number;
  lines: number;
  engine: string;
  counts: Record<string, number>;
}

export interface Analyze {
  /** 'records': counts are failure records per type, comparable to genlog's ground truth; 'lines': matching lines. */
  counts: 'records' | 'lines';
  /** Set up everything that must not be timed (compiling the catalog). */
  prepare?(variants: Variant[]): void;
  run(path: string, o: { mmap: boolean; threads: number; signal: AbortSignal; onProgress: (bytes: number, total: number) => void }): Promise<Measured>;
}

/** The variants measured: mmap and read, on 1 and on N threads. */
export function variants(threads: number): Variant[] {
  const counts = threads > 1 ? [1, threads] : [1];
  const out: Variant[] = [];
  for (const mmap of [true, false]) {
    for (const t of counts) out.push({ name: `${mmap ? 'mmap' : 'read'}, ${t} thread${t === 1 ? '' : 's'}`, mmap, threads: t });
  }
  return out;
}

/**
 * Analysis as `logmedic analyze` does it: the full diagnosis (records, fields, summary) by
 * LogAnalyzer. One analyzer per variant, compiled before any timing starts.
 */
export function analyzerAnalyze(): Analyze {
  const analyzers = new Map<string, LogAnalyzer>();
  const get = (mmap: boolean, threads: number) => {
    const key = `${mmap}/${threads}`;
    let a = analyzers.get(key);
    if (!a) analyzers.set(key, (a = new LogAnalyzer({ mmap, threads })));
    return a;
  };
  return {
    counts: 'records',
    prepare: (list) => list.forEach((v) => get(v.mmap, v.threads)),
    async run(path, o) {
      const d = await get(o.mmap, o.threads).diagnoseFromLogs(path, { signal: o.signal, onProgress: (p) => o.onProgress(p.bytes, p.total) });
      const counts: Record<string, number> = {};
      for (const t of d.errors) counts[t.type] = t.count;
      return { bytes: d.bytes, lines: d.lines, engine: d.engine, counts };
    },
  };
}

/** Time each variant `runs` times (the fastest counts), after one untimed pass that warms the page cache. */
export async function measureVariants(
  path: string,
  list: Variant[],
  analyze: Analyze,
  o: { runs: number; signal: AbortSignal; json?: boolean },
): Promise<{ measured: Measured; results: VariantResult[] }> {
  const size = statSync(path).size;
  analyze.prepare?.(list);
  const progress = createProgress('perf: warming the page cache', { total: size, json: o.json });
  try {
    const measured = await analyze.run(path, { mmap: true, threads: list[list.length - 1].threads, signal: o.signal, onProgress: (b) => progress.update(b) });
    const results: VariantResult[] = [];
    for (const v of list) {
      let best = Infinity;
      let counts: Record<string, number> = {};
      for (let run = 0; run < o.runs; run++) {
        progress.label(`perf: ${v.name}${o.runs > 1 ? ` (${run + 1}/${o.runs})` : ''}`);
        const t0 = performance.now();
        const m = await analyze.run(path, { mmap: v.mmap, threads: v.threads, signal: o.signal, onProgress: (b) => progress.update(b) });
        best = Math.min(best, (performance.now() - t0) / 1000);
        counts = m.counts;
      }
      const mbPerS = measured.bytes / MB / best;
      results.push({ ...v, seconds: best, mbPerS, ratio: mbPerS / TARGET_MB_PER_S, meetsTarget: mbPerS >= TARGET_MB_PER_S, counts });
    }
    return { measured, results };
  } finally {
    progress.done();
  }
}

/** Whether every variant found the same thing, and whether that matches the ground truth (when known). */
export function checkAnswers(results: VariantResult[], truth: Record<string, number> | null): { consistent: boolean; truth: 'match' | 'mismatch' | 'unknown'; detail?: string } {
  const key = (c: Record<string, number>) => JSON.stringify(Object.entries(c).filter(([, n]) => n > 0).sort());
  const consistent = results.every((r) => key(r.counts) === key(results[0].counts));
  if (!consistent) {
    const diff = results.map((r) => `${r.name}: ${key(r.counts)}`).join('; ');
    return { consistent, truth: 'unknown', detail: `variants disagree: ${diff}` };
  }
  if (!truth) return { consistent, truth: 'unknown' };
  const found = results[0].counts;
  const wrong = Object.keys({ ...truth, ...found }).filter((t) => (truth[t] ?? 0) !== (found[t] ?? 0));
  if (wrong.length === 0) return { consistent, truth: 'match' };
  return { consistent, truth: 'mismatch', detail: wrong.map((t) => `${t} ${found[t] ?? 0} (truth ${truth[t] ?? 0})`).join(', ') };
}

/** Records per type from a genlog ground-truth file beside the log, if there is one. */
export function readTruthCounts(logPath: string): Record<string, number> | null {
  const file = `${logPath}.truth.json`;
  if (!existsSync(file)) return null;
  try {
    const truth = JSON.parse(readFileSync(file, 'utf8')) as { types?: { type?: string; name?: string; records?: number; count?: number }[] | Record<string, number | { records: number }> };
    const out: Record<string, number> = {};
    if (Array.isArray(truth.types)) {
      for (const t of truth.types) out[String(t.type ?? t.name)] = Number(t.records ?? t.count ?? 0);
    } else if (truth.types && typeof truth.types === 'object') {
      for (const [k, v] of Object.entries(truth.types)) out[k] = typeof v === 'number' ? v : Number(v.records);
    } else return null;
    return out;
  } catch {
    return null;
  }
}

/** Whether an existing file can stand for a log of `size` MB (within 1%). */
export function reusable(path: string, sizeMb: number): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && Math.abs(st.size - sizeMb * MB) <= sizeMb * MB * 0.01;
  } catch {
    return false;
  }
}

export async function runPerf(
  args: PerfArgs,
  signal: AbortSignal,
  loadGenerator: () => Promise<GenerateLog>,
  analyze: Analyze = analyzerAnalyze(),
): Promise<number> {
  const path = args.file ?? defaultLogName(args.size);
  const err = process.stderr;
  if (!reusable(path, args.size)) {
    if (args.file !== undefined && existsSync(args.file)) {
      const st = statSync(args.file);
      if (st.isDirectory()) throw new LogmedicError('E_IS_DIRECTORY', `${args.file}: is a directory`);
      if (!st.isFile()) throw new LogmedicError('E_INVALID_ARG', `${args.file}: not a regular file (perf reads its log several times)`);
      throw new LogmedicError('E_USAGE', `${args.file}: is ${(statSync(args.file).size / MB).toFixed(1)} MB, not ${args.size} MB (remove it or give another --file)`);
    }
    const generateLog = await loadGenerator();
    if (!args.json) err.write(`perf: generating ${path} (${args.size} MB, seed ${args.seed})\n`);
    const code = await runGenlog({ size: args.size, output: path, seed: args.seed, 'error-rate': 0.01, quiet: true, json: args.json }, signal, generateLog);
    if (code !== 0) return code;
  } else if (!args.json) {
    err.write(`perf: reusing ${path}\n`);
  }
  const threads = args.threads ?? availableParallelism();
  const { measured, results } = await measureVariants(path, variants(threads), analyze, { runs: args.runs, signal, json: args.json });
  const check = checkAnswers(results, analyze.counts === 'records' ? readTruthCounts(path) : null);
  if (args.json) {
    printJson({
      file: path,
      bytes: measured.bytes,
      lines: measured.lines,
      engine: measured.engine,
      target: { mbPerS: round(TARGET_MB_PER_S), description: '1 GB in 3 s' },
      variants: results.map((r) => ({ name: r.name, mmap: r.mmap, threads: r.threads, seconds: round(r.seconds, 4), mbPerS: round(r.mbPerS), ratio: round(r.ratio), meetsTarget: r.meetsTarget })),
      answer: check,
      counts: results[0].counts,
    });
  } else {
    const c = palette(process.stdout);
    const out = (s: string) => process.stdout.write(s + '\n');
    out(`${path}: ${(measured.bytes / MB).toFixed(1)} MB, ${measured.lines.toLocaleString('en-US')} lines, engine ${measured.engine}${args.runs > 1 ? `, best of ${args.runs}` : ''}`);
    const width = Math.max(...results.map((r) => r.name.length), 'variant'.length);
    out(`${'variant'.padEnd(width)}  ${'time'.padStart(9)}  ${'MB/s'.padStart(8)}  vs target`);
    for (const r of results) {
      const verdict = r.meetsTarget ? c.green(`${r.ratio.toFixed(2)}x  ok`) : c.red(`${r.ratio.toFixed(2)}x  below`);
      out(`${r.name.padEnd(width)}  ${`${r.seconds.toFixed(3)} s`.padStart(9)}  ${r.mbPerS.toFixed(1).padStart(8)}  ${verdict}`);
    }
    out(`target: a 1 GB log analyzed in 3 s = ${TARGET_MB_PER_S.toFixed(1)} MB/s`);
    const answer =
      check.truth === 'match'
        ? c.green('answer: every variant matches the ground truth')
        : check.truth === 'mismatch'
          ? c.red(`answer: differs from the ground truth: ${check.detail}`)
          : check.consistent
            ? 'answer: every variant found the same (no ground truth to compare)'
            : c.red(`answer: ${check.detail}`);
    out(answer);
  }
  // A time is only worth something if the answer is right.
  return check.consistent && check.truth !== 'mismatch' ? 0 : 3;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
