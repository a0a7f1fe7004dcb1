// Which of a catalog's patterns match a piece of text: all patterns compiled into one
// PatternSet and the text scanned once. Matching only — what a record IS (the type
// precedence) is decided by the core; see src/diagnosis/classify.ts.

import { PatternSet, type Engine } from '../scan.js';
import type { Catalog } from './types.js';

export interface MatchOptions {
  /** Engine for the compiled set (default 'regex': the same everywhere). */
  engine?: Engine;
}

const cache = new WeakMap<Catalog, Map<Engine, PatternSet>>();

/** The catalog's patterns compiled (once per catalog object and engine) into one set. */
function compiledSet(catalog: Catalog, options: MatchOptions = {}): PatternSet {
  const engine = options.engine ?? 'regex';
  let byEngine = cache.get(catalog);
  if (!byEngine) cache.set(catalog, (byEngine = new Map()));
  let set = byEngine.get(engine);
  if (!set) byEngine.set(engine, (set = new PatternSet(catalog.patterns.map((p) => p.pattern), { engine })));
  return set;
}

/** The engine that actually serves `catalog` for `options` ("regex" or "hyperscan"). */
export function catalogEngine(catalog: Catalog, options: MatchOptions = {}): string {
  return compiledSet(catalog, options).engine;
}

/** Indices (into catalog.patterns) of the patterns that match anywhere in `text`. */
export function matchingPatterns(catalog: Catalog, text: string, options: MatchOptions = {}): number[] {
  if (text.length === 0) return [];
  const result = compiledSet(catalog, options).scanBufferSync(Buffer.from(text, 'utf8'), { threads: 1, maxHits: 0, maxTextBytes: 0 });
  const out: number[] = [];
  result.patterns.forEach((p, i) => {
    if (p.count > 0) out.push(i);
  });
  return out;
}

/**
 * For each of `lines` (none may hold a newline), the indices of the patterns that match it:
 * one scan of them all, a line each, where `matchingPatterns` would scan each alone.
 */
export function matchingPatternsPerLine(catalog: Catalog, lines: readonly string[], options: MatchOptions = {}): number[][] {
  const out: number[][] = lines.map(() => []);
  if (lines.some((l) => l.includes('\n'))) throw new RangeError('matchingPatternsPerLine takes lines without a newline');
  const set = compiledSet(catalog, options);
  // Scans of about 16 KB: the size of a short log, which both engines serve straight away
  // (from 64 KB the pure-Rust engine's literal prefilter builds a DFA over every literal).
  for (let first = 0; first < lines.length; ) {
    let bytes = 0;
    let end = first;
    while (end < lines.length && (end === first || bytes < 16_384)) bytes += Buffer.byteLength(lines[end++]) + 1;
    const buffer = Buffer.from(lines.slice(first, end).join('\n') + '\n', 'utf8');
    const result = set.scanBufferSync(buffer, { threads: 1, maxHits: end - first, maxTextBytes: 0 });
    result.patterns.forEach((p, i) => {
      for (const hit of p.hits) out[first + hit.line - 1].push(i);
    });
    first = end;
  }
  return out;
}
