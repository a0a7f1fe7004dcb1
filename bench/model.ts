// The type model, compared by measurement. Each technique is trained on the catalog's
// samples, the real-failure corpus and the benign class, then every dev held-out sample is
// classified by the model alone (as if the catalog had missed it): accuracy, calibration
// (reliability bins, expected calibration error) and how often it types loghub-2k lines,
// which are mostly healthy. Then catalog + shipped model against catalog alone.
//   npx tsx bench/model.ts [--blind]     (--blind adds the blind sets' totals, nothing else)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { classifyText } from '../src/diagnosis/classify.js';
import { native } from '../src/native.js';
import { inferUnrecognised, typedGroups, SHOW_INFERRED_FROM } from '../src/diagnosis/inferred.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import { type ModelSample, modelSamples } from '../scripts/model-data.js';

const LOGHUB = fileURLToPath(new URL('../../shared/data/loghub-2k/', import.meta.url));
const { train, dev, blind } = modelSamples();
const labelled = (s: ModelSample[]) => s.map(({ text, label }) => ({ text, label }));

interface Scored {
  accuracy: number;
  ece: number;
  bins: { lo: number; n: number; confidence: number; accuracy: number }[];
}

function score(model: Buffer, samples: ModelSample[]): Scored {
  const answers = native.inferTypesSync(samples.map((s) => s.text), model);
  const bins = Array.from({ length: 10 }, (_, i) => ({ lo: i / 10, n: 0, confidence: 0, accuracy: 0 }));
  let correct = 0;
  answers.forEach((a, i) => {
    const ok = (a.type ?? '') === samples[i].label;
    if (ok) correct++;
    const bin = bins[Math.min(9, Math.floor(a.confidence * 10))];
    bin.n++;
    bin.confidence += a.confidence;
    bin.accuracy += ok ? 1 : 0;
  });
  let ece = 0;
  for (const b of bins) {
    if (b.n === 0) continue;
    ece += (b.n / samples.length) * Math.abs(b.accuracy / b.n - b.confidence / b.n);
    b.confidence /= b.n;
    b.accuracy /= b.n;
  }
  return { accuracy: correct / samples.length, ece, bins };
}

