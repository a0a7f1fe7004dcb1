// Shared test helpers: temporary worlds, realistic records and diagnoses, configs from raw
// objects (through the real validation), and child processes that stand in for services.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateConfig, type LogmedicConfig } from '../../src/config/index.js';
import type { Diagnosis, LogRecord } from '../../src/diagnosis/types.js';
import { tempDir, type Teardown } from '../_tmp.js';

/** A temp dir for one test's world: removed when test `t` ends, or without `t` when the file ends. */
export function tmpWorld(prefixOrTest: string | Teardown = 'logmedic-rec-', t?: Teardown): string {
  return typeof prefixOrTest === 'string' ? tempDir(prefixOrTest, t) : tempDir('logmedic-rec-', prefixOrTest);
}

export function config(raw: Record<string, unknown>, baseDir: string): LogmedicConfig {
  return validateConfig(raw, join(baseDir, 'logmedic.config.json'), baseDir);
}

export function record(fields: Partial<LogRecord> & { type: string; objects?: Partial<LogRecord['objects']> }): LogRecord {
  const { objects, ...rest } = fields;
  return {
    patternId: `${fields.type}/test`,
    file: 'logs/visionai.log',
    line: 120,
    endLine: 120,
    offset: 0,
    message: '',
    text: '',
    frames: [],
    ...rest,
    objects: { paths: [], hosts: [], ports: [], pids: [], services: [], devices: [], ...objects },
  } as LogRecord;
}

/** A diagnosis with one summary per record type (records grouped by type, in order). */
export function diagnosis(records: LogRecord[]): Diagnosis {
  const types = [...new Set(records.map((r) => r.type))];
  return {
    schema: 1,
    files: [...new Set(records.map((r) => r.file))],
    bytes: 4096,
    lines: 200,
    elapsedMs: 1,
    engine: 'regex',
    changed: [],
    errors: types.map((type) => {
      const rs = records.filter((r) => r.type === type);
      return {
        type,
        count: rs.length,
        first: { line: rs[0].line, file: rs[0].file, time: rs[0].time },
        last: { line: rs[rs.length - 1].line, file: rs[rs.length - 1].file },
        messages: [{ shape: rs[0].message, count: rs.length, example: rs[0].message }],
        timeline: [],
        samples: rs,
        actions: [],
      };
    }),
  };
}

/** sha256 of every file (and symlink target, and mode) under `dir`: a fingerprint of the tree. */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const key = relative(dir, p);
      if (st.isSymbolicLink()) out[key] = `link:${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[key] = `dir:${(st.mode & 0o7777).toString(8)}`;
        walk(p);
      } else out[key] = `${(st.mode & 0o7777).toString(8)}:${st.mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

const spawned: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/**
 * A long-running node process (a stand-in service or GPU process). With `marker`, it writes
 * `<marker>.ready` once its handlers are set, and `<marker>` when it receives `signal`.
 */
export function sleeper(options: { marker?: string; signal?: string; ignoreTerm?: boolean; detached?: boolean } = {}): ChildProcess {
  const code = [
    options.marker && options.signal ? `process.on(${JSON.stringify(options.signal)}, () => require('fs').writeFileSync(${JSON.stringify(options.marker)}, ${JSON.stringify(options.signal)}));` : '',
    options.ignoreTerm ? "process.on('SIGTERM', () => {});" : '',
    options.marker ? `require('fs').writeFileSync(${JSON.stringify(options.marker + '.ready')}, String(process.pid));` : '',
    'setInterval(() => {}, 1000);',
  ].join('');
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore', detached: options.detached });
  // Never keep the test worker alive; and never leave a stand-in running after it.
  child.unref();
  spawned.push(child);
  return child;
}

export const waitFor = async (check: () => boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
};

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}
