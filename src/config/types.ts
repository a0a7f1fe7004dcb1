// The configuration's shape, after validation: every path absolute (resolved against the
// directory of the config file), every default filled in. Actions read only this.

import type { Catalog } from '../catalog/types.js';

export interface ServiceConfig {
  name: string;
  /** argv that starts the service (no shell); used when `systemd` is not set. */
  start?: string[];
  /** Where the service's PID is kept (written by logmedic after a start). */
  pidFile?: string;
  /** A systemd unit: restarts go through `systemctl restart UNIT` instead. */
  systemd?: string;
  /** argv that exits 0 when the service is healthy. */
  health?: string[];
  /** Logger names whose records belong to this service. */
  loggers: string[];
  /** Working directory for `start` and `health` (default: the config's directory). */
  cwd: string;
  /** Extra environment for `start`. */
  env: Record<string, string>;
  stopTimeoutSeconds: number;
  healthTimeoutSeconds: number;
  /** `default: true`: the service a record belongs to when it names none (opt-in; see serviceFor). */
  isDefault: boolean;
}

export interface CircuitConfig {
  maxAttempts: number;
  windowSeconds: number;
}

/**
 * Whether recovery may act on a type the learned model inferred for a record no pattern
 * matched. By default it does not: the plan says what it would do and leaves it.
 */
export interface InferredPolicy {
  allow: boolean;
  /** The model's calibrated confidence an inferred type needs before it is acted on, 0..1. */
  minConfidence: number;
}

export interface UserActionConfig {
  command: string[];
  timeoutSeconds: number;
}

export interface LogmedicConfig {
  /** The file it was read from; undefined for the built-in empty config. */
  file?: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  services: Record<string, ServiceConfig>;
  cache: { dirs: string[]; minFreeBytes: number };
  backups: { dir?: string; files: string[] };
  quantization?: { file: string; key: string; ladder: string[]; levelsDir?: string };
  permissions: { roots: string[]; fileMode?: number; dirMode?: number; owner?: string; recursive: boolean };
  locks: { dirs: string[]; names: string[]; minAgeSeconds: number; dumpCommand?: string[] };
  gpu: { signal: NodeJS.Signals; endOrphans: boolean; user?: string; settleSeconds: number };
  /** alsoActOn: record classes that trigger actions although by default they do not (see recovery/triggers.ts). */
  /**
   * store: a redis:// URL where the fleet's cooldowns, circuits, hourly cap and `maxConcurrent`
   * (per action and target, fleet-wide) live; offlineMaxActionsPerHour: this host's cap while
   * that store cannot be reached (default 1; see recovery/policy.ts).
   */
  policy: { cooldownSeconds: number; circuit: CircuitConfig; maxActionsPerHour: number; alsoActOn: string[]; store?: string; maxConcurrent?: number; offlineMaxActionsPerHour?: number; inferred: InferredPolicy };
  state: { dir: string };
  actions: Record<string, UserActionConfig>;
  actionMap: Record<string, string[]>;
  /** The failure catalog: the built-in one merged with the config's `catalog` key, when given. */
  catalog?: Catalog;
}
