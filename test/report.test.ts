// The HTML report: its content from realistic diagnoses, its escaping, its atomic write, and
// how it renders in a real headless Chromium (no console error, no request, a visible chart).
import test from 'ava';
import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, ROOT } from './cli/_run.js';
import { renderReport, writeReport, escapeHtml } from '../src/report/index.js';
import { buildAxis, binCounts, parseMinute } from '../src/report/timeline.js';
import type { Diagnosis, LogRecord, TypeSummary } from '../src/diagnosis/types.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-report-');
const CHROMIUM = '/usr/bin/chromium';

const noObjects = { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] };

function record(partial: Partial<LogRecord> & Pick<LogRecord, 'type' | 'line' | 'message' | 'text'>): LogRecord {
  return {
    patternId: `${partial.type}/test`,
    file: 'logs/visionai.log',
    endLine: partial.line + partial.text.split('\n').length - 1,
    offset: partial.line * 100,
    frames: [],
    objects: noObjects,
    ...partial,
  };
}

/** A diagnosis like one of the original description's scenarios: a CUDA OOM with a traceback, a corrupt model, a refused connection without timestamps. */
function realisticDiagnosis(): Diagnosis {
  const oomText = [
    '2025-05-17 10:05:00,120 - visionai_processor - ERROR - Out of memory error occurred during processing',
    'Traceback (most recent call last):',
    '  File "src/core/processor.py", line 120, in process_batch',
    '    result = model.forward(batch)',
    '  File "/usr/lib/python3/site-packages/torch/nn/modules/module.py", line 1501, in _call_impl',
    '    return forward_call(*args, **kwargs)',
    'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity) <script>alert("x")</script> </pre>',
  ].join('\n');
  const oomFrames = [
    { file: 'src/core/processor.py', line: 120, function: 'process_batch', app: true },
    { file: '/usr/lib/python3/site-packages/torch/nn/modules/module.py', line: 1501, function: '_call_impl', app: false },
  ];
  const oomSamples: LogRecord[] = [0, 1, 2].map((i) =>
    record({
      type: 'OutOfMemory',
      line: 1200 + i * 400,
      time: `2025-05-17T10:0${5 + i * 2}:00.120Z`,
      level: 'ERROR',
      logger: 'visionai_processor',
      message: 'Out of memory error occurred during processing',
      exception: 'torch.cuda.OutOfMemoryError',
      text: oomText,
      frames: oomFrames,
      innermost: 0,
      objects: { ...noObjects, devices: ['GPU 0'] },
    }),
  );
  const oom: TypeSummary = {
    type: 'OutOfMemory',
    count: 14,
    first: { line: 1200, time: '2025-05-17T10:05:00.120Z', file: 'logs/visionai.log' },
    last: { line: 9800, time: '2025-05-17T10:41:12.002Z', file: 'logs/visionai.log' },
    messages: [
      { shape: 'CUDA out of memory. Tried to allocate <N> GiB (GPU <N>; <N> GiB total capacity)', count: 11, example: 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)' },
      { shape: 'Out of memory error occurred during processing', count: 3, example: 'Out of memory error occurred during processing' },
    ],
    innermostFrame: oomFrames[0],
    timeline: [
      { minute: '2025-05-17T10:05', count: 3 },
      { minute: '2025-05-17T10:07', count: 1 },
      { minute: '2025-05-17T10:09', count: 4 },
      { minute: '2025-05-17T10:22', count: 2 },
      { minute: '2025-05-17T10:41', count: 4 },
    ],
    samples: oomSamples,
    actions: [
      { action: 'reduce_quant', reason: 'CUDA out of memory while processing a batch', record: { file: 'logs/visionai.log', line: 1200 } },
      { action: 'clean_cache', reason: 'CUDA out of memory while processing a batch', record: { file: 'logs/visionai.log', line: 1200 } },
      { action: 'free_gpu_memory', reason: 'GPU 0 ran out of memory', record: { file: 'logs/visionai.log', line: 1200 } },
    ],
  };
  const corrupt: TypeSummary = {
    type: 'ModelCorruption',
    count: 1,
    first: { line: 4410, time: '2025-05-17T10:10:00.000Z', file: 'logs/visionai.log' },
    last: { line: 4410, time: '2025-05-17T10:10:00.000Z', file: 'logs/visionai.log' },
    messages: [{ shape: 'Model file corrupt: <PATH> checksum mismatch', count: 1, example: 'Model file corrupt: clips_base.pt checksum mismatch' }],
    timeline: [{ minute: '2025-05-17T10:10', count: 1 }],
    samples: [
      record({
        type: 'ModelCorruption',
        line: 4410,
        time: '2025-05-17T10:10:00.000Z',
        level: 'ERROR',
        logger: 'model_loader',
        message: 'Model file corrupt: clips_base.pt checksum mismatch',
        text: '2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch',
        objects: { ...noObjects, paths: ['clips_base.pt'] },
      }),
    ],
    actions: [{ action: 'restore_backup', reason: 'clips_base.pt failed its checksum', record: { file: 'logs/visionai.log', line: 4410 } }],
  };
  const refused: TypeSummary = {
    type: 'ConnectionError',
    count: 2,
    first: { line: 7001, file: 'logs/visionai.log' },
    last: { line: 7050, file: 'logs/visionai.log' },
    messages: [{ shape: 'connect ECONNREFUSED <IP>:<N>', count: 2, example: 'connect ECONNREFUSED 127.0.0.1:6379' }],
    timeline: [],
    samples: [
      record({
        type: 'ConnectionError',
        line: 7001,
        message: 'connect ECONNREFUSED 127.0.0.1:6379',
        exception: 'Error',
        text: 'Error: connect ECONNREFUSED 127.0.0.1:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
        frames: [{ file: 'node:net', line: 1555, function: 'TCPConnectWrap.afterConnect', app: false }],
        objects: { ...noObjects, hosts: ['127.0.0.1'], ports: [6379] },
      }),
    ],
    actions: [],
  };
  const dns: TypeSummary = { ...refused, type: 'DNSError', count: 1, samples: [], messages: [], actions: [] };
  return {
    schema: 1,
    files: ['logs/visionai.log'],
    bytes: 52_428_800,
    lines: 412_337,
    elapsedMs: 83.4,
    engine: 'hyperscan',
    errors: [oom, refused, corrupt, dns],
    changed: [],
  };
}

