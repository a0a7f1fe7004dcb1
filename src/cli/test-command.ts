// `logmedic test [FILE]`. Without a file: the catalog's self-test (what the original
// description calls running the unit tests): every sample of every pattern, both engines
// where Hyperscan is there. With a file, like fail2ban-regex: the records `analyze` finds,
// which patterns matched and decided them, and the error-level lines no record covers (what
// the catalog misses on this log).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Argv } from 'yargs';
import { defaultCatalog } from '../catalog/index.js';
import { selfTest } from '../diagnosis/classify.js';
import type { Catalog } from '../catalog/types.js';
import { errnoCode, errnoReason, ExitCode, fileError, LogmedicError, namedAs } from '../errors.js';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
import { loadConfig } from '../config/load.js';
import { analyzerOptionsFromConfig } from '../config/analyzer.js';
import { CONFIG_DESCRIBE } from './config-option.js';
import { PatternSet, type Engine } from '../scan.js';
import { palette } from './color.js';
import { maskControls, printJson } from './output.js';
import { pickLang, strings, type Strings } from './i18n.js';
import { readTimeArgs, timeOptions, type TimeArgs } from './time-options.js';

export interface TestArgs extends TimeArgs {
  file?: string;
  json?: boolean;
  engine: Engine;
  lang?: string;
  show: number;
  mmap: boolean;
  config?: string;
  regexp?: string;
  type?: string;
}

