// The server's analysis of a log is one pass: its records, diagnosis and plan are exactly what
// extractErrors, diagnoseFromLogs (`analyze`) and planRecovery (`recover --dry-run`) give for
// the same log, with more records of a type than a diagnosis keeps.
import test from 'ava';
import { appendFileSync } from 'node:fs';
import { LogAnalyzer } from '../../src/diagnosis/analyzer.js';
import { planRecovery } from '../../src/recovery/index.js';
import { Analyses } from '../../src/serve/analysis.js';
import { loadServeConfig } from '../../src/serve/config.js';
import { world } from './_world.js';

test('one pass gives the records extractErrors returns, the diagnosis analyze prints and the plan recover makes', async (t) => {
  const w = world();
  // 40 more refusals: far more records of a type than the diagnosis' 5 samples.
  const more = Array.from({ length: 40 }, (_, i) => `2025-05-17 10:08:${String(i).padStart(2, '0')},000 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.${i % 3}, port=6379)`);
  appendFileSync(w.log, '\n' + more.join('\n') + '\n');
  const config = loadServeConfig(w.configFile).config;
  const progress: { bytes: number; total: number }[] = [];
  const a = await new Analyses(() => config).ofFile(w.log, w.log, undefined, (p) => progress.push(p));

  const analyzer = new LogAnalyzer({ catalog: config.catalog });
  const records = await analyzer.extractErrors(w.log);
  t.true(records.filter((r) => r.message.includes('Connection refused')).length >= 43);
  t.deepEqual(a.records, records);
  const diagnosis = await analyzer.diagnoseFromLogs(w.log);
  t.deepEqual({ ...a.diagnosis, elapsedMs: 0 }, { ...diagnosis, elapsedMs: 0 });
  t.true(a.diagnosis.errors.every((e) => e.samples.length <= 5));
  t.deepEqual(a.plan, await planRecovery(diagnosis, config));
  // Progress, when reported at all for so small a log, never runs past the log's size.
  for (const p of progress) t.true(p.bytes <= p.total);
});
