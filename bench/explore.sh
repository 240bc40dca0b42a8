#!/usr/bin/env bash
# States per second and bytes per stored state of `tcpfsm explore` (docs/performance.md), against a
# baseline in the same run: the same scenarios over a perfect network (no loss, duplication or
# reordering), where each state costs the same work but there are far fewer of them.
#   bench/explore.sh [build-dir]
# CPU seconds and peak RSS come from GNU time; states, edges and bytes per state from --json.
set -euo pipefail
build=${1:-build}
tcpfsm="$build/runtime/tcpfsm"
[ -x "$tcpfsm" ] || { echo "bench/explore.sh: build tcpfsm first ($tcpfsm)"; exit 2; }
measure() {  # label, then tcpfsm explore arguments
  local label=$1; shift
  local json; json=$(mktemp)
  /usr/bin/time -f "%U %S %e %M" -o "$json.time" "$tcpfsm" explore --json "$@" > "$json" || true
  read -r user sys wall rss < "$json.time"
  python3 - "$label" "$json" "$user" "$sys" "$wall" "$rss" <<'PY'
import json, sys
label, path, user, sys_, wall, rss = sys.argv[1:]
r = json.load(open(path))
cpu = float(user) + float(sys_)
print("| %s | %d | %d | %d | %.1f | %.1f | %.0f | %d | %d | %d of %d | %d / %d |" % (
    label, r["states"], r["edges"], r["depth"], cpu, float(wall), r["states"] / cpu, r["bytes_per_state"],
    int(rss) // 1024, r["transitions_covered"], r["transitions_total"], len(r["deadlocks"]), len(r["violations"])))
PY
  rm -f "$json" "$json.time"
}
echo "| run | states | edges | depth | CPU s | wall s | states per CPU s | bytes per state | peak RSS MiB | rows fired | deadlocks / violations |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
measure "perfect network (baseline)" --no-loss --no-duplicate --no-reorder
measure "default: loss, duplication, reordering, 1 fault, capacity 2"
