#!/usr/bin/env node
// Template mining: logmedic's miner against Drain3 on the same lines (loghub-2k's 16
// systems, concatenated and repeated), one thread each, in the same run. Each answer is
// checked first: grouping accuracy per system against the loghub truth (logmedic must
// reach the floor its Rust test holds, or FAIL is printed and no time). Reports lines/s
// per thread from CPU time (user+sys of the mining alone) and the ratio; writes
// bench/results/<machine>-<date>-templates.{md,json}.
//
//   node bench/templates.mjs --python /path/to/venv/bin/python   # a Python with drain3
//   options: --repeat N (copies of the 32,000 lines, default 10)  --out DIR
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const repeat = Math.max(1, Number(args.repeat ?? 10));
const python = args.python ?? process.env.DRAIN3_PYTHON ?? 'python3';
const outDir = args.out ?? join(root, 'bench', 'results');
const loghub = join(root, '..', 'shared', 'data', 'loghub-2k');
/** The floor of crates/logmedic-core/tests/templates_loghub.rs: a faster, worse miner fails. */
const FLOOR = 0.97;

if (!existsSync(loghub)) die(`loghub-2k not found at ${loghub}`);
const { mineTemplatesSync } = await import(join(root, 'dist', 'index.js'));
const dataDir = join(root, 'bench', 'data');
mkdirSync(dataDir, { recursive: true });

// The systems, their raw lines and truth.
const systems = readdirSync(loghub, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const corpus = systems.map((name) => {
  const raw = readFileSync(join(loghub, name, `${name}_2k.log`), 'utf8').replace(/\n$/, '').split('\n');
  return { name, raw, truth: truthIds(readFileSync(join(loghub, name, `${name}_2k.log_structured.csv`), 'utf8')) };
});

// 1. Answers, per system: logmedic (one setting, raw lines) and Drain3 (defaults, raw lines).
const rows = [];
for (const s of corpus) {
  const file = join(dataDir, `templates-${s.name}.log`);
  writeFileSync(file, s.raw.join('\n') + '\n');
  const mined = mineTemplatesSync([file], { threads: 1, lineIds: true });
  const drain = runDrain3(file);
  rows.push({ system: s.name, logmedic: accuracy(mined.lineTemplates, s.truth), drain3: accuracy(drain.ids, s.truth) });
}
const mean = (k) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
const avg = { logmedic: mean('logmedic'), drain3: mean('drain3') };
for (const r of rows) log(`${r.system.padEnd(12)} logmedic ${r.logmedic.toFixed(3)}  drain3 ${r.drain3.toFixed(3)}`);
log(`${'average'.padEnd(12)} logmedic ${avg.logmedic.toFixed(3)}  drain3 ${avg.drain3.toFixed(3)}`);
if (avg.logmedic < FLOOR) die(`FAIL: logmedic's grouping accuracy ${avg.logmedic.toFixed(3)} is below ${FLOOR}; no time reported`);

// 2. Speed on the same lines, one thread each: all systems concatenated, `repeat` times.
const all = corpus.flatMap((s) => s.raw);
const big = join(dataDir, 'templates-all.log');
writeFileSync(big, Array.from({ length: repeat }, () => all.join('\n')).join('\n') + '\n');
const lines = all.length * repeat;
const before = process.cpuUsage();
const mined = mineTemplatesSync([big], { threads: 1, lineIds: true });
const used = process.cpuUsage(before);
const logmedicCpu = (used.user + used.system) / 1e6;
if (mined.lines !== lines) die(`FAIL: logmedic read ${mined.lines} lines of ${lines}`);
const drain = runDrain3(big);
if (drain.lines !== lines) die(`FAIL: Drain3 read ${drain.lines} lines of ${lines}`);
const speed = { logmedic: lines / logmedicCpu, drain3: lines / drain.cpu };
const ratio = speed.logmedic / speed.drain3;
log(`speed, ${lines} lines, one thread: logmedic ${fmt(speed.logmedic)} lines/s (${mined.templates.length} templates), Drain3 ${fmt(speed.drain3)} lines/s (${drain.clusters} clusters): ${ratio.toFixed(1)}x`);

// 3. Results.
const machine = machineName();
const date = new Date().toISOString().slice(0, 10);
mkdirSync(outDir, { recursive: true });
const result = { date, machine: machine.description, loadavg: loadavg()[0], repeat, lines, accuracy: { rows, average: avg }, speed: { ...speed, ratio, logmedicCpuS: logmedicCpu, drain3CpuS: drain.cpu }, drain3: drain.version };
const base = join(outDir, `${machine.slug}-${date}-templates`);
writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync(`${base}.md`, markdown(result));
log(`wrote ${base}.{md,json}`);

function runDrain3(file) {
  const idsFile = `${file}.drain3-ids`;
  const r = spawnSync(python, [join(root, 'bench', 'templates_drain3.py'), file, idsFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) die(`Drain3 failed (is drain3 installed for ${python}? pip install drain3): ${r.stderr.trim().split('\n').at(-1)}`);
  const out = JSON.parse(r.stdout);
  const version = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("drain3"))'], { encoding: 'utf8' }).stdout.trim();
  return { lines: out.lines, cpu: out.cpu_s, clusters: out.clusters, ids: readFileSync(idsFile, 'utf8').trimEnd().split('\n'), version };
}

/** Loghub grouping accuracy: a line is right when its predicted group is exactly its true group. */
function accuracy(predicted, truth) {
  const trueSize = new Map();
  for (const t of truth) trueSize.set(t, (trueSize.get(t) ?? 0) + 1);
  const groups = new Map();
  predicted.forEach((p, i) => (groups.get(p) ?? groups.set(p, []).get(p)).push(truth[i]));
  let right = 0;
  for (const members of groups.values()) {
    if (members.every((t) => t === members[0]) && trueSize.get(members[0]) === members.length) right += members.length;
  }
  return right / truth.length;
}

/** The EventId column of a loghub structured CSV (RFC 4180 quoting). */
function truthIds(csv) {
  const rows = csv.replace(/\n$/, '').split('\n').map(csvFields);
  const col = rows[0].indexOf('EventId');
  return rows.slice(1).map((r) => r[col]);
}

function csvFields(line) {
  const fields = [''];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && quoted && line[i + 1] === '"') {
      fields[fields.length - 1] += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) fields.push('');
    else fields[fields.length - 1] += c;
  }
  return fields;
}

