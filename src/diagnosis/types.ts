// The diagnosis as data: what `analyze --json` prints (schema version 1) and what the
// recovery planner consumes. Keep this stable: add fields, never rename or remove.

import type { ErrorType } from '../catalog/types.js';

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

export interface Frame {
  file: string;
  line?: number;
  function?: string;
  /** Application code (not the standard library, site-packages, node_modules, JDK…). */
  app: boolean;
}

/** What the message names that recovery needs. */
export interface RecordObjects {
  paths: string[];
  hosts: string[];
  ports: number[];
  pids: number[];
  services: string[];
  devices: string[];
}

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
  timeline: { minute: string; count: number }[];
  samples: LogRecord[];
  actions: PlannedActionRef[];
}

/**
 * Error-level lines of one template that no pattern matched, with the learned model's type
 * when it is confident enough. Never counted in `errors`: an inferred type is a guess.
 */
export interface InferredGroup {
  /** The template (`<*>` where a value varies). */
  template: string;
  count: number;
  example: string;
  first: { file: string; line: number };
  /** The model's answer; absent when its likeliest answer is "not a failure it knows". */
  inferred?: { type: string; confidence: number };
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
  /** Unrecognised error-level templates and their inferred types (analyze and recover on files). */
  inferred?: InferredGroup[];
}