test('the report holds the summary, the plan, a chart per timestamped type, top messages and every record with its trace', (t) => {
  const d = realisticDiagnosis();
  const html = renderReport(d, { generatedAt: new Date('2025-05-18T00:00:00Z') });
  // Summary rows: one per type, with counts.
  for (const [type, count] of [['OutOfMemory', 14], ['ModelCorruption', 1], ['ConnectionError', 2]] as const) {
    t.regex(html, new RegExp(`<a href="#type-${type}">${type}</a></td><td class="num">${count}</td>`));
  }
  // The plan lists each action once, in the order the types call for them.
  const plan = html.slice(html.indexOf('id="plan"'), html.indexOf('id="timeline"'));
  const order = ['reduce_quant', 'clean_cache', 'free_gpu_memory', 'restore_backup'].map((a) => plan.indexOf(`<span class="action">${a}</span>`));
  t.true(order.every((i) => i >= 0), 'every action is in the plan');
  t.deepEqual([...order].sort((a, b) => a - b), order);
  t.regex(plan, /DNSError<\/span>: check the resolver/);
  // Charts: the overview and one per type with timestamps; a note for the one without.
  t.is(html.match(/<svg /g)?.length, 1 + 2);
  t.regex(html, /No timeline: these records carry no timestamps/);
  // Top messages and records with their stack traces.
  t.regex(html, /<td class="num">11<\/td><td><code>CUDA out of memory\. Tried to allocate &lt;N&gt; GiB/);
  t.regex(html, /File &quot;src\/core\/processor\.py&quot;, line 120, in process_batch/);
  t.regex(html, /src\/core\/processor\.py:120 in process_batch ← innermost application frame/);
  t.is(html.match(/<details class="record"/g)?.length, 3 + 1 + 1);
  t.regex(html, /Records \(3 of 14\)/);
});

