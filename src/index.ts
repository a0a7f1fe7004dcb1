// logmedic's library API.
export { PatternSet, hyperscanAvailable, type ScanOptions, type ScanResult, type Engine } from './scan.js';
export { LogmedicError, ExitCode, type ErrorCode } from './errors.js';
export { LogAnalyzer, byteRanges, type LogAnalyzerOptions, type AnalyzeCallOptions, type ExtractOptions, type RangeOptions, type BufferMeta } from './diagnosis/analyzer.js';
export { ErrorRecoveryMap } from './recovery/action-map.js';
export type { Diagnosis, TypeSummary, LogRecord, Frame, RecordObjects, MessageGroup, Unrecognised, UnrecognisedTemplate, PlannedActionRef, RecoveryActionName } from './diagnosis/types.js';
export { RECOVERY_ACTIONS } from './diagnosis/types.js';
export { LogErrorPattern, defaultCatalog, mergeCatalog, ERROR_TYPES, TYPE_DEFS, type Catalog, type CatalogPattern, type ErrorTypeDef, type ErrorType, type UserCatalog } from './catalog/index.js';
export { selfTest, classifyLine, classifyText, classifyBuffer, classifyRecords, type SelfTestReport, type Classification, type LineClassification, type RecordClassification } from './diagnosis/classify.js';
export { RecoveryActions, planRecovery, applyRecoveryActions, readJournal, resetCircuits, type RecoveryPlan, type RecoveryReport, type StepReport, type RecoveryAction, type PlannedStep, type ActionContext, type ActionOutcome, type PlanOutcome, type ApplyOptions, type PlanOptions } from './recovery/index.js';
export { loadConfig, findConfig, validateConfig, type LogmedicConfig } from './config/index.js';
export { renderReport, writeReport } from './report/index.js';
export { generateLog, generateLogSync, readTruth, type GroundTruth, type GenlogOptions } from './genlog.js';
export { mineTemplates, mineTemplatesSync, type TemplatesResult, type MinedTemplate, type TemplateSighting, type MineTemplatesOptions } from './templates.js';
export { inferTypes, inferUnrecognised, SHOW_INFERRED_FROM, type InferredType } from './diagnosis/inferred.js';
