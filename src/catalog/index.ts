// The failure catalog: `LogErrorPattern.ERROR_CODES` (the name the original description gives it) — the 20 types and
// the patterns that recognise them — plus the one path by which users add types and
// patterns from code or a config file (validated). What a record is, the catalog's
// self-test included, is decided by the core: see src/diagnosis/classify.ts.

import { LogmedicError } from '../errors.js';
import { PatternSet } from '../scan.js';
import { CONFIG_ERROR, DATA_CORRUPTION, MODEL_CORRUPTION } from './patterns/data.js';
import { CONNECTION_ERROR, DNS_ERROR, NETWORK_TIMEOUT } from './patterns/network.js';
import { GPU_ERROR } from './patterns/gpu.js';
import { IMPORT_ERROR, KEY_ERROR, MISSING_DEPENDENCY, PERMISSION_DENIED, SYNTAX_ERROR, VALUE_ERROR } from './patterns/code.js';
import { MEMORY_LEAK, OUT_OF_MEMORY } from './patterns/memory.js';
import { DEADLOCK, PROCESS_CRASH, TIMEOUT } from './patterns/process.js';
import { DISK_SPACE, IO_ERROR } from './patterns/storage.js';
import { MODEL_LOADING } from './patterns/refiners.js';
import { FALLBACKS } from './patterns/fallbacks.js';
import { TYPE_DEFS } from './types-def.js';
import type { Catalog, CatalogPattern, Category, ErrorType, ErrorTypeDef } from './types.js';

export * from './types.js';
export { TYPE_DEFS } from './types-def.js';
export { matchingPatterns, catalogEngine, type MatchOptions } from './match.js';

const DEFAULT_PATTERNS: readonly CatalogPattern[] = [
  ...OUT_OF_MEMORY,
  ...GPU_ERROR,
  ...DISK_SPACE,
  ...IO_ERROR,
  ...PROCESS_CRASH,
  ...DEADLOCK,
  ...TIMEOUT,
  ...MEMORY_LEAK,
  ...MODEL_CORRUPTION,
  ...CONFIG_ERROR,
  ...DATA_CORRUPTION,
  ...NETWORK_TIMEOUT,
  ...CONNECTION_ERROR,
  ...DNS_ERROR,
  ...PERMISSION_DENIED,
  ...IMPORT_ERROR,
  ...SYNTAX_ERROR,
  ...VALUE_ERROR,
  ...KEY_ERROR,
  ...MISSING_DEPENDENCY,
  ...MODEL_LOADING,
  ...FALLBACKS,
];

function groupByType(patterns: readonly CatalogPattern[]): Record<string, readonly CatalogPattern[]> {
  const out: Record<string, CatalogPattern[]> = {};
  for (const t of TYPE_DEFS) out[t.name] = [];
  for (const p of patterns) (out[p.type] ??= []).push(p);
  return out;
}

/** `LogErrorPattern`, as the original description names it: ERROR_CODES maps each type to its patterns; TYPES are the definitions. */
export const LogErrorPattern = {
  ERROR_CODES: Object.freeze(groupByType(DEFAULT_PATTERNS)) as Readonly<Record<ErrorType, readonly CatalogPattern[]>>,
  TYPES: TYPE_DEFS,
} as const;

/** A fresh copy of the built-in catalog (callers may mutate it). */
export function defaultCatalog(): Catalog {
  return {
    types: TYPE_DEFS.map((t) => ({ ...t })),
    patterns: DEFAULT_PATTERNS.map((p) => ({ ...p, match: [...p.match], noMatch: [...p.noMatch] })),
  };
}

/** What a user may give, from code or from the config file's `catalog` key. */
export interface UserCatalog {
  types?: Array<Partial<ErrorTypeDef> & { name: string }>;
  patterns?: Array<Partial<CatalogPattern> & { id: string; type: string; pattern: string }>;
}

const CATEGORIES: readonly Category[] = ['hardware', 'software', 'data', 'network', 'other'];
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function configError(message: string): LogmedicError {
  return new LogmedicError('E_CONFIG', message);
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw configError(`${what} must be a list of strings`);
  return [...value];
}

function validateType(raw: unknown, index: number): ErrorTypeDef {
  if (typeof raw !== 'object' || raw === null) throw configError(`catalog type #${index + 1}: must be an object`);
  const t = raw as Record<string, unknown>;
  const name = t.name;
  if (typeof name !== 'string' || !TYPE_NAME.test(name)) throw configError(`catalog type #${index + 1}: name must be an identifier, got ${JSON.stringify(name)}`);
  const where = `catalog type ${name}`;
  if (!CATEGORIES.includes(t.category as Category)) throw configError(`${where}: category must be one of ${CATEGORIES.join(', ')}`);
  if (typeof t.priority !== 'number' || !Number.isFinite(t.priority)) throw configError(`${where}: priority must be a number`);
  if (typeof t.description !== 'string' || t.description.trim() === '') throw configError(`${where}: description is required`);
  if (t.zh !== undefined && typeof t.zh !== 'string') throw configError(`${where}: zh must be a string`);
  return { name, category: t.category as Category, priority: t.priority, description: t.description, zh: (t.zh as string | undefined) ?? t.description };
}

