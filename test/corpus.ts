// Loader for labelled failure corpora (format: test/fixtures/real-failures/README.md) and
// their score against a catalog. Shared by the accuracy tests and bench/accuracy.ts.
import { readFileSync } from 'node:fs';
import type { Catalog } from '../src/catalog/index.js';
import { classifyText } from '../src/diagnosis/classify.js';

export interface Sample {
  line: number;
  expect: string;
  text: string;
}

export function loadCorpusFile(path: string): Sample[] {
  const samples: Sample[] = [];
  let expect: string | undefined;
  let record: { line: number; text: string[] } | undefined;
  let inRecord = false;
  const flush = () => {
    if (record && expect) samples.push({ line: record.line, expect, text: record.text.join('\n') });
    record = undefined;
    inRecord = false;
  };
  readFileSync(path, 'utf8').split('\n').forEach((raw, i) => {
    const header = /^## expect: (\w+)\s*$/.exec(raw);
    if (header) {
      flush();
      expect = header[1];
    } else if (raw === '## record') {
      flush();
      inRecord = true;
    } else if (raw.startsWith('## ')) {
      // comment
    } else if (raw.trim() === '') {
      flush();
    } else if (inRecord) {
      (record ??= { line: i + 1, text: [] }).text.push(raw);
    } else if (expect) {
      samples.push({ line: i + 1, expect, text: raw });
    }
  });
  flush();
  return samples;
}

export function score(catalog: Catalog, samples: Sample[]): { correct: number; misses: Array<Sample & { got: string }> } {
  const misses: Array<Sample & { got: string }> = [];
  for (const s of samples) {
    const got = classifyText(catalog, s.text)?.type ?? 'none';
    if (got !== s.expect) misses.push({ ...s, got });
  }
  return { correct: samples.length - misses.length, misses };
}

/**
 * Let the event loop turn before a long synchronous test: ava hears of finished tests
 * through it, and counts a file whose tests never yield as silent (its timeout).
 */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
