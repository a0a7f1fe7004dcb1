// The audit journal: one JSON line per step in `<state>/journal.jsonl`, appended and fsynced
// as each step ends, so that what logmedic did survives a crash halfway through a run.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult, Trigger } from './types.js';

export interface JournalEntry {
  time: string;
  runId: string;
  action: string;
  target: string;
  trigger: Trigger | null;
  dryRun: boolean;
  result: StepResult;
  /** When policy decided: cooldown, circuit-open, hourly-cap; "reset" for `logmedic reset`. */
  policy?: string;
  change?: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
  durationMs: number;
  error?: string;
}

export const journalPath = (stateDir: string) => join(stateDir, 'journal.jsonl');

export function appendJournal(stateDir: string, entry: JournalEntry): void {
  mkdirSync(stateDir, { recursive: true });
  const fd = openSync(journalPath(stateDir), 'a', 0o644);
  try {
    writeSync(fd, JSON.stringify(entry) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The last `limit` entries, oldest first; lines that do not parse (a torn write) are skipped. */
export function readJournal(stateDir: string, limit = Infinity): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(journalPath(stateDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return limit === Infinity ? out : out.slice(Math.max(0, out.length - limit));
}
