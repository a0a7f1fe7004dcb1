import test from 'ava';
import type { LogRecord } from '../../src/diagnosis/types.js';
import { patternClassifier } from '../../src/watch/classify.js';
import { countNewlines, isEntryStart, RecordAssembler, type RecordMeta } from '../../src/watch/records.js';

const classify = patternClassifier([
  { type: 'OutOfMemory', pattern: '(?i)out of memory' },
  { type: 'ConnectionError', pattern: 'Connection refused' },
]);

/** A classifier that records what it was handed, to check the buffers themselves. */
function spying() {
  const calls: { text: string; meta: RecordMeta }[] = [];
  const fn = (buf: Buffer, meta: RecordMeta): LogRecord[] => {
    calls.push({ text: buf.toString(), meta });
    return classify(buf, meta);
  };
  return { calls, fn };
}

function assembler(fn = classify) {
  return new RecordAssembler(() => 'app.log', fn, { offset: 0, line: 1 });
}

test('entry starts: timestamps, syslog, levels; continuation lines are not', (t) => {
  const starts = [
    '2024-01-31 12:00:00,123 ERROR x',
    '2024-01-31T12:00:00Z x',
    '[2024-01-31 12:00:00] x',
    'Jan  1 09:00:55 host sshd[1]: x',
    '[Sun Dec 04 04:47:44 2005] [error] x',
    '081109 203615 148 INFO dfs.DataNode',
    '03-17 16:13:38.811  1702  2395 D WindowManager',
    'E0131 12:00:00.123 123 main.cc:1] x',
    'ERROR:root:something failed',
    '12:00:01 worker started',
  ];
  const continuations = [
    'Traceback (most recent call last):',
    '  File "app.py", line 3, in <module>',
    'RuntimeError: CUDA out of memory.',
    '\tat com.example.Main.run(Main.java:10)',
    'Caused by: java.io.IOException: boom',
    'During handling of the above exception, another exception occurred:',
    '',
  ];
  for (const s of starts) t.true(isEntryStart(Buffer.from(s), 0, s.length), s);
  for (const s of continuations) t.false(isEntryStart(Buffer.from(s), 0, s.length), s);
});

test('a partial last line is held until its newline arrives, then reported with its line number', (t) => {
  const a = assembler();
  t.deepEqual(a.push(Buffer.from('ok line\nCUDA out of mem')), []);
  t.deepEqual(a.flushComplete().map((r) => r.line), []); // the idle flush never cuts a partial line
  t.is(a.committedOffset, 8);
  const recs = a.push(Buffer.from('ory\n'));
  t.deepEqual(a.flushComplete().concat(recs).map((r) => [r.type, r.line, r.offset, r.message]), [['OutOfMemory', 2, 8, 'CUDA out of memory']]);
  t.is(a.committedOffset, 27);
  t.is(a.committedLine, 3);
});

test('a traceback written in pieces is handed over whole, at the next entry', (t) => {
  const spy = spying();
  const a = assembler(spy.fn);
  t.deepEqual(a.push(Buffer.from('2024-01-01 00:00:00 INFO ok\n2024-01-01 00:00:01 ERROR step failed\nTraceback (most recent call last):\n')), []);
  t.is(spy.calls.length, 1);
  t.is(spy.calls[0].text, '2024-01-01 00:00:00 INFO ok\n'); // the ERROR entry is held
  t.deepEqual(a.push(Buffer.from('  File "a.py", line 1, in f\n')), []);
  const recs = a.push(Buffer.from('RuntimeError: CUDA out of memory\n2024-01-01 00:00:02 INFO next\n'));
  t.is(spy.calls[1].text, '2024-01-01 00:00:01 ERROR step failed\nTraceback (most recent call last):\n  File "a.py", line 1, in f\nRuntimeError: CUDA out of memory\n');
  t.deepEqual(spy.calls[1].meta, { file: 'app.log', firstLine: 2, baseOffset: 28 });
  t.deepEqual(recs.map((r) => [r.type, r.line]), [['OutOfMemory', 5]]);
  t.is(a.committedLine, 6); // the INFO entry is held now
});

test('the idle flush completes the held entry; flushAll also takes a partial line', (t) => {
  const a = assembler();
  t.deepEqual(a.push(Buffer.from('2024-01-01 00:00:01 ERROR CUDA out of memory\n')), []);
  t.true(a.holdsCompleteLines);
  t.deepEqual(a.flushComplete().map((r) => r.line), [1]);
  t.deepEqual(a.push(Buffer.from('Connection refused, no newline')), []);
  t.false(a.holdsCompleteLines);
  t.deepEqual(a.flushAll().map((r) => [r.type, r.line]), [['ConnectionError', 2]]);
  t.is(a.held, 0);
  t.is(a.committedLine, 3);
});

test('logs without entry headers are not held back at all', (t) => {
  const a = assembler();
  t.deepEqual(a.push(Buffer.from('plain line\nout of memory here\n')).map((r) => r.line), [2]);
  t.is(a.held, 0);
});

test('an entry longer than the hold limit is handed on instead of held forever', (t) => {
  const a = new RecordAssembler(() => 'f', classify, { offset: 0, line: 1 }, { maxHoldBytes: 100 });
  a.push(Buffer.from('2024-01-01 00:00:01 ERROR start\n'));
  const recs = a.push(Buffer.from('  frame out of memory\n'.repeat(10)));
  t.is(recs.length, 10);
  t.is(a.held, 0);
});

test('countNewlines counts within a range', (t) => {
  const b = Buffer.from('a\nb\n\nc');
  t.is(countNewlines(b), 3);
  t.is(countNewlines(b, 2), 2);
  t.is(countNewlines(b, 0, 2), 1);
});
