// The type model, compared by measurement. Each technique is trained on the catalog's
// samples, the real-failure corpus and the benign class, then every dev held-out sample is
// classified by the model alone (as if the catalog had missed it): accuracy, calibration
// (reliability bins, expected calibration error) and how often it types loghub-2k lines,
// which are mostly healthy. Then catalog + shipped model against catalog alone.
// `--loso` compares feature and training options leave-one-set-out instead: for each dev set,
// a model trained on everything but that set (the other dev sets included) classifies it alone,
// which is how the model meets wording it never saw; the pooled answers give the accuracy, the
// calibration and the precision curve that chooses SHOW_INFERRED_FROM.
// `--files` (also printed by `--loso`, for the options LOSO_ONLY names or the shipped ones)
// leaves one training file (test/fixtures/training/) out at a time: a model trained without it (and, with `--unseen`, without near copies of its
// wording) types its samples, catalog alone against catalog + model: the closest proxy for
// stacks whose wording the model never saw.
// `--path` measures what reaches the model on the users' path (LogAnalyzer: only error-level
// lines outside every record are grouped and typed).
// `--families` scores the held-out families (test/fixtures/families/, never trained on) with
// the shipped model: catalog alone against catalog + model, and the healthy lines typed.
// `--benign` weighs the benign class's parts: trained without each, what the left-out training
// files' catalog misses and loghub-2k's unrecognised templates get typed.
//   npx tsx bench/model.ts [--blind] [--loso [--unseen]] [--files [--unseen]] [--families] [--benign] [--path] [--loghub]
//   (--blind adds the blind sets' totals, nothing else)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { classifyText } from '../src/diagnosis/classify.js';
import { native } from '../src/native.js';
import { SHOW_INFERRED_FROM } from '../src/diagnosis/inferred.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import { type ModelSample, descriptionSamples, familyFiles, modelSamples, trainingFiles } from '../scripts/model-data.js';
import { SHIPPED_OPTIONS } from '../scripts/train-model.js';

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
/** loghub-2k's Unrecognised groups as `analyze` makes them (error-level lines outside every record), all 16 systems in name order, each with its system. */
async function loghubGroups(): Promise<{ system: string; count: number; example: string }[]> {
  const out: { system: string; count: number; example: string }[] = [];
  if (!existsSync(LOGHUB)) return out;
  const catalog = defaultCatalog();
  for (const system of readdirSync(LOGHUB).sort()) {
    const log = join(LOGHUB, system, `${system}_2k.log`);
    if (!existsSync(log)) continue;
    for (const g of (await new LogAnalyzer({ catalog }).diagnoseFromLogs([log])).unrecognised?.templates ?? []) out.push({ system, count: g.count, example: g.example });
  }
  return out;
}
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
if (process.argv.includes('--path')) {
  usersPath();
  process.exit(0);
}
if (process.argv.includes('--loso')) {
  await leaveOneSetOut();
  for (const { name, ...options } of fileVariants()) leaveOneFileOut(name, options);
  process.exit(0);
}
if (process.argv.includes('--support')) {
  await supportFloors();
  process.exit(0);
}
if (process.argv.includes('--files')) {
  for (const { name, ...options } of fileVariants()) leaveOneFileOut(name, options);
  process.exit(0);
}
if (process.argv.includes('--families')) {
  heldOutFamilies();
  process.exit(0);
}
if (process.argv.includes('--benign')) {
  await benignClass();
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
const heldOutModel = native.trainTypeModelSync(labelled(train), SHIPPED_OPTIONS);
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
// committed model (crates/logmedic-core/src/model/types.lmtm, what `npm run train` wrote) types
// at each confidence — new flagged lines beyond the catalog's.
if (process.argv.includes('--loghub') && existsSync(LOGHUB)) {
  const committed = readFileSync(fileURLToPath(new URL('../crates/logmedic-core/src/model/types.lmtm', import.meta.url)));
  const steps = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
  const curve = steps.map(() => ({ templates: 0, lines: 0 }));
  // LOGHUB_FROM=0.5 lists the templates typed from a lower confidence than the shown one.
  const listFrom = Number(process.env.LOGHUB_FROM ?? SHOW_INFERRED_FROM);
  console.log(`\nloghub-2k: unrecognised error-level templates → typed by the committed model at ≥ ${listFrom} (lines)`);
  const all = await loghubGroups();
  const answers = native.inferTypesSync(all.map((g) => g.example), committed);
  steps.forEach((t, k) =>
    answers.forEach((a, i) => {
      if (a.type && a.confidence >= t) {
        curve[k].templates++;
        curve[k].lines += all[i].count;
      }
    }),
  );
  for (const system of new Set(all.map((g) => g.system))) {
    const answered = all.map((g, i) => ({ g, a: answers[i] })).filter(({ g }) => g.system === system);
    const typed = answered.filter(({ a }) => a.type && a.confidence >= listFrom);
    console.log(`  ${system}: ${answered.length} → ${typed.length} (${typed.reduce((n, x) => n + x.g.count, 0)} lines)`);
    for (const { g, a } of typed) console.log(`    ${g.count}× inferred ${a.type} ${a.confidence.toFixed(3)}: ${g.example.slice(0, 140)}`);
  }
  console.log(`  of ${all.length} templates, typed at ≥ t (templates, lines): ${steps.map((t, k) => `${t}: ${curve[k].templates}, ${curve[k].lines}`).join('; ')}`);
}

/** Training options compared leave-one-set-out; the first is the baseline. */
interface Variant extends Record<string, unknown> {
  name: string;
}
function looVariants(): Variant[] {
  const base = { technique: 'logistic', dimsLog2: 12, seed: 17, epochs: 12, folds: 5 };
  const all = ['char5', 'subwords', 'shapes'];
  return [
    { name: 'words + char 3-4 (2^12)', ...base },
    { name: 'shipped', ...SHIPPED_OPTIONS },
    { name: '+ char 5', ...base, features: ['char5'] },
    { name: '+ subwords', ...base, features: ['subwords'] },
    { name: '+ shapes', ...base, features: ['shapes'] },
    { name: '+ balanced', ...base, balance: true },
    { name: '+ type descriptions', ...base, descriptions: true },
    { name: '+ all three', ...base, features: all },
    { name: '+ all three, balanced', ...base, features: all, balance: true },
    { name: '+ all three, balanced, descriptions', ...base, features: all, balance: true, descriptions: true },
    { name: '+ all three, balanced, 2^13', ...base, features: all, balance: true, dimsLog2: 13 },
    { name: '+ all three, balanced, 2^14', ...base, features: all, balance: true, dimsLog2: 14 },
    { name: '+ all three, balanced, 2^15', ...base, features: all, balance: true, dimsLog2: 15 },
    { name: '+ all three, balanced, 2^14, 24 epochs', ...base, features: all, balance: true, dimsLog2: 14, epochs: 24 },
    { name: '+ all three, balanced, 6 epochs', ...base, features: all, balance: true, epochs: 6 },
    { name: '+ all three, balanced, 24 epochs', ...base, features: all, balance: true, epochs: 24 },
  ].filter((v) => !process.env.LOSO_ONLY || process.env.LOSO_ONLY.split('|').some((x) => v.name === x.trim()));
}

/** The options `--files` compares: the shipped ones, or those LOSO_ONLY names. */
function fileVariants(): Variant[] {
  return process.env.LOSO_ONLY ? looVariants() : looVariants().filter((v) => v.name === 'shipped');
}

/** Lowercased words with numbers folded: what "the same wording" compares. */
function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().replace(/[0-9]+/g, '0').split(/[^a-z0-9_]+/).filter((w) => w.length > 1));
}
/**
 * With `--unseen`, a held-out set is also kept away from every training sample that shares
 * most of its words (Jaccard ≥ 0.5) with one of its samples: catalog samples were written for
 * wording the dev sets showed, so without this the held-out set is partly seen, and a
 * less-covered stack's wording is not.
 */
