// The recover/init/history/reset commands as a user runs them: a real process, no terminal,
// exit codes and one-line errors; --dry-run leaving the whole tree byte-identical.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive, diagnosis, record, sleeper, tmpWorld, treeDigest, waitFor } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const models = fileURLToPath(new URL('./fixtures/models/', import.meta.url));

function logmedic(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(cwd, '.no-xdg'), NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A world where every built-in action has something to do. */
function world() {
  const root = tmpWorld();
  for (const d of ['configs', 'models/clips', 'models/visionai/quantized/Q3_K_M', 'backups', 'cache', 'data', 'run']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'configs/hardware_adaptive_config.yaml'), '# tuned for 80 GB\nquantization: "Q4_K_M"\n');
  copyFileSync(join(models, 'clips_base.pt'), join(root, 'backups/clips_base.pt'));
  copyFileSync(join(models, 'clips_base.pt'), join(root, 'models/clips/clips_base.pt'));
  truncateSync(join(root, 'models/clips/clips_base.pt'), 700);
  for (let i = 0; i < 3; i++) writeFileSync(join(root, `cache/frame-${i}.bin`), Buffer.alloc(4096, i));
  writeFileSync(join(root, 'data/out.mp4'), 'v');
  chmodSync(join(root, 'data/out.mp4'), 0o000);
  writeFileSync(join(root, 'run/old.lock'), '999999999\n');
  const service = sleeper({ detached: true });
  writeFileSync(join(root, 'run/processor.pid'), `${service.pid}\n`);
  writeFileSync(
    join(root, 'logmedic.config.yaml'),
    [
      'services:',
      '  processor:',
      `    start: [${JSON.stringify(process.execPath)}, "-e", "setInterval(() => {}, 1000)"]`,
      '    pidFile: run/processor.pid',
      '    loggers: [visionai_processor, model_loader]',
      'cache: { dirs: [cache/], minFreeBytes: 1152921504606846976 }',
      'backups: { dir: backups/, files: [models/, configs/] }',
      'quantization: { file: configs/hardware_adaptive_config.yaml, key: quantization, ladder: [FP16, Q5_K_M, Q4_K_M, Q3_K_M, Q2_K], levelsDir: models/visionai/quantized }',
      'permissions: { roots: [data/], fileMode: "0644", dirMode: "0755" }',
      'locks: { dirs: [run/], minAgeSeconds: 0 }',
      'policy: { cooldownSeconds: 0 }',
      '',
    ].join('\n'),
  );
  const d = diagnosis([
    record({ type: 'OutOfMemory', logger: 'visionai_processor', line: 3, message: 'MemoryError: CUDA out of memory' }),
    record({ type: 'ModelCorruption', logger: 'model_loader', line: 9, message: 'Model file corrupt: clips_base.pt checksum mismatch', objects: { paths: ['clips_base.pt'] } }),
    record({ type: 'PermissionDenied', line: 14, message: "PermissionError: [Errno 13] Permission denied: 'data/out.mp4'", objects: { paths: ['data/out.mp4'] } }),
    record({ type: 'Deadlock', line: 20, message: 'Deadlock detected in worker pool', logger: 'visionai_processor' }),
    record({ type: 'ProcessCrash', logger: 'model_loader', line: 25, message: 'Process model_loader exited with code 137' }),
    record({ type: 'DNSError', line: 30, message: 'socket.gaierror: [Errno -2] Name or service not known' }),
  ]);
  writeFileSync(join(root, 'diagnosis.json'), JSON.stringify(d));
  return { root, service };
}

