// A command line loads the module of the command it names, not every command's: the web
// server (fastify, CommonJS, so NODE_DEBUG=module shows it load) only for `serve`.
import test from 'ava';
import { cleanEnv, runCli } from './_run.js';

const fastifyLoaded = (stderr: string) => /node_modules\/fastify\//.test(stderr);

test('serve loads the web server', async (t) => {
  const r = await runCli(['serve', '--help'], { env: cleanEnv({ NODE_DEBUG: 'module' }) });
  t.is(r.code, 0, r.stderr.slice(-2000));
  t.true(fastifyLoaded(r.stderr));
});

test('other commands, through the full parser, do not', async (t) => {
  for (const args of [['test', '--help'], ['init', '--help'], ['config', 'show']]) {
    const r = await runCli(args, { env: cleanEnv({ NODE_DEBUG: 'module' }) });
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr.slice(-2000)}`);
    t.false(fastifyLoaded(r.stderr), args.join(' '));
  }
});
