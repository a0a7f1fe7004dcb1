// Writes the default catalog as the in-core benchmark reads it (one pattern a line:
// `typeIndex<TAB>own priority or empty<TAB>type priority<TAB>pattern`, refiners left out — they only re-type records):
//   npx tsx bench/catalog-tsv.ts > /tmp/catalog.tsv
//   cargo run --release -p logmedic-core --example analyze_bench -- /tmp/catalog.tsv LOG ab 7 2
import { defaultCatalog } from '../src/catalog/index.js';

const catalog = defaultCatalog();
const typeIndex = new Map(catalog.types.map((t, i) => [t.name, i]));
const lines: string[] = [];
for (const p of catalog.patterns) {
  if (p.refines) continue;
  const t = typeIndex.get(p.type)!;
  lines.push(`${t}\t${p.priority ?? ''}\t${catalog.types[t].priority}\t${p.pattern}`);
}
process.stdout.write(lines.join('\n') + '\n');
