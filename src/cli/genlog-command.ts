// `logmedic genlog --size MB`: write a realistic test log of that size, with failures of all
// 20 types, and its ground truth (`<log>.truth.json`) beside it. Same seed, same bytes.
// The log is written under a temporary name and renamed when complete, so an interrupted
// run leaves nothing half-written, and an existing file that genlog did not make is never
// replaced without --force.
import { existsSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import { fileError, LogmedicError, namedAs } from '../errors.js';
import { checkWritableDir, removeQuietly } from '../files.js';
import type { GroundTruth } from '../genlog.js';
import { printJson } from './output.js';
import { createProgress } from './progress.js';

/** An MB as the size options count it: 1,000,000 bytes (`genlog --size 1000` is the 1 GB of "1 GB in 3 s"). */
export const MB = 1_000_000;

export interface GenlogArgs {
  size: number;
  output?: string;
  seed: number;
  'error-rate': number;
  force?: boolean;
  json?: boolean;
  /** Set by perf: print nothing (perf prints its own report). */
  quiet?: boolean;
}

/** `logmedic-500MB.log`, `logmedic-0.5MB.log`: where genlog writes and perf looks by default. */
export function defaultLogName(sizeMb: number): string {
  return `logmedic-${Number(sizeMb.toPrecision(12))}MB.log`;
}

/** What genlog reports of the log it wrote (its ground truth file holds more). */
export interface GenlogTruth extends Pick<GroundTruth, 'bytes' | 'lines' | 'failureRecords'> {
  types: Pick<GroundTruth['types'][number], 'type' | 'records'>[];
}

/** The generator: writes the log at `path` and its ground truth at `truthPathFor(path)`. */
export type GenerateLog = (
  path: string,
  o: { sizeBytes: number; seed: number; errorRate: number; signal: AbortSignal; onProgress: (bytes: number) => void },
) => Promise<GenlogTruth>;

/**
 * The generator of this build: `generateLog` from src/genlog.ts (the Rust generator behind
 * napi). Loaded on first use so that every other command works in a build without it.
 */
export async function loadGenerateLog(): Promise<GenerateLog> {
  let mod: { generateLog?: unknown };
  try {
    mod = (await import('../genlog.js')) as { generateLog?: unknown };
  } catch {
    mod = {};
  }
  if (typeof mod.generateLog !== 'function') throw new LogmedicError('E_USAGE', 'genlog is not available in this build yet');
  return mod.generateLog as GenerateLog;
}

export const truthPathFor = (log: string) => `${log}.truth.json`;

export function genlogBuilder(y: Argv): Argv<GenlogArgs> {
  return y
    .option('size', { alias: 's', type: 'number', demandOption: true, describe: 'size in MB (1 MB = 1,000,000 bytes); the file is exactly this size' })
    .option('output', { alias: 'o', type: 'string', describe: 'the log file (default: logmedic-<size>MB.log in the working directory)' })
    .option('seed', { type: 'number', default: 1, describe: 'same seed, same bytes' })
    .option('error-rate', { type: 'number', default: 0.01, describe: 'share of records that are failures, 0 to 1' })
    .option('force', { alias: 'f', type: 'boolean', describe: 'replace an existing file that genlog did not write' })
    .option('json', { type: 'boolean', describe: 'print the ground truth as JSON' })
    .example('$0 genlog --size 500', 'write logmedic-500MB.log and logmedic-500MB.log.truth.json here')
    .example('$0 genlog -s 10 -o /tmp/test.log --seed 42 --error-rate 0.05', 'a small log with more failures')
    .check((a) => {
      if (!(a.size > 0) || !Number.isFinite(a.size)) throw new LogmedicError('E_USAGE', `--size must be a positive number of MB, got ${a.size}`);
      if (!Number.isInteger(a.seed) || a.seed < 0) throw new LogmedicError('E_USAGE', `--seed must be an integer >= 0, got ${a.seed}`);
      const rate = a['error-rate'];
      if (!(rate >= 0 && rate <= 1)) throw new LogmedicError('E_USAGE', `--error-rate must be between 0 and 1, got ${rate}`);
      return true;
    }) as unknown as Argv<GenlogArgs>;
}

export async function runGenlog(args: GenlogArgs, signal: AbortSignal, generateLog: GenerateLog): Promise<number> {
  const path = args.output ?? defaultLogName(args.size);
  const truthPath = truthPathFor(path);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new LogmedicError('E_IS_DIRECTORY', `${path}: is a directory`);
    // A file with genlog's ground truth beside it is genlog's own: replacing it loses nothing.
    if (!args.force && !existsSync(truthPath)) {
      throw new LogmedicError('E_USAGE', `${path}: exists and was not written by genlog (use --force to replace it, or -o another file)`);
    }
  }
  const sizeBytes = Math.round(args.size * MB);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  // A directory that is missing or closed to us fails here, naming the log asked for.
  try {
    checkWritableDir(dirname(path));
  } catch (err) {
    throw fileError(path, 'write the log', err);
  }
  const progress = createProgress(`genlog ${basename(path)}`, { total: sizeBytes, json: args.json });
  const t0 = performance.now();
  let truth: GenlogTruth;
  try {
    truth = await generateLog(tmp, {
      sizeBytes,
      seed: args.seed,
      errorRate: args['error-rate'],
      signal,
      onProgress: (bytes: number) => progress.update(bytes),
    });
    // The log first, then its truth: a truth file never describes a log that is not there.
    renameSync(tmp, path);
    renameSync(truthPathFor(tmp), truthPath);
  } catch (err) {
    removeQuietly(tmp);
    removeQuietly(truthPathFor(tmp));
    // The partial file is ours: the user asked for `path`.
    throw namedAs(err, tmp, path);
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (args.quiet) return 0;
  if (args.json) {
    printJson({ file: path, truthFile: truthPath, seconds: Math.round(seconds * 1000) / 1000, ...truth });
  } else {
    const types = truth.types.filter((t) => t.records > 0).length;
    process.stdout.write(
      `wrote ${path}: ${(truth.bytes / MB).toFixed(1)} MB, ${truth.lines.toLocaleString('en-US')} lines, ` +
        `${truth.failureRecords.toLocaleString('en-US')} failure records of ${types} types (seed ${args.seed}) in ${seconds.toFixed(2)} s\n` +
        `ground truth: ${truthPath}\n`,
    );
  }
  return 0;
}
