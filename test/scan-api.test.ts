// The TypeScript scan API over the native core: every entry point (file, buffer, stream;
// async and sync) gives the same answer, errors carry stable codes, an AbortSignal stops a
// long scan with E_ABORTED, and progress only moves forward.
import test from 'ava';
import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { PatternSet, type ScanResult } from '../src/index.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-scan-api-');

const PATTERNS = ['ERROR', '(?i)out of memory', 'took \\d{3,}ms$', '^Traceback'];

/** A log with CRLF and LF lines, a traceback, long lines; `n` blocks of it. */
function logText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(
      `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} INFO request ${i} took ${i % 1500}ms\n`,
      i % 7 === 0 ? `2024-05-01 12:00:00 ERROR CUDA out of memory (block ${i})\r\n` : `plain line ${'x'.repeat(i % 300)}\n`,
      i % 11 === 0 ? 'Traceback (most recent call last):\n  File "a.py", line 1\nMemoryError: Out Of Memory\n' : '',
    );
  }
  return parts.join('');
}

/** What matters in a result, for comparing entry points. */
function essence(r: ScanResult) {
  return {
    lines: r.lines,
    bytes: r.bytes,
    changed: r.changed,
    patterns: r.patterns.map((p) => ({ pattern: p.pattern, count: p.count, hits: p.hits.map((h) => [h.line, h.offset, h.text]) })),
  };
}

/** Reference counts: split on '\n', test each line (a trailing '\r' is not part of it). */
function referenceCounts(text: string): number[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const res = PATTERNS.map((p) => (p.startsWith('(?i)') ? new RegExp(p.slice(4), 'i') : new RegExp(p)));
  return res.map((re) => lines.filter((l) => re.test(l.endsWith('\r') ? l.slice(0, -1) : l)).length);
}

test('scanFile, scanFileSync, scanBuffer, scanBufferSync and scanStream agree', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  for (const blocks of [0, 1, 50, 60_000]) {
    const text = logText(blocks);
    const bytes = Buffer.from(text);
    const path = join(dir, `agree-${blocks}.log`);
    writeFileSync(path, bytes);
    const gz = join(dir, `agree-${blocks}.log.gz`);
    writeFileSync(gz, gzipSync(bytes));
    const opts = { maxHits: 50, chunkBytes: 4096, threads: 3 };
    const expected = essence(set.scanBufferSync(bytes, opts));
    t.deepEqual(expected.patterns.map((p) => p.count), referenceCounts(text), `reference, ${blocks} blocks`);
    t.is(expected.bytes, bytes.length);
    const results: Array<[string, ScanResult]> = [
      ['scanFile', await set.scanFile(path, opts)],
      ['scanFile mmap:false', await set.scanFile(path, { ...opts, mmap: false })],
      ['scanFile default chunks', await set.scanFile(path, { maxHits: 50 })],
      ['scanFile gzip', await set.scanFile(gz, opts)],
      ['scanFileSync', set.scanFileSync(path, opts)],
      ['scanFileSync gzip', set.scanFileSync(gz, opts)],
      ['scanBuffer', await set.scanBuffer(bytes, opts)],
      ['scanStream', await set.scanStream(Readable.from(chunks(bytes, 1000)), opts)],
    ];
    for (const [name, r] of results) t.deepEqual(essence(r), expected, `${name}, ${blocks} blocks`);
    t.is(results[0][1].source, bytes.length >= 10 << 20 ? 'mmap' : 'read');
    t.is(results[3][1].source, 'gzip');
    t.is(results[7][1].source, 'stream');
  }
});

