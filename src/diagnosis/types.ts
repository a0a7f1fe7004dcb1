// The diagnosis as data: what `analyze --json` prints (schema version 1) and what the
// recovery planner consumes. Keep this stable: add fields, never rename or remove.

import type { ErrorType } from '../catalog/types.js';
import type { Frame, MinuteCount, RecordObjects } from '../../native/index.cjs';

// Shapes the diagnosis passes on from the core as they are: a change in the core changes them
// here too, and code that reads a field the core no longer sends fails to compile.
export type { Frame, MinuteCount, RecordObjects };

/** The seven recovery actions the original description names, by their exact names (plus user-defined ones). */
export const RECOVERY_ACTIONS = [
  'reduce_quant',
  'clean_cache',
  'restore_backup',
  'restart_service',
  'free_gpu_memory',
  'clear_deadlocks',
  'fix_permissions',
] as const;
export type RecoveryActionName = (typeof RECOVERY_ACTIONS)[number] | (string & {});

/** One log entry that failed: its header line and any continuation lines (tracebacks). */
export interface LogRecord {
  type: ErrorType;
  /** Id of the catalog pattern that decided the type. */
  patternId: string;
  /** Ids of every catalog pattern that matched in the record (refiners too), in catalog order. */
  matched?: string[];
  /** The log file (or "-" for stdin, "<buffer>" for memory). */
  file: string;
  /** 1-based line of the record's first line, and of its last. */
  line: number;
  endLine: number;
  /** Byte offset of the first line. */
  offset: number;
  /** ISO-8601 when the record has a timestamp. */
  time?: string;
  level?: string;
  logger?: string;
  /** The headline: the line that matched, without timestamp/level prefix where known. */
  message: string;
  /** The message was cut (the core keeps 4 KiB of a message). */
  messageTruncated?: true;
  /** Exception class when there is one (`RuntimeError`, `java.io.IOException`…). */
  exception?: string;
  /** The whole record text (capped). */
  text: string;
  frames: Frame[];
  /** Index in `frames` of the innermost application frame. */
  innermost?: number;
  objects: RecordObjects;
}

export interface MessageGroup {
  /** The message with numbers, ids, hex and paths masked. */
  shape: string;
  count: number;
  example: string;
  /** The example was cut (the core keeps 4 KiB of a message). */
  exampleTruncated?: true;
}

export interface PlannedActionRef {
  action: RecoveryActionName;
  /** Why this action: the record that justifies it. */
  reason: string;
  record: { file: string; line: number };
}

export interface TypeSummary {
  type: ErrorType;
  count: number;
  first: { line: number; time?: string; file: string };
  last: { line: number; time?: string; file: string };
  messages: MessageGroup[];
  innermostFrame?: Frame;
  /** Records per minute, in time order (only when records carry timestamps). */
  timeline: MinuteCount[];
  samples: LogRecord[];
  actions: PlannedActionRef[];
}

export interface Diagnosis {
  schema: 1;
  files: string[];
  bytes: number;
  lines: number;
  elapsedMs: number;
  engine: string;
  /** One entry per type found, most records first. */
  errors: TypeSummary[];
  /** Files that changed while read. */
  changed: string[];
  /** Error-level lines that no pattern matched, grouped by template (absent where not mined). */
  unrecognised?: Unrecognised;
}

/** Error-level lines outside every record, grouped by template. */
export interface Unrecognised {
  /** How many such lines. */
  lines: number;
  /** Most lines first; at most `UNRECOGNISED_TEMPLATES` of them. */
  templates: UnrecognisedTemplate[];
  /** Lines of templates not listed (beyond the list's length, or beyond what the core keeps). */
  others: number;
}

/** One template of unrecognised lines: a plain object, its `id` stable across runs and files. */
export interface UnrecognisedTemplate {
  /** Hash of the template text: the same text has the same id everywhere. */
  id: string;
  /** The message's tokens, `<*>` where a value varies. */
  template: string;
  count: number;
  first: { file: string; line: number; time?: string };
  last: { file: string; line: number; time?: string };
  /** The first line of the template, as written. */
  example: string;
  /** Canonical levels seen on its lines. */
  levels: string[];
  /** A catalog pattern (Rust regex syntax) that matches its lines, which `logmedic test FILE` suggests; absent for a template without wording. */
  pattern?: string;
  /**
   * The learned model's answer for the group (by its example): `type` is null when the model
   * names no failure, is below the shown confidence (SHOW_INFERRED_FROM), or no training
   * sample of the type resembles the example (`support`, the best similarity, under the
   * core's floor). A guess, never counted in `errors`; absent where the model was not asked
   * (a diagnosis from the library before inference).
   */
  inferred?: { type: string | null; confidence: number; support?: number | null };
}
