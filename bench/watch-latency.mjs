#!/usr/bin/env node
// Benchmark for `logmedic watch` (the real CLI, dist/cli/main.js, as a child process):
//  1. latency: from an error line appended to a watched file to its record event, and to the
//     action event of a rule that fires on it (p50/p99/max, measured on this process's clock);
//  2. throughput: appends at a fixed rate (default 100 MB/s) for some seconds; reports the
//     watcher's CPU use (cores, from /proc) and whether it kept up. Every error line written
//     must come back as exactly one record before a figure is reported.
// Usage: npx tsc -p tsconfig.json && node bench/watch-latency.mjs [--samples 200] [--rate-mb 100] [--seconds 5]
// Numbers are reported, never asserted.

import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const SAMPLES = arg('samples', 200);
const RATE_MB = arg('rate-mb', 100);
const SECONDS = arg('seconds', 5);

if (!existsSync(MAIN)) {
  console.error('bench: build first (npx tsc -p tsconfig.json)');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startWatch(dir, log, extra) {
  const child = spawn(process.execPath, [MAIN, 'watch', log, '--json', '--state-dir', join(dir, 'state'), ...extra], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'no-config') },
  });
  const listeners = [];
  let rest = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    const at = performance.now();
    rest += d.toString();
    const lines = rest.split('\n');
    rest = lines.pop();
    for (const l of lines) if (l) for (const f of listeners) f(JSON.parse(l), at);
  });
  child.stderr.on('data', (d) => (stderr += d));
  const ready = (async () => {
    while (!/watching \d+ file/.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`watch exited: ${stderr}`);
      await sleep(20);
    }
  })();
  return { child, on: (f) => listeners.push(f), ready, stderr: () => stderr };
}

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks (100 Hz)
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function latency(idleMs) {
  const dir = mkdtempSync(join(tmpdir(), 'logmedic-bench-watch-'));
  const log = join(dir, 'app.log');
  closeSync(openSync(log, 'w'));
  const w = startWatch(dir, log, ['--rule', 'OutOfMemory:1/1h', '--dry-run', '--idle-ms', String(idleMs)]);
  await w.ready;
  const written = new Map();
  const recordLat = [];
  const actionLat = new Map();
  w.on((e, at) => {
    const id = Number(/job=(\d+)/.exec(e.event === 'record' ? e.message : '')?.[1] ?? NaN);
    if (e.event === 'record' && written.has(id)) recordLat.push(at - written.get(id));
    if (e.event === 'action') {
      // The action names the record that fired it by line: line 2k+2 holds id k.
      const k = (e.record.line - 2) / 2;
      if (written.has(k) && !actionLat.has(k)) actionLat.set(k, at - written.get(k));
    }
  });
  const fd = openSync(log, 'a');
  for (let i = 0; i < SAMPLES; i++) {
    writeSync(fd, `${new Date().toISOString()} INFO worker: step ${i} ok\n`);
    written.set(i, performance.now());
    writeSync(fd, `${new Date().toISOString()} ERROR worker: RuntimeError: CUDA out of memory (job=${i})\n`);
    // Mostly isolated lines (the last entry is then complete only by idleness), some in bursts.
    await sleep(20 + Math.random() * 380);
  }
  closeSync(fd);
  const deadline = Date.now() + 10_000;
  while ((recordLat.length < SAMPLES || actionLat.size < SAMPLES) && Date.now() < deadline) await sleep(50);
  w.child.kill('SIGTERM');
  await new Promise((r) => w.child.on('close', r));
  rmSync(dir, { recursive: true, force: true });
  if (recordLat.length !== SAMPLES) throw new Error(`latency: ${recordLat.length} of ${SAMPLES} records came back`);
  const acts = [...actionLat.values()];
  const fmt = (xs) => `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
  console.log(`latency (--idle-ms ${idleMs}, ${SAMPLES} error lines): record ${fmt(recordLat)}; action ${acts.length ? fmt(acts) : 'none'}`);
}

async function throughput() {
  const dir = mkdtempSync(join(tmpdir(), 'logmedic-bench-watch-'));
  const log = join(dir, 'fast.log');
  closeSync(openSync(log, 'w'));
  // A 4 MB block of realistic lines, 1 in 100 an error; written again and again.
  const lines = [];
  let size = 0;
  let errorsPerBlock = 0;
  for (let i = 0; size < 4 * 1024 * 1024; i++) {
    const l =
      i % 100 === 0
        ? `2024-05-01 12:00:00,${String(i % 1000).padStart(3, '0')} ERROR worker: RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB\n`
        : `2024-05-01 12:00:00,${String(i % 1000).padStart(3, '0')} INFO processor.pipeline: frame ${i} encoded in 12.3 ms (queue=4, gpu=0)\n`;
    if (i % 100 === 0) errorsPerBlock++;
    lines.push(l);
    size += l.length;
  }
  const block = Buffer.from(lines.join(''));
  const w = startWatch(dir, log, []);
  await w.ready;
  let records = 0;
  w.on((e) => {
    if (e.event === 'record') records++;
  });
  const cpu0 = cpuSeconds(w.child.pid);
  const t0 = performance.now();
  const fd = openSync(log, 'a');
  const bytesPerMs = (RATE_MB * 1e6) / 1000;
  let written = 0;
  let blocks = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    const due = (performance.now() - t0) * bytesPerMs;
    while (written + block.length <= due) {
      writeSync(fd, block);
      written += block.length;
      blocks++;
    }
    await sleep(5);
  }
  closeSync(fd);
  const writeEnd = performance.now();
  const expected = blocks * errorsPerBlock;
  const deadline = Date.now() + 60_000;
  while (records < expected && Date.now() < deadline) await sleep(20);
  const caughtUp = performance.now();
  const cpu1 = cpuSeconds(w.child.pid);
  w.child.kill('SIGTERM');
  await new Promise((r) => w.child.on('close', r));
  rmSync(dir, { recursive: true, force: true });
  if (records !== expected) throw new Error(`throughput: ${records} records, expected ${expected}`);
  const wall = (caughtUp - t0) / 1000;
  const mbs = written / 1e6 / ((writeEnd - t0) / 1000);
  console.log(
    `throughput: ${(written / 1e6).toFixed(0)} MB appended at ${mbs.toFixed(1)} MB/s for ${((writeEnd - t0) / 1000).toFixed(1)} s; ` +
      `all ${expected} error records seen ${((caughtUp - writeEnd) / 1000).toFixed(2)} s after the last write; ` +
      `watcher CPU ${(cpu1 - cpu0).toFixed(2)} s over ${wall.toFixed(2)} s = ${((cpu1 - cpu0) / wall).toFixed(2)} cores ` +
      `(machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'})`,
  );
}

await latency(200);
await latency(0);
await throughput();
