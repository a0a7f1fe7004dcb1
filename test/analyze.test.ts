// LogAnalyzer end to end with the built-in catalog: every error type from a realistic log,
// the original description's two scenarios exactly, precedence, each traceback format, each timestamp
// format, and the API's inputs (path, Buffer, stream), abort and progress.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { LogAnalyzer, type LogRecord } from '../src/index.js';
import { ERROR_TYPES } from '../src/catalog/types.js';
import { hyperscanAvailable } from '../src/scan.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-analyze-');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ALL_TYPES = join(FIXTURES, 'analyze', 'all-types.log');
const analyzer = new LogAnalyzer({ engine: 'regex', year: 2025 });

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('every one of the 20 types, from a realistic log to the diagnosis', async (t) => {
  const d = await analyzer.diagnoseFromLogs(ALL_TYPES);
  // type → [first line, last line] of its one record, read off the fixture
  const want: Record<string, [number, number]> = {
    OutOfMemory: [2, 2], // kernel OOM killer
    GPUError: [3, 3], // NVRM Xid 79
    DiskSpace: [4, 8], // OSError ENOSPC in a traceback
    IOError: [9, 9], // blk_update_request I/O error
    ProcessCrash: [10, 10], // systemd: killed by SEGV
    Deadlock: [11, 11], // PostgreSQL deadlock detected
    Timeout: [13, 17], // java TimeoutException with frames
    MemoryLeak: [18, 18], // Node MaxListenersExceededWarning (JSON line)
    ModelCorruption: [19, 19],
    ConfigError: [20, 25], // yaml ScannerError with its location line
    DataCorruption: [26, 30], // sqlite malformed
    NetworkTimeout: [31, 35], // requests ConnectTimeout
    ConnectionError: [36, 40],
    DNSError: [41, 45],
    PermissionDenied: [46, 50],
    ImportError: [51, 55],
    SyntaxError: [56, 63],
    ValueError: [64, 68],
    KeyError: [69, 73],
    MissingDependency: [74, 80], // ImportError of a shared library: a missing dependency
  };
  t.deepEqual(Object.keys(want).sort(), [...ERROR_TYPES].sort());
  t.deepEqual(d.errors.map((e) => e.type).sort(), [...ERROR_TYPES].sort());
  for (const e of d.errors) {
    t.is(e.count, 1, e.type);
    t.deepEqual([e.samples[0].line, e.samples[0].endLine], want[e.type], e.type);
    t.is(e.first.line, want[e.type][0]);
    t.is(e.first.file, ALL_TYPES);
    t.true(e.samples[0].patternId.startsWith(`${e.type}/`), e.samples[0].patternId);
  }
  const json = JSON.parse(JSON.stringify(d));
  t.is(json.schema, 1);
  for (const e of json.errors) for (const k of ['type', 'count', 'first', 'last', 'samples', 'actions']) t.true(k in e, k);
});

test('seed scenario 1: one OutOfMemory record, actions reduce_quant, clean_cache, free_gpu_memory', (t) => {
  const file = write(
    'scenario1.log',
    `2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory error occurred during processing
Traceback (most recent call last):
  File "src/core/processor.py", line 120, in process_batch
    result = model.forward(batch)
MemoryError: CUDA out of memory
`,
  );
  const d = analyzer.diagnoseFromLogsSync(file);
  t.deepEqual(d.errors.map((e) => e.type), ['OutOfMemory']);
  const e = d.errors[0];
  t.is(e.count, 1);
  t.deepEqual(e.actions.map((a) => a.action), ['reduce_quant', 'clean_cache', 'free_gpu_memory']);
  t.deepEqual(e.actions[0].record, { file, line: 1 });
  t.deepEqual(e.innermostFrame, { file: 'src/core/processor.py', line: 120, function: 'process_batch', app: true });
  const r = e.samples[0];
  t.is(r.exception, 'MemoryError');
  t.is(r.time, '2025-05-17T10:05:00');
  t.is(r.logger, 'visionai_processor');
  t.is(r.level, 'ERROR');
});

