// Finding and reading the config file: `--config`, then the working directory, then
// $XDG_CONFIG_HOME/logmedic/ (default ~/.config/logmedic/). JSON or YAML, validated.

import { lstatSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import { errnoReason, LogmedicError } from '../errors.js';
import type { LogmedicConfig } from './types.js';
import { validateConfig } from './validate.js';

/**
 * The yaml library, loaded on first use: importing it costs about 40 ms of CPU at start-up,
 * and most runs read no YAML file at all.
 */
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof YamlModule);
}

export const CONFIG_NAMES = ['logmedic.config.yaml', 'logmedic.config.yml', 'logmedic.config.json'] as const;

export interface LoadOptions {
  /** An explicit file (`--config`); it must exist. */
  configPath?: string;
  /** Where to look first when no file is named (default: process.cwd()). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The directories searched, in order, when no file is named. */
export function searchDirs(options: LoadOptions = {}): string[] {
  const env = options.env ?? process.env;
  const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return [resolve(options.cwd ?? process.cwd()), join(xdg, 'logmedic')];
}

/** The config file that would be used, or undefined when there is none. */
export function findConfig(options: LoadOptions = {}): string | undefined {
  if (options.configPath !== undefined) return resolve(options.cwd ?? process.cwd(), options.configPath);
  for (const dir of searchDirs(options)) {
    // A link counts as there even when it leads nowhere: a config meant to be used is never skipped in silence.
    const found = CONFIG_NAMES.map((n) => join(dir, n)).filter((f) => isThere(f));
    if (found.length > 1) throw new LogmedicError('E_CONFIG', `${found[0]}: more than one config file here (${found.map((f) => f.slice(dir.length + 1)).join(', ')}); keep one`);
    if (found.length === 1) return checkFound(found[0]);
  }
  return undefined;
}

function isThere(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A config found by name must be a file to read: a link to nothing is reported, and a FIFO
 * or device is refused (reading one would wait for a writer, and every command with it).
 * `--config` may name a pipe on purpose (`-c <(…)`), so only what was found is checked.
 */
function checkFound(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LogmedicError('E_CONFIG', `${file}: cannot read the config file (${code === 'ENOENT' ? 'a link to a file that does not exist' : errnoReason(err)})`);
  }
  if (!st.isFile() && !st.isDirectory()) throw new LogmedicError('E_CONFIG', `${file}: cannot read the config file (not a regular file)`);
  return file;
}

/** Parse and validate one config file. */
export function readConfigFile(file: string): LogmedicConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LogmedicError('E_CONFIG', `${file}: cannot read the config file (${errnoReason(err)})`);
  }
  return validateConfig(parseConfigText(text, file), file, dirname(file));
}

export function parseConfigText(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new LogmedicError('E_CONFIG', `${file}: (top): invalid JSON: ${(err as Error).message}`);
    }
  }
  // Duplicate keys are found below in one pass; the library's own check compares every pair
  // of keys in a map, which a config with thousands of services cannot afford.
  const YAML = yaml();
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos?.[0] ? ` at line ${e.linePos[0].line}` : '';
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new LogmedicError('E_CONFIG', `${file}: (top): invalid YAML${at}: ${what}`);
  }
  const dup = duplicateKey(doc);
  if (dup) throw new LogmedicError('E_CONFIG', `${file}: (top): invalid YAML at line ${lineCounter.linePos(dup.offset).line}: Map keys must be unique (${JSON.stringify(dup.key)} twice)`);
  try {
    // The yaml library refuses to expand aliases past a budget (an "alias bomb"): exit 2, one line.
    return doc.toJS();
  } catch (err) {
    throw new LogmedicError('E_CONFIG', `${file}: (top): YAML refused: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The first key that a map of the document repeats, with where it repeats. */
function duplicateKey(doc: YamlModule.Document): { key: string; offset: number } | undefined {
  const YAML = yaml();
  const { isMap, isScalar } = YAML;
  let found: { key: string; offset: number } | undefined;
  YAML.visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : `n:${String(pair.key)}`;
        if (seen.has(key)) {
          found = { key: key.slice(2), offset: (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0 };
          return YAML.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The config in effect: the named or found file, validated; or, when there is none, an
 * empty config (nothing is allowed, so every action is skipped) rooted at `cwd`.
 */
export function loadConfig(options: LoadOptions = {}): LogmedicConfig {
  const file = findConfig(options);
  if (file === undefined) return validateConfig({}, undefined, resolve(options.cwd ?? process.cwd()));
  return readConfigFile(file);
}
