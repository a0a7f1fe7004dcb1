// The `watch` section of the configuration and the `--rule` syntax, validated with errors
// that name the field; the rest of the file goes through the shared config validation.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfig, validateConfig, type LogmedicConfig } from '../config/index.js';
import { parseConfigText } from '../config/load.js';
import { errnoReason, LogmedicError } from '../errors.js';
import type { WatchRule } from './rules.js';

export interface WatchConfig {
  rules: WatchRule[];
  /** Seconds between checkpoints when nothing was reported (default 5). */
  checkpointSeconds: number;
}

export const DEFAULT_CHECKPOINT_SECONDS = 5;
const TYPE_NAME = /^(?:\*|[A-Za-z][A-Za-z0-9_.-]*)$/;

function configError(where: string, msg: string): LogmedicError {
  return new LogmedicError('E_CONFIG', `${where}: ${msg}`);
}

/** `TYPE:N/WINDOW[:per-target]`, WINDOW as `90`, `90s`, `5m`, `1h` (e.g. `OutOfMemory:3/60s`). */
export function parseRuleSpec(spec: string): WatchRule {
  const m = /^([^:]+):(\d+)\/(\d+(?:\.\d+)?)([smh]?)(?::(per-target|target))?$/.exec(spec.trim());
  if (!m || !TYPE_NAME.test(m[1])) {
    throw new LogmedicError('E_USAGE', `--rule ${JSON.stringify(spec)}: expected TYPE:N/WINDOW[:per-target], e.g. OutOfMemory:3/60s`);
  }
  const threshold = Number(m[2]);
  const windowSeconds = Number(m[3]) * (m[4] === 'm' ? 60 : m[4] === 'h' ? 3600 : 1);
  if (threshold < 1) throw new LogmedicError('E_USAGE', `--rule ${JSON.stringify(spec)}: the threshold must be at least 1`);
  if (!(windowSeconds > 0)) throw new LogmedicError('E_USAGE', `--rule ${JSON.stringify(spec)}: the window must be longer than 0 s`);
  return { type: m[1], threshold, windowSeconds, perTarget: m[5] !== undefined };
}

/** Validate `config.watch` (absent → defaults). `where` names the file in errors. */
export function parseWatchSection(section: unknown, where: string): WatchConfig {
  const out: WatchConfig = { rules: [], checkpointSeconds: DEFAULT_CHECKPOINT_SECONDS };
  if (section === undefined || section === null) return out;
  if (typeof section !== 'object' || Array.isArray(section)) throw configError(where, 'watch must be an object');
  const s = section as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (k !== 'rules' && k !== 'checkpointSeconds') throw configError(where, `watch.${k} is not a known field (rules, checkpointSeconds)`);
  }
  if (s.checkpointSeconds !== undefined) {
    if (typeof s.checkpointSeconds !== 'number' || !(s.checkpointSeconds > 0)) {
      throw configError(where, 'watch.checkpointSeconds must be a number of seconds > 0');
    }
    out.checkpointSeconds = s.checkpointSeconds;
  }
  if (s.rules !== undefined) {
    if (!Array.isArray(s.rules)) throw configError(where, 'watch.rules must be a list');
    s.rules.forEach((r, i) => {
      const f = `watch.rules[${i}]`;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) throw configError(where, `${f} must be an object`);
      const o = r as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!['type', 'threshold', 'windowSeconds', 'perTarget'].includes(k)) {
          throw configError(where, `${f}.${k} is not a known field (type, threshold, windowSeconds, perTarget)`);
        }
      }
      if (typeof o.type !== 'string' || !TYPE_NAME.test(o.type)) throw configError(where, `${f}.type must be an error type name or "*"`);
      if (!Number.isInteger(o.threshold) || (o.threshold as number) < 1) throw configError(where, `${f}.threshold must be an integer >= 1`);
      if (typeof o.windowSeconds !== 'number' || !(o.windowSeconds > 0)) throw configError(where, `${f}.windowSeconds must be a number > 0`);
      if (o.perTarget !== undefined && typeof o.perTarget !== 'boolean') throw configError(where, `${f}.perTarget must be true or false`);
      out.rules.push({ type: o.type, threshold: o.threshold as number, windowSeconds: o.windowSeconds, perTarget: o.perTarget === true });
    });
  }
  return out;
}

/** The config in effect for the watch: the shared config (validated by src/config) and the watch section. */
export interface LoadedConfig {
  file?: string;
  config: LogmedicConfig;
  watch: WatchConfig;
}

/**
 * Load the config file (`--config`, else the usual search). The `watch` section is taken out
 * and validated here; the rest goes through the shared validation, as for `recover`.
 */
export function loadWatchConfig(configPath: string | undefined, cwd = process.cwd()): LoadedConfig {
  const file = findConfig({ configPath, cwd });
  if (file === undefined) return { config: validateConfig({}, undefined, resolve(cwd)), watch: parseWatchSection(undefined, '<config>') };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LogmedicError('E_CONFIG', `${file}: cannot read the config file (${errnoReason(err)})`);
  }
  const raw = parseConfigText(text, file);
  let section: unknown;
  let rest: unknown = raw;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'watch' in raw) {
    const { watch, ...others } = raw as Record<string, unknown>;
    section = watch;
    rest = others;
  }
  const watch = parseWatchSection(section, file);
  return { file, config: validateConfig(rest, file, dirname(file)), watch };
}
