// Preloaded (`node --import`) into a CLI child by tests of a log that changes while it is
// read: the real addon, whose analysis of a file whose name holds the marker below is
// watched through its job's progress, and the file is truncated as soon as the core has read
// part of it, while it reads the rest, as a log rotated by copytruncate would be.
// Test-only: nothing in the product loads it.
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { statSync, truncateSync } from 'node:fs';

const require = createRequire(import.meta.url);
const native = require('../../native/index.cjs');
const MARKER = 'CHANGING-FILE';

for (const name of ['analyzePartial', 'analyzeFile']) {
  const real = native[name];
  native[name] = function (catalog, input, options, job, ...rest) {
    if (typeof input !== 'string' || !basename(input).includes(MARKER) || !job) return real.call(this, catalog, input, options, job, ...rest);
    const size = statSync(input).size;
    let done = false;
    const running = real.call(this, catalog, input, options, job, ...rest).finally(() => (done = true));
    const poll = () => {
      if (done) return;
      const read = job.progress().bytes;
      if (read > 0 && read < size) truncateSync(input, 4096);
      else setImmediate(poll);
    };
    setImmediate(poll);
    return running;
  };
}
