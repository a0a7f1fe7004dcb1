#!/usr/bin/env bash
# free_gpu_memory against a real GPU (not part of `npm test`): run it where nvidia-smi works.
#
#   test/gpu/run-gpu-actions.sh                 # run the checks
#   test/gpu/run-gpu-actions.sh --record DIR    # also save the two nvidia-smi queries as fixtures
#
# With PyTorch: starts a "service" that fills ~2 GiB of CUDA cache and empties it on SIGUSR1,
# and an orphaned GPU process; then `logmedic recover --yes` must signal the first (memory used
# drops), end the orphan (SIGTERM), and leave every other GPU process alone. Without PyTorch it
# checks the parsing of the real output and the dry-run plan only. Exit 0 = all checks passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

command -v nvidia-smi >/dev/null || { echo "SKIP: nvidia-smi not found (no GPU here)"; exit 0; }
nvidia-smi --query-gpu=index,name,memory.used,memory.total --format=csv,noheader || fail "nvidia-smi does not answer"

APPS_Q=(--query-compute-apps=pid,process_name,used_memory --format=csv,noheader,nounits)
GPU_Q=(--query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits)
if [[ "${1:-}" == "--record" ]]; then
  mkdir -p "$2"
  name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr ' ' '-' | tr -cd 'A-Za-z0-9-')
  nvidia-smi "${APPS_Q[@]}" > "$2/$name-compute-apps.csv"
  nvidia-smi "${GPU_Q[@]}" > "$2/$name-gpu.csv"
  ok "recorded $2/$name-{compute-apps,gpu}.csv"
fi

WORK=$(mktemp -d /tmp/logmedic-gpu-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
TSX=$(node --input-type=module -e "console.log(import.meta.resolve('tsx'))")
LOGMEDIC=(node --import "$TSX" "$ROOT/src/cli/main.ts")
mkdir -p "$WORK/run"

# The real output parses the way the action reads it.
node --import tsx -e "
  const { parseComputeApps, parseGpuMemory } = await import('$ROOT/src/recovery/actions/free-gpu-memory.ts');
  const { execFileSync } = await import('node:child_process');
  const gpus = parseGpuMemory(execFileSync('nvidia-smi', $(printf '%s' "[\"${GPU_Q[0]}\",\"${GPU_Q[1]}\"]"), { encoding: 'utf8' }));
  const apps = parseComputeApps(execFileSync('nvidia-smi', $(printf '%s' "[\"${APPS_Q[0]}\",\"${APPS_Q[1]}\"]"), { encoding: 'utf8' }));
  if (gpus.length === 0 || gpus.some((g) => !(g.totalMiB > 0))) { console.error('bad GPU parse', gpus); process.exit(1); }
  console.log('parsed', gpus.length, 'GPU(s),', apps.length, 'compute process(es)');
" || fail "parsing real nvidia-smi output"
ok "real output parses"

cat > "$WORK/diagnosis.json" <<JSON
{"schema":1,"files":["gpu.log"],"bytes":1,"lines":1,"elapsedMs":0,"engine":"regex","changed":[],
 "errors":[{"type":"GPUError","count":1,"first":{"line":1,"file":"gpu.log"},"last":{"line":1,"file":"gpu.log"},
  "messages":[],"timeline":[],"actions":[],
  "samples":[{"type":"GPUError","patternId":"t","file":"gpu.log","line":1,"endLine":1,"offset":0,"logger":"gpu_service",
   "message":"torch.OutOfMemoryError: CUDA out of memory.","text":"","frames":[],
   "objects":{"paths":[],"hosts":[],"ports":[],"pids":[],"services":[],"devices":["cuda:0"]}}]}]}
JSON

if ! python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  cat > "$WORK/logmedic.config.json" <<JSON
{"services":{"gpu_service":{"start":["true"],"pidFile":"run/svc.pid","loggers":["gpu_service"]}},"actionMap":{"GPUError":["free_gpu_memory"]}}
JSON
  out=$(cd "$WORK" && "${LOGMEDIC[@]}" recover --diagnosis diagnosis.json --dry-run --json)
  echo "$out" | grep -q '"action": "free_gpu_memory"' || fail "no free_gpu_memory step in the plan"
  echo "SKIP (partly): PyTorch with CUDA not available; only parsing and the dry-run plan were checked"
  exit 0
fi

# A service that keeps ~2 GiB in PyTorch's CUDA cache and releases it on SIGUSR1.
cat > "$WORK/holder.py" <<'PY'
import os, signal, sys, time, torch
x = torch.empty(2 * 1024**3, dtype=torch.uint8, device="cuda"); del x   # freed, but cached
def release(*_):
    torch.cuda.empty_cache()
    open(sys.argv[1], "w").write(str(torch.cuda.memory_reserved()))
signal.signal(signal.SIGUSR1, release)
open(sys.argv[1] + ".ready", "w").write(str(os.getpid()))
while True: time.sleep(1)
PY
python3 "$WORK/holder.py" "$WORK/released" & SVC=$!; PIDS+=("$SVC")
echo "$SVC" > "$WORK/run/svc.pid"
# An orphan: its parent shell exits at once, so init adopts it.
ORPHAN=$(sh -c "python3 '$WORK/holder.py' '$WORK/orphan-signalled' >/dev/null 2>&1 & echo \$!"); PIDS+=("$ORPHAN")
for _ in $(seq 1 120); do [[ -f "$WORK/released.ready" && -f "$WORK/orphan-signalled.ready" ]] && break; sleep 0.5; done
[[ -f "$WORK/released.ready" ]] || fail "the GPU holder did not start"
sleep 2
nvidia-smi "${APPS_Q[@]}" | grep -q "^$SVC," || fail "nvidia-smi does not list the holder (PID $SVC)"

cat > "$WORK/logmedic.config.json" <<JSON
{"services":{"gpu_service":{"start":["python3","holder.py","released"],"pidFile":"run/svc.pid","loggers":["gpu_service"]}},
 "gpu":{"signal":"SIGUSR1","endOrphans":true,"user":"$(id -u)","settleSeconds":10},
 "actionMap":{"GPUError":["free_gpu_memory"]},"policy":{"cooldownSeconds":0}}
JSON
report=$(cd "$WORK" && "${LOGMEDIC[@]}" recover --diagnosis diagnosis.json --yes --json) || true
echo "$report" > "$WORK/../logmedic-gpu-report.json"
node -e "
  const r = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const s = r.steps.find((x) => x.action === 'free_gpu_memory');
  if (!s || s.result !== 'ok') { console.error('step:', JSON.stringify(s, null, 2)); process.exit(1); }
  if (!s.after.signalled.includes($SVC)) { console.error('service not signalled'); process.exit(1); }
  if (!s.after.ended.includes($ORPHAN)) { console.error('orphan not ended'); process.exit(1); }
  console.log('GPU memory used:', s.before.usedMiB, 'MiB before,', s.after.usedMiB, 'MiB after (released', s.after.releasedMiB, 'MiB)');
  if (!(s.after.usedMiB < s.before.usedMiB)) { console.error('memory did not drop'); process.exit(1); }
" <<< "$report" || fail "free_gpu_memory on a real GPU"
[[ -f "$WORK/released" ]] || fail "the service did not receive SIGUSR1"
kill -0 "$SVC" 2>/dev/null || fail "the service was ended; it should only have been signalled"
for _ in $(seq 1 20); do kill -0 "$ORPHAN" 2>/dev/null || break; sleep 0.5; done
kill -0 "$ORPHAN" 2>/dev/null && fail "the orphan survived SIGTERM"
ok "service signalled (cache emptied), orphan ended, memory released"
