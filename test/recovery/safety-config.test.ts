// Config findings of an attack review, each as a regression: system roots refused, an
// unquoted octal mode explained, a YAML alias bomb and an uncreatable state dir as one line
// and exit 2, a 20,000-service config that plans (no quadratic loop), and the defaults that
// keep ordinary logs (loghub's Linux and Hadoop) from planning a restart.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfigFile } from '../../src/config/index.js';
import { planRecovery } from '../../src/recovery/index.js';
import { TRIGGER_CLASSES, notActionable } from '../../src/recovery/triggers.js';
import { native } from '../../src/native.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOGHUB = join(REPO, '..', 'shared', 'data', 'loghub-2k');
const main = join(REPO, 'src', 'cli', 'main.ts');

function logmedic(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(cwd, '.no-xdg'), NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const configError = (raw: Record<string, unknown>) => {
  try {
    config(raw, tmpWorld());
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

for (const [field, raw] of [
  ['permissions.roots[0]', { permissions: { roots: ['/'], fileMode: '0644' } }],
  ['backups.files[0]', { backups: { dir: 'b', files: ['/etc'] } }],
  ['backups.dir', { backups: { dir: '/usr/lib', files: ['m'] } }],
  ['locks.dirs[0]', { locks: { dirs: ['/var'] } }],
  ['cache.dirs[0]', { cache: { dirs: ['/proc/self'] } }],
] as const) {
  test(`a system directory is refused as a root: ${field}`, (t) => {
    const message = configError(raw);
    t.regex(message ?? 'ACCEPTED', new RegExp(`: ${field.replace(/[.[\]]/g, '\\$&')}: \\S+ cannot be a root: .*safety\\.allowSystemRoots`));
    t.false(message!.includes('\n'));
  });
}

test('safety.allowSystemRoots lets a named system directory be a root, and only that one', (t) => {
  t.is(configError({ locks: { dirs: ['/run/lock'] }, safety: { allowSystemRoots: ['/run/lock'] } }), undefined);
  t.regex(configError({ locks: { dirs: ['/run/lock', '/var'] }, safety: { allowSystemRoots: ['/run/lock'] } }) ?? '', /locks\.dirs\[1\]: \/var cannot be a root/);
  // An application directory inside a shared parent needs no opt-in.
  t.is(configError({ cache: { dirs: ['/var/cache/logmedic-test-app'] } }), undefined);
});

test('a log line naming /etc/shadow plans no chmod: / cannot be a root', (t) => {
  const root = tmpWorld();
  writeFileSync(join(root, 'logmedic.config.yaml'), 'permissions: { roots: ["/"], fileMode: "0644" }\n');
  writeFileSync(join(root, 'd.json'), JSON.stringify(diagnosis([record({ type: 'PermissionDenied', message: "Permission denied: '/etc/shadow'", objects: { paths: ['/etc/shadow'] } })])));
  const r = logmedic(['recover', '--diagnosis', 'd.json', '--dry-run'], root);
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: .*permissions\.roots\[0\]: \/ cannot be a root: it is the filesystem root/);
  t.is(r.stderr.trim().split('\n').length, 1);
});

test('fileMode: 0644 unquoted (YAML reads the decimal 644) says to quote it', (t) => {
  const root = tmpWorld();
  const file = join(root, 'logmedic.config.yaml');
  writeFileSync(file, 'permissions:\n  roots: [data/]\n  fileMode: 0644\n');
  const err = t.throws(() => readConfigFile(file));
  t.regex(err!.message, /permissions\.fileMode: must be a quoted octal string like "0644", got the number 644 .*put the mode in quotes/);
});

test('a YAML alias bomb is refused with one line and exit 2', (t) => {
  const root = tmpWorld();
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  writeFileSync(join(root, 'logmedic.config.yaml'), levels.join('\n') + '\n');
  writeFileSync(join(root, 'd.json'), JSON.stringify(diagnosis([record({ type: 'OutOfMemory', message: 'MemoryError' })])));
  const r = logmedic(['recover', '--diagnosis', 'd.json', '--dry-run'], root);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /^logmedic: .*logmedic\.config\.yaml: \(top\): YAML refused: .*alias/i);
  t.is(r.stderr.trim().split('\n').length, 1);
});

test('a state dir that cannot be created is one line and exit 2', (t) => {
  const root = tmpWorld();
  writeFileSync(join(root, 'not-a-dir'), 'x');
  mkdirSync(join(root, 'cache'));
  writeFileSync(join(root, 'logmedic.config.yaml'), 'cache: { dirs: [cache/], minFreeBytes: 1152921504606846976 }\nstate: { dir: not-a-dir/state }\n');
  writeFileSync(join(root, 'cache', 'old.bin'), 'x');
  writeFileSync(join(root, 'd.json'), JSON.stringify(diagnosis([record({ type: 'DiskSpace', message: 'No space left on device', objects: {} })])));
  const r = logmedic(['recover', '--diagnosis', 'd.json', '--yes'], root);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /^logmedic: state dir .*not-a-dir\/state: cannot create it \(ENOTDIR\)/m);
  t.is(r.stderr.trim().split('\n').filter((l) => l.startsWith('logmedic:')).length, 1);
  t.true(existsSync(join(root, 'cache', 'old.bin')), 'nothing was done');
});

