#!/usr/bin/env bash
# Whole-process rounds on one big log: `wc -l`, then `logmedic analyze --json` with each
# engine, each command in turn per round, and the medians of user+sys CPU and wall time.
# Every analysis must print the same JSON (leaving out elapsedMs and engine) or the run stops.
#
#   bench/gib-rounds.sh LOG [ROUNDS] [EXTRA ANALYZE ARGS...]
#   node dist/cli/main.js genlog --size 1073 -o g1g.log --force && bench/gib-rounds.sh g1g.log 5
set -euo pipefail
log=$1
rounds=${2:-5}
shift $(( $# >= 2 ? 2 : 1 ))
cli="$(dirname "$0")/../dist/cli/main.js"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
timed() { # label command...: one line "label user sys wall maxrss_kB" on stdout
  local label=$1; shift
  /usr/bin/time -o "$out/t" -f "$label %U %S %e %M" "$@" > "$out/stdout" 2>/dev/null || true
  cat "$out/t" | grep -v '^Command exited'
}
answer() { node -e 'const j=JSON.parse(require("fs").readFileSync(0,"utf8"));const drop=(o)=>{if(Array.isArray(o))return o.map(drop);if(o&&typeof o==="object"){const r={};for(const k of Object.keys(o).sort()){if(k!=="elapsedMs"&&k!=="engine")r[k]=drop(o[k]);}return r;}return o;};process.stdout.write(JSON.stringify(drop(j)))' < "$out/stdout"; }
for ((r = 1; r <= rounds; r++)); do
  timed wc-l wc -l "$log"
  for engine in hyperscan regex; do
    timed "analyze-$engine" node "$cli" analyze "$log" --json --engine "$engine" "$@"
    answer > "$out/answer-$engine-$r"
    if ! cmp -s "$out/answer-$engine-$r" "$out/answer-hyperscan-1"; then
      echo "analyze --engine $engine (round $r) answered differently" >&2
      exit 1
    fi
  done
  echo "# $(cut -d' ' -f1-3 /proc/loadavg) load average"
done | tee "$out/rounds"
echo "# medians: label, CPU s (user+sys), wall s, peak RSS MiB"
grep -v '^#' "$out/rounds" | awk '{cpu[$1] = cpu[$1] " " ($2 + $3); wall[$1] = wall[$1] " " $4; rss[$1] = $5}
  END { for (k in cpu) print k, cpu[k] "|" wall[k] "|" rss[k] }' | sort | while IFS='|' read -r cpus walls rss; do
  label=${cpus%% *}
  med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  printf '%s %s %s %.0f\n' "$label" "$(echo "${cpus#* }" | med)" "$(echo "$walls" | med)" "$(echo "$rss / 1024" | bc -l)"
done
