// `analyze --on`: the jobs a worker runs on the files of its own disk. Each worker listens on a
// queue of its own (`host-NAME`), so a job reaches exactly the host that holds the data and is
// never handed to another. Two jobs per run: `list` expands the path globs on this disk;
// `analyze` reads the files listed (plain, gzip or zstd), each under the run-wide file index the
// client gave it, and stores one partial per file. Nothing but summaries leaves the host.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogAnalyzer } from '../diagnosis/analyzer.js';
import { expandGlob, isGlobPattern } from '../cli/globs.js';

/** The queue only the worker of this name takes jobs from. */
export const hostQueue = (name: string) => `host-${name}`;
/** Where a host's partials are stored: `${PREFIX}:run:<id>:partials`, field `NAME/FILE_INDEX`. */
export const partialField = (name: string, fileIndex: number) => `${name}/${fileIndex}`;

export interface ListJob {
  kind: 'list';
  runId: string;
  /** Absolute paths or globs, as on this host's disk. */
  paths: string[];
}

export interface AnalyzeJob {
  kind: 'analyze';
  runId: string;
  /** The files `list` found, each with its index among every file of the run. */
  files: { path: string; fileIndex: number }[];
}

export type HostJob = ListJob | AnalyzeJob;

export interface Listed {
  /** Plain files to analyze, in order (each glob's matches sorted, globs in the order given). */
  files: string[];
  /** What a path named but cannot be analyzed here, and why. */
  skipped: { path: string; reason: string }[];
}

export interface Analyzed {
  files: number;
  /** Bytes on disk (a compressed file's compressed size). */
  bytes: number;
  ms: number;
}

/** The job's paths on this disk: `root` (the worker's --root) is where its `/` is mounted. */
export function listFiles(paths: string[], root: string | undefined): Listed {
  const onDisk = (p: string) => (root ? join(root, p) : p);
  const asNamed = (p: string) => (root ? p.slice(root.replace(/\/+$/, '').length) || '/' : p);
  const files: string[] = [];
  const skipped: Listed['skipped'] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const local = onDisk(path);
    const found = isGlobPattern(local) ? expandGlob(local) : [local];
    if (found.length === 0) skipped.push({ path, reason: 'no file matches' });
    for (const f of found) {
      const named = asNamed(f);
      if (seen.has(named)) continue;
      seen.add(named);
      let isFile = false;
      try {
        isFile = statSync(f).isFile();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skipped.push({ path: named, reason: code === 'EACCES' ? 'permission denied' : 'no such file' });
        continue;
      }
      if (!isFile) skipped.push({ path: named, reason: 'not a plain file' });
      else files.push(named);
    }
  }
  return { files, skipped };
}

/** Analyze the listed files into one partial each; `store` keeps them under the run. */
export async function analyzeFiles(
  analyzer: LogAnalyzer,
  job: AnalyzeJob,
  name: string,
  root: string | undefined,
  store: (field: string, partial: Buffer) => Promise<void>,
): Promise<Analyzed> {
  const t0 = performance.now();
  let bytes = 0;
  for (const { path, fileIndex } of job.files) {
    const local = root ? join(root, path) : path;
    // The whole file, decompressed as a local analyze reads it (the core tells by its first bytes).
    const partial = await analyzer.analyzePartial(local, { fileIndex });
    await store(partialField(name, fileIndex), partial);
    bytes += statSync(local).size;
  }
  return { files: job.files.length, bytes, ms: Math.round(performance.now() - t0) };
}
