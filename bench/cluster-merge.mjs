#!/usr/bin/env node
// The merge's share of the per-range overhead, in process: an 8 MiB genlog (bench/data, made
// by bench/cluster.mjs) analyzed as N ranges with the core, then the N partials merged; the
// merge time per partial and the partial bytes, for N = 16, 128, 1024. Checked against the
// whole-file analysis first.
import { statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogAnalyzer, byteRanges } from '../dist/index.js';

const file = join(dirname(fileURLToPath(import.meta.url)), 'data', 'cluster-8MiB.log');
const analyzer = new LogAnalyzer();
const whole = analyzer.diagnoseFromLogsSync(file);
const size = statSync(file).size;
for (const n of [16, 128, 1024]) {
  const partials = byteRanges(size, n).map(([s, e]) => analyzer.analyzeRangeSync(file, s, e));
  const t0 = performance.now();
  const merged = analyzer.mergePartials(partials, [file]);
  const ms = performance.now() - t0;
  if (JSON.stringify({ ...merged, elapsedMs: 0 }) !== JSON.stringify({ ...whole, elapsedMs: 0 })) throw new Error(`FAIL: ${n} partials merge to another answer`);
  const bytes = partials.map((p) => p.length).sort((a, b) => a - b);
  console.log(`${n} partials: merge ${ms.toFixed(1)} ms (${((ms / n) * 1000).toFixed(0)} µs per partial); partial bytes median ${bytes[n >> 1]}, total ${(bytes.reduce((a, b) => a + b, 0) / 1e6).toFixed(2)} MB`);
}
