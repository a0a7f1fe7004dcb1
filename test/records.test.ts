// Records split across chunk boundaries: with tiny chunks (edges fall inside tracebacks),
// 1 to 4 threads, and every way of reading (memory, pread, mmap, gzip stream), the records
// equal those of a single chunk.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LogAnalyzer, type LogRecord } from '../src/index.js';
import { tempDir } from './_tmp.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dir = tempDir('logmedic-records-');

// Every format at once, repeated so that chunk edges fall everywhere; > 10 MiB once, so
// that the mmap path is taken too.
const unit = readFileSync(join(FIXTURES, 'analyze', 'all-types.log'), 'utf8') + readFileSync(join(FIXTURES, 'sample', 'visionai.log'), 'utf8');
const small = unit.repeat(6);
const plain = join(dir, 'mixed.log');
writeFileSync(plain, small);
const gz = join(dir, 'mixed.log.gz');
writeFileSync(gz, gzipSync(small));

const key = (rs: LogRecord[]) => rs.map((r) => `${r.line}-${r.endLine} ${r.type} ${r.patternId} ${r.time ?? ''} ${r.exception ?? ''} ${r.frames.length} ${r.message}`);

const reference = key(new LogAnalyzer({ threads: 1, engine: 'regex' }).extractErrorsSync(Buffer.from(small)));

test('the reference finds every record of every repetition', (t) => {
  t.is(reference.length, 6 * 28);
});

for (const chunkBytes of [17, 333, 4096]) {
  test(`chunks of ${chunkBytes} bytes, 1..4 threads, memory/pread/gzip: the same records`, async (t) => {
    for (let threads = 1; threads <= 4; threads++) {
      const a = new LogAnalyzer({ threads, chunkBytes, engine: 'regex', mmap: false });
      t.deepEqual(key(a.extractErrorsSync(Buffer.from(small))), reference, `memory threads=${threads}`);
      t.deepEqual(key(await a.extractErrors(plain)), reference, `pread threads=${threads}`);
      t.deepEqual(key(await a.extractErrors(gz)), reference, `gzip threads=${threads}`);
    }
  });
}

test('a memory-mapped file cut into many chunks gives the records of one chunk', async (t) => {
  const big = join(dir, 'big.log');
  const reps = Math.ceil((11 << 20) / unit.length);
  writeFileSync(big, unit.repeat(reps));
  const one = await new LogAnalyzer({ threads: 1, engine: 'regex', maxSamples: 100000 }).diagnoseFromLogs(big);
  const many = await new LogAnalyzer({ threads: 4, engine: 'regex', chunkBytes: 65521, maxSamples: 100000 }).diagnoseFromLogs(big);
  const summary = (d: typeof one) => d.errors.map((e) => [e.type, e.count, e.first.line, e.last.line, e.samples.map((s) => `${s.line}-${s.endLine}`).join(',')]);
  t.deepEqual(summary(many), summary(one));
  t.is(one.errors.reduce((n, e) => n + e.count, 0), reps * 28);
});