test('seed scenario 2: ModelCorruption, restore_backup, naming the file', (t) => {
  const d = analyzer.diagnoseFromLogsSync(Buffer.from('2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch\n'));
  t.deepEqual(d.errors.map((e) => [e.type, e.actions.map((a) => a.action)]), [['ModelCorruption', ['restore_backup']]]);
  t.deepEqual(d.errors[0].samples[0].objects.paths, ['clips_base.pt']);
});

test('precedence: CUDA out of memory is OutOfMemory; a missing shared library is MissingDependency', (t) => {
  const table: [string, string][] = [
    ['RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)', 'OutOfMemory'],
    ['torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB', 'OutOfMemory'],
    ['ImportError: libcudart.so.12: cannot open shared object file: No such file or directory', 'MissingDependency'],
    ['RuntimeError: CUDA error: an illegal memory access was encountered', 'GPUError'],
    ['ModuleNotFoundError: No module named \'cv2\'', 'ImportError'],
  ];
  for (const [line, type] of table) {
    const got = analyzer.extractErrorsSync(Buffer.from(`2025-05-17 10:00:00 - w - ERROR - ${line}\n`));
    t.deepEqual(got.map((r) => r.type), [type], line);
  }
});

const TRACEBACKS: { name: string; text: string; type: string; span: [number, number]; exception: string; frame: [string, number, string | undefined] }[] = [
  {
    name: 'Python, chained',
    text: `2025-05-17 10:00:00,001 - api - INFO - request started
2025-05-17 10:00:01,002 - api - ERROR - upload failed
Traceback (most recent call last):
  File "/app/api/upload.py", line 10, in put
    fh = open(path, "wb")
FileNotFoundError: [Errno 2] No such file or directory: '/data/in/x.bin'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/api/upload.py", line 14, in put
    os.makedirs(parent)
  File "/usr/lib/python3.11/os.py", line 225, in makedirs
    mkdir(name, mode)
PermissionError: [Errno 13] Permission denied: '/data/in'
2025-05-17 10:00:02,003 - api - INFO - request done
`,
    type: 'PermissionDenied',
    span: [2, 15],
    exception: 'PermissionError',
    frame: ['/app/api/upload.py', 14, 'put'],
  },
  {
    name: 'Java, Caused by and ... N more',
    text: `2025-05-17 10:00:00,123 ERROR [main] c.e.billing.Client - call failed
java.lang.IllegalStateException: upstream failed
\tat com.example.billing.Client.call(Client.java:42)
\tat com.example.billing.Main.main(Main.java:7)
Caused by: java.net.ConnectException: Connection refused
\tat java.base/sun.nio.ch.Net.connect0(Native Method)
\tat com.example.billing.Client.open(Client.java:30)
\t... 2 more
2025-05-17 10:00:01,000 INFO [main] c.e.billing.Client - retry scheduled
`,
    type: 'ConnectionError',
    span: [1, 8],
    exception: 'java.lang.IllegalStateException',
    frame: ['Client.java', 42, 'com.example.billing.Client.call'],
  },
  {
    name: 'Node.js',
    text: `{"level":50,"time":1747476300000,"name":"gateway","msg":"cache unavailable"}
Error: connect ECONNREFUSED 127.0.0.1:6379
    at TCPConnectWrap.afterConnectMultiple (node:net:1617:16)
    at RedisClient.connect (/srv/gateway/node_modules/redis/dist/index.js:80:9)
    at start (/srv/gateway/src/cache.js:12:5)
{"level":30,"time":1747476301000,"msg":"ok"}
`,
    type: 'ConnectionError',
    span: [1, 5],
    exception: 'Error',
    frame: ['/srv/gateway/src/cache.js', 12, 'start'],
  },
  {
    name: 'Go panic with goroutines',
    text: `2025-05-17T10:00:00Z INFO ingest started
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47b0e2]

goroutine 1 [running]:
panic({0x4a3f60?, 0x5d2c40?})
\t/usr/local/go/src/runtime/panic.go:770 +0x132
main.(*Ingest).flush(0x0)
\t/src/ingest/flush.go:42 +0x22
main.main()
\t/src/ingest/main.go:17 +0x1d

goroutine 6 [chan receive]:
main.worker(0xc000012345)
\t/src/ingest/worker.go:9 +0x45
created by main.main in goroutine 1
\t/src/ingest/main.go:12 +0x8f
exit status 2
2025-05-17T10:00:05Z INFO ingest restarted
`,
    type: 'ProcessCrash',
    span: [2, 18],
    exception: 'panic',
    frame: ['/src/ingest/flush.go', 42, 'main.(*Ingest).flush'],
  },
  {
    name: 'Rust panic with backtrace',
    text: `[2025-05-17T10:00:00Z ERROR worker] job failed
thread 'main' panicked at src/main.rs:2:5:
called \`Option::unwrap()\` on a \`None\` value
stack backtrace:
   0: rust_begin_unwind
             at /rustc/129f3b9964af4d4a709d1383930ade12dfe7c081/library/std/src/panicking.rs:645:5
   1: core::panicking::panic
             at /rustc/129f3b9964af4d4a709d1383930ade12dfe7c081/library/core/src/panicking.rs:144:5
   2: worker::run
             at ./src/main.rs:2:5
   3: worker::main
             at ./src/main.rs:6:5
note: Some details are omitted, run with \`RUST_BACKTRACE=full\` for a verbose backtrace.
[2025-05-17T10:00:01Z INFO worker] restarted
`,
    // The panic's cause decides (README, precedence): a None unwrapped is a KeyError.
    type: 'KeyError',
    span: [2, 13], // the runtime's panic, not the logger's line before it
    exception: 'panic',
    frame: ['./src/main.rs', 2, 'worker::run'],
  },
];

