#!/usr/bin/env bash
# tcpfsm monitor throughput and memory, against baselines in the same run (docs/performance.md,
# section "tcpfsm monitor"). Generates a realistic capture of SEGMENTS segments, then measures:
#   - pcap_read_loop: libpcap reading every record and nothing else (the floor), through the same
#     1 MiB stdio buffer as the monitor, and with libpcap's default buffering (4 KiB reads),
#   - tcpfsm monitor (text) and tcpfsm monitor --json, output to /dev/null, each with --threads 1 and 2,
#   - tshark -r FILE -q -z conv,tcp, if tshark is installed (it is not a build dependency).
# The read loops and the monitor take turns for RUNS rounds; wall and CPU time (user + sys) are the
# best of them, and each speed ratio is the median of the rounds' ratios (CPU and wall apart). tshark runs
# TSHARK_RUNS times, each right after a run of tcpfsm monitor --json, so that each pair shares the
# machine's load; its figures are the median and the best, and the ratio the median of the pairs'.
# CPU time is the steadier figure on a shared machine. Peak memory is the largest resident set.
#
#   bench/monitor_bench.sh [BUILD_DIR (build)] [SEGMENTS (1000000)] [RUNS (3)] [TSHARK_RUNS (5; 0: none)]
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
runs=${3:-3}
tshark_runs=${4:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cap=$tmp/bench.pcap

"$build/bench/monitor_capture_gen" "$cap" "$n"
segments=$("$build/bench/pcap_read_loop" "$cap" | cut -d' ' -f1)
size=$(du -m "$cap" | cut -f1)
echo "capture: $segments segments, $size MB ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start)"

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio_to() { calc "$2" >>"$1"; echo >>"$1"; }  # FILE EXPRESSION: one line more
listed() { sort -n "$1" | awk -v f="$2" '{ printf "%s" f, (NR > 1 ? " " : ""), $1 }'; }

# time_cpu COMMAND...: the CPU time (user + sys) of one run into $cpu, its wall time into $wall, its
# peak resident set (kB) into $rss. Times from bash's time, in milliseconds (/usr/bin/time's are in
# hundredths: 7% of a 0.15 s run), the resident set from /usr/bin/time.
time_cpu() {
    local TIMEFORMAT='%3R %3U %3S'
    { time /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/err"; } 2>"$tmp/time"
    read -r wall u s <"$tmp/time"
    read -r rss <"$tmp/rss"
    cpu=$(calc "$u + $s")
}

row() {  # LABEL WALL CPU RSS_KB
    printf '%-34s wall %7.3f s %9.0f segments/s   cpu %7.3f s %9.0f segments/s   peak RSS %6.1f MB\n' \
        "$1" "$2" "$(calc "$segments / $2")" "$3" "$(calc "$segments / $3")" "$(calc "$4 / 1024")"
}

# The commands take turns, RUNS rounds: on a shared machine, load that comes and goes then hits all
# alike. Per command: best wall and CPU time, largest RSS; per round, the ratio of a read loop's time
# to a monitor's (= monitor speed / read loop speed), in CPU time and in wall time; the median of
# those is the figure to quote. The monitor runs on one thread (--threads 1) and with its reading
# thread (--threads 2, the default on two cores or more): the second gains wall time for more CPU time.
labels=("pcap_read_loop (1 MiB buffer)" "pcap_read_loop (libpcap default)"
        "tcpfsm monitor --threads 1" "tcpfsm monitor --json --threads 1"
        "tcpfsm monitor --threads 2" "tcpfsm monitor --json --threads 2")
commands=("$build/bench/pcap_read_loop $cap" "$build/bench/pcap_read_loop $cap 0"
          "$build/runtime/tcpfsm monitor --threads 1 $cap" "$build/runtime/tcpfsm monitor --json --threads 1 $cap"
          "$build/runtime/tcpfsm monitor --threads 2 $cap" "$build/runtime/tcpfsm monitor --json --threads 2 $cap")
count=${#commands[@]}
best_wall=() best_cpu=() peak=()
for ((i = 0; i < count; i++)); do best_wall[i]=999999 best_cpu[i]=999999 peak[i]=0; done
for _ in $(seq "$runs"); do
    round_cpu=() round_wall=()
    for ((i = 0; i < count; i++)); do
        # shellcheck disable=SC2086 # the command line is split on purpose
        time_cpu ${commands[$i]}
        round_cpu[i]=$cpu round_wall[i]=$wall
        best_wall[i]=$(calc "($wall < ${best_wall[$i]}) ? $wall : ${best_wall[$i]}")
        best_cpu[i]=$(calc "($cpu < ${best_cpu[$i]}) ? $cpu : ${best_cpu[$i]}")
        [ "$rss" -gt "${peak[$i]}" ] && peak[i]=$rss
        [ "$i" = 2 ] && head -n 1 "$tmp/err" >"$tmp/report"
    done
    for ((i = 2; i < count; i++)); do
        for loop in 0 1; do
            ratio_to "$tmp/cpu_${i}_$loop" "100 * ${round_cpu[$loop]} / ${round_cpu[$i]}"
            ratio_to "$tmp/wall_${i}_$loop" "100 * ${round_wall[$loop]} / ${round_wall[$i]}"
        done
    done
done
for ((i = 0; i < count; i++)); do row "${labels[$i]}" "${best_wall[$i]}" "${best_cpu[$i]}" "${peak[$i]}"; done
cat "$tmp/report"
printf 'monitor speed / read loop speed, median of %d rounds (the rounds in brackets):\n' "$runs"
for ((i = 2; i < count; i++)); do
    for loop in 0 1; do
        printf '  %-34s against %-34s CPU %3.0f%% (%s)  wall %3.0f%% (%s)\n' "${labels[$i]}" "${labels[$loop]}" \
            "$(median "$tmp/cpu_${i}_$loop")" "$(listed "$tmp/cpu_${i}_$loop" %.0f)" \
            "$(median "$tmp/wall_${i}_$loop")" "$(listed "$tmp/wall_${i}_$loop" %.0f)"
    done
done

if [ "$tshark_runs" -gt 0 ] && command -v tshark >/dev/null; then
    : >"$tmp/t_cpu"; : >"$tmp/t_wall"; : >"$tmp/m_cpu"; : >"$tmp/m_wall"; : >"$tmp/pair_cpu"; : >"$tmp/pair_wall"
    t_rss=0
    for _ in $(seq "$tshark_runs"); do
        time_cpu "$build/runtime/tcpfsm" monitor --json "$cap"
        m_cpu=$cpu m_wall=$wall
        echo "$m_cpu" >>"$tmp/m_cpu"; echo "$m_wall" >>"$tmp/m_wall"
        time_cpu tshark -r "$cap" -q -z conv,tcp
        echo "$cpu" >>"$tmp/t_cpu"; echo "$wall" >>"$tmp/t_wall"
        [ "$rss" -gt "$t_rss" ] && t_rss=$rss
        ratio_to "$tmp/pair_cpu" "$cpu / $m_cpu"
        ratio_to "$tmp/pair_wall" "$wall / $m_wall"
    done
    t_best_cpu=$(sort -n "$tmp/t_cpu" | head -n 1) t_best_wall=$(sort -n "$tmp/t_wall" | head -n 1)
    m_best_cpu=$(sort -n "$tmp/m_cpu" | head -n 1) m_best_wall=$(sort -n "$tmp/m_wall" | head -n 1)
    row "tshark -q -z conv,tcp (best)" "$t_best_wall" "$t_best_cpu" "$t_rss"
    row "tshark -q -z conv,tcp (median)" "$(median "$tmp/t_wall")" "$(median "$tmp/t_cpu")" "$t_rss"
    printf 'tshark, %d runs: CPU %s s; wall %s s\n' "$tshark_runs" "$(listed "$tmp/t_cpu" %.2f)" "$(listed "$tmp/t_wall" %.2f)"
    printf 'tcpfsm monitor --json beside them: CPU %s s; wall %s s\n' "$(listed "$tmp/m_cpu" %.2f)" "$(listed "$tmp/m_wall" %.2f)"
    printf 'monitor --json speed / tshark speed, median of the %d pairs: %.1fx (cpu; pairs %s), %.1fx (wall; pairs %s)\n' \
        "$tshark_runs" "$(median "$tmp/pair_cpu")" "$(listed "$tmp/pair_cpu" %.1f)" \
        "$(median "$tmp/pair_wall")" "$(listed "$tmp/pair_wall" %.1f)"
    printf 'best against best: %.1fx (cpu), %.1fx (wall)\n' \
        "$(calc "$t_best_cpu / $m_best_cpu")" "$(calc "$t_best_wall / $m_best_wall")"
else
    echo "tshark not run (TSHARK_RUNS 0) or not installed (apt-get install tshark): no comparison"
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
