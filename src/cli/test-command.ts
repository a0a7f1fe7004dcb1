// `logmedic test [FILE]`. Without a file: the catalog's self-test (the seed's "run unit
// tests"): every sample of every pattern, both engines where Hyperscan is there. With a
// file, like fail2ban-regex: which lines each pattern matched, and the error-level lines
// that no pattern matched (what the catalog misses on this log).
import type { Argv } from 'yargs';
import { defaultCatalog, selfTest } from '../catalog/index.js';
import type { Catalog } from '../catalog/types.js';
import { ExitCode, LogmedicError } from '../errors.js';
import { PatternSet, type Engine } from '../scan.js';
import { palette } from './color.js';
import { maskControls, printJson } from './output.js';
import { pickLang, strings } from './i18n.js';

export interface TestArgs {
  file?: string;
  json?: boolean;
  engine: Engine;
  lang?: string;
  show: number;
  mmap: boolean;
}

export function testBuilder(y: Argv): Argv<TestArgs> {
  return y
    .positional('file', { type: 'string', describe: 'a log to test the catalog on (plain, .gz, .zst; - for stdin)' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('engine', { choices: ['auto', 'hyperscan', 'regex'] as const, default: 'auto' as Engine, describe: 'matching engine (with a file)' })
    .option('lang', { type: 'string', choices: ['en', 'zh'], describe: 'output language (default: from the locale)' })
    .option('show', { type: 'number', default: 5, describe: 'matching lines shown per pattern (with a file)' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large files (--no-mmap reads instead)' })
    .example('$0 test', 'the catalog self-test: every sample of every pattern')
    .example('$0 test app.log', 'which lines each pattern matches, and the error lines none matches') as unknown as Argv<TestArgs>;
}

/**
 * Lines that say they are errors, whatever failed: upper-case levels, bracketed and JSON
 * levels, exceptions and panics. What `test FILE` reports when no pattern matched them.
 */
export const ERROR_LEVEL = String.raw`\b(ERROR|FATAL|CRITICAL|CRIT|SEVERE|EMERG|ALERT|PANIC)\b|\[(error|crit|alert|emerg)\]|"(level|severity)":\s*"(?i:error|fatal|critical)"|\blevel=(?i:error|fatal|critical)\b|[A-Za-z]Exception\b|^Traceback \(most recent call last\)|^panic: |panicked at|^[EF]/\w|^[EF]\d{4} `;

/** Lines kept per pattern (and for the unmatched error lines) to find unmatched ones. */
const MAX_LINES = 200_000;

export interface FileTestReport {
  file: string;
  lines: number;
  patterns: { id: string; type: string; count: number; lines: { line: number; text: string }[] }[];
  unmatched: { count: number; lines: { line: number; text: string }[] };
}

/** What each catalog pattern matches in `file`, and the error-level lines none matches. */
export async function testFile(catalog: Catalog, file: string, opts: { engine?: Engine; show?: number; mmap?: boolean; signal?: AbortSignal } = {}): Promise<FileTestReport> {
  const show = opts.show ?? 5;
  const set = new PatternSet([...catalog.patterns.map((p) => p.pattern), ERROR_LEVEL], { engine: opts.engine ?? 'auto' });
  const result = await set.scanFile(file, { maxHits: MAX_LINES, maxTextBytes: 300, mmap: opts.mmap, signal: opts.signal });
  const matched = new Set<number>();
  const patterns = catalog.patterns.map((p, i) => {
    const r = result.patterns[i];
    for (const h of r.hits) matched.add(h.line);
    return { id: p.id, type: p.type, count: r.count, lines: r.hits.slice(0, show).map((h) => ({ line: h.line, text: h.text })) };
  });
  const errors = result.patterns[catalog.patterns.length].hits.filter((h) => !matched.has(h.line));
  return {
    file,
    lines: result.lines,
    patterns: patterns.filter((p) => p.count > 0).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    unmatched: { count: errors.length, lines: errors.slice(0, Math.max(show, 20)).map((h) => ({ line: h.line, text: h.text })) },
  };
}

export async function runTest(args: TestArgs, signal: AbortSignal): Promise<number> {
  const s = strings(pickLang(args.lang));
  const c = palette(process.stdout);
  const catalog = defaultCatalog();
  if (!Number.isInteger(args.show) || args.show < 0) throw new LogmedicError('E_USAGE', '--show must be a whole number >= 0');
  if (args.file === undefined) {
    const report = selfTest(catalog);
    const ok = report.problems.length === 0;
    if (args.json) printJson({ ok, ...report });
    else {
      for (const p of report.problems) process.stdout.write(`${c.red('✗')} ${p.patternId}: ${p.problem}${p.line !== undefined ? `\n    ${p.line}` : ''}\n`);
      process.stdout.write(ok ? `${c.green(s.selfTestOk(report.patterns, report.samples, report.engines.join(', ')))}\n` : `${c.red(s.selfTestFailed(report.problems.length, report.patterns, report.samples))}\n`);
    }
    return ok ? ExitCode.OK : ExitCode.FOUND;
  }
  const report = await testFile(catalog, args.file, { engine: args.engine, show: args.show, mmap: args.mmap, signal });
  if (args.json) {
    printJson(report);
    return ExitCode.OK;
  }
  const out: string[] = [];
  if (report.patterns.length === 0) out.push(s.noPatternMatched);
  else out.push(s.matchedLines);
  for (const p of report.patterns) {
    out.push(`  ${c.bold(p.id)} ${c.dim(`(${p.type})`)}: ${s.linesMatched(p.count)}`);
    for (const l of p.lines) out.push(`    ${c.dim(String(l.line).padStart(7))}: ${maskControls(l.text)}`);
  }
  out.push('');
  out.push((report.unmatched.count > 0 ? c.yellow : c.green)(s.unmatchedErrors(report.unmatched.count)));
  for (const l of report.unmatched.lines) out.push(`    ${c.dim(String(l.line).padStart(7))}: ${maskControls(l.text)}`);
  process.stdout.write(out.join('\n') + '\n');
  return ExitCode.OK;
}
