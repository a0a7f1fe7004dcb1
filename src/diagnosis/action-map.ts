// ErrorRecoveryMap: which recovery actions fit which error type. The original description's mapping, kept
// exactly, extended with choices for the types it left out; overridable from code and config.

import type { ErrorType } from '../catalog/types.js';
import type { RecoveryActionName } from './types.js';

/** The original description's ACTION_MAP (first eight entries, verbatim) and logmedic's additions. */
const DEFAULT_ACTION_MAP: Record<string, readonly RecoveryActionName[]> = {
  OutOfMemory: ['reduce_quant', 'clean_cache', 'free_gpu_memory'],
  GPUError: ['free_gpu_memory', 'reduce_quant'],
  DiskSpace: ['clean_cache'],
  ModelCorruption: ['restore_backup'],
  ConfigError: ['restore_backup'],
  ProcessCrash: ['restart_service'],
  Deadlock: ['clear_deadlocks', 'restart_service'],
  PermissionDenied: ['fix_permissions'],
  // Additions. A leak is only released by a restart; a hung operation usually means a stuck
  // worker; corrupt data has a backup or nothing; a refused connection to one of *our*
  // services (the planner checks the target is configured) is fixed by starting it.
  MemoryLeak: ['restart_service'],
  Timeout: ['restart_service'],
  DataCorruption: ['restore_backup'],
  ConnectionError: ['restart_service'],
  // No safe automatic action: these need a person (hardware, network, code or packaging).
  IOError: [],
  NetworkTimeout: [],
  DNSError: [],
  ImportError: [],
  SyntaxError: [],
  ValueError: [],
  KeyError: [],
  MissingDependency: [],
};

/** Why a type has no automatic action: shown instead of a plan. */
export const MANUAL_ADVICE: Record<string, string> = {
  IOError: 'check the device (dmesg, smartctl) and the filesystem; no safe automatic action',
  NetworkTimeout: 'check the remote endpoint and the network path; retries belong in the client',
  DNSError: 'check the resolver (/etc/resolv.conf) and the name; no safe automatic action',
  ImportError: 'install or fix the Python package named in the record',
  SyntaxError: 'fix the source or config file at the line named in the record',
  ValueError: 'a bad input value: fix the caller or the data named in the record',
  KeyError: 'a missing key: fix the config or the data named in the record',
  MissingDependency: 'install the missing library or binary named in the record',
};

export class ErrorRecoveryMap {
  /** The current mapping (a copy of the defaults plus any overrides). */
  static ACTION_MAP: Record<string, RecoveryActionName[]> = ErrorRecoveryMap.defaults();

  static defaults(): Record<string, RecoveryActionName[]> {
    return Object.fromEntries(Object.entries(DEFAULT_ACTION_MAP).map(([k, v]) => [k, [...v]]));
  }

  /** The actions for `type`, in order; [] when none is safe or the type is unknown. */
  static actionsFor(type: ErrorType, map: Record<string, readonly RecoveryActionName[]> = ErrorRecoveryMap.ACTION_MAP): RecoveryActionName[] {
    return [...(map[type] ?? [])];
  }

  /** Replace the actions of some types (from code or from the config's `actionMap`). */
  static override(overrides: Record<string, readonly RecoveryActionName[]>): void {
    for (const [type, actions] of Object.entries(overrides)) ErrorRecoveryMap.ACTION_MAP[type] = [...actions];
  }

  static reset(): void {
    ErrorRecoveryMap.ACTION_MAP = ErrorRecoveryMap.defaults();
  }
}
