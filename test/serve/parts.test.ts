// The server's pure pieces, table-driven: the serve section's validation (one clear message
// per mistake), the per-minute bars, record filters, context lines, and which logs the roots
// let through, and that the JSON types shared with the page hold no code.
import test from 'ava';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bars, contextLines, matches } from '../../src/serve/analysis.js';
import { hashPassword } from '../../src/serve/auth.js';
import { parseServeSection } from '../../src/serve/config.js';
import { LogRoots } from '../../src/serve/logs.js';
import type { Diagnosis, LogRecord, TypeSummary } from '../../src/diagnosis/types.js';
import { tempDir } from '../_tmp.js';

const bad: [string, unknown, RegExp][] = [
  ['not a mapping', ['logs'], /serve: must be a mapping/],
  ['unknown field', { log: [] }, /serve\.log: unknown field \(expected one of: logs, users, uploadMaxMB\)/],
  ['logs not a list', { logs: 'logs/*.log' }, /serve\.logs: must be a list of paths or globs/],
  ['empty glob', { logs: [''] }, /serve\.logs: must be a list/],
  ['user without secret', { users: [{ name: 'a', role: 'operator' }] }, /serve\.users\[0\]: needs a password hash or a token hash/],
  ['plain password', { users: [{ name: 'a', role: 'operator', password: 'hunter22' }] }, /serve\.users\[0\]\.password: must be a hash/],
  ['plain token', { users: [{ name: 'a', role: 'viewer', token: 'abc' }] }, /serve\.users\[0\]\.token: must be sha256:/],
  ['unknown role', { users: [{ name: 'a', role: 'admin', token: `sha256:${'0'.repeat(64)}` }] }, /serve\.users\[0\]\.role: must be viewer or operator/],
  ['odd name', { users: [{ name: 'a b', role: 'viewer', token: `sha256:${'0'.repeat(64)}` }] }, /serve\.users\[0\]\.name: a name of letters/],
  ['twice', { users: [{ name: 'a', role: 'viewer', token: `sha256:${'0'.repeat(64)}` }, { name: 'a', role: 'viewer', token: `sha256:${'1'.repeat(64)}` }] }, /serve\.users\[1\]\.name: a is listed twice/],
  ['upload size', { uploadMaxMB: -1 }, /serve\.uploadMaxMB: must be a number of MB/],
];
for (const [name, raw, message] of bad) {
  test(`serve section: ${name}`, (t) => {
    const err = t.throws(() => parseServeSection(raw, '/srv/logmedic.config.yaml', '/srv'));
    t.regex(err!.message, /^\/srv\/logmedic\.config\.yaml: /);
    t.regex(err!.message, message);
    t.is((err as { code?: string }).code, 'E_CONFIG');
  });
}

test('serve section: relative globs are taken from the config directory; defaults', (t) => {
  const s = parseServeSection({ logs: ['logs/*.log', '/var/log/app.log'], users: [{ name: 'alice', role: 'operator', password: hashPassword('correct horse') }] }, '/srv/c.yaml', '/srv');
  t.deepEqual(s.logs, ['/srv/logs/*.log', '/var/log/app.log']);
  t.is(s.uploadMaxBytes, 64 << 20);
  t.deepEqual(parseServeSection(undefined, undefined, '/srv'), { logs: [], users: [], uploadMaxBytes: 64 << 20 });
});

const summary = (type: string, timeline: { minute: string; count: number }[]): TypeSummary => ({ type, count: timeline.reduce((a, p) => a + p.count, 0), first: { line: 1, file: 'a' }, last: { line: 2, file: 'a' }, messages: [], timeline, samples: [], actions: [] });
const diag = (errors: TypeSummary[]): Diagnosis => ({ schema: 1, files: ['a'], bytes: 1, lines: 1, elapsedMs: 1, engine: 'regex', errors, changed: [] });

test('bars: minutes between the first and last are filled with zeros; types without times draw nothing', (t) => {
  const b = bars(diag([summary('OutOfMemory', [{ minute: '2025-05-17T10:05', count: 2 }]), summary('ConnectionError', [{ minute: '2025-05-17T10:02', count: 1 }, { minute: '2025-05-17T10:03', count: 4 }]), summary('KeyError', [])]));
  t.deepEqual(b.minutes, ['2025-05-17T10:02', '2025-05-17T10:03', '2025-05-17T10:04', '2025-05-17T10:05']);
  t.deepEqual(b.series, [
    { type: 'OutOfMemory', counts: [0, 0, 0, 2] },
    { type: 'ConnectionError', counts: [1, 4, 0, 0] },
  ]);
});

