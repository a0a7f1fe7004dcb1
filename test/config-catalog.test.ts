// The config file's `catalog` key: user types and patterns reach the analyzer through the
// same validation as the built-in catalog.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { LogAnalyzer } from '../src/diagnosis/analyzer.js';
import { tempDir } from './_tmp.js';

const dir = tempDir('logmedic-config-catalog-');

function writeConfig(name: string, body: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

test('a user type and pattern from the config are recognised by the analyzer', (t) => {
  const file = writeConfig('ok.json', {
    catalog: {
      types: [{ name: 'LicenseExpired', category: 'other', description: 'the licence server refused us', zh: '许可证过期', priority: 50 }],
      patterns: [{ id: 'LicenseExpired/flexlm', type: 'LicenseExpired', pattern: 'license (?:has )?expired', origin: 'flexlm', match: ['ERROR: license has expired'], noMatch: ['license valid until 2030'] }],
    },
  });
  const config = loadConfig({ configPath: file });
  t.truthy(config.catalog);
  const log = Buffer.from('2025-05-17 10:00:00,000 - render - ERROR - feature RENDER: license has expired\n2025-05-17 10:00:01,000 - render - INFO - ok\n');
  const d = new LogAnalyzer({ catalog: config.catalog, engine: 'regex' }).diagnoseFromLogsSync(log);
  t.deepEqual(d.errors.map((e) => [e.type, e.count]), [['LicenseExpired', 1]]);
});

test('a config catalog pattern that does not compile is an E_CONFIG error naming the file and the pattern', (t) => {
  const file = writeConfig('bad.json', {
    catalog: { patterns: [{ id: 'OutOfMemory/mine', type: 'OutOfMemory', pattern: 'out of (memory', origin: 'me', match: ['out of memory'], noMatch: ['ok'] }] },
  });
  const err = t.throws(() => loadConfig({ configPath: file }));
  t.is((err as { code?: string }).code, 'E_CONFIG');
  t.true(err!.message.includes(file), err!.message);
  t.true(err!.message.includes('OutOfMemory/mine'), err!.message);
});

test('an unknown key under catalog is refused', (t) => {
  const file = writeConfig('unknown.json', { catalog: { rules: [] } });
  const err = t.throws(() => loadConfig({ configPath: file }));
  t.is((err as { code?: string }).code, 'E_CONFIG');
  t.regex(err!.message, /rules/);
});
