// `logmedic serve`: the web UI — diagnosis, step-by-step recovery, the live watch and the
// catalog in a browser, over the same library as the CLI. Loopback by default; any other
// address needs users in the config. Runs until SIGINT/SIGTERM.
// Exit codes: 0 stopped, 2 usage/config (no auth beyond loopback, port taken, bad TLS files,
// or, with --watch, another watch owns the state dir).

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';
import { hashPassword, hashToken } from '../serve/auth.js';
import { loadServeConfig } from '../serve/config.js';
import { createServer } from '../serve/server.js';
import { checkSpec } from '../watch/discovery.js';

export interface ServeArgs {
  host: string;
  port: number;
  config?: string;
  watch?: string[];
  yes?: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
  'hash-password'?: boolean;
  'hash-token'?: boolean;
}

export function serveBuilder(y: Argv): Argv<ServeArgs> {
  return y
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (beyond loopback, serve.users must be configured)' })
    .option('port', { alias: 'p', type: 'number', default: 8377, describe: 'port (0: any free port)' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (its serve section lists the logs and users)' })
    .option('watch', { type: 'string', array: true, describe: 'logs to follow on the Live page (files or quoted globs, as `logmedic watch`)' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'let watch rules carry out recovery (without it they only plan)' })
    .option('tls-cert', { type: 'string', describe: 'PEM certificate: serve HTTPS' })
    .option('tls-key', { type: 'string', describe: 'PEM private key for --tls-cert' })
    .option('hash-password', { type: 'boolean', describe: 'read a password on stdin, print its hash for serve.users[].password, and exit' })
    .option('hash-token', { type: 'boolean', describe: 'read a token on stdin, print its hash for serve.users[].token, and exit' })
    .example('$0 serve', 'open http://127.0.0.1:8377')
    .example('$0 serve --watch "logs/*.log"', 'with the Live page following logs/*.log')
    .example('$0 serve --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem', 'on the network, over HTTPS, users from the config') as unknown as Argv<ServeArgs>;
}

async function readSecret(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new LogmedicError('E_USAGE', `--tls-${what} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

export async function runServe(args: ServeArgs, signal: AbortSignal): Promise<number> {
  if (args['hash-password'] || args['hash-token']) {
    const secret = await readSecret();
    if (secret.length < (args['hash-token'] ? 16 : 8)) throw new LogmedicError('E_USAGE', args['hash-token'] ? 'a token must be at least 16 characters' : 'a password must be at least 8 characters');
    process.stdout.write((args['hash-token'] ? hashToken(secret) : hashPassword(secret)) + '\n');
    return 0;
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new LogmedicError('E_USAGE', `--port must be a whole number from 0 to 65535, got ${args.port}`);
  if (Boolean(args['tls-cert']) !== Boolean(args['tls-key'])) throw new LogmedicError('E_USAGE', '--tls-cert and --tls-key go together');
  for (const p of args.watch ?? []) {
    const problem = checkSpec(p);
    if (problem) throw new LogmedicError('E_USAGE', problem);
  }
  const config = loadServeConfig(args.config);
  const tls = args['tls-cert'] ? { cert: readPem(args['tls-cert'], 'cert'), key: readPem(args['tls-key']!, 'key') } : undefined;
  let server: Awaited<ReturnType<typeof createServer>>;
  try {
    server = await createServer({ host: args.host, port: args.port, config, tls, watch: args.watch, yes: args.yes, signal });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new LogmedicError('E_USAGE', `cannot listen on ${args.host}:${args.port} (${e.code})`);
    if (e.code === 'ERR_OSSL_PEM_NO_START_LINE' || /PEM|key values mismatch/i.test(e.message ?? '')) throw new LogmedicError('E_USAGE', `--tls-cert/--tls-key: ${e.message}`);
    throw err;
  }
  process.stderr.write(`logmedic: serving on ${server.url}${config.serve.users.length ? '' : ' (no users configured: loopback only, you act as the local operator)'}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
