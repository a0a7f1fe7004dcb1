import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseComputeApps, parseGpuMemory } from '../../src/recovery/actions/free-gpu-memory.js';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { alive, config, diagnosis, record, sleeper, tmpWorld, waitFor } from './helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/nvidia-smi/', import.meta.url));
const fake = fileURLToPath(new URL('./fake-nvidia-smi.mjs', import.meta.url));

const oom = record({
  type: 'GPUError',
  logger: 'visionai_processor',
  message: 'RuntimeError: CUDA error: out of memory (torch.cuda.OutOfMemoryError: Tried to allocate 2.00 GiB; GPU 0 has a total capacity of 79.65 GiB of which 1.12 GiB is free)',
  objects: { devices: ['cuda:0'] },
});

/** A bin dir with `nvidia-smi` = the fake, serving recorded output with PIDs mapped to ours. */
function gpuWorld(pids: Record<number, number>) {
  const root = tmpWorld();
  const bin = join(root, 'bin');
  mkdirSync(bin);
  mkdirSync(join(root, 'run'));
  writeFileSync(join(bin, 'nvidia-smi'), `#!${process.execPath}\nimport(${JSON.stringify(fake)});\n`);
  chmodSync(join(bin, 'nvidia-smi'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_SMI_DIR: fixtures,
    FAKE_SMI_PIDS: Object.entries(pids).map(([k, v]) => `${k}=${v}`).join(','),
    FAKE_SMI_LOG: join(root, 'smi-calls'),
  };
  return { root, env };
}

/** A process whose parent has exited: re-parented to init, as a leaked worker is. */
function orphan(): number {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" -e 'setInterval(() => {}, 1000)' >/dev/null 2>&1 & echo $!`]);
  return Number(r.stdout.toString().trim());
}

test('parses recorded nvidia-smi output (H100, 8×H100 DGX, idle)', (t) => {
  const apps = parseComputeApps(readFileSync(join(fixtures, 'h100-compute-apps.csv'), 'utf8'));
  t.deepEqual(apps[0], { pid: 48213, name: '/opt/conda/envs/visionai/bin/python3.10', usedMiB: 70122 });
  t.is(apps.length, 3);
  t.deepEqual(parseGpuMemory(readFileSync(join(fixtures, 'h100-gpu.csv'), 'utf8')), [{ index: 0, usedMiB: 76713, totalMiB: 81559 }]);
  const dgx = parseGpuMemory(readFileSync(join(fixtures, 'dgx-8xh100-gpu.csv'), 'utf8'));
  t.is(dgx.length, 8);
  t.is(dgx[7].usedMiB, 0);
  t.deepEqual(parseComputeApps(readFileSync(join(fixtures, 'idle-compute-apps.csv'), 'utf8')), []);
});

test('signals the service\'s GPU process with gpu.signal and leaves other GPU processes alone', async (t) => {
  const dir = tmpWorld(t);
  const server = sleeper({ marker: join(dir, 'server'), signal: 'SIGUSR1', detached: true });
  const other = sleeper({ marker: join(dir, 'other'), signal: 'SIGUSR1' });
  await waitFor(() => existsSync(join(dir, 'server.ready')) && existsSync(join(dir, 'other.ready')));
  const { root, env } = gpuWorld({ 48213: server.pid!, 48790: other.pid! });
  writeFileSync(join(root, 'run/processor.pid'), String(server.pid));
  const cfg = config(
    {
      services: { processor: { start: ['python3', '-m', 'visionai.processor'], pidFile: 'run/processor.pid', loggers: ['visionai_processor'] } },
      gpu: { signal: 'SIGUSR1', settleSeconds: 0.2 },
      actionMap: { GPUError: ['free_gpu_memory'] },
    },
    root,
  );
  const plan = await planRecovery(diagnosis([oom]), cfg, { env });
  t.regex(plan.steps[0].change, new RegExp(`SIGUSR1 to /opt/conda/envs/visionai/bin/python3.10 PID ${server.pid} \\(processor, 70122 MiB\\)`));
  const r = await applyRecoveryActions(plan, { config: cfg, env });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  t.true(await waitFor(() => existsSync(join(dir, 'server'))), 'the service process received the signal');
  t.is(readFileSync(join(dir, 'server'), 'utf8'), 'SIGUSR1');
  t.false(existsSync(join(dir, 'other')), 'a GPU process of no configured service is not signalled');
  t.true(alive(server.pid!) && alive(other.pid!));
  t.like(r.steps[0].before as object, { usedMiB: 76713 });
  t.deepEqual((r.steps[0].after as { signalled: number[] }).signalled, [server.pid]);
  const calls = readFileSync(join(root, 'smi-calls'), 'utf8');
  t.true(calls.includes('["--query-compute-apps=pid,process_name,used_memory","--format=csv,noheader,nounits"]'));
  t.true(calls.includes('["--query-gpu=index,memory.used,memory.total","--format=csv,noheader,nounits"]'));
  server.kill('SIGKILL');
  other.kill('SIGKILL');
});

test('with gpu.endOrphans, orphaned GPU processes of gpu.user get SIGTERM and their memory is released', async (t) => {
  const leaked = orphan();
  t.true(await waitFor(() => readFileSync(`/proc/${leaked}/stat`, 'utf8').includes(') S 1 ') || readFileSync(`/proc/${leaked}/stat`, 'utf8').includes(') R 1 ')), 'the stand-in is an orphan');
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); // has a live parent: not an orphan
  const { root, env } = gpuWorld({ 51007: leaked, 48790: child.pid! });
  const user = String(process.getuid!());
  const off = config({ gpu: { endOrphans: false, settleSeconds: 0.2 } }, root);
  const offPlan = await planRecovery(diagnosis([oom]), { ...off, actionMap: { GPUError: ['free_gpu_memory'] } }, { env });
  t.regex(offPlan.steps[0].skip ?? '', /no GPU process belongs to a configured service/);

  const cfg = config({ gpu: { endOrphans: true, user, settleSeconds: 10 }, actionMap: { GPUError: ['free_gpu_memory'] } }, root);
  const r = await applyRecoveryActions(await planRecovery(diagnosis([oom]), cfg, { env }), { config: cfg, env });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  t.true(await waitFor(() => !alive(leaked)));
  t.true(alive(child.pid!), 'a process with a live parent is no orphan');
  t.deepEqual((r.steps[0].after as { ended: number[] }).ended, [leaked]);
  t.is((r.steps[0].after as { releasedMiB: number }).releasedMiB, 1822);
  child.kill('SIGKILL');
});

test('without nvidia-smi the step is skipped with that reason', async (t) => {
  const root = tmpWorld(t);
  const cfg = config({ gpu: { signal: 'SIGUSR1' } }, root);
  const r = await applyRecoveryActions(['free_gpu_memory'], { config: cfg, env: { ...process.env, PATH: join(root, 'empty') } });
  t.is(r.steps[0].result, 'skipped');
  t.is(r.steps[0].reason, 'nvidia-smi not found');
});