test('bars: over a week apart, only the minutes with records (no million empty bars)', (t) => {
  const b = bars(diag([summary('Timeout', [{ minute: '2025-01-01T00:00', count: 1 }, { minute: '2025-03-01T00:00', count: 1 }])]));
  t.deepEqual(b.minutes, ['2025-01-01T00:00', '2025-03-01T00:00']);
});

const rec = (p: Partial<LogRecord>): LogRecord => ({ type: 'OutOfMemory', patternId: 'x', file: '/l/a.log', line: 1, endLine: 1, offset: 0, message: '', text: '', frames: [], objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [] }, ...p });

test('record filters: type, file, time range (from inclusive, to exclusive), text; records without a time drop out of a time range', (t) => {
  const r = rec({ type: 'OutOfMemory', time: '2025-05-17T10:05:20.000', text: 'CUDA out of memory' });
  t.true(matches(r, {}));
  t.true(matches(r, { type: 'OutOfMemory', from: '2025-05-17T10:05', to: '2025-05-17T10:06', file: '/l/a.log', text: 'cuda' }));
  t.false(matches(r, { type: 'GPUError' }));
  t.false(matches(r, { file: '/l/b.log' }));
  t.false(matches(r, { from: '2025-05-17T10:06' }));
  t.false(matches(r, { to: '2025-05-17T10:05' }));
  t.false(matches(r, { text: 'disk' }));
  t.false(matches(rec({}), { from: '2025-05-17T10:00' }));
});

const dir = tempDir('logmedic-serve-parts-');

test('context lines: the lines just before and after a record, none past either end of the file', (t) => {
  const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
  const file = join(dir, 'ctx.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const offsetOf = (n: number) => lines.slice(0, n - 1).join('\n').length + (n > 1 ? 1 : 0);
  const mid = rec({ line: 6, endLine: 7, offset: offsetOf(6), text: 'line 6\nline 7' });
  t.deepEqual(contextLines(file, mid, 3), { before: ['line 3', 'line 4', 'line 5'], after: ['line 8', 'line 9', 'line 10'] });
  t.deepEqual(contextLines(file, rec({ line: 1, offset: 0, text: 'line 1' }), 3), { before: [], after: ['line 2', 'line 3', 'line 4'] });
  t.deepEqual(contextLines(file, rec({ line: 12, offset: offsetOf(12), text: 'line 12' }), 3), { before: ['line 9', 'line 10', 'line 11'], after: [] });
  t.deepEqual(contextLines(join(dir, 'gone.log'), mid), { before: [], after: [] });
});

test('log roots: files the globs name, not a symlink out of the glob directory, not a path spelled another way', (t) => {
  mkdirSync(join(dir, 'logs/sub'), { recursive: true });
  mkdirSync(join(dir, 'private'));
  writeFileSync(join(dir, 'logs/a.log'), 'a\n');
  writeFileSync(join(dir, 'logs/sub/b.log'), 'b\n');
  writeFileSync(join(dir, 'logs/notes.txt'), 'n\n');
  writeFileSync(join(dir, 'private/p.log'), 'p\n');
  symlinkSync(join(dir, 'private/p.log'), join(dir, 'logs/out.log'));
  symlinkSync(join(dir, 'logs/a.log'), join(dir, 'logs/inside.log'));
  const roots = new LogRoots([join(dir, 'logs/**/*.log')]);
  t.deepEqual(roots.list().map((e) => e.path.slice(dir.length)).sort(), ['/logs/a.log', '/logs/sub/b.log']);
  t.is(roots.resolve(join(dir, 'logs/a.log')), join(dir, 'logs/a.log'));
  t.is(roots.resolve(join(dir, 'logs/sub/b.log')), join(dir, 'logs/sub/b.log'));
  for (const p of [join(dir, 'logs/out.log'), join(dir, 'private/p.log'), `${dir}/logs/sub/../a.log`, `${dir}/logs/./a.log`, 'logs/a.log', join(dir, 'logs/notes.txt'), '']) t.is(roots.resolve(p), undefined, p);
});

test('the view types are types only: the page compiles them too and must load nothing from them', async (t) => {
  t.deepEqual(Object.keys(await import('../../src/serve/view-types.js')), []);
});
