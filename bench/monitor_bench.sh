#!/usr/bin/env bash
# tcpfsm monitor throughput and memory, against baselines in the same run (docs/performance.md,
# section "tcpfsm monitor"). Generates a realistic capture of SEGMENTS segments, then measures:
#   - pcap_read_loop: libpcap reading every record and nothing else (the floor),
#   - tcpfsm monitor (text) and tcpfsm monitor --json, output to /dev/null,
#   - tshark -r FILE -q -z conv,tcp, if tshark is installed (it is not a build dependency).
# Wall time and CPU time (user + sys) are the best of RUNS runs (tshark: one run); the CPU time is
# the steadier figure on a shared machine. Peak memory is the largest resident set.
#
#   bench/monitor_bench.sh [BUILD_DIR (build)] [SEGMENTS (1000000)] [RUNS (3)]
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
runs=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cap=$tmp/bench.pcap

"$build/bench/monitor_capture_gen" "$cap" "$n"
segments=$("$build/bench/pcap_read_loop" "$cap" | cut -d' ' -f1)
size=$(du -m "$cap" | cut -f1)
echo "capture: $segments segments, $size MB ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# measure LABEL RUNS COMMAND...: sets wall, cpu, rss (best wall, best cpu, largest rss).
measure() {
    local label=$1 times=$2
    shift 2
    wall=999999 cpu=999999 rss=0
    for _ in $(seq "$times"); do
        /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"
        read -r e u s m <"$tmp/time"
        wall=$(calc "($e < $wall) ? $e : $wall")
        cpu=$(calc "($u + $s < $cpu) ? $u + $s : $cpu")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    printf '%-24s wall %7.2f s %9.0f segments/s   cpu %7.2f s %9.0f segments/s   peak RSS %6.1f MB\n' \
        "$label" "$wall" "$(calc "$segments / $wall")" "$cpu" "$(calc "$segments / $cpu")" "$(calc "$rss / 1024")"
}

cat "$cap" >/dev/null  # into the page cache
measure "pcap_read_loop" "$runs" "$build/bench/pcap_read_loop" "$cap"
read_wall=$wall read_cpu=$cpu
measure "tcpfsm monitor" "$runs" "$build/runtime/tcpfsm" monitor "$cap"
measure "tcpfsm monitor --json" "$runs" "$build/runtime/tcpfsm" monitor --json "$cap"
mon_wall=$wall mon_cpu=$cpu
head -n 1 "$tmp/err"
printf 'monitor --json speed / read loop speed: %.0f%% (wall), %.0f%% (cpu)\n' \
    "$(calc "100 * $read_wall / $mon_wall")" "$(calc "100 * $read_cpu / $mon_cpu")"
if command -v tshark >/dev/null; then
    measure "tshark -q -z conv,tcp" 1 tshark -r "$cap" -q -z conv,tcp
    printf 'monitor --json speed / tshark speed: %.1fx (wall), %.1fx (cpu)\n' \
        "$(calc "$wall / $mon_wall")" "$(calc "$cpu / $mon_cpu")"
else
    echo "tshark not installed (apt-get install tshark) : no comparison"
fi
