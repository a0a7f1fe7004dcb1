// Tracebacks embedded in JSON log lines. Structured loggers (python-json-logger, structlog,
// pino, winston, logback's JSON encoder) put the whole traceback in one string field, its line
// breaks escaped as `\n`. The core matches the catalog on that field's unescaped text too, so
// the ordinary patterns (`^ValueError:`, `\bKeyError\b`) classify it, and the record's frames
// and exception type come from it. These samples were once special-cased catalog patterns.
import test from 'ava';
import { LogAnalyzer, type LogRecord } from '../src/index.js';

const analyzer = new LogAnalyzer({ engine: 'regex', year: 2025 });

const pyLine = (exc: string, field = 'exc_info') =>
  `{"ts":"2025-05-17T10:05:08.033Z","level":"error","logger":"api","msg":"request failed","${field}":"Traceback (most recent call last):\\n  File \\"/app/main.py\\", line 47, in run\\n    x = f()\\n${exc}"}`;
const healthyJson = '{"ts":"2025-05-17T10:05:08.048Z","level":"info","logger":"api","msg":"batch done\\nMemoryErrors=0 ValueErrors=0 KeyErrors=0"}';

function records(text: string): LogRecord[] {
  return analyzer.extractErrorsSync(Buffer.from(text + '\n'));
}

const samples: Array<[string, string, string]> = [
  // [type, exception line in the traceback, exception class]
  ['OutOfMemory', 'MemoryError', 'MemoryError'],
  ['OutOfMemory', 'torch.cuda.OutOfMemoryError: CUDA out of memory.', 'torch.cuda.OutOfMemoryError'],
  ['SyntaxError', 'IndentationError: unexpected indent', 'IndentationError'],
  ['SyntaxError', "SyntaxError: expected ':'", 'SyntaxError'],
  ['ValueError', "ValueError: could not convert string to float: 'N/A'", 'ValueError'],
  ['KeyError', "KeyError: 'model_path'", 'KeyError'],
  ['ImportError', "ModuleNotFoundError: No module named 'cv2'", 'ModuleNotFoundError'],
  ['MissingDependency', "FileNotFoundError: [Errno 2] No such file or directory: 'ffmpeg'", 'FileNotFoundError'],
];

for (const [type, exc, cls] of samples) {
  test(`a Python traceback in a JSON string: ${exc} is ${type}`, (t) => {
    const [r, ...rest] = records(pyLine(exc));
    t.deepEqual(rest, []);
    t.is(r.type, type);
    t.is(r.exception, cls);
    t.is(r.message, 'request failed');
    t.deepEqual(r.frames, [{ file: '/app/main.py', line: 47, function: 'run', app: true }]);
    t.is(r.innermost, 0);
  });
}

test('any field name, and the escaped text is read whatever the field', (t) => {
  for (const field of ['exc_info', 'exception', 'stack_trace', 'traceback', 'err']) {
    const [r] = records(pyLine("KeyError: 'model_path'", field));
    t.is(r?.type, 'KeyError', field);
  }
});

test('a Node.js stack in "stack", also nested in an object ("error.stack")', (t) => {
  const stack = 'Error: ENOENT: no such file or directory, open \'/data/in.csv\'\\n    at Object.openSync (node:fs:573:18)\\n    at load (/app/src/load.js:12:7)';
  for (const line of [
    `{"level":50,"time":1747476308033,"msg":"load failed","stack":"${stack}"}`,
    `{"level":"error","message":"load failed","error":{"type":"Error","stack":"${stack}"}}`,
  ]) {
    const [r, ...rest] = records(line);
    t.deepEqual(rest, []);
    t.is(r.exception, 'Error');
    t.deepEqual(r.frames[r.innermost!], { file: '/app/src/load.js', line: 12, function: 'load', app: true });
  }
});

test('a Java stack trace in "stack_trace" (logstash encoder)', (t) => {
  const line = '{"@timestamp":"2025-05-17T10:05:08.033Z","level":"ERROR","logger_name":"c.a.Billing","message":"export failed","stack_trace":"java.nio.file.AccessDeniedException: /data/exports/x.csv\\n\\tat java.base/sun.nio.fs.UnixException.translateToIOException(UnixException.java:90)\\n\\tat com.acme.billing.Export.open(Export.java:33)\\n"}';
  const [r] = records(line);
  t.is(r.type, 'PermissionDenied');
  t.is(r.exception, 'java.nio.file.AccessDeniedException');
  t.deepEqual(r.frames[r.innermost!], { file: 'Export.java', line: 33, function: 'com.acme.billing.Export.open', app: true });
});

test('near misses: a line break in a routine message, and a missing data file', (t) => {
  t.deepEqual(records(healthyJson), []);
  const [r] = records(pyLine("FileNotFoundError: [Errno 2] No such file or directory: 'data/input.csv'"));
  t.not(r?.type, 'MissingDependency');
  // An escaped backslash before an `n` is no line break.
  t.deepEqual(records('{"level":"info","msg":"saved to C:\\\\nMemoryError"}'), []);
});

test('the diagnosis counts embedded tracebacks with their innermost frame', async (t) => {
  const text = Array.from({ length: 30 }, (_, i) => pyLine(`KeyError: 'k${i}'`)).join('\n') + '\n';
  const d = await new LogAnalyzer({ engine: 'regex', maxSamples: 2 }).diagnoseFromLogs(Buffer.from(text));
  const e = d.errors.find((x) => x.type === 'KeyError');
  t.is(e?.count, 30);
  t.deepEqual(e?.innermostFrame, { file: '/app/main.py', line: 47, function: 'run', app: true });
});
