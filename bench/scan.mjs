#!/usr/bin/env node
// Whole-process benchmark of `logmedic scan` on a genlog log, against `wc -l`, `rg -c`,
// `grep -Ec`, `gzip -dc | wc -l` and `zstd -dc | wc -l` in the same run. Every variant's
// answer is checked against genlog's ground truth before its time is shown: a fast wrong
// answer prints FAIL, never a time. Results go to bench/results/<machine>-<date>.{md,json}.
//
//   node bench/scan.mjs                 # 1 GiB, 3 runs each (a few minutes)
//   node bench/scan.mjs --size 256      # MiB; quicker
//   node bench/scan.mjs --catalog-only  # only wc -l, rg and analyze with the whole catalog
//   options: --runs N  --no-linear  --no-compressed  --keep  --out DIR  --tag NAME
//
// The catalog rows run `logmedic analyze` (every pattern of the default catalog, both
// engines) beside `rg -c` with the same patterns; grep has no row there: `grep -E` lacks
// the catalog's syntax (`\d`, `(?i:...)`) and `grep -P` takes one pattern, which joined is
// too large for it. Each row also reports CPU time (user + sys), steadier than wall time
// on a shared machine.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, rmSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const MiB = 1 << 20;
const sizeMiB = Number(args.size ?? process.env.BENCH_SIZE_MB ?? 1024);
const runs = Math.max(3, Number(args.runs ?? 3));
const dataDir = join(root, 'bench', 'data');
const outDir = args.out ?? join(root, 'bench', 'results');
const patternsTxt = join(root, 'bench', 'patterns.txt');
const patternsEre = join(root, 'bench', 'patterns.ere');
const patterns = readFileSync(patternsTxt, 'utf8').split('\n').filter(Boolean);
const cli = join(root, 'dist', 'cli', 'main.js');
const SEED = 42;

const lib = await import(join(root, 'dist', 'index.js'));
const { generateLog, readTruth } = await import(join(root, 'dist', 'genlog.js'));
const hyperscan = lib.hyperscanAvailable();
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const have = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
for (const tool of ['wc', 'rg', 'grep', 'gzip', 'zstd']) if (!have(tool)) die(`${tool} is not installed`);
if (!timeBin) log('note: /usr/bin/time missing (apt-get install -y time): peak RSS not measured');

mkdirSync(dataDir, { recursive: true });
const machine = machineName();
const started = new Date();
const loadBefore = loadavg()[0];
log(`machine: ${machine.description}; node ${process.version}; hyperscan ${hyperscan ? 'available' : 'NOT available'}`);

// ------------------------------------------------------------------------------ data
const logPath = await ensureLog(sizeMiB);
const truth = readTruth(logPath);
log(`log: ${rel(logPath)} ${fmtBytes(truth.bytes)}, ${truth.lines} lines, ${truth.failureRecords} failure records, ${truth.anyPatternLines} lines match a pattern`);
const gzPath = `${logPath}.gz`;
const zstPath = `${logPath}.zst`;
if (!args['no-compressed']) {
  compress(gzPath, ['gzip', '-6', '-c', logPath]);
  compress(zstPath, ['zstd', '-3', '-q', '-c', logPath]);
}

// ------------------------------------------------------------------------------ variants
const expectCounts = truth.patterns.map((p) => p.lines);
const checkLines = (out) => check(Number(out.trim()) === truth.lines, `lines ${out.trim()} (truth ${truth.lines})`);
const checkUnion = (out) => check(Number(out.trim()) === truth.anyPatternLines, `matching lines ${out.trim()} (truth ${truth.anyPatternLines})`);
const checkScan = (out) => {
  let r;
  try {
    r = JSON.parse(out);
  } catch {
    return check(false, `not JSON: ${out.slice(0, 200)}`);
  }
  const counts = r.patterns.map((p) => p.count);
  const wrong = counts.map((c, i) => (c === expectCounts[i] ? null : `#${i + 1} ${c} (truth ${expectCounts[i]})`)).filter(Boolean);
  if (r.lines !== truth.lines) wrong.push(`lines ${r.lines} (truth ${truth.lines})`);
  return { ...check(wrong.length === 0, wrong.join(', ') || `engine ${r.engine}, ${r.threads} threads, ${r.source}`, r.engine), inner: r.elapsedMs / 1000 };
};
const scan = (file, ...opts) => ['node', cli, 'scan', file, '-f', patternsTxt, '--json', ...opts];

