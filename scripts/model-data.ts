// The labelled data the type model learns from, gathered in one deterministic order:
// the catalog's match samples (labelled with the type the catalog decides for them), the
// real-failure corpus, the training files (test/fixtures/training/), the dev held-out sets,
// and a benign class (the catalog's near-miss samples, generated normal traffic that no
// pattern flags, and the training files' `none` samples). A held-out set is blind until it has
// been measured once, on arrival; after that it is a dev set the model learns from. The blind
// sets are listed separately, for quiet totals only: no model is ever trained on them; nor on
// the held-out families (test/fixtures/families/), which measure the model on stacks it never saw.
// `npx tsx scripts/model-data.ts --check` compares each training and family file's labels with
// the catalog.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { TYPE_DEFS } from '../src/catalog/types-def.js';
import { classifyText } from '../src/diagnosis/classify.js';
import { generateLogSync } from '../src/genlog.js';
import { loadCorpusFile } from '../test/corpus.js';

export interface ModelSample {
  /** catalog | benign | real | training/FILE | dev-a … | blind-c … */
  set: string;
  /** A type name; '' for the benign class. */
  label: string;
  text: string;
  /** Where the sample starts in its corpus file, for the samples read from one. */
  line?: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TRAINING_DIR = join(ROOT, 'test/fixtures/training');
export const FAMILIES_DIR = join(ROOT, 'test/fixtures/families');
export const DEV_SETS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q'];
export const BLIND_SETS = ['r', 's', 'u', 'v'];

/** Lines that differ only in numbers and ids count once. */
const shape = (line: string) => line.replace(/[0-9a-f]*[0-9][0-9a-f]*/gi, '0');

export function modelSamples(): { train: ModelSample[]; dev: ModelSample[]; blind: ModelSample[] } {
  const catalog = defaultCatalog();
  const typed = (text: string) => classifyText(catalog, text)?.type;
  const train: ModelSample[] = [];
  for (const p of catalog.patterns) {
    if (p.refines) continue; // their samples are whole records of another type
    for (const text of p.match) {
      const label = typed(text);
      if (label) train.push({ set: 'catalog', label, text });
    }
    for (const text of p.noMatch) if (!typed(text)) train.push({ set: 'benign', label: '', text });
  }
  for (const text of normalTraffic()) if (!typed(text)) train.push({ set: 'benign', label: '', text });
  const realDir = join(ROOT, 'test/fixtures/real-failures');
  for (const file of readdirSync(realDir).filter((f) => f.endsWith('.txt')).sort()) {
    for (const s of loadCorpusFile(join(realDir, file))) train.push({ set: 'real', label: s.expect, text: s.text });
  }
  for (const { samples } of trainingFiles()) train.push(...samples);
  const heldOut = (sets: string[], kind: string) =>
    sets.flatMap((x) => loadCorpusFile(join(ROOT, `test/fixtures/held-out/blind-${x}.txt`)).map((s) => ({ set: `${kind}-${x}`, label: s.expect, text: s.text })));
  return { train, dev: heldOut(DEV_SETS, 'dev'), blind: heldOut(BLIND_SETS, 'blind') };
}

/**
 * The training files, in name order: corpus files in the held-out sets' format
 * (test/fixtures/real-failures/README.md) whose `## expect: none` blocks are healthy lines that
 * only look alarming; those join the benign class (label '').
 */
export function trainingFiles(dir = TRAINING_DIR, set = 'training'): { file: string; samples: ModelSample[] }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => ({
      file,
      samples: loadCorpusFile(join(dir, file)).map((s) => ({ set: `${set}/${file}`, label: s.expect === 'none' ? '' : s.expect, text: s.text, line: s.line })),
    }));
}

export interface LabelCheck {
  file: string;
  samples: number;
  benign: number;
  /** The catalog gives the sample its label (benign: the catalog flags nothing). */
  agree: number;
  /** Failures the catalog misses: what the model is for. */
  untyped: number;
  /** The catalog types the sample differently: a mislabel or a catalog gap, for a person to judge. */
  differ: { line: number; label: string; catalog: string; text: string }[];
  /** Labels that name no type. */
  unknown: { line: number; label: string }[];
}

/** The held-out families: read as training files are, never trained on. */
export const familyFiles = () => trainingFiles(FAMILIES_DIR, 'family');

/** Each training (or family) file's labels against the catalog's answers. */
export function checkTrainingLabels(dir = TRAINING_DIR): LabelCheck[] {
  const catalog = defaultCatalog();
  const names = new Set(catalog.types.map((t) => t.name));
  return trainingFiles(dir).map(({ file, samples }) => {
    const check: LabelCheck = { file, samples: samples.length, benign: 0, agree: 0, untyped: 0, differ: [], unknown: [] };
    for (const s of samples) {
      const line = s.line ?? 0;
      if (!s.label) check.benign++;
      if (s.label && !names.has(s.label)) {
        check.unknown.push({ line, label: s.label });
        continue;
      }
      const got = classifyText(catalog, s.text)?.type ?? '';
      if (got === s.label) check.agree++;
      else if (!got) check.untyped++;
      else check.differ.push({ line, label: s.label || 'none', catalog: got, text: s.text });
    }
    return check;
  });
}

/**
 * Each type's own description (src/catalog/types-def.ts), its parts split at `:` and `,` so
 * each phrase ("a full disk or filesystem", "an exceeded disk quota") is a sample of the type:
 * the vocabulary of a type as its definition words it, beyond the wordings samples show.
 */
export function descriptionSamples(): ModelSample[] {
  return TYPE_DEFS.flatMap((t) =>
    [t.description, ...t.description.split(/[:;,]|\band\b/)].map((p) => p.trim()).filter((p) => p.split(/\s+/).filter((w) => !/^(?:a|an|the)$/i.test(w)).length >= 2).map((text) => ({ set: 'types', label: t.name, text })),
  );
}

/** One line of each shape of generated normal traffic (a fixed seed, so the same lines every time). */
function normalTraffic(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'logmedic-model-'));
  try {
    const log = join(dir, 'normal.log');
    generateLogSync(log, { sizeBytes: 400_000, seed: 7, errorRate: 0, nearMissRate: 0.05, writeTruth: false });
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const key = shape(line);
      if (line.trim() && !seen.has(key)) {
        seen.add(key);
        lines.push(line);
      }
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--check')) {
  const checks = [...checkTrainingLabels(), ...checkTrainingLabels(FAMILIES_DIR).map((c) => ({ ...c, file: `families/${c.file}` }))];
  console.log('| training or family file | samples | none | catalog agrees | failures the catalog misses | catalog types differently | unknown labels |');
  console.log('|---|---|---|---|---|---|---|');
  for (const c of checks) console.log(`| ${c.file} | ${c.samples} | ${c.benign} | ${c.agree} | ${c.untyped} | ${c.differ.length} | ${c.unknown.length} |`);
  for (const c of checks) {
    for (const u of c.unknown) console.log(`${c.file}:${u.line}: unknown type ${u.label}`);
    for (const d of c.differ) console.log(`${c.file}:${d.line}: labelled ${d.label}, catalog ${d.catalog}: ${d.text.split('\n').join(' ⏎ ').slice(0, 160)}`);
  }
  process.exit(checks.some((c) => c.unknown.length) ? 1 : 0);
}
