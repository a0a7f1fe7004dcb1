// The audit journal, write-ahead: in `<state>/journal.jsonl` an `attempt` line is appended and
// fsynced before a step changes anything, and its result line (same attemptId) after. An
// attempt without a result is a step a crash or kill -9 interrupted; the next run finds it.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileError } from '../errors.js';
import type { StepResult, Trigger } from './types.js';

export interface JournalEntry {
  time: string;
  runId: string;
  /** Pairs a result line with its attempt line. */
  attemptId?: string;
  action: string;
  target: string;
  trigger: Trigger | null;
  dryRun: boolean;
  /** "interrupted": an attempt whose result never came (reported until the next run reconciles it). */
  result: StepResult | 'interrupted';
  /** Set on the result line that closes an interrupted attempt. */
  interrupted?: boolean;
  /** When policy decided: cooldown, circuit-open, hourly-cap; "reset" for `logmedic reset`. */
  policy?: string;
  change?: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
  durationMs: number;
  error?: string;
  /** Who approved the step (the web UI's signed-in user); absent for unattended runs. */
  approvedBy?: string;
}

export const journalPath = (stateDir: string) => join(stateDir, 'journal.jsonl');

/** Written and fsynced before a step acts. */
export interface AttemptLine {
  kind: 'attempt';
  attemptId: string;
  time: string;
  runId: string;
  action: string;
  target: string;
  trigger: Trigger | null;
  change: string;
  approvedBy?: string;
}

function appendLine(stateDir: string, value: unknown): void {
  mkdirSync(stateDir, { recursive: true });
  const fd = openSync(journalPath(stateDir), 'a', 0o644);
  try {
    writeSync(fd, JSON.stringify(value) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function appendJournal(stateDir: string, entry: JournalEntry): void {
  appendLine(stateDir, entry);
}

export function appendAttempt(stateDir: string, attempt: AttemptLine): void {
  appendLine(stateDir, attempt);
}

function readLines(stateDir: string, skipped?: { lines: number }): unknown[] {
  let text: string;
  try {
    text = readFileSync(journalPath(stateDir), 'utf8');
  } catch (err) {
    // No journal yet (or no state dir, which the run lock reports as a config problem).
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return [];
    throw fileError(journalPath(stateDir), 'read the recovery journal', err);
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn last line after a crash, or a line someone else wrote: skip it.
      if (skipped) skipped.lines++;
    }
  }
  return out;
}

/** A result line as the journal writes it: what `history` and the web UI print needs these fields. */
const isEntry = (x: unknown): x is JournalEntry =>
  typeof x === 'object' && x !== null && ['time', 'action', 'target', 'result'].every((k) => typeof (x as Record<string, unknown>)[k] === 'string');

const isAttempt = (x: unknown): x is AttemptLine => typeof x === 'object' && x !== null && (x as AttemptLine).kind === 'attempt' && typeof (x as AttemptLine).attemptId === 'string';

/** Attempts whose result line never came, oldest first. */
export function danglingAttempts(stateDir: string): AttemptLine[] {
  const lines = readLines(stateDir);
  const closed = new Set(lines.flatMap((l) => (!isAttempt(l) && typeof (l as JournalEntry)?.attemptId === 'string' ? [(l as JournalEntry).attemptId!] : [])));
  return lines.filter(isAttempt).filter((a) => !closed.has(a.attemptId));
}

/**
 * The last `limit` steps, oldest first: result lines, and attempts still without one (as
 * result "interrupted"); attempt lines that have their result are folded into it. Lines
 * that are not the journal's (not JSON, or without its fields) are left out and counted in
 * `skipped`.
 */
export function readJournal(stateDir: string, limit = Infinity, skipped?: { lines: number }): JournalEntry[] {
  const lines = readLines(stateDir, skipped);
  const closed = new Set(lines.flatMap((l) => (!isAttempt(l) && typeof (l as JournalEntry)?.attemptId === 'string' ? [(l as JournalEntry).attemptId!] : [])));
  const out: JournalEntry[] = [];
  for (const l of lines) {
    if (!isAttempt(l)) {
      if (isEntry(l)) out.push(l);
      else if (skipped) skipped.lines++;
    } else if (!closed.has(l.attemptId)) {
      out.push({ time: l.time, runId: l.runId, attemptId: l.attemptId, action: l.action, target: l.target, trigger: l.trigger, dryRun: false, result: 'interrupted', change: l.change, durationMs: 0, approvedBy: l.approvedBy });
    }
  }
  return limit === Infinity ? out : out.slice(Math.max(0, out.length - limit));
}
