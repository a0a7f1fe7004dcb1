// One decision path: `logmedic test`, `logmedic analyze` and `logmedic watch` give every
// catalog sample and every held-out sample the same type, because all ask the core. Checked
// per sample through the library (the self-test's classification, `analyze`'s own analyzer
// options, and the watch's assembler fed the sample in two pieces), and once through the real
// CLI on a file holding all of them.
import test from 'ava';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalog } from '../src/catalog/index.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import { classifyText } from '../src/diagnosis/classify.js';
import { validateConfig } from '../src/config/index.js';
import { RecordAssembler, classifierFor } from '../src/watch/records.js';
import { loadCorpusFile, turn } from './corpus.js';
import { runCli } from './cli/_run.js';
import { tempDir } from './_tmp.js';

const HELD_OUT = fileURLToPath(new URL('./fixtures/held-out/', import.meta.url));
const catalog = defaultCatalog();

/** Every sample, grouped by where it comes from and named by place (no text: some sets are blind). */
const groups = new Map<string, Array<{ where: string; text: string }>>();
for (const p of catalog.patterns) {
  const group = groups.get(p.type) ?? [];
  group.push(...[...p.match, ...p.noMatch].map((text, i) => ({ where: `${p.id}#${i}`, text })));
  groups.set(p.type, group);
}
for (const f of readdirSync(HELD_OUT).filter((f) => f.endsWith('.txt')).sort()) {
  groups.set(f, loadCorpusFile(join(HELD_OUT, f)).map((s) => ({ where: `${f}:${s.line}`, text: s.text })));
}
const samples = [...groups.values()].flat();

// `analyze`'s analyzer: the default engine choice, all threads, the default samples.
const analyze = new LogAnalyzer({ catalog });
// `watch`'s classifier, from a config without additions.
const watchClassify = classifierFor(validateConfig({}, undefined, process.cwd()));

/** Records per type, as `watch` reports them: the sample arrives in two pieces, then the file ends. */
function viaWatch(text: string): string {
  const buf = Buffer.from(text + '\n');
  const cut = Math.floor(buf.length / 2);
  const assembler = new RecordAssembler(() => 'sample.log', watchClassify, { offset: 0, line: 1 });
  const records = [...assembler.push(buf.subarray(0, cut)), ...assembler.push(buf.subarray(cut)), ...assembler.flushAll()];
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort().map(([type, n]) => `${type}×${n}`).join(',') || 'none';
}

test('there are samples of every type and every held-out set', (t) => {
  t.true(samples.length > 3000, `only ${samples.length} samples`);
  t.true(groups.size >= 30);
});

for (const [group, members] of groups) {
  test.serial(`test, analyze and watch give every sample of ${group} the same type`, async (t) => {
    await turn();
    const differ: string[] = [];
    for (const s of members) {
      const viaTest = classifyText(catalog, s.text)?.type ?? 'none';
      const diagnosis = analyze.diagnoseFromLogsSync(Buffer.from(s.text));
      const viaAnalyze = diagnosis.errors[0]?.type ?? 'none';
      if (viaTest !== viaAnalyze) differ.push(`${s.where}: test ${viaTest}, analyze ${viaAnalyze}`);
      const perType = diagnosis.errors.map((e) => [e.type, e.count] as const).sort().map(([type, n]) => `${type}×${n}`).join(',') || 'none';
      const watched = viaWatch(s.text);
      if (watched !== perType) differ.push(`${s.where}: analyze ${perType}, watch ${watched}`);
    }
    t.deepEqual(differ, []);
  });
}

test('the CLI: `test FILE --json` and `analyze FILE --json` report the same records per type', async (t) => {
  const file = join(tempDir('logmedic-one-decision-', t), 'all-samples.log');
  writeFileSync(file, samples.map((s) => s.text).join('\n\n') + '\n');
  const [tested, analyzed] = await Promise.all([runCli(['test', file, '--json']), runCli(['analyze', file, '--json'])]);
  t.is(tested.code, 0, tested.stderr);
  t.is(analyzed.code, 1, analyzed.stderr);
  const viaTest = Object.fromEntries((JSON.parse(tested.stdout).types as Array<{ type: string; count: number }>).map((x) => [x.type, x.count]));
  const viaAnalyze = Object.fromEntries((JSON.parse(analyzed.stdout).errors as Array<{ type: string; count: number }>).map((x) => [x.type, x.count]));
  t.true(Object.keys(viaAnalyze).length >= 20);
  t.deepEqual(viaTest, viaAnalyze);
});
