// Where a short `logmedic` run spends its time: Node's own start, loading the modules,
// the addon, building the catalog in JavaScript, compiling it in the core (each engine,
// with and without the on-disk cache), the analysis of a 4 KB log and its output; then
// whole processes. CPU time (user + sys) is the figure to compare on a shared machine;
// wall time is shown beside it. Medians of RUNS fresh processes.
//
//   npm run build && node bench/startup.mjs [RUNS] [--md FILE]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

/** One stage probe, run in a fresh process: prints {stage: [cpu ms, wall ms]} as JSON. */
async function probe(log) {
  const marks = {};
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const mark = (name) => {
    const c = process.cpuUsage(cpu);
    marks[name] = [(c.user + c.system) / 1000, performance.now() - wall];
    cpu = process.cpuUsage();
    wall = performance.now();
  };
  const { native } = await import(join(root, 'dist/native.js'));
  native.hyperscanAvailable();
  mark('addon load');
  const { defaultCatalog } = await import(join(root, 'dist/catalog/index.js'));
  const catalog = defaultCatalog();
  mark('catalog modules and a copy of the catalog');
  const analyzeModule = await import(join(root, 'dist/cli/analyze-command.js'));
  const { LogAnalyzer } = await import(join(root, 'dist/diagnosis/analyzer.js'));
  mark('the rest of analyze\'s modules');
  const analyzer = new LogAnalyzer({ catalog, engine: 'regex' });
  mark('compile, regex');
  const diagnosis = await analyzer.diagnoseFromLogs([log]);
  mark('analysis of 4 KB');
  const { strings } = await import(join(root, 'dist/cli/i18n.js'));
  const { palette } = await import(join(root, 'dist/cli/color.js'));
  analyzeModule.renderDiagnosis(diagnosis, strings('en'), palette({ isTTY: false }));
  JSON.stringify(diagnosis);
  mark('output');
  if (native.hyperscanAvailable()) {
    new LogAnalyzer({ catalog, engine: 'hyperscan' });
    mark('compile, hyperscan');
  }
  process.stdout.write(JSON.stringify(marks));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * CPU and wall milliseconds of one process, from bash's `time` (millisecond resolution;
 * GNU time's is 10 ms, a tenth of a short run).
 */
function timed(argv, env) {
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; time ${quoted} >/dev/null 2>&1`], { env, encoding: 'utf8' });
  const [wall, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { cpu: (user + sys) * 1000, wall: wall * 1000 };
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--probe') return probe(args[1]);
  const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
  const mdAt = args.indexOf('--md');
  const work = mkdtempSync(join(tmpdir(), 'logmedic-startup-'));
  const log = join(work, '4k.log');
  const line = '2026-12-06 09:00:00,123 INFO worker-3 processed batch 4417 in 12 ms\n';
  writeFileSync(log, line.repeat(Math.floor(4096 / line.length) - 1) + 'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n');
  const oneLine = join(work, 'one.log');
  writeFileSync(oneLine, 'RuntimeError: CUDA error: out of memory\n');
  const cold = { ...process.env, LOGMEDIC_CACHE_DIR: 'off' };
  const warm = { ...process.env, LOGMEDIC_CACHE_DIR: join(work, 'cache') };
  // Fill the warm cache (both engines).
  timed([process.execPath, cli, 'analyze', log, '--engine', 'regex'], warm);
  timed([process.execPath, cli, 'analyze', log, '--engine', 'hyperscan'], warm);

  const rows = [];
  for (const [label, env] of [['no cache', cold], ['cache warm', warm]]) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--probe', log], { env, encoding: 'utf8' });
      samples.push(JSON.parse(r.stdout));
    }
    for (const stage of Object.keys(samples[0])) {
      rows.push([`${stage} (${label})`, median(samples.map((s) => s[stage][0])), median(samples.map((s) => s[stage][1]))]);
    }
  }
  const whole = [
    ['`node -e 0`', [process.execPath, '-e', '0'], cold],
    ['`analyze` 4 KB, no cache', [process.execPath, cli, 'analyze', log], cold],
    ['`analyze` 4 KB, cache warm', [process.execPath, cli, 'analyze', log], warm],
    ['`analyze --engine hyperscan` 4 KB, cache warm', [process.execPath, cli, 'analyze', log, '--engine', 'hyperscan'], warm],
    ['`test` of one line, cache warm', [process.execPath, cli, 'test', oneLine], warm],
    ['`test` (self-test, both engines), cache warm', [process.execPath, cli, 'test'], warm],
  ];
  for (const [label, argv, env] of whole) {
    const n = label.includes('self-test') ? Math.min(runs, 3) : runs;
    const samples = Array.from({ length: n }, () => timed(argv, env));
    rows.push([label, median(samples.map((s) => s.cpu)), median(samples.map((s) => s.wall))]);
  }
  const md = ['| stage | CPU ms | wall ms |', '|---|---|---|', ...rows.map(([l, c, w]) => `| ${l} | ${c.toFixed(0)} | ${w.toFixed(0)} |`)].join('\n');
  process.stdout.write(md + '\n');
  if (mdAt >= 0) writeFileSync(args[mdAt + 1], md + '\n');
  rmSync(work, { recursive: true, force: true });
}

await main();
