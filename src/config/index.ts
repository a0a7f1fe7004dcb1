// Configuration: where it is found, its validated shape, and the starting file `logmedic init` writes.
export { loadConfig, findConfig, readConfigFile, searchDirs, CONFIG_NAMES, type LoadOptions } from './load.js';
export { validateConfig } from './validate.js';
export { initTemplate } from './template.js';
export type { LogmedicConfig, ServiceConfig, UserActionConfig, CircuitConfig } from './types.js';
