// The 20 error types the original description names: category, English and Chinese descriptions, and precedence.
// Precedence decides the one type of a line (or record) that matches patterns of several
// types: the highest priority wins. The numbers and the reason for each are below.

import type { ErrorTypeDef } from './types.js';

/*
 * PRECEDENCE — the rule is "the most specific root cause wins":
 *
 *  95 MissingDependency  A missing shared library / binary / package is the cause whatever
 *                        wrapper reports it: `ImportError: libcudart.so.12: cannot open shared
 *                        object file` is MissingDependency, not ImportError.
 *  90 OutOfMemory        Memory exhaustion outranks what it causes or where it happens:
 *                        `RuntimeError: CUDA out of memory` (not GPUError), a Rust
 *                        `memory allocation … failed` + `Aborted (core dumped)` (not ProcessCrash),
 *                        `std::bad_alloc` thrown through `terminate called…`.
 *  88 DiskSpace          A full disk is the cause behind the I/O or DB error that reports it:
 *                        `OSError: [Errno 28] No space left on device` (not IOError).
 *  85 ModelCorruption    A bad model file outranks the generic data/IO/value errors its loader
 *                        raises (`RuntimeError: PytorchStreamReader failed…`, UnpicklingError).
 *  80 Deadlock           A deadlock is reported as a timeout, a rollback or a fatal error:
 *                        MySQL `Lock wait timeout exceeded` and Go's `fatal error: all
 *                        goroutines are asleep - deadlock!` are Deadlock.
 *  75 PermissionDenied   EACCES inside a connect/open/exec failure is the actionable part
 *                        (`dial unix /var/run/docker.sock: connect: permission denied`).
 *  72 DNSError           Name resolution is the first step of a connection: a lookup failure
 *                        wrapped in `ConnectionError` or ending in `i/o timeout` is DNSError.
 *  70 NetworkTimeout     A connect/read timeout is a more precise ConnectionError (requests'
 *                        `ConnectTimeout` subclasses `ConnectionError`) and a more precise Timeout.
 *  65 ConnectionError    Refused/reset/unreachable peers.
 *  60 GPUError           Driver/CUDA/NCCL failures outrank the crash or timeout they cause
 *                        (`Watchdog caught collective operation timeout` is GPUError).
 *  55 ProcessCrash       A crash outranks the generic errors printed around it; a crash line
 *                        that names its cause (OOM, permission…) yields to that cause.
 *  50 MemoryLeak         A leak report; OOM (its consequence) outranks it.
 *  48 ConfigError        A parse error in a config file is ConfigError, not SyntaxError,
 *                        DataCorruption, KeyError or ValueError (`yaml.scanner.ScannerError`,
 *                        postgres `syntax error in file "…postgresql.conf"`).
 *  45 DataCorruption     Malformed or truncated data (JSONDecodeError, bad zip/gzip, page
 *                        checksum failures) outranks the ValueError/SyntaxError class it is
 *                        raised as (`SyntaxError: Unexpected end of JSON input`).
 *  42 IOError            Device/filesystem I/O failures and missing files.
 *  35 Timeout            Generic timeouts: anything more specific wins.
 *  30 ImportError        Language-level import/require/class-load failures.
 *  25 SyntaxError        Source-code syntax errors.
 *  20 KeyError           Generic exception classes come last: the more specific types above
 *  15 ValueError         are often raised *as* a ValueError/KeyError.
 *
 * A pattern may override its type's priority (CatalogPattern.priority) where one wording
 * needs it, e.g. Node's `ENOSPC: System limit for number of file watchers reached` is an
 * inotify limit (ConfigError at 89), not a full disk.
 *
 * Ties (same priority) go to the higher type priority, then to the earlier pattern.
 */