const variants = [
  { name: 'wc -l', group: 'plain', cmd: ['wc', '-l', logPath], check: (o) => checkLines(o.split(' ')[0]), ref: 'wc' },
  { name: 'rg -c (20 patterns)', group: 'plain', cmd: ['rg', '-c', '-f', patternsTxt, logPath], check: checkUnion, ref: 'rg' },
  { name: 'grep -Ec (20 patterns)', group: 'plain', cmd: ['grep', '-Ec', '-f', patternsEre, logPath], check: checkUnion },
];
const engines = hyperscan ? ['hyperscan', 'regex'] : ['regex'];
// The floor of a whole `logmedic scan` process: node, the CLI, the addon, compiling the patterns.
const tinyPath = join(dataDir, 'one-line.log');
writeFileSync(tinyPath, 'RuntimeError: CUDA error: an illegal memory access was encountered\n');
const tinyCounts = patterns.map((p) => (/CUDA error/.test(p) ? 1 : 0));
const checkTiny = (out) => {
  const r = JSON.parse(out);
  const counts = r.patterns.map((p) => p.count);
  return check(JSON.stringify(counts) === JSON.stringify(tinyCounts) && r.lines === 1, `counts ${counts.join(',')}`, r.engine);
};
for (const engine of engines) {
  variants.push({ name: `logmedic scan ${engine}, one-line file (startup)`, group: 'startup', engine, cmd: ['node', cli, 'scan', tinyPath, '-f', patternsTxt, '--json', '--engine', engine], check: checkTiny });
}
for (const engine of engines) {
  variants.push(
    { name: `logmedic scan ${engine}, 2 threads, mmap`, group: 'plain', engine, threads: 2, mmap: true, cmd: scan(logPath, '--engine', engine, '--threads', '2'), check: checkScan },
    { name: `logmedic scan ${engine}, 2 threads, --no-mmap`, group: 'plain', engine, threads: 2, mmap: false, cmd: scan(logPath, '--engine', engine, '--threads', '2', '--no-mmap'), check: checkScan },
    { name: `logmedic scan ${engine}, 1 thread, mmap`, group: 'plain', engine, threads: 1, mmap: true, cmd: scan(logPath, '--engine', engine, '--threads', '1'), check: checkScan },
    { name: `logmedic scan ${engine}, 1 thread, --no-mmap`, group: 'plain', engine, threads: 1, mmap: false, cmd: scan(logPath, '--engine', engine, '--threads', '1', '--no-mmap'), check: checkScan },
  );
}
if (!args['no-compressed']) {
  const best = engines[0];
  variants.push(
    { name: 'gzip -dc | wc -l', group: 'gzip', cmd: ['sh', '-c', `gzip -dc '${gzPath}' | wc -l`], check: checkLines, ref: 'gzip' },
    { name: `logmedic scan .gz (${best}, 2 threads)`, group: 'gzip', engine: best, cmd: scan(gzPath, '--engine', best, '--threads', '2'), check: checkScan },
    { name: 'zstd -dc | wc -l', group: 'zstd', cmd: ['sh', '-c', `zstd -dc -q '${zstPath}' | wc -l`], check: checkLines, ref: 'zstd' },
    { name: `logmedic scan .zst (${best}, 2 threads)`, group: 'zstd', engine: best, cmd: scan(zstPath, '--engine', best, '--threads', '2'), check: checkScan },
  );
}