test('a config of 20,000 services validates and plans (pid files read once per plan, keys checked in one pass)', async (t) => {
  // A hang guard, not a timing assertion: the quadratic loops took minutes here.
  t.timeout(120_000);
  const root = tmpWorld(t);
  const lines = ['services:'];
  for (let i = 0; i < 20_000; i++) lines.push(`  svc${i}: { start: ["true"], pidFile: run/svc${i}.pid, loggers: [svc${i}] }`);
  const file = join(root, 'logmedic.config.yaml');
  writeFileSync(file, lines.join('\n') + '\n');
  const cfg = readConfigFile(file);
  t.is(Object.keys(cfg.services).length, 20_000);
  const records = Array.from({ length: 20 }, (_, i) => record({ type: 'ProcessCrash', line: i + 1, logger: i === 0 ? 'svc19999' : 'nginx', message: `worker 4242 exited with code 137`, objects: { pids: [4242] } }));
  const plan = await planRecovery(diagnosis(records), cfg);
  t.true(plan.steps.some((s) => s.target === 'service:svc19999' && !s.skip));
  writeFileSync(file, lines.join('\n') + '\n  svc7: { start: ["true"], pidFile: x.pid }\n');
  t.throws(() => readConfigFile(file), { message: /line 20002: Map keys must be unique \("svc7" twice\)/ });
});

const loghub = (system: string) => join(LOGHUB, system, `${system}_2k.log`);
const haveLoghub = existsSync(loghub('Linux')) && existsSync(loghub('Hadoop'));

(haveLoghub ? test : test.skip)('loghub Linux and Hadoop with the init config: recover --dry-run plans no restart, and says why', (t) => {
  const root = tmpWorld();
  t.is(logmedic(['init'], root).code, 0);
  for (const system of ['Linux', 'Hadoop']) {
    const r = logmedic(['recover', loghub(system), '--dry-run', '--json'], root);
    t.is(r.code, 0, r.stderr);
    const steps = JSON.parse(r.stdout).steps as { action: string; result: string; reason?: string }[];
    const restarts = steps.filter((s) => s.action === 'restart_service');
    t.true(restarts.length > 0, `${system}: the records that used to plan a restart are still seen`);
    t.deepEqual(restarts.filter((s) => !/^(?:the record|the log marks)/.test(s.reason ?? '')), [], `${system}: no restart planned`);
  }
});

test('records marked informational, a peer\'s fault, or another task\'s failure trigger nothing by default, even with a default service', async (t) => {
  const cfg = config({ services: { app: { start: ['true'], pidFile: 'app.pid', default: true } } }, tmpWorld(t));
  const cases = [
    record({ type: 'ConnectionError', level: 'warning', message: "warning: can't get client address: Connection reset by peer" }),
    record({ type: 'ConnectionError', level: 'FATAL', message: 'Task: attempt_1445144423722_0020_m_000002_0 - exited : java.net.NoRouteToHostException: No route to host' }),
    record({ type: 'ConnectionError', level: 'INFO', message: 'Diagnostics report from attempt_1445144423722_0020_m_000002_0: Error: java.net.NoRouteToHostException' }),
  ];
  const why = [/other end of the connection/, /failure of another task/, /marks this record INFO/];
  for (const [i, rec] of cases.entries()) {
    const plan = await planRecovery(diagnosis([rec]), cfg);
    t.true(plan.steps.length > 0);
    for (const s of plan.steps) t.regex(s.skip ?? 'NOT SKIPPED', why[i]);
  }
  // Our own connection failing (not the peer's doing) still restarts the default service.
  const own = await planRecovery(diagnosis([record({ type: 'ConnectionError', level: 'ERROR', message: 'ConnectionRefusedError: [Errno 111] Connection refused' })]), cfg);
  t.true(own.steps.some((s) => s.action === 'restart_service' && !s.skip), JSON.stringify(own.steps.map((s) => s.skip)));
  // policy.alsoActOn opts in, class by class.
  const optIn = config({ services: { app: { start: ['true'], pidFile: 'app.pid', default: true } }, policy: { alsoActOn: ['peer-fault'] } }, tmpWorld(t));
  t.true((await planRecovery(diagnosis([cases[0]]), optIn)).steps.some((s) => !s.skip));
  t.regex(configError({ policy: { alsoActOn: ['everything'] } }) ?? '', /policy\.alsoActOn\[0\]: unknown record class "everything"/);
});

test('the config names the record classes the core decides, and each opt-in lets exactly its class through', (t) => {
  t.deepEqual([...TRIGGER_CLASSES], native.passiveClassNames());
  const hadoop = { level: 'INFO', message: 'Task: attempt_200811101024_0001_m_000001_0 - exited : java.io.IOException: Task process exit with nonzero status of 1.' };
  const rec = (r: { level?: string; message: string }) => record({ type: 'ProcessCrash', message: r.message, text: r.message, ...(r.level ? { level: r.level } : {}) });
  t.is(notActionable(rec(hadoop), [])?.cls, 'informational');
  t.is(notActionable(rec(hadoop), ['informational'])?.cls, 'other-task');
  t.regex(notActionable(rec(hadoop), ['informational'])?.why ?? '', /attempt_200811101024_0001_m_000001_0/);
  t.is(notActionable(rec(hadoop), ['informational', 'other-task']), undefined);
  t.is(notActionable(rec({ level: 'ERROR', message: 'recv() failed (104: Connection reset by peer)' }), [])?.cls, 'peer-fault');
  t.is(notActionable(rec({ level: 'ERROR', message: 'worker 3 killed by OOM killer' }), []), undefined);
});