test.serial('recover --dry-run --json prints the exact plan and leaves the whole tree byte-identical', (t) => {
  const { root, service } = world();
  const before = treeDigest(root);
  const r = logmedic(['recover', '--diagnosis', 'diagnosis.json', '--dry-run', '--json'], root);
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.true(out.dryRun);
  t.deepEqual(
    out.steps.map((s: { action: string }) => s.action),
    ['reduce_quant', 'restore_backup', 'fix_permissions', 'clean_cache', 'free_gpu_memory', 'clear_deadlocks', 'restart_service'],
    'ordered: config and files, then resources, restart last; one restart for the service',
  );
  const by = (a: string) => out.steps.find((s: { action: string }) => s.action === a);
  t.regex(by('reduce_quant').change, /quantization Q4_K_M → Q3_K_M/);
  t.regex(by('restore_backup').change, /restore .*models\/clips\/clips_base\.pt from .*backups\/clips_base\.pt/);
  t.regex(by('fix_permissions').change, /mode 0000 → 0644/);
  t.regex(by('clear_deadlocks').change, /old\.lock \(no process holds a lock on it and PID 999999999 is not running\)/);
  t.regex(by('restart_service').change, new RegExp(`stop PID ${service.pid}`));
  t.is(by('restart_service').records, 2, 'two records (Deadlock, ProcessCrash) asked for the one restart');
  t.deepEqual(by('reduce_quant').trigger, { file: 'logs/visionai.log', line: 3, type: 'OutOfMemory' });
  // Each step either would be carried out (policy allows it) or is skipped with its reason.
  for (const s of out.steps) t.true(s.result === 'dry-run' ? /^would /.test(s.reason) : s.result === 'skipped' && Boolean(s.reason), JSON.stringify(s));
  t.is(by('reduce_quant').result, 'dry-run');
  t.is(out.totals.steps, out.totals.dryRun + out.totals.skipped);
  t.deepEqual(out.manual.map((m: { type: string }) => m.type), ['DNSError']);
  t.deepEqual(treeDigest(root), before, 'not one byte, mode or mtime changed; no state or journal written');
  t.false(existsSync(join(root, '.logmedic')));
  t.true(alive(service.pid!));

  const text = logmedic(['recover', '--diagnosis', 'diagnosis.json', '--dry-run'], root);
  t.is(text.code, 0);
  t.regex(text.stdout, /dry run: nothing will be changed/);
  t.regex(text.stdout, / 7\. restart_service {2}service:processor/);
  t.deepEqual(treeDigest(root), before);
  service.kill('SIGKILL');
});

test.serial('without a terminal and without --yes, recover refuses with exit 2 and one line', (t) => {
  const { root, service } = world();
  const before = treeDigest(root);
  const r = logmedic(['recover', '--diagnosis', 'diagnosis.json', '--json'], root);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^logmedic: refusing to change the system without confirmation \(6 steps planned\): no terminal to ask on; pass --yes/);
  t.is(r.stderr.trim().split('\n').length, 1);
  t.deepEqual(treeDigest(root), before);
  service.kill('SIGKILL');
});

test.serial('recover --yes carries the plan out; history shows it; exit codes 1 (a step failed), 0, 4 with an open circuit; reset closes it', async (t) => {
  const { root, service } = world();
  const r = logmedic(['recover', '--diagnosis', 'diagnosis.json', '--yes'], root);
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /ok +reduce_quant/);
  t.regex(r.stdout, /FAILED +clean_cache .*the cache is exhausted/, 'an unreachable free-space target is reported, not hidden');
  t.regex(r.stdout, /5 ok, 1 failed, 1 skipped/);
  t.regex(r.stdout, /skipped free_gpu_memory .*nvidia-smi not found|skipped free_gpu_memory .*no GPU process/);
  t.regex(readFileSync(join(root, 'configs/hardware_adaptive_config.yaml'), 'utf8'), /"Q3_K_M"/);
  t.true(await waitFor(() => !alive(service.pid!)));
  const fresh = Number(readFileSync(join(root, 'run/processor.pid'), 'utf8'));
  t.true(alive(fresh));

  const h = logmedic(['history', '--json', '--limit', '3'], root);
  t.is(h.code, 0, h.stderr);
  const entries = JSON.parse(h.stdout);
  t.is(entries.length, 3);
  t.like(entries[2], { action: 'restart_service', target: 'service:processor', result: 'ok', dryRun: false });
  const ht = logmedic(['history'], root);
  t.regex(ht.stdout, /ok +restart_service {2}service:processor ← ProcessCrash|ok +restart_service {2}service:processor ← OutOfMemory|ok +restart_service {2}service:processor ← Deadlock/);

  // Restart twice more (maxAttempts 3 by default): the fourth time the circuit opens.
  const d = diagnosis([record({ type: 'ProcessCrash', logger: 'visionai_processor', message: 'worker died' })]);
  writeFileSync(join(root, 'crash.json'), JSON.stringify(d));
  for (let i = 0; i < 2; i++) t.is(logmedic(['recover', '--diagnosis', 'crash.json', '-y'], root).code, 0);
  const open = logmedic(['recover', '--diagnosis', 'crash.json', '-y'], root);
  t.is(open.code, 4);
  t.regex(open.stderr, /^logmedic: ESCALATE: circuit open: restart_service on service:processor was tried 3 times/m);
  t.regex(logmedic(['history'], root).stdout, /circuit OPEN since .*restart_service service:processor/);
  const reset = logmedic(['reset', '--action', 'restart_service'], root);
  t.is(reset.code, 0, reset.stderr);
  t.regex(reset.stdout, /closed: restart_service service:processor/);
  t.is(logmedic(['recover', '--diagnosis', 'crash.json', '-y'], root).code, 0);
  process.kill(Number(readFileSync(join(root, 'run/processor.pid'), 'utf8')), 'SIGKILL');
});