test('log text is escaped: a record cannot inject markup or script', (t) => {
  const html = renderReport(realisticDiagnosis());
  t.false(/<script/i.test(html), 'no script element');
  t.regex(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &lt;\/pre&gt;/);
  t.is(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  // Nothing in the page refers outside it.
  t.false(/\b(?:src|href)="(?!#)/.test(html), 'only in-page links');
  t.false(/url\(/.test(html), 'no CSS url()');
  t.regex(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('a clean diagnosis says so and draws no chart', (t) => {
  const d: Diagnosis = { ...realisticDiagnosis(), errors: [] };
  const html = renderReport(d);
  t.regex(html, /No failure found\./);
  t.false(html.includes('<svg'));
});

test('timeline bins: one shared axis, counts summed per bin, wide spans binned coarser', (t) => {
  t.is(parseMinute('2025-05-17T10:05'), Date.UTC(2025, 4, 17, 10, 5));
  t.is(parseMinute('2025-05-17 10:05:59.120+00:00'), Date.UTC(2025, 4, 17, 10, 5));
  t.is(parseMinute('yesterday'), null);
  const a = [{ minute: '2025-05-17T10:05', count: 3 }, { minute: '2025-05-17T10:09', count: 4 }];
  const b = [{ minute: '2025-05-17T10:07', count: 2 }];
  const axis = buildAxis([a, b])!;
  t.is(axis.binMinutes, 1);
  t.is(axis.bins, 5);
  t.deepEqual(binCounts(axis, a), [3, 0, 0, 0, 4]);
  t.deepEqual(binCounts(axis, b), [0, 0, 2, 0, 0]);
  // Two days of minutes do not make 2880 bars.
  const wide = buildAxis([[{ minute: '2025-05-17T00:00', count: 1 }, { minute: '2025-05-18T23:59', count: 5 }]])!;
  t.true(wide.bins <= 120);
  t.deepEqual(binCounts(wide, [{ minute: '2025-05-17T00:00', count: 1 }, { minute: '2025-05-18T23:59', count: 5 }]).reduce((x, y) => x + y, 0), 6);
  // Labels that are not times still chart, in label order.
  const ordinal = buildAxis([[{ minute: 'b', count: 1 }, { minute: 'a', count: 2 }]])!;
  t.is(ordinal.kind, 'ordinal');
  t.deepEqual(binCounts(ordinal, [{ minute: 'b', count: 1 }, { minute: 'a', count: 2 }]), [2, 1]);
});

test('writeReport replaces the file whole and names the path when it cannot write', (t) => {
  const out = join(dir, 'report.html');
  writeFileSync(out, 'old');
  writeReport(out, realisticDiagnosis());
  t.regex(readFileSync(out, 'utf8'), /^<!doctype html>/);
  const missing = join(dir, 'no-such-dir', 'r.html');
  const err = t.throws(() => writeReport(missing, realisticDiagnosis()));
  t.is((err as any).code, 'E_NOT_FOUND');
  t.regex(err!.message, /no-such-dir\/r\.html: cannot write the report/);
  if (process.getuid?.() !== 0) {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const e2 = t.throws(() => writeReport(join(ro, 'r.html'), realisticDiagnosis()));
    t.is((e2 as any).code, 'E_PERMISSION');
  }
});

const browserTest = existsSync(CHROMIUM) ? test : test.skip;
if (!existsSync(CHROMIUM)) console.log(`report.test: ${CHROMIUM} is absent; the headless Chromium test is skipped (apt-get install chromium)`);

/** Open a report file in headless Chromium; everything but the file itself is refused and recorded. */
async function inBrowser<T>(file: string, look: (page: import('playwright-core').Page, seen: { requests: string[]; problems: string[] }) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const seen = { requests: [] as string[], problems: [] as string[] };
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      seen.problems.push(`request: ${u}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (r) => seen.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') seen.problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => seen.problems.push(`page error: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    const result = await look(page, seen);
    await context.close();
    return result;
  } finally {
    await browser.close();
  }
}

browserTest('the report renders in headless Chromium: no console error, no request but the file, charts with bars, a screenshot', async (t) => {
  const file = join(dir, 'browser-report.html');
  writeReport(file, realisticDiagnosis());
  await inBrowser(file, async (page, seen) => {
    t.deepEqual(seen.requests, [pathToFileURL(file).href], 'the file itself is the only request');
    t.deepEqual(seen.problems, []);
    t.is(await page.title(), 'logmedic report: logs/visionai.log');
    t.is(await page.locator('script').count(), 0);
    // Charts: rendered with a size, with axis paths and bars that have a height.
    const charts = page.locator('svg.chart');
    t.is(await charts.count(), 3);
    const box = await charts.first().boundingBox();
    t.truthy(box && box.width > 200 && box.height > 50, 'the chart has a visible size');
    t.true((await page.locator('svg.chart path.axis').count()) >= 3);
    const heights = await page.locator('#type-OutOfMemory svg.chart rect.bar').evaluateAll((els) => els.map((e) => (e as SVGRectElement).getBBox().height));
    t.is(heights.length, 5, 'one bar per non-empty minute');
    t.true(heights.every((h) => h > 0));
    // The stack trace is shown as text, script tags and all.
    t.regex((await page.locator('#type-OutOfMemory pre.stack').first().textContent()) ?? '', /<script>alert\("x"\)<\/script> <\/pre>$/);
    t.is(await page.locator('table.summary tbody tr').count(), 4);
    const png = join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    t.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    t.true(bytes.length > 10_000, 'a screenshot with content');
    if (process.env.LOGMEDIC_REPORT_SCREENSHOT) copyFileSync(png, process.env.LOGMEDIC_REPORT_SCREENSHOT);
  });
});

test('logmedic analyze --report writes the report of what it printed; a bad path is one line, exit 2', async (t) => {
  const log = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
  const out = join(dir, 'analyze-report.html');
  const json = await runCli(['analyze', log, '--json', '--report', out]);
  t.true(json.code === 0 || json.code === 1, json.stderr);
  const diagnosis = JSON.parse(json.stdout) as Diagnosis;
  t.true(diagnosis.errors.length > 0);
  const html = readFileSync(out, 'utf8');
  for (const e of diagnosis.errors) t.true(html.includes(`id="type-${e.type}"`), e.type);
  t.is(json.stderr, '', 'nothing around --json');
  const bad = await runCli(['analyze', log, '--report', join(dir, 'missing-dir', 'r.html')]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: .*missing-dir\/r\.html: cannot write the report \(no such directory\)\n$/);
  if (existsSync(CHROMIUM)) {
    await inBrowser(out, async (page, seen) => {
      t.deepEqual(seen.problems, []);
      t.is(await page.locator('table.summary tbody tr').count(), diagnosis.errors.length);
      t.true((await page.locator('svg.chart rect.bar').count()) > 0, 'the timeline has bars');
      if (process.env.LOGMEDIC_REPORT_SCREENSHOT) await page.screenshot({ path: process.env.LOGMEDIC_REPORT_SCREENSHOT.replace(/\.png$/, '-analyze.png'), fullPage: true });
    });
  }
});
