// A real Redis for cluster tests: redis-server on a free loopback port, in a temp dir, no
// persistence; stopped by the test that started it, else when its file ends. Tests skip (saying why) without redis-server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { stopBeforeRemoval, tempDir } from '../_tmp.js';

export const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
export const NO_REDIS = 'redis-server is not installed here (CI installs it: .ci/run); skipping the tests that need a real Redis';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
  });
}

export interface TestRedis {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Start redis-server; `port` reuses one (a restart). */
export async function startRedis(port?: number): Promise<TestRedis> {
  const p = port ?? (await freePort());
  const dir = tempDir('logmedic-redis-');
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await answers(p)); i++) await new Promise((r) => setTimeout(r, 25));
  if (!(await answers(p))) throw new Error(`redis-server did not answer on port ${p}`);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  stopBeforeRemoval(stop);
  return { port: p, url: `redis://127.0.0.1:${p}`, process: child, stop };
}
