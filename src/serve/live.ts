// The Live page's source: a watch of `serve --watch PATHS` through the watch module's own
// Watcher and responder, so checkpoints, rules and the state dir's single owner are exactly
// those of `logmedic watch`. Records and actions go out as server-sent events; the server
// keeps only the latest few hundred for a page that opens late.

import { resolve } from 'node:path';
import { classifierFor } from '../watch/records.js';
import { createResponder, type ActionEvent } from '../watch/respond.js';
import { ruleId } from '../watch/rules.js';
import { Watcher, type RecordEvent } from '../watch/watcher.js';
import type { ServeConfig } from './config.js';

/** Events kept for a page that connects later. */
const RECENT = 300;

export interface LiveOptions {
  paths: string[];
  config: ServeConfig;
  yes: boolean;
  signal?: AbortSignal;
  emit: (event: string, data: unknown) => void;
}

export class LiveFeed {
  readonly paths: string[];
  #watcher: Watcher;
  #recent: (RecordEvent | ActionEvent)[] = [];
  #notes: string[] = [];
  #rules: string[];

  constructor(o: LiveOptions) {
    this.paths = o.paths;
    this.#rules = o.config.watch.rules.map(ruleId);
    const stateDir = resolve(o.config.config.state.dir);
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
      },
      onAction: (e) => {
        keep(e);
        o.emit('action', e);
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
    return this.#watcher.stop();
  }

  status() {
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
      notes: this.#notes,
    };
  }

  recent() {
    return this.#recent;
  }
}
