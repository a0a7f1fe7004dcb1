// The catalog self-test scans its one-line samples in batches, a line each; a batch must
// say for every line exactly what scanning that line alone says, in each engine.
import test from 'ava';
import { defaultCatalog } from '../src/catalog/index.js';
import { matchingPatterns, matchingPatternsPerLine } from '../src/catalog/match.js';
import { hyperscanAvailable } from '../src/scan.js';

const catalog = defaultCatalog();
const lines = [...new Set(catalog.patterns.flatMap((p) => [...p.match, ...p.noMatch]).filter((l) => l !== '' && !l.includes('\n')))];

for (const engine of ['regex', 'hyperscan'] as const) {
  test(`a batch scan matches each sample line as a scan of it alone (${engine})`, (t) => {
    if (engine === 'hyperscan' && !hyperscanAvailable()) return t.pass('libhs is not installed');
    t.true(lines.length > 1000);
    const batched = matchingPatternsPerLine(catalog, lines, { engine });
    t.is(batched.length, lines.length);
    const differ = lines.filter((line, i) => batched[i].join(',') !== matchingPatterns(catalog, line, { engine }).join(','));
    t.deepEqual(differ, []);
    t.true(batched.filter((m) => m.length > 0).length > lines.length / 3, 'most samples are must-match lines');
  });
}

test('a batch takes no line with a newline', (t) => {
  t.throws(() => matchingPatternsPerLine(catalog, ['one', 'two\nthree']), { instanceOf: RangeError });
  t.deepEqual(matchingPatternsPerLine(catalog, []), []);
});
