// The `serve` section of the config: which logs the web UI may read (globs), who may sign in
// (users with a role and a password or token hash), and how large an upload may be. The rest
// of the config is the shared one, validated by src/config, as for `recover` and `watch`.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { findConfig, parseConfigText } from '../config/load.js';
import { LogmedicError } from '../errors.js';
import { loadWatchConfig, type LoadedConfig } from '../watch/config.js';
import type { Role } from './view-types.js';

export type { Role };

export interface ServeUser {
  name: string;
  role: Role;
  /** `scrypt:<salt base64>:<key base64>` (from `logmedic serve --hash-password`). */
  password?: string;
  /** `sha256:<hex>` of a bearer token. */
  token?: string;
}

export interface ServeSection {
  /** Absolute globs (or files) of the logs that may be analyzed. */
  logs: string[];
  users: ServeUser[];
  uploadMaxBytes: number;
}

export interface ServeConfig extends LoadedConfig {
  serve: ServeSection;
}

const DEFAULT_UPLOAD_MB = 64;

function fail(file: string | undefined, path: string, msg: string): never {
  throw new LogmedicError('E_CONFIG', `${file ?? '<config>'}: serve${path}: ${msg}`);
}

/** Validate the raw `serve` section; relative globs are taken from the config's directory. */
export function parseServeSection(raw: unknown, file: string | undefined, baseDir: string): ServeSection {
  if (raw === undefined || raw === null) return { logs: [], users: [], uploadMaxBytes: DEFAULT_UPLOAD_MB << 20 };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(file, '', 'must be a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['logs', 'users', 'uploadMaxMB'].includes(k)) fail(file, `.${k}`, 'unknown field (expected one of: logs, users, uploadMaxMB)');
  const logs = o.logs ?? [];
  if (!Array.isArray(logs) || logs.some((g) => typeof g !== 'string' || g === '')) fail(file, '.logs', 'must be a list of paths or globs');
  const users = o.users ?? [];
  if (!Array.isArray(users)) fail(file, '.users', 'must be a list');
  const seen = new Set<string>();
  const parsed = users.map((u, i): ServeUser => {
    const at = `.users[${i}]`;
    if (!u || typeof u !== 'object' || Array.isArray(u)) fail(file, at, 'must be a mapping');
    const { name, role, password, token, ...rest } = u as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) fail(file, `${at}.${extra[0]}`, 'unknown field (expected one of: name, role, password, token)');
    if (typeof name !== 'string' || !/^[\w.@-]{1,64}$/.test(name)) fail(file, `${at}.name`, 'a name of letters, digits, . _ @ - (at most 64)');
    if (seen.has(name)) fail(file, `${at}.name`, `${name} is listed twice`);
    seen.add(name);
    if (role !== 'viewer' && role !== 'operator') fail(file, `${at}.role`, 'must be viewer or operator');
    if (password === undefined && token === undefined) fail(file, at, 'needs a password hash or a token hash');
    if (password !== undefined && (typeof password !== 'string' || !/^scrypt:[A-Za-z0-9+/=]{16,}:[A-Za-z0-9+/=]{40,}$/.test(password))) fail(file, `${at}.password`, 'must be a hash from `logmedic serve --hash-password`, never the password itself');
    if (token !== undefined && (typeof token !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(token))) fail(file, `${at}.token`, 'must be sha256:<64 hex digits> (the hash of the token, from `logmedic serve --hash-token`)');
    return { name, role, ...(password !== undefined ? { password: password as string } : {}), ...(token !== undefined ? { token: token as string } : {}) };
  });
  const mb = o.uploadMaxMB ?? DEFAULT_UPLOAD_MB;
  if (typeof mb !== 'number' || !Number.isFinite(mb) || mb < 0 || mb > 4096) fail(file, '.uploadMaxMB', 'must be a number of MB from 0 (no uploads) to 4096');
  return { logs: (logs as string[]).map((g) => (isAbsolute(g) ? g : resolve(baseDir, g))), users: parsed, uploadMaxBytes: Math.floor(mb * 1024 * 1024) };
}

/** The config for `serve`: the shared config, its watch section and its serve section. */
export function loadServeConfig(configPath: string | undefined, cwd = process.cwd()): ServeConfig {
  const loaded = loadWatchConfig(configPath, cwd);
  const file = findConfig({ configPath, cwd });
  let raw: unknown;
  if (file !== undefined) {
    const doc = parseConfigText(readFileSync(file, 'utf8'), file);
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) raw = (doc as Record<string, unknown>).serve;
  }
  return { ...loaded, serve: parseServeSection(raw, file, file ? dirname(file) : resolve(cwd)) };
}
