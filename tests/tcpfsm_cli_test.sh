#!/usr/bin/env bash
# tcpfsm's usage errors: exit status 2 (as fsmgen's), CLI11's message, nothing on standard output;
# --help still exits 0.
set -u
tcpfsm=$1
source "$(dirname "$0")/cli_checks.sh"

expect() {  # status stderr description command...
    local want_status=$1 want_err=$2 what=$3
    shift 3
    local err status
    err=$("$@" 2>&1 >/dev/null)
    status=$?
    if [ "$status" != "$want_status" ]; then fail "$what: exit $status, want $want_status"; fi
    if [ "$err" != "$want_err" ]; then
        fail "$what: stderr is"; echo "$err" | sed 's/^/  | /'; echo "  want"; echo "$want_err" | sed 's/^/  | /'
    fi
}
expect 2 "The following argument was not expected: --frobnicate
Run with --help for more information." "unknown option" "$tcpfsm" simulate --frobnicate
expect 2 "--loss: Value 3 not in range 0.000000 to 0.950000
Run with --help for more information." "option out of range" "$tcpfsm" simulate --loss 3
expect 2 "A subcommand is required
Run with --help for more information." "no subcommand" "$tcpfsm"
expect 0 "" "--help" "$tcpfsm" --help
printf '{"instances": ["a", "b"], "steps": [' > "$tmp/cut.json"
expect 2 "$tmp/cut.json: error: not a trail of \`fsmgen trail --json\`: [json.exception.parse_error.101] parse error at line 1, column 37: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal" \
    "a trail cut short" "$tcpfsm" simulate --trail "$tmp/cut.json"
expect 2 "tcpfsm: cannot read $tmp/none.json" "a trail that is not there" "$tcpfsm" simulate --trail "$tmp/none.json"
finish "tcpfsm cli"
