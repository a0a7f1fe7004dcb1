// Blind held-out corpora (test/fixtures/held-out/): written by helpers who never saw the
// catalog, scored through LogAnalyzer as `analyze` reads them, measured once when they arrived — the honest accuracy on unseen wording. This
// test is a ratchet: the score may rise as the catalog learns general forms, never fall.
// Raise a floor when a change raises a score; never fit a pattern to one of these lines
// without checking it generalises (and prefer adding such a case to real-failures/).
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { loadCorpusFile, score, turn } from './corpus.js';

const DIR = fileURLToPath(new URL('./fixtures/held-out/', import.meta.url));
// Measured at arrival (2026-11-28): blind-a 191/243 = 78.6%, blind-b 178/255 = 69.8%.
// After general KeyError (index/attribute/property lookups) and leak-detector patterns: 204 and 187.
// After OutOfMemoryException/PHP/YARN memory limits and TLS verification failures: 209 and 192.
// Session 3: A and B became dev sets (their misses were studied); the new blind set D
// (278 samples, log-prefixed and wrapped messages) measured once on arrival: 233 = 83.8%.
// After crash/lock/job-time-limit/allocation/leak/GPU families and model-loading refiners: A 221, B 209.
// Blind set C (282 samples, breadth of ecosystems) measured once on arrival: 231 = 81.9%.
// After class-name fallbacks (written without looking at C or D): A 225, B 218, C 238, D 239.
// After the code/data/network/storage families (two helpers who read only A and B):
// A 243, B 255 (dev sets, tuned), C 271 = 96.1%, D 265 = 95.3% (blind: misses never read).
// Blind set F (313 samples, ML/GPU, HPC, Linux hosts, enterprise .NET/Java) on arrival: 276 = 88.2%.
// Blind set E (261 samples, web services and data pipelines) on arrival: 253 = 96.9%.
// After general forms learned from F's misses (F is now a dev set): C 272, D 269 (still blind), F 311.
// Blind set G (317 samples, ML/GPU, HPC, enterprise DB/MQ/app servers) on arrival: 277 = 87.4%;
// after forms learned from its misses (G is now a dev set): G 312, E (still blind) 254.
// Blind set H (300 samples, niche stacks: ML/GPU, HPC, storage, enterprise, network gear, mobile)
// on arrival: 260 = 86.7%.
// Session 4: forms learned from H's misses (H is now a dev set): H 299; still-blind C 274, D 270, E 255.
// Blind set I (326 samples, the least-covered stacks: embedded/IoT, VoIP, scientific computing,
// data engineering, observability, proxies, Erlang/Haskell/OCaml/COBOL…, virtualization, BSD/macOS)
// on arrival: 196 = 60.1%. Its writer read the README beyond the precedence section by mistake
// (3 samples it names as possibly exposed; 2 of them were recognised, so 194/323 = 60.1% without them).
// Forms learned from I's misses (three helpers by area, general families only; I is now a dev set):
// I 326, still-blind C 275, D 270, E 255.
// Blind set J (302 samples, a typical company's production mix: ~60% mainstream stacks), written
// after I's forms landed, its writer shown only the precedence rules: on arrival 280 = 92.7%.
// Forms learned from J's misses (J is now a dev set): J 300. Left on purpose: a PostgreSQL deadlock
// DETAIL line (its ERROR line is the record) and Ansible's undefined variable (ConfigError here).
// Blind set K (358 samples, the production mix again, same brief as J, written after J's forms
// landed): on arrival 344 = 96.1%. Its misses are NOT read: K stays blind, with C, D and E.
// Every figure above scored a sample as one blob of text; from here a sample is scored as
// `analyze` reads it (records, then the type it lists first), which is what users get:
// A 242 (243 as a blob), C 274 (275), I 322 (326), the others unchanged. The difference is
// samples whose lines are separate log entries: a context line (`Loading model from …`) is
// its own record, and two failures of equal count are ordered by their types' priority.
const FLOORS: Record<string, number> = { 'blind-a.txt': 242, 'blind-b.txt': 255, 'blind-c.txt': 274, 'blind-d.txt': 270, 'blind-e.txt': 255, 'blind-f.txt': 311, 'blind-g.txt': 313, 'blind-h.txt': 299, 'blind-i.txt': 322, 'blind-j.txt': 300, 'blind-k.txt': 344 };

const BLIND = new Set(['blind-c.txt', 'blind-d.txt', 'blind-e.txt', 'blind-k.txt']);

for (const [file, floor] of Object.entries(FLOORS)) {
  test.serial(`held-out ${file}: at least ${floor} samples recognised`, async (t) => {
    await turn();
    const samples = loadCorpusFile(DIR + file);
    t.true(samples.length >= 200, `only ${samples.length} samples`);
    const { correct, misses } = score(defaultCatalog(), samples);
    t.log(`${correct}/${samples.length} = ${((100 * correct) / samples.length).toFixed(1)}%`);
    // Misses of the blind sets are never shown (they stay blind); the dev sets' are.
    if (correct < floor && !BLIND.has(file)) for (const m of misses.slice(0, 40)) t.log(`line ${m.line}: expected ${m.expect}, got ${m.got}`);
    t.true(correct >= floor, `${correct} < ${floor}`);
  });
}
