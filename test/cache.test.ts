// The compiled catalog cache, from the command line: `analyze` answers the same, prints
// nothing more and exits the same whether the cache is cold, warm, truncated, damaged,
// another catalog's, unwritable or turned off, with either engine.
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, runCli } from './cli/_run.js';
import { hyperscanAvailable } from '../src/scan.js';
import { tempDir } from './_tmp.js';

const work = tempDir('logmedic-cache-');
const log = join(work, 'app.log');
writeFileSync(
  log,
  [
    '2026-12-06 09:00:00,000 INFO worker started',
    'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    '2026-12-06 09:00:01,000 ERROR upstream: connect() failed (111: Connection refused)',
    '2026-12-06 09:00:02,000 ERROR feature RENDER: license has expired',
    '2026-12-06 09:00:03,000 ERROR quota checker: nothing known says what this is',
    '',
  ].join('\n'),
);
// A second catalog: the built-in one and one user pattern.
const config = join(work, 'licence.json');
writeFileSync(
  config,
  JSON.stringify({
    catalog: {
      types: [{ name: 'LicenseExpired', category: 'other', description: 'the licence server refused us', priority: 50 }],
      patterns: [{ id: 'LicenseExpired/flexlm', type: 'LicenseExpired', pattern: 'license (?:has )?expired', match: ['ERROR: license has expired'], noMatch: ['license valid until 2030'] }],
    },
  }),
);

/** `analyze --json` with the cache in `cacheHome` (XDG_CACHE_HOME), elapsed time left out. */
async function analyze(cacheHome: string | undefined, extra: string[] = [], env: NodeJS.ProcessEnv = {}, engine = 'regex') {
  const run = await runCli(['analyze', log, '--json', '--engine', engine, ...extra], {
    env: cleanEnv({ XDG_CACHE_HOME: cacheHome, LOGMEDIC_CACHE_DIR: undefined, ...env }),
  });
  const diagnosis = JSON.parse(run.stdout) as Record<string, unknown>;
  delete diagnosis.elapsedMs;
  return { code: run.code, stderr: run.stderr, diagnosis };
}

function entriesOf(prefix: string): (cacheHome: string) => string[] {
  return (cacheHome) => {
    const dir = join(cacheHome, 'logmedic');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(prefix)).map((f) => join(dir, f)) : [];
  };
}
const regexEntries = entriesOf('regex-');
/** Hyperscan's entries for a catalog, keyed by its sources (no pattern parsed to find one). */
const hyperscanEntries = entriesOf('hs-sources-');

const reference = analyze(undefined, [], { LOGMEDIC_CACHE_DIR: 'off' });

