// Partial analyses: byte ranges of a file analyzed apart (as workers on other machines would)
// and merged by the core give exactly the whole file's diagnosis, whatever the cuts and the
// order the partials arrive in; partials from another format, catalog or options are refused.
import test from 'ava';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generateLogSync } from '../src/genlog.js';
import { LogAnalyzer, byteRanges, type Diagnosis } from '../src/index.js';
import { tempDir } from './_tmp.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LOGHUB = join(REPO, '..', 'shared', 'data', 'loghub-2k');
const dir = tempDir('logmedic-partials-');

/** A small seeded generator (mulberry32), so that a failing tiling can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cut points at random bytes (some at 0 or the end, some equal: empty ranges happen). */
function randomTiling(size: number, rand: () => number): [number, number][] {
  const cuts = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => (rand() < 0.1 ? 0 : Math.floor(rand() * (size + 1))));
  const points = [0, ...cuts.sort((a, b) => a - b), size];
  return points.slice(1).map((end, i) => [points[i], end]);
}

function shuffled<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The diagnosis without the time it took. */
function answer(d: Diagnosis): string {
  return JSON.stringify({ ...d, elapsedMs: 0 });
}

const analyzer = new LogAnalyzer({ maxSamples: 40, year: 2025, threads: 2 });

function mergedOverTiling(files: string[], rand: () => number): Diagnosis {
  const partials = files.flatMap((file, fileIndex) =>
    randomTiling(statSync(file).size, rand).map(([start, end]) => analyzer.analyzeRangeSync(file, start, end, { fileIndex })),
  );
  return analyzer.mergePartials(shuffled(partials, rand), files);
}

test('genlog: random tilings merged in any order give the whole file, byte for byte', (t) => {
  const log = join(dir, 'dense.log');
  generateLogSync(log, { sizeBytes: 2 << 20, seed: 5, errorRate: 0.05 });
  const whole = analyzer.diagnoseFromLogsSync(log);
  t.true(whole.errors.length >= 5, 'the log has failures of several types');
  const rand = random(42);
  for (let i = 0; i < 12; i++) t.is(answer(mergedOverTiling([log], rand)), answer(whole), `tiling ${i}`);
});

test('genlog: a file cut into N equal ranges, analyzed asynchronously, gives the whole file', async (t) => {
  const log = join(dir, 'plain.log');
  generateLogSync(log, { sizeBytes: 3 << 20, seed: 9 });
  const whole = await analyzer.diagnoseFromLogs(log);
  for (const n of [1, 2, 7]) {
    const partials = await Promise.all(byteRanges(statSync(log).size, n).map(([start, end]) => analyzer.analyzeRange(log, start, end)));
    t.is(answer(analyzer.mergePartials(partials, [log])), answer(whole), `${n} ranges`);
  }
});

