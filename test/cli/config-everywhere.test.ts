// One config for every command: a catalog addition and an actionMap in the config change what
// analyze, test, recover and the shell report, found by --config or by the lookup (./logmedic.config.*);
// and `test FILE -e REGEX --type T` tries one rule on a log. Real CLI child processes, temp dirs.
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, runCli } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-config-everywhere-');
// An empty XDG config home: no config is found there, whatever the machine has.
const env = cleanEnv({ XDG_CONFIG_HOME: join(dir, 'xdg'), LC_ALL: 'C', LANG: 'C' });
const log = join(dir, 'render.log');
writeFileSync(
  log,
  [
    '2025-05-17 10:00:00,000 - render - ERROR - feature RENDER: license has expired',
    '2025-05-17 10:00:01,000 - render - INFO - frame 1 done',
    '2025-05-17 10:00:02,000 - render - ERROR - bucket scratch: quota exceeded (used 100 GiB of 100 GiB)',
    '2025-05-17 10:00:03,000 - render - INFO - frame 2 done',
    '2025-05-17 10:00:04,000 - render - ERROR - feature RENDER: license has expired',
    '',
  ].join('\n'),
);
const config = {
  catalog: {
    types: [{ name: 'LicenseExpired', category: 'other', description: 'the licence server refused us', priority: 50 }],
    patterns: [{ id: 'LicenseExpired/flexlm', type: 'LicenseExpired', pattern: 'license (?:has )?expired', origin: 'flexlm', match: ['ERROR: license has expired'], noMatch: ['license valid until 2030'] }],
  },
  actionMap: { LicenseExpired: ['restart_service'] },
};
const configFile = join(dir, 'ops.json');
writeFileSync(configFile, JSON.stringify(config));
// A working directory holding the config under its default name: found without --config.
const project = join(dir, 'project');
mkdirSync(project);
writeFileSync(join(project, 'logmedic.config.json'), JSON.stringify(config));
const bare = join(dir, 'bare');
mkdirSync(bare);

interface Diagnosis {
  errors: { type: string; count: number; actions: { action: string }[] }[];
}
const types = (stdout: string) => (JSON.parse(stdout) as Diagnosis).errors.map((e) => [e.type, e.count, e.actions.map((a) => a.action)]);

test('analyze reports the config pattern and its actionMap actions, with --config and found in the working directory', async (t) => {
  const [named, found, none] = await Promise.all([
    runCli(['analyze', log, '--json', '--config', configFile], { env, cwd: bare }),
    runCli(['analyze', log, '--json'], { env, cwd: project }),
    runCli(['analyze', log, '--json'], { env, cwd: bare }),
  ]);
  for (const r of [named, found]) {
    t.is(r.code, 1, r.stderr);
    t.deepEqual(types(r.stdout).find((e) => e[0] === 'LicenseExpired'), ['LicenseExpired', 2, ['restart_service']]);
  }
  t.is(none.code === 0 || none.code === 1, true, none.stderr);
  t.falsy(types(none.stdout).find((e) => e[0] === 'LicenseExpired'), 'without a config the type does not exist');
});

test('analyze -c: the human report names the type and the action the config maps it to', async (t) => {
  const r = await runCli(['analyze', log, '-c', configFile], { env, cwd: bare });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /Found error: LicenseExpired/);
  t.regex(r.stdout, /LicenseExpired[\s\S]*- restart_service/);
});

test('test: the self-test includes the config pattern and its samples; test FILE shows what it matched', async (t) => {
  const [plain, withConfig, file] = await Promise.all([
    runCli(['test', '--json'], { env, cwd: bare }),
    runCli(['test', '--json', '--config', configFile], { env, cwd: bare }),
    runCli(['test', log, '--json'], { env, cwd: project }),
  ]);
  t.is(plain.code, 0, plain.stderr);
  t.is(withConfig.code, 0, withConfig.stdout);
  const a = JSON.parse(plain.stdout) as { patterns: number; samples: number; ok: boolean };
  const b = JSON.parse(withConfig.stdout) as { patterns: number; samples: number; ok: boolean };
  t.true(b.ok);
  t.is(b.patterns, a.patterns + 1);
  t.is(b.samples, a.samples + 2);
  t.is(file.code, 0, file.stderr);
  const report = JSON.parse(file.stdout) as { patterns: { id: string; count: number; decided: number }[]; types: { type: string; count: number }[] };
  t.deepEqual(report.patterns.find((p) => p.id === 'LicenseExpired/flexlm'), { ...report.patterns.find((p) => p.id === 'LicenseExpired/flexlm')!, count: 2, decided: 2 });
  t.deepEqual(report.types.find((x) => x.type === 'LicenseExpired'), { type: 'LicenseExpired', count: 2 });
});