// ------------------------------------------------------------------------------ catalog rows
// `analyze` with the whole default catalog, checked against genlog's per-type record counts;
// `rg -c` with the same patterns, checked against the bounds the per-pattern counts of
// `logmedic scan` give (at least the largest, at most their sum).
const { defaultCatalog } = await import(join(root, 'dist', 'catalog', 'index.js'));
const catalogPatterns = defaultCatalog().patterns.filter((p) => !p.refines).map((p) => p.pattern);
const catalogTxt = join(dataDir, 'catalog-patterns.txt');
writeFileSync(catalogTxt, catalogPatterns.join('\n') + '\n');
const truthTypes = new Map(truth.types.map((t) => [t.type, t.records]));
const checkAnalyze = (out) => {
  let r;
  try {
    r = JSON.parse(out);
  } catch {
    return check(false, `not JSON: ${out.slice(0, 200)}`);
  }
  const got = new Map(r.errors.map((e) => [e.type, e.count]));
  const wrong = [...new Set([...got.keys(), ...truthTypes.keys()])].filter((t) => got.get(t) !== truthTypes.get(t)).map((t) => `${t} ${got.get(t) ?? 0} (truth ${truthTypes.get(t) ?? 0})`);
  return { ...check(wrong.length === 0, wrong.join(', ') || `engine ${r.engine}, ${truth.failureRecords} failure records`, r.engine), inner: r.elapsedMs / 1000 };
};
let rgBounds = null;
const checkRgCatalog = (out) => {
  if (!rgBounds) {
    const r = run(['node', cli, 'scan', logPath, '-f', catalogTxt, '--json']);
    const counts = JSON.parse(r.stdout).patterns.map((p) => p.count);
    rgBounds = [Math.max(...counts), counts.reduce((a, b) => a + b, 0)];
  }
  const n = Number(out.trim());
  return check(n >= rgBounds[0] && n <= rgBounds[1], `matching lines ${n} (scan's per-pattern counts: max ${rgBounds[0]}, sum ${rgBounds[1]})`);
};
if (args['catalog-only']) variants.splice(1);
variants.push({ name: `rg -c (catalog, ${catalogPatterns.length} patterns)`, group: 'catalog', cmd: ['rg', '-c', '-f', catalogTxt, logPath], check: checkRgCatalog, ref: 'rgCatalog' });
for (const engine of engines) {
  variants.push(
    { name: `logmedic analyze ${engine}, 4 KB log (startup)`, group: 'startup', engine, cmd: ['node', cli, 'analyze', tinyLog(), '--json', '--engine', engine], check: (out) => check(JSON.parse(out).lines > 0, 'ran', JSON.parse(out).engine) },
    { name: `logmedic analyze ${engine} (catalog), 2 threads`, group: 'catalog', engine, threads: 2, cmd: ['node', cli, 'analyze', logPath, '--json', '--engine', engine, '--threads', '2'], check: checkAnalyze },
    { name: `logmedic analyze ${engine} (catalog), 1 thread`, group: 'catalog', engine, threads: 1, cmd: ['node', cli, 'analyze', logPath, '--json', '--engine', engine, '--threads', '1'], check: checkAnalyze },
    { name: `logmedic analyze ${engine} (catalog), 2 threads, --no-mmap`, group: 'catalog', engine, threads: 2, mmap: false, cmd: ['node', cli, 'analyze', logPath, '--json', '--engine', engine, '--threads', '2', '--no-mmap'], check: checkAnalyze },
  );
}

const results = [];
for (const v of variants) results.push(measure(v));

// ------------------------------------------------------------------------------ memory: every line matches
const memory = args['catalog-only'] ? { ok: true, runs: [], skipped: true } : await everyLineMatches(Math.min(sizeMiB, 512));

// ------------------------------------------------------------------------------ linearity
let linear = null;
if (!args['no-linear'] && !args['catalog-only']) linear = await linearity();

