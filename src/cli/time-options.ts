// `--since`, `--until` and `--year`: the options that place a run in time, read as journalctl
// reads them. This module only turns the words into instants; which records fall inside is
// decided by the core (a record's time against the range, UTC and local clocks alike).
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';

export interface TimeArgs {
  since?: string;
  until?: string;
  year?: number;
}

/** Declare the options on a command. */
export function timeOptions<T>(y: Argv<T>): Argv<T & TimeArgs> {
  return y
    .option('since', { type: 'string', describe: 'count only records at or after this time ("2026-12-01 10:00", yesterday, -2h)' })
    .option('until', { type: 'string', describe: 'count only records at or before this time (same forms as --since)' })
    .option('year', { type: 'number', describe: 'year of timestamps that leave it out (default: the one closest to, not after, the file\'s last change)' }) as Argv<T & TimeArgs>;
}

const UNITS: Record<string, number> = {
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

function startOfDay(now: Date, daysFrom: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysFrom);
}

/**
 * An instant from a time as a user writes it: `2026-12-01`, `2026-12-01 10:00[:05]`, an
 * ISO time with a zone, `10:00` (today), `today`, `yesterday`, `tomorrow`, `now`, or
 * relative to now: `-2h`, `+30min`, `-1d`, `2h ago`. Times without a zone are local.
 */
export function parseTime(text: string, now = new Date()): Date | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'now') return new Date(now);
  if (s === 'today') return startOfDay(now, 0);
  if (s === 'yesterday') return startOfDay(now, -1);
  if (s === 'tomorrow') return startOfDay(now, 1);
  const rel = /^([+-])?\s*(\d+(?:\.\d+)?)\s*([a-z]+)(\s+ago)?$/.exec(s);
  if (rel && UNITS[rel[3]] !== undefined && (rel[1] !== undefined || rel[4] !== undefined) && !(rel[1] && rel[4])) {
    const sign = rel[1] === '+' ? 1 : -1;
    return new Date(now.getTime() + sign * Number(rel[2]) * UNITS[rel[3]]);
  }
  const local = /^(?:(\d{4})-(\d{2})-(\d{2}))?(?:[ t]?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(s);
  if (local && (local[1] !== undefined || local[4] !== undefined)) {
    const [y, mo, d] = local[1] !== undefined ? [Number(local[1]), Number(local[2]) - 1, Number(local[3])] : [now.getFullYear(), now.getMonth(), now.getDate()];
    const [h, mi, sec, ms] = [local[4], local[5], local[6], local[7]].map((v) => Number(v ?? 0));
    const date = new Date(y, mo, d, h, mi, sec, Number(String(ms).padEnd(3, '0').slice(0, 3)));
    // Reject what Date would roll over (2026-02-31 → March 3).
    if (date.getFullYear() !== y || date.getMonth() !== mo || date.getDate() !== d || date.getHours() !== h || date.getMinutes() !== mi) return undefined;
    return date;
  }
  if (/^\d{4}-\d{2}-\d{2}[ t]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T').toUpperCase());
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  return undefined;
}

/** The range and year the options give, checked; one clear line when they cannot be read. */
export function readTimeArgs(args: TimeArgs, now = new Date()): { since?: Date; until?: Date; year?: number } {
  const read = (name: 'since' | 'until'): Date | undefined => {
    const v = args[name];
    if (v === undefined) return undefined;
    const date = parseTime(String(v), now);
    if (!date) {
      throw new LogmedicError('E_USAGE', `--${name}: cannot read ${JSON.stringify(v)} as a time (try "2026-12-01", "2026-12-01 10:00", yesterday, today, -2h)`);
    }
    return date;
  };
  const since = read('since');
  const until = read('until');
  if (since && until && since.getTime() > until.getTime()) {
    throw new LogmedicError('E_USAGE', `--since (${since.toISOString()}) is after --until (${until.toISOString()})`);
  }
  if (args.year !== undefined && (!Number.isInteger(args.year) || args.year < 1 || args.year > 9999)) {
    throw new LogmedicError('E_USAGE', `--year must be a whole number from 1 to 9999, got ${args.year}`);
  }
  return { since, until, year: args.year };
}