test('a config sample that the pattern contradicts is caught by test: exit 2 and one line', async (t) => {
  const bad = join(dir, 'contradicts.json');
  writeFileSync(bad, JSON.stringify({ catalog: { ...config.catalog, patterns: [{ ...config.catalog.patterns[0], noMatch: ['license has expired'] }] } }));
  const r = await runCli(['test', '--config', bad], { env, cwd: bare });
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: .*noMatch sample matches.*\n$/);
});

test('recover --dry-run plans from the config pattern and its actionMap', async (t) => {
  const r = await runCli(['recover', log, '--dry-run', '--config', configFile], { env, cwd: bare });
  t.not(r.code, null);
  t.regex(r.stdout + r.stderr, /LicenseExpired/);
  t.regex(r.stdout, /restart_service/);
});

test('the shell hands its --config to every command typed in it', async (t) => {
  const r = await runCli(['shell', '-c', configFile], { env, cwd: bare, input: `analyze ${log} --json\nexit\n` });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /"type": "LicenseExpired"/);
});

interface RuleReport {
  rule: { id: string; pattern: string; type: string };
  matchedLines: { count: number; lines: { line: number; text: string }[] };
  matchedRecords: { count: number; decided: number };
  changes: { count: number; records: { line: number; from: string | null; to: string | null }[] };
  types: { before: { type: string; count: number }[]; after: { type: string; count: number }[] };
}

test('test FILE -e REGEX --type T: the lines and records the rule matches and the records it would retype (JSON)', async (t) => {
  const r = await runCli(['test', log, '-e', 'quota exceeded', '--type', 'DiskSpace', '--json'], { env, cwd: bare });
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as RuleReport;
  t.is(report.rule.type, 'DiskSpace');
  t.is(report.matchedLines.count, 1);
  t.is(report.matchedLines.lines[0].line, 3);
  t.is(report.matchedRecords.count, 1);
  t.is(report.changes.count, 1);
  t.is(report.changes.records[0].line, 3);
  t.is(report.changes.records[0].to, 'DiskSpace');
  t.not(report.changes.records[0].from, 'DiskSpace');
  t.deepEqual(report.types.after.find((x) => x.type === 'DiskSpace'), { type: 'DiskSpace', count: 1 });
});

test('test FILE -e with the config: the rule can use the config type; a rule that changes nothing says so (text)', async (t) => {
  const [retype, same] = await Promise.all([
    runCli(['test', log, '-e', 'quota exceeded', '--type', 'LicenseExpired', '--config', configFile], { env, cwd: bare }),
    runCli(['test', log, '-e', 'license has expired', '--type', 'LicenseExpired', '-c', configFile], { env, cwd: bare }),
  ]);
  t.is(retype.code, 0, retype.stderr);
  t.regex(retype.stdout, /lines matched: 1 of 5/);
  t.regex(retype.stdout, /^\s+3: .*quota exceeded/m);
  t.regex(retype.stdout, /records whose type would change: 1\n\s+3: \(no record\) → LicenseExpired/);
  t.is(same.code, 0, same.stderr);
  t.regex(same.stdout, /lines matched: 2 of 5/);
  t.regex(same.stdout, /records whose type would change: 0\n?$/);
});

test('bad input: invalid regex, unknown type, -e without --type or file, a missing or broken config: exit 2, one line', async (t) => {
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'catalog: [\n');
  const cases: [string, string[], RegExp][] = [
    ['invalid regex', ['test', log, '-e', 'quota (', '--type', 'DiskSpace'], /-e: invalid pattern/],
    ['unknown type', ['test', log, '-e', 'quota', '--type', 'NoSuchType'], /--type: unknown error type "NoSuchType"/],
    ['no --type', ['test', log, '-e', 'quota'], /-e needs --type/],
    ['no file', ['test', '-e', 'quota', '--type', 'DiskSpace'], /-e needs a log file/],
    ['--type alone', ['test', log, '--type', 'DiskSpace'], /--type goes with -e/],
    ['analyze, missing config', ['analyze', log, '--config', join(dir, 'nope.json')], /cannot read the config file/],
    ['test, broken config', ['test', log, '-c', broken], /invalid YAML/],
    ['shell, missing config', ['shell', '--config', join(dir, 'nope.json')], /cannot read the config file/],
  ];
  const runs = await Promise.all(cases.map(([, args]) => runCli(args, { env, cwd: bare })));
  cases.forEach(([what, , message], i) => {
    const r = runs[i];
    t.is(r.code, 2, `${what}: ${r.stdout}${r.stderr}`);
    t.regex(r.stderr, /^logmedic: [^\n]+\n$/, what);
    t.regex(r.stderr, message, what);
  });
});
