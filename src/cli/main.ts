#!/usr/bin/env node
// The `logmedic` executable: a shim. A plain `scan` or `analyze` line runs on the fast path
// (fast-path.ts: no yargs to load); everything else goes through the command table in app.ts.
import { runFast } from './fast-path.js';
import { endQuietlyWhenOutputCloses } from './output.js';

endQuietlyWhenOutputCloses();
const argv = process.argv.slice(2);
const code = (await runFast(argv)) ?? (await (await import('./app.js')).main(argv));
process.exitCode = code;
