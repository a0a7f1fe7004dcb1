// One vocabulary across plan, apply, history and JSON, read from real runs in temp dirs: a dry
// run says "would …" (result `dry-run`), never "skipped"; a backup is named by its real
// `.bak-<time>` name once made; totals add up and say what the skipped steps are; a plan counts
// every record analyze counted; reduce_quant keeps a YAML comment in its column; the run lock
// is held by a PID and that process's start time, so a reused PID is not its holder.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyRecoveryActions, planRecovery, RunLockBusy } from '../../src/recovery/index.js';
import { acquireRunLock } from '../../src/recovery/policy.js';
import { procStat } from '../../src/recovery/proc.js';
import { config, diagnosis, record, tmpWorld, waitFor } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function logmedic(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(cwd, '.no-xdg'), NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A model config that reduce_quant can step down, a cache with nothing configured for it, and a log that asks for both. */
function quantWorld() {
  const root = tmpWorld();
  for (const d of ['configs', 'models/q/Q3_K_M', 'logs']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'configs/model.yaml'), '# tuned for 80 GB\nquantization: "Q4_K_M"      # GGUF level\nbatch_size: 8               # per GPU\n');
  writeFileSync(
    join(root, 'logmedic.config.yaml'),
    ['quantization: { file: configs/model.yaml, key: quantization, ladder: [Q4_K_M, Q3_K_M], levelsDir: models/q }', 'actionMap: { OutOfMemory: [reduce_quant, clean_cache] }', 'policy: { cooldownSeconds: 0 }', ''].join('\n'),
  );
  const lines = [];
  for (let i = 0; i < 6; i++) lines.push(`2026-05-17 10:0${i}:00,000 - visionai_processor - ERROR - torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (job ${i})`);
  writeFileSync(join(root, 'logs/app.log'), lines.join('\n') + '\n');
  return root;
}

