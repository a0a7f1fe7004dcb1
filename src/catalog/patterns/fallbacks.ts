// Fallbacks: exception and error class names read by their words, for the runtime errors no
// specific pattern knows. Every language names its exceptions after what went wrong
// (`FooTimeoutException`, `AccessDeniedError`, `ChecksumMismatchError`), so the name alone is
// a fair guess at the type. They rank below every specific pattern (priority 10; between
// two fallbacks the type's precedence decides), and they need the thrown form — the class
// name followed by `:` and a message (not a count: `ConnectionError: 0`), or Ruby's ` (` —
// so a class merely named in a config dump, a counter or a handler's registration
// (`TimeoutErrorHandler`, `retry on ConnectionError (max 3)`) flags nothing. Names without an
// Error/Exception suffix count only where the namespace says they are exceptions: Ruby and
// Rust paths (`Octokit::Unauthorized (`) and Python's `….exceptions.X:` modules; plain
// dotted names are not enough (a Java logger `org.apache.hadoop.conf.Configuration: …`).

import type { ErrorType } from '../types.js';
import { patternsOf, type PatternSpec } from './define.js';

const FALLBACK_PRIORITY = 10;

/** A thrown exception whose class name holds one of `words` (see the header). */
function thrown(words: string): string {
  // No `\b[\w.]*` before the words: a search is unanchored anyway, and such prefixes
  // multiply the lazy DFA's states when combined with the whole catalog (measured 1.4x).
  const suffixed = String.raw`(?:${words})\w*(?:Error|Exception|Fault)(?::\s*[^\s\d]|:\s*$)`;
  const rubyOrRust = String.raw`::\w*(?:${words})\w*(?::\s|\s\()`;
  const pythonModule = String.raw`\.(?:exceptions?|errors?)\.\w*(?:${words})\w*:`;
  return `${suffixed}|${rubyOrRust}|${pythonModule}`;
}

function fallback(type: ErrorType, spec: Omit<PatternSpec, 'priority'>) {
  return patternsOf(type, [{ ...spec, priority: FALLBACK_PRIORITY }]);
}

