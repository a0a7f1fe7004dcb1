// Reading the systemd journal: `journalctl -o json` is spawned (argv, no shell) and its
// output streamed into the analysis through a FIFO, so memory stays bounded however long the
// journal is. The core reads journald's JSON fields (time, unit, PID, priority, message);
// this module only builds the command line and moves the bytes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogmedicError } from '../errors.js';

export interface JournalQuery {
  /** `-u UNIT` for each: only these systemd units. */
  units?: string[];
  /** `--since`/`--until`, as instants. */
  since?: Date;
  until?: Date;
  /** `--file FILE`: a journal file instead of the system's journal. */
  file?: string;
  /** The journalctl executable (default: journalctl on PATH). */
  journalctl?: string;
}

/** journalctl takes local times as `YYYY-MM-DD HH:MM:SS`. */
function localTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The argv for journalctl (without the executable). */
export function journalctlArgs(q: JournalQuery): string[] {
  const args = ['-o', 'json', '--no-pager', '--quiet'];
  for (const u of q.units ?? []) args.push('-u', u);
  if (q.since) args.push('--since', localTime(q.since));
  if (q.until) args.push('--until', localTime(q.until));
  if (q.file !== undefined) args.push('--file', q.file);
  return args;
}

const MISSING = '--journal needs journalctl (systemd) on PATH; it was not found';

/** Fail early, with one clear line, when journalctl cannot be run at all. */
export function checkJournalctl(journalctl = 'journalctl'): void {
  const r = spawnSync(journalctl, ['--version'], { stdio: 'ignore' });
  if (r.error) throw new LogmedicError('E_NOT_FOUND', (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? MISSING : `cannot run ${journalctl}: ${r.error.message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `read(path)` on a FIFO that journalctl's output flows into. The reader (the native
 * analysis) opens the FIFO first; journalctl is started once it has, with the FIFO's write
 * end as its stdout, so nothing is lost if journalctl finishes before the reader gets going.
 * journalctl's failure (bad unit name, unreadable file) becomes one line and E_INVALID_ARG.
 */
export async function readJournal<T>(q: JournalQuery, read: (path: string) => Promise<T>): Promise<T> {
  const journalctl = q.journalctl ?? 'journalctl';
  checkJournalctl(journalctl);
  const dir = mkdtempSync(join(tmpdir(), 'logmedic-journal-'));
  const fifo = join(dir, 'journal.json');
  try {
    const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    if (made.status !== 0) throw new LogmedicError('E_IO', `cannot make a FIFO for journalctl's output in ${dir}`);
    let readerDone = false;
    const reading = read(fifo).finally(() => (readerDone = true));
    // A non-blocking open for writing succeeds only once a reader has the FIFO open.
    let probe: number | undefined;
    while (probe === undefined && !readerDone) {
      try {
        probe = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
        await sleep(5);
      }
    }
    if (probe === undefined) return await reading; // the reader failed before opening
    // journalctl gets a blocking write end (the reader is there, so this open returns at once).
    const out = openSync(fifo, constants.O_WRONLY);
    closeSync(probe);
    let child: ChildProcess;
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => {
      child = spawn(journalctl, journalctlArgs(q), { stdio: ['ignore', out, 'pipe'] });
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('error', (err) => {
        stderr ||= err.message;
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    closeSync(out); // journalctl holds the only write end: its exit is the reader's end of input
    const [outcome, code] = await Promise.all([reading.then((value) => ({ value }), (failed: unknown) => ({ failed })), exited]);
    // The reader's own failure explains a journalctl cut short by it (EPIPE), not the reverse.
    if ('failed' in outcome) throw outcome.failed;
    if (code !== 0) {
      const line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `exit status ${code}`;
      throw new LogmedicError('E_INVALID_ARG', `journalctl: ${line}`);
    }
    return outcome.value;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The name a journal read goes by in a diagnosis, instead of the FIFO's temporary path. */
export function journalName(q: JournalQuery): string {
  const what = q.file !== undefined ? `journal ${q.file}` : 'journal';
  return q.units && q.units.length > 0 ? `${what} (${q.units.join(', ')})` : what;
}

/** Replace the file name `from` by `to` wherever a result names a file (`file`, `files`). */
export function renameFile<T>(value: T, from: string, to: string): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return v === from && (key === 'file' || key === 'files') ? to : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
