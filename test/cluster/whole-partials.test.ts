// `LogAnalyzer.analyzePartial`, the whole-input partial `analyze --on` stores per file: partials
// of plain, gzip and zstd files and of a buffer, each under its file index and merged by the
// core in any order, give exactly `diagnoseFromLogs` of the same inputs; bad input is refused
// with the codes a whole analysis gives.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogAnalyzer } from '../../src/index.js';
import { ROOT } from '../cli/_run.js';
import { tempDir } from '../_tmp.js';

const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
const APP_ZST = join(ROOT, 'test', 'fixtures', 'inputs', 'app.log.zst');
const dir = tempDir('logmedic-whole-partials-');
const untimed = <T extends { elapsedMs: number }>(d: T) => ({ ...d, elapsedMs: 0 });

test('plain, gzip, zstd and a buffer: merged partials equal diagnoseFromLogs, in any order', async (t) => {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n');
  const gz = join(dir, 'rotated.log.1.gz');
  // Named .log, read as gzip: the core goes by the first bytes, as a local analyze does.
  const gzNamedPlain = join(dir, 'really-gzip.log');
  writeFileSync(gz, gzipSync(lines.slice(20).join('\n')));
  writeFileSync(gzNamedPlain, gzipSync(lines.slice(0, 25).join('\n')));
  const buffer = Buffer.from(lines.slice(10, 40).join('\n'));
  const inputs = [SAMPLE, gz, APP_ZST, gzNamedPlain];
  const analyzer = new LogAnalyzer();

  const whole = await analyzer.diagnoseFromLogs(inputs);
  const partials = await Promise.all(inputs.map((f, fileIndex) => analyzer.analyzePartial(f, { fileIndex })));
  t.deepEqual(untimed(analyzer.mergePartials([...partials].reverse(), inputs)), untimed(whole));
  t.true(whole.errors.length > 1);

  const withBuffer = await analyzer.diagnoseFromLogs([SAMPLE, buffer]);
  const bufferPartial = await analyzer.analyzePartial(buffer, { fileIndex: 1 });
  t.deepEqual(untimed(analyzer.mergePartials([bufferPartial, partials[0]], [SAMPLE, '<buffer>'])), untimed(withBuffer));
});

test('bad input: the codes a whole analysis gives', async (t) => {
  const analyzer = new LogAnalyzer();
  const cut = join(dir, 'cut.log.gz');
  const full = gzipSync(readFileSync(SAMPLE));
  writeFileSync(cut, full.subarray(0, full.length >> 1));
  const whole = await t.throwsAsync(analyzer.diagnoseFromLogs([cut]));
  await t.throwsAsync(analyzer.analyzePartial(cut), { code: (whole as Error & { code: string }).code, message: whole!.message });
  await t.throwsAsync(analyzer.analyzePartial(join(dir, 'missing.log')), { code: 'E_NOT_FOUND' });
  await t.throwsAsync(analyzer.analyzePartial(SAMPLE, { fileIndex: -1 }), { code: 'E_INVALID_ARG' });
  const aborted = new AbortController();
  aborted.abort();
  await t.throwsAsync(analyzer.analyzePartial(SAMPLE, { signal: aborted.signal }), { code: 'E_ABORTED' });
});
