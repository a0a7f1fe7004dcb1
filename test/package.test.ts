// The package as people install it: the napi-rs per-platform layout, the packed tarballs
// installed into a clean directory with no Rust toolchain on PATH (CLI, ESM import, a strict
// TypeScript consumer, a global install, a missing addon), and the operator files that ship
// with it (config schema vs. validator, man page, systemd unit, fish completion, `config`).
import test from 'ava';
import Ajv from 'ajv';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { LogmedicError } from '../src/errors.js';
import { loadServeConfig } from '../src/serve/config.js';
import { tempDir } from './_tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
}

// ---------------------------------------------------------------------------------------------
// Layout

const TRIPLES: Record<string, string> = {
  'x86_64-unknown-linux-gnu': 'linux-x64-gnu',
  'aarch64-unknown-linux-gnu': 'linux-arm64-gnu',
  'x86_64-unknown-linux-musl': 'linux-x64-musl',
  'aarch64-apple-darwin': 'darwin-arm64',
  'x86_64-apple-darwin': 'darwin-x64',
  'x86_64-pc-windows-msvc': 'win32-x64-msvc',
};

test('one npm/<platform> package per napi target, each holding one .node the loader looks for', (t) => {
  const dirs = readdirSync(join(ROOT, 'npm')).sort();
  t.deepEqual(dirs, (pkg.napi.targets as string[]).map((tr) => TRIPLES[tr]).sort());
  const loader = readFileSync(join(ROOT, 'native', 'index.cjs'), 'utf8');
  for (const dir of dirs) {
    const p = JSON.parse(readFileSync(join(ROOT, 'npm', dir, 'package.json'), 'utf8'));
    const [os, cpu, abi] = dir.split('-');
    t.is(p.name, `logmedic-${dir}`);
    t.is(p.version, pkg.version, `${dir}: versions move together`);
    t.is(p.main, `logmedic.${dir}.node`);
    t.deepEqual(p.files, [p.main]);
    t.deepEqual(p.os, [os]);
    t.deepEqual(p.cpu, [cpu]);
    if (os === 'linux') t.deepEqual(p.libc, [abi === 'musl' ? 'musl' : 'glibc']);
    t.true(loader.includes(`require('${p.name}')`), `the loader requires ${p.name}`);
    t.true(loader.includes(`require('./${p.main}')`), `the loader tries a local ./${p.main}`);
  }
  // The repository lists no platform package: `npm ci` must not look up unpublished packages.
  t.is(pkg.optionalDependencies, undefined);
});

test('what the package ships: typings of the loader, the exports the docs use, a LICENSE', (t) => {
  t.true((pkg.files as string[]).includes('native/index.d.cts'));
  t.regex(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
  const listed = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8' });
  const files = (JSON.parse(listed.stdout)[0].files as { path: string }[]).map((f) => f.path);
  for (const f of ['native/index.cjs', 'native/index.d.cts', 'dist/index.d.ts', 'LICENSE', 'man/logmedic.1', 'schema/logmedic.config.schema.json', 'contrib/systemd/logmedic-watch.service', 'scripts/build-addon.mjs', 'Cargo.lock', 'crates/logmedic-core/src/lib.rs', 'crates/logmedic-napi/src/lib.rs', 'crates/logmedic-napi/build.rs']) {
    t.true(files.includes(f), `the package ships ${f}`);
  }
  t.deepEqual(files.filter((f) => f.endsWith('.node')), [], 'the addon ships in its platform package, not in the main one');
  t.is(pkg.license, 'MIT');
  for (const [subpath, target] of Object.entries(pkg.exports as Record<string, string | { types: string; default: string }>)) {
    const files = typeof target === 'string' ? [target] : [target.types, target.default];
    for (const f of files) t.true(existsSync(join(ROOT, f)), `${subpath} → ${f}`);
  }
});

test('--version is logmedic\'s own, whatever package.json the working directory has', (t) => {
  const dir = tempDir('logmedic-version-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host', version: '9.9.9' }));
  const r = cli(['--version'], { cwd: dir });
  t.is(r.status, 0);
  t.is(r.stdout.trim(), pkg.version);
});

