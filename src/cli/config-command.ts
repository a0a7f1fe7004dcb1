// `logmedic config check [FILE]` and `logmedic config show`: validate a config file the way every
// command would (the shared sections, watch, serve, the catalog), and print the config in
// effect after lookup and defaults, so an operator sees what logmedic will actually use.
import type { Argv } from 'yargs';
import YAML from 'yaml';
import { LogmedicError } from '../errors.js';
import { findConfig, searchDirs, CONFIG_NAMES } from '../config/index.js';
import type { LogmedicConfig } from '../config/index.js';
import { loadServeConfig, type ServeConfig } from '../serve/config.js';

export interface ConfigArgs {
  action: string;
  file?: string;
  config?: string;
  json?: boolean;
}

export const CONFIG_ACTIONS = ['check', 'show'] as const;

export function configBuilder(y: Argv): Argv<ConfigArgs> {
  return y
    .positional('action', { choices: CONFIG_ACTIONS, describe: 'check: validate a config file; show: print the config in effect', demandOption: true })
    .positional('file', { type: 'string', describe: 'the config file (default: the one logmedic would find)' })
    .option('config', { alias: 'c', type: 'string', describe: 'the config file (same as FILE)' })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .example('$0 config check', 'validate the config logmedic would use here')
    .example('$0 config check /srv/app/logmedic.config.yaml', 'validate a given file')
    .example('$0 config show --json', 'the effective config: every default filled in, paths absolute') as unknown as Argv<ConfigArgs>;
}

function locate(args: ConfigArgs): string | undefined {
  if (args.file !== undefined && args.config !== undefined && args.file !== args.config) {
    throw new LogmedicError('E_USAGE', 'config: name the file once (FILE or --config)');
  }
  return findConfig({ configPath: args.file ?? args.config });
}

/** The effective config as plain data: modes as octal strings, the catalog summarised. */
export function effectiveConfig(loaded: ServeConfig): Record<string, unknown> {
  const { catalog, file: _file, ...rest } = loaded.config as LogmedicConfig;
  const octal = (m: number | undefined) => (m === undefined ? undefined : `0${m.toString(8)}`);
  return {
    file: loaded.file ?? null,
    ...rest,
    permissions: { ...rest.permissions, fileMode: octal(rest.permissions.fileMode), dirMode: octal(rest.permissions.dirMode) },
    watch: loaded.watch,
    // Hashes of credentials are not shown, only that they are set.
    serve: { ...loaded.serve, users: loaded.serve.users.map((u) => ({ name: u.name, role: u.role, password: u.password ? '(set)' : undefined, token: u.token ? '(set)' : undefined })) },
    catalog: catalog
      ? { types: catalog.types.length, patterns: catalog.patterns.length, source: 'built-in + config' }
      : { source: 'built-in' },
  };
}

export function runConfig(args: ConfigArgs): number {
  const file = locate(args);
  if (args.action === 'check') {
    if (file === undefined) {
      throw new LogmedicError('E_CONFIG', `config check: no config file found (looked for ${CONFIG_NAMES.join(', ')} in ${searchDirs().join(', ')})`);
    }
    const loaded = loadServeConfig(file);
    const c = loaded.config;
    const summary = {
      file,
      valid: true,
      services: Object.keys(c.services).length,
      actions: Object.keys(c.actions).length,
      rules: loaded.watch.rules.length,
      catalogPatterns: c.catalog ? c.catalog.patterns.length : undefined,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    else {
      const parts = [`${summary.services} service(s)`, `${summary.actions} user action(s)`, `${summary.rules} watch rule(s)`];
      if (c.catalog) parts.push(`catalog of ${c.catalog.patterns.length} patterns`);
      process.stdout.write(`${file}: valid (${parts.join(', ')})\n`);
    }
    return 0;
  }
  const loaded = loadServeConfig(file);
  const shown = effectiveConfig(loaded);
  process.stdout.write(args.json ? JSON.stringify(shown, null, 2) + '\n' : YAML.stringify(shown));
  return 0;
}