// ------------------------------------------------------------------------------ report
const report = buildReport();
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${machine.slug}-${started.toISOString().slice(0, 10)}${args.tag ? `-${args.tag}` : sizeMiB === 1024 ? '' : `-${sizeMiB}MiB`}`);
writeFileSync(`${base}.json`, JSON.stringify(report.json, null, 2) + '\n');
writeFileSync(`${base}.md`, report.md);
process.stdout.write('\n' + report.md);
log(`results: ${rel(base)}.md and .json`);
if (!args.keep && linear?.bigPath) for (const f of [linear.bigPath, `${linear.bigPath}.truth.json`]) rmSync(f, { force: true });
process.exit(results.some((r) => !r.ok) || !memory.ok || (linear && !linear.ok) ? 1 : 0);

// ==============================================================================================

function measure(v) {
  // The first run checks the answer (and warms the page cache); only a right answer is timed.
  const first = run(v.cmd);
  // rg exits 1 on no match; analyze exits 1 when it found failures.
  const verdict = first.status === 0 || (first.status === 1 && (v.cmd[0] === 'rg' || v.cmd[2] === 'analyze')) ? v.check(first.stdout) : check(false, `exit ${first.status}: ${first.stderr.trim().split('\n')[0]}`);
  if (!verdict.ok) {
    log(`FAIL  ${v.name}: ${verdict.detail}`);
    return { ...strip(v), ok: false, detail: verdict.detail };
  }
  if (v.engine && verdict.engine && verdict.engine !== v.engine) {
    log(`FAIL  ${v.name}: ran engine ${verdict.engine}`);
    return { ...strip(v), ok: false, detail: `ran engine ${verdict.engine}` };
  }
  const times = [];
  const cpu = [];
  const inner = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const r = run(v.cmd);
    const again = v.check(r.stdout);
    if (!again.ok) {
      log(`FAIL  ${v.name} (run ${i + 2}): ${again.detail}`);
      return { ...strip(v), ok: false, detail: again.detail };
    }
    times.push(r.seconds);
    if (r.cpuSeconds != null) cpu.push(r.cpuSeconds);
    if (again.inner != null) inner.push(again.inner);
    rss = Math.max(rss, r.maxRssKb);
  }
  const seconds = median(times);
  const cpuSeconds = cpu.length ? median(cpu) : null;
  const scanSeconds = inner.length ? median(inner) : null;
  log(`ok    ${v.name.padEnd(48)} ${seconds.toFixed(3)} s  (runs ${times.map((t) => t.toFixed(3)).join(' ')})${scanSeconds != null ? `  in-process scan ${scanSeconds.toFixed(3)} s` : ''}  peak RSS ${rss ? fmtBytes(rss * 1024) : '?'}${cpuSeconds != null ? `  CPU ${cpuSeconds.toFixed(3)} s` : ''}`);
  return { ...strip(v), ok: true, detail: verdict.detail, seconds, times, cpuSeconds, scanSeconds, maxRssBytes: rss * 1024 };
}

/** The log's first whole lines up to 4 KB, for the start-up rows. */
function tinyLog() {
  const path = join(dataDir, 'first-4k.log');
  const buf = Buffer.alloc(4096);
  const fd = openSync(logPath, 'r');
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  writeFileSync(path, buf.subarray(0, buf.subarray(0, n).lastIndexOf(10) + 1));
  return path;
}

/** Run a whole process; wall time from here, peak RSS and CPU time from /usr/bin/time. */
function run(cmd) {
  const rssFile = join(dataDir, `.rss-${process.pid}`);
  const argv = timeBin ? [timeBin, '-f', '%M %U %S', '-o', rssFile, ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * MiB });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let maxRssKb = 0;
  let cpuSeconds = null;
  if (timeBin && existsSync(rssFile)) {
    const [rss, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    maxRssKb = rss || 0;
    cpuSeconds = user + sys;
    rmSync(rssFile, { force: true });
  }
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds, maxRssKb, cpuSeconds };
}

async function ensureLog(mib) {
  const path = join(dataDir, `genlog-${mib}MiB-seed${SEED}.log`);
  const bytes = mib * MiB;
  try {
    const t = readTruth(path);
    if (statSync(path).size === bytes && t.bytes === bytes && JSON.stringify(t.patterns.map((p) => p.pattern)) === JSON.stringify(patterns)) {
      log(`reusing ${rel(path)}`);
      return path;
    }
  } catch {
    // not there or stale: generate
  }
  log(`generating ${rel(path)} (${mib} MiB, seed ${SEED}) ...`);
  const t0 = performance.now();
  await generateLog(path, { sizeBytes: bytes, seed: SEED, countPatterns: patterns });
  log(`  genlog: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (const c of [`${path}.gz`, `${path}.zst`]) rmSync(c, { force: true });
  return path;
}