for (const tb of TRACEBACKS) {
  test(`traceback format: ${tb.name} is one record with its innermost application frame`, (t) => {
    const records = analyzer.extractErrorsSync(Buffer.from(tb.text));
    t.is(records.length, 1, JSON.stringify(records.map((r) => [r.type, r.line, r.endLine])));
    const r = records[0];
    t.is(r.type, tb.type);
    t.deepEqual([r.line, r.endLine], tb.span);
    t.is(r.exception, tb.exception);
    t.not(r.innermost, undefined);
    const f = r.frames[r.innermost!];
    t.deepEqual([f.file, f.line, f.function], tb.frame);
    t.true(f.app);
    t.true(r.frames.some((x) => !x.app), 'library frames are marked as not application code');
  });
}

test('timestamp formats: ISO with offsets, comma millis, syslog (configured year), epoch and ISO in JSON', (t) => {
  const cases: [string, string][] = [
    ['2025-05-17T10:05:00.123Z ERROR Connection refused', '2025-05-17T10:05:00.123Z'],
    ['2025-05-17T12:05:00+02:00 ERROR Connection refused', '2025-05-17T10:05:00Z'],
    ['2025-05-17 10:05:00,123 - db - ERROR - Connection refused', '2025-05-17T10:05:00.123'],
    ['May 17 10:05:00 host app[77]: Connection refused', '2025-05-17T10:05:00'],
    ['{"ts":1747476300,"level":"error","msg":"Connection refused"}', '2025-05-17T10:05:00Z'],
    ['{"time":1747476300123,"level":"error","msg":"Connection refused"}', '2025-05-17T10:05:00.123Z'],
    ['{"@timestamp":"2025-05-17T10:05:00.5Z","level":"error","message":"Connection refused"}', '2025-05-17T10:05:00.500Z'],
    ['{"timestamp":"2025-05-17 10:05:00","level":"ERROR","message":"Connection refused"}', '2025-05-17T10:05:00'],
  ];
  for (const [line, iso] of cases) {
    const [r] = analyzer.extractErrorsSync(Buffer.from(line + '\n'));
    t.is(r?.time, iso, line);
    t.is(r?.type, 'ConnectionError', line);
  }
  const [r2024] = new LogAnalyzer({ year: 2024 }).extractErrorsSync(Buffer.from('May 17 10:05:00 host app[77]: Connection refused\n'));
  t.is(r2024.time, '2024-05-17T10:05:00');
  t.deepEqual(r2024.objects.pids, [77]);
  t.is(r2024.logger, 'app');
});

