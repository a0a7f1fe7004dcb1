import test from 'ava';
import type { LogRecord } from '../../src/diagnosis/types.js';
import { countNewlines, RecordAssembler, type RecordMeta } from '../../src/watch/records.js';
import { classify } from './_helpers.js';

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

/** Feed `text` in pieces of the given sizes (cycled), then the idle flush and the end. */
function fedInPieces(text: string, sizes: number[]): LogRecord[] {
  const a = assembler();
  const bytes = Buffer.from(text);
  const out: LogRecord[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(...a.push(bytes.subarray(at, at + n)));
    at += n;
  }
  out.push(...a.flushComplete(), ...a.flushAll());
  return out;
}

const shape = (rs: LogRecord[]) => rs.map((r) => [r.type, r.line, r.endLine, r.offset]);

test('record starts are the core\'s headers (timestamps, syslog, levels, JSON, logfmt); continuation lines are not', (t) => {
  const starts = [
    '2024-01-31 12:00:00,123 ERROR x',
    '2024-01-31T12:00:00Z x',
    '[2024-01-31 12:00:00] x',
    'Jan  1 09:00:55 host sshd[1]: x',
    '[Sun Dec 04 04:47:44 2005] [error] x',
    '03-17 16:13:38.811  1702  2395 D WindowManager',
    'E0131 12:00:00.123 123 main.cc:1] x',
    'ERROR:root:something failed',
    '12:00:01 worker started',
    '{"time":"2024-01-31T12:00:00Z","level":"error","msg":"x"}',
    'time="2024-01-31T12:00:00Z" level=error msg=x',
    'level=info msg=x',
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
  for (const s of starts) {
    // A header is held (its record may go on); the complete line before it is handed on.
    const a = assembler();
    a.push(Buffer.from(`plain line\n${s}\n`));
    t.is(a.committedOffset, 11, s);
    t.is(a.held, s.length + 1, s);
  }
  for (const c of continuations) {
    const a = assembler();
    a.push(Buffer.from(`2024-01-31 12:00:00 ERROR x\n${c}\n`));
    t.is(a.committedOffset, 0, c); // still the header's record: nothing final yet
  }
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

test('a traceback written in pieces is handed over whole, at the next record', (t) => {
  const spy = spying();
  const a = assembler(spy.fn);
  t.deepEqual(a.push(Buffer.from('2024-01-01 00:00:00 INFO ok\n2024-01-01 00:00:01 ERROR step failed\nTraceback (most recent call last):\n')), []);
  t.is(spy.calls.length, 1);
  t.is(spy.calls[0].text, '2024-01-01 00:00:00 INFO ok\n'); // the ERROR record is held
  t.deepEqual(a.push(Buffer.from('  File "a.py", line 1, in f\n')), []);
  const recs = a.push(Buffer.from('RuntimeError: CUDA out of memory\n2024-01-01 00:00:02 INFO next\n'));
  t.is(spy.calls[1].text, '2024-01-01 00:00:01 ERROR step failed\nTraceback (most recent call last):\n  File "a.py", line 1, in f\nRuntimeError: CUDA out of memory\n');
  t.like(spy.calls[1].meta, { file: 'app.log', firstLine: 2, baseOffset: 28 });
  t.deepEqual(recs.map((r) => [r.type, r.line, r.endLine]), [['OutOfMemory', 2, 5]]);
  t.is(a.committedLine, 6); // the INFO record is held now
});

test('the idle flush completes the held record; flushAll also takes a partial line', (t) => {
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

test('logs without entry headers: each plain line is final once the next one starts; a bare traceback is held whole', (t) => {
  const a = assembler();
  t.deepEqual(a.push(Buffer.from('plain line\nout of memory here\n')).map((r) => r.line), []);
  t.deepEqual(a.push(Buffer.from('another line\n')).map((r) => r.line), [2]);
  t.is(a.held, 'another line\n'.length);
  // A script's stderr: no header above the traceback, written in pieces, one record.
  const b = assembler();
  t.deepEqual(b.push(Buffer.from('Traceback (most recent call last):\n  File "a.py", line 3, in <module>\n')), []);
  t.deepEqual(b.push(Buffer.from('MemoryError: out of memory\n')), []);
  t.deepEqual(b.flushComplete().map((r) => [r.type, r.line, r.endLine]), [['OutOfMemory', 1, 3]]);
});

test('a record longer than the hold limit is handed on instead of held forever', (t) => {
  const a = new RecordAssembler(() => 'f', classify, { offset: 0, line: 1 }, { maxHoldBytes: 100 });
  t.deepEqual(a.push(Buffer.from('2024-01-01 00:00:01 ERROR start\n')), []);
  const recs = a.push(Buffer.from('  frame out of memory\n'.repeat(10)));
  t.deepEqual(recs.map((r) => [r.type, r.line, r.endLine]), [['OutOfMemory', 1, 11]]);
  t.is(a.held, 0);
});

// Logs whose headers a timestamp-or-level rule misses: a traceback after a JSON or logfmt
// error line, written in pieces, must still join that line's record.
for (const [name, header] of [
  ['a JSON-lines log', '{"time":"2024-01-01T00:00:01Z","level":"error","msg":"inference failed"}'],
  ['a logfmt log', 'time="2024-01-01T00:00:01Z" level=error msg="inference failed"'],
]) {
  test(`${name}: a traceback written in pieces joins its header's record`, (t) => {
    const a = assembler();
    const out: LogRecord[] = [];
    out.push(...a.push(Buffer.from(`${header}\nTraceback (most recent call last):\n`)));
    t.deepEqual(out, []);
    t.is(a.committedOffset, 0); // the header's record is held
    out.push(...a.push(Buffer.from('  File "serve.py", line 9, in infer\n')));
    out.push(...a.push(Buffer.from('RuntimeError: CUDA out of memory\n')));
    t.deepEqual(out, []);
    out.push(...a.flushComplete());
    t.deepEqual(out.map((r) => [r.type, r.line, r.endLine]), [['OutOfMemory', 1, 4]]);
  });
}

test('fed in any pieces, the watch finds the records analyze finds in the whole file', (t) => {
  const log = [
    '2024-01-01 00:00:00 INFO start',
    '{"level":"error","msg":"upstream: Connection refused"}',
    'time="2024-01-01T00:00:02Z" level=error msg="step failed"',
    'Traceback (most recent call last):',
    '  File "a.py", line 1, in f',
    'RuntimeError: CUDA out of memory',
    '',
    'plain line between',
    '2024-01-01 00:00:03 ERROR write failed',
    'java.io.IOException: No space left on device',
    '\tat com.x.Writer.flush(Writer.java:10)',
    'Caused by: java.net.ConnectException: Connection refused',
    '2024-01-01 00:00:04 INFO done',
    '',
  ].join('\n');
  const whole = classify(Buffer.from(log), { file: 'app.log', firstLine: 1, baseOffset: 0 });
  t.true(whole.length >= 3);
  for (const sizes of [[1], [7], [3, 50, 11], [64], [1000], [2, 1, 30]]) {
    t.deepEqual(shape(fedInPieces(log, sizes)), shape(whole), `pieces ${sizes.join(',')}`);
  }
});

test('countNewlines counts within a range', (t) => {
  const b = Buffer.from('a\nb\n\nc');
  t.is(countNewlines(b), 3);
  t.is(countNewlines(b, 2), 2);
  t.is(countNewlines(b, 0, 2), 1);
});