export const TYPE_DEFS: readonly ErrorTypeDef[] = [
  {
    name: 'OutOfMemory',
    category: 'hardware',
    priority: 90,
    description: 'Memory exhausted: a process, the GPU, a container or the whole host ran out of memory (includes the kernel OOM killer)',
    zh: '内存不足：进程、GPU、容器或整机内存耗尽（包括内核 OOM killer）',
  },
  {
    name: 'GPUError',
    category: 'hardware',
    priority: 60,
    description: 'GPU failure other than running out of memory: CUDA/cuDNN/cuBLAS errors, NCCL failures, driver errors, Xid events',
    zh: 'GPU 错误（内存不足以外）：CUDA/cuDNN/cuBLAS 错误、NCCL 故障、驱动错误、Xid 事件',
  },
  {
    name: 'DiskSpace',
    category: 'hardware',
    priority: 88,
    description: 'No space left: a full disk or filesystem, an exceeded disk quota, a database that cannot grow its files',
    zh: '磁盘空间不足：磁盘或文件系统已满、超出磁盘配额、数据库无法扩展文件',
  },
  {
    name: 'IOError',
    category: 'hardware',
    priority: 42,
    description: 'Input/output failure: device or filesystem I/O errors (EIO, bad sectors, read-only remounts) and missing files',
    zh: '输入/输出错误：设备或文件系统 I/O 错误（EIO、坏扇区、只读重新挂载）以及文件缺失',
  },
  {
    name: 'ProcessCrash',
    category: 'software',
    priority: 55,
    description: 'A process died abnormally: segfault, abort, core dump, fatal signal, panic, a crash-looping service or container',
    zh: '进程崩溃：段错误、abort、核心转储、致命信号、panic、反复崩溃的服务或容器',
  },
  {
    name: 'Deadlock',
    category: 'software',
    priority: 80,
    description: 'Threads, transactions or tasks waiting on each other: detected deadlocks, lock-wait timeouts, hung tasks',
    zh: '死锁：线程、事务或任务相互等待（检测到的死锁、锁等待超时、挂起的任务）',
  },
  {
    name: 'Timeout',
    category: 'software',
    priority: 35,
    description: 'An operation exceeded its time limit (not specifically a network call): futures, subprocesses, statements, workers, service starts',
    zh: '操作超时（非网络调用）：future、子进程、SQL 语句、工作进程、服务启动等',
  },
  {
    name: 'MemoryLeak',
    category: 'software',
    priority: 50,
    description: 'Memory that is never released: leak reports from valgrind/sanitizers/runtimes and steadily growing memory use',
    zh: '内存泄漏：valgrind/sanitizer/运行时的泄漏报告以及持续增长的内存占用',
  },
  {
    name: 'ModelCorruption',
    category: 'data',
    priority: 85,
    description: 'A model file that cannot be loaded: truncated or corrupt checkpoints, bad weights, checksum mismatch, wrong format',
    zh: '模型文件损坏：检查点被截断或损坏、权重错误、校验和不匹配、格式错误',
  },
  {
    name: 'ConfigError',
    category: 'data',
    priority: 48,
    description: 'Invalid or missing configuration: unparsable YAML/TOML/INI, unknown directives or keys, missing settings',
    zh: '配置错误：无法解析的 YAML/TOML/INI、未知指令或键、缺少配置项',
  },
  {
    name: 'DataCorruption',
    category: 'data',
    priority: 45,
    description: 'Malformed or corrupt data: unparsable JSON, truncated archives and media, checksum failures, corrupt database pages',
    zh: '数据损坏：无法解析的 JSON、被截断的归档和媒体文件、校验失败、数据库页损坏',
  },
  {
    name: 'NetworkTimeout',
    category: 'network',
    priority: 70,
    description: 'A network call timed out: connect or read timeouts, ETIMEDOUT, upstream timeouts, HTTP/RPC deadlines',
    zh: '网络超时：连接或读取超时、ETIMEDOUT、上游超时、HTTP/RPC 截止时间已过',
  },
  {
    name: 'ConnectionError',
    category: 'network',
    priority: 65,
    description: 'A connection failed or broke: refused, reset, broken pipe, unreachable host, lost database connection',
    zh: '连接错误：连接被拒绝、被重置、管道断开、主机不可达、数据库连接丢失',
  },
  {
    name: 'DNSError',
    category: 'network',
    priority: 72,
    description: 'A host name could not be resolved: NXDOMAIN, unknown host, temporary resolver failure',
    zh: 'DNS 解析错误：NXDOMAIN、未知主机、解析器临时故障',
  },
  {
    name: 'PermissionDenied',
    category: 'other',
    priority: 75,
    description: 'Access refused: file permissions (EACCES/EPERM), database or service authentication, HTTP 403',
    zh: '权限不足：文件权限（EACCES/EPERM）、数据库或服务认证失败、HTTP 403',
  },
  {
    name: 'ImportError',
    category: 'other',
    priority: 30,
    description: 'Code could not be imported: a module, package or class the program imports/requires/loads is not found',
    zh: '导入错误：程序导入/引用/加载的模块、包或类找不到',
  },
  {
    name: 'SyntaxError',
    category: 'other',
    priority: 25,
    description: 'Source code (or a SQL/shell statement) that does not parse',
    zh: '语法错误：源代码（或 SQL/shell 语句）无法解析',
  },
  {
    name: 'ValueError',
    category: 'other',
    priority: 15,
    description: 'A value of the right type but wrong content: bad numbers, bad arguments, undecodable text',
    zh: '值错误：类型正确但内容错误（无效数字、无效参数、无法解码的文本）',
  },
  {
    name: 'KeyError',
    category: 'other',
    priority: 20,
    description: 'A key looked up in a mapping or dictionary is missing',
    zh: '键错误：在映射或字典中查找的键不存在',
  },
  {
    name: 'MissingDependency',
    category: 'other',
    priority: 95,
    description: 'Something outside the program is missing: a command, a shared library, a system or registry package, a container image',
    zh: '缺少依赖：命令、共享库、系统或仓库中的软件包、容器镜像缺失',
  },
];
