#!/usr/bin/env node
// Micro-benchmarks of the napi binding with `benchmark`: the cost of crossing into Rust
// (call overhead), scanning small Buffers in place, and compiling the pattern set. Each
// scan's counts are checked against genlog's ground truth for the same bytes before the
// suite runs. Results: bench/results/<machine>-<date>-binding.{md,json}.
//
//   node bench/binding.mjs [--out DIR]
import Benchmark from 'benchmark';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? process.argv[outArg + 1] : join(root, 'bench', 'results');
const { PatternSet, hyperscanAvailable } = await import(join(root, 'dist', 'index.js'));
const { generateLogSync } = await import(join(root, 'dist', 'genlog.js'));
const patterns = readFileSync(join(root, 'bench', 'patterns.txt'), 'utf8').split('\n').filter(Boolean);
const engines = hyperscanAvailable() ? ['hyperscan', 'regex'] : ['regex'];

// Inputs: genlog output of exactly each size, with its ground truth (errorRate high enough
// that even 4 KB holds failures).
const tmp = mkdtempSync(join(tmpdir(), 'logmedic-bench-'));
const inputs = [100, 4096, 1 << 20].map((size) => {
  const path = join(tmp, `${size}.log`);
  const truth = generateLogSync(path, { sizeBytes: size, seed: 7, errorRate: 0.2, countPatterns: patterns, writeTruth: false });
  return { size, buffer: readFileSync(path), expected: truth.patterns.map((p) => p.lines), lines: truth.lines };
});
rmSync(tmp, { recursive: true, force: true });

const sets = Object.fromEntries(engines.map((e) => [e, new PatternSet(patterns, { engine: e })]));
for (const e of engines) {
  if (sets[e].engine !== e) throw new Error(`asked for ${e}, got ${sets[e].engine}`);
  for (const input of inputs) {
    const r = sets[e].scanBufferSync(input.buffer, { maxHits: 0 });
    const counts = r.patterns.map((p) => p.count);
    if (JSON.stringify(counts) !== JSON.stringify(input.expected) || r.lines !== input.lines) {
      console.error(`bench: wrong answer from ${e} on ${input.size} bytes: ${counts} (truth ${input.expected})`);
      process.exit(1);
    }
  }
}
const empty = Buffer.alloc(0);

const suite = new Benchmark.Suite('binding');
suite.add('hyperscanAvailable() (bare napi call)', () => hyperscanAvailable());
for (const e of engines) {
  const set = sets[e];
  suite.add(`${e}: scanBufferSync, empty Buffer (call overhead)`, () => set.scanBufferSync(empty, { maxHits: 0, threads: 1 }));
  for (const input of inputs) {
    suite.add(`${e}: scanBufferSync ${label(input.size)}, 1 thread`, () => set.scanBufferSync(input.buffer, { maxHits: 0, threads: 1 }));
  }
  suite.add(`${e}: scanBufferSync 1 MiB, 2 threads`, () => set.scanBufferSync(inputs[2].buffer, { maxHits: 0, threads: 2 }));
  suite.add(`${e}: scanBuffer 4 KiB (async, libuv pool)`, {
    defer: true,
    fn: (deferred) => set.scanBuffer(inputs[1].buffer, { maxHits: 0, threads: 1 }).then(() => deferred.resolve()),
  });
  suite.add(`${e}: new PatternSet (compile ${patterns.length} patterns)`, () => new PatternSet(patterns, { engine: e }));
}

const rows = [];
suite.on('cycle', (event) => {
  const b = event.target;
  const size = inputs.find((i) => b.name.includes(label(i.size)))?.size;
  const row = {
    name: b.name,
    opsPerSec: b.hz,
    meanMicros: b.stats.mean * 1e6,
    rmePercent: b.stats.rme,
    samples: b.stats.sample.length,
    mbPerSec: size ? (size * b.hz) / 1e6 : null,
  };
  rows.push(row);
  console.error(`${b.name.padEnd(52)} ${fmt(row.meanMicros)} µs/op  ±${row.rmePercent.toFixed(1)}%${row.mbPerSec ? `  ${row.mbPerSec.toFixed(0)} MB/s` : ''}`);
});
// A deferred benchmark makes the suite asynchronous: wait for it to complete.
await new Promise((resolve) => suite.on('complete', resolve).run({ async: false }));

const cpu = (cpus()[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim();
const slug = `${cpu.toLowerCase().replace(/\((r|tm)\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${cpus().length}c`;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
let md = `# logmedic binding micro-benchmarks\n\n- machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}\n- date: ${date}\n`;
md += `- inputs: genlog output of exactly 100 B, 4 KiB and 1 MiB; ${patterns.length} patterns (\`bench/patterns.txt\`); answers checked against genlog's ground truth first\n\n`;
md += `| benchmark | mean per op | ops/s | ±% | MB/s |\n|---|---:|---:|---:|---:|\n`;
for (const r of rows) md += `| ${r.name} | ${fmt(r.meanMicros)} µs | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ${r.rmePercent.toFixed(1)} | ${r.mbPerSec ? r.mbPerSec.toFixed(0) : ''} |\n`;
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${slug}-${date.slice(0, 10)}-binding`);
writeFileSync(`${base}.json`, JSON.stringify({ machine: `${cpu}, ${cpus().length} cores`, node: process.version, date, engines, patterns: patterns.length, results: rows }, null, 2) + '\n');
writeFileSync(`${base}.md`, md);
process.stdout.write(md);
console.error(`results: ${relative(root, base)}.md and .json`);

function label(size) {
  return size >= 1 << 20 ? `${size >> 20} MiB` : size >= 1024 ? `${size >> 10} KiB` : `${size} B`;
}
function fmt(us) {
  return us < 10 ? us.toFixed(2) : us < 1000 ? us.toFixed(1) : Math.round(us).toLocaleString('en-US');
}
