// The API names of the original description, reachable from the package entry point, working end to end on the
// seed's own first scenario.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorRecoveryMap, LogAnalyzer, LogErrorPattern, ERROR_TYPES, RecoveryActions, hyperscanAvailable, validateConfig } from '../src/index.js';
import { tempDir } from './_tmp.js';

test('LogErrorPattern.ERROR_CODES covers the 20 types; ACTION_MAP keeps the seed mapping', (t) => {
  t.deepEqual(Object.keys(LogErrorPattern.ERROR_CODES).sort(), [...ERROR_TYPES].sort());
  t.deepEqual(ErrorRecoveryMap.ACTION_MAP.OutOfMemory, ['reduce_quant', 'clean_cache', 'free_gpu_memory']);
  t.truthy(RecoveryActions);
});

test('extractErrors → diagnoseFromLogs → applyRecoveryActions (dry run) on the seed scenario', async (t) => {
  const dir = tempDir('logmedic-api-', t);
  const log = join(dir, 'system.log');
  writeFileSync(
    log,
    [
      '2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory error occurred during processing',
      'Traceback (most recent call last):',
      '  File "src/core/processor.py", line 120, in process_batch',
      '    result = model.forward(batch)',
      'MemoryError: CUDA out of memory',
      '',
    ].join('\n'),
  );
  const analyzer = new LogAnalyzer();
  const records = await analyzer.extractErrors(log);
  t.deepEqual(records.map((r) => [r.type, r.line, r.endLine]), [['OutOfMemory', 1, 5]]);
  const diagnosis = await analyzer.diagnoseFromLogs(log);
  t.deepEqual(diagnosis.errors[0].actions.map((a) => a.action), ['reduce_quant', 'clean_cache', 'free_gpu_memory']);
  // With an empty config nothing is allowed: each planned action is reported, none is done.
  const config = validateConfig({}, undefined, dir);
  const report = await analyzer.applyRecoveryActions(diagnosis, { dryRun: true, config });
  t.deepEqual(report.steps.map((s) => s.action).sort(), ['clean_cache', 'free_gpu_memory', 'reduce_quant']);
  t.true(report.steps.every((s) => s.result === 'skipped'), JSON.stringify(report.steps.map((s) => [s.action, s.result])));
});

test('auto analyzes small inputs with the Rust engine while Hyperscan is not cached (no catalog compile for it) and both engines agree', (t) => {
  const sample = new URL('./fixtures/sample/visionai.log', import.meta.url).pathname;
  const saved = process.env.LOGMEDIC_CACHE_DIR;
  process.env.LOGMEDIC_CACHE_DIR = tempDir('logmedic-empty-cache-');
  let auto;
  try {
    auto = new LogAnalyzer().diagnoseFromLogsSync(sample);
  } finally {
    if (saved === undefined) delete process.env.LOGMEDIC_CACHE_DIR;
    else process.env.LOGMEDIC_CACHE_DIR = saved;
  }
  t.is(auto.engine, 'regex');
  if (!hyperscanAvailable()) return t.log('libhs not available here: the Hyperscan half is skipped');
  const hs = new LogAnalyzer({ engine: 'hyperscan' }).diagnoseFromLogsSync(sample);
  t.is(hs.engine, 'hyperscan');
  const shape = (d: typeof auto) => d.errors.map((e) => [e.type, e.count, e.first.line, e.last.line]);
  t.deepEqual(shape(hs), shape(auto));
});
