// `logmedic templates` as users run it: the built executable in a child process, on real
// files in a temp dir. Lines of one event share a template and an id whatever their
// values; `--ids` gives one id per line, in order; bad input is one `logmedic:` line and
// exit code 2.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tempDir } from './_tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

const dir = tempDir('logmedic-templates-');

const LOG = [
  '2025-05-17 10:05:00,001 INFO worker - job 17 done in 35 ms',
  '2025-05-17 10:05:01,002 ERROR worker - disk /dev/sda1 full on node-3',
  '2025-05-17 10:05:02,003 INFO worker - job 18 done in 12 ms',
  '2025-05-17 10:05:03,004 ERROR worker - disk /dev/sdb2 full on node-9',
  '2025-05-17 10:05:04,005 INFO worker - shutting down',
  '2025-05-17 10:05:05,006 INFO worker - job 19 done in 7 ms',
].join('\n') + '\n';
const logPath = join(dir, 'app.log');
writeFileSync(logPath, LOG);
const gzPath = join(dir, 'app.log.gz');
writeFileSync(gzPath, gzipSync(LOG));

function cli(args: string[]) {
  const env = { ...process.env, NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Json {
  lines: number;
  templates: { id: string; text: string; count: number; first: { file: string; line: number; time?: string }; last: { file: string; line: number }; example: string; levels: string[]; error: boolean }[];
  lineIds?: (string | null)[];
}

test('the JSON lists each template once with its count, first and last line, example and levels', (t) => {
  const r = cli(['templates', logPath, '--json']);
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Json;
  t.is(out.lines, 6);
  t.deepEqual(out.templates.map((x) => [x.text, x.count]), [
    ['job <*> done in <*> ms', 3],
    ['disk <*> full on <*>', 2],
    ['shutting down', 1],
  ]);
  const job = out.templates[0];
  t.deepEqual([job.first.line, job.last.line, job.first.file], [1, 6, logPath]);
  t.is(job.first.time, '2025-05-17T10:05:00.001');
  t.is(job.example, LOG.split('\n')[0]);
  t.deepEqual(out.templates[1].levels, ['ERROR']);
  t.true(out.templates[1].error);
  t.false(job.error);
});

test('--ids prints one template id per input line, in order, the ids of the listing', (t) => {
  const r = cli(['templates', logPath, '--ids']);
  t.is(r.code, 0, r.stderr);
  const ids = r.stdout.trimEnd().split('\n');
  const listed = (JSON.parse(cli(['templates', logPath, '--json']).stdout) as Json).templates.map((x) => x.id);
  t.deepEqual(ids, [listed[0], listed[1], listed[0], listed[1], listed[2], listed[0]]);
});

test('the text listing puts the most frequent template first, with where it was seen', (t) => {
  const r = cli(['templates', logPath]);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  t.regex(lines[0], /^\s+3\s+[0-9a-f]{12}\s+job <\*> done in <\*> ms$/);
  t.regex(lines[1], /first line 1, last line 6: /);
  t.is(lines.at(-1), '3 templates in 6 lines');
});

test('--errors-only mines error lines only; the others get - in --ids', (t) => {
  const r = cli(['templates', logPath, '--errors-only', '--json', '--ids']);
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Json;
  t.deepEqual(out.templates.map((x) => x.text), ['disk <*> full on <*>']);
  const id = out.templates[0].id;
  t.deepEqual(out.lineIds, [null, id, null, id, null, null]);
  t.deepEqual(cli(['templates', logPath, '--errors-only', '--ids']).stdout.trimEnd().split('\n'), ['-', id, '-', id, '-', '-']);
});

test('several files are one input: shared templates, sightings name their file; gzip reads the same', (t) => {
  const out = JSON.parse(cli(['templates', logPath, gzPath, '--json']).stdout) as Json;
  t.is(out.lines, 12);
  t.deepEqual(out.templates.map((x) => x.count), [6, 4, 2]);
  t.deepEqual([out.templates[0].first.file, out.templates[0].last.file, out.templates[0].last.line], [logPath, gzPath, 6]);
  const plain = JSON.parse(cli(['templates', logPath, '--json']).stdout) as Json;
  const gz = JSON.parse(cli(['templates', gzPath, '--json']).stdout) as Json;
  t.deepEqual(gz.templates.map((x) => [x.id, x.count]), plain.templates.map((x) => [x.id, x.count]));
});

for (const [name, args, message] of [
  ['a missing file', ['templates', join(dir, 'missing.log')], /^logmedic: .*missing\.log: no such file\n$/],
  ['a directory', ['templates', dir], /^logmedic: .*: is a directory\n$/],
  ['no file', ['templates'], /^logmedic: .*arguments.*\n$/],
  ['--threads 0', ['templates', logPath, '--threads', '0'], /^logmedic: --threads must be a whole number of at least 1, got 0\n$/],
  ['an unknown option', ['templates', logPath, '--bogus'], /^logmedic: .*bogus.*\n$/],
] as const) {
  test(`bad input (${name}): one line on stderr, exit code 2, nothing on stdout`, (t) => {
    const r = cli([...args]);
    t.is(r.code, 2);
    t.regex(r.stderr, message);
    t.is(r.stdout, '');
  });
}
