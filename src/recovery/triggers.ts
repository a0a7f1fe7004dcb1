// Which records may set recovery off by default. A record the log itself marks informational
// (INFO, NOTICE, DEBUG…), one that puts the fault on the other end of a connection (a client
// that went away, "Connection reset by peer"), or one that reports the failure of another
// task (Hadoop's "Task: attempt_… - exited") does not: acting on our own service cannot cure
// it, and restarting for it turns a client's hiccup into an outage. The core decides the
// classes (`passiveClasses`); the policy chooses which of them to act on (`policy.alsoActOn`).

import type { LogRecord } from '../diagnosis/types.js';
import { native } from '../native.js';

export const TRIGGER_CLASSES = ['informational', 'peer-fault', 'other-task'] as const;
export type TriggerClass = (typeof TRIGGER_CLASSES)[number];

const WHY: Record<TriggerClass, (evidence: string) => string> = {
  informational: (level) => `the log marks this record ${level} (informational); policy.alsoActOn: [informational] acts on such records`,
  'peer-fault': () => 'the record puts the fault on the other end of the connection (a client or peer), which no local action cures; policy.alsoActOn: [peer-fault] acts on such records',
  'other-task': (words) => `the record reports the failure of another task (${words}), not of the process that logged it; policy.alsoActOn: [other-task] acts on such records`,
};

/** Why `record` does not trigger actions by default (undefined when it does). */
export function notActionable(record: LogRecord | undefined, alsoActOn: readonly string[]): { cls: TriggerClass; why: string } | undefined {
  if (!record) return undefined;
  for (const { class: cls, evidence } of native.passiveClasses(record.level ?? null, record.message)) {
    if (alsoActOn.includes(cls)) continue;
    return { cls: cls as TriggerClass, why: WHY[cls as TriggerClass](evidence) };
  }
  return undefined;
}
