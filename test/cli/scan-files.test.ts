// `logmedic scan` over several files and globs, with grep's exit status: 0 when a line
// matched, 1 when none did, 2 when a file could not be read (the others still scanned).
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-scan-files-');
mkdirSync(join(dir, 'logs'));
const a = join(dir, 'a.log');
const b = join(dir, 'b.log');
writeFileSync(a, 'ok\nERROR disk full\nok\nERROR disk full\n');
writeFileSync(b, 'ERROR out of memory\nfine\n');
writeFileSync(join(dir, 'logs', 'c.log.gz'), gzipSync('ERROR one\nERROR two\nERROR three\n'));
writeFileSync(join(dir, 'logs', 'd.log.gz'), gzipSync('nothing here\n'));

test('several files and a quoted glob: totals and per-file counts in --json', async (t) => {
  const r = await runCli(['scan', a, b, 'logs/*.gz', '-e', 'ERROR', '-e', 'memory', '--json'], { cwd: dir });
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  const out = JSON.parse(r.stdout);
  t.deepEqual(
    out.files.map((f: { file: string; patterns: { count: number }[] }) => [f.file, f.patterns.map((p) => p.count)]),
    [[a, [2, 0]], [b, [1, 1]], ['logs/c.log.gz', [3, 0]], ['logs/d.log.gz', [0, 0]]],
  );
  t.deepEqual(out.patterns, [{ pattern: 'ERROR', count: 6 }, { pattern: 'memory', count: 1 }]);
  t.is(out.lines, 4 + 2 + 3 + 1);
  t.deepEqual(out.errors, []);
});

test('one file keeps the single-file JSON shape', async (t) => {
  const r = await runCli(['scan', a, '-e', 'ERROR', '--json']);
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.is(out.file, a);
  t.deepEqual(out.patterns, [{ pattern: 'ERROR', count: 2 }]);
  t.is(out.files, undefined);
});

test('nothing matched: exit 1, as grep', async (t) => {
  const one = await runCli(['scan', a, '-e', 'zzzznotthere']);
  t.is(one.code, 1, one.stderr);
  t.regex(one.stdout, /^\s+0 {2}zzzznotthere$/m);
  const many = await runCli(['scan', a, b, '-e', 'zzzznotthere', '--json']);
  t.is(many.code, 1, many.stderr);
  t.is(JSON.parse(many.stdout).patterns[0].count, 0);
});

test('a missing file among several: reported on stderr, the rest scanned, exit 2', async (t) => {
  const missing = join(dir, 'nope.log');
  const r = await runCli(['scan', a, missing, b, '-e', 'ERROR', '--json']);
  t.is(r.code, 2);
  t.deepEqual(r.stderr.trim().split('\n'), [r.stderr.trim()], 'one line');
  t.regex(r.stderr, /^logmedic: .*nope\.log.*no such file/);
  const out = JSON.parse(r.stdout);
  t.deepEqual(out.files.map((f: { file: string }) => f.file), [a, b]);
  t.is(out.patterns[0].count, 3);
  t.is(out.errors.length, 1);
  t.is(out.errors[0].code, 'E_NOT_FOUND');
});

test('a glob that names nothing is reported like a missing file', async (t) => {
  const r = await runCli(['scan', a, 'logs/*.zst', '-e', 'ERROR'], { cwd: dir });
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: logs\/\*\.zst: no file matches$/m);
  t.regex(r.stdout, /^\s+2 {2}ERROR$/m);
});

test('text output names the file of each hit and counts per file', async (t) => {
  const r = await runCli(['scan', a, b, '-e', 'ERROR', '--max-hits', '5']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, new RegExp(`${a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: ERROR disk full`));
  t.regex(r.stdout, /^\s+1 {2}matches in .*b\.log$/m);
  t.regex(r.stdout, /, 2 files\)$/m);
});
