// The type model, compared by measurement. Each technique is trained on the catalog's
// samples, the real-failure corpus and the benign class, then every dev held-out sample is
// classified by the model alone (as if the catalog had missed it): accuracy, calibration
// (reliability bins, expected calibration error) and how often it types loghub-2k lines,
// which are mostly healthy. Then catalog + shipped model against catalog alone.
// `--loso` compares feature and training options leave-one-set-out instead: for each dev set,
// a model trained on everything but that set (the other dev sets included) classifies it alone,
// which is how the model meets wording it never saw; the pooled answers give the accuracy, the
// calibration and the precision curve that chooses SHOW_INFERRED_FROM.
//   npx tsx bench/model.ts [--blind] [--loso] [--loghub]
//   (--blind adds the blind sets' totals, nothing else)
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
if (process.argv.includes('--loso')) {
  await leaveOneSetOut();
  process.exit(0);
}

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

/** Training options compared leave-one-set-out; the first is the baseline. */
interface Variant extends Record<string, unknown> {
  name: string;
}
function looVariants(): Variant[] {
  const base = { technique: 'logistic', dimsLog2: 12, seed: 17, epochs: 12, folds: 5 };
  return [
    { name: 'words + char 3-4 (2^12)', ...base },
    { name: '+ char 5', ...base, features: ['char5'] },
    { name: '+ subwords', ...base, features: ['subwords'] },
    { name: '+ shapes', ...base, features: ['shapes'] },
    { name: '+ all three', ...base, features: ['char5', 'subwords', 'shapes'] },
    { name: '+ all three, balanced', ...base, features: ['char5', 'subwords', 'shapes'], balance: true },
    { name: '+ all three, 2^14', ...base, features: ['char5', 'subwords', 'shapes'], dimsLog2: 14 },
    { name: '+ all three, 2^13', ...base, features: ['char5', 'subwords', 'shapes'], dimsLog2: 13 },
    { name: '+ all three, 6 epochs', ...base, features: ['char5', 'subwords', 'shapes'], epochs: 6 },
    { name: '+ all three, 24 epochs', ...base, features: ['char5', 'subwords', 'shapes'], epochs: 24 },
  ].filter((v) => !process.env.LOSO_ONLY || v.name === 'words + char 3-4 (2^12)' || v.name.includes(process.env.LOSO_ONLY));
}

/** Each dev set classified by a model trained without it; answers pooled in set order. */
function looAnswers(options: Record<string, unknown>) {
  const sets = [...new Set(dev.map((s) => s.set))];
  const out: { set: string; label: string; type: string | null; confidence: number }[] = [];
  let bytes = 0;
  for (const set of sets) {
    const rest = [...train, ...dev.filter((s) => s.set !== set)];
    const model = native.trainTypeModelSync(labelled(rest), options);
    bytes = model.length;
    const held = dev.filter((s) => s.set === set);
    native.inferTypesSync(held.map((s) => s.text), model).forEach((a, i) => out.push({ set, label: held[i].label, type: a.type ?? null, confidence: a.confidence }));
  }
  return { answers: out, bytes };
}

type LooAnswer = ReturnType<typeof looAnswers>['answers'][number];
/** Answers typed at a confidence of at least `min`, and how many of them are right. */
function atLeast(answers: LooAnswer[], min: number) {
  const shown = answers.filter((a) => a.type && a.confidence >= min);
  return { shown: shown.length, right: shown.filter((a) => a.type === a.label).length };
}
/** The lowest confidence (in steps of 0.05) from which at least `precision` of the answers are right. */
function lowestConfident(answers: LooAnswer[], precision: number): number {
  let best = 1;
  for (let t = 0.95; t >= 0.3 - 1e-9; t -= 0.05) {
    const { shown, right } = atLeast(answers, t);
    if (shown && right / shown >= precision) best = Math.round(t * 100) / 100;
    else break;
  }
  return best;
}
function eceOf(answers: LooAnswer[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, c: 0, a: 0 }));
  for (const x of answers) {
    const b = bins[Math.min(9, Math.floor(x.confidence * 10))];
    b.n++;
    b.c += x.confidence;
    b.a += x.type === x.label ? 1 : 0;
  }
  return bins.reduce((e, b) => e + (b.n ? Math.abs(b.a - b.c) / answers.length : 0), 0);
}

async function leaveOneSetOut() {
  console.log(`leave-one-set-out over dev sets ${[...new Set(dev.map((s) => s.set))].join(', ')} (${dev.length} samples); train ${train.length} + the other dev sets`);
  console.log('| variant | model bytes | accuracy | set I | ECE | shown ≥0.9: answers, right | ≥0.5: answers, right | lowest t with ≥95% right: answers | loghub lines typed at that t |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const curves: [string, LooAnswer[]][] = [];
  for (const v of looVariants()) {
    const { name, ...options } = v;
    const { answers, bytes } = looAnswers(options);
    const acc = (xs: LooAnswer[]) => xs.filter((a) => a.type === a.label).length / xs.length;
    const i = answers.filter((a) => a.set === 'dev-i');
    const [hi, lo] = [atLeast(answers, 0.9), atLeast(answers, 0.5)];
    const t = lowestConfident(answers, 0.95);
    const atT = atLeast(answers, t);
    const full = native.trainTypeModelSync(labelled([...train, ...dev]), options);
    console.log(
      `| ${name} | ${bytes} | ${pct(acc(answers))} | ${pct(acc(i))} | ${eceOf(answers).toFixed(3)} | ${hi.shown}, ${pct(hi.right / hi.shown)} | ${lo.shown}, ${pct(lo.right / lo.shown)} | ${t}: ${atT.shown} (${pct(atT.shown / answers.length)}) | ${(typedShare(full, loghub, t) * loghub.length).toFixed(0)} |`,
    );
    curves.push([name, answers]);
  }
  console.log('\nprecision curve (answers typed at ≥ t: how many, share right), pooled leave-one-set-out; set I alone after |');
  for (const [name, answers] of curves) {
    const i = answers.filter((a) => a.set === 'dev-i');
    const row = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95].map((t) => {
      const all = atLeast(answers, t);
      const ii = atLeast(i, t);
      return `${t}: ${all.shown} ${pct(all.right / all.shown)} | I ${ii.shown} ${pct(ii.right / ii.shown)}`;
    });
    console.log(`  ${name}: ${row.join('; ')}`);
  }
}
