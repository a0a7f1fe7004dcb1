// Inputs that once crashed the process, run through the built CLI: each must end with the
// answer or one `logmedic:` line, never a signal.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../_tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const dir = tempDir('logmedic-crash-');

test('a ctime header cut before its year does not abort analyze', (t) => {
  const log = join(dir, 'ctime.log');
  writeFileSync(log, '[Mon Dec05 07:57\nCaused by: OutOfMemoryError\n');
  const run = spawnSync(process.execPath, [CLI, 'analyze', log, '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  t.is(run.signal, null);
  t.is(run.status, 1, run.stderr);
  const diagnosis = JSON.parse(run.stdout);
  t.deepEqual(diagnosis.errors.map((e: { type: string; count: number }) => [e.type, e.count]), [['OutOfMemory', 1]]);
});
