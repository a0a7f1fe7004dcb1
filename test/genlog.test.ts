import test from 'ava';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateLog, generateLogSync, readTruth, truthPathFor, genlogVariants } from '../src/genlog.js';
import { PatternSet } from '../src/index.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-genlog-');
const benchPatterns = readFileSync(new URL('../bench/patterns.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

/** How a reader tells where a record starts: a timestamped header, or a raw crash line. */
const recordStart = new RegExp(
  String.raw`^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\{.ts.:|[A-Z][a-z]{2} [ \d]\d \d\d:|time=.|\d{4}/\d\d/\d\d |\d+:M \d\d |` +
    String.raw`10\.\d+\.\d+\.\d+ - - \[|panic: |fatal error: |FATAL ERROR: |Fatal Python error: |==\d+==ERROR: )`,
);

function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.slice(0, -1).split('\n');
}

test('same seed gives the same bytes and truth; another seed other bytes', (t) => {
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  const c = join(dir, 'c.log');
  const ta = generateLogSync(a, { sizeBytes: 2_000_000, seed: 11 });
  const tb = generateLogSync(b, { sizeBytes: 2_000_000, seed: 11 });
  generateLogSync(c, { sizeBytes: 2_000_000, seed: 12 });
  t.true(readFileSync(a).equals(readFileSync(b)));
  t.false(readFileSync(a).equals(readFileSync(c)));
  t.deepEqual(ta, tb);
});

test('the size is exact, lines are counted like wc -l, and the truth file is beside the log', async (t) => {
  for (const size of [0, 1, 300, 4096, 1_234_567]) {
    const log = join(dir, `size-${size}.log`);
    const truth = await generateLog(log, { sizeBytes: size, seed: 3 });
    t.is(statSync(log).size, size);
    t.is(truth.bytes, size);
    const newlines = readFileSync(log).reduce((n, byte) => n + (byte === 10 ? 1 : 0), 0);
    t.is(truth.lines, newlines);
    t.deepEqual(readTruth(log), truth);
    t.deepEqual(JSON.parse(readFileSync(truthPathFor(log), 'utf8')), truth);
  }
});

test('each first line of the truth starts a record of that type', (t) => {
  const log = join(dir, 'records.log');
  const truth = generateLogSync(log, { sizeBytes: 5_000_000, seed: 5, errorRate: 0.05 });
  const ls = lines(log);
  t.is(ls.filter((l) => recordStart.test(l)).length, truth.records);
  const byType = new Map(truth.types.map((tt, i) => [tt.type, new RegExp(toJs(benchPatterns[i]))]));
  let checked = 0;
  for (const tt of truth.types) {
    t.is(tt.firstLines.length, tt.records);
    for (const n of tt.firstLines) {
      t.regex(ls[n - 1], recordStart, `${tt.type} at line ${n}`);
      let end = n;
      while (end < ls.length && !recordStart.test(ls[end])) end++;
      const record = ls.slice(n - 1, end).join('\n');
      // The bench pattern of the type (written independently of the templates) finds it.
      if (!byType.get(tt.type)!.test(record)) t.fail(`line ${n} is not a ${tt.type} record:\n${record}`);
      checked++;
    }
  }
  t.is(checked, truth.failureRecords);
  t.true(checked > 500);
});

test('every type and the healthy near-misses appear in 5 MB at the default error rate', (t) => {
  const log = join(dir, 'default.log');
  const truth = generateLogSync(log, { sizeBytes: 5_000_000 });
  t.is(truth.types.length, 20);
  for (const tt of truth.types) t.true(tt.records > 0, `${tt.type} missing`);
  const text = readFileSync(log, 'utf8');
  for (const near of ['0 errors', 'error_rate=0.0', 'Retrying connection to db:5432 (attempt 2/5) ... connected', 'timeout=30', 'Failures: 0, Errors: 0', 'memory usage 45%', 'disk check ok']) {
    t.true(text.includes(near), near);
  }
  t.true(truth.nearMissRecords > 0);
});

test('per-pattern line counts of the truth equal what logmedic scan finds', (t) => {
  const log = join(dir, 'counted.log');
  const truth = generateLogSync(log, { sizeBytes: 3_000_000, seed: 8, errorRate: 0.1, countPatterns: benchPatterns });
  const scan = new PatternSet(benchPatterns, { engine: 'regex' }).scanFileSync(log, { maxHits: 0 });
  t.deepEqual(
    scan.patterns.map((p) => p.count),
    truth.patterns.map((p) => p.lines),
  );
  t.is(scan.lines, truth.lines);
  t.true(truth.patterns.every((p) => p.lines > 0));
  t.true(truth.anyPatternLines >= Math.max(...truth.patterns.map((p) => p.lines)));
});

test('formats restrict the services written', (t) => {
  const log = join(dir, 'pg.log');
  const truth = generateLogSync(log, { sizeBytes: 200_000, formats: ['postgres'], errorRate: 0.2 });
  t.true(lines(log).every((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\] [A-Z]+: {2}/.test(l)));
  const fromPostgres = new Set(genlogVariants().filter((v) => v.source === 'postgres').map((v) => v.type));
  t.deepEqual(new Set(truth.types.filter((x) => x.records > 0).map((x) => x.type)), fromPostgres);
});

test('progress is reported and an abort stops the generator and removes the partial log', async (t) => {
  const log = join(dir, 'aborted.log');
  const ac = new AbortController();
  const seen: number[] = [];
  const err = await t.throwsAsync(
    generateLog(log, {
      sizeBytes: 4_000_000_000,
      signal: ac.signal,
      progressIntervalMs: 5,
      onProgress: (bytes) => {
        seen.push(bytes);
        if (bytes > 0) ac.abort();
      },
    }),
  );
  t.is((err as any).code, 'E_ABORTED');
  t.true(seen.some((b) => b > 0));
  t.false(existsSync(log));
  t.false(existsSync(truthPathFor(log)));
});

test('bad options are errors with codes', async (t) => {
  const log = join(dir, 'bad.log');
  const code = (f: () => unknown) => (t.throws(f) as any).code;
  t.is(code(() => generateLogSync(log, { sizeBytes: -1 })), 'E_INVALID_ARG');
  t.is(code(() => generateLogSync(log, { sizeBytes: 10, errorRate: 2 })), 'E_INVALID_ARG');
  t.is(code(() => generateLogSync(log, { sizeBytes: 10, formats: ['xml' as any] })), 'E_INVALID_ARG');
  t.is(code(() => generateLogSync(log, { sizeBytes: 1000, countPatterns: ['Out of (memory'] })), 'E_PATTERN');
  t.is(code(() => generateLogSync(join(dir, 'no', 'such', 'dir.log'), { sizeBytes: 1000 })), 'E_NOT_FOUND');
  const err = await t.throwsAsync(generateLog(log, { sizeBytes: 1.5 }));
  t.is((err as any).code, 'E_INVALID_ARG');
  t.is((t.throws(() => readTruth(join(dir, 'none.log'))) as any).code, 'E_NOT_FOUND');
});

/** The bench patterns use Rust's `(?i:...)` groups; JS (Node 20) spells them as classes. */
function toJs(pattern: string): string {
  return pattern.replace(/\(\?i:((?:[^()]|\([^()]*\))*)\)/g, (_m, inner: string) =>
    '(' + inner.replace(/[A-Za-z]/g, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`) + ')',
  );
}