test.serial('init writes a commented config, refuses to overwrite, and keeps the old one with --force', (t) => {
  const root = tmpWorld();
  const r = logmedic(['init'], root);
  t.is(r.code, 0, r.stderr);
  const file = join(root, 'logmedic.config.yaml');
  t.regex(readFileSync(file, 'utf8'), /^# logmedic configuration/);
  writeFileSync(file, '# mine\npolicy: {cooldownSeconds: 1}\n');
  const again = logmedic(['init'], root);
  t.is(again.code, 2);
  t.regex(again.stderr, /^logmedic: .*logmedic\.config\.yaml already exists; pass --force/);
  t.is(logmedic(['init', '--force'], root).code, 0);
  t.regex(logmedic(['init', '--format', 'json'], root).stderr, /already exists; logmedic would not know which config to use/);
  const dry = logmedic(['recover', '--diagnosis', '-', '--dry-run'], root);
  t.is(dry.code, 2, 'stdin is no diagnosis');
});

test.serial('config and input errors: one line, exit 2', (t) => {
  const root = tmpWorld();
  writeFileSync(join(root, 'logmedic.config.json'), JSON.stringify({ services: { api: { start: 'python3 app.py', pidFile: 'a.pid' } } }));
  writeFileSync(join(root, 'd.json'), JSON.stringify(diagnosis([record({ type: 'Timeout', message: 'x' })])));
  const r = logmedic(['recover', '--diagnosis', 'd.json', '--dry-run'], root);
  t.is(r.code, 2);
  t.is(r.stderr, `logmedic: ${join(root, 'logmedic.config.json')}: services.api.start: must be an argv array like ["python3", "-m", "app"], not a shell string\n`);
  writeFileSync(join(root, 'logmedic.config.json'), '{}');
  writeFileSync(join(root, 'bad.json'), '{"schema": 2}');
  const bad = logmedic(['recover', '--diagnosis', 'bad.json'], root);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: bad\.json: not a diagnosis/);
  const limit = logmedic(['history', '--limit', '0'], root);
  t.is(limit.code, 2);
});

test.serial('on a terminal, recover asks first: "n" changes nothing, "y" carries the plan out', (t) => {
  if (spawnSync('script', ['--version']).status !== 0) {
    t.pass('no script(1) to make a pseudo-terminal');
    return;
  }
  const { root, service } = world();
  const before = treeDigest(root);
  const tsx = import.meta.resolve('tsx');
  const cmd = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(tsx)} ${JSON.stringify(main)} recover --diagnosis diagnosis.json`;
  const ask = (answer: string) =>
    spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: root, input: answer, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(root, '.no-xdg'), NO_COLOR: '1' }, timeout: 120_000 });
  const no = ask('n\n');
  t.regex(no.stdout, /Carry out 6 steps\? \[y\/N\]/);
  t.regex(no.stdout, /nothing done/);
  t.is(no.status, 0);
  t.deepEqual(treeDigest(root), before, 'declined: nothing changed');
  const yes = ask('y\n');
  t.regex(yes.stdout, /ok +reduce_quant/);
  t.regex(readFileSync(join(root, 'configs/hardware_adaptive_config.yaml'), 'utf8'), /"Q3_K_M"/);
  service.kill('SIGKILL');
  const fresh = Number(readFileSync(join(root, 'run/processor.pid'), 'utf8'));
  if (alive(fresh)) process.kill(fresh, 'SIGKILL');
});

test.serial('recover FILE: the seed\'s own log lines, analyzed and recovered end to end', (t) => {
  const { root, service } = world();
  writeFileSync(
    join(root, 'visionai.log'),
    [
      '2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory error occurred during processing',
      'Traceback (most recent call last):',
      '  File "src/core/processor.py", line 120, in process_batch',
      '    result = model.forward(batch)',
      'MemoryError: CUDA out of memory',
      '2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch',
      '',
    ].join('\n'),
  );
  const before = treeDigest(root);
  const dry = logmedic(['recover', 'visionai.log', '--dry-run', '--json'], root);
  t.is(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout);
  t.deepEqual(plan.files, ['visionai.log']);
  const restore = plan.steps.find((s: { action: string }) => s.action === 'restore_backup');
  t.is(restore.target, `file:${join(root, 'models/clips/clips_base.pt')}`);
  t.like(restore.trigger, { file: 'visionai.log', line: 6, type: 'ModelCorruption' });
  t.truthy(plan.steps.find((s: { action: string; trigger: { line: number } }) => s.action === 'reduce_quant' && s.trigger.line === 1));
  t.deepEqual(treeDigest(root), before);
  const run = logmedic(['recover', 'visionai.log', '--yes', '--json'], root);
  const report = JSON.parse(run.stdout);
  t.is(report.steps.find((s: { action: string }) => s.action === 'restore_backup').result, 'ok');
  t.is(readFileSync(join(root, 'models/clips/clips_base.pt')).length, readFileSync(join(models, 'clips_base.pt')).length);
  service.kill('SIGKILL');
});