/** loghub-2k raw lines, all 16 systems. */
function loghubContents(): string[] {
  if (!existsSync(LOGHUB)) return [];
  const out: string[] = [];
  for (const system of readdirSync(LOGHUB).sort()) {
    const log = join(LOGHUB, system, `${system}_2k.log`);
    if (!existsSync(log)) continue;
    for (const line of readFileSync(log, 'utf8').split('\n')) if (line.trim()) out.push(line);
  }
  return out;
}
const loghub = loghubContents();
const typedShare = (model: Buffer, texts: string[], min: number) =>
  texts.length ? native.inferTypesSync(texts, model).filter((a) => a.type && a.confidence >= min).length / texts.length : NaN;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const candidates = [
  { technique: 'naive-bayes', dimsLog2: 14 },
  { technique: 'centroid', dimsLog2: 14 },
  { technique: 'logistic', dimsLog2: 12 },
  { technique: 'logistic', dimsLog2: 14 },
  { technique: 'logistic', dimsLog2: 16 },
];
console.log(`train ${train.length} samples (${train.filter((s) => !s.label).length} benign), dev ${dev.length}, loghub-2k ${loghub.length} lines`);
console.log('| technique | buckets | model bytes | dev accuracy (model alone) | ECE | loghub lines typed (≥0.5 / ≥0.9) | train ms |');
console.log('|---|---|---|---|---|---|---|');
for (const c of candidates) {
  const t0 = process.hrtime.bigint();
  const model = native.trainTypeModelSync(labelled(train), { ...c, seed: 17, epochs: 12, folds: 5 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const s = score(model, dev);
  console.log(`| ${c.technique} | 2^${c.dimsLog2} | ${model.length} | ${pct(s.accuracy)} | ${s.ece.toFixed(3)} | ${pct(typedShare(model, loghub, 0.5))} / ${pct(typedShare(model, loghub, 0.9))} | ${ms.toFixed(0)} |`);
  if (c.technique === 'logistic' && c.dimsLog2 === 12) {
    console.log('  reliability (logistic 2^12): ' + s.bins.filter((b) => b.n).map((b) => `[${b.lo.toFixed(1)}, ${(b.lo + 0.1).toFixed(1)}) n=${b.n} conf ${b.confidence.toFixed(2)} acc ${b.accuracy.toFixed(2)}`).join('; '));
  }
}

// Catalog alone vs catalog + model, per dev set: a sample the catalog types keeps its type;
// one it misses takes the model's type when the model is at least `min` confident.
const catalog = defaultCatalog();
const heldOutModel = native.trainTypeModelSync(labelled(train), { technique: 'logistic', dimsLog2: 12, seed: 17, epochs: 12, folds: 5 });
function lift(samples: ModelSample[], model: Buffer, min: number) {
  const byCatalog = samples.map((s) => classifyText(catalog, s.text)?.type ?? '');
  const missed = samples.map((s, i) => (byCatalog[i] ? '' : s.text));
  const answers = native.inferTypesSync(missed, model);
  let alone = 0;
  let both = 0;
  samples.forEach((s, i) => {
    if (byCatalog[i] === s.label) alone++;
    const inferred = !byCatalog[i] && answers[i].type && answers[i].confidence >= min ? answers[i].type : '';
    if ((byCatalog[i] || inferred) === s.label) both++;
  });
  return { alone, both, n: samples.length };
}
const lifts = (samples: ModelSample[], model: Buffer) => {
  const [a, b] = [0.5, SHOW_INFERRED_FROM].map((min) => lift(samples, model, min));
  return `${a.alone}/${a.n} → ${a.both}/${a.n} (≥0.5), ${b.both}/${b.n} (≥${SHOW_INFERRED_FROM})`;
};
console.log('\ncatalog alone → catalog + model (trained without the dev sets), model answers at a confidence of at least:');
for (const set of [...new Set(dev.map((s) => s.set))]) console.log(`  ${set}: ${lifts(dev.filter((s) => s.set === set), heldOutModel)}`);
if (process.argv.includes('--blind')) {
  const shipped = readFileSync(fileURLToPath(new URL('../crates/logmedic-core/src/model/types.lmtm', import.meta.url)));
  console.log('blind sets, totals only (shipped model, trained on the dev sets too):');
  for (const set of [...new Set(blind.map((s) => s.set))]) console.log(`  ${set}: ${lifts(blind.filter((s) => s.set === set), shipped)}`);
}

// loghub-2k as `analyze` sees it: error-level templates no pattern matched, and those the
// shipped model types (confidence ≥ SHOW_INFERRED_FROM) — new flagged lines beyond the catalog's.
if (process.argv.includes('--loghub') && existsSync(LOGHUB)) {
  console.log('\nloghub-2k: unrecognised error-level templates → typed by the model (lines)');
  let typedLines = 0;
  for (const system of readdirSync(LOGHUB).sort()) {
    const log = join(LOGHUB, system, `${system}_2k.log`);
    if (!existsSync(log)) continue;
    const d = inferUnrecognised(await new LogAnalyzer({ catalog }).diagnoseFromLogs([log]));
    const groups = d.unrecognised?.templates ?? [];
    const typed = typedGroups(d);
    typedLines += typed.reduce((n, g) => n + g.count, 0);
    if (groups.length) console.log(`  ${system}: ${groups.length} → ${typed.length} (${typed.reduce((n, g) => n + g.count, 0)} lines)`);
    for (const g of typed) console.log(`    ${g.count}× inferred ${g.inferred.type} ${g.inferred.confidence}: ${g.example.slice(0, 140)}`);
  }
  console.log(`  lines newly flagged as an inferred type: ${typedLines} of ${loghub.length}`);
}
