// Writes the default catalog as the in-core benchmark reads it (one pattern a line:
// `typeIndex<TAB>corePriority<TAB>pattern`, refiners left out — they only re-type records):
//   npx tsx bench/catalog-tsv.ts > /tmp/catalog.tsv
//   cargo run --release -p logmedic-core --example analyze_bench -- /tmp/catalog.tsv LOG ab 7 2
import { corePriority, defaultCatalog } from '../src/catalog/index.js';

const catalog = defaultCatalog();
const typeIndex = new Map(catalog.types.map((t, i) => [t.name, i]));
const lines: string[] = [];
for (const p of catalog.patterns) {
  if (p.refines) continue;
  const t = typeIndex.get(p.type)!;
  const typePriority = catalog.types[t].priority;
  lines.push(`${t}\t${corePriority(p.priority ?? typePriority, typePriority)}\t${p.pattern}`);
}
process.stdout.write(lines.join('\n') + '\n');
