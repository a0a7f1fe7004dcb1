// Which records may set recovery off by default. A record the log itself marks informational
// (INFO, NOTICE, DEBUG…), one that puts the fault on the other end of a connection (a client
// that went away, "Connection reset by peer"), or one that reports the failure of another
// task (Hadoop's "Task: attempt_… - exited") does not: acting on our own service cannot cure
// it, and restarting for it turns a client's hiccup into an outage. `policy.alsoActOn` opts in.

import type { LogRecord } from '../diagnosis/types.js';

export const TRIGGER_CLASSES = ['informational', 'peer-fault', 'other-task'] as const;
export type TriggerClass = (typeof TRIGGER_CLASSES)[number];

const INFORMATIONAL_LEVELS = new Set(['info', 'information', 'informational', 'notice', 'debug', 'trace', 'fine', 'finer', 'finest', 'verbose', 'config']);

/** The fault is on the other end: the peer or client reset, closed, or vanished. */
const PEER_FAULT = [
  /\b(?:reset|closed|aborted|terminated|disconnected)\s+by\s+(?:the\s+)?(?:peer|client|remote(?:\s+(?:host|peer|end|side|party))?)\b/i,
  /\b(?:can'?t|cannot|could\s+not|unable\s+to|failed\s+to)\s+(?:get|read|determine|resolve)\s+(?:the\s+)?(?:client|peer|remote)\s+(?:address|name|host)/i,
  /\b(?:client|peer|remote\s+(?:end|host|peer))\s+(?:closed|reset|disconnected|went\s+away|hung\s+up|aborted)\b/i,
];

/** The failure named belongs to another task, attempt or container than the one logging. */
const OTHER_TASK = /\b(?:attempt|container|task|executor)_[0-9a-z_]+\b[^.;]{0,40}?\b(?:exited|failed|killed|lost|was\s+killed)\b|\b(?:diagnostics\s+report|failure|error\s+report)\s+from\s+(?:attempt|container|task|executor)_[0-9a-z_]+/i;

/** Why `record` does not trigger actions by default (undefined when it does). */
export function notActionable(record: LogRecord | undefined, alsoActOn: readonly string[]): { cls: TriggerClass; why: string } | undefined {
  if (!record) return undefined;
  const level = record.level?.trim().toLowerCase();
  if (level && INFORMATIONAL_LEVELS.has(level) && !alsoActOn.includes('informational')) {
    return { cls: 'informational', why: `the log marks this record ${record.level} (informational); policy.alsoActOn: [informational] acts on such records` };
  }
  const text = record.message;
  if (PEER_FAULT.some((re) => re.test(text)) && !alsoActOn.includes('peer-fault')) {
    return { cls: 'peer-fault', why: 'the record puts the fault on the other end of the connection (a client or peer), which no local action cures; policy.alsoActOn: [peer-fault] acts on such records' };
  }
  const other = OTHER_TASK.exec(text);
  if (other && !alsoActOn.includes('other-task')) {
    return { cls: 'other-task', why: `the record reports the failure of another task (${other[0].slice(0, 60)}), not of the process that logged it; policy.alsoActOn: [other-task] acts on such records` };
  }
  return undefined;
}
