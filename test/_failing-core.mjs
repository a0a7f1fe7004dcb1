// Preloaded (`node --import`) into a CLI child by the tests of a failing core: the real addon,
// with its analysis entry points made to fail as a contained panic does (an Error whose
// `code` is E_INTERNAL, the binding's own error form) on a buffer holding the marker below or a file whose name
// holds it. Test-only: nothing in the product loads it, so users have no way to trigger it.
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const require = createRequire(import.meta.url);
const native = require('../native/index.cjs');
const MARKER = 'POISON-SLICE';

function poisoned(input) {
  if (typeof input === 'string') return basename(input).includes(MARKER);
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).includes(MARKER);
}

const failure = () => Object.assign(new Error('internal error (a bug in logmedic; please report it): injected by the test'), { code: 'E_INTERNAL' });

for (const name of ['analyzeBufferSync', 'analyzeSliceSync', 'analyzeFileSync', 'analyzePartialSync', 'analyzeFileRangeSync']) {
  const real = native[name];
  native[name] = function (catalog, input, ...rest) {
    if (poisoned(input)) throw failure();
    return real.call(this, catalog, input, ...rest);
  };
}
for (const name of ['analyzeBuffer', 'analyzeFile', 'analyzePartial', 'analyzeFileRange']) {
  const real = native[name];
  native[name] = function (catalog, input, ...rest) {
    if (poisoned(input)) return Promise.reject(failure());
    return real.call(this, catalog, input, ...rest);
  };
}