test('message groups mask numbers, ids and paths; timeline counts per minute', (t) => {
  const lines = [
    '2025-05-17 10:00:01 - db - ERROR - connect to 10.0.0.7:5432 failed: Connection refused (attempt 1)',
    '2025-05-17 10:00:31 - db - ERROR - connect to 10.0.0.8:5432 failed: Connection refused (attempt 2)',
    '2025-05-17 10:02:05 - db - ERROR - connect to 10.0.0.9:5432 failed: Connection refused (attempt 3)',
    '2025-05-17 10:02:06 - db - ERROR - pool exhausted: Connection refused by /var/run/pg.sock',
  ];
  const d = analyzer.diagnoseFromLogsSync(Buffer.from(lines.join('\n') + '\n'));
  const e = d.errors[0];
  t.is(e.type, 'ConnectionError');
  t.is(e.count, 4);
  t.deepEqual(e.messages.map((m) => [m.shape, m.count]), [
    ['connect to <ip> failed: Connection refused (attempt <n>)', 3],
    ['pool exhausted: Connection refused by <path>', 1],
  ]);
  t.deepEqual(e.timeline, [
    { minute: '2025-05-17T10:00', count: 2 },
    { minute: '2025-05-17T10:02', count: 2 },
  ]);
  t.deepEqual([e.first.line, e.first.time, e.last.line, e.last.time], [1, '2025-05-17T10:00:01', 4, '2025-05-17T10:02:06']);
});

test('objects: paths, hosts, ports, pids, services and devices that recovery needs', (t) => {
  const [r] = analyzer.extractErrorsSync(
    Buffer.from('May 17 10:05:00 gpu01 trainer[4242]: RuntimeError: CUDA error: an illegal memory access was encountered on cuda:1 (GPU 1) writing /data/ckpt/step-100.pt for render.service\n'),
  );
  t.is(r.type, 'GPUError');
  t.deepEqual(r.objects.devices, ['cuda:1', 'GPU 1']);
  t.deepEqual(r.objects.paths, ['/data/ckpt/step-100.pt']);
  t.deepEqual(r.objects.pids, [4242]);
  t.deepEqual(r.objects.services, ['trainer', 'render.service']);
});

test('inputs: a path, a Buffer and a stream give the same records; several files merge', async (t) => {
  const text = `2025-05-17 10:00:00 - a - ERROR - Connection refused\n2025-05-17 10:00:01 - a - ERROR - No space left on device\n`;
  const file = write('inputs.log', text);
  const strip = (rs: LogRecord[]) => rs.map(({ file: _f, ...r }) => r);
  const fromPath = await analyzer.extractErrors(file);
  t.is(fromPath.length, 2);
  t.deepEqual(strip(await analyzer.extractErrors(Buffer.from(text))), strip(fromPath));
  t.deepEqual(strip(await analyzer.extractErrors(Readable.from([text.slice(0, 30), text.slice(30)]))), strip(fromPath));
  t.deepEqual(strip(analyzer.extractErrorsSync(file)), strip(fromPath));
  const d = await analyzer.diagnoseFromLogs([file, file]);
  t.deepEqual(d.files, [file, file]);
  t.deepEqual(d.errors.map((e) => e.count), [2, 2]);
  t.deepEqual(d.errors.map((e) => e.type).sort(), ['ConnectionError', 'DiskSpace']);
  t.deepEqual(d.errors.find((e) => e.type === 'DiskSpace')!.last, { file, line: 2, time: '2025-05-17T10:00:01' });
  t.is(d.lines, 4);
});

test('recordsInBuffer numbers records as lines of the file (live watch)', (t) => {
  const rs = analyzer.recordsInBuffer(Buffer.from('ok line\n2025-05-17 10:00:00 - a - ERROR - Connection refused\n'), { file: 'app.log', firstLine: 101, baseOffset: 5000 });
  t.deepEqual(rs.map((r) => [r.file, r.line, r.endLine, r.offset, r.type]), [['app.log', 102, 102, 5008, 'ConnectionError']]);
});

