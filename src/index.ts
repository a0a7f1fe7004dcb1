// logmedic's library API.
export { PatternSet, hyperscanAvailable, type ScanOptions, type ScanResult, type Engine } from './scan.js';
export { LogmedicError, ExitCode, type ErrorCode } from './errors.js';
export { LogAnalyzer, type LogAnalyzerOptions, type AnalyzeCallOptions, type ExtractOptions, type BufferMeta } from './diagnosis/analyzer.js';
export { ErrorRecoveryMap } from './diagnosis/action-map.js';
export type { Diagnosis, TypeSummary, LogRecord, Frame, RecordObjects, MessageGroup, PlannedActionRef, RecoveryActionName } from './diagnosis/types.js';
export { RECOVERY_ACTIONS } from './diagnosis/types.js';
