import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatternSet } from '../src/index.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-scan-');

test('counts matching lines per pattern, in input order, with exact line numbers', (t) => {
  const file = join(dir, 'a.log');
  writeFileSync(file, 'a ERROR x\nb ok\nc ERROR\r\nCUDA out of memory\n');
  const set = new PatternSet(['ERROR', 'memory$', 'x$'], { engine: 'regex' });
  const r = set.scanFileSync(file);
  t.deepEqual(r.patterns.map((p) => p.count), [2, 1, 1]);
  t.deepEqual(r.patterns[0].hits.map((h) => [h.line, h.offset, h.text]), [[1, 0, 'a ERROR x'], [3, 15, 'c ERROR']]);
  t.is(r.lines, 4);
});

test('an invalid pattern is an E_PATTERN error that names it', (t) => {
  const err = t.throws(() => new PatternSet(['ok', 'Out of (memory']));
  t.is((err as any).code, 'E_PATTERN');
  t.regex(err!.message, /Out of \(memory/);
});
