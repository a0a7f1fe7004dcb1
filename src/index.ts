// logmedic's library API.
export { PatternSet, hyperscanAvailable, type ScanOptions, type ScanResult, type Engine } from './scan.js';
export { LogmedicError, ExitCode, type ErrorCode } from './errors.js';