test('errors are LogmedicErrors with a code: missing file, abort', async (t) => {
  const missing = await t.throwsAsync(analyzer.diagnoseFromLogs(join(dir, 'nope.log')));
  t.is((missing as any).code, 'E_NOT_FOUND');
  const ac = new AbortController();
  ac.abort();
  const aborted = await t.throwsAsync(analyzer.diagnoseFromLogs(ALL_TYPES, { signal: ac.signal }));
  t.is((aborted as any).code, 'E_ABORTED');
  t.is((t.throws(() => new LogAnalyzer({ catalog: { types: [], patterns: [{ id: 'x/y', type: 'Nope', pattern: 'x', origin: 't', match: ['x'], noMatch: ['y'] }] } })) as any).code, 'E_CONFIG');
});

test('progress is reported and reaches the total', async (t) => {
  const seen: { bytes: number; total: number }[] = [];
  await analyzer.diagnoseFromLogs(ALL_TYPES, { onProgress: (p) => seen.push(p) });
  t.true(seen.length > 0);
  const last = seen[seen.length - 1];
  t.is(last.bytes, last.total);
});

test('records: a model-loading frame makes a truncated-file traceback ModelCorruption; the load line alone is nothing', (t) => {
  const log = [
    '2025-03-01 10:00:00,001 ERROR serve: model warmup failed',
    'Traceback (most recent call last):',
    '  File "/srv/score/app.py", line 9, in <module>',
    '    clf = joblib.load("/srv/models/clf.joblib")',
    '  File "/usr/lib/python3.11/site-packages/joblib/numpy_pickle.py", line 658, in load',
    '    obj = _unpickle(fobj, filename, mmap_mode)',
    'EOFError: Ran out of input',
    '2025-03-01 10:00:05,000 WARNING py.warnings: /srv/score/app.py:9: FutureWarning: You are using `torch.load` with `weights_only=False`',
    '  model = torch.load(path)',
    '2025-03-01 10:00:09,000 ERROR etl: failed reading batch',
    'Traceback (most recent call last):',
    '  File "/srv/etl/read.py", line 3, in <module>',
    '    rows = pickle.loads(blob)',
    'EOFError: Ran out of input',
    '',
  ].join('\n');
  const recs = analyzer.extractErrorsSync(Buffer.from(log));
  // pickle.loads reads data as often as models: no refinement there.
  t.deepEqual(recs.map((r) => [r.type, r.line]), [['ModelCorruption', 1], ['DataCorruption', 10]]);
});

test('auto: Hyperscan once the catalog is in the Hyperscan cache, else the Rust engine below 256 MiB', (t) => {
  if (!hyperscanAvailable()) {
    t.pass('libhs absent: auto always means the Rust engine');
    return;
  }
  const saved = process.env.LOGMEDIC_CACHE_DIR;
  process.env.LOGMEDIC_CACHE_DIR = tempDir('logmedic-hs-cache-');
  try {
    const big = Buffer.from('2025-03-01 10:00:00 INFO request served in 3ms\n'.repeat(30_000) + 'OSError: [Errno 28] No space left on device\n');
    const small = Buffer.from('OSError: [Errno 28] No space left on device\n');
    t.is(new LogAnalyzer({ engine: 'auto' }).diagnoseFromLogsSync(big).engine, 'regex', 'nothing cached yet');
    t.is(new LogAnalyzer({ engine: 'hyperscan' }).diagnoseFromLogsSync(small).engine, 'hyperscan'); // compiles and caches
    const d = new LogAnalyzer({ engine: 'auto' }).diagnoseFromLogsSync(big);
    t.is(d.engine, 'hyperscan');
    t.deepEqual(d.errors.map((e) => [e.type, e.count]), [['DiskSpace', 1]]);
    t.is(new LogAnalyzer({ engine: 'auto' }).diagnoseFromLogsSync(small).engine, 'hyperscan', 'a cached database serves small inputs too');
  } finally {
    if (saved === undefined) delete process.env.LOGMEDIC_CACHE_DIR;
    else process.env.LOGMEDIC_CACHE_DIR = saved;
  }
});
