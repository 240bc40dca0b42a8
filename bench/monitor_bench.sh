#!/usr/bin/env bash
# tcpfsm monitor throughput and memory, against baselines in the same run (docs/performance.md,
# section "tcpfsm monitor"). Generates a realistic capture of SEGMENTS segments, then measures:
#   - pcap_read_loop: libpcap reading every record and nothing else (the floor),
#   - tcpfsm monitor (text) and tcpfsm monitor --json, output to /dev/null,
#   - tshark -r FILE -q -z conv,tcp, if tshark is installed (it is not a build dependency).
# The read loop and the monitor take turns for RUNS rounds; wall and CPU time (user + sys) are the
# best of them, and the speed ratio is the median of the rounds' CPU ratios (tshark: best of 3). CPU
# time is the steadier figure on a shared machine. Peak memory is the largest resident set.
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

# time_cpu COMMAND...: the CPU time (user + sys) of one run into $cpu, its wall time into $wall, its
# peak resident set (kB) into $rss.
time_cpu() {
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"
    read -r wall u s rss <"$tmp/time"
    cpu=$(calc "$u + $s")
}

# The three commands take turns, RUNS rounds: on a shared machine, load that comes and goes then
# hits all three alike. Per command: best wall and CPU time, largest RSS; per round, the ratio of
# the read loop's CPU time to the monitor's (= monitor speed / read loop speed); the median of those
# is the figure to quote.
labels=("pcap_read_loop" "tcpfsm monitor" "tcpfsm monitor --json")
commands=("$build/bench/pcap_read_loop $cap" "$build/runtime/tcpfsm monitor $cap" "$build/runtime/tcpfsm monitor --json $cap")
best_wall=(999999 999999 999999) best_cpu=(999999 999999 999999) peak=(0 0 0)
: >"$tmp/ratios_text"
: >"$tmp/ratios_json"
for _ in $(seq "$runs"); do
    round=()
    for i in 0 1 2; do
        # shellcheck disable=SC2086 # the command line is split on purpose
        time_cpu ${commands[$i]}
        round[$i]=$cpu
        best_wall[$i]=$(calc "($wall < ${best_wall[$i]}) ? $wall : ${best_wall[$i]}")
        best_cpu[$i]=$(calc "($cpu < ${best_cpu[$i]}) ? $cpu : ${best_cpu[$i]}")
        [ "$rss" -gt "${peak[$i]}" ] && peak[$i]=$rss
        [ "$i" = 2 ] && head -n 1 "$tmp/err" >"$tmp/report"
    done
    echo "$(calc "100 * ${round[0]} / ${round[1]}")" >>"$tmp/ratios_text"
    echo "$(calc "100 * ${round[0]} / ${round[2]}")" >>"$tmp/ratios_json"
done
for i in 0 1 2; do
    printf '%-24s wall %7.2f s %9.0f segments/s   cpu %7.2f s %9.0f segments/s   peak RSS %6.1f MB\n' \
        "${labels[$i]}" "${best_wall[$i]}" "$(calc "$segments / ${best_wall[$i]}")" "${best_cpu[$i]}" \
        "$(calc "$segments / ${best_cpu[$i]}")" "$(calc "${peak[$i]} / 1024")"
done
cat "$tmp/report"
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'monitor speed / read loop speed (CPU, median of %d rounds): text %.0f%%, --json %.0f%% (per round: %s)\n' \
    "$runs" "$(median "$tmp/ratios_text")" "$(median "$tmp/ratios_json")" "$(sort -n "$tmp/ratios_json" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 }')"
mon_wall=${best_wall[2]} mon_cpu=${best_cpu[2]}
if command -v tshark >/dev/null; then
    # Its best of 3 runs (about 15 s each) against the monitor's best.
    t_wall=999999 t_cpu=999999
    for _ in 1 2 3; do
        time_cpu tshark -r "$cap" -q -z conv,tcp
        t_wall=$(calc "($wall < $t_wall) ? $wall : $t_wall")
        t_cpu=$(calc "($cpu < $t_cpu) ? $cpu : $t_cpu")
    done
    printf '%-24s wall %7.2f s %9.0f segments/s   cpu %7.2f s %9.0f segments/s   peak RSS %6.1f MB\n' \
        "tshark -q -z conv,tcp" "$t_wall" "$(calc "$segments / $t_wall")" "$t_cpu" "$(calc "$segments / $t_cpu")" "$(calc "$rss / 1024")"
    printf 'monitor --json speed / tshark speed (best runs): %.1fx (wall), %.1fx (cpu)\n' \
        "$(calc "$t_wall / $mon_wall")" "$(calc "$t_cpu / $mon_cpu")"
else
    echo "tshark not installed (apt-get install tshark) : no comparison"
fi
