#!/usr/bin/env bash
# tcpfsm monitor with its two threads pinned to different cores (docs/performance.md, "The hand-over
# between the two threads"): the calling (tracking) thread on core 0, the reading thread moved to
# core 1 right after it starts; --threads 1 on core 0 for comparison. On a loaded machine this still
# shows what the hand-over between two cores costs in CPU time, where unpinned runs share one core.
# Each round runs every binary with --threads 1 and 2 on COPIES copies of CAPTURE read as one stream;
# one line per round: wall, user and sys seconds of each (/usr/bin/time).
#
#   bench/monitor_pinned.sh CAPTURE COPIES ROUNDS TCPFSM...
set -euo pipefail
cap=$1 copies=$2 rounds=$3
shift 3
files=()
for ((i = 0; i < copies; i++)); do files+=("$cap"); done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
    line="$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    for bin in "$@"; do
        for threads in 1 2; do
            /usr/bin/time -o "$out" -f "%e %U %S" taskset -c 0 "$bin" monitor --threads "$threads" "${files[@]}" \
                >/dev/null 2>&1 &
            timer=$!
            sleep 0.03
            pid=$(pgrep -P "$timer" || true)
            if [ -n "$pid" ]; then
                for task in /proc/"$pid"/task/*; do
                    tid=${task##*/}
                    if [ "$tid" != "$pid" ]; then taskset -pc 1 "$tid" >/dev/null 2>&1 || true; fi
                done
            fi
            wait "$timer"
            line="$line | $bin --threads $threads: $(cat "$out")"
        done
    done
    echo "$line"
done
