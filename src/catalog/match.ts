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
