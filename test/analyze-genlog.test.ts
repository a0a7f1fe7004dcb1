// Records against genlog's ground truth. genlog knows where every failure record it wrote
// starts, and which type it meant: the analyzer must find exactly those records, with exactly
// those types (records per type equal the ground truth).
import test from 'ava';
import { join } from 'node:path';
import { generateLogSync } from '../src/genlog.js';
import { LogAnalyzer } from '../src/index.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-genlog-');

// Dense logs (5% failure entries) put failures right after one another: a Go crash or a
// sanitizer report right after another record's continuation lines must start its own record.
const cases: Array<{ seed: number; sizeBytes: number; errorRate?: number }> = [
  { seed: 1, sizeBytes: 3 << 20 },
  { seed: 7, sizeBytes: 3 << 20 },
  { seed: 11, sizeBytes: 3 << 20 },
  { seed: 7, sizeBytes: 20 << 20, errorRate: 0.05 },
  { seed: 11, sizeBytes: 20 << 20, errorRate: 0.05 },
];

for (const { seed, sizeBytes, errorRate } of cases) {
  const name = `genlog seed ${seed}${errorRate ? ` error rate ${errorRate}` : ''}`;
  test(`${name}: every record found starts where genlog started a failure record`, async (t) => {
    const log = join(dir, `g${seed}-${errorRate ?? 'default'}.log`);
    const truth = generateLogSync(log, { sizeBytes, seed, errorRate });
    const starts = new Map<number, string>();
    for (const ty of truth.types) for (const l of ty.firstLines) starts.set(l, ty.type);
    const records = await new LogAnalyzer({ threads: 2, chunkBytes: 65536 }).extractErrors(log, { maxRecords: 1e9 });
    const stray = records.filter((r) => !starts.has(r.line)).map((r) => `${r.line} ${r.type} ${r.patternId}`);
    t.deepEqual(stray, [], 'records that genlog does not start there');
    const found = new Set(records.map((r) => r.line));
    const missed = [...starts].filter(([line]) => !found.has(line)).map(([line, type]) => `${line} ${type}`);
    t.deepEqual(missed, [], 'failure records genlog wrote that the analyzer did not find');
    const mistyped = records.filter((r) => starts.get(r.line) !== r.type).map((r) => `${r.line} genlog ${starts.get(r.line)} found ${r.type} (${r.patternId})`);
    t.deepEqual(mistyped, [], 'records typed differently from the ground truth');
    const perType = (pairs: Array<[string, number]>) => Object.fromEntries(pairs.filter(([, n]) => n > 0).sort());
    const counted = new Map<string, number>();
    for (const r of records) counted.set(r.type, (counted.get(r.type) ?? 0) + 1);
    t.deepEqual(perType([...counted]), perType(truth.types.map((ty) => [ty.type, ty.records])));
  });
}
