// The JSON between the web UI's server and its page: each /api response and each server-sent
// event, declared once. The server's builders are typed with these, so the compiler checks
// that every field the page reads is sent. Types only, importing nothing but the napi
// binding's generated declarations: the page's own tsc project (src/serve/web) compiles this
// file too, for the browser.
//
// Where a response passes a library object through (a record, a journal entry, a watch event),
// its type here lists the fields the page reads; the full shape is the library's
// (diagnosis/types.ts, recovery/journal.ts, watch/).

import type { Frame, JobProgress } from '../../native/index.cjs';

export type Role = 'viewer' | 'operator';

// --- session -------------------------------------------------------------------------------

/** GET /api/session. Without users every caller is the local operator. */
export interface SessionView {
  /** Whether the server asks for a sign-in (serve.users). */
  auth: boolean;
  user: string | null;
  role: Role | null;
  /** The token a change must carry; null for a bearer token or no caller. */
  csrf: string | null;
  /** Whether the server watches logs (`serve --watch`). */
  live: boolean;
  /** 0: uploads are off. */
  uploadMaxBytes: number;
}

/** POST /api/login. */
export interface LoginView {
  user: string;
  role: Role;
  csrf: string;
}

/** POST /api/logout. */
export interface LogoutView {
  ok: true;
}

// --- logs and analyses ---------------------------------------------------------------------

/** One log the config's `serve.logs` names. */
export interface LogEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** GET /api/logs. */
export interface LogsView {
  /** The globs as configured (absolute). */
  roots: string[];
  logs: LogEntry[];
}

/** Where a record is: its file, first line, and time when it has one. */
export interface Place {
  file: string;
  line: number;
  time?: string;
}

/** One failure type of a diagnosis: its count, span, commonest message shapes and actions. */
export interface TypeRow {
  type: string;
  count: number;
  first: Place;
  last: Place;
  messages: { shape: string; count: number; example: string }[];
  innermostFrame?: Frame;
  actions: { action: string; reason: string; record: { file: string; line: number } }[];
}

export interface Bars {
  /** Minutes (ISO, `YYYY-MM-DDTHH:MM`). */
  minutes: string[];
  /** Per type, counts per minute (aligned with `minutes`). */
  series: { type: string; counts: number[] }[];
}

/** Error-level lines no pattern matched, one row per template. */
export interface UnrecognisedRow {
  id: string;
  template: string;
  count: number;
  example: string;
  first: Place;
  last: Place;
  /** The model's guess; `type` null: it named no failure, or not confidently. Absent: not asked. */
  inferred?: { type: string | null; confidence: number; support?: number | null };
}

/** POST /api/analyze, POST /api/upload, GET /api/analyses/:id: a diagnosis without its records. */
export interface SummaryView {
  id: string;
  /** The log as the page named it: a listed path, or `upload:<name>`. */
  name: string;
  files: string[];
  bytes: number;
  lines: number;
  elapsedMs: number;
  engine: string;
  types: TypeRow[];
  bars: Bars;
  unrecognised: { lines: number; others: number; templates: UnrecognisedRow[] };
}

/** One row of a records page. */
export interface RecordRow {
  /** Its place among all the analysis' records (GET /api/analyses/:id/records/:index). */
  index: number;
  type: string;
  file: string;
  line: number;
  endLine: number;
  time?: string;
  level?: string;
  message: string;
  exception?: string;
}

/** GET /api/analyses/:id/records. */
export interface RecordsPageView {
  /** Matching records: the total once `complete`, a lower bound before. */
  total: number;
  /** Whether every record kept for paging has been read. */
  complete: boolean;
  offset: number;
  limit: number;
  /** Records there are to page through, known so far until complete. */
  kept: number;
  records: RecordRow[];
}

/** A whole record, as `analyze --json` prints it: the fields the page shows. */
export interface RecordView {
  type: string;
  patternId: string;
  file: string;
  line: number;
  endLine: number;
  time?: string;
  level?: string;
  logger?: string;
  text: string;
  frames: Frame[];
  /** Index in `frames` of the innermost application frame. */
  innermost?: number;
}

/** GET /api/analyses/:id/records/:index: the record and the lines around it. */
export interface RecordDetailView {
  record: RecordView;
  /** Empty for an upload and for a compressed log. */
  context: { before: string[]; after: string[] };
}

// --- recovery ------------------------------------------------------------------------------

/** What a step met or did when carried out (or what it would meet now, for a preview). */
export interface StepOutcomeView {
  result: string;
  /** The policy that refused it: cooldown, circuit-open, hourly-cap… */
  policy?: string;
  reason?: string;
  error?: string;
  before?: unknown;
  after?: unknown;
  durationMs: number;
  approvedBy?: string;
}

/** One step of a plan, as `recover --dry-run` shows it, with its outcome once approved. */
export interface StepView {
  /** Its index in the plan (POST /api/analyses/:id/steps/:index/approve). */
  index: number;
  action: string;
  target: string;
  /** One line: exactly what will change. */
  change: string;
  /** Why the step cannot or need not be done; such a step cannot be approved. */
  skip?: string;
  trigger: { file: string; line: number; type: string };
  /** Records that asked for this same step. */
  records: number;
  detail?: Record<string, unknown>;
  /** What the policy would decide now. */
  preview?: Pick<StepOutcomeView, 'result' | 'policy' | 'reason'>;
  done?: StepOutcomeView;
}

