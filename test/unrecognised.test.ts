// The "Unrecognised" section of `analyze`: error-level lines that no pattern matched,
// grouped by template, in text, JSON and the HTML report. Lines a record covers, lines
// below error level and lines outside --since/--until are not in it; any chunking and any
// number of threads give the same section.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../src/native.js';
import { tempDir } from './_tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

const dir = tempDir('logmedic-unrecognised-');

const LOG = [
  '2025-05-17 10:05:00,001 INFO worker - job 17 done, error count 0',
  '2025-05-17 10:05:01,002 ERROR worker - disk /dev/sda1 full on node-3',
  '2025-05-17 10:05:02,003 ERROR worker - java.lang.OutOfMemoryError: Java heap space',
  '2025-05-17 10:05:03,004 ERROR worker - disk /dev/sdb2 full on node-9',
  '2025-05-17 10:05:04,005 FATAL worker - license server 10.0.0.7 unreachable',
  '2025-05-17 10:05:05,006 WARN worker - disk /dev/sdc3 full on node-1',
  '2025-05-17 10:06:06,007 ERROR worker - disk /dev/sdd4 full on node-2',
].join('\n') + '\n';
const logPath = join(dir, 'app.log');
writeFileSync(logPath, LOG);

function cli(args: string[]) {
  const env = { ...process.env, NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Section {
  lines: number;
  others: number;
  templates: { id: string; template: string; count: number; first: { file: string; line: number; time?: string }; last: { file: string; line: number }; example: string; levels: string[] }[];
}

test('JSON: unmatched error lines by template, with counts, first/last, example and a stable id', (t) => {
  const r = cli(['analyze', logPath, '--json']);
  t.is(r.stderr, '');
  const u = (JSON.parse(r.stdout) as { unrecognised: Section }).unrecognised;
  // The OutOfMemoryError line is a record; the INFO line and the WARN disk line are below error level.
  t.is(u.lines, 4);
  t.is(u.others, 0);
  t.deepEqual(
    u.templates.map((x) => [x.template, x.count, x.first.line, x.last.line]),
    [
      ['disk <*> full on <*>', 3, 2, 7],
      ['license server <*> unreachable', 1, 5, 5],
    ],
  );
  t.is(u.templates[0].example, LOG.split('\n')[1]);
  t.deepEqual(u.templates[0].first, { file: logPath, line: 2, time: '2025-05-17T10:05:01.002' });
  t.deepEqual(u.templates[1].levels, ['FATAL']);
  t.regex(u.templates[0].id, /^[0-9a-f]{12}$/);
  // The same template text has the same id in another file.
  const other = join(dir, 'other.log');
  writeFileSync(other, '2025-06-01 00:00:00 ERROR x - disk /dev/vda9 full on db-7\n');
  const again = (JSON.parse(cli(['analyze', other, '--json']).stdout) as { unrecognised: Section }).unrecognised;
  t.is(again.templates[0].id, u.templates[0].id);
});

test('--since/--until leave out unrecognised lines outside the range', (t) => {
  const r = cli(['analyze', logPath, '--json', '--until', '2025-05-17T10:05:30']);
  const u = (JSON.parse(r.stdout) as { unrecognised: Section }).unrecognised;
  t.is(u.lines, 3);
  t.is(u.templates[0].count, 2);
});

test('text: an Unrecognised section after the types, most frequent template first', (t) => {
  const r = cli(['analyze', logPath]);
  const at = r.stdout.indexOf('Unrecognised: 4 error-level lines that no pattern matched, 2 templates (types inferred by the model, not matched):');
  t.true(at > 0, r.stdout);
  const section = r.stdout.slice(at);
  // Each group carries the model's answer, marked inferred (or "no confident type").
  const disk = section.search(/3× (inferred \w+ \(\d+%\)|no confident type) {2}disk <\*> full on <\*>/);
  const license = section.search(/1× (inferred \w+ \(\d+%\)|no confident type) {2}license server <\*> unreachable/);
  t.true(disk >= 0 && license > disk, section);
  t.regex(section, /line 2 … line 7: 2025-05-17 10:05:01,002 ERROR worker - disk \/dev\/sda1 full on node-3/);
});

test('the HTML report has the section, its values escaped', (t) => {
  const report = join(dir, 'report.html');
  const r = cli(['analyze', logPath, '--report', report]);
  t.is(r.code, 1, r.stderr);
  const html = readFileSync(report, 'utf8');
  t.regex(html, /<section id="unrecognised"><h2>Unrecognised<span class="count">4 error-level lines/);
  t.is(html.match(/<section id="unrecognised/g)?.length, 1, 'one Unrecognised section');
  t.true(html.includes('<code>disk &lt;*&gt; full on &lt;*&gt;</code>'));
});

test('any chunking and any number of threads give the same section', (t) => {
  const catalog = new native.CompiledCatalog([{ pattern: 'OutOfMemoryError', typeIndex: 0 }], [{ name: 'OutOfMemory', priority: 100 }]);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const s = String(i % 60).padStart(2, '0');
    if (i % 7 === 0) lines.push(`2025-05-17 10:${String(i % 60).padStart(2, '0')}:${s} ERROR api - request ${i} to shard-${i % 13} timed out after ${i % 90} ms`);
    else if (i % 11 === 0) lines.push(`2025-05-17 10:00:${s} ERROR api - java.lang.OutOfMemoryError at request ${i}`);
    else if (i % 13 === 0) lines.push(`2025-05-17 10:00:${s} CRITICAL db - replica ${i % 5} lost quorum`);
    else lines.push(`2025-05-17 10:00:${s} INFO api - request ${i} ok`);
  }
  const buf = Buffer.from(lines.join('\n') + '\n');
  const one = native.analyzeBufferSync(catalog, buf, { threads: 1 }).unrecognised;
  t.true(one.templates.length >= 2);
  t.is(one.lines, lines.filter((l) => /(ERROR|CRITICAL)/.test(l) && !l.includes('OutOfMemoryError')).length);
  for (const [threads, chunkBytes] of [[2, 4096], [4, 777], [3, 65536]]) {
    const other = native.analyzeBufferSync(catalog, buf, { threads, chunkBytes }).unrecognised;
    t.deepEqual(other, one, `threads ${threads}, chunks of ${chunkBytes} bytes`);
  }
});

// `logmedic test FILE`: the unmatched error lines by template, each with a pattern that,
// tried with `-e`, matches exactly the lines of its template.
const MIXED = [
  '2025-05-17 10:05:00 ERROR api - ledger shard-3 drifted by 30017 units',
  '2025-05-17 10:05:01 INFO api - request 17 served in 12 ms',
  '2025-05-17 10:05:02 ERROR api - ledger shard-11 drifted by 5 units',
  '2025-05-17 10:05:03 ERROR db - arbiter vote skipped for /var/lib/db/base/16384/2619 (term 0x1f3a)',
  '2025-05-17 10:05:04 ERROR db - arbiter vote skipped for /var/lib/db/base/16384/2601 (term 0x00a2)',
  '2025-05-17 10:05:05 ERROR api - java.lang.OutOfMemoryError: Java heap space',
  '2025-05-17 10:05:06 CRITICAL auth - token for user alice rejected: signature [kid=k1] invalid',
  '2025-05-17 10:05:07 CRITICAL auth - token for user bob rejected: signature [kid=old 2] invalid',
  '2025-05-17 10:05:08 CRITICAL auth - token for user carol rejected: signature [kid=k1] invalid',
  '2025-05-17 10:05:09 CRITICAL auth - token for user dave rejected: signature [kid=k3] invalid',
  '2025-05-17 10:05:10 ERROR api - ledger shard-2 drifted by 77 units',
].join('\n') + '\n';

interface Suggestion { id: string; template: string; count: number; first: number; last: number; example: string; pattern?: string }

test('test FILE groups unmatched error lines by template; each suggestion, tried with -e, matches exactly its lines', (t) => {
  const file = join(dir, 'mixed.log');
  writeFileSync(file, MIXED);
  const r = cli(['test', file, '--json']);
  t.is(r.code, 0, r.stderr);
  const u = (JSON.parse(r.stdout) as { unmatched: { count: number; templates: Suggestion[] } }).unmatched;
  t.is(u.count, 9);
  t.deepEqual(
    u.templates.map((x) => [x.template, x.count, x.first, x.last]),
    [
      ['token for user <*> rejected: signature <*> invalid', 4, 7, 10],
      ['ledger <*> drifted by <*> units', 3, 1, 11],
      ['arbiter vote skipped for <*> <*>', 2, 4, 5],
    ],
  );
  const lines = MIXED.split('\n');
  for (const s of u.templates) {
    t.truthy(s.pattern, s.template);
    const tried = cli(['test', file, '-e', s.pattern!, '--type', 'OutOfMemory', '--json']);
    t.is(tried.code, 0, tried.stderr);
    const matched = (JSON.parse(tried.stdout) as { matchedLines: { count: number; lines: { line: number }[] } }).matchedLines;
    t.is(matched.count, s.count, s.pattern);
    // The lines of the template: those whose message starts with its first word.
    const expected = lines.flatMap((l, i) => (l.includes(` - ${s.template.split(' ')[0]} `) ? [i + 1] : []));
    t.deepEqual(matched.lines.map((l) => l.line), expected.slice(0, 5), s.pattern);
  }
  const human = cli(['test', file]);
  t.regex(human.stdout, /Error-level lines that no pattern matched: 9, 3 templates/);
  t.regex(human.stdout, /4× token for user <\*> rejected: signature <\*> invalid/);
  t.regex(human.stdout, /Adopt it in the config file:\n {2}catalog:\n {4}patterns:\n {6}- id: TYPE\/template-[0-9a-f]{12}\n/);
});

test('a suggestion adopted in the config file types its lines', (t) => {
  const file = join(dir, 'adopt.log');
  writeFileSync(file, MIXED);
  const u = (JSON.parse(cli(['test', file, '--json']).stdout) as { unmatched: { templates: Suggestion[] } }).unmatched;
  const s = u.templates[1];
  const config = join(dir, 'logmedic.config.yaml');
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  writeFileSync(config, ['catalog:', '  patterns:', `    - id: DataCorruption/template-${s.id}`, '      type: DataCorruption', `      pattern: ${q(s.pattern!)}`, `      match: [${q(s.example)}]`, ''].join('\n'));
  const d = JSON.parse(cli(['analyze', file, '--json', '--config', config]).stdout) as { errors: { type: string; count: number }[]; unrecognised: Section };
  t.is(d.errors.find((e) => e.type === 'DataCorruption')?.count, 3);
  t.false(d.unrecognised.templates.some((x) => x.id === s.id));
  t.is(d.unrecognised.lines, 6);
});

test('test FILE --since/--until and templates --since/--until read only lines in the range', (t) => {
  const file = join(dir, 'ranged.log');
  writeFileSync(file, MIXED);
  const u = (JSON.parse(cli(['test', file, '--json', '--since', '2025-05-17 10:05:05']).stdout) as { unmatched: { count: number } }).unmatched;
  t.is(u.count, 5);
  const m = JSON.parse(cli(['templates', file, '--json', '--until', '2025-05-17 10:05:02']).stdout) as { templates: { count: number }[] };
  t.is(m.templates.reduce((n, x) => n + x.count, 0), 3);
  const bad = cli(['templates', file, '--since', 'not a time']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: --since: cannot read "not a time" as a time/);
});

test('a JSON line with an embedded traceback and error words is typed, not mistaken for a pattern', (t) => {
  const catalog = new native.CompiledCatalog([{ pattern: '^ValueError:', typeIndex: 0 }], [{ name: 'ValueError', priority: 10 }]);
  const line = JSON.stringify({ level: 'error', msg: 'fatal error in job', exc_info: 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: fatal error, critical' });
  const buf = Buffer.from(`${line}\n${JSON.stringify({ level: 'error', msg: 'panic: quota ledger drifted' })}\n`);
  const r = native.analyzeBufferSync(catalog, buf, { threads: 1 });
  t.is(r.records, 1);
  t.is(r.types[0].count, 1);
  t.is(r.unrecognised.lines, 1);
  t.is(r.unrecognised.templates[0].text, 'panic: quota ledger drifted');
});
