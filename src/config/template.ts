// The starting config `logmedic init` writes: every section, commented, set up for the
// system the original description names (a Python GPU service, GGUF quantization levels,
// model backups).

const YAML_TEMPLATE = `# logmedic configuration. Relative paths are resolved against this file's directory.
# logmedic acts only on what is listed here: services, directories, files. Anything the log
# names that is not covered below is left alone (the step is skipped, with the reason).

# Services logmedic may restart. Commands are argv arrays, never shell strings.
services:
  processor:
    start: ["python3", "-m", "visionai.processor"]   # how to start it (detached; output to .logmedic/services/processor.log)
    pidFile: run/processor.pid                        # where its PID is kept
    # systemd: visionai-processor.service             # instead of start/pidFile: systemctl restart UNIT
    health: ["curl", "-sf", "http://127.0.0.1:8080/health"]   # exits 0 when healthy
    loggers: ["visionai_processor", "model_loader"]  # log records from these loggers belong to it
    stopTimeoutSeconds: 10                            # SIGTERM, then SIGKILL after this long
    healthTimeoutSeconds: 30                          # how long the health check may take to pass
    # default: true                                   # restart it also for records that name no service (off: only records attributable to it)

# clean_cache deletes files (oldest first) only inside these directories.
cache:
  dirs: ["cache/"]
  minFreeBytes: 10737418240        # stop once the filesystem has 10 GiB free

# restore_backup: backups live in dir; only files under "files" may be restored.
backups:
  dir: backups/
  files: ["models/", "configs/"]

# reduce_quant: one step down the ladder (highest quality first) in file, at the dotted key.
quantization:
  file: configs/hardware_adaptive_config.yaml
  key: quantization
  ladder: ["FP16", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"]
  levelsDir: models/visionai/quantized   # optional: the target level's directory must exist here

# fix_permissions: only paths under these roots.
permissions:
  roots: ["data/", "models/"]
  fileMode: "0644"
  dirMode: "0755"
  owner: null                      # "user" or "user:group"; applied only when logmedic runs as root

# clear_deadlocks: stale lock files (dead owner PID, or no flock held) in these directories.
locks:
  dirs: ["run/"]
  names: ["*.lock", "*.lck", "*.pid", "LOCK"]
  minAgeSeconds: 10
  # dumpCommand: ["py-spy", "dump", "--pid", "{pid}"]   # stack dump of a hung process

# free_gpu_memory: signal the services' GPU processes (SIGUSR1 asks the app to empty its cache).
gpu:
  signal: SIGUSR1
  endOrphans: false                # true: also SIGTERM orphaned GPU processes of gpu.user
  # user: visionai
  settleSeconds: 5

policy:
  cooldownSeconds: 300             # the same action on the same target at most once per 5 minutes
  circuit:
    maxAttempts: 3                 # after 3 attempts within the window the circuit opens (exit 4)
    windowSeconds: 3600
  maxActionsPerHour: 10            # all actions together

state:
  dir: .logmedic/                  # state.json, journal.jsonl, run.lock, service logs, stack dumps

# Your own actions: argv run with the record's fields in LOGMEDIC_* environment variables.
actions: {}
#  notify:
#    command: ["/usr/local/bin/page-oncall"]
#    timeoutSeconds: 30

# Which actions fit which error type (overrides the built-in map, per type).
actionMap: {}
#  Timeout: ["restart_service", "notify"]
`;

/** The starting config as YAML (commented) or JSON (notes in "$comment" fields). */
export function initTemplate(format: 'yaml' | 'json'): string {
  if (format === 'yaml') return YAML_TEMPLATE;
  const json = {
    $comment: 'logmedic configuration. Relative paths are resolved against this file\'s directory. logmedic acts only on what is listed here.',
    services: {
      processor: {
        $comment: 'argv arrays, never shell strings; or "systemd": "unit.service" instead of start/pidFile',
        start: ['python3', '-m', 'visionai.processor'],
        pidFile: 'run/processor.pid',
        health: ['curl', '-sf', 'http://127.0.0.1:8080/health'],
        loggers: ['visionai_processor', 'model_loader'],
        stopTimeoutSeconds: 10,
        healthTimeoutSeconds: 30,
      },
    },
    cache: { $comment: 'clean_cache deletes only inside dirs, oldest first, until minFreeBytes are free', dirs: ['cache/'], minFreeBytes: 10737418240 },
    backups: { $comment: 'restore_backup: newest verified backup from dir, only for files under "files"', dir: 'backups/', files: ['models/', 'configs/'] },
    quantization: {
      $comment: 'reduce_quant: one step down the ladder (highest first) at the dotted key',
      file: 'configs/hardware_adaptive_config.yaml',
      key: 'quantization',
      ladder: ['FP16', 'Q5_K_M', 'Q4_K_M', 'Q3_K_M', 'Q2_K'],
      levelsDir: 'models/visionai/quantized',
    },
    permissions: { roots: ['data/', 'models/'], fileMode: '0644', dirMode: '0755', owner: null },
    locks: { dirs: ['run/'], names: ['*.lock', '*.lck', '*.pid', 'LOCK'], minAgeSeconds: 10 },
    gpu: { signal: 'SIGUSR1', endOrphans: false, settleSeconds: 5 },
    policy: { cooldownSeconds: 300, circuit: { maxAttempts: 3, windowSeconds: 3600 }, maxActionsPerHour: 10 },
    state: { dir: '.logmedic/' },
    actions: {},
    actionMap: {},
  };
  return JSON.stringify(json, null, 2) + '\n';
}