function compress(target, cmd) {
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(logPath).mtimeMs) return;
  log(`compressing ${rel(target)} ...`);
  const fd = openSync(`${target}.tmp`, 'w');
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  if (r.status !== 0) die(`${cmd.join(' ')} failed`);
  execFileSync('mv', [`${target}.tmp`, target]);
}

/** A file in which every line matches: memory must stay bounded (hits are capped). */
async function everyLineMatches(mib) {
  const path = join(dataDir, `every-line-matches-${mib}MiB.log`);
  const line = 'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 23.65 GiB total capacity)\n';
  const lines = Math.floor((mib * MiB) / line.length);
  if (!existsSync(path) || statSync(path).size !== lines * line.length) {
    const fd = openSync(path, 'w');
    const block = line.repeat(10_000);
    for (let i = 0; i < lines; i += 10_000) writeSync(fd, i + 10_000 <= lines ? block : line.repeat(lines - i));
    closeSync(fd);
  }
  const out = [];
  for (const mmap of [true, false]) {
    const cmd = ['node', cli, 'scan', path, '-e', '(?i)out of memory', '-e', 'CUDA', '--json', '--threads', '2', ...(mmap ? [] : ['--no-mmap'])];
    const r = run(cmd);
    let ok = r.status === 0;
    let detail = `exit ${r.status}`;
    if (ok) {
      const j = JSON.parse(r.stdout);
      ok = j.patterns.every((p) => p.count === lines) && j.lines === lines;
      detail = `${j.patterns.map((p) => p.count).join('/')} of ${lines} lines`;
    }
    const bounded = !timeBin || r.maxRssKb * 1024 < 200e6 || mmap;
    out.push({ mmap, ok: ok && bounded, detail, seconds: r.seconds, maxRssBytes: r.maxRssKb * 1024 });
    log(`${ok && bounded ? 'ok  ' : 'FAIL'}  every line matches (${mib} MiB, ${mmap ? 'mmap' : '--no-mmap'}): ${detail}, ${r.seconds.toFixed(3)} s, peak RSS ${fmtBytes(r.maxRssKb * 1024)}`);
  }
  if (!args.keep) rmSync(path, { force: true });
  return { mib, lines, ok: out.every((o) => o.ok), runs: out };
}

