// Memory: running out of it (OutOfMemory) and never giving it back (MemoryLeak), as the
// kernel, the JVM, V8, Go, Rust, glibc/C++, Python/NumPy, CUDA, TF/JAX, Redis, YARN and
// Kubernetes report it.

import { HEALTHY, patternsOf, zosAbend } from './define.js';

export const OUT_OF_MEMORY = patternsOf('OutOfMemory', [
  {
    name: 'out-of-memory',
    re: String.raw`(?i)\bout of (?:shared |sort |device |host |GPU |system |process )?memory\b`,
    origin: 'generic (CUDA, kernel, V8, Go, PostgreSQL, MySQL, XLA)',
    match: [
      'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)',
      'MemoryError: CUDA out of memory',
      'fatal error: runtime: out of memory',
      'ERROR:  out of memory',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'ERROR:  out of shared memory',
      'ERROR 1038 (HY001): Out of sort memory, consider increasing server sort buffer size',
      'vkAllocateMemory failed: out of device memory',
    ],
    noMatch: [HEALTHY.oomScore, HEALTHY.maxMemory, 'checked for out-of-memory kills: none since boot'],
  },
  {
    name: 'python-memoryerror',
    re: String.raw`\bMemoryError\b|_ArrayMemoryError\b`,
    origin: 'python, numpy',
    match: [
      'MemoryError',
      '2024-03-02 11:20:14,882 - worker - ERROR - MemoryError while building feature matrix',
      'numpy.core._exceptions._ArrayMemoryError: Unable to allocate 14.9 GiB for an array',
    ],
    noMatch: ['metrics: MemoryErrors=0', 'memory_error_count=0'],
  },
  {
    name: 'outofmemoryerror',
    re: String.raw`(?:^|[^A-Za-z])OutOfMemory(?:Error|Exception)\b|\bAllowed memory size of \d+ bytes exhausted\b|\bkilled by YARN for exceeding (?:physical |virtual )?memory limits\b`,
    origin: 'jvm, pytorch (torch.cuda.OutOfMemoryError), .NET, php, hadoop yarn',
    match: [
      "Unhandled exception. System.OutOfMemoryException: Insufficient memory to continue the execution of the program.",
      'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /srv/a.php on line 9',
      'Container killed by YARN for exceeding memory limits. 9.1 GB of 9 GB physical memory used.',
      'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
      'java.lang.OutOfMemoryError: GC overhead limit exceeded',
      'torch.cuda.OutOfMemoryError: CUDA out of memory.',
    ],
    noMatch: ['JVM args: -Xmx4g -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/var/dumps', HEALTHY.maxMemory, 'php memory_limit raised; allowed memory size is 512M'],
  },
  {
    name: 'enomem',
    re: String.raw`(?i:\bcannot allocate memory\b)|\bENOMEM\b`,
    origin: 'libc strerror(ENOMEM): python, shell, redis, mmap',
    match: [
      'OSError: [Errno 12] Cannot allocate memory',
      '-bash: fork: Cannot allocate memory',
      "1:M 03 Jun 2024 08:30:00.000 # Can't save in background: fork: Cannot allocate memory",
    ],
    noMatch: ['allocated memory pool of 512 MiB', 'vm.overcommit_memory = 1'],
  },
  {
    name: 'rust-alloc-failed',
    re: String.raw`\bmemory allocation of \d+ bytes failed`,
    origin: 'rust std (handle_alloc_error)',
    match: ['memory allocation of 1073741824 bytes failed', 'memory allocation of 8192 bytes failedAborted (core dumped)'],
    noMatch: ['memory allocation of 1048576 bytes succeeded after compaction'],
  },
  {
    name: 'v8-allocation-failed',
    re: String.raw`Allocation failed - JavaScript heap|\bCALL_AND_RETRY_LAST\b|\bIneffective mark-compacts near heap limit\b`,
    origin: 'node.js (V8)',
    match: ['FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - process out of memory', 'FATAL ERROR: Ineffective mark-compacts near heap limit'],
    noMatch: ['node --max-old-space-size=4096 server.js', HEALTHY.noErrors],
  },
  {
    name: 'kernel-oom-killer',
    re: String.raw`\bKilled process \d+ \(.*\) total-vm|\binvoked oom-killer\b|\boom-kill:|\boom_reaper: reaped process`,
    origin: 'linux kernel (OOM killer)',
    match: [
      'Out of memory: Killed process 1234 (python3) total-vm:48212344kB, anon-rss:31211020kB',
      'kernel: python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
      '[ 9121.017511] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=java,pid=55102,uid=0',
      '[ 9121.021009] oom_reaper: reaped process 55102 (java), now anon-rss:0kB',
    ],
    noMatch: [
      HEALTHY.oomScore,
      '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      'Killed process group 4411 after SIGTERM (graceful shutdown)',
    ],
  },
  {
    name: 'oom-killed',
    re: String.raw`\bOOMKill(?:ed|ing)\b|(?i:\boom[- ]kill(?:ed|ing)\b)|\bwas oom[- ]?killed\b|\bFailed with result 'oom-kill'|\bkilled by the OOM killer\b|systemd-oomd\[\d+\]: Killed\b|(?i:\b[1-9]\d* oom[-_ ]kill events?\b)|(?i:\bkilled by the (?:cgroup |kernel )?(?:out-of-memory|OOM) (?:handler|killer)\b)`,
    origin: 'kubernetes, docker, systemd, systemd-oomd, slurm (cgroup oom-kill events)',
    match: [
      '      Reason:       OOMKilled',
      'Warning  OOMKilling  node/worker-3  Memory cgroup out of memory: Killed process 41233 (java)',
      "systemd[1]: clipsmaster.service: Failed with result 'oom-kill'.",
      'systemd[1]: clipsmaster.service: A process of this unit has been killed by the OOM killer.',
      'systemd-oomd[712]: Killed /user.slice/user-1000.slice/session-3.scope due to memory pressure',
      'task 7 failed: container was OOM-killed (limit 4Gi)',
      'slurmstepd: error: Detected 3 oom_kill events in StepId=4412.batch, some processes were killed',
      'worker 12 was killed by the cgroup out-of-memory handler (memory.max=2G)',
    ],
    noMatch: ['OOMScoreAdjust=-500 set for clipsmaster.service', 'oom_kill_disable 0', 'memory.events: oom 0 oom_kill 0', 'cgroup stats: 0 oom-kill events since start'],
  },
  {
    name: 'jvm-native-memory',
    re: String.raw`insufficient memory for the Java Runtime Environment|Native memory allocation \(\w+\) failed`,
    origin: 'jvm (hs_err)',
    match: [
      '# There is insufficient memory for the Java Runtime Environment to continue.',
      '# Native memory allocation (mmap) failed to map 2147483648 bytes for committing reserved memory.',
    ],
    noMatch: ['# JRE version: OpenJDK Runtime Environment (17.0.9+9)', HEALTHY.maxMemory],
  },
  {
    name: 'numpy-unable-to-allocate',
    re: String.raw`Unable to allocate [\d.]+ [KMGTP]?i?B for an array`,
    origin: 'numpy',
    match: ['numpy.core._exceptions._ArrayMemoryError: Unable to allocate 3.73 GiB for an array with shape (500000, 1000)'],
    noMatch: ['allocated 3.73 GiB for an array with shape (500000, 1000)'],
  },
  {
    name: 'cpp-bad-alloc',
    re: String.raw`\bstd::bad_alloc\b`,
    origin: 'c++ runtime',
    match: ["terminate called after throwing an instance of 'std::bad_alloc'", '  what():  std::bad_alloc'],
    noMatch: ['caught std::runtime_error while parsing header'],
  },
  {
    name: 'tensor-oom',
    re: String.raw`\bOOM when allocating tensor\b|\bResourceExhaustedError\b|\bRESOURCE_EXHAUSTED: Out of memory`,
    origin: 'tensorflow, jax/xla',
    match: [
      'tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[64,1024,1024]',
      'jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 17179869184 bytes.',
    ],
    noMatch: ['allocating tensor with shape[64,1024,1024] on GPU:0 (ok)'],
  },
  {
    name: 'cuda-alloc-failed',
    re: String.raw`\b(?:CUBLAS|CUDNN)_STATUS_ALLOC_FAILED\b|\bcudaErrorMemoryAllocation\b|\bCUDA_ERROR_OUT_OF_MEMORY\b`,
    origin: 'cuda, cublas, cudnn',
    match: [
      'RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`',
      'cudaMalloc failed: cudaErrorMemoryAllocation',
    ],
    noMatch: ['cublasCreate returned CUBLAS_STATUS_SUCCESS'],
  },
  {
    name: 'container-memory-limit',
    re: String.raw`running beyond (?:physical|virtual) memory limits|(?i:\bexceeded (?:its |the )?memory limit\b)|(?i:\bmemory limit (?:\([\w ]+\) )?(?:exceeded|reached)\b)|\bMEMORY_LIMIT_EXCEEDED\b|\bcondition: \[MemoryPressure\]|(?i:\b(?:virtual )?memory exhausted\b)|\bVirtualAlloc of \d+ bytes failed\b`,
    origin: 'hadoop yarn, container runtimes',
    match: [
      'Container [pid=31522,containerID=container_1706_0004_01_000002] is running beyond physical memory limits. Current usage: 2.1 GB of 2 GB physical memory used; Killing container.',
      'task 41 exceeded memory limit (4.0 GiB), killing worker',
      'Warning  Evicted  pod/etl-7c9  The node had condition: [MemoryPressure].',
      'virtual memory exhausted: Cannot allocate memory',
      'runtime: VirtualAlloc of 1048576 bytes failed with errno=1455',
      'ERROR: query failed: Memory limit exceeded (for query) would use 9.31 GiB, maximum: 9.31 GiB',
      'DB::Exception: Memory limit (total) exceeded: would use 61.20 GiB, maximum: 60.00 GiB',
      'merge of part 202611_4_9_1 failed with MEMORY_LIMIT_EXCEEDED, will retry',
    ],
    noMatch: ['container memory limit set to 4GiB', 'memory limits: requests=2Gi limits=4Gi', 'memory limit (for user) set to 10 GiB', 'max_memory_usage=10000000000 (memory limit for query)'],
  },
  {
    name: 'redis-oom',
    re: String.raw`\bOOM command not allowed\b`,
    origin: 'redis',
    match: ["(error) OOM command not allowed when used memory > 'maxmemory'."],
    noMatch: ['maxmemory 2gb', 'used_memory_human:1.02G'],
  },
  {
    name: 'insufficient-memory',
    re: String.raw`(?i:\binsufficient (?:shared )?memory\b)|\blow on resource: memory\b`,
    origin: 'kubernetes scheduler and kubelet, pytorch DataLoader (shm)',
    match: [
      'Warning  FailedScheduling  default-scheduler  0/3 nodes are available: 3 Insufficient memory.',
      'ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).',
      'Warning  Evicted  kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 62Mi.',
    ],
    noMatch: ['memory sufficient: 12.1GiB free of 16GiB', 'Normal  Scheduled  default-scheduler  Successfully assigned default/web-1 to worker-2'],
  },
  {
    name: 'circuit-breaker-memory',
    // Elasticsearch/OpenSearch refuse work that would exceed the heap they may use.
    re: String.raw`\bCircuitBreakingException\b|\bData too large, data for \[`,
    origin: 'elasticsearch, opensearch',
    match: [
      'org.elasticsearch.common.breaker.CircuitBreakingException: [parent] Data too large, data for [<http_request>] would be [1021.4mb/1021.4mb], which is larger than the limit of [1020mb/1020mb]',
      '[circuit_breaking_exception] [fielddata] Data too large, data for [user.keyword] would be [620mb]',
    ],
    noMatch: ['indices.breaker.total.limit: 70%', 'breaker stats: tripped=0'],
  },
  {
    name: 'malloc-failed',
    re: String.raw`(?i:\bmalloc(?:\(\))?(?: of size \d+)? failed\b)|(?i:\b(?:failed|unable|could not|cannot|can't) (?:to )?allocate (?:\d+(?:\.\d+)? ?(?:bytes|[KMGT]i?B)\b|memory\b))|\bCannot allocate \d+ bytes of memory\b|(?i:[a-z_]malloc\(\d+\) failed\b)|\bvApplicationMallocFailedHook\b`,
    origin: 'c libraries (ffmpeg, glib), embedded RTOS allocators (FreeRTOS, ESP-IDF), generic',
    match: [
      'ffmpeg: [libx264 @ 0x55d1c] malloc of size 33177600 failed',
      'g_malloc() failed to allocate 1048576 bytes: malloc() failed',
      'encoder: failed to allocate memory for frame buffer',
      'eheap_alloc: Cannot allocate 1073741824 bytes of memory (of type "old_heap").',
      'RuntimeError: [enforce fail at alloc_cpu.cpp:83] data. DefaultCPUAllocator: not enough memory: you tried to allocate 8589934592 bytes. Unable to allocate 8.00 GiB',
      'arrow: could not allocate 2147483648 bytes',
      'W (1120) camera: heap_caps_malloc(65536) failed, free internal heap 2048',
      'FreeRTOS: vApplicationMallocFailedHook called from task ota_task',
    ],
    noMatch: ['malloc arena stats: 4 arenas, 0 failures', 'allocator: reserved 512 MiB, able to allocate 2 GiB more', 'I (812) heap: pvPortMalloc(512) ok, free heap 40960'],
  },
  {
    name: 'resource-pool-memory',
    // Databases and runtimes that report memory by the pool or kind they ran out of.
    re: String.raw`(?i:\binsufficient (?:system|physical|virtual|GPU|device|host) memory\b)|\bThere is insufficient system memory in resource pool\b`,
    origin: 'sql server (error 701), generic runtimes',
    match: ["There is insufficient system memory in resource pool 'default' to run this query.", 'allocator: insufficient physical memory for a 4 GiB arena'],
    noMatch: ['memory check: sufficient system memory (12 GiB free)'],
  },
  {
    name: 'broker-and-engine-memory',
    re: String.raw`\bmemory resource limit alarm set\b|\bNo available memory for the cache blocks\b`,
    origin: 'rabbitmq, vllm',
    match: [
      'memory resource limit alarm set on node rabbit@mq-1. Publishers will be blocked',
      'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization`',
    ],
    noMatch: ['memory resource limit alarm cleared on node rabbit@mq-1'],
  },
  {
    name: 'batch-and-mainframe-memory',
    re: String.raw`\bjob killed: [pv]?mem \d+\w* exceeded limit\b|\bTERM_MEMLIMIT\b|(?i:\bexceeded (?:job|step|task|container|pod) memory limit\b)|${zosAbend('878|80A|822')}`,
    origin: "PBS/Torque, LSF, Slurm, z/OS (region too small: S878, S80A, S822)",
    match: [
      "=>> PBS: job killed: pmem 4200mb exceeded limit 4000mb",
      "slurmstepd: error: Exceeded step memory limit at some point.",
      "TERM_MEMLIMIT: job killed after reaching LSF memory usage limit.",
      "IEF450I NIGHTLY1 SORT01 - ABEND=S878 U0000 REASON=00000010",
      "IEA995I SYMPTOM DUMP OUTPUT  SYSTEM COMPLETION CODE=80A  REASON CODE=00000010",
    ],
    noMatch: ["PBS: job 4411.pbs01 resources_used.mem=812mb resources_used.vmem=1020mb", "memory limit for job set to 4000mb", "IEF142I NIGHTLY1 SORT01 - STEP WAS EXECUTED - COND CODE 0000"],
  },
  {
    name: 'runtime-memory-exhausted',
    // Language runtimes' own words for an allocation that could not be served: OCaml's
    // Out_of_memory exception, R's vectors and memory blocks, Lua's LUA_ERRMEM ("not enough
    // memory", also Windows' ERROR_NOT_ENOUGH_MEMORY), Vulkan's out-of-memory results.
    re: String.raw`\bOut_of_memory\b|(?i:\bcannot allocate (?:vector|memory block|buffer|array) of (?:size|length)\b)|(?i:\bnot enough memory\b)|\bVK_ERROR_OUT_OF_(?:DEVICE|HOST|POOL)_MEMORY\b`,
    origin: 'ocaml, r, lua/openresty, windows, vulkan',
    match: [
      'Fatal error: exception Out_of_memory (raised in Bigarray.create)',
      'Error in matrix(0, nrow = 1e6, ncol = 1e5) : cannot allocate vector of size 745.1 Gb',
      'Error: cannot allocate memory block of size 16.0 Gb',
      'PANIC: unprotected error in call to Lua API (not enough memory)',
      'CreateFileMapping failed: Not enough memory resources are available to process this command.',
      'vkAllocateMemory returned VK_ERROR_OUT_OF_DEVICE_MEMORY for a 512 MiB staging buffer',
    ],
    noMatch: [HEALTHY.maxMemory, 'checking whether there is enough memory for the build... yes', 'R: memory.limit() = 16000 Mb'],
  },
]);

