// Which classifier turns watched bytes into records. The diagnosis layer's
// `LogAnalyzer.recordsInBuffer` when it is there; otherwise a pattern classifier over the
// scan core (one record per matching line), which is also what the watch tests drive.

import type { Catalog } from '../catalog/types.js';
import type { LogRecord } from '../diagnosis/types.js';
import { PatternSet, type Engine } from '../scan.js';
import type { Classifier, RecordMeta } from './records.js';

export interface TypePattern {
  type: string;
  pattern: string;
  id?: string;
  /** Where a line matches several patterns, the highest wins (then the first listed). */
  priority?: number;
}

const ISO_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;
const LEVEL = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|SEVERE)\b/;

/**
 * One record per line that matches a pattern; where several match, the highest priority
 * wins, then the first listed. Fields the full analyzer extracts (frames, objects) stay empty.
 */
export function patternClassifier(patterns: readonly TypePattern[], options: { engine?: Engine } = {}): Classifier {
  const set = new PatternSet(patterns.map((p) => p.pattern), { engine: options.engine ?? 'auto' });
  return (buf: Buffer, meta: RecordMeta): LogRecord[] => {
    const result = set.scanBufferSync(buf, { threads: 1, maxHits: 0xffffffff, maxTextBytes: 4096 });
    const byLine = new Map<number, { i: number; text: string; offset: number }>();
    result.patterns.forEach((p, i) => {
      for (const hit of p.hits) {
        const seen = byLine.get(hit.line);
        if (seen && (patterns[seen.i].priority ?? 0) >= (patterns[i].priority ?? 0)) continue;
        byLine.set(hit.line, { i, text: hit.text, offset: hit.offset });
      }
    });
    return [...byLine]
      .sort((a, b) => a[0] - b[0])
      .map(([line, h]) => toRecord(patterns[h.i], h.text, line, h.offset, meta));
  };
}

function toRecord(p: TypePattern, text: string, line: number, offset: number, meta: RecordMeta): LogRecord {
  const time = ISO_TIME.exec(text)?.[1];
  const parsed = time === undefined ? NaN : Date.parse(time.replace(',', '.').replace(' ', 'T'));
  return {
    type: p.type,
    patternId: p.id ?? `${p.type}/watch`,
    file: meta.file,
    line: meta.firstLine + line - 1,
    endLine: meta.firstLine + line - 1,
    offset: meta.baseOffset + offset,
    ...(Number.isNaN(parsed) ? {} : { time: new Date(parsed).toISOString() }),
    ...(LEVEL.exec(text) ? { level: LEVEL.exec(text)![1] } : {}),
    message: text,
    text,
    frames: [],
    objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] },
  };
}

/**
 * Used only when neither the analyzer nor the catalog is part of the build: a few general
 * patterns, so the watch still reports the commonest failures.
 */
export const FALLBACK_PATTERNS: readonly TypePattern[] = [
  { type: 'OutOfMemory', pattern: String.raw`(?i)\bout of memory\b|\bOutOfMemoryError\b|\bMemoryError\b|\bKilled process \d+|cannot allocate memory`, id: 'OutOfMemory/fallback' },
  { type: 'GPUError', pattern: String.raw`(?i)\bCUDA error\b|\bcudaError|\bNCCL error\b|\bXid\b.*\bGPU\b`, id: 'GPUError/fallback' },
  { type: 'DiskSpace', pattern: String.raw`(?i)no space left on device|\bENOSPC\b|disk quota exceeded`, id: 'DiskSpace/fallback' },
  { type: 'PermissionDenied', pattern: String.raw`(?i)permission denied|\bEACCES\b|operation not permitted`, id: 'PermissionDenied/fallback' },
  { type: 'ConnectionError', pattern: String.raw`(?i)connection refused|\bECONNREFUSED\b|connection reset by peer`, id: 'ConnectionError/fallback' },
  { type: 'Timeout', pattern: String.raw`(?i)\btimed out\b|\btimeout\b.*\bexceeded\b|\bTimeoutError\b`, id: 'Timeout/fallback' },
  { type: 'Deadlock', pattern: String.raw`(?i)\bdeadlock\b`, id: 'Deadlock/fallback' },
  { type: 'ProcessCrash', pattern: String.raw`(?i)segmentation fault|\bcore dumped\b|\bSIGSEGV\b|\bSIGABRT\b`, id: 'ProcessCrash/fallback' },
];

interface AnalyzerLike {
  recordsInBuffer(buf: Buffer, meta: RecordMeta): LogRecord[];
}

/**
 * The best classifier this build has: the diagnosis layer's LogAnalyzer (full records:
 * tracebacks, frames, objects), else the catalog's patterns, else FALLBACK_PATTERNS.
 */
export async function loadClassifier(): Promise<{ classify: Classifier; source: 'analyzer' | 'catalog' | 'fallback' }> {
  const analyzer = await optionalImport('../diagnosis/analyzer.js');
  if (typeof analyzer?.LogAnalyzer === 'function') {
    const a = new (analyzer.LogAnalyzer as new () => AnalyzerLike)();
    if (typeof a.recordsInBuffer === 'function') return { classify: (buf, meta) => a.recordsInBuffer(buf, meta), source: 'analyzer' };
  }
  const catalog = await optionalImport('../catalog/index.js');
  if (typeof catalog?.defaultCatalog === 'function') {
    const c = (catalog.defaultCatalog as () => Catalog)();
    const typePriority = new Map(c.types.map((t) => [t.name, t.priority]));
    const patterns = c.patterns.map((p) => ({ type: p.type, pattern: p.pattern, id: p.id, priority: p.priority ?? typePriority.get(p.type) ?? 0 }));
    if (patterns.length > 0) return { classify: patternClassifier(patterns), source: 'catalog' };
  }
  return { classify: patternClassifier(FALLBACK_PATTERNS), source: 'fallback' };
}

/** Import a module of this package that may not be built yet (layers built in parallel). */
async function optionalImport(spec: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    // Only the module itself being absent means "not built"; a missing import inside it is a bug.
    const missing = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(spec.slice(2, -3));
    if (missing) return undefined;
    throw err;
  }
}