// ---------------------------------------------------------------------------------------------
// The config: schema and validator agree; `config check` and `config show`

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'logmedic.config.schema.json'), 'utf8'));
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** [name, config, valid?] — each is run through both the JSON Schema and the validator. */
const CASES: [string, unknown, boolean][] = [
  ['empty', {}, true],
  ['notes are ignored', { $comment: 'hi', cache: { $why: 'x', dirs: ['cache/'] } }, true],
  ['the full example', YAML.parse(readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8').split('## Every key')[1].split('```yaml\n')[1].split('```')[0]), true],
  ['a service by systemd', { services: { api: { systemd: 'api.service' } } }, true],
  ['a service by start + pidFile', { services: { api: { start: ['python3', '-m', 'api'], pidFile: 'run/api.pid' } } }, true],
  ['a start command as a shell string', { services: { api: { start: 'python3 -m api', pidFile: 'run/api.pid' } } }, false],
  ['start without pidFile', { services: { api: { start: ['api'] } } }, false],
  ['a service with neither', { services: { api: { loggers: ['api'] } } }, false],
  ['a bad service name', { services: { '9api': { systemd: 'api' } } }, false],
  ['a bad unit name', { services: { api: { systemd: 'api service' } } }, false],
  ['an unknown top-level key', { sevrices: {} }, false],
  ['an unknown nested key', { cache: { dir: ['x'] } }, false],
  ['cache.dirs not a list', { cache: { dirs: 'cache/' } }, false],
  ['a negative minFreeBytes', { cache: { minFreeBytes: -1 } }, false],
  ['a fractional minFreeBytes', { cache: { minFreeBytes: 1.5 } }, false],
  ['a quantization ladder of one', { quantization: { file: 'q.yaml', key: 'q', ladder: ['Q4'] } }, false],
  ['a quantization ladder with a repeat', { quantization: { file: 'q.yaml', key: 'q', ladder: ['Q4', 'Q4'] } }, false],
  ['a quantization file of another format', { quantization: { file: 'q.toml', key: 'q', ladder: ['Q5', 'Q4'] } }, false],
  ['a quantization .YML file', { quantization: { file: 'q.YML', key: 'q', ladder: ['Q5', 'Q4'] } }, true],
  ['a quantization without key', { quantization: { file: 'q.yaml', ladder: ['Q5', 'Q4'] } }, false],
  ['modes as octal strings', { permissions: { roots: ['data/'], fileMode: '0644', dirMode: '755' } }, true],
  ['a setuid mode', { permissions: { fileMode: '4755' } }, false],
  ['a mode that is not octal', { permissions: { fileMode: '0986' } }, false],
  ['an owner user:group', { permissions: { owner: 'app:app' } }, true],
  ['an owner with a space', { permissions: { owner: 'app user' } }, false],
  ['lock names empty', { locks: { names: [] } }, false],
  ['a dump command without {pid}', { locks: { dumpCommand: ['py-spy', 'dump'] } }, false],
  ['a dump command with {pid}', { locks: { dumpCommand: ['py-spy', 'dump', '--pid', '{pid}'] } }, true],
  ['an unknown signal', { gpu: { signal: 'SIGFOO' } }, false],
  ['endOrphans without a user', { gpu: { endOrphans: true } }, false],
  ['endOrphans with a user', { gpu: { endOrphans: true, user: 'app' } }, true],
  ['a circuit of zero attempts', { policy: { circuit: { maxAttempts: 0 } } }, false],
  ['maxActionsPerHour 0', { policy: { maxActionsPerHour: 0 } }, false],
  ['a user action', { actions: { notify: { command: ['/usr/local/bin/page'], timeoutSeconds: 5 } }, actionMap: { Timeout: ['notify', 'restart_service'] } }, true],
  ['a user action named like a built-in', { actions: { clean_cache: { command: ['x'] } } }, false],
  ['a user action name in upper case', { actions: { Notify: { command: ['x'] } } }, false],
  ['a user action without command', { actions: { notify: { timeoutSeconds: 5 } } }, false],
  ['a watch rule', { watch: { checkpointSeconds: 2, rules: [{ type: 'OutOfMemory', threshold: 3, windowSeconds: 60, perTarget: true }] } }, true],
  ['a watch rule of threshold 0', { watch: { rules: [{ type: 'OutOfMemory', threshold: 0, windowSeconds: 60 }] } }, false],
  ['a watch rule with an unknown key', { watch: { rules: [{ type: '*', threshold: 1, windowSeconds: 60, every: 1 }] } }, false],
  ['watch.checkpointSeconds 0', { watch: { checkpointSeconds: 0 } }, false],
  ['a catalog type of an unknown category', { catalog: { types: [{ name: 'X', category: 'weird', priority: 1, description: 'x' }] } }, false],
  ['a catalog with an unknown key', { catalog: { typos: [] } }, false],
  ['a catalog pattern', { catalog: { patterns: [{ id: 'Timeout/job', type: 'Timeout', pattern: 'job \\d+ timed out after', match: ['job 7 timed out after 30s'], noMatch: ['job 7 done'] }] } }, true],
  ['a default service', { services: { api: { systemd: 'api.service', default: true } } }, true],
  ['default not a boolean', { services: { api: { systemd: 'api.service', default: 'yes' } } }, false],
  ['alsoActOn a known class', { policy: { alsoActOn: ['peer-fault', 'informational'] } }, true],
  ['alsoActOn an unknown class', { policy: { alsoActOn: ['everything'] } }, false],
  ['safety with an unknown key', { safety: { allowRoots: ['/'] } }, false],
  ['safety allowing a root', { safety: { allowSystemRoots: ['/run/lock'] }, locks: { dirs: ['/run/lock'] } }, true],
  ['a mode as a YAML number', { permissions: { fileMode: 644 } }, false],
  ['a serve section', { serve: { logs: ['logs/*.log'], uploadMaxMB: 16, users: [{ name: 'ops', role: 'operator', token: `sha256:${'a'.repeat(64)}` }] } }, true],
  ['a serve user without credentials', { serve: { users: [{ name: 'ops', role: 'viewer' }] } }, false],
  ['a serve user with a plain password', { serve: { users: [{ name: 'ops', role: 'viewer', password: 'hunter2' }] } }, false],
  ['a serve upload limit too large', { serve: { uploadMaxMB: 5000 } }, false],
  ['a catalog pattern without type', { catalog: { patterns: [{ id: 'Timeout/job', pattern: 'x' }] } }, false],
  ['a default service started from argv', { services: { api: { start: ['api'], pidFile: 'run/api.pid', default: true } } }, true],
  ['records of a class acted on anyway', { policy: { alsoActOn: ['peer-fault', 'informational'] } }, true],
  ['an unknown record class', { policy: { alsoActOn: ['everything'] } }, false],
  ['acting on inferred types above a confidence', { policy: { inferred: { allow: true, minConfidence: 0.95 } } }, true],
  ['an inferred-type confidence above 1', { policy: { inferred: { minConfidence: 1.5 } } }, false],
  ['an unknown policy.inferred key', { policy: { inferred: { always: true } } }, false],
  ['a system directory allowed as a root', { locks: { dirs: ['/run/lock'] }, safety: { allowSystemRoots: ['/run/lock'] } }, true],
  ['an unknown safety key', { safety: { allowAll: true } }, false],
];

function validatorAccepts(config: unknown): { ok: boolean; message?: string } {
  const dir = tempDir('logmedic-schema-');
  const file = join(dir, 'logmedic.config.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    loadServeConfig(file, dir);
    return { ok: true };
  } catch (err) {
    if (err instanceof LogmedicError && err.code === 'E_CONFIG') return { ok: false, message: err.message };
    throw err;
  }
}

for (const [name, config, valid] of CASES) {
  test(`config schema and validator agree: ${name}`, (t) => {
    const v = validatorAccepts(config);
    t.is(v.ok, valid, `validator: ${v.message ?? 'accepted'}`);
    t.is(validateSchema(config), valid, `schema: ${JSON.stringify(validateSchema.errors?.slice(0, 3))}`);
  });
}

test('config check: a valid file, an invalid one, none at all', (t) => {
  const dir = tempDir('logmedic-config-');
  const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), HOME: dir };
  const none = cli(['config', 'check'], { cwd: dir, env });
  t.is(none.status, 2);
  t.regex(none.stderr, /^logmedic: config check: no config file found .*\n$/);
  writeFileSync(join(dir, 'logmedic.config.yaml'), 'cache:\n  dirs: [cache/]\nwatch:\n  rules:\n    - { type: OutOfMemory, threshold: 3, windowSeconds: 60 }\n');
  const ok = cli(['config', 'check'], { cwd: dir, env });
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /logmedic\.config\.yaml: valid \(0 service\(s\), 0 user action\(s\), 1 watch rule\(s\)\)/);
  writeFileSync(join(dir, 'bad.yaml'), 'services:\n  api:\n    start: python3 -m api\n    pidFile: api.pid\n');
  const bad = cli(['config', 'check', 'bad.yaml'], { cwd: dir, env });
  t.is(bad.status, 2);
  t.is(bad.stderr.split('\n').length, 2, 'one line');
  t.regex(bad.stderr, /bad\.yaml: services\.api\.start: must be an argv array/);
  writeFileSync(join(dir, 'bad-watch.yaml'), 'watch:\n  rules: 3\n');
  t.is(cli(['config', 'check', 'bad-watch.yaml'], { cwd: dir, env }).status, 2, 'the watch section is checked too');
});

