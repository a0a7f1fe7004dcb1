// The labelled data the type model learns from, gathered in one deterministic order:
// the catalog's match samples (labelled with the type the catalog decides for them), the
// real-failure corpus, the dev held-out sets, and a benign class (the catalog's near-miss
// samples and generated normal traffic that no pattern flags). The blind held-out sets are
// listed separately, for quiet totals only: no model is ever trained on them.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { TYPE_DEFS } from '../src/catalog/types-def.js';
import { classifyText } from '../src/diagnosis/classify.js';
import { generateLogSync } from '../src/genlog.js';
import { loadCorpusFile } from '../test/corpus.js';

export interface ModelSample {
  /** catalog | benign | real | dev-a … | blind-c … */
  set: string;
  /** A type name; '' for the benign class. */
  label: string;
  text: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEV_SETS = ['a', 'b', 'f', 'g', 'h', 'i', 'j'];
export const BLIND_SETS = ['c', 'd', 'e', 'k', 'l', 'm'];

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
  const heldOut = (sets: string[], kind: string) =>
    sets.flatMap((x) => loadCorpusFile(join(ROOT, `test/fixtures/held-out/blind-${x}.txt`)).map((s) => ({ set: `${kind}-${x}`, label: s.expect, text: s.text })));
  return { train, dev: heldOut(DEV_SETS, 'dev'), blind: heldOut(BLIND_SETS, 'blind') };
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
