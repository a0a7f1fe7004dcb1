// Records against genlog's ground truth. genlog knows where every failure record it wrote
// starts, and which type it meant: the analyzer must find exactly those records, with exactly
// those types (records per type equal the ground truth).
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLogSync } from '../src/genlog.js';
import { LogAnalyzer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'logmedic-genlog-'));

for (const seed of [1, 7, 11]) {
  test(`genlog seed ${seed}: every record found starts where genlog started a failure record`, async (t) => {
    const log = join(dir, `g${seed}.log`);
    const truth = generateLogSync(log, { sizeBytes: 3 << 20, seed });
    const starts = new Map<number, string>();
    for (const ty of truth.types) for (const l of ty.firstLines) starts.set(l, ty.type);
    const records = await new LogAnalyzer({ threads: 2, chunkBytes: 65536 }).extractErrors(log);
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
