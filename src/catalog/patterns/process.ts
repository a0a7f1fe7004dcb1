// Processes and concurrency: crashes (signals, core dumps, panics, crash loops), deadlocks
// (JVM, databases, Go, kernel hung tasks) and generic timeouts (not network calls).

import { HEALTHY, patternsOf, zosAbend } from './define.js';

export const PROCESS_CRASH = patternsOf('ProcessCrash', [
  {
    name: 'segfault',
    re: String.raw`(?i:\bsegmentation fault\b)|\bSIGSEGV(?::| \(0xb\)|\))|\bsegfault at [0-9a-f]+ ip\b|\bgeneral protection fault\b|\btraps: \S+\[\d+\] (?:trap|general protection)`,
    origin: 'shell, python, jvm, go, linux kernel',
    match: [
      'Segmentation fault (core dumped)',
      '[412233.118812] python3[28817]: segfault at 0 ip 00007f5c1b2e4a10 sp 00007ffd6f1c2e80 error 4 in libc.so.6',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2d41]',
      '[ 1204.552010] traps: worker[771] trap divide error ip:401136 sp:7ffd8a6d1e30 error:0 in worker[401000+1000]',
    ],
    noMatch: ['installed SIGSEGV handler for crash reports', 'segfault-handler: enabled'],
  },
  {
    name: 'core-dumped',
    re: String.raw`(?i:\(core dumped\))|\bdumped core\b|\bcode=dumped\b`,
    origin: 'shell, nginx, systemd-coredump, coreutils timeout',
    match: [
      'Aborted (core dumped)',
      '2024/06/02 10:21:00 [alert] 2230#2230: worker process 2231 exited on signal 11 (core dumped)',
      'systemd-coredump[88122]: Process 88101 (python3) of user 1000 dumped core.',
      'timeout: the monitored command dumped core',
    ],
    noMatch: ['kernel.core_pattern = |/usr/lib/systemd/systemd-coredump %P', 'ulimit -c unlimited (core dumps enabled)'],
  },
  {
    name: 'fatal-signal',
    re: String.raw`(?i:\b(?:terminated|killed) by signal\b)|\bcrashed by signal\b|\bworker process \d+ exited on signal \d+|\bexit(?:ed)? (?:with )?(?:code|status) (?:13[2-9]|14[0-3])\b|: line \d+: +\d+ (?:Killed|Aborted|Segmentation fault|Bus error|Floating point exception|Illegal instruction)\b|\bwas sent SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\b|(?i:\b(?:failed|terminated|killed|exited|died) (?:with|by|on|due to) signal "?SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\b)|\bnpm (?:ERR!|error) signal SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\b`,
    origin: 'postgresql, pytorch DataLoader, redis, nginx, docker compose, bash',
    match: [
      "[ERROR] Worker (pid:912) was sent SIGABRT!",
      "error Command failed with signal \"SIGABRT\".",
      "npm ERR! signal SIGSEGV",
      '2024-06-03 08:15:00.000 UTC [1] LOG:  server process (PID 8851) was terminated by signal 9: Killed',
      'RuntimeError: DataLoader worker (pid 28817) is killed by signal: Segmentation fault.',
      '2024/06/02 10:21:01 [alert] 2230#2230: worker process 2240 exited on signal 9',
      'app-worker-1 exited with code 139',
      'Process finished with exit code 139 (interrupted by signal 11:SIGSEGV)',
      './run.sh: line 12: 31221 Killed                  python3 train.py --config configs/base.yaml',
    ],
    noMatch: ['app-worker-1 exited with code 0', 'worker process 2240 exited with code 0', 'received signal 15 (SIGTERM), shutting down gracefully'],
  },
  {
    name: 'unexpected-exit',
    // Supervisors and container runtimes report a child that died on its own: supervisord's
    // "not expected", Docker's die event / JSON state with a signal exit code, a pool child
    // (php-fpm, uwsgi, unicorn) that exited on a signal, Airflow's negative signal codes.
    // `13[2-5]|13[6-9]` is `13[2-9]` written so that `Exited (132)`… are literals the line
    // prefilter can look for (a class of more than 4 characters ends a literal); without them
    // the pure-Rust engine runs this whole pattern over every line.
    re: String.raw`\bexited: \S+ \((?:exit status [1-9]\d*|terminated by SIG\w+)[^;\n]*; not expected\)|(?i:\bexit[_ ]?(?:code|status))"?\s*[=:]\s*"?(?:13[2-9]|14[0-3])\b|\bExited \((?:13[2-5]|13[6-9]|14[0-3])\)|\bexited with code \[\d+\] via signal \[SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\]|\bdied with <Signals\.SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL): \d+>|\b(?:child|process|worker|pid) \d{1,10} exited on signal \d+|\bNegsignal\.SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\b|\bsignal: (?:segmentation fault|aborted|bus error|illegal instruction|killed)\b`,
    origin: 'supervisord, docker events/inspect, php-fpm, uwsgi, airflow, go os/exec',
    match: [
      '2024-05-06 07:14:09,882 INFO exited: api-worker (exit status 2; not expected)',
      '2024-05-06 07:15:10,004 INFO exited: indexer (terminated by SIGSEGV (core dumped); not expected)',
      '2024-09-18T02:33:10.551203001Z container die 7c1f (exitCode=139, image=acme/api:1.2, name=api)',
      '[12-Jan-2025 10:00:01] WARNING: [pool app] child 8812 exited on signal 6 (SIGABRT) after 12.5 seconds from start',
      '{"State":{"Status":"exited","ExitCode":134,"Error":""}}',
      '[2025-01-02, 03:04:05 UTC] {local_task_job_runner.py:234} INFO - Task exited with return code Negsignal.SIGKILL',
      'level=error msg="converter failed" err="signal: segmentation fault (core dumped)"',
      '    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    139',
      'web_1 | api-1 Exited (139) 2 minutes ago',
      'PM2 | App [api:0] exited with code [1] via signal [SIGSEGV]',
      "subprocess.CalledProcessError: Command '['./encoder']' died with <Signals.SIGABRT: 6>.",
    ],
    noMatch: [
      '2024-05-06 07:14:09,882 INFO exited: cron-job (exit status 0; expected)',
      'container die 7c1f (exitCode=0, image=acme/api:1.2, name=api)',
      '{"State":{"Status":"exited","ExitCode":0}}',
      'worker 12 exited normally with code 0',
    ],
  },
  {
    name: 'windows-app-crash',
    // Windows Error Reporting (Event 1000/1001) and the .NET runtime's Event 1026.
    re: String.raw`\bFaulting application name: |\bThe process was terminated due to an unhandled exception\b|\bException code: 0xc0000(?:005|409|374|0fd|01d)\b|\bThe process was terminated due to (?:stack overflow|an internal error in the \.NET Runtime)\b|\bProcess is terminated due to StackOverflowException\b|${zosAbend('0C1|0C4')}`,
    origin: 'windows event log (Application Error, .NET Runtime)',
    match: [
      "Description: The process was terminated due to stack overflow.",
      "Process is terminated due to StackOverflowException.",
      "IEA995I SYMPTOM DUMP OUTPUT  SYSTEM COMPLETION CODE=0C4  REASON CODE=00000011",
      'Faulting application name: Billing.Service.exe, version: 1.0.0.0, time stamp: 0x64b0c1d2',
      'Application: Acme.Jobs.exe Framework Version: v4.0.30319 Description: The process was terminated due to an unhandled exception.',
      'Exception code: 0xc0000005 Fault offset: 0x0000000000012a4f Faulting process id: 0x1f2c',
    ],
    noMatch: ['Application Error reporting service started', 'Exception code: 0x00000000'],
  },
  {
    name: 'crash-reporters',
    // Crash reports that name no signal: kernel panics/oopses, sanitizers, JVM crash logs,
    // Erlang/Elixir process crashes, Windows service crashes, supervisors giving up,
    // process pools that lost a worker.
    re: String.raw`\bKernel panic - not syncing\b|\bBUG: unable to handle (?:kernel )?(?:NULL pointer dereference|paging request)\b|\bOops: [0-9a-f]{4} \[#\d+\]|\bERROR: AddressSanitizer: |\bhs_err_pid\d+\.log\b|\bGenServer \S{1,60} terminating\b|\bCrash dump is being written\b|\bKernel pid terminated\b|\bservice terminated unexpectedly\b|\bentered FATAL state\b|\btoo many unstable restarts\b|\bapp crashed - waiting for file changes\b|\bWorkerLostError\b|\bWorker exited prematurely\b|\bBrokenProcessPool\b|\bterminated abruptly while the future was running\b|\bExecutorLostFailure\b|\bWorker failed to boot\b|\breaped #<Process::Status: pid \d+ SIG(?:SEGV|ABRT|BUS|ILL|FPE|KILL)\b|\bzend_mm_heap corrupted\b|\bFatal error\. System\.\w+Exception\b|\bSystem\.AccessViolationException\b|^Stack overflow\.`,
    origin: 'linux kernel, ASan, jvm, erlang/elixir, windows SCM, supervisord, pm2, nodemon, celery, python concurrent.futures, spark, gunicorn, unicorn, php, .NET',
    match: [
      '[  120.441001] Kernel panic - not syncing: Fatal exception in interrupt',
      '[ 3021.100200] BUG: unable to handle kernel NULL pointer dereference at 0000000000000010',
      '==4412==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x55d4',
      '# An error report file with more information is saved as: /opt/app/hs_err_pid4412.log',
      '12:00:01.123 [error] GenServer MyApp.Cache terminating',
      'The Acme Sync service terminated unexpectedly.  It has done this 3 time(s).',
      'INFO gave up: worker entered FATAL state, too many start retries too quickly',
      'billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: 88.',
      'concurrent.futures.process.BrokenProcessPool: A process in the process pool was terminated abruptly while the future was running or pending.',
      'ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: Remote RPC client disassociated.',
      '[nodemon] app crashed - waiting for file changes before starting...',
      'E, [2025-01-01T10:00:00] ERROR -- : reaped #<Process::Status: pid 8812 SIGSEGV (signal 11)> worker=2',
      'Fatal error. System.AccessViolationException: Attempted to read or write protected memory.',
    ],
    noMatch: ['kernel.panic = 10', 'ASAN_OPTIONS=abort_on_error=1', 'GenServer MyApp.Cache started', 'INFO success: worker entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)'],
  },
  {
    name: 'systemd-failure',
    re: String.raw`\bMain process exited, code=(?:killed|dumped|exited, status=[1-9])|\bFailed with result '(?:exit-code|core-dump|signal|start-limit-hit)'|\bStart request repeated too quickly\b|systemd\[\d+\]: Failed to start\b|\bentered failed state\b|\bJob for \S+\.service failed(?:\.| because (?:the control process|a fatal signal|the service did not|start of the service))`,
    origin: 'systemd',
    match: [
      'systemd[1]: clipsmaster.service: Main process exited, code=killed, status=9/KILL',
      'systemd[1]: clipsmaster.service: Main process exited, code=dumped, status=11/SEGV',
      "systemd[1]: clipsmaster.service: Failed with result 'exit-code'.",
      'systemd[1]: clipsmaster.service: Start request repeated too quickly.',
      'May 17 10:06:20 gpu-host systemd[1]: Failed to start ClipsMaster inference service.',
      'systemd[1]: Unit api.service entered failed state.',
      'Job for nginx.service failed because the control process exited with error code.',
    ],
    noMatch: [
      'systemd[1]: clipsmaster.service: Main process exited, code=exited, status=0/SUCCESS',
      "systemd[1]: clipsmaster.service: Succeeded.",
      'systemd[1]: Started ClipsMaster inference service.',
    ],
  },
  {
    name: 'abort-and-heap-corruption',
    re: String.raw`\*\*\* stack smashing detected \*\*\*|\bfree\(\): invalid (?:pointer|size)|\bdouble free or corruption\b|\bmalloc\(\): corrupted\b|\bFatal glibc error\b|\bterminate called after throwing an instance of\b|\bterminate called without an active exception\b|\*\*\* Error in .*: (?:corrupted|double free|free\(\)|malloc|munmap_chunk|realloc)`,
    origin: 'glibc, c++ runtime',
    match: [
      "*** Error in `./encoder': double free or corruption (fasttop): 0x0000000001b2c010 ***",
      '*** stack smashing detected ***: terminated',
      'free(): invalid pointer',
      'double free or corruption (!prev)',
      "terminate called after throwing an instance of 'std::runtime_error'",
      'Fatal glibc error: malloc.c:2599 (sysmalloc): assertion failed',
    ],
    noMatch: ['free(): releasing 42 cached buffers', HEALTHY.noErrors],
  },
  {
    name: 'go-panic',
    re: String.raw`^panic: |^fatal error: |\bgoroutine \d+ \[running\]:|\bunexpected signal during runtime execution\b|\bstd(?:err|out) [FP] (?:panic: |fatal error: )`,
    origin: 'go runtime',
    match: [
      "2026-01-02T03:04:05.000Z stderr F panic: runtime error: slice of nil",
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c] fatal error: unexpected signal during runtime execution",
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'panic: send on closed channel',
      'fatal error: concurrent map writes',
      'goroutine 1 [running]:',
    ],
    noMatch: ['level=info msg="recovered from panic in handler, request retried"', 'goroutine 7 [select]:'],
  },
  {
    name: 'rust-panic',
    re: String.raw`\bthread '[^']*' panicked at\b|\bhas overflowed its stack\b|\bfatal runtime error: `,
    origin: 'rust std',
    match: ["thread 'main' panicked at src/main.rs:48:10:", "thread 'tokio-runtime-worker' has overflowed its stack", 'fatal runtime error: stack overflow'],
    noMatch: ['RUST_BACKTRACE=1 cargo run --release', 'panic = "abort" set in Cargo profile'],
  },
  {
    name: 'runtime-fatal',
    re: String.raw`A fatal error has been detected by the Java Runtime Environment|\bFatal Python error: |\bChildFailedError\b|\bworker \(pid\(?s?\)? [\d, ]+\) exited unexpectedly|\bterminating any other active server processes\b`,
    origin: 'jvm (hs_err), cpython, torch.distributed.elastic, pytorch DataLoader, postgresql',
    match: [
      '# A fatal error has been detected by the Java Runtime Environment:',
      'Fatal Python error: Segmentation fault',
      'torch.distributed.elastic.multiprocessing.errors.ChildFailedError:',
      'RuntimeError: DataLoader worker (pid(s) 4411) exited unexpectedly',
      '2024-06-03 08:15:00.001 UTC [1] LOG:  terminating any other active server processes',
    ],
    noMatch: ['DataLoader worker (pid 4411) started', 'database system is ready to accept connections'],
  },
  {
    name: 'crash-loop',
    re: String.raw`\bCrashLoopBackOff\b|Back-off restarting failed container`,
    origin: 'kubernetes',
    match: [
      'web-7d9c5b8f6-x2kqp   0/1     CrashLoopBackOff   7 (2m ago)    15m',
      'Warning  BackOff  kubelet  Back-off restarting failed container api in pod api-6c7f9d-4kx2z_default(0f3a)',
    ],
    noMatch: ['web-7d9c5b8f6-x2kqp   1/1     Running   0          15m'],
  },
  {
    name: 'died-unexpectedly',
    // Workers, actors and pools whose process ended on its own: Ray, IIS, runtimes' pools.
    // The name between the noun and the verb is bounded ({1,60}, as in 'timed-out') so that
    // Hyperscan can start from 'unexpectedly' rather than every 'process '/'worker '.
    re: String.raw`\b(?:process|worker|child|actor|executor|instance)(?: \S{1,60})? (?:has )?(?:terminated|exited|died|crashed) unexpectedly\b|\bterminated unexpectedly\. The process id was\b|\bcrashed (?:with|on) signal SIG\w+`,
    origin: 'ray, iis (WAS), process pools, generic supervisors',
    match: [
      "ray.exceptions.ActorDiedError: The actor died unexpectedly before finishing this task.",
      "A process serving application pool 'Api' terminated unexpectedly. The process id was '812'. The process exit code was '0xc0000005'.",
      'The worker process crashed with signal SIGSEGV while executing task 7',
      'pool: worker 3 exited unexpectedly (pid 9912)',
    ],
    noMatch: ['worker 3 exited normally', 'actor finished its task'],
  },
  {
    name: 'iis-worker-lost',
    re: String.raw`\bsuffered a fatal communication error with the Windows Process Activation Service\b`,
    origin: 'iis (WAS event 5011)',
    match: [
      "A process serving application pool 'Api' suffered a fatal communication error with the Windows Process Activation Service. The process id was '812'.",
    ],
    noMatch: ["A worker process serving application pool 'Api' was recycled"],
  },
  {
    name: 'embedded-and-app-crash-reports',
    // Crash reports of firmware and desktop runtimes: Cortex-M fault banners (Zephyr and
    // others), ESP32's Guru Meditation, FreeRTOS/ESP-IDF stack overflow hooks, macOS crash
    // reports and lldb stops (EXC_* with a signal or code), supervisors reporting a crash
    // loop (OpenWrt procd and others), Electron/Chromium child processes gone with a crash.
    re: String.raw`\*\*\*\*\* (?:HARD|BUS|USAGE|MPU|MEMORY MANAGEMENT|SECURE|DEBUG) FAULT \*\*\*\*\*|>>> ZEPHYR FATAL ERROR\b|\bGuru Meditation Error\b|(?i:\bstack overflow (?:in|on|detected in|detected on) (?:task|thread)\b)|\bvApplicationStackOverflowHook\b|\bEXC_(?:CRASH|BAD_ACCESS|BAD_INSTRUCTION|ARITHMETIC|BREAKPOINT|GUARD) \((?:SIG[A-Z]+|code=)|(?i:\bin a crash[- ]?loop\b)|\b(?:render|child)-process-gone\b[^\n]*\b(?:crashed|abnormal-exit|killed|launch-failed)\b|(?i:\brenderer process (?:crashed|has crashed|gone)\b)`,
    origin: 'zephyr/cortex-m, esp-idf, freertos, macos crash reports and lldb, openwrt procd, electron/chromium',
    match: [
      "[00:00:12.004,000] <err> os: ***** BUS FAULT *****",
      "[00:00:12.010,000] <err> os: >>> ZEPHYR FATAL ERROR 3: Kernel oops on CPU 0",
      "Guru Meditation Error: Core  0 panic'ed (StoreProhibited). Exception was unhandled.",
      '***ERROR*** A stack overflow in task wifi_mgr has been detected.',
      'Exception Type:  EXC_BAD_ACCESS (SIGSEGV)',
      'Thread 1: EXC_BAD_ACCESS (code=1, address=0x0)',
      'procd: Instance dnsmasq::main is in a crash loop 5 crashes, 1 seconds since last crash',
      'app: child-process-gone {"type":"Utility","reason":"crashed","exitCode":3221225477}',
      'ERROR:browser: Renderer process crashed - see https://crbug.com for details',
    ],
    noMatch: [
      'Exception Type: none (clean exit)',
      'registered handler for EXC_BAD_ACCESS to collect crash reports',
      'render-process-gone {"reason":"clean-exit","exitCode":0}',
      'FreeRTOS: configCHECK_FOR_STACK_OVERFLOW=2',
      'procd: Instance dnsmasq::main started (pid 812)',
    ],
  },
]);