export const FALLBACKS = [
  ...fallback('OutOfMemory', {
    name: 'class-out-of-memory',
    re: thrown('OutOfMemory|InsufficientMemory|MemoryLimit|MemoryExhausted|AllocationFailed|AllocFailed'),
    origin: 'exception class names (any runtime)',
    match: ['com.acme.cache.CacheAllocationFailedException: arena full', 'Acme::MemoryLimitError (worker 3)', 'Acme.Pool.InsufficientMemoryException:'],
    noMatch: ['handlers: MemoryLimitErrorHandler registered', 'retry_on=[MemoryLimitError, x]'],
  }),
  ...fallback('GPUError', {
    name: 'class-gpu',
    re: thrown('Cuda|CUDA|Gpu|GPU|Nccl|NCCL|Cudnn|CuDNN|Cublas|Hip|ROCm|Rocm'),
    origin: 'exception class names (any runtime)',
    match: ['ai.djl.engine.EngineException: CudaRuntimeException: launch failed', 'GpuDeviceError: device 2 unavailable'],
    noMatch: ['gpu: CudaErrorHandler installed'],
  }),
  ...fallback('DiskSpace', {
    name: 'class-disk-space',
    re: thrown('DiskFull|NoSpace|OutOfDisk|OutOfSpace|InsufficientStorage|StorageFull|StorageQuota|DiskQuota|QuotaExceeded'),
    origin: 'exception class names (any runtime)',
    match: ['com.acme.store.DiskFullException: /data', 'Google::Cloud::QuotaExceededError: storage quota'],
    noMatch: ['alerts: DiskFullException=page'],
  }),
  ...fallback('IOError', {
    name: 'class-io',
    re: thrown('IO|Io|InputOutput|EndOfStream|StreamClosed|ClosedStream|ReadFailed|WriteFailed'),
    origin: 'exception class names (any runtime)',
    match: ['Acme.Storage.BlobReadFailedException: block 12', 'IoError: unexpected end of stream'],
    noMatch: ['IoErrorCount=0'],
  }),
  ...fallback('ProcessCrash', {
    name: 'class-crash',
    re: thrown('Segfault|SegmentationFault|AccessViolation|ProcessCrash|WorkerCrash|WorkerDied|ChildProcessDied|ProcessDied|ProcessExited|Crashed'),
    origin: 'exception class names (any runtime)',
    match: ['WorkerCrashedError: worker 4 exited unexpectedly', 'com.acme.exec.ProcessDiedException: pid 812'],
    noMatch: ['crash reporting: WorkerCrashedError mapped to 503'],
  }),
  ...fallback('Deadlock', {
    name: 'class-deadlock',
    re: thrown('Deadlock|LockTimeout|LockWait|LockAcquisition|LockNotAvailable|LockNotAcquired|LockHeld|LockConflict|AlreadyLocked'),
    origin: 'exception class names (any runtime)',
    match: ['Redlock::LockError: LockNotAcquiredError: resource busy', 'com.acme.sched.JobLockConflictException: held by node-2'],
    noMatch: ['lock: LockWaitTimeout=50s'],
  }),
  ...fallback('Timeout', {
    name: 'class-timeout',
    re: thrown('Timeout|TimeOut|TimedOut|Timedout|DeadlineExceeded|Expired'),
    origin: 'exception class names (any runtime)',
    match: ['Acme::Jobs::StepTimeoutError (step 3 exceeded 600s)', 'com.acme.batch.StepTimedOutException: step 3', 'RenderJobTimeoutError: job 12 exceeded 600s', 'org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [select 1]'],
    noMatch: ['registered TimeoutErrorHandler for /api', 'retry_on: [StepTimedOutError, RenderJobTimeoutError]'],
  }),
  ...fallback('MemoryLeak', {
    name: 'class-leak',
    re: thrown('MemoryLeak|Leak'),
    origin: 'exception class names (any runtime)',
    match: ['ResourceLeakError: buffers not released (3)'],
    noMatch: ['leak detector: ResourceLeakErrorCount=0'],
  }),
  ...fallback('ModelCorruption', {
    name: 'class-model',
    re: thrown('ModelLoad|ModelFormat|ModelCorrupt|InvalidModel|CheckpointLoad|CheckpointCorrupt|WeightsLoad|CorruptModel|BadModel'),
    origin: 'exception class names (any runtime)',
    match: ['ModelLoadError: /models/ranker.onnx', 'com.acme.ml.InvalidModelFormatException: ranker-v3'],
    noMatch: ['model: ModelLoadErrorPolicy=fail'],
  }),
  ...fallback('ConfigError', {
    name: 'class-config',
    re: thrown('Config|Configuration|Settings|Misconfig|Setting'),
    origin: 'exception class names (any runtime)',
    match: ['org.acme.boot.InvalidConfigurationException: missing key db.url', 'django.core.exceptions.ImproperlyConfigured: SECRET_KEY must not be empty', 'SettingsError: LOG_LEVEL must be one of info, debug'],
    noMatch: ['config: InvalidConfigErrorCount=0', 'INFO org.apache.hadoop.conf.Configuration.deprecation: mapred.job.id is deprecated'],
  }),
  ...fallback('DataCorruption', {
    name: 'class-data-corruption',
    re: thrown('Corrupt|Checksum|Crc|CRC|DataLoss|Malformed|Truncated|Integrity|BadMagic|InvalidMagic|InvalidHeader'),
    origin: 'exception class names (any runtime)',
    match: ['com.acme.store.SegmentCorruptedException: segment 00042', 'ChecksumMismatchError: expected 9f2c', 'TruncatedFileError: /data/part-0007.parquet'],
    noMatch: ['storage: ChecksumErrorCount=0', 'IntegrityErrorHandler registered'],
  }),
  ...fallback('NetworkTimeout', {
    name: 'class-network-timeout',
    // The run between the two words is bounded ({0,60}: class names are shorter) so that
    // Hyperscan can start from 'Timeout' rather than every 'Read', 'Net' or 'Request'.
    re: thrown(String.raw`(?:Socket|Connect|Connection|Read|Write|Http|HTTP|Request|Response|Gateway|Network|Net|Rpc|RPC|Grpc|Upstream|Transport)\w{0,60}(?:Timeout|TimeOut|TimedOut)`),
    origin: 'exception class names (any runtime)',
    match: ['Excon::Error::ReadTimeout: read timeout reached', 'com.acme.client.UpstreamTimedOutException: payments'],
    noMatch: ['http: ReadTimeoutErrorRetries=3'],
  }),
  ...fallback('ConnectionError', {
    name: 'class-connection',
    re: thrown('Connection|Connect|Disconnect|Unreachable|NoRoute|Refused|PeerReset|SocketClosed|BrokenConnection|Communication'),
    origin: 'exception class names (any runtime)',
    match: ['Redis::CannotConnectError: Error connecting to Redis on 10.0.0.5:6379', 'com.acme.rpc.PeerUnreachableException: node-4', 'CommunicationsException: Communications link failure'],
    noMatch: ['pool: ConnectionErrorRate=0.0'],
  }),
  ...fallback('DNSError', {
    name: 'class-dns',
    re: thrown('UnknownHost|NameResolution|Resolution|Resolve|Resolv|Dns|DNS|HostNotFound|NoSuchHost|Nxdomain|NXDOMAIN'),
    origin: 'exception class names (any runtime)',
    match: ['com.acme.net.HostNotFoundException: api.internal', 'Resolv::ResolvError: no address for db.internal'],
    noMatch: ['dns: ResolverErrorCount=0'],
  }),
  ...fallback('PermissionDenied', {
    name: 'class-permission',
    re: thrown('Permission|AccessDenied|Unauthori[sz]ed|Forbidden|Authentication|Authorization|Authori[sz]ation|Unauthenticated|Credential|NotAuthori[sz]ed|AuthFailed|AuthFailure|InvalidToken|TokenExpired|SecurityException|Security'),
    origin: 'exception class names (any runtime)',
    match: ['Octokit::Unauthorized (GET https://api.github.com/user: 401 - Bad credentials)', 'com.acme.auth.TokenExpiredException: token for svc-etl', 'botocore.exceptions.NoCredentialsError: Unable to locate credentials'],
    noMatch: ['auth: UnauthorizedErrorPage=/401.html'],
  }),
  ...fallback('ImportError', {
    name: 'class-import',
    // Not a bare `Load…Error`: Julia's `LoadError:` wraps whatever an included file threw.
    re: thrown('ClassNotFound|NoClassDefFound|ModuleNotFound|ModuleLoad|Import|ClassLoad|AssemblyLoad|PluginLoad|ExtensionLoad|PackageLoad|Autoload|UnknownModule|Zeitwerk'),
    origin: 'exception class names (any runtime)',
    match: ['PluginImportError: plugins.acme', 'Acme::ModuleLoadFailed: acme/billing'],
    noMatch: ['import: PluginImportErrorPolicy=skip'],
  }),
  ...fallback('SyntaxError', {
    name: 'class-syntax',
    re: thrown('Syntax|Indentation|Compil(?:e|ation)|Parser?Syntax|Grammar|Lexer|Tokeni[sz]'),
    origin: 'exception class names (any runtime)',
    match: ['Jinja2.exceptions.TemplateSyntaxError: unexpected end of template', 'CompilationFailedException: script1.groovy: 12'],
    noMatch: ['SyntaxErrorHandler registered'],
  }),
  ...fallback('ValueError', {
    name: 'class-value',
    re: thrown('InvalidArgument|IllegalArgument|Argument|InvalidValue|Validation|Invalid|Format|Cast|Conversion|Convert|Coercion|Overflow|Underflow|Range|Arithmetic|DivideByZero|DivisionByZero|ZeroDivision|Type(?:Mismatch)?'),
    origin: 'exception class names (any runtime)',
    match: ['ActiveRecord::RecordInvalid: Validation failed: Email is invalid', 'System.FormatException: Input string was not in a correct format.', 'Dry::Types::CoercionError: "abc" cannot be coerced to Integer'],
    noMatch: ['validation: ValidationErrorCount=0'],
  }),
  ...fallback('KeyError', {
    name: 'class-key',
    re: thrown('KeyNotFound|NoSuchKey|NoSuchElement|NoSuchField|NoSuchMethod|MissingKey|KeyMissing|IndexOutOfRange|IndexOutOfBounds|OutOfBounds|NullReference|NullPointer|NilPointer|Undefined(?:Method|Index|Key|Property|Attribute)|MissingAttribute|AttributeMissing|NotFound'),
    origin: 'exception class names (any runtime)',
    match: ['Acme::Cache::KeyMissingError: user:812', 'java.util.NoSuchElementException: No value present', 'ActiveRecord::RecordNotFound (Couldn\'t find User with \'id\'=9)'],
    noMatch: ['errors: NotFoundErrorPage=/404.html'],
  }),
  ...fallback('MissingDependency', {
    name: 'class-missing-dependency',
    re: thrown('DistributionNotFound|DependencyNotFound|PackageNotFound|MissingDependency|DependencyMissing|UnsatisfiedLink|DllNotFound|LibraryNotFound|LibraryLoad|MissingLibrary|CommandNotFound|ExecutableNotFound|BinaryNotFound|VersionConflict|DependencyResolution|Resolution(?:Impossible|Failed)'),
    origin: 'exception class names (any runtime)',
    match: ['System.DllNotFoundException: Unable to load DLL \'libgdiplus\'', 'pip._internal.exceptions.DistributionNotFound: No matching distribution found for acme-sdk==4.1', 'ExecutableNotFoundError: ffmpeg'],
    noMatch: ['deps: DependencyNotFoundPolicy=warn'],
  }),
];
