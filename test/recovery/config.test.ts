import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConfig, initTemplate, loadConfig, readConfigFile, validateConfig } from '../../src/config/index.js';
import { LogmedicError } from '../../src/errors.js';
import { tmpWorld } from './helpers.js';

const invalid: [string, unknown, RegExp][] = [
  ['unknown top-level field', { servces: {} }, /: servces: unknown field \(expected one of: services,/],
  ['start as a shell string', { services: { api: { start: 'python3 -m app', pidFile: 'a.pid' } } }, /: services\.api\.start: must be an argv array/],
  ['no way to start', { services: { api: { loggers: ['api'] } } }, /: services\.api: needs "start"/],
  ['missing pidFile', { services: { api: { start: ['python3'] } } }, /: services\.api\.pidFile: is required/],
  ['loggers not strings', { services: { api: { systemd: 'api.service', loggers: ['api', 3] } } }, /: services\.api\.loggers\[1\]: must be a non-empty string, got the number 3/],
  ['negative bytes', { cache: { dirs: ['c'], minFreeBytes: -1 } }, /: cache\.minFreeBytes: must be at least 0, got -1/],
  ['bad mode', { permissions: { roots: ['d'], fileMode: '0999' } }, /: permissions\.fileMode: must be an octal mode string/],
  ['setuid mode', { permissions: { roots: ['d'], fileMode: '4755' } }, /: permissions\.fileMode: setuid/],
  ['ladder of one', { quantization: { file: 'c.yaml', key: 'q', ladder: ['Q4_K_M'] } }, /: quantization\.ladder: needs at least two levels/],
  ['ladder duplicate', { quantization: { file: 'c.yaml', key: 'q', ladder: ['Q4_K_M', 'Q4_K_M'] } }, /: quantization\.ladder: lists "Q4_K_M" twice/],
  ['quant file type', { quantization: { file: 'c.toml', key: 'q', ladder: ['a', 'b'] } }, /: quantization\.file: must be a \.json, \.yaml or \.yml file/],
  ['unknown signal', { gpu: { signal: 'SIGFOO' } }, /: gpu\.signal: unknown signal "SIGFOO"/],
  ['orphans without user', { gpu: { endOrphans: true } }, /: gpu\.user: is required when gpu\.endOrphans is true/],
  ['circuit zero', { policy: { circuit: { maxAttempts: 0 } } }, /: policy\.circuit\.maxAttempts: must be at least 1/],
  ['fractional cap', { policy: { maxActionsPerHour: 2.5 } }, /: policy\.maxActionsPerHour: must be a whole number/],
  ['user action shadows built-in', { actions: { restart_service: { command: ['x'] } } }, /: actions\.restart_service: "restart_service" is a built-in action/],
  ['unknown action in map', { actionMap: { Timeout: ['restart_service', 'reboot'] } }, /: actionMap\.Timeout\[1\]: unknown action "reboot"/],
  ['dump without {pid}', { locks: { dirs: ['run'], dumpCommand: ['py-spy', 'dump'] } }, /: locks\.dumpCommand: must contain "\{pid\}"/],
  ['not an object', ['a'], /: \(top\): must be an object, got an array/],
];

for (const [name, raw, message] of invalid) {
  test(`validation names the field: ${name}`, (t) => {
    const err = t.throws(() => validateConfig(raw, '/etc/logmedic.config.json', '/etc'), { instanceOf: LogmedicError });
    t.is((err as LogmedicError).code, 'E_CONFIG');
    t.regex(err!.message, /^\/etc\/logmedic\.config\.json: /);
    t.regex(err!.message, message);
    t.false(err!.message.includes('\n'));
  });
}

test('defaults, relative paths against the config file\'s directory, $comment keys and the watch section ignored', (t) => {
  const cfg = validateConfig({ $comment: 'hi', cache: { dirs: ['cache/'] }, state: {}, watch: { rules: [] } }, '/srv/app/logmedic.config.json', '/srv/app');
  t.deepEqual(cfg.cache, { dirs: ['/srv/app/cache'], minFreeBytes: 1024 ** 3 });
  t.is(cfg.state.dir, '/srv/app/.logmedic');
  t.deepEqual(cfg.policy, { cooldownSeconds: 300, circuit: { maxAttempts: 3, windowSeconds: 3600 }, maxActionsPerHour: 10, alsoActOn: [], inferred: { allow: false, minConfidence: 0.9 } });
  t.is(cfg.gpu.signal, 'SIGUSR1');
});

test('lookup order: --config, then the working directory, then $XDG_CONFIG_HOME/logmedic', (t) => {
  const root = tmpWorld();
  const cwd = join(root, 'proj');
  const xdg = join(root, 'xdg');
  mkdirSync(cwd);
  mkdirSync(join(xdg, 'logmedic'), { recursive: true });
  const env = { XDG_CONFIG_HOME: xdg, HOME: root };
  t.is(findConfig({ cwd, env }), undefined);
  writeFileSync(join(xdg, 'logmedic/logmedic.config.json'), '{"policy": {"cooldownSeconds": 7}}');
  t.is(loadConfig({ cwd, env }).policy.cooldownSeconds, 7);
  writeFileSync(join(cwd, 'logmedic.config.yaml'), 'policy:\n  cooldownSeconds: 8 # here\n');
  t.is(loadConfig({ cwd, env }).policy.cooldownSeconds, 8);
  writeFileSync(join(root, 'explicit.yml'), 'policy: {cooldownSeconds: 9}\n');
  t.is(loadConfig({ cwd, env, configPath: '../explicit.yml' }).policy.cooldownSeconds, 9);
  writeFileSync(join(cwd, 'logmedic.config.json'), '{}');
  t.throws(() => findConfig({ cwd, env }), { message: /more than one config file here/ });
  t.throws(() => loadConfig({ cwd, env, configPath: 'missing.yaml' }), { message: /missing\.yaml: cannot read the config file \(no such file\)/ });
});

test('syntax errors: one line with the file (YAML with its line)', (t) => {
  const root = tmpWorld();
  writeFileSync(join(root, 'a.yaml'), 'policy:\n  cooldownSeconds: 8\n bad: [\n');
  t.throws(() => readConfigFile(join(root, 'a.yaml')), { message: /a\.yaml: \(top\): invalid YAML at line \d+: / });
  writeFileSync(join(root, 'b.json'), '{"policy": ');
  t.throws(() => readConfigFile(join(root, 'b.json')), { message: /b\.json: \(top\): invalid JSON/ });
});

test('the init templates validate', (t) => {
  for (const format of ['yaml', 'json'] as const) {
    const root = tmpWorld();
    const file = join(root, `logmedic.config.${format}`);
    writeFileSync(file, initTemplate(format));
    const cfg = readConfigFile(file);
    t.deepEqual(cfg.quantization?.ladder, ['FP16', 'Q5_K_M', 'Q4_K_M', 'Q3_K_M', 'Q2_K']);
    t.is(cfg.services.processor.pidFile, join(root, 'run/processor.pid'));
  }
});