/** The same scan on a 4x larger log (or 1/2 when the disk is short): time should scale. */
async function linearity() {
  const free = freeBytes(dataDir);
  const factor = free > 5 * sizeMiB * MiB + 2e9 ? 4 : 0.5;
  const bigMiB = Math.round(sizeMiB * factor);
  const bigPath = await ensureLog(bigMiB);
  const bigTruth = readTruth(bigPath);
  const engine = engines[0];
  const cmd = (file) => ['node', cli, 'scan', file, '-f', patternsTxt, '--json', '--engine', engine, '--threads', '2'];
  const timeOf = (file, t) => {
    const first = run(cmd(file));
    const j = JSON.parse(first.stdout);
    const ok = j.lines === t.lines && j.patterns.every((p, i) => p.count === t.patterns[i].lines);
    const times = [];
    const inner = [];
    for (let i = 0; i < runs; i++) {
      const r = run(cmd(file));
      times.push(r.seconds);
      inner.push(JSON.parse(r.stdout).elapsedMs / 1000);
    }
    return { ok, seconds: median(times), scanSeconds: median(inner) };
  };
  const wcOf = (file) => median(Array.from({ length: runs }, () => run(['wc', '-l', file]).seconds));
  const small = timeOf(logPath, truth);
  const big = timeOf(bigPath, bigTruth);
  const result = {
    engine,
    baseMiB: sizeMiB,
    otherMiB: bigMiB,
    sizeRatio: factor,
    baseSeconds: small.seconds,
    otherSeconds: big.seconds,
    timeRatio: big.seconds / small.seconds,
    baseScanSeconds: small.scanSeconds,
    otherScanSeconds: big.scanSeconds,
    scanRatio: big.scanSeconds / small.scanSeconds,
    wcRatio: wcOf(bigPath) / wcOf(logPath),
    ok: small.ok && big.ok,
    bigPath: factor > 1 ? bigPath : null,
  };
  log(`${result.ok ? 'ok  ' : 'FAIL'}  linearity: ${bigMiB} MiB ${big.seconds.toFixed(3)} s vs ${sizeMiB} MiB ${small.seconds.toFixed(3)} s: x${result.timeRatio.toFixed(2)} (in-process scan x${result.scanRatio.toFixed(2)}) for x${factor} the bytes (wc -l: x${result.wcRatio.toFixed(2)})`);
  return result;
}