function unseen(): boolean {
  return process.argv.includes('--unseen');
}
function withoutNearCopies(pool: ModelSample[], held: ModelSample[]): ModelSample[] {
  if (!unseen()) return pool;
  const heldWords = held.map((s) => wordsOf(s.text));
  return pool.filter((s) => {
    const w = wordsOf(s.text);
    return !heldWords.some((h) => {
      let common = 0;
      for (const x of w) if (h.has(x)) common++;
      return common / (w.size + h.size - common || 1) >= 0.5;
    });
  });
}

/** Each dev set classified by a model trained without it; answers pooled in set order. */
function looAnswers({ descriptions, ...options }: Record<string, unknown>) {
  const extra = descriptions ? descriptionSamples() : [];
  const sets = [...new Set(dev.map((s) => s.set))];
  const out: { set: string; label: string; type: string | null; likeliest: string | null; confidence: number; support: number | null }[] = [];
  let bytes = 0;
  let dropped = 0;
  for (const set of sets) {
    const held = dev.filter((s) => s.set === set);
    const pool = [...train, ...extra, ...dev.filter((s) => s.set !== set)];
    const rest = withoutNearCopies(pool, held);
    const model = native.trainTypeModelSync(labelled(rest), options);
    bytes = model.length;
    dropped += pool.length - rest.length;
    native.inferTypesSync(held.map((s) => s.text), model).forEach((a, i) =>
      out.push({ set, label: held[i].label, type: a.type ?? null, likeliest: a.likeliest ?? null, confidence: a.confidence, support: a.support ?? null }),
    );
  }
  return { answers: out, bytes, dropped: Math.round(dropped / sets.length) };
}

