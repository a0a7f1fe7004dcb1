// The reference classifier: all of a catalog's patterns compiled into ONE PatternSet, a
// line (or a record, or a whole buffer) scanned once, and the type chosen by precedence.
// Pure TypeScript over the scan API; used by tests, `logmedic test` and catalog checks.

import { PatternSet, type Engine } from '../scan.js';
import type { Catalog, CatalogPattern, ErrorType } from './types.js';

export interface Classification {
  type: ErrorType;
  patternId: string;
}

export interface ClassifyOptions {
  /** Engine for the compiled set (default 'regex': the same everywhere). */
  engine?: Engine;
}

interface Compiled {
  set: PatternSet;
  patterns: CatalogPattern[];
  /** Effective priority of each pattern (its own, else its type's). */
  rank: number[];
  /** Priority of each pattern's type (the tie-breaker). */
  typeRank: number[];
}

const cache = new WeakMap<Catalog, Map<Engine, Compiled>>();

/** Compile (once per catalog object and engine) the catalog into one pattern set. */
export function compileCatalog(catalog: Catalog, options: ClassifyOptions = {}): Compiled {
  const engine = options.engine ?? 'regex';
  let byEngine = cache.get(catalog);
  if (!byEngine) cache.set(catalog, (byEngine = new Map()));
  const hit = byEngine.get(engine);
  if (hit) return hit;
  const typePriority = new Map(catalog.types.map((t) => [t.name, t.priority]));
  const patterns = [...catalog.patterns];
  const compiled: Compiled = {
    set: new PatternSet(patterns.map((p) => p.pattern), { engine }),
    patterns,
    rank: patterns.map((p) => p.priority ?? typePriority.get(p.type) ?? 0),
    typeRank: patterns.map((p) => typePriority.get(p.type) ?? 0),
  };
  byEngine.set(engine, compiled);
  return compiled;
}

/** The engine that actually serves `catalog` for `options` ("regex" or "hyperscan"). */
export function catalogEngine(catalog: Catalog, options: ClassifyOptions = {}): string {
  return compileCatalog(catalog, options).set.engine;
}

/**
 * The same precedence as the core applies it: a pattern's effective priority, then its type's
 * priority, folded into one integer (ties then go to the earliest match).
 */
export function corePriority(pattern: number, type: number): number {
  const clamp = (n: number) => Math.max(-1_000_000, Math.min(1_000_000, Math.trunc(n)));
  return clamp(pattern) * 1024 + Math.max(0, Math.min(1023, Math.trunc(type)));
}

/** Precedence: higher effective priority, then higher type priority, then earlier pattern. */
function better(c: Compiled, a: number, b: number): boolean {
  if (c.rank[a] !== c.rank[b]) return c.rank[a] > c.rank[b];
  if (c.typeRank[a] !== c.typeRank[b]) return c.typeRank[a] > c.typeRank[b];
  return a < b;
}

/**
 * The winner among matching patterns: the best ordinary pattern by precedence, then a
 * refining pattern (`CatalogPattern.refines`) that names the winner's type and outranks it.
 * Refining patterns alone decide nothing.
 */
function pick(c: Compiled, indices: Iterable<number>): Classification | undefined {
  const all = [...indices];
  let best = -1;
  for (const i of all) if (!c.patterns[i].refines?.length && (best < 0 || better(c, i, best))) best = i;
  if (best < 0) return undefined;
  const baseType = c.patterns[best].type;
  for (const i of all) if (c.patterns[i].refines?.includes(baseType) && better(c, i, best)) best = i;
  return { type: c.patterns[best].type, patternId: c.patterns[best].id };
}

/**
 * Classify a piece of text — one line, or a multi-line record — as the highest-precedence
 * type any of its lines matches; undefined when nothing matches.
 */
export function classifyText(catalog: Catalog, text: string, options: ClassifyOptions = {}): Classification | undefined {
  return pick(compileCatalog(catalog, options), matchingPatterns(catalog, text, options));
}

/** The classification that precedence picks among pattern indices (from matchingPatterns). */
export function pickByPrecedence(catalog: Catalog, indices: Iterable<number>, options: ClassifyOptions = {}): Classification | undefined {
  return pick(compileCatalog(catalog, options), indices);
}

/** Classify one log line (a record's lines may also be passed joined by `\n`). */
export const classifyLine = classifyText;

/** Indices (into catalog.patterns) of the patterns that match anywhere in `text`. */
export function matchingPatterns(catalog: Catalog, text: string, options: ClassifyOptions = {}): number[] {
  const c = compileCatalog(catalog, options);
  if (text.length === 0) return [];
  const result = c.set.scanBufferSync(Buffer.from(text, 'utf8'), { threads: 1, maxHits: 0, maxTextBytes: 0 });
  const out: number[] = [];
  result.patterns.forEach((p, i) => {
    if (p.count > 0) out.push(i);
  });
  return out;
}

export interface LineClassification extends Classification {
  /** 1-based line number. */
  line: number;
  /** All pattern ids that matched the line (the chosen one included). */
  matched: string[];
}

/**
 * Classify every line of a buffer in one scan: for each line that any pattern matches,
 * the winning type and pattern. Lines are returned in order.
 */
export function classifyBuffer(catalog: Catalog, buffer: Buffer, options: ClassifyOptions & { threads?: number } = {}): LineClassification[] {
  const c = compileCatalog(catalog, options);
  if (buffer.length === 0) return [];
  // Every matching line must come back, so keep as many hits as there can be lines.
  let lines = 1;
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) lines++;
  const result = c.set.scanBufferSync(buffer, { threads: options.threads, maxHits: lines, maxTextBytes: 0 });
  const byLine = new Map<number, number[]>();
  result.patterns.forEach((p, i) => {
    for (const hit of p.hits) {
      const list = byLine.get(hit.line);
      if (list) list.push(i);
      else byLine.set(hit.line, [i]);
    }
  });
  const out: LineClassification[] = [];
  for (const [line, indices] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
    const won = pick(c, indices);
    if (won) out.push({ line, ...won, matched: indices.map((i) => c.patterns[i].id) });
  }
  return out;
}