function buildReport() {
  const byRef = Object.fromEntries(results.filter((r) => r.ref && r.ok).map((r) => [r.ref, r.seconds]));
  const groupRef = { plain: byRef.wc, gzip: byRef.gzip, zstd: byRef.zstd, catalog: byRef.wc };
  const rgOf = { plain: byRef.rg, catalog: byRef.rgCatalog };
  const rows = results.map((r) => ({
    ...r,
    vsRef: r.ok && groupRef[r.group] ? r.seconds / groupRef[r.group] : null,
    vsRg: r.ok && rgOf[r.group] ? r.seconds / rgOf[r.group] : null,
  }));
  const best = (pred) => rows.filter((r) => r.ok && pred(r)).sort((a, b) => a.seconds - b.seconds)[0];
  const plain2 = best((r) => r.group === 'plain' && r.threads === 2 && r.engine);
  const noMmap = rows.filter((r) => r.ok && r.mmap === false);
  const hs = best((r) => r.engine === 'hyperscan' && r.threads === 2 && r.mmap);
  const rx = best((r) => r.engine === 'regex' && r.threads === 2 && r.mmap);
  const gz = best((r) => r.group === 'gzip' && r.engine);
  const zst = best((r) => r.group === 'zstd' && r.engine);
  const cat2 = best((r) => r.group === 'catalog' && r.threads === 2 && r.mmap !== false && r.engine);
  const catHs = best((r) => r.group === 'catalog' && r.engine === 'hyperscan' && r.threads === 1);
  const catRx = best((r) => r.group === 'catalog' && r.engine === 'regex' && r.threads === 1);
  const catNoMmap = rows.filter((r) => r.ok && r.group === 'catalog' && r.mmap === false);
  const startup = rows.filter((r) => r.ok && r.name.includes('4 KB log'));
  const target = (name, value, limit, text) => ({ name, value, limit, met: value != null ? value <= limit : null, text });
  const targets = [
    target('analyze (catalog) 2 threads vs wc -l', cat2?.vsRef, 5, 'at most 5x `wc -l`'),
    target('analyze (catalog) 2 threads vs rg -c (catalog)', cat2?.vsRg, 0.25, 'at most 1/4 of `rg -c` with the same patterns'),
    target('analyze (catalog) 1 thread, regex vs hyperscan, CPU time', catHs && catRx && catHs.cpuSeconds ? catRx.cpuSeconds / catHs.cpuSeconds : null, 2, 'pure-Rust engine within 2x of Hyperscan'),
    target('analyze of a 4 KB log (ms)', startup.length ? Math.max(...startup.map((r) => r.seconds)) * 1000 : null, 120, 'under 120 ms'),
    target('analyze (catalog) --no-mmap peak RSS (MB)', catNoMmap.length ? Math.max(...catNoMmap.map((r) => r.maxRssBytes)) / 1e6 : null, 200, 'under 200 MB'),
    target('plain 2 threads vs wc -l', plain2?.vsRef, 3, 'at most 3x `wc -l`'),
    target('plain 2 threads vs rg -c', plain2?.vsRg, 0.25, 'at most 1/4 of `rg -c`'),
    target('regex engine vs hyperscan', hs && rx ? rx.seconds / hs.seconds : null, 2, 'pure-Rust engine within 2x of Hyperscan'),
    target('.gz vs gzip -dc | wc -l', gz?.vsRef, 0.6, 'at most 0.6x'),
    target('.zst vs zstd -dc | wc -l', zst?.vsRef, 1.2, 'at most 1.2x'),
    target('peak RSS --no-mmap (MB)', noMmap.length ? Math.max(...noMmap.map((r) => r.maxRssBytes)) / 1e6 : null, 200, 'under 200 MB'),
    target('every line matches, --no-mmap peak RSS (MB)', memory.skipped ? null : memory.runs.find((r) => !r.mmap)?.maxRssBytes / 1e6, 200, 'bounded (under 200 MB)'),
    target(linear ? `linearity (${linear.otherMiB} MiB / ${linear.baseMiB} MiB in-process scan time, over the size ratio)` : 'linearity (not run)', linear ? linear.scanRatio / linear.sizeRatio : null, 1.15, 'no worse than linear'),
  ];
  const date = started.toISOString().replace(/\.\d+Z$/, 'Z');
  const json = {
    machine: machine.description,
    cpu: machine.cpu,
    cores: machine.cores,
    memoryBytes: totalmem(),
    node: process.version,
    tools: toolVersions(),
    date,
    log: { path: rel(logPath), bytes: truth.bytes, lines: truth.lines, seed: SEED, patterns: rel(patternsTxt), anyPatternLines: truth.anyPatternLines, gzipBytes: sizeOf(gzPath), zstdBytes: sizeOf(zstPath) },
    hyperscanAvailable: hyperscan,
    runs,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    results: rows.map(({ cmd, check: _c, ...r }) => ({ ...r, cmd: cmd.map((a) => (a.startsWith(root) ? rel(a) : a)).join(' ') })),
    everyLineMatches: memory,
    linearity: linear && { ...linear, bigPath: undefined },
    targets,
  };
  const f3 = (x) => (x == null ? '' : x.toFixed(3));
  const f2 = (x) => (x == null ? '' : x.toFixed(2));
  let md = `# logmedic scan benchmark\n\n`;
  md += `- machine: ${machine.description}, ${fmtBytes(totalmem())} RAM; node ${process.version}\n`;
  md += `- date: ${date}\n`;
  md += `- log: genlog ${fmtBytes(truth.bytes)} (seed ${SEED}), ${truth.lines.toLocaleString('en-US')} lines; ${patterns.length} patterns (\`bench/patterns.txt\`, ERE twin \`bench/patterns.ere\` for grep), ${truth.anyPatternLines.toLocaleString('en-US')} lines match one; .gz ${fmtBytes(sizeOf(gzPath))}, .zst ${fmtBytes(sizeOf(zstPath))}\n`;
  md += `- Hyperscan: ${hyperscan ? 'available' : 'not available on this machine: pure-Rust engine only'}\n`;
  md += `- whole processes, warm page cache, median of ${runs} runs after a first run that checks the answer against the ground truth; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after\n\n`;
  md += `| variant | seconds | CPU s | vs reference | vs rg -c | in-process | peak RSS | answer |\n|---|---:|---:|---:|---:|---:|---:|---|\n`;
  for (const r of rows) {
    md += `| ${r.name.replace(/\|/g, "\\|")} | ${r.ok ? f3(r.seconds) : '—'} | ${f3(r.cpuSeconds)} | ${f2(r.vsRef)}${r.vsRef != null ? 'x' : ''} | ${f2(r.vsRg)}${r.vsRg != null ? 'x' : ''} | ${f3(r.scanSeconds)} | ${r.maxRssBytes ? fmtBytes(r.maxRssBytes) : ''} | ${r.ok ? 'ok' : `**FAIL**: ${r.detail}`} |\n`;
  }
  md += `\nReference: \`wc -l\` for plain files, \`gzip -dc | wc -l\` for .gz, \`zstd -dc | wc -l\` for .zst. "in-process scan" is the scan's own \`elapsedMs\` (without starting node, loading the CLI and compiling the patterns); the "startup" rows show that fixed cost on a one-line file.\n\n`;
  if (!memory.skipped) md += `Every line matches (${memory.mib} MiB, ${memory.lines.toLocaleString('en-US')} lines, 2 patterns): ` +
    memory.runs.map((r) => `${r.mmap ? 'mmap' : '--no-mmap'} ${f3(r.seconds)} s, peak RSS ${fmtBytes(r.maxRssBytes)}${r.ok ? '' : ' **FAIL**'}`).join('; ') + '\n\n';
  if (linear) {
    md += `Linearity (${linear.engine}, 2 threads): ${linear.otherMiB} MiB in ${f3(linear.otherSeconds)} s vs ${linear.baseMiB} MiB in ${f3(linear.baseSeconds)} s: whole process x${f2(linear.timeRatio)}, in-process scan ${f3(linear.otherScanSeconds)} s vs ${f3(linear.baseScanSeconds)} s = x${f2(linear.scanRatio)}, for x${linear.sizeRatio} the bytes (wc -l: x${f2(linear.wcRatio)})${linear.ok ? '' : ' **answer FAIL**'}\n\n`;
  }
  md += `| target (issue 2) | measured | limit | met |\n|---|---:|---:|---|\n`;
  for (const t of targets) md += `| ${(t.name + ": " + t.text).replace(/\|/g, "\\|")} | ${f2(t.value)} | ${t.limit} | ${t.met == null ? 'n/a' : t.met ? 'yes' : '**no**'} |\n`;
  return { json, md };
}

