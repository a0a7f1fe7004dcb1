// `logmedic init`: write a commented starting config in the working directory (YAML by
// default); it never overwrites an existing file without --force, and then keeps the old one.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { CONFIG_NAMES, initTemplate, readConfigFile } from '../config/index.js';
import { fileError, LogmedicError } from '../errors.js';
import { atomicWriteFile, keepCopy, stamp } from '../recovery/safety.js';

export interface InitArgs {
  format: 'yaml' | 'json';
  force?: boolean;
  dir?: string;
}

export function initBuilder(y: Argv): Argv<InitArgs> {
  return y
    .option('format', { choices: ['yaml', 'json'] as const, default: 'yaml' as const, describe: 'file format (YAML carries comments)' })
    .option('force', { type: 'boolean', describe: 'overwrite an existing config (the old one is kept as .bak-<time>)' })
    .option('dir', { type: 'string', describe: 'where to write it (default: the working directory)' })
    .example('$0 init', 'write logmedic.config.yaml here')
    .example('$0 init --format json', 'write logmedic.config.json') as unknown as Argv<InitArgs>;
}

export function runInit(args: InitArgs): number {
  const dir = resolve(args.dir ?? process.cwd());
  const file = join(dir, `logmedic.config.${args.format}`);
  const others = CONFIG_NAMES.map((n) => join(dir, n)).filter((f) => f !== file && existsSync(f));
  if (others.length) throw new LogmedicError('E_USAGE', `${others[0]} already exists; logmedic would not know which config to use (remove it or init in its format)`);
  let kept: string | undefined;
  if (existsSync(file)) {
    if (!args.force) throw new LogmedicError('E_USAGE', `${file} already exists; pass --force to overwrite it (the old one is kept)`);
    try {
      kept = keepCopy(file, `${file}.bak-${stamp()}`);
    } catch (err) {
      throw fileError(file, 'keep a copy of the config', err);
    }
  }
  try {
    atomicWriteFile(file, initTemplate(args.format));
  } catch (err) {
    throw fileError(file, 'write the config', err);
  }
  // What we write must load: a template that fails validation is a bug, caught here.
  readConfigFile(file);
  process.stdout.write(`wrote ${file}${kept ? ` (previous file kept as ${kept})` : ''}\nedit it to list your services, directories and files: logmedic acts only on what it names\n`);
  return 0;
}
