// The Live page's source: a watch of `serve --watch PATHS` through the watch module's own
// Watcher and responder, so checkpoints, rules and the state dir's single owner are exactly
// those of `logmedic watch`. Records, actions and each rule's window (count against
// threshold, last firing, cooldown of what it fired) go out as server-sent events; the
// server keeps only the latest few hundred events for a page that opens late.

import { resolve } from 'node:path';
import { cooldownEnd, readState } from '../recovery/index.js';
import { classifierFor } from '../watch/records.js';
import { createResponder, type ActionEvent } from '../watch/respond.js';
import { ruleId } from '../watch/rules.js';
import { Watcher, type RecordEvent } from '../watch/watcher.js';
import type { ServeConfig } from './config.js';
import type { FiringView, LiveActionEvent, LiveRecordEvent, LiveStatus, RuleView, ServerEvents } from './view-types.js';

/** Sends one server-sent event to every page. */
export type Emit = <E extends keyof ServerEvents>(event: E, data: ServerEvents[E]) => void;

/** Events kept for a page that connects later. */
const RECENT = 300;
/** Rule windows are sent at most this often while records stream in. */
const RULES_EVERY_MS = 250;

export interface LiveOptions {
  paths: string[];
  config: ServeConfig;
  yes: boolean;
  signal?: AbortSignal;
  emit: Emit;
}

export class LiveFeed {
  readonly paths: string[];
  #watcher: Watcher;
  #recent: (RecordEvent | ActionEvent)[] = [];
  #notes: string[] = [];
  #rules: string[];
  #config: ServeConfig;
  #stateDir: string;
  #lastFiring = new Map<string, FiringView>();
  #rulesTimer: NodeJS.Timeout | undefined;

  constructor(o: LiveOptions) {
    this.paths = o.paths;
    this.#config = o.config;
    this.#rules = o.config.watch.rules.map(ruleId);
    const stateDir = resolve(o.config.config.state.dir);
    this.#stateDir = stateDir;
    // Windows change with every record: sent once per RULES_EVERY_MS at most, after the burst.
    const rulesChanged = () => {
      this.#rulesTimer ??= setTimeout(() => {
        this.#rulesTimer = undefined;
        o.emit('rules', { rules: this.ruleViews() });
      }, RULES_EVERY_MS);
    };
    const classify = classifierFor(o.config.config);
    const responder = createResponder({ config: () => o.config.config, stateDir, signal: o.signal, dryRun: !o.yes, yes: o.yes });
    const keep = (e: RecordEvent | ActionEvent) => {
      this.#recent.push(e);
      if (this.#recent.length > RECENT) this.#recent.splice(0, this.#recent.length - RECENT);
    };
    this.#watcher = new Watcher({
      paths: o.paths,
      stateDir,
      classify,
      rules: o.config.watch.rules,
      checkpointSeconds: o.config.watch.checkpointSeconds,
      respond: (f) => responder.respond(f),
      circuits: () => responder.circuits(),
      onRecord: (e) => {
        keep(e);
        o.emit('record', e);
        rulesChanged();
      },
      onAction: (e) => {
        keep(e);
        this.#noteFiring(e);
        o.emit('action', e);
        rulesChanged();
      },
      onNote: (msg) => {
        this.#notes.push(msg);
        if (this.#notes.length > 20) this.#notes.shift();
        o.emit('note', { message: msg });
      },
    });
  }

  /** Takes the state dir (one owner at a time, as `watch`): throws when another process holds it. */
  start(): void {
    this.#watcher.start();
  }

  stop(): Promise<void> {
    clearTimeout(this.#rulesTimer);
    this.#rulesTimer = undefined;
    return this.#watcher.stop();
  }

  /** One firing's actions share its time: a new time is a new firing. */
  #noteFiring(e: ActionEvent): void {
    // The target the rule counted (per-target rules only), which the action's target may differ from.
    const perTarget = this.#config.watch.rules.some((r) => r.perTarget && ruleId(r) === e.rule);
    const ruleTarget = !perTarget ? undefined : typeof e.ruleTarget === 'string' ? e.ruleTarget : e.target;
    const last = this.#lastFiring.get(e.rule);
    const action = { action: e.action, ...(e.target !== undefined ? { target: e.target } : {}), result: e.result, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
    if (last && last.time === e.time && last.type === e.type) last.actions.push(action);
    else this.#lastFiring.set(e.rule, { time: e.time, type: e.type, ...(ruleTarget !== undefined ? { target: ruleTarget } : {}), count: e.count, actions: [action] });
  }

  /** Each watch rule now: its open windows, last firing, and the cooldowns that firing started. */
  ruleViews(now = new Date()): RuleView[] {
    const windows = this.#watcher.ruleWindows;
    const state = readState(this.#stateDir);
    const config = this.#config.config;
    return this.#config.watch.rules.map((rule) => {
      const id = ruleId(rule);
      const lastFiring = this.#lastFiring.get(id);
      const cooldowns: RuleView['cooldowns'] = [];
      for (const a of lastFiring?.actions ?? []) {
        if (a.target === undefined) continue;
        const until = cooldownEnd(state, config, a.action, a.target, now);
        if (until) cooldowns.push({ action: a.action, target: a.target, until: until.toISOString() });
      }
      return {
        id,
        type: rule.type,
        threshold: rule.threshold,
        windowSeconds: rule.windowSeconds,
        perTarget: rule.perTarget,
        windows: windows.filter((w) => w.ruleId === id).map(({ type, target, count }) => ({ type, ...(target !== undefined ? { target } : {}), count })),
        ...(lastFiring ? { lastFiring } : {}),
        cooldowns,
      };
    });
  }

  status(): LiveStatus {
    const s = this.#watcher.snapshot();
    return {
      paths: this.paths,
      files: s.files,
      bytesRead: s.bytesRead,
      behind: Object.fromEntries(s.behind),
      recordsByType: Object.fromEntries(s.recordsByType),
      actionsByResult: Object.fromEntries(s.actionsByResult),
      circuits: s.circuits,
      rules: this.#rules,
      ruleViews: this.ruleViews(),
      notes: this.#notes,
    };
  }

  recent(): (LiveRecordEvent | LiveActionEvent)[] {
    return this.#recent;
  }
}