function* chunks(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

test('errors carry stable codes through every entry point', async (t) => {
  const set = new PatternSet(['ERROR']);
  const missing = join(dir, 'missing.log');
  await t.throwsAsync(set.scanFile(missing), { code: 'E_NOT_FOUND' });
  t.throws(() => set.scanFileSync(missing), { code: 'E_NOT_FOUND' });
  await t.throwsAsync(set.scanFile(dir), { code: 'E_IS_DIRECTORY' });
  const gz = gzipSync(Buffer.from(logText(200)));
  const cut = join(dir, 'cut.gz');
  writeFileSync(cut, gz.subarray(0, gz.length - 30));
  await t.throwsAsync(set.scanFile(cut), { code: 'E_TRUNCATED' });
  t.throws(() => set.scanFileSync(cut), { code: 'E_TRUNCATED' });
  const err = t.throws(() => new PatternSet(['fine', 'broken[']), { code: 'E_PATTERN' });
  t.regex(err!.message, /broken\[/);
  t.throws(() => set.scanBufferSync(Buffer.from('x'), { threads: 0 }), { code: 'E_INVALID_ARG' });
});

// ---------------------------------------------------------------------------------------
// Abort and progress on a large file

const BIG_MB = 300;
let bigPath = '';
let bigBytes = 0;

test.before(() => {
  bigPath = join(dir, 'big.log');
  const block = Buffer.from(logText(4000));
  const fd = openSync(bigPath, 'w');
  try {
    while (bigBytes < BIG_MB << 20) bigBytes += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
});

test.serial('an AbortSignal already aborted rejects with E_ABORTED', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  const controller = new AbortController();
  controller.abort();
  await t.throwsAsync(set.scanFile(bigPath, { signal: controller.signal }), { code: 'E_ABORTED' });
});

test.serial('aborting right after the start rejects with E_ABORTED', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  for (const mmap of [true, false]) {
    const controller = new AbortController();
    const running = set.scanFile(bigPath, { signal: controller.signal, mmap, threads: 1 });
    controller.abort();
    await t.throwsAsync(running, { code: 'E_ABORTED' }, `mmap=${mmap}`);
  }
});

test.serial('aborting in the middle of a scan rejects with E_ABORTED', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  const controller = new AbortController();
  let seen = { bytes: 0, total: -1 };
  const running = set.scanFile(bigPath, {
    signal: controller.signal,
    threads: 1,
    chunkBytes: 1 << 20,
    progressIntervalMs: 1,
    onProgress: (p) => {
      if (p.bytes > 0 && !controller.signal.aborted) {
        seen = p;
        controller.abort();
      }
    },
  });
  await t.throwsAsync(running, { code: 'E_ABORTED' });
  t.true(seen.bytes > 0 && seen.bytes < bigBytes, `aborted after ${seen.bytes} of ${bigBytes} bytes`);
  t.is(seen.total, bigBytes);
});

test.serial('onProgress reports bytes that only grow, up to the total', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  const seen: number[] = [];
  const totals = new Set<number>();
  const r = await set.scanFile(bigPath, {
    threads: 1,
    chunkBytes: 1 << 20,
    progressIntervalMs: 1,
    onProgress: (p) => {
      seen.push(p.bytes);
      totals.add(p.total);
    },
  });
  // The total is unknown (-1) only until the first chunk is done.
  t.deepEqual([...totals].filter((n) => n !== -1), [bigBytes]);
  t.is(r.bytes, bigBytes);
  t.true(seen.length >= 2, `${seen.length} progress calls`);
  for (let i = 1; i < seen.length; i++) t.true(seen[i] >= seen[i - 1], `progress went back: ${seen[i - 1]} then ${seen[i]}`);
  t.is(seen.at(-1), bigBytes, 'the last call says done');
  t.true(new Set(seen).size >= 2, 'progress moved during the scan');
});

test('aborting a slow stream rejects with E_ABORTED', async (t) => {
  const set = new PatternSet(['ERROR']);
  const controller = new AbortController();
  let sent = 0;
  const slow = new Readable({
    read() {
      sent += 1;
      if (sent === 3) controller.abort();
      setTimeout(() => this.push(Buffer.from(`line ${sent} ERROR\n`)), 5);
    },
  });
  await t.throwsAsync(set.scanStream(slow, { signal: controller.signal }), { code: 'E_ABORTED' });
  t.true(slow.destroyed, 'the stream is released');
});

test.serial('a mapped file truncated during an async scan: the process lives, the result says changed', async (t) => {
  const set = new PatternSet(PATTERNS, { engine: 'regex' });
  const path = join(dir, 'shrinking.log');
  const block = Buffer.from(logText(4000));
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    while (size < 100 << 20) size += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  let truncatedAt = -1;
  const r = await set.scanFile(path, {
    threads: 1,
    chunkBytes: 1 << 20,
    progressIntervalMs: 1,
    onProgress: (p) => {
      if (truncatedAt < 0 && p.bytes > 0 && p.bytes < size) {
        truncatedAt = p.bytes;
        truncateSync(path, 4096);
      }
    },
  });
  t.true(truncatedAt > 0, 'truncated while the scan ran');
  t.is(r.source, 'mmap');
  t.true(r.changed);
  t.is(r.bytes, size, 'bytes is the size when mapped');
  t.true(r.lines < block.toString().split('\n').length * (size / block.length), 'the lost part holds no lines');
});