type LooAnswer = ReturnType<typeof looAnswers>['answers'][number];
/** Answers typed at a confidence of at least `min`, and how many of them are right. */
function atLeast(answers: LooAnswer[], min: number) {
  const shown = answers.filter((a) => a.type && a.confidence >= min);
  return { shown: shown.length, right: shown.filter((a) => a.type === a.label).length };
}
/**
 * The shown confidence, by measurement: the lowest `t` (in steps of 0.01) such that from `t`
 * up, at least `precision` of the answers typed at that confidence or more are right, both
 * pooled over every held-out set and on set I alone (the least-covered set, the closest to
 * less-covered stacks).
 */
function lowestConfident(answers: LooAnswer[], precision: number): number {
  const i = answers.filter((a) => a.set === 'dev-i');
  let best = 1;
  for (let k = 99; k >= 30; k--) {
    const t = k / 100;
    const ok = [answers, i].every((xs) => {
      const { shown, right } = atLeast(xs, t);
      return shown === 0 || right / shown >= precision;
    });
    if (!ok) break;
    best = t;
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
  console.log(`leave-one-set-out over dev sets ${[...new Set(dev.map((s) => s.set))].join(', ')} (${dev.length} samples); train ${train.length} + the other dev sets${unseen() ? ', less near copies of the held-out set' : ''}`);
  console.log('| variant | model bytes | accuracy | set I | ECE | shown ≥0.9: answers, right | ≥0.5: answers, right | shown from t (≥95% right pooled and on I): answers | loghub-2k raw lines (all 32,000) typed at t |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const curves: [string, LooAnswer[]][] = [];
  for (const v of looVariants()) {
    const { name, ...options } = v;
    const { answers, bytes, dropped } = looAnswers(options);
    if (unseen()) console.log(`  (${name}: ${dropped} near copies of the held-out set kept out of training, per set on average)`);
    const acc = (xs: LooAnswer[]) => xs.filter((a) => a.type === a.label).length / xs.length;
    const i = answers.filter((a) => a.set === 'dev-i');
    const [hi, lo] = [atLeast(answers, 0.9), atLeast(answers, 0.5)];
    const t = lowestConfident(answers, 0.95);
    const atT = atLeast(answers, t);
    const { descriptions, ...trainOptions } = options;
    const full = native.trainTypeModelSync(labelled([...train, ...(descriptions ? descriptionSamples() : []), ...dev]), trainOptions);
    console.log(
      `| ${name} | ${bytes} | ${pct(acc(answers))} | ${pct(acc(i))} | ${eceOf(answers).toFixed(3)} | ${hi.shown}, ${pct(hi.right / hi.shown)} | ${lo.shown}, ${pct(lo.right / lo.shown)} | ${t}: ${atT.shown} (${pct(atT.shown / answers.length)}) | ${(typedShare(full, loghub, t) * loghub.length).toFixed(0)} |`,
    );
    curves.push([name, answers]);
  }
  console.log('\nprecision curve (answers typed at ≥ t: how many, share right), pooled leave-one-set-out; set I alone after |');
  for (const [name, answers] of curves) {
    const i = answers.filter((a) => a.set === 'dev-i');
    const row = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95].map((t) => {
      const all = atLeast(answers, t);
      const ii = atLeast(i, t);
      return `${t}: ${all.shown} ${pct(all.right / all.shown)} | I ${ii.shown} ${pct(ii.right / ii.shown)}`;
    });
    console.log(`  ${name}: ${row.join('; ')}`);
  }
}

/**
 * The support floor, by measurement: leave-one-set-out answers of the shipped options at the
 * shown confidence, kept only where a training sample of the type is at least that similar
 * (model/support.rs). SUPPORT_FROM is the highest floor, in steps of 0.05, that keeps at least
 * 98% of the right answers; the loghub-2k lines the full model types at each floor show what
 * the floor removes from healthy traffic.
 */
async function supportFloors() {
  const cat = defaultCatalog();
  const fam = familyFiles().flatMap((f) => f.samples).filter((s) => s.label && !classifyText(cat, s.text));
  const groups = await loghubGroups();
  const { answers } = looAnswers(SHIPPED_OPTIONS);
  const full = native.trainTypeModelSync(labelled([...train, ...dev]), SHIPPED_OPTIONS);
  const lh = native.inferTypesSync(groups.map((g) => g.example), full);
  const fa = native.inferTypesSync(fam.map((s) => s.text), full);
  console.log(`support floors at confidence ≥ ${SHOW_INFERRED_FROM}: leave-one-set-out over ${answers.length} dev answers (set I apart); the held-out families' ${fam.length} catalog misses (full model); loghub-2k lines typed (full model)`);
  console.log('| floor | LOSO answers, right | right kept | wrong removed | set I answers, right | families answers, right | loghub-2k lines |');
  console.log('|---|---|---|---|---|---|---|');
  const shownAt = (a: { likeliest?: string | null; confidence: number; support?: number | null }, floor: number) =>
    (a.likeliest ?? null) !== null && a.confidence >= SHOW_INFERRED_FROM && (a.support ?? 1) >= floor;
  const base = answers.filter((a) => shownAt(a, 0));
  const baseRight = base.filter((a) => a.likeliest === a.label).length;
  for (const floor of [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]) {
    const shown = answers.filter((a) => shownAt(a, floor));
    const right = shown.filter((a) => a.likeliest === a.label).length;
    const i = shown.filter((a) => a.set === 'dev-i');
    const iRight = i.filter((a) => a.likeliest === a.label).length;
    const f = fa.map((a, k) => ({ a, label: fam[k].label })).filter((x) => shownAt(x.a, floor));
    const fRight = f.filter((x) => x.a.likeliest === x.label).length;
    const lines = lh.reduce((n, a, k) => n + (shownAt(a, floor) ? groups[k].count : 0), 0);
    console.log(
      `| ${floor} | ${shown.length}, ${pct(right / shown.length)} | ${pct(right / baseRight)} | ${base.length - baseRight - (shown.length - right)} of ${base.length - baseRight} | ${i.length}, ${pct(iRight / i.length)} | ${f.length}, ${pct(fRight / f.length)} | ${lines} |`,
    );
  }
}

function usersPath() {
  /**
   * A line that reads as a failure without a level the header parser knows: an exception or
   * error class name, or a failure word. What a rule admitting more lines to the model would take.
   */
  const READS_AS_FAILURE = /\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\b|\b(?:error|fatal|failed|failure|panic|abort(?:ed)?)\b/i;
  // A narrower reading: an exception or error class name, or a status word and a colon.
  const NAMES_A_FAILURE = /\b[A-Z][a-z][A-Za-z0-9]*(?:Exception|Error)\b|\b(?:error|fatal|panic):/i;
  const never = { types: defaultCatalog().types, patterns: [{ id: 'OutOfMemory/never', type: 'OutOfMemory', pattern: '^\\x00never$', match: [], noMatch: [] }] };
  const noPatterns = new LogAnalyzer({ catalog: never as unknown as ReturnType<typeof defaultCatalog>, threads: 1 });
  const withCatalog = new LogAnalyzer({ catalog: defaultCatalog(), threads: 1 });
  const model = native.trainTypeModelSync(labelled(train), SHIPPED_OPTIONS);
  console.log('users\' path, dev sets (model trained without them): samples whose text has an error-level line the model would see if no pattern matched;');
  console.log('of the rest, those with a line that reads as a failure; then catalog alone → catalog + model through LogAnalyzer, and the model on the samples as text.');
  console.log('| set | samples | reach the model | do not, but read as a failure | catalog alone | + model via analyze ≥0.5 / ≥shown | model alone on reached: via analyze / as text (≥0.5) |');
  console.log('|---|---|---|---|---|---|---|');
  const total = { n: 0, reach: 0, failing: 0, alone: 0, viaLo: 0, viaHi: 0, pathRight: 0, textRight: 0 };
  for (const set of [...new Set(dev.map((s) => s.set))]) {
    const samples = dev.filter((s) => s.set === set);
    const row = { n: samples.length, reach: 0, failing: 0, alone: 0, viaLo: 0, viaHi: 0, pathRight: 0, textRight: 0 };
    const typeOf = (groups: { count: number; example: string }[]) => {
      if (!groups.length) return { type: null as string | null, confidence: 0 };
      const top = [...groups].sort((a, b) => b.count - a.count)[0];
      const [a] = native.inferTypesSync([top.example], model);
      return { type: a.type ?? null, confidence: a.confidence };
    };
    for (const s of samples) {
      const buf = Buffer.from(s.text.endsWith('\n') ? s.text : s.text + '\n');
      const reached = noPatterns.diagnoseFromLogsSync(buf).unrecognised?.templates ?? [];
      if (reached.length) {
        row.reach++;
        if (typeOf(reached).type === s.label && typeOf(reached).confidence >= 0.5) row.pathRight++;
        const [t] = native.inferTypesSync([s.text], model);
        if (t.type === s.label && t.confidence >= 0.5) row.textRight++;
      } else if (READS_AS_FAILURE.test(s.text)) row.failing++;
      const d = withCatalog.diagnoseFromLogsSync(buf);
      const headline = d.errors[0]?.type ?? '';
      if (headline === s.label) row.alone++;
      const inferred = headline ? null : typeOf(d.unrecognised?.templates ?? []);
      const ok = (min: number) => (headline || (inferred && inferred.confidence >= min ? inferred.type : '')) === s.label;
      if (ok(0.5)) row.viaLo++;
      if (ok(SHOW_INFERRED_FROM)) row.viaHi++;
    }
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += row[k];
    console.log(`| ${set} | ${row.n} | ${row.reach} | ${row.failing} | ${row.alone} | ${row.viaLo} / ${row.viaHi} | ${row.pathRight} / ${row.textRight} of ${row.reach} |`);
  }
  const t = total;
  console.log(`| all | ${t.n} | ${t.reach} | ${t.failing} | ${t.alone} | ${t.viaLo} / ${t.viaHi} | ${t.pathRight} / ${t.textRight} of ${t.reach} |`);

  // loghub-2k: the lines such a rule would add to the model's input (no error level, outside
  // every record, reading as a failure), and how many the shipped model would type.
  if (!existsSync(LOGHUB)) return;
  for (const [rule, reads] of [['reads as a failure', READS_AS_FAILURE], ['names a failure (class name, `error:`)', NAMES_A_FAILURE]] as const) {
  let added = 0;
  let typedLo = 0;
  let typedHi = 0;
  let samplesAdmitted = 0;
  for (const s of dev) if (READS_AS_FAILURE.test(s.text) && reads.test(s.text)) samplesAdmitted++;
  const perSystem: string[] = [];
  for (const system of readdirSync(LOGHUB).sort()) {
    const log = join(LOGHUB, system, `${system}_2k.log`);
    if (!existsSync(log)) continue;
    const lines = readFileSync(log, 'utf8').split('\n');
    const covered = new Set<number>();
    for (const r of withCatalog.extractErrorsSync(readFileSync(log), { maxRecords: 100_000 })) for (let l = r.line; l <= r.endLine; l++) covered.add(l);
    const candidates = lines.filter((line, i) => line.trim() && !covered.has(i + 1) && reads.test(line) && !(noPatterns.diagnoseFromLogsSync(Buffer.from(line + '\n')).unrecognised?.templates.length));
    const answers = native.inferTypesSync(candidates);
    const lo = answers.filter((a) => a.type && a.confidence >= 0.5).length;
    const hi = answers.filter((a) => a.type && a.confidence >= SHOW_INFERRED_FROM).length;
    added += candidates.length;
    typedLo += lo;
    typedHi += hi;
    if (candidates.length) perSystem.push(`${system} ${candidates.length} (${lo}/${hi})`);
  }
  console.log(`\nloghub-2k, lines without an error level, outside every record, that ${rule}: ${added}; the shipped model types ${typedLo} at ≥0.5, ${typedHi} at ≥${SHOW_INFERRED_FROM}`);
  console.log(`  per system (typed ≥0.5/≥shown): ${perSystem.join(', ')}`);
  console.log(`  dev samples with such a line (any line; an upper bound of what the rule admits): ${samplesAdmitted} of ${dev.length}`);
  }
}

/**
 * Each training file typed by a model trained on everything else (`options`): its
 * failures scored catalog alone → catalog + model at the shown confidence and at 0.5 (wrong
 * answers counted), its `none` lines by how many the catalog or the model would flag.
 */
function leaveOneFileOut(name: string, { descriptions, ...options }: Record<string, unknown>) {
  const files = trainingFiles();
  if (!files.length) return;
  const cat = defaultCatalog();
  console.log(`\nleave one training file out (${name}; trained on everything else${unseen() ? ', less near copies of the file' : ''}); failures: catalog alone → + model`);
  console.log(fileHeader('file'));
  const pooled: LooAnswer[] = [];
  const sum = emptyScore();
  for (const { file, samples } of files) {
    const pool = [...train.filter((s) => s.set !== `training/${file}`), ...dev];
    const extra = descriptions ? descriptionSamples() : [];
    const model = native.trainTypeModelSync(labelled(withoutNearCopies([...pool, ...extra], samples)), options);
    const answers = native.inferTypesSync(samples.map((s) => s.text), model);
    const byCatalog = samples.map((s) => classifyText(cat, s.text)?.type ?? '');
    samples.forEach((s, i) => pooled.push({ set: s.set, label: s.label, type: answers[i].type ?? null, confidence: answers[i].confidence }));
    const row = scoreFile(samples, answers, byCatalog);
    addScore(sum, row);
    console.log(fileRow(file, row));
  }
  console.log(fileRow('all', sum));
  const row = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95].map((t) => {
    const x = atLeast(pooled, t);
    return `${t}: ${x.shown} ${pct(x.right / x.shown)}`;
  });
  console.log(`  precision curve, model alone on the left-out files (answers typed at ≥ t, share right): ${row.join('; ')}`);

  // The same families half seen: every second sample of every file held out at once, typed by
  // a model trained with the other halves (less near copies with `--unseen`), then the swap.
  const all = files.flatMap((f) => f.samples);
  const halves = emptyScore();
  for (const parity of [0, 1]) {
    const held = all.filter((_, i) => i % 2 === parity);
    const key = (s: ModelSample) => `${s.set}:${s.line}`;
    const heldOut = new Set(held.map(key));
    const extra = descriptions ? descriptionSamples() : [];
    const model = native.trainTypeModelSync(labelled(withoutNearCopies([...train.filter((s) => !heldOut.has(key(s))), ...dev, ...extra], held)), options);
    const answers = native.inferTypesSync(held.map((s) => s.text), model);
    addScore(halves, scoreFile(held, answers, held.map((s) => classifyText(cat, s.text)?.type ?? '')));
  }
  const h = halves;
  const of = (x: number, n: number) => `${x} = ${pct(x / n)}`;
  console.log(`  every file half held out (the other halves trained on): ${h.n} failures, catalog alone ${of(h.alone, h.n)} → + model ≥${SHOW_INFERRED_FROM} ${of(h.hi, h.n)} (${h.hiWrong} wrong), ≥0.5 ${of(h.lo, h.n)} (${h.loWrong} wrong)`);
}

