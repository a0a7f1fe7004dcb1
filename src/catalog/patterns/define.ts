// A compact way to write catalog patterns as data: one type per list, ids derived as
// `<Type>/<name>`. Every entry carries the lines it must match and near-misses it must not.

import type { CatalogPattern, ErrorType } from '../types.js';

export interface PatternSpec {
  /** Short name; the id becomes `<Type>/<name>`. */
  name: string;
  /** Rust regex syntax, byte-oriented, matched per line. */
  re: string;
  origin: string;
  match: string[];
  noMatch: string[];
  priority?: number;
  /** Types this pattern only refines (see CatalogPattern.refines). */
  refines?: ErrorType[];
}

export function patternsOf(type: ErrorType, specs: PatternSpec[]): CatalogPattern[] {
  return specs.map((s) => ({
    id: `${type}/${s.name}`,
    type,
    pattern: s.re,
    origin: s.origin,
    match: s.match,
    noMatch: s.noMatch,
    ...(s.priority === undefined ? {} : { priority: s.priority }),
    ...(s.refines === undefined ? {} : { refines: s.refines }),
  }));
}

/**
 * A z/OS abnormal end with one of the given system completion codes, as the job log
 * (`IEF450I … ABEND=S322`), a dump (`SYSTEM COMPLETION CODE=0C4`) or a step summary
 * (`COMPLETION CODE - SYSTEM=878`) prints it. The code says what failed (S322 CPU time,
 * S878 region too small, SB37 out of space, S806 module not found, S913 not authorised…),
 * so each type lists its own codes.
 */
export function zosAbend(codes: string): string {
  return String.raw`(?:\bABEND(?: CODE)?[= ]S|\bSYSTEM COMPLETION CODE=|\bCOMPLETION CODE - SYSTEM=)(?:${codes})\b`;
}

/** Healthy lines that no pattern of any type may match; shared near-misses. */
export const HEALTHY = {
  zeroErrors: 'processed 1200 records, 0 errors',
  errorRate: 'stats: requests=8812 error_rate=0.0 p99=41ms',
  retryConnected: 'retrying connection to db:5432 (attempt 2/5)... connected',
  timeoutConfig: 'config: timeout=30 retries=3 pool_size=10',
  testSummary: 'Tests run: 120, Failures: 0, Errors: 0, Skipped: 2',
  noErrors: 'health check: no errors found',
  oomScore: 'set OOM score adj to -1000 for pid 812 (sshd)',
  maxMemory: 'starting worker with max_memory=16GiB threads=8',
  refusedCounter: 'net stats: Connection refused: 0, Connection reset: 0',
  diskOk: 'disk space ok (85% free)',
};