function machineName() {
  const cpu = (cpus()[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  const cores = cpus().length;
  const slug = `${cpu.toLowerCase().replace(/\((r|tm)\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${cores}c`;
  return { cpu, cores, slug, description: `${cpu}, ${cores} cores` };
}

function toolVersions() {
  const first = (cmd, a) => spawnSync(cmd, a, { encoding: 'utf8' }).stdout?.split('\n')[0] ?? '';
  return { rg: first('rg', ['--version']), grep: first('grep', ['--version']), gzip: first('gzip', ['--version']), zstd: first('zstd', ['--version']), locale: process.env.LC_ALL ?? process.env.LANG ?? 'C' };
}

function freeBytes(dir) {
  const out = spawnSync('df', ['-k', '--output=avail', dir], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
  return Number(out) * 1024;
}

function check(ok, detail, engine) {
  return { ok, detail, engine };
}
function strip(v) {
  const { check: _check, ...rest } = v;
  return rest;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function sizeOf(p) {
  return existsSync(p) ? statSync(p).size : null;
}
function fmtBytes(n) {
  if (n == null) return '?';
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : `${(n / MiB).toFixed(1)} MiB`;
}
function rel(p) {
  return relative(root, p);
}
function log(s) {
  process.stderr.write(s + '\n');
}
function die(s) {
  log(`bench: ${s}`);
  process.exit(2);
}
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) die(`unexpected argument ${a}`);
    const [k, v] = a.slice(2).split('=');
    if (v !== undefined) out[k] = v;
    else if (['size', 'runs', 'out', 'tag'].includes(k)) out[k] = argv[++i];
    else out[k] = true;
  }
  return out;
}