test('config show: the effective config, defaults filled in and paths absolute', (t) => {
  const dir = tempDir('logmedic-config-');
  const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), HOME: dir };
  writeFileSync(join(dir, 'logmedic.config.yaml'), 'cache:\n  dirs: [cache/]\npermissions:\n  fileMode: "0640"\n');
  const r = cli(['config', 'show', '--json'], { cwd: dir, env });
  t.is(r.status, 0, r.stderr);
  const shown = JSON.parse(r.stdout);
  t.is(shown.file, join(dir, 'logmedic.config.yaml'));
  t.deepEqual(shown.cache.dirs, [join(dir, 'cache')]);
  t.is(shown.cache.minFreeBytes, 1024 ** 3);
  t.is(shown.permissions.fileMode, '0640');
  t.is(shown.policy.cooldownSeconds, 300);
  t.deepEqual(shown.watch, { rules: [], checkpointSeconds: 5 });
  const yaml = cli(['config', 'show'], { cwd: dir, env });
  t.deepEqual(YAML.parse(yaml.stdout), shown, 'YAML by default, the same content');
});

// ---------------------------------------------------------------------------------------------
// Man page, completion, systemd unit

test('man/logmedic.1 is current (npm run man) and lists every command', (t) => {
  const r = cli(['man']);
  t.is(r.status, 0);
  t.is(readFileSync(join(ROOT, 'man', 'logmedic.1'), 'utf8'), r.stdout, 'run `npm run man`');
  for (const c of ['analyze', 'recover', 'watch', 'config', 'completion', 'genlog', 'perf', 'scan', 'test']) t.regex(r.stdout, new RegExp(`^\\.SS "logmedic ${c}\\b`, 'm'));
  // The exit codes are the README's.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const readmeCodes = [...readme.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1]);
  const manCodes = [...r.stdout.split('.SH EXIT STATUS')[1].split('.SH ')[0].matchAll(/^\.B (\d+)$/gm)].map((m) => m[1]);
  t.deepEqual(manCodes, readmeCodes);
  const groff = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', join(ROOT, 'man', 'logmedic.1')], { encoding: 'utf8' });
  if (groff.error) t.log('groff not installed: roff syntax not checked');
  else t.is(groff.stderr, '', 'groff warnings');
});