function markdown(r) {
  const table = r.accuracy.rows.map((x) => `| ${x.system} | ${x.logmedic.toFixed(3)} | ${x.drain3.toFixed(3)} |`).join('\n');
  return `# Template mining: logmedic vs Drain3 (${r.date})

Machine: ${r.machine}; load average at the end ${r.loadavg.toFixed(2)}. Drain3 ${r.drain3}, default settings.
Both get raw lines and one setting for all systems.

## Grouping accuracy on loghub-2k

| system | logmedic | Drain3 |
|---|---|---|
${table}
| **average** | **${r.accuracy.average.logmedic.toFixed(3)}** | **${r.accuracy.average.drain3.toFixed(3)}** |

## Speed, one thread, CPU time (user+sys) of the mining

${r.lines} lines (loghub-2k's 16 systems, ${r.repeat} copies).

| miner | lines/s per thread | CPU s |
|---|---|---|
| logmedic | ${fmt(r.speed.logmedic)} | ${r.speed.logmedicCpuS.toFixed(2)} |
| Drain3 | ${fmt(r.speed.drain3)} | ${r.speed.drain3CpuS.toFixed(2)} |

Ratio: **${r.speed.ratio.toFixed(1)}x**.
`;
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function machineName() {
  const cpu = (cpus()[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  const cores = cpus().length;
  const slug = `${cpu.toLowerCase().replace(/\((r|tm)\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${cores}c`;
  return { slug, description: `${cpu}, ${cores} cores` };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (m) out[m[1]] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return out;
}

function log(s) {
  process.stdout.write(`${s}\n`);
}

function die(s) {
  process.stderr.write(`${s}\n`);
  process.exit(1);
}
