// Runs the real `logmedic watch` (from source, through tsx) as a child process and collects
// its JSON events and stderr; always killed at the end of the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExecutionContext } from 'ava';
import { waitFor } from './_helpers.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
// By absolute URL: the child runs in a temp dir, where the bare name 'tsx' does not resolve.
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface WatchChild {
  proc: ChildProcess;
  events: Record<string, any>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  records: () => Record<string, any>[];
  actions: () => Record<string, any>[];
}

export function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.FORCE_COLOR;
  return { ...e, XDG_CONFIG_HOME: '/nonexistent-logmedic-test' };
}

/** `nodeArgs`: options for node itself, before the CLI (a test's `--import` preload). */
export function startCli(t: ExecutionContext, args: string[], cwd: string, nodeArgs: string[] = []): WatchChild {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', TSX, MAIN, ...args], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const events: Record<string, any>[] = [];
  let rest = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    rest += d.toString();
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const l of lines) if (l.trim() !== '') events.push(JSON.parse(l));
  });
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('close', (code, signal) => r({ code, signal })));
  return {
    proc,
    events,
    stderr: () => err,
    exited,
    records: () => events.filter((e) => e.event === 'record'),
    actions: () => events.filter((e) => e.event === 'action'),
  };
}

/** Start a watch and wait until it says it is watching. */
export async function startWatching(t: ExecutionContext, args: string[], cwd: string, nodeArgs: string[] = []): Promise<WatchChild> {
  const c = startCli(t, ['watch', '--json', '--poll-ms', '50', '--idle-ms', '100', ...args], cwd, nodeArgs);
  let done = false;
  void c.exited.then(() => (done = true));
  await waitFor(() => /watching \d+ file/.test(c.stderr()) || done, 'the watch to start', 60_000);
  if (done) throw new Error(`watch exited early: ${c.stderr()}`);
  return c;
}

/** Run the CLI to completion (bad-input cases). */
export async function runCli(t: ExecutionContext, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = startCli(t, args, cwd);
  const { code } = await c.exited;
  return { code, stdout: JSON.stringify(c.events), stderr: c.stderr() };
}
