#!/usr/bin/env node
// Cluster analysis against local analyze, on this machine: a real redis-server on a free
// loopback port, real `logmedic worker` processes, whole `logmedic analyze` processes timed.
// Reports (1) per-range overhead: the same small file as 1 range and as many, the difference
// per extra range, and the partial bytes per range; (2) throughput of 1 and 2 workers against
// local analyze on a genlog file (256 MiB by default), wall and CPU (user+sys of client and
// workers). Every cluster answer is checked equal to the local one (modulo elapsedMs) first.
//
//   node bench/cluster.mjs [--size-mb 256] [--runs 3] [--range-mb 64]

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SIZE_MB = arg('size-mb', 256);
const RUNS = arg('runs', 3);
const RANGE_MB = arg('range-mb', 64);
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** user+sys seconds of a live process (and its threads), from /proc. */
function cpuOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

/** Run a whole process; wall seconds, user+sys seconds (GNU time), stdout. Asynchronous, so
 * that the workers' output keeps being read (a full pipe would stall them). */
function timed(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S', process.execPath, CLI, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (![0, 1].includes(code)) return reject(new Error(`logmedic ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      const [wall, user, sys] = stderr.trim().split('\n').pop().split(' ').map(Number);
      resolve({ wall, cpu: user + sys, stdout, stderr });
    });
  });
}

const withoutTiming = (json) => JSON.stringify({ ...JSON.parse(json), elapsedMs: 0 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const data = join(ROOT, 'bench', 'data');
  mkdirSync(data, { recursive: true });
  const big = join(data, `cluster-${SIZE_MB}MiB.log`);
  if (!existsSync(big)) {
    const mb = Math.ceil((SIZE_MB * 1024 * 1024) / 1e6);
    const g = spawnSync(process.execPath, [CLI, 'genlog', '--size', String(mb), '--seed', '42', '-o', big, '--force'], { stdio: 'inherit' });
    if (g.status !== 0) throw new Error('genlog failed');
  }
  const small = join(data, 'cluster-8MiB.log');
  if (!existsSync(small)) spawnSync(process.execPath, [CLI, 'genlog', '--size', '8', '--seed', '7', '-o', small, '--force'], { stdio: 'inherit' });

  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redisDir = mkdtempSync(join(tmpdir(), 'logmedic-bench-redis-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
  await sleep(500);
  const workers = [];
  const startWorker = async (name) => {
    const w = spawn(process.execPath, [CLI, 'worker', '--cluster', url, '--name', name], { stdio: ['ignore', 'ignore', 'pipe'] });
    w.log = '';
    w.stderr.on('data', (d) => (w.log += d));
    for (let i = 0; i < 200 && !w.log.includes('ready'); i++) await sleep(50);
    workers.push(w);
    return w;
  };
  const workersCpu = () => workers.reduce((n, w) => n + cpuOf(w.pid), 0);
  const out = { machine: `${cpus()[0].model.trim()}, ${cpus().length} cores`, date: new Date().toISOString(), sizeMiB: SIZE_MB, rangeMiB: RANGE_MB, runs: RUNS };
  try {
    await startWorker('w1');

    // (1) Per-range overhead: the same 8 MiB as 1 range and as 128 ranges of 64 KiB.
    const localSmall = await timed(['analyze', small, '--json']);
    const one = [];
    const many = [];
    for (let i = 0; i < RUNS; i++) {
      const a = await timed(['analyze', '--cluster', url, '--range-mb', '8', small, '--json']);
      const b = await timed(['analyze', '--cluster', url, '--range-mb', '0.0625', small, '--json']);
      for (const r of [a, b]) if (withoutTiming(r.stdout) !== withoutTiming(localSmall.stdout)) throw new Error('FAIL: a cluster answer differs from the local one (8 MiB)');
      one.push(a.wall);
      many.push(b.wall);
    }
    const ranges = Math.ceil(readFileSync(small).length / 65536);
    const partials = [...workers[0].log.matchAll(/→ (\d+) B partial/g)].map((m) => Number(m[1]));
    out.overhead = {
      ranges,
      oneRangeS: median(one),
      manyRangesS: median(many),
      msPerRange: ((median(many) - median(one)) / (ranges - 1)) * 1000,
      partialBytesMedian: median(partials),
      partialBytesMax: Math.max(...partials),
    };

    // (2) Throughput on the big file: local, 1 worker, 2 workers.
    const rows = [];
    let reference;
    for (let i = 0; i < RUNS; i++) {
      const l = await timed(['analyze', big, '--json']);
      reference ??= withoutTiming(l.stdout);
      rows.push({ variant: 'local analyze', wall: l.wall, cpu: l.cpu });
    }
    for (const n of [1, 2]) {
      while (workers.length < n) await startWorker(`w${workers.length + 1}`);
      for (let i = 0; i < RUNS; i++) {
        const before = workersCpu();
        const c = await timed(['analyze', '--cluster', url, '--range-mb', String(RANGE_MB), big, '--json']);
        if (withoutTiming(c.stdout) !== reference) throw new Error(`FAIL: ${n} worker(s): the cluster answer differs from the local one`);
        rows.push({ variant: `--cluster, ${n} worker${n > 1 ? 's' : ''}`, wall: c.wall, cpu: c.cpu + workersCpu() - before });
      }
    }
    const bytes = readFileSync(big).length; // the file is in the page cache for every variant alike
    out.throughput = [...new Set(rows.map((r) => r.variant))].map((variant) => {
      const mine = rows.filter((r) => r.variant === variant);
      const wall = median(mine.map((r) => r.wall));
      return { variant, wallS: wall, cpuS: median(mine.map((r) => r.cpu)), mibPerS: bytes / 1048576 / wall };
    });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await sleep(1500);
    redis.kill('SIGKILL');
  }

  const md = [
    `# Cluster analysis — ${out.machine}, ${out.date.slice(0, 10)}`,
    '',
    `Per-range overhead: an 8 MiB genlog as 1 range and as ${out.overhead.ranges} ranges of 64 KiB, one worker, median of ${RUNS}:`,
    `${out.overhead.oneRangeS.toFixed(2)} s vs ${out.overhead.manyRangesS.toFixed(2)} s → **${out.overhead.msPerRange.toFixed(1)} ms per range** (queueing, a job round trip, storing the partial, merging it);`,
    `partial size: median ${out.overhead.partialBytesMedian} B, largest ${out.overhead.partialBytesMax} B.`,
    '',
    `Throughput: a ${SIZE_MB} MiB genlog (seed 42), ${RANGE_MB} MiB ranges, whole processes, median of ${RUNS}; CPU = user+sys of the client and the workers; every answer equal to the local one:`,
    '',
    '| variant | wall s | CPU s | MiB/s (wall) |',
    '|---|---:|---:|---:|',
    ...out.throughput.map((r) => `| ${r.variant} | ${r.wallS.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.mibPerS.toFixed(0)} |`),
    '',
  ].join('\n');
  const name = `${cpus()[0].model.toLowerCase().replace(/\(r\)|\(tm\)|cpu|@.*$/g, '').trim().split(/\s+/).slice(0, 3).join('-')}-${cpus().length}c-${out.date.slice(0, 10)}-cluster`;
  writeFileSync(join(ROOT, 'bench', 'results', `${name}.json`), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(join(ROOT, 'bench', 'results', `${name}.md`), md);
  process.stdout.write(md);
}

main().catch((err) => {
  process.stderr.write(`bench/cluster.mjs: ${err.message}\n`);
  process.exit(1);
});
