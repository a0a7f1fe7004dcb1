// The fleet keys of `policy`: the JSON Schema and the validator agree on each, and a config
// without them validates to the policy of a host alone (no fleet key, no default added).
import test from 'ava';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig } from '../../src/config/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'logmedic.config.schema.json'), 'utf8')));

function validatorAccepts(raw: unknown): boolean {
  try {
    validateConfig(raw, join(ROOT, 'logmedic.config.json'), ROOT);
    return true;
  } catch {
    return false;
  }
}

const CASES: [string, unknown, boolean][] = [
  ['a redis store', { policy: { store: 'redis://:secret@redis.internal:6379/2', maxConcurrent: 1 } }, true],
  ['a TLS store with an ACL user', { policy: { store: 'rediss://logmedic:secret@redis.internal:6380', offlineMaxActionsPerHour: 0 } }, true],
  ['a store that is not Redis', { policy: { store: 'http://redis.internal:6379' } }, false],
  ['maxConcurrent 0', { policy: { store: 'redis://r:6379', maxConcurrent: 0 } }, false],
  ['a fractional offline cap', { policy: { store: 'redis://r:6379', offlineMaxActionsPerHour: 0.5 } }, false],
];

for (const [name, raw, valid] of CASES) {
  test(`schema and validator agree: ${name}`, (t) => {
    t.is(validatorAccepts(raw), valid, 'validator');
    t.is(validateSchema(raw), valid, `schema: ${JSON.stringify(validateSchema.errors?.slice(0, 2))}`);
  });
}

test('without a store the policy has no fleet keys', (t) => {
  const cfg = validateConfig({ policy: { cooldownSeconds: 60 } }, join(ROOT, 'logmedic.config.json'), ROOT);
  const { inferred: _inferred, ...policy } = cfg.policy;
  t.deepEqual(policy, { cooldownSeconds: 60, circuit: { maxAttempts: 3, windowSeconds: 3600 }, maxActionsPerHour: 10, alsoActOn: [] });
});