/**
 * The benign class, part by part: trained without the training files' healthy lines or without
 * the catalog's near-miss samples, how many failures the catalog misses in each left-out
 * training file are typed (right, wrong) and how many loghub-2k lines `analyze` would type.
 */
async function benignClass() {
  const cat = defaultCatalog();
  const nearMisses = new Set(cat.patterns.filter((p) => !p.refines).flatMap((p) => p.noMatch));
  const groups = await loghubGroups();
  const parts: [string, (s: ModelSample) => boolean][] = [
    ['shipped', () => true],
    ["without the training files' healthy lines", (s) => !(s.set.startsWith('training/') && !s.label)],
    ["without the catalog's near-miss samples", (s) => !(s.set === 'benign' && nearMisses.has(s.text))],
  ];
  console.log(`| benign class | samples | catalog misses in the left-out training files typed at ≥${SHOW_INFERRED_FROM}: right, wrong | at ≥0.5 | likeliest answer: right type, no type (≥${SHOW_INFERRED_FROM}), another type | loghub-2k lines typed at ≥${SHOW_INFERRED_FROM} / 0.7 / 0.5 |`);
  console.log('|---|---|---|---|---|---|');
  for (const [name, keep] of parts) {
    const kept = train.filter(keep);
    const typed = { hi: 0, hiWrong: 0, lo: 0, loWrong: 0, right: 0, none: 0, noneHi: 0, other: 0 };
    for (const { file, samples } of trainingFiles()) {
      const model = native.trainTypeModelSync(labelled([...kept.filter((s) => s.set !== `training/${file}`), ...dev]), SHIPPED_OPTIONS);
      const missed = samples.filter((s) => s.label && !classifyText(cat, s.text));
      native.inferTypesSync(missed.map((s) => s.text), model).forEach((a, i) => {
        if (!a.type) {
          typed.none++;
          if (a.confidence >= SHOW_INFERRED_FROM) typed.noneHi++;
          return;
        }
        const ok = a.type === missed[i].label;
        ok ? typed.right++ : typed.other++;
        if (a.confidence >= SHOW_INFERRED_FROM) ok ? typed.hi++ : typed.hiWrong++;
        if (a.confidence >= 0.5) ok ? typed.lo++ : typed.loWrong++;
      });
    }
    const full = native.trainTypeModelSync(labelled([...kept, ...dev]), SHIPPED_OPTIONS);
    const answers = native.inferTypesSync(groups.map((g) => g.example), full);
    const lines = (min: number) => answers.reduce((n, a, i) => n + (a.type && a.confidence >= min ? groups[i].count : 0), 0);
    console.log(`| ${name} | ${kept.length + dev.length} | ${typed.hi}, ${typed.hiWrong} | ${typed.lo}, ${typed.loWrong} | ${typed.right}, ${typed.none} (${typed.noneHi}), ${typed.other} | ${lines(SHOW_INFERRED_FROM)} / ${lines(0.7)} / ${lines(0.5)} |`);
  }
}

