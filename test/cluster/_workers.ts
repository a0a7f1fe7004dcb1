// Real `logmedic worker` processes for cluster tests: started, awaited until ready, stopped
// (by the test, else when its file ends).
import { spawn, type ChildProcess } from 'node:child_process';
import { cleanEnv, NODE_ARGS } from '../cli/_run.js';
import { stopBeforeRemoval } from '../_tmp.js';

export interface TestWorker {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

/** A worker process named `name`; `extra`: more options (`--root DIR`). Resolves once it says it is ready. */
export function startWorker(url: string, name: string, extra: string[] = []): Promise<TestWorker> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'worker', '--cluster', url, '--name', name, ...extra], { env: cleanEnv() });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const wait = setInterval(() => {
      if (log.includes(' ready (')) {
        clearInterval(wait);
        const worker = { child, log: () => log, exited };
        // Stopped at the end of the file before its Redis (started earlier), whose loss it would wait out.
        stopBeforeRemoval(() => stopWorkers([worker]));
        resolve(worker);
      } else if (child.exitCode !== null || Date.now() - started > 60_000) {
        clearInterval(wait);
        reject(new Error(`worker ${name} did not start: ${log}`));
      }
    }, 50);
  });
}

/** Its exit code, or 'still running' after `ms`: a deadline for a hang, not a timing check. */
export function exitOrHang(worker: TestWorker, ms = 60_000): Promise<number | null | string> {
  return Promise.race([worker.exited, new Promise<string>((r) => setTimeout(() => r('still running'), ms))]);
}

export async function stopWorkers(workers: TestWorker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}
