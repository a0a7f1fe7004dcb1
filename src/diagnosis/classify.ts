// Classification on the users' path: text or a log buffer analyzed by the Rust core with the
// compiled catalog, exactly as `analyze` sees it — records, the pattern that decided each one
// and every pattern it matched. `logmedic test`, the catalog self-test and every accuracy
// corpus measure through here, so no second copy of the type precedence exists.

import { hyperscanAvailable } from '../scan.js';
import { catalogEngine, matchingPatterns, matchingPatternsPerLine } from '../catalog/match.js';
import type { Catalog, ErrorType } from '../catalog/types.js';
import { LogAnalyzer } from './analyzer.js';

export interface Classification {
  type: ErrorType;
  /** Id of the catalog pattern that decided the type. */
  patternId: string;
}

export interface RecordClassification extends Classification {
  /** 1-based first and last line of the record. */
  line: number;
  endLine: number;
  /** Ids of every pattern that matched in the record (refiners too), in catalog order. */
  matched: string[];
}

export interface ClassifyOptions {
  /** Engine for the compiled catalog (default 'regex': the same everywhere). */
  engine?: 'regex' | 'hyperscan';
}

/** Records kept per type when a text is classified (all of a sample's records, in practice). */
const MAX_RECORDS = 1000;

const analyzers = new WeakMap<Catalog, Map<string, LogAnalyzer>>();

/** One analyzer per catalog object and engine: the catalog is compiled once and reused. */
export function analyzerFor(catalog: Catalog, options: ClassifyOptions = {}): LogAnalyzer {
  const engine = options.engine ?? 'regex';
  let byEngine = analyzers.get(catalog);
  if (!byEngine) analyzers.set(catalog, (byEngine = new Map()));
  let analyzer = byEngine.get(engine);
  if (!analyzer) byEngine.set(engine, (analyzer = new LogAnalyzer({ catalog, engine, threads: 1, maxSamples: MAX_RECORDS })));
  return analyzer;
}

/** Every record of a log buffer with its type, deciding pattern and matched patterns, in line order. */
export function classifyRecords(catalog: Catalog, buffer: Buffer, options: ClassifyOptions = {}): RecordClassification[] {
  if (buffer.length === 0) return [];
  return analyzerFor(catalog, options)
    .recordsInBuffer(buffer, { file: '<buffer>', firstLine: 1, baseOffset: 0 })
    .map((r) => ({ type: r.type, patternId: r.patternId, line: r.line, endLine: r.endLine, matched: r.matched ?? [] }));
}

export interface TextClassification {
  /**
   * What `analyze` says the text is: the type it lists first (most records, then the type's
   * priority) and the pattern that decided that type's first record; undefined: no failure.
   */
  headline?: Classification;
  /** The text's records, in line order. */
  records: RecordClassification[];
}

/** A piece of text (one line or several) as `analyze` reads it: its records and headline. */
export function classifyTextRecords(catalog: Catalog, text: string, options: ClassifyOptions = {}): TextClassification {
  if (text.length === 0) return { records: [] };
  const errors = analyzerFor(catalog, options).diagnoseFromLogsSync(Buffer.from(text, 'utf8')).errors;
  const records = errors
    .flatMap((e) => e.samples)
    .sort((a, b) => a.line - b.line)
    .map((r) => ({ type: r.type, patternId: r.patternId, line: r.line, endLine: r.endLine, matched: r.matched ?? [] }));
  const top = errors[0];
  return top ? { headline: { type: top.type, patternId: top.samples[0]?.patternId ?? '' }, records } : { records };
}

/** The headline of {@link classifyTextRecords}: the type `analyze` lists first for `text`. */
export function classifyText(catalog: Catalog, text: string, options: ClassifyOptions = {}): Classification | undefined {
  return classifyTextRecords(catalog, text, options).headline;
}

export interface SelfTestProblem {
  patternId: string;
  problem: string;
  line?: string;
}

export interface SelfTestReport {
  patterns: number;
  samples: number;
  engines: string[];
  problems: SelfTestProblem[];
}

/**
 * The catalog's self-test (`logmedic test` without a file): every pattern has samples; each
 * match sample matches its pattern and `analyze` types it as the pattern's type; `analyze`
 * finds no failure in a noMatch sample; every engine available matches the same patterns.
 */
export function selfTest(catalog: Catalog): SelfTestReport {
  const problems: SelfTestProblem[] = [];
  const engines: Array<'regex' | 'hyperscan'> = hyperscanAvailable() ? ['regex', 'hyperscan'] : ['regex'];
  let samples = 0;
  const index = new Map(catalog.patterns.map((p, i) => [p.id, i]));
  const shown = (c: Classification | undefined) => (c ? `${c.type} (${c.patternId})` : 'nothing');
  // Each engine's matches for every one-line sample, from one scan per engine (thousands of
  // separate scans were most of the self-test's time); samples of several lines alone.
  const oneLine = [...new Set(catalog.patterns.flatMap((p) => [...p.match, ...p.noMatch]).filter((l) => l !== '' && !l.includes('\n')))];
  const perEngine = engines.length > 1 ? engines.map((engine) => matchingPatternsPerLine(catalog, oneLine, { engine })) : [];
  const row = new Map(oneLine.map((l, i) => [l, i]));
  const matchesBy = (line: string, e: number) => {
    const i = row.get(line);
    return (i === undefined ? matchingPatterns(catalog, line, { engine: engines[e] }) : perEngine[e][i]).join(',');
  };
  for (const p of catalog.patterns) {
    if (p.match.length === 0) problems.push({ patternId: p.id, problem: 'has no match sample' });
    if (p.noMatch.length === 0) problems.push({ patternId: p.id, problem: 'has no noMatch sample' });
    for (const line of p.match) {
      samples++;
      const { headline, records } = classifyTextRecords(catalog, line);
      // A refining pattern matched alone makes no record: ask the matcher directly then.
      const matched = records.some((r) => r.matched.includes(p.id)) || matchingPatterns(catalog, line).includes(index.get(p.id)!);
      if (!matched) problems.push({ patternId: p.id, problem: 'match sample does not match', line });
      if (headline?.type !== p.type) problems.push({ patternId: p.id, problem: `match sample classified as ${shown(headline)}`, line });
    }
    for (const line of p.noMatch) {
      samples++;
      const got = classifyText(catalog, line);
      if (got) problems.push({ patternId: p.id, problem: `noMatch sample classified as ${shown(got)}`, line });
    }
    if (engines.length > 1) {
      for (const line of [...p.match, ...p.noMatch]) {
        const [a, b] = [matchesBy(line, 0), matchesBy(line, 1)];
        if (a !== b) problems.push({ patternId: p.id, problem: `engines disagree (regex: [${a}], hyperscan: [${b}])`, line });
      }
    }
  }
  return { patterns: catalog.patterns.length, samples, engines: engines.map((engine) => catalogEngine(catalog, { engine })), problems };
}

/** Alias of {@link classifyText}: one line, or a record's lines joined by `\n`. */
export const classifyLine = classifyText;

/** Alias of {@link classifyRecords}: every record of a buffer, in line order. */
export const classifyBuffer = classifyRecords;
export type LineClassification = RecordClassification;
