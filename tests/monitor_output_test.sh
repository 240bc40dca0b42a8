#!/usr/bin/env bash
# tcpfsm monitor's whole output, byte for byte, against reviewed golden files (tests/monitor_golden/):
# text, --json, --anomalies and --verify-checksums, stdout and stderr, on every capture of
# tests/captures, on all of them read as one stream, on a small capture of the benchmark's generator
# and on a damaged copy of it (records left out, dropped, cut, bit-flipped, repeated, reordered, the
# file cut in its last record), also read from standard input. It guards the monitor's speed work:
# none of it may change a byte.
#
#   monitor_output_test.sh TCPFSM CAPTURES_DIR GOLDEN_DIR GENERATOR DAMAGER
#
# MONITOR_GOLDEN_UPDATE=1 rewrites the golden files instead; review their diff before committing it.
set -u
tcpfsm=$(realpath "$1")
captures=$(realpath "$2")
golden=$(realpath "$3")
generator=$(realpath "$4")
damager=$(realpath "$5")
source "$(dirname "$0")/cli_checks.sh"

modes=("" "--json" "--anomalies" "--json --anomalies --verify-checksums")

# [stdin=FILE] run NAME DIR ARGS...: every mode on ARGS (capture names relative to DIR), on one thread and with
# the reading thread (--threads 1 and 2), each into $tmp/NAME.out and compared with the golden file.
run() {
    local name=$1 dir=$2
    shift 2
    local threads mode
    for threads in 1 2; do
        : >"$tmp/$name.out"
        for mode in "${modes[@]}"; do
            echo "## tcpfsm monitor ${mode:+$mode }$*" >>"$tmp/$name.out"
            # shellcheck disable=SC2086  # a mode is several words
            (cd "$dir" && "$tcpfsm" monitor --threads $threads $mode "$@" <"${stdin:-/dev/null}" >"$tmp/stdout" 2>"$tmp/stderr")
            echo "## exit $?" >>"$tmp/$name.out"
            cat "$tmp/stdout" >>"$tmp/$name.out"
            echo "## stderr" >>"$tmp/$name.out"
            cat "$tmp/stderr" >>"$tmp/$name.out"
        done
        if [ "${MONITOR_GOLDEN_UPDATE:-0}" = 1 ] && [ "$threads" = 1 ]; then
            cp "$tmp/$name.out" "$golden/$name.out"
        elif ! cmp -s "$golden/$name.out" "$tmp/$name.out"; then
            fail "$name, --threads $threads: output differs from $golden/$name.out"
            diff -u "$golden/$name.out" "$tmp/$name.out" | head -20
        fi
    done
}

fixtures=()
for cap in "$captures"/*.pcap; do
    fixtures+=("$(basename "$cap")")
    run "$(basename "$cap" .pcap)" "$captures" "$(basename "$cap")"
done

gen=$tmp/gen
mkdir -p "$gen"
"$generator" "$gen/generated.pcap" 2000 7 2>/dev/null || fail "the generator failed"
"$damager" "$gen/generated.pcap" "$gen/full-damaged.pcap" 11 || fail "the damager failed"
# The file ends in the middle of its last record.
head -c $(($(wc -c <"$gen/full-damaged.pcap") - 7)) "$gen/full-damaged.pcap" >"$gen/damaged.pcap"
run generated "$gen" generated.pcap
run damaged "$gen" damaged.pcap
# Standard input (stdio's own buffer, not the reader's), and several captures read as one stream.
modes=("--anomalies")
run all-fixtures "$captures" "${fixtures[@]}"
stdin=$gen/damaged.pcap run damaged-stdin "$gen" -
# Standard input that is not a capture, after a capture: exit 1 where it fails.
echo "not a capture" >"$gen/text"
stdin=$gen/text run stdin-not-a-capture "$gen" generated.pcap -
run generated-then-damaged "$gen" generated.pcap damaged.pcap

# A capture long enough that the connections held at its end fill several of the chunks that
# --threads 2 formats on two threads in turn (512 each): the same output as one thread, text and
# JSON, with the anomalies (no golden file: the two settings are compared with each other).
"$generator" "$gen/long.pcap" 100000 3 2>/dev/null || fail "the generator failed (100,000 segments)"
for mode in "--anomalies" "--json --anomalies"; do
    for threads in 1 2; do
        # shellcheck disable=SC2086  # a mode is several words
        "$tcpfsm" monitor --threads $threads $mode "$gen/long.pcap" >"$tmp/long.$threads" 2>&1
        echo "## exit $?" >>"$tmp/long.$threads"
    done
    cmp -s "$tmp/long.1" "$tmp/long.2" || fail "long capture, $mode: --threads 2 differs from --threads 1"
    [ "$(grep -c '^## exit 0' "$tmp/long.1")" = 1 ] || fail "long capture, $mode: tcpfsm monitor failed"
done
rm -f "$gen/long.pcap"

finish "monitor output"
