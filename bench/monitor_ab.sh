#!/usr/bin/env bash
# Two or more tcpfsm binaries against each other and against the read loop, interleaved, on one
# capture (docs/performance.md, "tcpfsm monitor"): each round runs pcap_read_loop, then every binary
# with --threads 1 and --threads 2 (text, output to /dev/null). Per command: the median wall and CPU
# time (user + sys) of the rounds, and the median of the rounds' read loop time / its time (its
# speed against the loop's), in wall and CPU time, with each round's wall ratio. For A/B timing of a
# change on a shared machine: the rounds take turns, so that load that comes and goes hits all alike.
#
#   bench/monitor_ab.sh ROUNDS CAPTURE READ_LOOP TCPFSM...
set -euo pipefail
rounds=$1 cap=$2 loop=$3
shift 3
cmds=("$loop $cap")
for b in "$@"; do cmds+=("$b monitor --threads 1 $cap" "$b monitor --threads 2 $cap"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT='%3R %3U %3S'
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
for _ in $(seq "$rounds"); do
    for i in "${!cmds[@]}"; do
        # shellcheck disable=SC2086 # the command line is split on purpose
        { time ${cmds[$i]} >/dev/null 2>&1; } 2>"$tmp/time"
        read -r w u s <"$tmp/time"
        echo "$w $(awk "BEGIN { print $u + $s }")" >>"$tmp/$i"
    done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in "${!cmds[@]}"; do
    printf '%-60s wall %.3f s  cpu %.3f s  loop/this: wall %3.0f%%  cpu %3.0f%%  (wall, rounds: %s)\n' "${cmds[$i]}" \
        "$(cut -d' ' -f1 "$tmp/$i" | median)" "$(cut -d' ' -f2 "$tmp/$i" | median)" \
        "$(paste -d' ' "$tmp/0" "$tmp/$i" | awk '{ print 100 * $1 / $3 }' | median)" \
        "$(paste -d' ' "$tmp/0" "$tmp/$i" | awk '{ print 100 * $2 / $4 }' | median)" \
        "$(paste -d' ' "$tmp/0" "$tmp/$i" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), 100 * $1 / $3 }')"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
