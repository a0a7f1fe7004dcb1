// Thresholds that turn a stream of records into a decision to act, like fail2ban's
// maxretry/findtime: a rule fires when N records of its type (optionally of one target) fall
// within a window, then its window starts over. The state is exported into the checkpoint.

import type { LogRecord } from '../diagnosis/types.js';

export interface WatchRule {
  /** An error type, or `*` for every type (each type counted on its own). */
  type: string;
  /** Records needed within the window (fail2ban's maxretry). */
  threshold: number;
  /** The window (fail2ban's findtime). */
  windowSeconds: number;
  /** Count each target (service, path, device, host the record names) separately. */
  perTarget: boolean;
}

export interface Firing {
  rule: WatchRule;
  type: string;
  /** The target counted, when the rule counts per target. */
  target?: string;
  /** The records in the window, oldest first (the one that crossed the threshold last). */
  records: LogRecord[];
}

interface Window {
  ruleId: string;
  type: string;
  target?: string;
  times: number[];
  records: LogRecord[];
}

export interface RuleState {
  windows: Window[];
}

/** What a record is about, for per-target counting. */
export function targetOf(r: LogRecord): string {
  const o = r.objects;
  const host = o?.hosts?.[0];
  return (
    o?.services?.[0] ??
    o?.paths?.[0] ??
    o?.devices?.[0] ??
    (host !== undefined ? (o.ports?.[0] !== undefined ? `${host}:${o.ports[0]}` : host) : undefined) ??
    r.logger ??
    r.file
  );
}

export function ruleId(r: WatchRule): string {
  return `${r.type}:${r.threshold}/${r.windowSeconds}s${r.perTarget ? ':per-target' : ''}`;
}

/** When a record happened: its own timestamp when it has one, else when it was seen. */
export function recordTime(r: LogRecord, seenAt: number): number {
  if (r.time !== undefined) {
    const t = Date.parse(r.time);
    if (!Number.isNaN(t)) return t;
  }
  return seenAt;
}

/** Bytes of a record's text kept in the persisted window. */
const KEPT_TEXT = 2048;

export class RuleEngine {
  #rules: WatchRule[] = [];
  #windows = new Map<string, Window>();

  constructor(rules: readonly WatchRule[] = []) {
    this.setRules(rules);
  }

  get rules(): readonly WatchRule[] {
    return this.#rules;
  }

  /** Replace the rules (config reload). Windows of rules that stay keep their counts. */
  setRules(rules: readonly WatchRule[]): void {
    this.#rules = rules.map((r) => ({ ...r }));
    const ids = new Set(this.#rules.map(ruleId));
    for (const [k, w] of this.#windows) if (!ids.has(w.ruleId)) this.#windows.delete(k);
  }

  /** Count one record; returns the rules it made fire. */
  observe(record: LogRecord, seenAt: number): Firing[] {
    const fired: Firing[] = [];
    const t = recordTime(record, seenAt);
    for (const rule of this.#rules) {
      if (rule.type !== '*' && rule.type !== record.type) continue;
      const id = ruleId(rule);
      const target = rule.perTarget ? targetOf(record) : undefined;
      const key = `${id}\u0000${record.type}\u0000${target ?? ''}`;
      let w = this.#windows.get(key);
      if (!w) {
        w = { ruleId: id, type: record.type, ...(target !== undefined ? { target } : {}), times: [], records: [] };
        this.#windows.set(key, w);
      }
      const from = t - rule.windowSeconds * 1000;
      while (w.times.length > 0 && w.times[0] <= from) {
        w.times.shift();
        w.records.shift();
      }
      w.times.push(t);
      w.records.push(record);
      if (w.times.length >= rule.threshold) {
        fired.push({ rule, type: record.type, ...(target !== undefined ? { target } : {}), records: w.records });
        this.#windows.delete(key);
      }
    }
    return fired;
  }

  /** Drop windows whose newest record is older than their rule's window (kept state small). */
  expire(now: number): void {
    const byId = new Map(this.#rules.map((r) => [ruleId(r), r]));
    for (const [k, w] of this.#windows) {
      const rule = byId.get(w.ruleId);
      const newest = w.times[w.times.length - 1];
      if (!rule || newest === undefined || newest <= now - rule.windowSeconds * 1000) this.#windows.delete(k);
    }
  }

  /** Open windows, for the checkpoint. */
  exportState(): RuleState {
    return {
      windows: [...this.#windows.values()].map((w) => ({
        ...w,
        records: w.records.map((r) => (r.text.length > KEPT_TEXT ? { ...r, text: r.text.slice(0, KEPT_TEXT) } : r)),
      })),
    };
  }

  /** Restore windows saved by `exportState` (those of rules no longer configured are dropped). */
  importState(state: unknown): void {
    const windows = (state as RuleState | undefined)?.windows;
    if (!Array.isArray(windows)) return;
    const ids = new Set(this.#rules.map(ruleId));
    for (const w of windows) {
      if (!ids.has(w.ruleId) || !Array.isArray(w.times) || !Array.isArray(w.records)) continue;
      this.#windows.set(`${w.ruleId}\u0000${w.type}\u0000${w.target ?? ''}`, { ...w });
    }
  }

  /** Records counted so far per open window (for status and tests). */
  pending(): { ruleId: string; type: string; target?: string; count: number }[] {
    return [...this.#windows.values()].map((w) => ({ ruleId: w.ruleId, type: w.type, ...(w.target !== undefined ? { target: w.target } : {}), count: w.times.length }));
  }
}
