// Validation of a parsed config file into a LogmedicConfig: unknown fields, wrong types and
// unsafe values are refused with one error that names the file and the field path.

import { constants, homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { defaultCatalog, mergeCatalog, type UserCatalog } from '../catalog/index.js';
import type { Catalog } from '../catalog/types.js';
import { RECOVERY_ACTIONS } from '../diagnosis/types.js';
import { LogmedicError } from '../errors.js';
import { systemRootReason } from '../recovery/contained.js';
import { TRIGGER_CLASSES } from '../recovery/triggers.js';
import type { LogmedicConfig, ServiceConfig, UserActionConfig } from './types.js';

type Obj = Record<string, unknown>;

/** Raised internally with the field path; turned into E_CONFIG with the file name. */
class FieldError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys starting with `$` (e.g. `$comment`) are notes for people and are ignored. */
function fields(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new FieldError(path, `must be an object, got ${describe(v)}`);
  // A Set: a config with many services passes every service name as allowed.
  const known = new Set(allowed);
  for (const k of Object.keys(v)) {
    if (k.startsWith('$')) continue;
    if (!known.has(k)) throw new FieldError(join(path, k), `unknown field (expected one of: ${allowed.join(', ')})`);
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'object' ? 'an object' : `the ${typeof v} ${String(v)}`}`;
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new FieldError(path, `must be a non-empty string, got ${describe(v)}`);
  return v;
}

function optStr(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path);
}

function strList(v: unknown, path: string, opts: { nonEmpty?: boolean } = {}): string[] {
  if (v === undefined || v === null) {
    if (opts.nonEmpty) throw new FieldError(path, 'is required');
    return [];
  }
  if (!Array.isArray(v)) throw new FieldError(path, `must be an array of strings, got ${describe(v)}`);
  if (opts.nonEmpty && v.length === 0) throw new FieldError(path, 'must not be empty');
  return v.map((x, i) => str(x, join(path, i)));
}

/** An argv: the program and its arguments, never a shell string. */
function argv(v: unknown, path: string): string[] {
  if (typeof v === 'string') throw new FieldError(path, 'must be an argv array like ["python3", "-m", "app"], not a shell string');
  return strList(v, path, { nonEmpty: true });
}

function optArgv(v: unknown, path: string): string[] | undefined {
  return v === undefined || v === null ? undefined : argv(v, path);
}

function num(v: unknown, path: string, fallback: number, opts: { min?: number; integer?: boolean } = {}): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(path, `must be a number, got ${describe(v)}`);
  if (opts.integer !== false && !Number.isInteger(v)) throw new FieldError(path, `must be a whole number, got ${v}`);
  if (v < (opts.min ?? 0)) throw new FieldError(path, `must be at least ${opts.min ?? 0}, got ${v}`);
  return v;
}

function bool(v: unknown, path: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new FieldError(path, `must be true or false, got ${describe(v)}`);
  return v;
}

function mode(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  // YAML reads an unquoted 0644 as the decimal number 644 (YAML 1.2); its bits are not 0644.
  if (typeof v === 'number') throw new FieldError(path, `must be a quoted octal string like "0644", got the number ${v} (YAML reads an unquoted 0644 as the decimal number 644: put the mode in quotes)`);
  const s = v;
  if (typeof s !== 'string' || !/^0?[0-7]{3,4}$/.test(s)) throw new FieldError(path, `must be an octal mode string like "0644", got ${describe(v)}`);
  const m = parseInt(s, 8);
  if (m & 0o7000) throw new FieldError(path, `setuid/setgid/sticky bits are not allowed (${s})`);
  return m;
}

function signal(v: unknown, path: string, fallback: NodeJS.Signals): NodeJS.Signals {
  if (v === undefined || v === null) return fallback;
  const s = str(v, path);
  if (!(s in constants.signals)) throw new FieldError(path, `unknown signal ${JSON.stringify(s)} (e.g. "SIGUSR1")`);
  return s as NodeJS.Signals;
}

const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Validate `raw` (parsed from `file`) into a LogmedicConfig with absolute paths. */
export function validateConfig(raw: unknown, file: string | undefined, baseDir: string): LogmedicConfig {
  try {
    return build(raw, baseDir, file);
  } catch (err) {
    if (err instanceof FieldError) throw new LogmedicError('E_CONFIG', `${file ?? '<config>'}: ${err.path || '(top)'}: ${err.message}`);
    throw err;
  }
}

function build(raw: unknown, baseDir: string, file: string | undefined): LogmedicConfig {
  // `watch` belongs to the watch mode, which validates it (src/watch/config.ts); `serve` to
  // the web UI (src/serve/config.ts).
  const top = fields(raw ?? {}, '', ['services', 'cache', 'backups', 'quantization', 'permissions', 'locks', 'gpu', 'policy', 'state', 'actions', 'actionMap', 'watch', 'serve', 'catalog', 'safety']);
  const p = (s: string) => (isAbsolute(s) ? resolve(s) : resolve(baseDir, s));
  const paths = (v: unknown, path: string) => strList(v, path).map(p);

  const services: Record<string, ServiceConfig> = {};
  if (top.services !== undefined && top.services !== null) {
    const svc = fields(top.services, 'services', Object.keys(isObj(top.services) ? top.services : {}));
    for (const [name, value] of Object.entries(svc)) {
      if (name.startsWith('$')) continue;
      const at = join('services', name);
      if (!NAME.test(name)) throw new FieldError(at, 'service names are letters, digits, "_", "." and "-"');
      const s = fields(value, at, ['start', 'pidFile', 'systemd', 'health', 'loggers', 'cwd', 'env', 'stopTimeoutSeconds', 'healthTimeoutSeconds', 'default']);
      const systemd = optStr(s.systemd, join(at, 'systemd'));
      const start = optArgv(s.start, join(at, 'start'));
      const pidFile = optStr(s.pidFile, join(at, 'pidFile'));
      if (!systemd && !start) throw new FieldError(at, 'needs "start" (an argv) or "systemd" (a unit name)');
      if (!systemd && !pidFile) throw new FieldError(join(at, 'pidFile'), 'is required when the service is started by "start" (it is how logmedic finds the process)');
      if (systemd && !/^[A-Za-z0-9:_.@\\-]+$/.test(systemd)) throw new FieldError(join(at, 'systemd'), `not a unit name: ${JSON.stringify(systemd)}`);
      const env: Record<string, string> = {};
      if (s.env !== undefined && s.env !== null) {
        const e = fields(s.env, join(at, 'env'), Object.keys(isObj(s.env) ? s.env : {}));
        for (const [k, v] of Object.entries(e)) env[k] = typeof v === 'string' ? v : str(v, join(join(at, 'env'), k));
      }
      services[name] = {
        name,
        start,
        pidFile: pidFile === undefined ? undefined : p(pidFile),
        systemd,
        health: optArgv(s.health, join(at, 'health')),
        loggers: strList(s.loggers, join(at, 'loggers')),
        cwd: s.cwd === undefined || s.cwd === null ? baseDir : p(str(s.cwd, join(at, 'cwd'))),
        env,
        stopTimeoutSeconds: num(s.stopTimeoutSeconds, join(at, 'stopTimeoutSeconds'), 10, { integer: false }),
        healthTimeoutSeconds: num(s.healthTimeoutSeconds, join(at, 'healthTimeoutSeconds'), 30, { integer: false }),
        isDefault: bool(s.default, join(at, 'default'), false),
      };
    }
    const defaults = Object.values(services).filter((s) => s.isDefault);
    if (defaults.length > 1) throw new FieldError(join(join('services', defaults[1].name), 'default'), `only one service can be the default (${defaults[0].name} already is)`);
  }

  const cache = top.cache === undefined || top.cache === null ? {} : fields(top.cache, 'cache', ['dirs', 'minFreeBytes']);
  const backups = top.backups === undefined || top.backups === null ? {} : fields(top.backups, 'backups', ['dir', 'files']);
  const backupDir = optStr(backups.dir, 'backups.dir');

  let quantization: LogmedicConfig['quantization'];
  if (top.quantization !== undefined && top.quantization !== null) {
    const q = fields(top.quantization, 'quantization', ['file', 'key', 'ladder', 'levelsDir']);
    const ladder = strList(q.ladder, 'quantization.ladder', { nonEmpty: true });
    if (ladder.length < 2) throw new FieldError('quantization.ladder', 'needs at least two levels, highest first');
    const dup = ladder.find((l, i) => ladder.indexOf(l) !== i);
    if (dup) throw new FieldError('quantization.ladder', `lists ${JSON.stringify(dup)} twice`);
    const file = str(q.file, 'quantization.file');
    if (!/\.(json|ya?ml)$/i.test(file)) throw new FieldError('quantization.file', 'must be a .json, .yaml or .yml file');
    const levelsDir = optStr(q.levelsDir, 'quantization.levelsDir');
    quantization = { file: p(file), key: str(q.key, 'quantization.key'), ladder, levelsDir: levelsDir === undefined ? undefined : p(levelsDir) };
  }

  const perm = top.permissions === undefined || top.permissions === null ? {} : fields(top.permissions, 'permissions', ['roots', 'fileMode', 'dirMode', 'owner', 'recursive']);
  const owner = optStr(perm.owner, 'permissions.owner');
  if (owner !== undefined && !/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(owner)) throw new FieldError('permissions.owner', `must be "user" or "user:group", got ${JSON.stringify(owner)}`);

  const locks = top.locks === undefined || top.locks === null ? {} : fields(top.locks, 'locks', ['dirs', 'names', 'minAgeSeconds', 'dumpCommand']);
  const dumpCommand = optArgv(locks.dumpCommand, 'locks.dumpCommand');
  if (dumpCommand && !dumpCommand.some((a) => a.includes('{pid}'))) throw new FieldError('locks.dumpCommand', 'must contain "{pid}" in one of its arguments');

  const gpu = top.gpu === undefined || top.gpu === null ? {} : fields(top.gpu, 'gpu', ['signal', 'endOrphans', 'user', 'settleSeconds']);
  const endOrphans = bool(gpu.endOrphans, 'gpu.endOrphans', false);
  const gpuUser = optStr(gpu.user, 'gpu.user');
  if (endOrphans && !gpuUser) throw new FieldError('gpu.user', 'is required when gpu.endOrphans is true (only that user\'s orphaned GPU processes are ended)');

  const policy = top.policy === undefined || top.policy === null ? {} : fields(top.policy, 'policy', ['cooldownSeconds', 'circuit', 'maxActionsPerHour', 'alsoActOn', 'inferred', 'store', 'maxConcurrent', 'offlineMaxActionsPerHour']);
  const inferred = policy.inferred === undefined || policy.inferred === null ? {} : fields(policy.inferred, 'policy.inferred', ['allow', 'minConfidence']);
  const minConfidence = num(inferred.minConfidence, 'policy.inferred.minConfidence', 0.9, { integer: false });
  if (minConfidence > 1) throw new FieldError('policy.inferred.minConfidence', `must be at most 1, got ${minConfidence}`);
  const circuit = policy.circuit === undefined || policy.circuit === null ? {} : fields(policy.circuit, 'policy.circuit', ['maxAttempts', 'windowSeconds']);
  const state = top.state === undefined || top.state === null ? {} : fields(top.state, 'state', ['dir']);

  const actions: Record<string, UserActionConfig> = {};
  if (top.actions !== undefined && top.actions !== null) {
    const a = fields(top.actions, 'actions', Object.keys(isObj(top.actions) ? top.actions : {}));
    for (const [name, value] of Object.entries(a)) {
      if (name.startsWith('$')) continue;
      const at = join('actions', name);
      if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new FieldError(at, 'action names are lower-case letters, digits, "_" and "-"');
      if ((RECOVERY_ACTIONS as readonly string[]).includes(name)) throw new FieldError(at, `"${name}" is a built-in action; pick another name`);
      const u = fields(value, at, ['command', 'timeoutSeconds']);
      actions[name] = { command: argv(u.command, join(at, 'command')), timeoutSeconds: num(u.timeoutSeconds, join(at, 'timeoutSeconds'), 60, { min: 1, integer: false }) };
    }
  }

  const actionMap: Record<string, string[]> = {};
  if (top.actionMap !== undefined && top.actionMap !== null) {
    const m = fields(top.actionMap, 'actionMap', Object.keys(isObj(top.actionMap) ? top.actionMap : {}));
    for (const [type, list] of Object.entries(m)) {
      if (type.startsWith('$')) continue;
      const names = strList(list, join('actionMap', type));
      names.forEach((n, i) => {
        if (!(RECOVERY_ACTIONS as readonly string[]).includes(n) && !(n in actions)) {
          throw new FieldError(join(join('actionMap', type), i), `unknown action ${JSON.stringify(n)} (built-in: ${RECOVERY_ACTIONS.join(', ')}; or define it under "actions")`);
        }
      });
      actionMap[type] = names;
    }
  }


  const config: LogmedicConfig = {
    file,
    baseDir,
    services,
    cache: { dirs: paths(cache.dirs, 'cache.dirs'), minFreeBytes: num(cache.minFreeBytes, 'cache.minFreeBytes', 1024 ** 3) },
    backups: { dir: backupDir === undefined ? undefined : p(backupDir), files: paths(backups.files, 'backups.files') },
    quantization,
    permissions: {
      roots: paths(perm.roots, 'permissions.roots'),
      fileMode: mode(perm.fileMode, 'permissions.fileMode'),
      dirMode: mode(perm.dirMode, 'permissions.dirMode'),
      owner,
      recursive: bool(perm.recursive, 'permissions.recursive', false),
    },
    locks: {
      dirs: paths(locks.dirs, 'locks.dirs'),
      names: locks.names === undefined || locks.names === null ? ['*.lock', '*.lck', '*.pid', 'LOCK'] : strList(locks.names, 'locks.names', { nonEmpty: true }),
      minAgeSeconds: num(locks.minAgeSeconds, 'locks.minAgeSeconds', 10, { integer: false }),
      dumpCommand,
    },
    gpu: { signal: signal(gpu.signal, 'gpu.signal', 'SIGUSR1'), endOrphans, user: gpuUser, settleSeconds: num(gpu.settleSeconds, 'gpu.settleSeconds', 5, { integer: false }) },
    policy: {
      cooldownSeconds: num(policy.cooldownSeconds, 'policy.cooldownSeconds', 300),
      circuit: {
        maxAttempts: num(circuit.maxAttempts, 'policy.circuit.maxAttempts', 3, { min: 1 }),
        windowSeconds: num(circuit.windowSeconds, 'policy.circuit.windowSeconds', 3600, { min: 1 }),
      },
      maxActionsPerHour: num(policy.maxActionsPerHour, 'policy.maxActionsPerHour', 10, { min: 1 }),
      alsoActOn: strList(policy.alsoActOn, 'policy.alsoActOn').map((c, i) => {
        if (!(TRIGGER_CLASSES as readonly string[]).includes(c)) throw new FieldError(join('policy.alsoActOn', i), `unknown record class ${JSON.stringify(c)} (one of: ${TRIGGER_CLASSES.join(', ')})`);
        return c;
      }),
      inferred: { allow: bool(inferred.allow, 'policy.inferred.allow', false), minConfidence },
      ...fleetPolicy(policy),
    },
    state: { dir: p(optStr(state.dir, 'state.dir') ?? '.logmedic') },
    actions,
    actionMap,
    // User types and patterns go through the same validation as the built-in catalog.
    ...(top.catalog === undefined || top.catalog === null ? {} : { catalog: userCatalog(top.catalog, file) }),
  };
  // Last, so that a malformed field is reported as such first.
  const safety = top.safety === undefined || top.safety === null ? {} : fields(top.safety, 'safety', ['allowSystemRoots']);
  refuseSystemRoots(
    {
      'permissions.roots': config.permissions.roots,
      'backups.files': config.backups.files,
      'backups.dir': config.backups.dir === undefined ? [] : [config.backups.dir],
      'locks.dirs': config.locks.dirs,
      'cache.dirs': config.cache.dirs,
    },
    paths(safety.allowSystemRoots, 'safety.allowSystemRoots'),
  );
  return config;
}

/**
 * A root that is a system directory (`/`, `/etc`, `/usr`…, `/var`, the home directory itself)
 * is refused unless `safety.allowSystemRoots` names it exactly: a log line could otherwise aim
 * a chmod or a delete at the system's own files.
 */
/** The fleet keys of `policy`: where the shared policy lives and how much a host may do without it. */
function fleetPolicy(policy: Obj): Pick<LogmedicConfig['policy'], 'store' | 'maxConcurrent' | 'offlineMaxActionsPerHour'> {
  const store = optStr(policy.store, 'policy.store');
  if (store !== undefined && !/^rediss?:\/\/[^\s]+$/.test(store)) throw new FieldError('policy.store', `must be a redis:// or rediss:// URL, got ${JSON.stringify(store)}`);
  return {
    ...(store !== undefined ? { store } : {}),
    ...(policy.maxConcurrent !== undefined && policy.maxConcurrent !== null ? { maxConcurrent: num(policy.maxConcurrent, 'policy.maxConcurrent', 1, { min: 1 }) } : {}),
    ...(policy.offlineMaxActionsPerHour !== undefined && policy.offlineMaxActionsPerHour !== null ? { offlineMaxActionsPerHour: num(policy.offlineMaxActionsPerHour, 'policy.offlineMaxActionsPerHour', 1, { min: 0 }) } : {}),
  };
}

function refuseSystemRoots(roots: Record<string, string[]>, allowed: string[]): void {
  const home = process.env.HOME || homedir();
  for (const [field, list] of Object.entries(roots)) {
    list.forEach((root, i) => {
      if (allowed.includes(root)) return;
      const why = systemRootReason(root, home);
      if (why) throw new FieldError(field === 'backups.dir' ? field : join(field, i), `${root} cannot be a root: ${why} (to allow it anyway, list it under safety.allowSystemRoots)`);
    });
  }
}

function userCatalog(raw: unknown, file: string | undefined): Catalog {
  try {
    return mergeCatalog(defaultCatalog(), raw as UserCatalog);
  } catch (err) {
    if (err instanceof LogmedicError) throw new LogmedicError('E_CONFIG', `${file ?? '<config>'}: ${err.message}`);
    throw err;
  }
}
