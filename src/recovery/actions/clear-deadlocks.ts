// clear_deadlocks: remove stale lock files from the configured lock directories. A lock that
// any process holds (flock, POSIX/OFD, /proc/locks) is never removed, whatever it contains; a
// PID in it counts only when the file is a PID alone and that process is the one that wrote
// it (its start time); the judgment and the removal live in logmedic-fs (contained.ts). For a
// hung process of a configured service the record names, capture a stack dump into the state
// dir first; the planner then restarts that service.

import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, procExe, runArgv, which } from '../proc.js';
import { ContainedError, lockVerdict, removeStaleLock, type LockVerdict } from '../contained.js';
import { stamp } from '../safety.js';
import { ownerOf, servicePids } from '../services.js';
import type { ActionContext, RecoveryAction } from '../types.js';

/** A lock file found, and the verdict on it; no `identity` where there is no verdict (too young, or refused). */
interface LockState extends Pick<LockVerdict, 'stale' | 'why'>, Partial<Pick<LockVerdict, 'identity'>> {
  dir: string;
  name: string;
  path: string;
}

const glob = (pattern: string) => new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');

async function scanLocks(ctx: ActionContext): Promise<LockState[]> {
  const { dirs, names, minAgeSeconds } = ctx.config.locks;
  const patterns = names.map(glob);
  const now = ctx.now().getTime();
  const out: LockState[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries.sort()) {
      if (!patterns.some((p) => p.test(name))) continue;
      const path = join(dir, name);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      if (now - st.mtimeMs < minAgeSeconds * 1000) {
        out.push({ dir, name, path, stale: false, why: `younger than ${minAgeSeconds} s` });
        continue;
      }
      try {
        const v = lockVerdict(dir, name);
        out.push({ dir, name, path, identity: v.identity, stale: v.stale, why: v.why });
      } catch (err) {
        if (!(err instanceof ContainedError)) throw err;
        out.push({ dir, name, path, stale: false, why: err.message });
      }
    }
  }
  return out;
}

/** Hung PIDs of configured services the record names: [pid, service]. */
async function hungPids(pids: number[], ctx: ActionContext): Promise<{ pid: number; service: string }[]> {
  if (pids.length === 0) return [];
  const mains = await servicePids(ctx.config, ctx.env, ctx.memo);
  return pids.flatMap((pid) => {
    const service = isAlive(pid) ? ownerOf(pid, mains) : undefined;
    return service ? [{ pid, service }] : [];
  });
}

/** The dump command for a PID: configured argv ({pid} as an argument), py-spy, or SIGQUIT for a JVM. */
function dumpMethod(pid: number, ctx: ActionContext): string[] | 'SIGQUIT' | undefined {
  const cmd = ctx.config.locks.dumpCommand;
  if (cmd) return cmd.map((a) => a.replaceAll('{pid}', String(pid)));
  const exe = procExe(pid);
  if (exe && /^python/.test(exe) && which('py-spy', ctx.env)) return ['py-spy', 'dump', '--pid', String(pid)];
  if (exe === 'java') return 'SIGQUIT';
  return undefined;
}

export const clearDeadlocks: RecoveryAction = {
  name: 'clear_deadlocks',
  phase: 60,

  async plan(record, ctx) {
    const { dirs } = ctx.config.locks;
    const hung = await hungPids(record?.objects.pids ?? [], ctx);
    if (dirs.length === 0 && hung.length === 0) return { target: 'locks', change: 'remove stale locks', skip: 'locks.dirs is not configured and the record names no process of a configured service' };
    const locks = await scanLocks(ctx);
    const stale = locks.filter((l) => l.stale);
    const parts: string[] = [];
    if (stale.length) parts.push(`remove ${stale.length} stale lock(s): ${stale.map((l) => `${l.path} (${l.why})`).join(', ')}`);
    for (const h of hung) {
      const m = dumpMethod(h.pid, ctx);
      parts.push(`stack dump of PID ${h.pid} (${h.service}) ${m === 'SIGQUIT' ? 'by SIGQUIT (JVM)' : m ? `by ${JSON.stringify(m)}` : 'not possible (no py-spy, not a JVM, no locks.dumpCommand)'}, then restart ${h.service}`);
    }
    const target = `locks:${dirs.join(',')}${hung.length ? `;pids:${hung.map((h) => h.pid).join(',')}` : ''}`;
    if (parts.length === 0) return { target, change: 'nothing to remove', skip: `no stale lock in ${dirs.join(', ')} (${locks.length} live)`, detail: { live: locks.map((l) => ({ path: l.path, why: l.why })) } };
    return {
      target,
      change: parts.join('; '),
      detail: { stale: stale.map((l) => l.path), live: locks.filter((l) => !l.stale).map((l) => l.path), hung },
      handoff: hung.length ? ['restart_service'] : undefined,
    };
  },

  async execute(step, ctx) {
    const planned = new Set((step.detail?.stale as string[]) ?? []);
    const removed: string[] = [];
    const kept: { path: string; why: string }[] = [];
    // Re-check each lock right before removing it: its owner may have come back.
    for (const lock of await scanLocks(ctx)) {
      if (!planned.has(lock.path)) continue;
      if (!lock.stale) {
        kept.push({ path: lock.path, why: lock.why });
        continue;
      }
      try {
        // Judged again under an exclusive flock, and removed only if it is the same file.
        const v = removeStaleLock(lock.dir, lock.name, lock.identity!);
        if (v.stale) removed.push(lock.path);
        else kept.push({ path: lock.path, why: v.why });
      } catch (err) {
        if (!(err instanceof ContainedError)) throw err;
        kept.push({ path: lock.path, why: err.message });
      }
    }
    const dumps: { pid: number; file?: string; how: string; error?: string }[] = [];
    for (const h of (step.detail?.hung as { pid: number; service: string }[]) ?? []) {
      const m = dumpMethod(h.pid, ctx);
      if (m === undefined) dumps.push({ pid: h.pid, how: 'none', error: 'no dump method' });
      else if (m === 'SIGQUIT') {
        try {
          process.kill(h.pid, 'SIGQUIT');
          dumps.push({ pid: h.pid, how: 'SIGQUIT (the JVM prints its threads to its own stdout)' });
        } catch (err) {
          dumps.push({ pid: h.pid, how: 'SIGQUIT', error: (err as NodeJS.ErrnoException).code });
        }
      } else {
        const dir = join(ctx.stateDir, 'dumps');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${h.service}-${h.pid}-${stamp(ctx.now())}.txt`);
        const r = await runArgv(m, { timeoutMs: 60_000, env: ctx.env });
        const fd = openSync(file, 'wx');
        writeSync(fd, `# ${JSON.stringify(m)} exit ${r.code ?? r.spawnError ?? r.signal}\n${r.stdout}${r.stderr ? `\n# stderr\n${r.stderr}` : ''}`);
        closeSync(fd);
        dumps.push({ pid: h.pid, file, how: m[0], error: r.code === 0 ? undefined : `exit ${r.code ?? r.spawnError ?? r.signal}` });
      }
    }
    const after = { removed, kept, dumps };
    const failed = removed.length === 0 && planned.size > 0;
    return { result: failed ? 'failed' : 'ok', before: { stale: [...planned] }, after, error: failed ? `no stale lock could be removed (${kept.map((k) => `${k.path}: ${k.why}`).join('; ')})` : undefined };
  },
};