test('a cold and a warm cache answer as no cache, and the entry is written once', async (t) => {
  const ref = await reference;
  t.is(ref.code, 1);
  t.true(JSON.stringify(ref.diagnosis).includes('OutOfMemory'));
  const home = mkdtempSync(join(work, 'home-'));
  const cold = await analyze(home);
  t.deepEqual(cold, ref);
  const entries = regexEntries(home);
  t.is(entries.length, 1, 'one entry for the catalog');
  const bytes = readFileSync(entries[0]);
  const warm = await analyze(home);
  t.deepEqual(warm, ref);
  t.deepEqual(readFileSync(entries[0]), bytes, 'a hit leaves the entry as it was');
  t.deepEqual(readdirSync(join(home, 'logmedic')).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

test('a truncated, damaged or emptied entry is ignored and rewritten, with no word about it', async (t) => {
  const ref = await reference;
  const home = mkdtempSync(join(work, 'home-'));
  await analyze(home);
  const [entry] = regexEntries(home);
  const good = readFileSync(entry);
  const flipped = Buffer.from(good);
  flipped[Math.floor(good.length / 2)] ^= 0x20;
  for (const bad of [good.subarray(0, good.length - 9), flipped, Buffer.alloc(0), Buffer.from('not a cache entry\n')]) {
    writeFileSync(entry, bad);
    t.deepEqual(await analyze(home), ref);
    t.deepEqual(readFileSync(entry), good, 'the entry is written again, whole');
  }
});

test("another catalog's entry does not answer for this one", async (t) => {
  const home = mkdtempSync(join(work, 'home-'));
  const withLicence = await analyze(undefined, ['--config', config], { LOGMEDIC_CACHE_DIR: 'off' });
  t.true(JSON.stringify(withLicence.diagnosis).includes('LicenseExpired'));
  await analyze(home);
  const [builtIn] = regexEntries(home);
  t.deepEqual(await analyze(home, ['--config', config]), withLicence);
  const [licenceEntry] = regexEntries(home).filter((f) => f !== builtIn);
  t.truthy(licenceEntry);
  const licenceBytes = readFileSync(licenceEntry);
  // The built-in catalog's entry, whole and valid, under the other catalog's name.
  writeFileSync(licenceEntry, readFileSync(builtIn));
  t.deepEqual(await analyze(home, ['--config', config]), withLicence);
  t.deepEqual(readFileSync(licenceEntry), licenceBytes);
});

test('an unwritable cache directory and a cache turned off change nothing', async (t) => {
  const ref = await reference;
  const blocked = join(work, 'a-file');
  writeFileSync(blocked, 'a file where the cache directory would go\n');
  t.deepEqual(await analyze(join(blocked, 'cache')), ref);
  t.deepEqual(await analyze(blocked), ref);
  t.is(readFileSync(blocked, 'utf8'), 'a file where the cache directory would go\n');
  const home = mkdtempSync(join(work, 'home-'));
  t.deepEqual(await analyze(home, [], { LOGMEDIC_CACHE_DIR: 'off' }), ref);
  t.deepEqual(regexEntries(home), [], 'off writes nothing');
});

test('Hyperscan: warm, damaged and foreign entries answer as no cache', async (t) => {
  if (!hyperscanAvailable()) return t.pass('libhs is not installed');
  const hyperscan = (home: string | undefined, extra: string[] = [], env: NodeJS.ProcessEnv = {}) => analyze(home, extra, env, 'hyperscan');
  const ref = await hyperscan(undefined, [], { LOGMEDIC_CACHE_DIR: 'off' });
  t.is(ref.code, 1);
  t.deepEqual({ ...ref.diagnosis, engine: undefined }, { ...(await reference).diagnosis, engine: undefined }, 'the engines agree');
  const home = mkdtempSync(join(work, 'home-'));
  t.deepEqual(await hyperscan(home), ref);
  const [entry] = hyperscanEntries(home);
  t.truthy(entry, 'the catalog is cached under its sources');
  const good = readFileSync(entry);
  t.deepEqual(await hyperscan(home), ref, 'warm');
  t.deepEqual(readFileSync(entry), good, 'a hit leaves the entry as it was');
  const flipped = Buffer.from(good);
  flipped[Math.floor(good.length / 2)] ^= 0x20;
  writeFileSync(entry, flipped);
  t.deepEqual(await hyperscan(home), ref, 'damaged');
  t.is(readFileSync(entry).length, good.length, 'rewritten whole');
  // The other catalog's entry holds the built-in catalog's database under its name.
  const withLicence = await hyperscan(undefined, ['--config', config], { LOGMEDIC_CACHE_DIR: 'off' });
  t.deepEqual(await hyperscan(home, ['--config', config]), withLicence);
  const [licenceEntry] = hyperscanEntries(home).filter((f) => f !== entry);
  t.truthy(licenceEntry);
  writeFileSync(licenceEntry, readFileSync(entry));
  t.deepEqual(await hyperscan(home, ['--config', config]), withLicence, 'foreign');
  t.true(JSON.stringify(withLicence.diagnosis).includes('LicenseExpired'));
});
