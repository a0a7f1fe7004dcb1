#!/usr/bin/env node
// The `logmedic` executable: a shim. Everything lives in app.ts.
import { main } from './app.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