test('fish completion: every command and its options, valid fish', (t) => {
  const r = cli(['completion', 'fish']);
  t.is(r.status, 0);
  t.regex(r.stdout, /^complete -c logmedic -n __fish_use_subcommand -a 'analyze' -d /m);
  t.regex(r.stdout, /-n '__fish_seen_subcommand_from analyze' -l engine -x -a 'auto hyperscan regex'/);
  t.regex(r.stdout, /-n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from check show' -x -a 'check show'$/m);
  t.notRegex(r.stdout, /-l paths\b/, 'positionals are not options');
  t.regex(r.stdout, /-n '__fish_seen_subcommand_from analyze' -F$/m, 'files complete for analyze');
  const fish = spawnSync('fish', ['--no-execute', '-c', r.stdout], { encoding: 'utf8' });
  if (fish.error) t.log('fish not installed: syntax not checked');
  else t.is(fish.status, 0, fish.stderr);
});

test('the systemd unit verifies', (t) => {
  const unit = join(ROOT, 'contrib', 'systemd', 'logmedic-watch.service');
  t.regex(readFileSync(unit, 'utf8'), /^ExecStart=\/usr\/bin\/env logmedic watch /m);
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    t.log('systemd-analyze not installed: the unit was not verified');
    return;
  }
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
  // `User=app` names an account this machine may lack; everything else must verify cleanly.
  const problems = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/User=|user app|Unknown user/i.test(l));
  t.deepEqual(problems, []);
});

// ---------------------------------------------------------------------------------------------
// The packed tarballs, installed where no Rust toolchain is

/** PATH without cargo: node and the system's usual directories only. */
function pathWithoutRust(): string {
  const dirs = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'];
  return [...new Set(dirs)].filter((d) => !existsSync(join(d, 'cargo'))).join(delimiter);
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', timeout: 300_000 });
}

