// Recognition accuracy of the default catalog on one corpus file (format: see
// test/fixtures/real-failures/README.md). Prints the score and every miss.
//   npx tsx bench/accuracy.ts FILE [--quiet]
import { readFileSync } from 'node:fs';
import { classifyText, defaultCatalog } from '../src/catalog/index.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: tsx bench/accuracy.ts CORPUS_FILE [--quiet]\n');
  process.exit(2);
}
const quiet = process.argv.includes('--quiet');
const samples: Array<{ line: number; expect: string; text: string }> = [];
let expect: string | undefined;
let record: { line: number; text: string[] } | undefined;
let inRecord = false;
const flush = () => {
  if (record && expect) samples.push({ line: record.line, expect, text: record.text.join('\n') });
  record = undefined;
  inRecord = false;
};
readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
  const header = /^## expect: (\w+)\s*$/.exec(raw);
  if (header) return flush(), (expect = header[1]);
  if (raw === '## record') return flush(), (inRecord = true);
  if (raw.startsWith('## ')) return;
  if (raw.trim() === '') return flush();
  if (inRecord) (record ??= { line: i + 1, text: [] }).text.push(raw);
  else if (expect) samples.push({ line: i + 1, expect, text: raw });
});
flush();

const catalog = defaultCatalog();
let correct = 0;
const perType = new Map<string, [number, number]>();
for (const s of samples) {
  const got = classifyText(catalog, s.text)?.type ?? 'none';
  const t = perType.get(s.expect) ?? [0, 0];
  t[1]++;
  if (got === s.expect) (correct++, t[0]++);
  else if (!quiet) console.log(`MISS ${s.line} expect ${s.expect} got ${got}: ${s.text.split('\n').slice(0, 3).join(' ⏎ ').slice(0, 220)}`);
}
for (const [type, [c, n]] of [...perType].sort()) console.log(`${type.padEnd(18)} ${c}/${n}`);
console.log(`accuracy ${correct}/${samples.length} = ${((100 * correct) / samples.length).toFixed(1)}%`);