export function testBuilder(y: Argv): Argv<TestArgs> {
  return timeOptions(y)
    .positional('file', { type: 'string', describe: 'a log to test the catalog on (plain, .gz, .zst; - for stdin)' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('engine', { choices: ['auto', 'hyperscan', 'regex'] as const, default: 'auto' as Engine, describe: 'matching engine (with a file)' })
    .option('lang', { type: 'string', choices: ['en', 'zh'], describe: 'output language (default: from the locale)' })
    .option('show', { type: 'number', default: 5, describe: 'matching lines shown per pattern (with a file)' })
    .option('mmap', { type: 'boolean', default: true, describe: 'memory-map large files (--no-mmap reads instead)' })
    .option('config', { alias: 'c', type: 'string', describe: CONFIG_DESCRIBE })
    .option('regexp', { alias: 'e', type: 'string', describe: 'with a file: try this pattern (Rust regex syntax) as one more catalog pattern of --type' })
    .option('type', { type: 'string', describe: 'with -e: the error type the pattern reports (required; a type of the catalog)' })
    .example('$0 test', 'the catalog self-test: every sample of every pattern')
    .example('$0 test app.log', 'which lines each pattern matches; the error lines none matches, by template, with a pattern for each')
    .example('$0 test app.log -e "quota exceeded" --type DiskFull', 'what this rule matches in app.log, and which records it would change')
    .example('$0 test app.log --since -2h', 'the records and unmatched error lines of the last two hours') as unknown as Argv<TestArgs>;
}

/** How `test FILE` runs: the engine, lines shown, and the time range of the records read. */
export interface TestOptions {
  engine?: Engine;
  show?: number;
  mmap?: boolean;
  signal?: AbortSignal;
  actionMap?: Record<string, readonly string[]>;
  /** Records (and unmatched lines) at or after this time; lines without a time are kept. */
  since?: Date;
  until?: Date;
  year?: number;
}

/** Records read per type, and error-level lines kept, to find the lines no record covers. */
const MAX_LINES = 200_000;
/** Characters of a line shown. */
const SHOWN_CHARS = 300;

export interface FileTestReport {
  file: string;
  lines: number;
  /** Failing records found, as `analyze` finds them. */
  records: number;
  /** Records per type: what `analyze` reports for this file. */
  types: { type: string; count: number }[];
  /** Per pattern: the records it matched (`count`), how many it decided, the first few. */
  patterns: { id: string; type: string; count: number; decided: number; lines: { line: number; text: string }[] }[];
  /** Error-level lines outside every record, by template: what the catalog misses on this log. */
  unmatched: { count: number; templates: Suggestion[] };
  /** The file changed while it was read (truncated, rotated): the report covers what was read. */
  changed: boolean;
}

/** One template of unmatched error lines, with a pattern that matches its lines. */
export interface Suggestion {
  id: string;
  template: string;
  count: number;
  first: number;
  last: number;
  example: string;
  /** Rust regex syntax: the template's wording escaped, its variables generalised (absent for a template without wording). */
  pattern?: string;
}

/**
 * `logmedic test FILE`: the file analyzed as `analyze` analyzes it (the same records, types
 * and deciding patterns), shown per pattern, plus the error-level lines no record covers.
 */
export async function testFile(catalog: Catalog, file: string, opts: TestOptions = {}): Promise<FileTestReport> {
  const show = opts.show ?? 5;
  const analyzer = new LogAnalyzer({ catalog, actionMap: opts.actionMap, engine: opts.engine ?? 'auto', mmap: opts.mmap, since: opts.since, until: opts.until, year: opts.year });
  const [records, diagnosis] = await Promise.all([
    analyzer.extractErrors(file, { maxRecords: MAX_LINES, signal: opts.signal }),
    analyzer.diagnoseFromLogs([file], { signal: opts.signal }),
  ]);
  const byPattern = new Map(catalog.patterns.map((p) => [p.id, { id: p.id, type: p.type, count: 0, decided: 0, lines: [] as { line: number; text: string }[] }]));
  const byType = new Map<string, number>();
  for (const r of records) {
    byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    for (const id of r.matched ?? [r.patternId]) {
      const p = byPattern.get(id);
      if (!p) continue;
      p.count++;
      if (id === r.patternId) p.decided++;
      if (p.lines.length < show) p.lines.push({ line: r.line, text: r.text.split('\n', 1)[0].replace(/\r$/, '').slice(0, SHOWN_CHARS) });
    }
  }
  return {
    file,
    lines: diagnosis.lines,
    records: records.length,
    types: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    patterns: [...byPattern.values()].filter((p) => p.count > 0).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    unmatched: {
      count: diagnosis.unrecognised?.lines ?? 0,
      templates: (diagnosis.unrecognised?.templates ?? []).map((t) => ({ id: t.id, template: t.template, count: t.count, first: t.first.line, last: t.last.line, example: t.example, pattern: t.pattern })),
    },
    changed: diagnosis.changed.length > 0,
  };
}

export async function runTest(args: TestArgs, signal: AbortSignal): Promise<number> {
  const s = strings(pickLang(args.lang));
  const c = palette(process.stdout);
  if (!Number.isInteger(args.show) || args.show < 0) throw new LogmedicError('E_USAGE', '--show must be a whole number >= 0');
  if (args.regexp !== undefined && args.file === undefined) throw new LogmedicError('E_USAGE', '-e needs a log file to try the pattern on (test FILE -e REGEX --type TYPE)');
  if (args.type !== undefined && args.regexp === undefined) throw new LogmedicError('E_USAGE', '--type goes with -e REGEX');
  const time = readTimeArgs(args);
  if (args.file === undefined && (time.since || time.until)) throw new LogmedicError('E_USAGE', '--since/--until need a log file (test FILE --since TIME)');
  const config = loadConfig({ configPath: args.config });
  const { catalog = defaultCatalog(), actionMap } = analyzerOptionsFromConfig(config);
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
  // Both reports read the log more than once, at once: a stream is kept whole first.
  const input = await spoolIfStream(args.file, signal);
  let report: FileTestReport;
  try {
    if (args.regexp !== undefined) {
      const ruleReport = { ...(await testRule(catalog, input.path, { pattern: args.regexp, type: args.type }, { engine: args.engine, show: args.show, mmap: args.mmap, signal, actionMap, ...time })), file: args.file };
      if (args.json) printJson(ruleReport);
      else process.stdout.write(renderRuleReport(ruleReport, c));
      return ExitCode.OK;
    }
    report = { ...(await testFile(catalog, input.path, { engine: args.engine, show: args.show, mmap: args.mmap, signal, actionMap, ...time })), file: args.file };
  } catch (err) {
    // An error about the copy is about what the user named.
    throw namedAs(err, input.path, args.file);
  } finally {
    input.remove();
  }
  if (report.changed) process.stderr.write(`logmedic: ${s.changed(args.file)}\n`);
  if (args.json) {
    printJson(report);
    return ExitCode.OK;
  }
  const out: string[] = [];
  if (config.file) out.push(c.dim(`config ${config.file}`));
  if (report.patterns.length === 0) out.push(s.noPatternMatched);
  else out.push(s.matchedLines);
  for (const p of report.patterns) {
    out.push(`  ${c.bold(p.id)} ${c.dim(`(${p.type})`)}: ${s.linesMatched(p.count)}${p.decided < p.count ? c.dim(`, ${p.decided} decided`) : ''}`);
    for (const l of p.lines) out.push(`    ${c.dim(String(l.line).padStart(7))}: ${maskControls(l.text)}`);
  }
  out.push('');
  out.push(...renderSuggestions(report, args.show, c, s));
  process.stdout.write(out.join('\n') + '\n');
  return ExitCode.OK;
}

/**
 * `path` as a file that can be read more than once: stdin (`-`), a FIFO or a device is copied
 * whole into a private temporary file first (removed by `remove`); any other path is itself.
 */
async function spoolIfStream(path: string, signal: AbortSignal): Promise<{ path: string; remove: () => void }> {
  let stream: NodeJS.ReadableStream;
  if (path === '-') stream = process.stdin;
  else {
    try {
      const st = statSync(path);
      if (st.isFile() || st.isDirectory()) return { path, remove: () => {} };
    } catch {
      return { path, remove: () => {} }; // missing or closed: the analysis says so
    }
    stream = createReadStream(path);
  }
  const dir = mkdtempSync(join(tmpdir(), 'logmedic-test-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const copy = join(dir, 'input');
  try {
    await pipeline(stream, createWriteStream(copy, { mode: 0o600 }), { signal });
  } catch (err) {
    remove();
    if ((err as Error).name === 'AbortError') throw new LogmedicError('E_ABORTED', 'aborted');
    // The input itself could not be read: said as the analysis would say it.
    if (['EACCES', 'EPERM', 'ENOENT'].includes((err as NodeJS.ErrnoException).code ?? '')) throw new LogmedicError(errnoCode(err), `${path}: ${errnoReason(err)}`);
    throw fileError(copy, `keep a copy of ${path === '-' ? 'stdin' : path} to read it twice`, err);
  }
  return { path: copy, remove };
}

/** Templates of unmatched lines listed with their suggestions (at least this many). */
const SUGGESTIONS_SHOWN = 10;

/** The unmatched error lines by template, each with its suggested pattern, then how to use one. */
export function renderSuggestions(report: FileTestReport, show: number, c: ReturnType<typeof palette>, s: Strings): string[] {
  const u = report.unmatched;
  const out = [(u.count > 0 ? c.yellow : c.green)(s.unmatchedErrors(u.count) + (u.templates.length > 0 ? `, ${u.templates.length} template${u.templates.length === 1 ? '' : 's'}` : ''))];
  const shown = u.templates.slice(0, Math.max(show, SUGGESTIONS_SHOWN));
  for (const t of shown) {
    const lines = t.count > 1 ? `lines ${t.first} … ${t.last}` : `line ${t.first}`;
    out.push(`  ${c.bold(`${t.count}×`)} ${maskControls(t.template)}  ${c.dim(`[${t.id}]`)}`);
    out.push(`      ${c.dim(`${lines}: ${maskControls(t.example.slice(0, SHOWN_CHARS))}`)}`);
    if (t.pattern !== undefined) out.push(`      -e ${shellQuote(t.pattern)}`);
  }
  if (u.templates.length > shown.length) out.push(c.dim(`  … ${u.templates.length - shown.length} more templates (--json lists them)`));
  const top = shown.find((t) => t.pattern !== undefined);
  if (top?.pattern !== undefined) {
    out.push('', `Try a suggestion (TYPE: a type of the catalog): logmedic test ${shellQuote(report.file)} -e ${shellQuote(top.pattern)} --type TYPE`);
    out.push('Adopt it in the config file:', ...configSnippet({ ...top, pattern: top.pattern }).map((l) => `  ${l}`));
  }
  return out;
}

/** The `catalog:` lines of the config file that add a suggestion as a pattern of `type`. */
export function configSnippet(t: Suggestion & { pattern: string }, type = 'TYPE'): string[] {
  const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
  return [
    'catalog:',
    '  patterns:',
    `    - id: ${type}/template-${t.id}`,
    `      type: ${type}`,
    `      pattern: ${quoted(t.pattern)}`,
    `      match: [${quoted(maskControls(t.example))}]`,
  ];
}

/** A word for a POSIX shell: single-quoted unless it needs no quoting. */
function shellQuote(v: string): string {
  return /^[\w./:=@%+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------
// `test FILE -e REGEX --type T`: one rule tried on one log, like fail2ban-regex.

export interface RuleReport {
  file: string;
  rule: { id: string; pattern: string; type: string };
  lines: number;
  /** Lines the pattern matches on its own, whatever record they fall in. */
  matchedLines: { count: number; lines: { line: number; text: string }[] };
  /** Records (as `analyze` groups them) the pattern matches, and how many it decides. */
  matchedRecords: { count: number; decided: number; records: { line: number; endLine: number; type: string; text: string }[] };
  /** Records whose type differs with the rule added: from (null: no record before) → to (null: none after). */
  changes: { count: number; records: { line: number; endLine: number; from: string | null; to: string | null; text: string }[] };
  /** Records per type without and with the rule. */
  types: { before: { type: string; count: number }[]; after: { type: string; count: number }[] };
}

/** The id the rule takes in the catalog it is tried in. */
const RULE_NAME = 'test-e';

/**
 * The file analyzed twice through the same core path as `analyze`: with the catalog, and with
 * the catalog plus the rule as one more pattern of its type (as a `catalog:` pattern in the
 * config would be); what the rule matches, and which records change type.
 */
export async function testRule(
  catalog: Catalog,
  file: string,
  rule: { pattern: string; type?: string },
  opts: TestOptions = {},
): Promise<RuleReport> {
  const show = opts.show ?? 5;
  const known = catalog.types.map((t) => t.name);
  if (rule.type === undefined) throw new LogmedicError('E_USAGE', `-e needs --type TYPE, the type the pattern reports (known: ${known.join(', ')})`);
  if (!known.includes(rule.type)) throw new LogmedicError('E_USAGE', `--type: unknown error type ${JSON.stringify(rule.type)} (known: ${known.join(', ')})`);
  let alone: PatternSet;
  try {
    alone = new PatternSet([rule.pattern], { engine: 'regex' });
  } catch (err) {
    throw new LogmedicError('E_USAGE', `-e: invalid pattern: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
  let id = `${rule.type}/${RULE_NAME}`;
  for (let n = 2; catalog.patterns.some((p) => p.id === id); n++) id = `${rule.type}/${RULE_NAME}-${n}`;
  const withRule: Catalog = { types: catalog.types, patterns: [...catalog.patterns, { id, type: rule.type, pattern: rule.pattern, origin: 'user', match: [], noMatch: [] }] };
  const analyzerOptions = { engine: opts.engine ?? 'auto', mmap: opts.mmap, actionMap: opts.actionMap, since: opts.since, until: opts.until, year: opts.year };
  let after: LogAnalyzer;
  try {
    after = new LogAnalyzer({ ...analyzerOptions, catalog: withRule });
  } catch (err) {
    throw new LogmedicError('E_USAGE', `-e: invalid pattern: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
  const before = new LogAnalyzer({ ...analyzerOptions, catalog });
  const read = { maxRecords: MAX_LINES, signal: opts.signal };
  const [recordsBefore, recordsAfter, scan] = await Promise.all([
    before.extractErrors(file, read),
    after.extractErrors(file, read),
    alone.scanFile(file, { maxHits: show, maxTextBytes: SHOWN_CHARS, mmap: opts.mmap, signal: opts.signal }),
  ]);
  const firstLine = (text: string) => text.split('\n', 1)[0].replace(/\r$/, '').slice(0, SHOWN_CHARS);
  const matched = recordsAfter.filter((r) => (r.matched ?? [r.patternId]).includes(id));
  const key = (r: { line: number; endLine: number }) => `${r.line}-${r.endLine}`;
  const typeBefore = new Map(recordsBefore.map((r) => [key(r), r]));
  const typeAfter = new Map(recordsAfter.map((r) => [key(r), r]));
  const changes: RuleReport['changes']['records'] = [];
  for (const r of recordsAfter) {
    const was = typeBefore.get(key(r));
    if (was?.type !== r.type) changes.push({ line: r.line, endLine: r.endLine, from: was?.type ?? null, to: r.type, text: firstLine(r.text) });
  }
  for (const r of recordsBefore) if (!typeAfter.has(key(r))) changes.push({ line: r.line, endLine: r.endLine, from: r.type, to: null, text: firstLine(r.text) });
  changes.sort((a, b) => a.line - b.line);
  const perType = (records: { type: string }[]) => {
    const counts = new Map<string, number>();
    for (const r of records) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  };
  return {
    file,
    rule: { id, pattern: rule.pattern, type: rule.type },
    lines: scan.lines,
    matchedLines: { count: scan.patterns[0].count, lines: scan.patterns[0].hits.map((h) => ({ line: h.line, text: h.text })) },
    matchedRecords: {
      count: matched.length,
      decided: matched.filter((r) => r.patternId === id).length,
      records: matched.slice(0, show).map((r) => ({ line: r.line, endLine: r.endLine, type: r.type, text: firstLine(r.text) })),
    },
    changes: { count: changes.length, records: changes.slice(0, Math.max(show, 20)) },
    types: { before: perType(recordsBefore), after: perType(recordsAfter) },
  };
}

/** The human form of a RuleReport. Pure, for tests. */
export function renderRuleReport(r: RuleReport, c: ReturnType<typeof palette>): string {
  const at = (l: { line: number; endLine?: number }) => c.dim((l.endLine !== undefined && l.endLine > l.line ? `${l.line}-${l.endLine}` : String(l.line)).padStart(9));
  const out: string[] = [];
  out.push(`rule ${c.bold(r.rule.id)}: ${maskControls(r.rule.pattern)}`);
  out.push(`lines matched: ${r.matchedLines.count} of ${r.lines}`);
  for (const l of r.matchedLines.lines) out.push(`  ${at(l)}: ${maskControls(l.text)}`);
  out.push(`records matched: ${r.matchedRecords.count}, ${r.matchedRecords.decided} decided by the rule`);
  for (const l of r.matchedRecords.records) out.push(`  ${at(l)}: ${c.dim(`[${l.type}]`)} ${maskControls(l.text)}`);
  out.push((r.changes.count > 0 ? c.yellow : c.green)(`records whose type would change: ${r.changes.count}`));
  for (const l of r.changes.records) out.push(`  ${at(l)}: ${l.from ?? '(no record)'} → ${c.bold(l.to ?? '(no record)')}  ${maskControls(l.text)}`);
  return out.join('\n') + '\n';
}
