// Which classifier turns watched bytes into records: the diagnosis layer's
// `LogAnalyzer.recordsInBuffer` in production; a light pattern classifier over the scan core
// (one record per matching line) for tests that drive the follower with a few patterns.

import type { Catalog } from '../catalog/types.js';
import { LogAnalyzer } from '../diagnosis/analyzer.js';
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
 * The production classifier: the diagnosis layer's LogAnalyzer (full records: tracebacks,
 * frames, objects) over the given catalog (the built-in one by default, or the config's).
 */
export function loadClassifier(options: { catalog?: Catalog; engine?: Engine } = {}): { classify: Classifier } {
  const analyzer = new LogAnalyzer({ catalog: options.catalog, engine: options.engine });
  return { classify: (buf, meta) => analyzer.recordsInBuffer(buf, meta) };
}