/** GET /api/analyses/:id/plan. */
export interface PlanView {
  id: string;
  name: string;
  /** The config file the plan was made with; null: none, so every step is skipped. */
  config: string | null;
  steps: StepView[];
  /** Types with no automatic action, and what a person should do. */
  manual: { type: string; count: number; advice: string }[];
}

/** A line of the audit journal: the fields the page shows. */
export interface JournalEntryView {
  time: string;
  action: string;
  target: string;
  result: string;
  change?: string;
  reason?: string;
  error?: string;
  approvedBy?: string;
}

/** GET /api/history: newest first. */
export interface HistoryView {
  entries: JournalEntryView[];
  /** Entries matching the filters, before the limit. */
  total: number;
  /** Every action and every result in the whole journal (user-defined actions too), for the filters. */
  actions: string[];
  results: string[];
}

export interface CircuitView {
  action: string;
  target: string;
  open: boolean;
  openedAt?: string;
}

/** GET /api/circuits, and the `circuits` event after a reset. */
export interface CircuitsView {
  circuits: CircuitView[];
}

/**
 * POST /api/circuits/reset: the circuits closed, and every action + target whose failures were
 * forgotten, on this host; with `policy.store`, the same of the fleet's in Redis (`fleet`).
 */
export interface CircuitResetView {
  closed: string[];
  forgotten: string[];
  fleet?: { closed: string[]; forgotten: string[] };
}

// --- live ----------------------------------------------------------------------------------

/** A failure record the watch found (the page's fields of a `watch --json` record line). */
export interface LiveRecordEvent {
  event: 'record';
  type: string;
  file: string;
  line: number;
  /** The record's own time when it has one, else when it was seen. */
  time: string;
  message: string;
  exception?: string;
}

/** An action a watch rule led to (the page's fields of a `watch --json` action line). */
export interface LiveActionEvent {
  event: 'action';
  action: string;
  target?: string;
  /** ok, failed, skipped, dry-run, or the policy that refused it. */
  result: string;
  reason?: string;
  rule: string;
  /** Records in the window that fired. */
  count: number;
  time: string;
}

/** The last time a rule fired: what it counted and each action it led to. */
export interface FiringView {
  time: string;
  type: string;
  /** The target it counted (per-target rules only). */
  target?: string;
  count: number;
  actions: { action: string; target?: string; result: string; reason?: string }[];
}

/** A watch rule now: its open windows, last firing, and the cooldowns that firing started. */
export interface RuleView {
  id: string;
  type: string;
  threshold: number;
  windowSeconds: number;
  perTarget: boolean;
  /** Open windows: records counted so far per type (and target), short of the threshold. */
  windows: { type: string; target?: string; count: number }[];
  lastFiring?: FiringView;
  /** The last firing's actions still cooling down (policy.cooldownSeconds), and until when. */
  cooldowns: { action: string; target: string; until: string }[];
}

/** What the watch of `serve --watch` is doing. */
export interface LiveStatus {
  paths: string[];
  files: number;
  bytesRead: number;
  /** Per followed file: bytes written but not read yet. */
  behind: Record<string, number>;
  recordsByType: Record<string, number>;
  actionsByResult: Record<string, number>;
  circuits: { action: string; target: string; open: boolean }[];
  /** The rules' ids. */
  rules: string[];
  ruleViews: RuleView[];
  /** The latest notes (a file rotated, a piece skipped…). */
  notes: string[];
}

/** GET /api/live: the status and the latest events, for a page that opens late. */
export type LiveView = { watching: false } | ({ watching: true; recent: (LiveRecordEvent | LiveActionEvent)[] } & LiveStatus);

// --- catalog -------------------------------------------------------------------------------

/** GET /api/catalog. */
export interface CatalogView {
  types: { name: string; category: string; description: string; priority: number; actions: string[]; patterns: number }[];
  patterns: { id: string; type: string; pattern: string; origin: string; match: string[]; noMatch: string[] }[];
}

/** POST /api/catalog/try: the lines a pattern matches and what the catalog makes of them now. */
export interface TryView {
  lines: number;
  count: number;
  /** `now`: the type of the record the line belongs to; null: no record. */
  hits: { line: number; text: string; now: string | null }[];
}

// --- server-sent events (GET /api/events) --------------------------------------------------

/** How far an analysis' pass has read: the diagnosis', then the records'. */
export interface ProgressEvent extends JobProgress {
  /** The analysis' name (SummaryView.name). */
  name: string;
  phase: 'summary' | 'records';
}

/** A step approved on some page: running, then done (its view) or failed (the error). */
export type StepEvent =
  | { analysis: string; index: number; state: 'running'; action: string; target: string; by: string }
  | { analysis: string; index: number; state: 'done'; step: StepView }
  | { analysis: string; index: number; state: 'error'; error: string };

/** Each event's name and its data. */
export interface ServerEvents {
  /** First on every connection. */
  hello: { live: LiveStatus | null };
  progress: ProgressEvent;
  /** An analysis' records are all read: its pages can go past the first ones. */
  records: { analysis: string; kept: number };
  step: StepEvent;
  circuits: CircuitsView;
  record: LiveRecordEvent;
  action: LiveActionEvent;
  note: { message: string };
  rules: { rules: RuleView[] };
}
