// BullMQ is an optional peer dependency: an install without it keeps every other command, and
// the cluster commands say how to add it (one line, exit 2). Run from a copy of the built
// package whose node_modules holds everything but bullmq.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/_run.js';
import { tmpWorld } from '../recovery/helpers.js';

test('without bullmq: worker and analyze --cluster say to install it, exit 2; analyze still works', (t) => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return t.fail('run npm run build:ts first');
  const dir = tmpWorld('logmedic-no-bullmq-');
  for (const d of ['dist', 'native']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) if (name !== 'bullmq') symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  const sample = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
  const cli = (args: string[]) => spawnSync(process.execPath, [join(dir, 'dist', 'cli', 'main.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const want = 'logmedic: the cluster commands need BullMQ, an optional peer dependency: npm install bullmq (where logmedic is installed; -g for a global logmedic)\n';
  for (const args of [['worker', '--cluster', 'redis://127.0.0.1:1'], ['analyze', '--cluster', 'redis://127.0.0.1:1', sample]]) {
    const r = cli(args);
    t.is(r.status, 2, r.stderr);
    t.is(r.stderr, want);
  }
  t.is(cli(['analyze', sample, '--json']).status, 1, 'a local analyze needs no BullMQ');
});
