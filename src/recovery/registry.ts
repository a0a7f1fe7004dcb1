// RecoveryActions: the seven built-in actions by their seed names, plus actions registered
// from code and user commands from the config. Extensible as the seed promised.

import type { LogmedicConfig } from '../config/types.js';
import { cleanCache } from './actions/clean-cache.js';
import { clearDeadlocks } from './actions/clear-deadlocks.js';
import { fixPermissions } from './actions/fix-permissions.js';
import { freeGpuMemory } from './actions/free-gpu-memory.js';
import { reduceQuant } from './actions/reduce-quant.js';
import { restartService } from './actions/restart-service.js';
import { restoreBackup } from './actions/restore-backup.js';
import { userAction } from './actions/user-command.js';
import type { RecoveryAction } from './types.js';

export class RecoveryActions {
  static readonly reduce_quant = reduceQuant;
  static readonly clean_cache = cleanCache;
  static readonly restore_backup = restoreBackup;
  static readonly restart_service = restartService;
  static readonly free_gpu_memory = freeGpuMemory;
  static readonly clear_deadlocks = clearDeadlocks;
  static readonly fix_permissions = fixPermissions;

  private static readonly builtins: Record<string, RecoveryAction> = Object.fromEntries(
    [reduceQuant, cleanCache, restoreBackup, restartService, freeGpuMemory, clearDeadlocks, fixPermissions].map((a) => [a.name, a]),
  );
  private static readonly registered = new Map<string, RecoveryAction>();

  /** Add an action from code (its name must not be a built-in's). */
  static register(action: RecoveryAction): void {
    if (action.name in RecoveryActions.builtins) throw new Error(`${action.name} is a built-in action`);
    RecoveryActions.registered.set(action.name, action);
  }

  static unregister(name: string): void {
    RecoveryActions.registered.delete(name);
  }

  /** Built-in first, then registered from code, then the config's user commands. */
  static get(name: string, config?: LogmedicConfig): RecoveryAction | undefined {
    if (Object.hasOwn(RecoveryActions.builtins, name)) return RecoveryActions.builtins[name];
    const reg = RecoveryActions.registered.get(name);
    if (reg) return reg;
    const def = config?.actions[name];
    return def ? userAction(name, def) : undefined;
  }

  static names(config?: LogmedicConfig): string[] {
    return [...Object.keys(RecoveryActions.builtins), ...RecoveryActions.registered.keys(), ...Object.keys(config?.actions ?? {})];
  }
}