test.serial('a dry run says "would", never "skipped", in JSON and text, and its totals add up', (t) => {
  const root = quantWorld();
  const json = logmedic(['recover', 'logs/app.log', '--dry-run', '--json'], root);
  t.is(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  const quant = out.steps.find((s: { action: string }) => s.action === 'reduce_quant');
  t.is(quant.result, 'dry-run');
  t.regex(quant.reason, /^would reduce_quant: .*configs\/model\.yaml: quantization Q4_K_M → Q3_K_M/);
  const cache = out.steps.find((s: { action: string }) => s.action === 'clean_cache');
  t.is(cache.result, 'skipped', 'a step the plan cannot do is skipped, dry run or not');
  t.regex(cache.reason, /no cache directories are configured/);
  t.deepEqual(out.totals, { steps: 2, ok: 0, failed: 0, interrupted: 0, dryRun: 1, skipped: 1, skippedBy: { plan: 1, policy: 0, run: 0 } });

  const text = logmedic(['recover', 'logs/app.log', '--dry-run'], root);
  t.is(text.code, 0, text.stderr);
  t.regex(text.stdout, /reduce_quant .*\n {4}would: .*quantization Q4_K_M → Q3_K_M/);
  t.regex(text.stdout, /\n2 steps: 1 would be carried out, 1 skipped \(1 cannot be done as planned\)\n$/);
  t.notRegex(text.stdout, /skip: .*Q3_K_M|dry run: would/);
});

test.serial('after a real step, output, JSON and history name the backup as it is on disk', (t) => {
  const root = quantWorld();
  const run = logmedic(['recover', 'logs/app.log', '--yes'], root);
  t.is(run.code, 0, run.stdout + run.stderr);
  const bak = /previous file kept as (\S+\.bak-\S+)\)/.exec(run.stdout)?.[1];
  t.truthy(bak, run.stdout);
  t.true(existsSync(bak!), `${bak} exists`);
  t.is(readFileSync(bak!, 'utf8'), '# tuned for 80 GB\nquantization: "Q4_K_M"      # GGUF level\nbatch_size: 8               # per GPU\n');
  t.notRegex(run.stdout, /<time>/);
  t.regex(run.stdout, /^1 of 2 steps to carry out \(1 cannot be done as planned\)/);
  t.regex(run.stdout, /\n2 steps: 1 ok, 0 failed, 1 skipped \(1 cannot be done as planned\)\n$/);

  const history = logmedic(['history'], root);
  t.regex(history.stdout, new RegExp(`ok +reduce_quant .*previous file kept as ${bak!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  t.notRegex(history.stdout, /<time>/);
  const journal = readFileSync(join(root, '.logmedic/journal.jsonl'), 'utf8');
  t.true(journal.includes(bak!), 'the journal names the real backup');
});

test.serial("the plan counts every record analyze counted, beyond analyze's samples", (t) => {
  const root = quantWorld();
  const analyze = JSON.parse(logmedic(['analyze', 'logs/app.log', '--json'], root).stdout);
  const oom = analyze.errors.find((e: { type: string }) => e.type === 'OutOfMemory');
  t.is(oom.count, 6);
  t.is(oom.samples.length, 5, 'analyze keeps five samples by default');
  const plan = JSON.parse(logmedic(['recover', 'logs/app.log', '--dry-run', '--json'], root).stdout);
  for (const s of plan.steps) t.is(s.records, 6, `${s.action}: the six records that asked for it`);
  // From the saved diagnosis (five samples), the sixth record is counted too.
  writeFileSync(join(root, 'd.json'), JSON.stringify(analyze));
  const saved = JSON.parse(logmedic(['recover', '--diagnosis', 'd.json', '--dry-run', '--json'], root).stdout);
  for (const s of saved.steps) t.is(s.records, 6);
});

test('samples that ask for different steps: the records beyond them are listed, and the counts add up', async (t) => {
  const root = tmpWorld(t);
  const cfg = config({ policy: { cooldownSeconds: 0 }, actionMap: { ConnectionError: ['restart_service'] } }, root);
  const informational = record({ type: 'ConnectionError', level: 'INFO', message: 'Retrying connect to server: msra-sa-41:9000', objects: { hosts: ['msra-sa-41'], ports: [9000] } });
  const error = record({ type: 'ConnectionError', level: 'ERROR', message: 'java.net.ConnectException: Connection refused', objects: {} });
  const d = diagnosis([informational, informational, error]);
  d.errors[0].count = 6;
  const plan = await planRecovery(d, cfg);
  const counted = plan.steps.reduce((n, s) => n + s.records, 0) + (plan.unsampled ?? []).reduce((n, u) => n + u.records, 0);
  t.is(counted, 6);
  t.deepEqual(plan.unsampled, [{ type: 'ConnectionError', records: 3 }]);
});

test('reduce_quant edits the value in place: a comment after it keeps its column', async (t) => {
  const root = tmpWorld(t);
  mkdirSync(join(root, 'models/q/Q4_K_M'), { recursive: true });
  const file = join(root, 'model.yaml');
  const before = '# levels\nquantization: FP16            # GGUF level, lower = less memory\nother: "x"   # untouched\n';
  writeFileSync(file, before);
  const cfg = config({ quantization: { file: 'model.yaml', key: 'quantization', ladder: ['FP16', 'Q4_K_M'], levelsDir: 'models/q' }, actionMap: { OutOfMemory: ['reduce_quant'] } }, root);
  const r = await applyRecoveryActions(await planRecovery(diagnosis([record({ type: 'OutOfMemory', message: 'CUDA out of memory' })]), cfg), { config: cfg });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  const after = readFileSync(file, 'utf8');
  t.is(after, '# levels\nquantization: Q4_K_M          # GGUF level, lower = less memory\nother: "x"   # untouched\n');
  const column = (text: string) => text.split('\n')[1].indexOf('#');
  t.is(column(after), column(before));
});

test('run.lock: a live PID that is not the process that wrote the lock does not hold it', async (t) => {
  if (process.platform !== 'linux') return t.pass('start times come from /proc (Linux)');
  const state = tmpWorld(t);
  // A real process, alive, under the PID the lock names.
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  await waitFor(() => procStat(child.pid!) !== undefined);
  const start = procStat(child.pid!)!.startTime;
  // Written by the process itself: it holds the lock.
  writeFileSync(join(state, 'run.lock'), `${child.pid} ${start}\n`);
  const busy = t.throws(() => acquireRunLock(state), { instanceOf: RunLockBusy });
  t.is(busy?.pid, child.pid);
  // Written by an earlier process that had the same PID: stale, taken over.
  writeFileSync(join(state, 'run.lock'), `${child.pid} ${Number(start) - 1}\n`);
  const release = acquireRunLock(state);
  t.regex(readFileSync(join(state, 'run.lock'), 'utf8'), new RegExp(`^${process.pid} ${procStat(process.pid)!.startTime}\n$`));
  release();
  t.false(existsSync(join(state, 'run.lock')));
  // A lock from a version that wrote the PID alone: a live PID holds it.
  writeFileSync(join(state, 'run.lock'), `${child.pid}\n`);
  t.throws(() => acquireRunLock(state), { instanceOf: RunLockBusy });
});