test('loghub-2k and the real-failure samples: random tilings give the whole file', (t) => {
  const files = readdirSync(join(REPO, 'test', 'fixtures', 'real-failures'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => join(REPO, 'test', 'fixtures', 'real-failures', f));
  if (existsSync(LOGHUB)) {
    for (const system of readdirSync(LOGHUB).sort()) {
      const log = join(LOGHUB, system, `${system}_2k.log`);
      if (existsSync(log)) files.push(log);
    }
  } else t.log(`loghub-2k not found at ${LOGHUB}: real-failure samples only`);
  const rand = random(7);
  for (const file of files) t.is(answer(mergedOverTiling([file], rand)), answer(analyzer.diagnoseFromLogsSync(file)), file);
});

test('ranges of several files merge in file order, whatever order the partials come in', (t) => {
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  generateLogSync(a, { sizeBytes: 300_000, seed: 1, errorRate: 0.05 });
  generateLogSync(b, { sizeBytes: 300_000, seed: 2, errorRate: 0.05 });
  const rand = random(3);
  const first = answer(mergedOverTiling([a, b], rand));
  for (let i = 0; i < 5; i++) t.is(answer(mergedOverTiling([a, b], rand)), first, `tiling ${i}`);
  const d = JSON.parse(first) as Diagnosis;
  t.deepEqual(d.files, [a, b]);
  t.is(d.bytes, statSync(a).size + statSync(b).size);
  const files = new Set(d.errors.flatMap((e) => e.samples.map((s) => s.file)));
  t.deepEqual([...files].sort(), [a, b].sort(), 'samples name the file they come from');
});

test('what cannot be ranged or merged is refused with one code', (t) => {
  const log = join(dir, 'small.log');
  writeFileSync(log, 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nMemoryError\n');
  const gz = join(dir, 'small.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(log)));
  t.throws(() => analyzer.analyzeRangeSync(gz, 0, 10), { code: 'E_INVALID_ARG', message: /compressed/ });
  t.throws(() => analyzer.analyzeRangeSync(log, 10, 5), { code: 'E_INVALID_ARG' });
  t.throws(() => analyzer.analyzeRangeSync(join(dir, 'missing.log'), 0, 5), { code: 'E_NOT_FOUND' });
  const partial = analyzer.analyzeRangeSync(log, 0, 1000);
  t.is(analyzer.mergePartials([partial], [log]).errors[0].type, 'OutOfMemory');
  // Another format version: refused before anything is read.
  const newer = Buffer.from(partial);
  newer.writeUInt32LE(99, 4);
  t.throws(() => analyzer.mergePartials([newer], [log]), { code: 'E_INVALID_ARG', message: /format version 99/ });
  // Cut short, or not a partial at all.
  t.throws(() => analyzer.mergePartials([partial.subarray(0, partial.length - 3)], [log]), { code: 'E_CORRUPT' });
  t.throws(() => analyzer.mergePartials([Buffer.from('hello world, not a partial')], [log]), { code: 'E_CORRUPT' });
  // Made with other options that decide the answer (samples kept), or another catalog.
  t.throws(() => new LogAnalyzer({ maxSamples: 3, year: 2025 }).mergePartials([partial], [log]), { code: 'E_INVALID_ARG', message: /another catalog/ });
  const narrow = new LogAnalyzer({ maxSamples: 40, catalog: { ...analyzer.catalog, patterns: analyzer.catalog.patterns.slice(1) } });
  t.throws(() => narrow.mergePartials([partial], [log]), { code: 'E_INVALID_ARG' });
  // The same bytes twice would count records twice.
  t.throws(() => analyzer.mergePartials([partial, analyzer.analyzeRangeSync(log, 0, 20)], [log]), { code: 'E_INVALID_ARG', message: /overlap/ });
  t.throws(() => analyzer.mergePartials([], [log]), { code: 'E_INVALID_ARG' });
});

test('several files are diagnosed by the core merge: the same answer as their ranges merged, counts summed, first and last in file order', async (t) => {
  const files = [join(dir, 's1.log'), join(dir, 's2.log'), join(REPO, 'test', 'fixtures', 'real-failures', 'python.txt')];
  generateLogSync(files[0], { sizeBytes: 400_000, seed: 21, errorRate: 0.05 });
  generateLogSync(files[1], { sizeBytes: 400_000, seed: 22, errorRate: 0.05 });
  const several = analyzer.diagnoseFromLogsSync(files);
  t.is(answer(await analyzer.diagnoseFromLogs(files)), answer(several), 'async and sync agree');
  t.is(answer(mergedOverTiling(files, random(11))), answer(several), 'ranges of the files, merged');
  const singles = files.map((f) => analyzer.diagnoseFromLogsSync(f));
  for (const e of several.errors) {
    const per = singles.map((d) => d.errors.find((x) => x.type === e.type));
    t.is(e.count, per.reduce((n, x) => n + (x?.count ?? 0), 0), `${e.type}: count`);
    const firstIn = per.findIndex((x) => x !== undefined);
    const lastIn = per.length - 1 - [...per].reverse().findIndex((x) => x !== undefined);
    t.deepEqual(e.first, per[firstIn]!.first, `${e.type}: first`);
    t.deepEqual(e.last, per[lastIn]!.last, `${e.type}: last`);
    const samples = per.flatMap((x) => x?.samples ?? []).slice(0, 40);
    t.deepEqual(e.samples, samples, `${e.type}: samples in file order`);
  }
  t.is(several.bytes, singles.reduce((n, d) => n + d.bytes, 0));
  t.is(several.lines, singles.reduce((n, d) => n + d.lines, 0));
});

test('records summarized by the core (a watch window) read like the analysis they came from', async (t) => {
  const log = join(dir, 'window.log');
  generateLogSync(log, { sizeBytes: 200_000, seed: 31, errorRate: 0.05 });
  const records = await analyzer.extractErrors(log, { maxRecords: 1e6 });
  t.true(records.length > 40);
  const wide = new LogAnalyzer({ maxSamples: records.length, year: 2025 });
  const whole = wide.diagnoseFromLogsSync(log);
  const summarized = wide.summarizeRecords(records);
  const strip = (d: Diagnosis) => JSON.stringify({ ...d, bytes: 0, lines: 0, engine: '', elapsedMs: 0 });
  t.is(strip(summarized), strip(whole));
  t.throws(() => wide.summarizeRecords([{ ...records[0], type: 'NoSuchType' }]), { code: 'E_INVALID_ARG', message: /NoSuchType/ });
});