test.serial('packed tarballs install and work without a Rust toolchain: CLI, ESM, strict tsc, global install, no addon', (t) => {
  t.timeout(600_000);
  const work = tempDir('logmedic-install-');
  const out = join(work, 'tarballs');
  const packed = spawnSync(process.execPath, [join(ROOT, 'scripts', 'pack.mjs'), out], { encoding: 'utf8', cwd: ROOT });
  t.is(packed.status, 0, packed.stderr);
  const [main, platform] = packed.stdout.trim().split('\n');
  t.regex(main, /logmedic-\d+\.\d+\.\d+\.tgz$/);
  t.regex(platform ?? '', /logmedic-linux-x64-gnu-\d+\.\d+\.\d+\.tgz$/, 'the addon built here is packed beside the main package');
  // The user's npm settings (registry, proxy, cache) stay; only the toolchain leaves the PATH.
  // `npm test` exports npm_* settings of its own run (a prefix, a lifecycle): drop them.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig)$/i.test(k)));
  Object.assign(env, { PATH: pathWithoutRust(), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_yes: 'false', NO_COLOR: '1' });
  t.not(sh('command -v cargo', work, env).status, 0, 'cargo is not on this PATH');

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = sh(`npm install --no-audit --no-fund ${main} ${platform}`, app, env);
  t.is(install.status, 0, install.stderr);
  t.notRegex(install.stderr, /EBADENGINE|install-scripts/);

  const version = sh('npx logmedic --version', app, env);
  t.is(version.stdout.trim(), pkg.version, version.stderr);
  const analyze = sh(`npx logmedic analyze ${join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log')} --json`, app, env);
  t.is(analyze.status, 1, analyze.stderr);
  t.true(JSON.parse(analyze.stdout).errors.some((e: { type: string }) => e.type === 'OutOfMemory'));
  // The bin is the bundled CLI (scripts/bundle-cli.mjs), its chunks and the addon found from
  // the installed layout; the self-test runs every sample through both engines there.
  t.regex(readFileSync(join(app, 'node_modules', 'logmedic', 'dist', 'cli', 'main.js'), 'utf8'), /^\/\/ src\/cli\/fast-path\.ts$/m);
  const selfTest = sh('npx logmedic test --json', app, env);
  t.is(selfTest.status, 0, selfTest.stderr);
  t.true(JSON.parse(selfTest.stdout).ok);

  writeFileSync(
    join(app, 'esm.mjs'),
    `import { LogAnalyzer, classifyLine, defaultCatalog, selfTest, loadConfig } from 'logmedic';
import { mergeCatalog } from 'logmedic/catalog';
import { findConfig } from 'logmedic/config';
const c = classifyLine(mergeCatalog(defaultCatalog(), null), 'RuntimeError: CUDA out of memory');
const d = new LogAnalyzer().diagnoseFromLogsSync(Buffer.from('ERROR: No space left on device\\n'));
console.log(c?.type, d.errors[0].type, typeof selfTest, typeof loadConfig, findConfig({ cwd: '/' }) ?? 'none');
`,
  );
  const esm = sh('node esm.mjs', app, env);
  t.is(esm.stdout.trim(), 'OutOfMemory DiskSpace function function none', esm.stderr);

  // A strict TypeScript consumer (TypeScript and Node's typings from this repository).
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(
    join(app, 'consumer.ts'),
    `import { LogAnalyzer, PatternSet, classifyLine, defaultCatalog, type Diagnosis, type LogRecord } from 'logmedic';
import { loadConfig } from 'logmedic/config';
const d: Diagnosis = await new LogAnalyzer({ threads: 1 }).diagnoseFromLogs('app.log');
const first: LogRecord | undefined = d.errors[0]?.samples[0];
const hits: number = new PatternSet(['x']).scanBufferSync(Buffer.from('x\\n')).patterns[0].count;
console.log(first?.line, hits, classifyLine(defaultCatalog(), 'x')?.type, loadConfig().state.dir);
`,
  );
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'], skipLibCheck: false }, files: ['consumer.ts'] }));
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { encoding: 'utf8', cwd: app });
  t.is(tsc.status, 0, tsc.stdout + tsc.stderr);

  // A global install, into a prefix of its own.
  const prefix = join(work, 'global');
  const global = sh(`npm install -g --prefix ${prefix} --no-audit --no-fund ${main} ${platform}`, work, env);
  t.is(global.status, 0, global.stderr);
  const globalRun = sh(`${join(prefix, 'bin', 'logmedic')} analyze ${join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log')}`, work, env);
  t.is(globalRun.status, 1, globalRun.stderr);
  t.regex(globalRun.stdout, /Found error: OutOfMemory/);

  // The main package alone: no addon for this machine → one line and the command that builds it.
  const bare = join(work, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0', private: true }));
  t.is(sh(`npm install --no-audit --no-fund ${main}`, bare, env).status, 0);
  const missing = sh('npx logmedic analyze app.log', bare, env);
  t.is(missing.status, 2);
  t.regex(missing.stderr, /^logmedic: no prebuilt engine for linux-x64-gnu .*: npm run build:addon --prefix \S+\n$/);
  t.is(sh('npx logmedic --version', bare, env).stdout.trim(), pkg.version, '--version needs no addon');
});
