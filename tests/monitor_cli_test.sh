#!/usr/bin/env bash
# tcpfsm monitor's command line: the golden text of a real loopback capture, JSON, standard input,
# damaged and missing files, --verify-checksums, --shard.
set -u
tcpfsm=$1
captures=$2
source "$(dirname "$0")/cli_checks.sh"

cap=$captures/lo-client-closes.pcap
expect_status 0 "text" "$tcpfsm" monitor "$cap"
if ! diff -u "$captures/lo-client-closes.txt" "$tmp/out"; then
    fail "text differs from lo-client-closes.txt"
fi
expect_in "$tmp/err" "1 capture, 10 records, 10 TCP segments, 1 connections (0 picked up mid-stream), peak 1 live" "summary on stderr"
expect_in "$tmp/err" "10 TCP segments (kept" "loopback checksums are reported bad and kept"

expect_status 0 "json" "$tcpfsm" monitor --json "$cap"
expect_in "$tmp/out" '{"conn":"127.0.0.1:45410-127.0.0.1:45111","side":"client","from":"CLOSED","to":"SYN_SENT","event":"open_active","time":1796183433.259548}' "first transition"
expect_in "$tmp/out" '"client":"TIME_WAIT","server":"CLOSED","start_seen":true,"conn_state":"SF","bytes_client_to_server":5,"bytes_server_to_client":6' "final object"
expect_count "$tmp/out" '"side":' 11 "one object per state change"

expect_status 0 "standard input" sh -c "\"$tcpfsm\" monitor - < \"$cap\""
expect_in "$tmp/out" "final: client TIME_WAIT, server CLOSED; SF" "stdin is read"

expect_status 0 "--verify-checksums drops loopback's unfilled checksums" "$tcpfsm" monitor --verify-checksums "$cap"
expect_in "$tmp/err" "10 dropped for a bad checksum" "dropped count"
expect_in "$tmp/err" "0 connections" "nothing left"

head -c 700 "$cap" >"$tmp/cut.pcap"
expect_status 0 "a truncated file" "$tcpfsm" monitor "$tmp/cut.pcap"
expect_in "$tmp/err" "reading stopped early" "truncation reported"
expect_in "$tmp/out" "final: client" "what was read is reported"

expect_status 1 "missing file" "$tcpfsm" monitor "$tmp/none.pcap"
expect_in "$tmp/err" "none.pcap" "names the file"
echo "not a capture" >"$tmp/text.pcap"
expect_status 1 "not a capture" "$tcpfsm" monitor "$tmp/text.pcap"
expect_status 1 "one bad file of two: nothing is read" "$tcpfsm" monitor "$cap" "$tmp/none.pcap"
expect_count "$tmp/out" "final" 0 "no output"

expect_status 0 "shard 0/2" "$tcpfsm" monitor --shard 0/2 "$cap"
n0=$(grep -c "final:" "$tmp/out")
expect_status 0 "shard 1/2" "$tcpfsm" monitor --shard 1/2 "$cap"
n1=$(grep -c "final:" "$tmp/out")
if [ $((n0 + n1)) != 1 ]; then
    fail "two shards reported $n0 + $n1 connections, want 1"
fi
expect_status 2 "bad shard" "$tcpfsm" monitor --shard 2/2 "$cap"

finish "monitor cli"