/** The held-out families, typed by the shipped model: failures catalog alone → + model, healthy lines flagged. */
function heldOutFamilies(): void {
  const shipped = readFileSync(fileURLToPath(new URL('../crates/logmedic-core/src/model/types.lmtm', import.meta.url)));
  const catalog = defaultCatalog();
  console.log(fileHeader('family (never trained on)'));
  // A family line that is also in the training data verbatim (a common one-liner such as
  // `ERROR:  deadlock detected`) is not unseen wording: left out, and counted.
  const trainedOn = new Set(train.map((s) => s.text));
  const sum = emptyScore();
  let seen = 0;
  for (const { file, samples: all } of familyFiles()) {
    const samples = all.filter((s) => !trainedOn.has(s.text));
    seen += all.length - samples.length;
    const answers = native.inferTypesSync(samples.map((s) => s.text), shipped);
    const row = scoreFile(samples, answers, samples.map((s) => classifyText(catalog, s.text)?.type ?? ''));
    addScore(sum, row);
    console.log(fileRow(`\`${file}\``, row));
  }
  console.log(fileRow('all', sum));
  console.log(`(${seen} family lines also in the training data verbatim left out)`);
}

type FileScore = ReturnType<typeof emptyScore>;
function emptyScore() {
  return { n: 0, alone: 0, hi: 0, hiWrong: 0, lo: 0, loWrong: 0, right: 0, none: 0, flagged: 0, typedHi: 0, typedLo: 0 };
}
function addScore(sum: FileScore, row: FileScore): void {
  for (const k of Object.keys(sum) as (keyof FileScore)[]) sum[k] += row[k];
}

