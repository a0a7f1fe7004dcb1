// free_gpu_memory: read who holds GPU memory (nvidia-smi), signal the configured services' GPU
// processes (gpu.signal, e.g. SIGUSR1: "empty your cache") and, only when gpu.endOrphans is
// set, SIGTERM orphaned GPU processes of gpu.user; report GPU memory before and after.

import { readFileSync } from 'node:fs';
import { isAlive, procStat, procUid, runArgv, sleep, waitUntil, which } from '../proc.js';
import { ownerOf, servicePids } from '../services.js';
import type { ActionContext, RecoveryAction } from '../types.js';

export interface GpuProcess {
  pid: number;
  name: string;
  usedMiB: number;
}

export interface GpuMemory {
  index: number;
  usedMiB: number;
  totalMiB: number;
}

const num = (s: string) => Number(s.trim());

/** Parse `--query-compute-apps=pid,process_name,used_memory --format=csv,noheader,nounits`. */
export function parseComputeApps(csv: string): GpuProcess[] {
  return csv
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !/^no running/i.test(l.trim()))
    .map((l) => {
      const parts = l.split(',');
      // process_name may contain commas; pid is first and used_memory last.
      return { pid: num(parts[0]), name: parts.slice(1, -1).join(',').trim(), usedMiB: num(parts[parts.length - 1]) };
    })
    .filter((p) => Number.isInteger(p.pid) && p.pid > 0);
}

/** Parse `--query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits`. */
export function parseGpuMemory(csv: string): GpuMemory[] {
  return csv
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [index, used, total] = l.split(',').map(num);
      return { index, usedMiB: used, totalMiB: total };
    })
    .filter((g) => Number.isFinite(g.index) && Number.isFinite(g.usedMiB));
}

async function smi(args: string[], ctx: ActionContext): Promise<string> {
  const r = await runArgv(['nvidia-smi', ...args], { timeoutMs: 30_000, env: ctx.env });
  if (r.code !== 0) throw new Error(`nvidia-smi ${args[0]} exited ${r.code ?? r.spawnError ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export async function querySmi(ctx: ActionContext): Promise<{ apps: GpuProcess[]; gpus: GpuMemory[] }> {
  const apps = parseComputeApps(await smi(['--query-compute-apps=pid,process_name,used_memory', '--format=csv,noheader,nounits'], ctx));
  const gpus = parseGpuMemory(await smi(['--query-gpu=index,memory.used,memory.total', '--format=csv,noheader,nounits'], ctx));
  return { apps, gpus };
}

/** uid of a user name or number (from /etc/passwd). */
function uidOf(user: string): number | undefined {
  if (/^\d+$/.test(user)) return Number(user);
  try {
    const f = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((x) => x[0] === user);
    return f ? Number(f[2]) : undefined;
  } catch {
    return undefined;
  }
}

interface Targets {
  signal: { pid: number; name: string; usedMiB: number; service: string }[];
  end: { pid: number; name: string; usedMiB: number }[];
}

async function chooseTargets(apps: GpuProcess[], ctx: ActionContext): Promise<Targets> {
  const mains = await servicePids(ctx.config, ctx.env, ctx.memo);
  const uid = ctx.config.gpu.user ? uidOf(ctx.config.gpu.user) : undefined;
  const out: Targets = { signal: [], end: [] };
  for (const app of apps) {
    if (!isAlive(app.pid)) continue;
    const service = ownerOf(app.pid, mains);
    if (service) out.signal.push({ ...app, service });
    else if (ctx.config.gpu.endOrphans && uid !== undefined && procUid(app.pid) === uid && procStat(app.pid)?.ppid === 1) out.end.push(app);
  }
  return out;
}

const total = (gpus: GpuMemory[]) => gpus.reduce((n, g) => n + g.usedMiB, 0);

export const freeGpuMemory: RecoveryAction = {
  name: 'free_gpu_memory',
  phase: 50,

  async plan(_record, ctx) {
    if (!which('nvidia-smi', ctx.env)) return { target: 'gpu', change: 'free GPU memory', skip: 'nvidia-smi not found' };
    let state;
    try {
      state = await querySmi(ctx);
    } catch (err) {
      return { target: 'gpu', change: 'free GPU memory', skip: (err as Error).message };
    }
    const t = await chooseTargets(state.apps, ctx);
    const sig = ctx.config.gpu.signal;
    if (t.signal.length === 0 && t.end.length === 0) {
      const who = state.apps.map((a) => `${a.name} (PID ${a.pid}, ${a.usedMiB} MiB)`).join(', ') || 'none';
      return { target: 'gpu', change: 'nothing to signal', skip: `no GPU process belongs to a configured service${ctx.config.gpu.endOrphans ? ' or is an orphan of gpu.user' : ''} (GPU processes: ${who})` };
    }
    const parts = [
      ...t.signal.map((p) => `${sig} to ${p.name} PID ${p.pid} (${p.service}, ${p.usedMiB} MiB)`),
      ...t.end.map((p) => `SIGTERM to orphan ${p.name} PID ${p.pid} (${p.usedMiB} MiB)`),
    ];
    return { target: 'gpu', change: `${parts.join('; ')}; GPU memory used now ${total(state.gpus)} MiB`, detail: { signal: t.signal, end: t.end } };
  },

  async execute(step, ctx) {
    if (!which('nvidia-smi', ctx.env)) return { result: 'skipped', error: 'nvidia-smi not found' };
    const before = await querySmi(ctx);
    const t = await chooseTargets(before.apps, ctx);
    const planned = new Set([...((step.detail?.signal as GpuProcess[]) ?? []), ...((step.detail?.end as GpuProcess[]) ?? [])].map((p) => p.pid));
    const signalled: number[] = [];
    const ended: number[] = [];
    const errors: string[] = [];
    const send = (pid: number, sig: NodeJS.Signals, into: number[]) => {
      try {
        process.kill(pid, sig);
        into.push(pid);
      } catch (err) {
        errors.push(`PID ${pid}: ${(err as NodeJS.ErrnoException).code}`);
      }
    };
    // Only processes that were planned and still qualify now: a PID may have been reused.
    for (const p of t.signal) if (planned.has(p.pid)) send(p.pid, ctx.config.gpu.signal, signalled);
    for (const p of t.end) if (planned.has(p.pid)) send(p.pid, 'SIGTERM', ended);
    const settle = ctx.config.gpu.settleSeconds * 1000;
    const stillThere = () => ended.filter((pid) => isAlive(pid));
    if (ended.length) await waitUntil(() => stillThere().length === 0, settle);
    else await sleep(Math.min(settle, 2000), ctx.signal);
    const after = await querySmi(ctx);
    const report = {
      before: { usedMiB: total(before.gpus), gpus: before.gpus, processes: before.apps },
      after: { usedMiB: total(after.gpus), gpus: after.gpus, processes: after.apps, signalled, ended, releasedMiB: total(before.gpus) - total(after.gpus) },
    };
    if (signalled.length + ended.length === 0) return { result: 'skipped', ...report, error: errors.join('; ') || 'the planned processes are gone' };
    const survivors = stillThere();
    if (survivors.length) return { result: 'failed', ...report, error: `orphan(s) still running after SIGTERM: ${survivors.join(', ')}` };
    return { result: 'ok', ...report, error: errors.length ? errors.join('; ') : undefined };
  },
};
