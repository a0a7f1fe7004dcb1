// Recovery: turn a diagnosis into a plan and carry it out, safely (see README "Recovery").
export { RecoveryActions } from './registry.js';
export { planRecovery, type PlanOptions } from './plan.js';
export { applyRecoveryActions, circuits, RecoverExit, type ApplyOptions } from './apply.js';
export { readJournal, journalPath, type JournalEntry } from './journal.js';
export { findInterrupted, type InterruptedStep } from './interrupted.js';
export { readState, cooldownEnd, resetCircuits, closeCircuits, acquireRunLock, RunLockBusy } from './policy.js';
export type { RecoveryAction, RecoveryPlan, PlannedStep, StepReport, RecoveryReport, ActionContext, ActionOutcome, PlanOutcome, StepResult } from './types.js';