function validatePattern(raw: unknown, index: number, types: ReadonlySet<string>): CatalogPattern {
  if (typeof raw !== 'object' || raw === null) throw configError(`catalog pattern #${index + 1}: must be an object`);
  const p = raw as Record<string, unknown>;
  if (typeof p.id !== 'string' || p.id === '') throw configError(`catalog pattern #${index + 1}: id is required`);
  const id = p.id;
  const where = `catalog pattern ${id}`;
  if (typeof p.type !== 'string' || p.type === '') throw configError(`${where}: type is required`);
  if (!types.has(p.type)) throw configError(`${where}: unknown type '${p.type}' (define it under catalog.types)`);
  if (!id.startsWith(`${p.type}/`) || id.length === p.type.length + 1) throw configError(`${where}: id must be '${p.type}/<name>'`);
  if (typeof p.pattern !== 'string' || p.pattern === '') throw configError(`${where}: pattern is required`);
  if (p.priority !== undefined && (typeof p.priority !== 'number' || !Number.isFinite(p.priority))) throw configError(`${where}: priority must be a number`);
  if (p.origin !== undefined && typeof p.origin !== 'string') throw configError(`${where}: origin must be a string`);
  if (p.refines !== undefined) {
    if (!Array.isArray(p.refines) || p.refines.length === 0 || !p.refines.every((t) => typeof t === 'string')) throw configError(`${where}: refines must be a non-empty list of type names`);
    const unknown = (p.refines as string[]).find((t) => !types.has(t));
    if (unknown !== undefined) throw configError(`${where}: refines names unknown type '${unknown}'`);
  }
  const pattern: CatalogPattern = {
    id,
    type: p.type,
    pattern: p.pattern,
    origin: (p.origin as string | undefined) ?? 'user',
    match: stringList(p.match, `${where}: match`),
    noMatch: stringList(p.noMatch, `${where}: noMatch`),
    ...(p.priority === undefined ? {} : { priority: p.priority as number }),
    ...(p.refines === undefined ? {} : { refines: p.refines as string[] }),
  };
  // Compile it alone, so that a bad pattern is named, and check its own samples.
  let set: PatternSet;
  try {
    set = new PatternSet([pattern.pattern], { engine: 'regex' });
  } catch (err) {
    throw configError(`${where}: ${(err as Error).message}`);
  }
  const matches = (line: string) => set.scanBufferSync(Buffer.from(line), { threads: 1, maxHits: 0, maxTextBytes: 0 }).patterns[0].count > 0;
  for (const line of pattern.match) if (!matches(line)) throw configError(`${where}: match sample does not match: ${JSON.stringify(line)}`);
  for (const line of pattern.noMatch) if (matches(line)) throw configError(`${where}: noMatch sample matches: ${JSON.stringify(line)}`);
  return pattern;
}

/**
 * Add user types and patterns to a catalog (from code, or the config file's `catalog`
 * key — the same path). User types may also redefine a built-in type (e.g. its priority).
 * Throws LogmedicError E_CONFIG naming the offending entry: a pattern of an unknown type,
 * a duplicate id or type, a pattern that does not compile, a sample that contradicts it.
 */
export function mergeCatalog(base: Catalog, user: UserCatalog | undefined | null): Catalog {
  if (user === undefined || user === null) return { types: [...base.types], patterns: [...base.patterns] };
  if (typeof user !== 'object' || Array.isArray(user)) throw configError('catalog must be an object with `types` and/or `patterns`');
  for (const key of Object.keys(user)) {
    if (key !== 'types' && key !== 'patterns') throw configError(`catalog: unknown key '${key}' (expected types, patterns)`);
  }
  if (user.types !== undefined && !Array.isArray(user.types)) throw configError('catalog.types must be a list');
  if (user.patterns !== undefined && !Array.isArray(user.patterns)) throw configError('catalog.patterns must be a list');

  const types = new Map(base.types.map((t) => [t.name, t]));
  const seenUserTypes = new Set<string>();
  (user.types ?? []).forEach((raw, i) => {
    const t = validateType(raw, i);
    if (seenUserTypes.has(t.name)) throw configError(`catalog type ${t.name}: defined twice`);
    seenUserTypes.add(t.name);
    types.set(t.name, t);
  });

  const typeNames = new Set(types.keys());
  const ids = new Set(base.patterns.map((p) => p.id));
  const added: CatalogPattern[] = [];
  (user.patterns ?? []).forEach((raw, i) => {
    const p = validatePattern(raw, i, typeNames);
    if (ids.has(p.id)) throw configError(`catalog pattern ${p.id}: duplicate id`);
    ids.add(p.id);
    added.push(p);
  });
  return { types: [...types.values()], patterns: [...base.patterns, ...added] };
}
