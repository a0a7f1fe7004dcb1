// Preloaded (`node --import`) into a CLI child by tests of a state dir on a full disk: every
// rename onto a watch checkpoint fails with ENOSPC, as it does when the disk is full (the
// temp file beside it is written first). Test-only: nothing in the product loads it.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const realRename = fs.renameSync;
fs.renameSync = function (from, to) {
  if (String(to).endsWith('watch-checkpoint.json')) {
    throw Object.assign(new Error(`ENOSPC: no space left on device, rename '${from}' -> '${to}'`), { code: 'ENOSPC', errno: -28, syscall: 'rename' });
  }
  return realRename.call(this, from, to);
};
syncBuiltinESMExports();