export const MEMORY_LEAK = patternsOf('MemoryLeak', [
  {
    name: 'leak-detectors',
    // Leak detectors and runtimes that report leaks by count: kmemleak, the MSVC CRT debug
    // heap, LeakCanary, Jest's --detectLeaks, Miri.
    re: String.raw`\bkmemleak: [1-9]\d* new suspected memory leaks?\b|^Detected memory leaks!|\b[1-9]\d* APPLICATION LEAKS?\b|\bis leaking memory\b|\berror: memory leaked: `,
    origin: 'linux kmemleak, MSVC CRT, LeakCanary (android), jest, miri',
    match: [
      '[ 4211.000120] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)',
      'Detected memory leaks!',
      'D LeakCanary: 2 APPLICATION LEAKS',
      'Your test suite is leaking memory. Please ensure all references are cleaned.',
      'error: memory leaked: alloc77 (Rust heap, size: 8, align: 8), allocated here:',
    ],
    noMatch: ['kmemleak: 0 new suspected memory leaks', 'D LeakCanary: 0 APPLICATION LEAKS', 'no memory leaked during the soak test'],
  },
  {
    name: 'valgrind-definitely-lost',
    re: String.raw`definitely lost: [1-9][\d,]* bytes|bytes in [\d,]+ blocks are definitely lost`,
    origin: 'valgrind memcheck',
    match: ['==28811==    definitely lost: 4,096 bytes in 2 blocks', '==28811== 72 bytes in 1 blocks are definitely lost in loss record 12 of 40'],
    noMatch: ['==28811==    definitely lost: 0 bytes in 0 blocks', '==28811== All heap blocks were freed -- no leaks are possible'],
  },
  {
    name: 'leak-sanitizer',
    re: String.raw`LeakSanitizer: detected memory leaks|\b(?:Direct|Indirect) leak of \d+ byte|\b[1-9]\d* byte\(s\) leaked in \d+ allocation\(s\)`,
    origin: 'LLVM/GCC LeakSanitizer (ASan)',
    match: ["SUMMARY: LeakSanitizer: 96 byte(s) leaked in 3 allocation(s).", '==9921==ERROR: LeakSanitizer: detected memory leaks', 'Direct leak of 640 byte(s) in 10 object(s) allocated from:'],
    noMatch: ['ASAN_OPTIONS=detect_leaks=1 ./run_tests', 'SUMMARY: AddressSanitizer: 0 byte(s) leaked in 0 allocation(s).', HEALTHY.noErrors],
  },
  {
    name: 'possible-leak',
    re: String.raw`(?i:\b(?:possible|suspected|probable|likely|potential) (?:EventEmitter )?(?:memory )?leak\b)|(?i:\bmemory leak (?:detected|suspected|found)\b)|(?i:likely to (?:create|cause) a memory leak)|(?:\b|[a-z])MemoryLeak(?:Suspected|Detected|Warning)\b|\bTo prevent a memory leak\b|(?i:\bleaked \d+ (?:bytes|objects|blocks|allocations|references|goroutines)\b)|(?i:\bgoroutine leak\b)`,
    origin: 'node.js (EventEmitter), tomcat, app monitors',
    match: [
      '[FIRING:2] PodMemoryLeakDetected namespace=web pod=api-5',
      '(node:4412) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 error listeners added to [Socket].',
      'SEVERE: The web application [shop] appears to have started a thread named [pool-3-thread-1] but has failed to stop it. This is very likely to create a memory leak.',
      'tracemalloc: top allocation grew by 512.3 MiB since start (/app/src/cache.py:88), possible leak',
      'WARN monitor: rss 7.9GiB after 3 days of flat traffic, suspected memory leak in worker 3',
      '[FIRING:1] MemoryLeakSuspected api-7d9 (severity=warning)',
      'SEVERE: The web application [app] registered the JDBC driver [org.postgresql.Driver] but failed to unregister it when the web application was stopped. To prevent a memory leak, the JDBC Driver has been forcibly unregistered.',
      'sys:1: leaked 12 references to <frame object> (tracerefs)',
    ],
    noMatch: ['memory leak detection enabled (interval=60s)', 'leak check passed: no leaks'],
  },
  {
    name: 'memory-keeps-growing',
    re: String.raw`(?i)\bmemory (?:usage|use|consumption) (?:keeps|kept|continues to|is still|steadily) (?:grow|increas|ris|climb)|\b(?:memory|heap|rss|working set)\b[^\n;]*\bgr(?:ew|own|owing|ows) (?:monotonically|steadily|continuously|without bound|unbounded)`,
    origin: 'application monitors, tracemalloc snapshots',
    match: [
      '2024-07-09 03:10:00 WARNING monitor: memory usage keeps growing: rss=6.1GiB (+180MiB in 10 min)',
      'memory consumption continues to increase after GC (heap 3.1G -> 3.4G)',
      'alert: heap of worker 4 has grown steadily for 9h (0.8 GiB -> 5.2 GiB) at a constant request rate',
      'RSS grew monotonically from 300MB to 2.9GB over 12h',
    ],
    noMatch: ['memory usage stable at 1.2GiB', HEALTHY.maxMemory, 'traffic grew steadily over the quarter'],
  },
  {
    name: 'netty-leak',
    re: String.raw`\bLEAK: \S+ was not called before`,
    origin: 'netty ResourceLeakDetector',
    match: ["LEAK: ByteBuf.release() was not called before it's garbage-collected."],
    noMatch: ['-Dio.netty.leakDetection.level=paranoid'],
  },
  {
    name: 'goroutine-leak',
    re: String.raw`\bfound unexpected goroutines\b`,
    origin: 'go (goleak)',
    match: ['leaks.go:31: found unexpected goroutines:'],
    noMatch: ['goroutines: 42 (expected)'],
  },
  {
    name: 'leaked-objects',
    re: String.raw`\bleaked (?:semaphore|shared_memory|folder) objects?\b|\bThere appear to be \d+ leaked\b`,
    origin: 'python multiprocessing resource_tracker',
    match: ['resource_tracker: There appear to be 2 leaked semaphore objects to clean up at shutdown', 'UserWarning: resource_tracker: There appear to be 3 leaked shared_memory objects to clean up at shutdown'],
    noMatch: ['resource_tracker: cleaned 0 objects'],
  },
  {
    name: 'leak-indicated',
    re: String.raw`(?i:\bknown to have a memory leak\b)|(?i:\b(?:indicates?|suggests?|indicating|suggesting) a (?:memory )?leak\b)|\bwas garbage collected without being shut down\b`,
    origin: 'scikit-learn warnings, app watchdogs',
    match: [
      "SEVERE: *~*~*~ Channel ManagedChannelImpl{logId=7, target=dns:///pay:443} was garbage collected without being shut down! ~*~*~*",
      'UserWarning: KMeans is known to have a memory leak on Windows with MKL',
      'heap grew to 5.8 GB after Gen2 collection; retained objects indicate a memory leak',
    ],
    noMatch: ['no retained objects; nothing suggests growth'],
  },
  {
    name: 'leak-counts',
    re: String.raw`\bFound [1-9]\d* (?:retained objects?|objects? retained)\b|(?i:\b[1-9]\d* (?:memory )?leaks? (?:detected|found)\b)|\b[1-9]\d* leaks? for \d+ total leaked bytes\b`,
    origin: "LeakCanary (Android), PHP debug builds, Visual C++ CRT, macOS leaks(1)",
    match: [
      "D LeakCanary: Found 5 retained objects, grouping leaks",
      "=== Total 12 memory leaks detected ===",
      "Process 8812: 4 leaks for 2048 total leaked bytes.",
      "WARNING: 2 leaks found in test_parser",
    ],
    noMatch: ["D LeakCanary: Found 0 retained objects", "Process 8812: 0 leaks for 0 total leaked bytes.", "leak check: 0 leaks detected"],
  },
  {
    name: 'leaks-at-exit',
    // Allocators and interpreters that list what was still held at exit: Zig's
    // GeneralPurposeAllocator, Perl's "Scalars leaked", jemalloc's leak check (prof_leak),
    // and the "<things> leaked: N" counters of debug builds.
    re: String.raw`\bmemory address 0x[0-9a-fA-F]+ leaked\b|(?i:\b(?:scalars|objects|handles|references|allocations|blocks|instances|buffers) leaked: *[1-9]\d*)|<jemalloc>: Leak (?:approximation )?summary\b|<jemalloc>: Run jeprof on dump output for leak detail\b`,
    origin: 'zig (GeneralPurposeAllocator), perl, jemalloc (opt.prof_leak), debug builds',
    match: [
      'error(gpa): memory address 0x10a2c3000 leaked: src/cache.zig:41:30: 0x10423 in put',
      'Scalars leaked: 12',
      'Objects leaked: 4 (see heap dump)',
      '<jemalloc>: Leak approximation summary: ~2097152 bytes, ~64 objects, >= 3 contexts',
      '<jemalloc>: Run jeprof on dump output for leak detail',
    ],
    noMatch: ['Scalars leaked: 0', 'objects leaked: 0', '<jemalloc>: prof: dumping profile to jeprof.812.0.f.heap', 'gpa: deinit ok, no memory leaked'],
  },
]);
