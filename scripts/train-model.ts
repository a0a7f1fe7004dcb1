// `npm run train`: rebuilds the shipped type model from the repository's labelled data
// (scripts/model-data.ts) — the catalog's samples, the real-failure corpus, the training files, the dev held-out
// sets and the benign class — with fixed options and seed, so the same data gives the same
// bytes. `--check` trains and compares with the committed file instead of writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { native } from '../src/native.js';
import { modelSamples } from './model-data.js';

export const MODEL_PATH = fileURLToPath(new URL('../crates/logmedic-core/src/model/types.lmtm', import.meta.url));
// Chosen leave-one-set-out (`npx tsx bench/model.ts --loso --unseen`, docs/accuracy.md): the
// extra feature sets and class balancing lift held-out sets' unseen wording. 2^15 buckets (688 KB)
// rather than 2^13: fewer collisions keep healthy error-level lines (loghub-2k's Apache mod_jk
// state reports) under the shown confidence, which lets it be 0.65.
export const SHIPPED_OPTIONS = {
  technique: 'logistic',
  dimsLog2: 15,
  seed: 17,
  epochs: 12,
  folds: 5,
  features: ['char5', 'subwords', 'shapes'],
  balance: true,
};

export function trainShipped(): Buffer {
  const { train, dev } = modelSamples();
  return native.trainTypeModelSync([...train, ...dev].map(({ text, label }) => ({ text, label })), SHIPPED_OPTIONS);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = trainShipped();
  if (process.argv.includes('--check')) {
    const same = Buffer.compare(bytes, readFileSync(MODEL_PATH)) === 0;
    console.log(same ? 'the committed model equals a fresh train' : 'the committed model differs from a fresh train: run npm run train');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(MODEL_PATH, bytes);
  console.log(`wrote ${MODEL_PATH} (${bytes.length} bytes); rebuild the addon (npm run build:native) to ship it`);
}