/**
 * One file's samples, with the model's answer for each and the catalog's type ('' for none):
 * failures catalog alone → + model (a sample the catalog types keeps its type) at the shown
 * confidence and at 0.5, the model alone, and the healthy (`none`) lines flagged or typed.
 */
function scoreFile(samples: ModelSample[], answers: { type?: string | null; confidence: number }[], byCatalog: string[]): FileScore {
  const row = emptyScore();
  samples.forEach((s, i) => {
    const a = answers[i];
    if (!s.label) {
      row.none++;
      if (byCatalog[i]) row.flagged++;
      if (a.type && a.confidence >= SHOW_INFERRED_FROM) row.typedHi++;
      if (a.type && a.confidence >= 0.5) row.typedLo++;
      return;
    }
    row.n++;
    if ((a.type ?? '') === s.label) row.right++;
    if (byCatalog[i]) {
      if (byCatalog[i] === s.label) (row.alone++, row.hi++, row.lo++);
      return;
    }
    for (const [min, ok, bad] of [[SHOW_INFERRED_FROM, 'hi', 'hiWrong'], [0.5, 'lo', 'loWrong']] as const) {
      if (!a.type || a.confidence < min) continue;
      if (a.type === s.label) row[ok]++;
      else row[bad]++;
    }
  });
  return row;
}

function fileHeader(first: string): string {
  return `| ${first} | failures | catalog alone | + model ≥${SHOW_INFERRED_FROM} (wrong) | + model ≥0.5 (wrong) | model alone right | none lines | flagged by catalog | typed by model ≥${SHOW_INFERRED_FROM} / ≥0.5 |\n|---|---|---|---|---|---|---|---|---|`;
}

/** A row of the `fileHeader` table. */
function fileRow(name: string, r: FileScore): string {
  const of = (x: number, n: number) => `${x} = ${pct(x / n)}`;
  return `| ${name} | ${r.n} | ${of(r.alone, r.n)} | ${of(r.hi, r.n)} (${r.hiWrong}) | ${of(r.lo, r.n)} (${r.loWrong}) | ${of(r.right, r.n)} | ${r.none} | ${r.flagged} | ${r.typedHi} / ${r.typedLo} |`;
}
