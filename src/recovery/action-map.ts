// ErrorRecoveryMap: which recovery actions fit which error type. The original description's mapping, kept
// exactly, extended with choices for the types it left out; overridable from code and config.

import type { ErrorType } from '../catalog/types.js';
import type { RecoveryActionName } from '../diagnosis/types.js';

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

/** Why a type has no automatic action: shown instead of a plan, after "No safe automatic action:". */
export const MANUAL_ADVICE: Record<string, string> = {
  IOError: 'check the device (dmesg, smartctl) and the filesystem',
  NetworkTimeout: 'check the remote endpoint and the network path; retries belong in the client',
  DNSError: 'check the resolver (/etc/resolv.conf) and the name',
  ImportError: 'install the package, module or class named in the record, or fix its name or path (Python path, Java classpath, node_modules)',
  SyntaxError: 'fix the source or config file at the line named in the record',
  ValueError: 'a bad input value: fix the caller or the data named in the record',
  KeyError: 'a missing key: fix the config or the data named in the record',
  MissingDependency: 'install the missing library or binary named in the record',
};

/** The same advice in Chinese (`--lang zh`). */
export const MANUAL_ADVICE_ZH: Record<string, string> = {
  IOError: '检查设备 (dmesg, smartctl) 和文件系统',
  NetworkTimeout: '检查远端服务和网络路径; 重试应由客户端负责',
  DNSError: '检查解析器 (/etc/resolv.conf) 和域名',
  ImportError: '安装记录中提到的包、模块或类, 或修正其名称或路径 (Python 路径, Java classpath, node_modules)',
  SyntaxError: '修正记录中提到的源文件或配置文件的对应行',
  ValueError: '输入值错误: 修正记录中提到的调用方或数据',
  KeyError: '缺少键: 修正记录中提到的配置或数据',
  MissingDependency: '安装记录中提到的缺失库或程序',
};

/** The advice for a type without an automatic action, in the given language. */
export function manualAdvice(type: string, lang: 'en' | 'zh' = 'en'): string | undefined {
  return (lang === 'zh' ? MANUAL_ADVICE_ZH[type] : undefined) ?? MANUAL_ADVICE[type];
}

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