export const DEADLOCK = patternsOf('Deadlock', [
  {
    name: 'java-deadlock',
    re: String.raw`\bFound one Java-level deadlock\b|^Found \d+ deadlocks?\.`,
    origin: 'jvm (jstack, thread dump)',
    match: ['Found one Java-level deadlock:', 'Found 2 deadlocks.'],
    noMatch: ['No deadlocks found.', 'Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode):'],
  },
  {
    name: 'db-deadlock',
    re: String.raw`\bERROR: +deadlock detected\b|Deadlock found when trying to get lock|\bLATEST DETECTED DEADLOCK\b|\bdeadlock victim\b|\bwas deadlocked on\b|(?i:(?:^|[^o\s]\s+|[^n]o\s+|[^\s])deadlock detected\b)|\bDeadlockDetected\b|(?i:\ba deadlock (?:was |has been )?(?:detected|found)\b)|(?i:\bdeadlock (?:occurred|happened)\b)|\b(?:CannotAcquireLock|LockAcquisition|PessimisticLock)Exception\b|(?i:\bencountered a deadlock\b)|(?i:\bdeadlock situation\b)`,
    origin: 'postgresql, mysql/innodb, sql server',
    match: [
      "Msg 1205: Your server command (family id #0, process id #41) encountered a deadlock situation. Please re-run your command.",
      "psycopg2.errors.DeadlockDetected: deadlock detected",
      "org.hibernate.exception.LockAcquisitionException: could not execute statement",
      '2024-06-03 08:12:44.120 UTC [8812] ERROR:  deadlock detected',
      'ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction',
      'LATEST DETECTED DEADLOCK',
      'Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim.',
    ],
    noMatch: [
      "lock monitor: no deadlock detected in 24h",'deadlock_timeout = 1s', 'innodb_print_all_deadlocks = ON', 'Innodb_deadlocks 0'],
  },
  {
    name: 'lock-wait',
    re: String.raw`\bLock wait timeout exceeded\b|(?i:\bdatabase (?:table )?is locked\b)|\bSQLITE_BUSY\b|\bResource deadlock avoided\b|\bEDEADLK\b|(?i:\bwould (?:result in|cause) (?:a )?deadlock\b)`,
    origin: 'mysql, sqlite, libc (EDEADLK), rust std locks',
    match: [
      'ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction',
      'sqlite3.OperationalError: database is locked',
      'RuntimeError: Resource deadlock avoided',
      "thread 'main' panicked at 'rwlock read lock would result in deadlock'",
    ],
    noMatch: ['innodb_lock_wait_timeout = 50', 'acquired lock on /var/lib/app/db.sqlite in 3ms'],
  },
  {
    name: 'lock-not-acquired',
    // Repeats between a common word and the rare text ({1,60}, not +) are bounded so that
    // Hyperscan can start from the rare text instead of following every 'job ' or 'could
    // not '; 60 characters covers real names, and a larger bound grows the regex engine's DFA.
    // A lock another holder keeps: database lock timeouts (PostgreSQL lock_timeout, SQL
    // Server, MongoDB LockTimeout), package-manager and state locks (dpkg/apt, yum/dnf,
    // Terraform state), and the generic "could not acquire/obtain/get ... lock".
    re: String.raw`\bcanceling statement due to lock timeout\b|\bLock request time out period exceeded\b|\bLockTimeout(?:Exception)?\b|(?i:\block (?:wait )?timeout (?:exceeded|expired|occurred)\b)|(?i:\b(?:could not|couldn't|cannot|can't|unable to|failed to|error) (?:acquire|acquiring|obtain|obtaining|get|getting|take|taking) (?:the |a |an |exclusive |shared ){0,4}(?:[\w-]{1,60} )?lock\b)|(?i:\block '[^'\n]*' could not be (?:acquired|obtained)\b)|(?i:\block (?:could not|cannot|can't) be (?:acquired|obtained)\b)|(?i:\b(?:could not|unable to|failed to) (?:acquire|obtain|get) (?:the )?(?:\w{1,60} )?(?:mutex|semaphore)\b)|\bAnother git process seems to be running\b|\banother operation \(install/upgrade/rollback\) is in progress\b|\bIt is held by process \d+|\bis currently holding the \w{1,60} lock\b|\bwaiting for (?:the )?(?:cache|dpkg|rpm|yum|dnf) lock\b|(?i:\b(?:error|failure|failed) (?:in |while |when )?acquiring (?:the )?locks?\b)|(?i:\bdeadlock avoided\b)|\bDEADLOCK_AVOIDED\b|\b(?:READ|WRITE) locking attempt on \S+ has timed out\b|(?i:\bthis lock has not (?:yet )?been released\b)`,
    origin: 'postgresql, sql server, mongodb, apt/dpkg, yum/dnf, terraform, generic lock managers',
    match: [
      '2024-11-04 02:10:44.019 UTC [9012] app@db ERROR:  canceling statement due to lock timeout',
      'Msg 1222, Level 16, State 51: Lock request time out period exceeded.',
      '{"s":"E","c":"COMMAND","msg":"Slow query","attr":{"errName":"LockTimeout","errCode":24}}',
      'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 912 (apt-get)',
      'Error: Error acquiring the state lock',
      'Another app is currently holding the yum lock; waiting for it to exit...',
      'failed to acquire lock on /var/lib/registry/.lock: resource temporarily unavailable',
      'redis-lock: unable to obtain lock "invoice:812" after 10 attempts',
      "filelock._error.Timeout: The file lock '/tmp/hf/model.lock' could not be acquired.",
      "fatal: Unable to create '/srv/repo/.git/index.lock': File exists. Another git process seems to be running in this repository",
      'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
      'curator: Failed to acquire mutex /locks/leader within 30s',
      'FAILED: Error in acquiring locks: lock request for table web.clicks timed out',
      'Code: 473. DB::Exception: READ locking attempt on "metrics.hits" has timed out! (60000ms)',
      "Statement '4f1a' is waiting on table 'ORDERS' held by transaction 1712; this lock has not yet been released.",
    ],
    noMatch: ["SET lock_timeout = '5s'", 'hive.lock.numretries=100 (acquiring locks)', 'lock on table ORDERS has been released', 'acquired lock on /var/lib/app/db.sqlite in 3ms', 'lock released after 2ms', 'lock_timeout=10s lock_retries=3'],
  },
  {
    name: 'go-deadlock',
    re: String.raw`all goroutines are asleep - deadlock`,
    origin: 'go runtime',
    match: ['fatal error: all goroutines are asleep - deadlock!'],
    noMatch: ['goroutines: 42 running, 0 blocked'],
  },
  {
    name: 'runtime-self-deadlock',
    // Runtimes that detect a thread waiting forever on itself or on nobody: GHC's
    // BlockedIndefinitelyOnMVar/STM, libdispatch's dispatch_sync onto the queue it runs on,
    // Erlang/Elixir gen_server calling itself, a mutex re-locked by its owner.
    re: String.raw`\bblocked indefinitely in an (?:MVar|STM) (?:operation|transaction)\b|\bBlockedIndefinitelyOn(?:MVar|STM)\b|\bdispatch_sync called on queue already owned by current thread\b|(?i:\b(?:queue|lock|mutex) (?:is )?already owned by (?:the )?current thread\b)|\{:?calling_self,`,
    origin: 'ghc (haskell), libdispatch (apple), erlang/elixir gen_server, generic mutexes',
    match: [
      'worker: thread blocked indefinitely in an STM transaction',
      'Control.Exception.BlockedIndefinitelyOnMVar',
      'BUG IN CLIENT OF LIBDISPATCH: dispatch_sync called on queue already owned by current thread (com.acme.sync)',
      '** (exit) exited in: GenServer.call(Cache, :get, 5000) ** (EXIT) {:calling_self, {GenServer, :call, [Cache, :get, 5000]}}',
      "=ERROR REPORT==== exit with reason {calling_self,{gen_server,call,[cfg_srv,reload,infinity]}}",
    ],
    noMatch: ['mvar: took value after 2ms', 'dispatch_sync on queue com.acme.sync completed', 'lock owned by thread 12 released'],
  },
  {
    name: 'kernel-hung-task',
    re: String.raw`\bblocked for more than \d+ seconds\b|\bBUG: soft lockup - CPU#\d+ stuck\b|\bWatchdog detected hard LOCKUP\b|\bself-detected stall on CPU\b|\bpossible (?:circular|recursive) locking (?:dependency )?detected\b`,
    origin: 'linux kernel (hung_task detector, lockdep)',
    match: [
      '[ 2418.910233] INFO: task kworker/u64:2:1881 blocked for more than 120 seconds.',
      '[ 3331.005512] WARNING: possible circular locking dependency detected',
      '[ 9120.332101] watchdog: BUG: soft lockup - CPU#7 stuck for 23s! [kworker/7:1:331]',
      '[ 1201.000301] rcu: INFO: rcu_sched self-detected stall on CPU',
    ],
    noMatch: ['kernel.hung_task_timeout_secs = 120'],
  },
  {
    name: 'db2-lock-reports',
    re: String.raw`\bSQLCODE=-91[13]\b|\bSQL091[13]N\b`,
    // Not PostgreSQL's `DETAIL: Process … waits for ShareLock …; blocked by process …`: it
    // follows the `ERROR: deadlock detected` line as a record of its own and would count twice.
    origin: 'db2',
    match: [
      'DB2 SQL Error: SQLCODE=-911, SQLSTATE=40001, SQLERRMC=2',
      'SQL0911N  The current transaction has been rolled back because of a deadlock or timeout.  Reason code "2".',
    ],
    noMatch: ['SQLCODE=0, SQLSTATE=00000'],
  },
]);

