// Shared helpers for the watch tests: temp dirs, polling for a condition with a deadline
// (never a timing assertion), a watcher run in-process, and id-tagged log lines.
import type { ExecutionContext } from 'ava';
import { tempDir as fileTempDir } from '../_tmp.js';
import { TYPE_DEFS, type Catalog } from '../../src/catalog/index.js';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import type { Classifier } from '../../src/watch/records.js';
import { Watcher, type RecordEvent, type WatcherOptions } from '../../src/watch/watcher.js';

/** A temp dir removed when the test file ends (test/_tmp.ts). */
export function tempDir(prefix = 'logmedic-watch-'): string {
  return fileTempDir(prefix);
}

/** Wait until `cond()` holds; fail with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small catalog of three types, so the watch tests do not depend on the built-in one. */
export const watchCatalog: Catalog = {
  types: TYPE_DEFS.filter((d) => ['OutOfMemory', 'DiskSpace', 'ConnectionError'].includes(d.name)),
  patterns: [
    { id: 'OutOfMemory/test', type: 'OutOfMemory', pattern: '(?i)out of memory', origin: 'test', match: ['CUDA out of memory'], noMatch: ['memory ok'] },
    { id: 'DiskSpace/test', type: 'DiskSpace', pattern: '(?i)no space left on device', origin: 'test', match: ['No space left on device'], noMatch: ['space ok'] },
    { id: 'ConnectionError/test', type: 'ConnectionError', pattern: 'Connection refused', origin: 'test', match: ['Connection refused'], noMatch: ['Connection ok'] },
  ],
};

/** The production classifier (the analyzer's records) over `catalog`. */
export function analyzerClassifier(catalog: Catalog = watchCatalog): Classifier {
  const analyzer = new LogAnalyzer({ catalog });
  return (buf, meta) => analyzer.recordsInBuffer(buf, meta);
}

export const classify = analyzerClassifier();

/** An error line tagged with an id, recognisable by any classifier as OutOfMemory. */
export function oomLine(id: number): string {
  return `${new Date().toISOString()} ERROR worker: RuntimeError: CUDA out of memory (job=${id})\n`;
}

export function infoLine(id: number): string {
  return `${new Date().toISOString()} INFO worker: batch ${id} done in 12 ms\n`;
}

export function idOf(message: string): number | undefined {
  const m = /job=(\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Ids seen, checked to be exactly 0..n-1 each once. */
export function assertExactlyOnce(t: ExecutionContext, events: { message: string }[], n: number): void {
  const ids = events.map((e) => idOf(e.message)).filter((x): x is number => x !== undefined);
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const doubled = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!counts.has(i)) missing.push(i);
  t.deepEqual(doubled.slice(0, 20), [], 'ids reported more than once');
  t.deepEqual(missing.slice(0, 20), [], 'ids never reported');
  t.is(ids.length, n);
}

/**
 * What a kill -9 can cost (README "Checkpoints"): nothing twice, and at most one slice of
 * records (128) committed but not yet written — only when the kill lands while a slow
 * reader blocks the write — all of them right after the last id the killed run reported.
 */
export function assertNoneTwiceAtMostOneSliceLost(t: ExecutionContext, before: { message: string }[], after: { message: string }[], n: number): void {
  const ids = [...before, ...after].map((e) => idOf(e.message)).filter((x): x is number => x !== undefined);
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  t.deepEqual([...counts].filter(([, c]) => c > 1).map(([id]) => id).slice(0, 20), [], 'ids reported more than once');
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!counts.has(i)) missing.push(i);
  const lastBefore = Math.max(-1, ...before.map((e) => idOf(e.message) ?? -1));
  t.true(missing.length <= 128, `${missing.length} ids lost: ${missing.slice(0, 10).join(',')}…`);
  t.deepEqual(missing, missing.map((_, i) => lastBefore + 1 + i), 'lost ids are exactly the ones right after the killed run\'s last report');
}

export function startWatcher(t: ExecutionContext, options: Partial<WatcherOptions> & Pick<WatcherOptions, 'paths' | 'stateDir'>) {
  const records: RecordEvent[] = [];
  const notes: string[] = [];
  const w = new Watcher({
    classify,
    pollMs: 30,
    idleMs: 50,
    rotateGraceMs: 300,
    onRecord: (e) => records.push(e),
    onNote: (m) => notes.push(m),
    ...options,
  });
  w.start();
  t.teardown(() => w.stop());
  return { w, records, notes };
}
