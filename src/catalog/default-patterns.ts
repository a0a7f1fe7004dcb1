// The built-in catalog's patterns, in precedence order: each type's list from
// src/catalog/patterns/, then the refiners and the fallbacks. The bundled CLI carries this
// list as JSON built from this module (scripts/bundle-cli.mjs), so it is the one place the
// order is written.

import type { CatalogPattern } from './types.js';
import { CONFIG_ERROR, DATA_CORRUPTION, MODEL_CORRUPTION } from './patterns/data.js';
import { CONNECTION_ERROR, DNS_ERROR, NETWORK_TIMEOUT } from './patterns/network.js';
import { GPU_ERROR } from './patterns/gpu.js';
import { IMPORT_ERROR, KEY_ERROR, MISSING_DEPENDENCY, PERMISSION_DENIED, SYNTAX_ERROR, VALUE_ERROR } from './patterns/code.js';
import { MEMORY_LEAK, OUT_OF_MEMORY } from './patterns/memory.js';
import { DEADLOCK, PROCESS_CRASH, TIMEOUT } from './patterns/process.js';
import { DISK_SPACE, IO_ERROR } from './patterns/storage.js';
import { MODEL_LOADING } from './patterns/refiners.js';
import { FALLBACKS } from './patterns/fallbacks.js';

export const DEFAULT_PATTERNS: readonly CatalogPattern[] = [
  ...OUT_OF_MEMORY,
  ...GPU_ERROR,
  ...DISK_SPACE,
  ...IO_ERROR,
  ...PROCESS_CRASH,
  ...DEADLOCK,
  ...TIMEOUT,
  ...MEMORY_LEAK,
  ...MODEL_CORRUPTION,
  ...CONFIG_ERROR,
  ...DATA_CORRUPTION,
  ...NETWORK_TIMEOUT,
  ...CONNECTION_ERROR,
  ...DNS_ERROR,
  ...PERMISSION_DENIED,
  ...IMPORT_ERROR,
  ...SYNTAX_ERROR,
  ...VALUE_ERROR,
  ...KEY_ERROR,
  ...MISSING_DEPENDENCY,
  ...MODEL_LOADING,
  ...FALLBACKS,
];
