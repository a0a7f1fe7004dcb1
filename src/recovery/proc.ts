// Processes as recovery sees them: is a PID alive (zombies are not), who is its parent and
// owner, where is a program on PATH, and running an argv (never a shell) with a time limit.

import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Alive and not a zombie. EPERM means it exists but belongs to someone else: alive. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === undefined || stat.state !== 'Z';
}

/**
 * Fields of /proc/PID/stat (Linux); undefined elsewhere or when the process is gone.
 * `startTime` (field 22, clock ticks after boot) tells a process from a later one that the
 * system gave the same PID.
 */
export function procStat(pid: number): { comm: string; state: string; ppid: number; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may itself contain spaces and parentheses.
    const close = text.lastIndexOf(')');
    const rest = text.slice(close + 2).split(' ');
    return { comm: text.slice(text.indexOf('(') + 1, close), state: rest[0], ppid: Number(rest[1]), startTime: rest[19] };
  } catch {
    return undefined;
  }
}

/** Owner uid of a process (Linux), or undefined. */
export function procUid(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/** The executable's basename (Linux), e.g. "java", "python3.11". */
export function procExe(pid: number): string | undefined {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return cmd.split('/').pop() || undefined;
  } catch {
    return undefined;
  }
}

/** PIDs from `pid` up to init: [pid, parent, grandparent, …]. */
export function lineage(pid: number): number[] {
  const out: number[] = [];
  let cur = pid;
  for (let i = 0; i < 64 && cur > 0 && !out.includes(cur); i++) {
    out.push(cur);
    const stat = procStat(cur);
    if (!stat) break;
    cur = stat.ppid;
  }
  return out;
}

/** Full path of `cmd` on PATH (or `cmd` itself when it has a slash and is executable). */
export function which(cmd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exe = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (cmd.includes('/')) return exe(cmd) ? cmd : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = isAbsolute(dir) ? join(dir, cmd) : join(process.cwd(), dir, cmd);
    if (exe(p)) return p;
  }
  return undefined;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT, EACCES). */
  spawnError?: string;
}

/** Run an argv without a shell; never throws for a non-zero exit or a timeout. */
export function runArgv(
  argv: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; maxBuffer?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      argv[0],
      argv.slice(1),
      { timeout: options.timeoutMs, killSignal: 'SIGKILL', env: options.env, cwd: options.cwd, signal: options.signal, maxBuffer: options.maxBuffer ?? 16 << 20, shell: false, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals; code?: number | string }) | null;
        if (e && typeof e.code === 'string' && e.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          resolve({ code: null, signal: null, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), timedOut: false, spawnError: e.code });
          return;
        }
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: Boolean(e?.killed && e.signal === 'SIGKILL'),
        });
      },
    );
  });
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Poll `check` until it returns true or `timeoutMs` passes. */
export async function waitUntil(check: () => boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= end) return false;
    await sleep(intervalMs);
  }
}

/** The PID in a pid file (first integer), or undefined. */
export function readPidFile(file: string): number | undefined {
  try {
    const m = /\d+/.exec(readFileSync(file, 'utf8').slice(0, 4096));
    const pid = m ? Number(m[0]) : NaN;
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The tail of a text, for journals and messages. */
export const tail = (s: string, n = 2000) => (s.length > n ? '…' + s.slice(-n) : s).trim();
