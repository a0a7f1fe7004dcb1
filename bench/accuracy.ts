// Recognition accuracy of the default catalog on one corpus file, each sample analyzed as
// `analyze` reads it (records through LogAnalyzer; the type it lists first). Format: see
// test/fixtures/real-failures/README.md). Prints every miss, the score per type and overall.
//   npx tsx bench/accuracy.ts FILE [--quiet]
import { defaultCatalog } from '../src/catalog/index.js';
import { loadCorpusFile, score } from '../test/corpus.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: tsx bench/accuracy.ts CORPUS_FILE [--quiet]\n');
  process.exit(2);
}
const samples = loadCorpusFile(file);
const { correct, misses } = score(defaultCatalog(), samples);
if (!process.argv.includes('--quiet')) {
  for (const m of misses) console.log(`MISS ${m.line} expect ${m.expect} got ${m.got}: ${m.text.split('\n').slice(0, 3).join(' ⏎ ').slice(0, 220)}`);
}
const perType = new Map<string, [number, number]>();
for (const s of samples) {
  const t = perType.get(s.expect) ?? [0, 0];
  t[1]++;
  if (!misses.some((m) => m.line === s.line)) t[0]++;
  perType.set(s.expect, t);
}
for (const [type, [c, n]] of [...perType].sort()) console.log(`${type.padEnd(18)} ${c}/${n}`);
console.log(`accuracy ${correct}/${samples.length} = ${((100 * correct) / samples.length).toFixed(1)}%`);
