// The type model's training data: training files in the corpus format are read with their
// `none` lines as the benign class, and each file's labels are checked against the catalog
// (unknown type names refused; samples the catalog types differently listed for a person).
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAMILIES_DIR, TRAINING_DIR, checkTrainingLabels, familyFiles, modelSamples, trainingFiles } from '../scripts/model-data.js';
import { turn } from './corpus.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-training-');
writeFileSync(
  join(dir, 'b-stacks.txt'),
  [
    '## a comment line',
    '## expect: DiskSpace',
    'OSError: [Errno 28] No space left on device',
    '',
    '## expect: Timeout',
    'OSError: [Errno 28] No space left on device while writing the checkpoint',
    '',
    '## expect: ProcessCrash',
    'unexpected state transition from RUNNING to PAUSED for job 81',
    '## record',
    'worker 3 exited early',
    '  see the worker log for details',
    '',
    '## expect: Bogus',
    'something went wrong',
    '',
    '## expect: none',
    'Tests run: 12, Failures: 0, Errors: 0',
    '',
  ].join('\n'),
);
writeFileSync(join(dir, 'a-empty.txt'), '## expect: none\n');
writeFileSync(join(dir, 'notes.md'), '## expect: OutOfMemory\nnot a training file\n');

test('training files are read in name order, none lines as the benign class', (t) => {
  const files = trainingFiles(dir);
  t.deepEqual(files.map((f) => f.file), ['a-empty.txt', 'b-stacks.txt']);
  const samples = files[1].samples;
  t.deepEqual(
    samples.map((s) => [s.label, s.line]),
    [
      ['DiskSpace', 3],
      ['Timeout', 6],
      ['ProcessCrash', 9],
      ['ProcessCrash', 11],
      ['Bogus', 15],
      ['', 18],
    ],
  );
  t.is(samples[3].text, 'worker 3 exited early\n  see the worker log for details');
  t.true(samples.every((s) => s.set === 'training/b-stacks.txt'));
  t.deepEqual(trainingFiles(join(dir, 'absent')), []);
});

test('labels are checked against the catalog: agreements, misses, differences, unknown names', (t) => {
  const [empty, stacks] = checkTrainingLabels(dir);
  t.like(empty, { file: 'a-empty.txt', samples: 0, agree: 0 });
  t.like(stacks, { samples: 6, benign: 1, agree: 2, untyped: 2 });
  t.deepEqual(stacks.differ.map((d) => [d.line, d.label, d.catalog]), [[6, 'Timeout', 'DiskSpace']]);
  t.deepEqual(stacks.unknown, [{ line: 15, label: 'Bogus' }]);
});

test('the committed training files are each described in its README, name only known types, and are all trained on', async (t) => {
  await turn();
  const checks = checkTrainingLabels();
  const described = [...readFileSync(join(TRAINING_DIR, 'README.md'), 'utf8').matchAll(/^- `([^`]+\.txt)`/gm)].map((m) => m[1]).sort();
  t.deepEqual(described, checks.map((c) => c.file));
  for (const c of checks) t.deepEqual(c.unknown, [], c.file);
  const { train } = modelSamples();
  for (const c of checks) t.is(train.filter((s) => s.set === `training/${c.file}`).length, c.samples, c.file);
});

test('the held-out families are each described in their README, name only known types, and are never trained on', async (t) => {
  await turn();
  const checks = checkTrainingLabels(FAMILIES_DIR);
  t.true(checks.length > 0);
  const described = [...readFileSync(join(FAMILIES_DIR, 'README.md'), 'utf8').matchAll(/^- `([^`]+\.txt)`/gm)].map((m) => m[1]).sort();
  t.deepEqual(described, checks.map((c) => c.file));
  for (const c of checks) t.deepEqual(c.unknown, [], c.file);
  const { train } = modelSamples();
  t.false(train.some((s) => s.set.startsWith('family/')));
  for (const { file, samples } of familyFiles()) t.true(samples.length > 0 && samples.every((s) => s.set === `family/${file}`), file);
});