export const TIMEOUT = patternsOf('Timeout', [
  {
    name: 'timeout-exception',
    re: String.raw`\bTimeoutError\b|\bTimeoutException\b|\bTimeoutExpired\b|\b(?:Soft|Hard)?TimeLimitExceeded\b|\b(?:Soft|Hard) time limit \(\d+(?:\.\d+)?s\) exceeded\b`,
    origin: 'python (asyncio, concurrent.futures, subprocess, celery), jvm (java.util.concurrent)',
    match: [
      'TimeoutError',
      'asyncio.exceptions.TimeoutError',
      "subprocess.TimeoutExpired: Command '['ffmpeg', '-i', 'in.mp4']' timed out after 600 seconds",
      'java.util.concurrent.TimeoutException: Waited 30 seconds for SettableFuture@5e2de80c',
      'celery.exceptions.SoftTimeLimitExceeded: SoftTimeLimitExceeded()',
      'Soft time limit (300s) exceeded for visionai.tasks.render_video[8f2c-11ab]',
    ],
    noMatch: [HEALTHY.timeoutConfig, 'registered TimeoutErrorHandler for /api', 'soft_time_limit=300 time_limit=600'],
  },
  {
    name: 'deadline-exceeded',
    re: String.raw`(?i:\bcontext deadline exceeded\b)|\bdeadline has elapsed\b`,
    origin: 'go (context), rust (tokio::time::timeout)',
    match: ['context deadline exceeded', 'level=error msg="sync failed" err="context deadline exceeded"', 'Error: deadline has elapsed'],
    noMatch: ['ctx, cancel := context.WithTimeout(ctx, 30*time.Second)', 'deadline=2024-06-03T08:00:00Z'],
  },
  {
    name: 'timed-out',
    // Repeats between a common word and the rare text ({1,60}, not +) are bounded so that
    // Hyperscan can start from the rare text instead of following every 'job ' or 'could
    // not '; 60 characters covers real names, and a larger bound grows the regex engine's DFA.
    re: String.raw`(?i:\boperation (?:has )?timed out\b)|(?i:\b(?:task|job|step|command|build|query|script|process|function|test|hook|activity|workflow) (?:[\w.:/-]{1,60} )?(?:has )?timed out\b)|(?i:\btimed out retrying\b)|\bTimeout \d+ ?ms exceeded\b|(?i:\btimeout (?:\(\d+s\) )?(?:waiting|while waiting) for\b)|(?i:\btimed out (?:after|waiting)\b)|(?i:\bexceeded timeout of \d+)|(?i:\b(?:navigation|waiting|script|protocol) timeout of \d+ ?ms exceeded\b)|\bError: Timeout of \d+ ?ms exceeded\b|\bWORKER TIMEOUT\b|(?i:\bdid not (?:complete|finish|respond) with ?in \d+)|(?i:\bexecution took longer than\b)`,
    origin: 'generic, aws lambda, kubernetes, puppeteer, jest/mocha, gunicorn',
    match: [
      "Error: Timeout of 2000ms exceeded. For async tests and hooks, ensure \"done()\" is called",
      "render step did not complete within 300 seconds, cancelling",
      'Task timed out after 30.03 seconds',
      'timed out waiting for the condition',
      'java.util.concurrent.TimeoutException: Futures timed out after [300 seconds]',
      'TimeoutError: Navigation timeout of 30000 ms exceeded',
      'thrown: "Exceeded timeout of 5000 ms for a test.',
      '[2024-04-02 10:15:07 +0000] [17] [CRITICAL] WORKER TIMEOUT (pid:42)',
      'System.TimeoutException: The operation has timed out.',
      'CypressError: Timed out retrying after 4000ms: Expected to find element: #submit',
      'page.click: Timeout 30000ms exceeded.',
      'fatal: [web-1]: FAILED! => {"msg": "Timeout (12s) waiting for privilege escalation prompt: "}',
      'activity ProcessPayment has timed out (StartToClose)',
    ],
    noMatch: [
      "2015-07-30 20:06:34,001 - INFO  [SessionTracker:ZooKeeperServer@325] - Expiring session 0x24ede63a01b003b, timeout of 10000ms exceeded",HEALTHY.timeoutConfig, 'request completed in 12ms (timeout 30000ms)', 'gunicorn --timeout 120 app:wsgi'],
  },
  {
    name: 'job-time-limit',
    // Word repeats before the rare text bounded, as in 'timed-out' above.
    // A task, job or script killed or failed for running past its limit: CI runners, batch
    // schedulers, Kubernetes Jobs, PHP, Airflow/Polly timeout classes, cloud builds,
    // Ansible async tasks, Terraform waiters.
    re: String.raw`(?i:\bexceeded the maximum (?:execution|run|running|allowed) time\b)|(?i:\bmaximum execution time of \d+ seconds? exceeded\b)|\bwas active longer than specified deadline\b|\b[A-Z]\w{0,60}TaskTimeout\b|\bTimeout\w{0,60}Exception\b|(?i:\bdid not (?:complete|finish|return|respond) with ?in (?:the )?(?:requested|allotted|specified|configured|given) (?:time|timeout)\b)|(?i:\bdid not complete within the (?:\w+ )?timeout\b)|(?i:\btimeout while waiting for (?:state|resource|the|condition)\b)|\b(?:completed|finished|ended) with status "?TIMEOUT\b|(?i:\bbuild timed out\b)|\bDUE TO TIME LIMIT\b|\bwalltime \d+ exceeded limit\b|\bStates\.Timeout\b|\bmaximum statement execution time exceeded\b|\bMaxTimeMSExpired\b|(?i:\boperation exceeded time limit\b)|\bThe timeout period elapsed prior to completion\b|\bFunctionTimedOut\b|\bstatus[=: ]+"?TIMED_?OUT\b|(?i:\b(?:reached|exceeded|hit) (?:its|the) (?:(?:statement|warehouse|query|execution|session|idle|or) ){0,4}timeout\b)|(?i:\bexceeded (?:the )?(?:maximum |max )?(?:\w{1,60} )?time limit\b)|(?i:\breached (?:the )?(?:elapsed |CPU |wall ?clock |execution )?time limit\b)|(?i:\bexpired before completing\b)`,
    origin: 'github actions, gitlab/jenkins, slurm, kubernetes jobs, php, airflow, polly, gcloud, ansible, terraform',
    match: [
      '##[error]The job running on runner build-3 has exceeded the maximum execution time of 60 minutes.',
      'PHP Fatal error:  Maximum execution time of 60 seconds exceeded in /srv/app/cron.php on line 12',
      'Warning  DeadlineExceeded  job-controller  Job was active longer than specified deadline',
      'airflow.exceptions.AirflowTaskTimeout: Timeout, PID: 1200',
      'Polly.Timeout.TimeoutRejectedException: The delegate executed asynchronously through TimeoutPolicy did not complete within the timeout.',
      'fatal: [web-2]: FAILED! => {"msg": "async task did not complete within the requested time - 120s"}',
      'Error: waiting for EKS Node Group create: timeout while waiting for state to become \'ACTIVE\' (last state: \'CREATING\', timeout: 1h0m0s)',
      'ERROR: (gcloud.builds.submit) build 1f2e completed with status "TIMEOUT"',
      'Build timed out (after 30 minutes). Marking the build as failed.',
      'slurmstepd: error: *** JOB 88121 ON node17 CANCELLED AT 2025-02-01T04:00:00 DUE TO TIME LIMIT ***',
      '=>> PBS: job killed: walltime 3641 exceeded limit 3600',
      'ERROR 3024 (HY000): Query execution was interrupted, maximum statement execution time exceeded',
      'MongoServerError: operation exceeded time limit (code 50, MaxTimeMSExpired)',
      'Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
      'export did not complete within the configured timeout of 900 seconds',
      'Query 88 was cancelled: it reached the statement timeout of 600 seconds',
      'Query 20250101_000000_00001_xyz failed: Query exceeded the maximum execution time limit of 30.00m',
      'Error in f(x) : reached CPU time limit',
      'Checkpoint 77 of job 4b1e expired before completing.',
    ],
    noMatch: [HEALTHY.timeoutConfig, 'activeDeadlineSeconds: 3600', 'max_execution_time = 30', 'job finished with status "SUCCESS" in 4m', 'registered TimeoutExceptionMapper', 'STATEMENT_TIMEOUT_IN_SECONDS = 3600', 'query.max-execution-time=1h', 'Completed checkpoint 77 for job 4b1e (12 KB in 310 ms).'],
  },
  {
    name: 'db-statement-timeout',
    re: String.raw`canceling statement due to statement timeout|terminating connection due to idle-in-transaction timeout`,
    origin: 'postgresql',
    match: ['2024-06-03 08:13:00.001 UTC [8830] ERROR:  canceling statement due to statement timeout'],
    noMatch: ["SET statement_timeout = '30s'"],
  },
  {
    name: 'systemd-timeout',
    re: String.raw`\b(?:start|stop|start-pre|start-post) operation timed out\b|\bFailed with result 'timeout'|\bWatchdog timeout \(limit `,
    origin: 'systemd',
    match: [
      'systemd[1]: api.service: start operation timed out. Terminating.',
      "systemd[1]: api.service: Failed with result 'timeout'.",
      'systemd[1]: api.service: Watchdog timeout (limit 30s)!',
    ],
    noMatch: ['TimeoutStartSec=90', 'WatchdogSec=30s'],
  },
  {
    name: 'timeout-reached',
    re: String.raw`(?i:\ba timeout (?:was reached|occurred|has occurred|expired)\b)|\bFailed: Timeout >[\d.]+s\b`,
    origin: 'windows service control manager, pytest-timeout, generic',
    match: ['A timeout was reached (30000 milliseconds) while waiting for the Acme service to connect.', 'E       Failed: Timeout >300.0s'],
    noMatch: ['timeout reached 0 times today', HEALTHY.timeoutConfig],
  },
  {
    name: 'transaction-and-batch-runtime',
    re: String.raw`\bTransactionReaper::check timeout for TX\b|\bRuntime error TIME_OUT\b|(?i:\bexceeded the maximum (?:permitted|allowed) (?:runtime|run time)\b)`,
    origin: 'jboss/wildfly narayana, sap-like batch',
    match: [
      'ARJUNA012117: TransactionReaper::check timeout for TX 0:ffff0a:1 in state RUN',
      'Runtime error TIME_OUT occurred in job ZBILL (step 1)',
      'the program exceeded the maximum permitted runtime of 600 seconds',
    ],
    noMatch: ['transaction reaper: 0 timeouts'],
  },
  {
    name: 'scheduler-and-mainframe-limits',
    re: String.raw`\bTERM_(?:RUNLIMIT|CPULIMIT|DEADLINE)\b|(?i:\bjob killed after reaching (?:\w+ )?(?:run ?time|cpu ?time|wall ?(?:clock|time)) limit\b)|(?i:\bfailed because a timeout was exceeded\b)|(?i:\bCPU time limit exceeded\b)|${zosAbend('322')}`,
    origin: "LSF, systemd (systemctl), SIGXCPU, z/OS (S322: CPU time limit)",
    match: [
      "TERM_CPULIMIT: job killed after reaching LSF CPU usage limit.",
      "Job for postgresql.service failed because a timeout was exceeded.",
      "bash: line 1: 4412 CPU time limit exceeded ./simulate",
      "IEF472I PAYROLL STEP2 - COMPLETION CODE - SYSTEM=322 USER=0000",
    ],
    noMatch: ["RUNLIMIT 60 minutes set for queue normal", "TimeoutStartSec=90s", "IEF142I PAYROLL STEP2 - STEP WAS EXECUTED - COND CODE 0000"],
  },
  {
    name: 'watchdog-expired',
    // A task that stopped feeding its watchdog: Zephyr task_wdt, ESP-IDF task watchdog,
    // generic firmware watchdogs.
    re: String.raw`(?i:\b(?:task )?watchdog (?:channel \d+ |timer )?(?:has )?(?:timed out|expired)\b)|(?i:\bdid not (?:feed|kick|pet|reset) (?:the )?watchdog\b)|\bTask watchdog got triggered\b`,
    origin: 'zephyr task_wdt, esp-idf task watchdog, firmware',
    match: [
      '<err> task_wdt: Task watchdog channel 2 has timed out',
      "E (30112) task_wdt: Task watchdog got triggered. The following tasks did not reset the watchdog in time:",
      "modem: task 'rx_loop' did not feed watchdog within 2000 ms",
    ],
    noMatch: ['task_wdt: channel 2 added, timeout 5000 ms', 'watchdog fed by task rx_loop', 'WatchdogSec=30s'],
  },
  {
    name: 'call-timeout-exit',
    // Erlang/Elixir: a GenServer.call that got no reply within its timeout exits the caller
    // with `timeout`; the crash report that follows names that cause, so just above ProcessCrash.
    re: String.raw`\*\* \(EXIT\) time out\b|\{timeout,\s*\{gen_(?:server|statem|event),\s*call,`,
    origin: 'elixir, erlang/otp',
    priority: 56,
    match: [
      '    ** (EXIT) time out',
      '** exception exit: {timeout,{gen_server,call,[pricing_srv,{quote,12},5000]}}',
    ],
    noMatch: ['GenServer.call(Pricing, :quote, 5000) replied in 12ms', '** (EXIT) normal'],
  },
]);
