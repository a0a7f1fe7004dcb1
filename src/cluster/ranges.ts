// The core's partial analyses as the cluster uses them: one byte range of a file analyzed
// into a partial (the core's versioned binary format), and the partials of a run merged by
// the core into the diagnosis a local analyze of the same files gives.
import type { LogAnalyzer } from '../diagnosis/analyzer.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { RangeJob } from './queue.js';

export function analyzeRange(analyzer: LogAnalyzer, job: RangeJob): Promise<Buffer> {
  return analyzer.analyzeRange(job.path, job.start, job.end, { fileIndex: job.fileIndex });
}

/** One partial per range, any order; `files[i]` names file index i. elapsedMs: the whole run, as a local analyze reports its own. */
export function mergeRun(analyzer: LogAnalyzer, partials: Buffer[], files: string[], elapsedMs: number): Diagnosis {
  return { ...analyzer.mergePartials(partials, files), elapsedMs: Math.round(elapsedMs * 100) / 100 };
}
