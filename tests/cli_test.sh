#!/usr/bin/env bash
# The fsmgen command line: exit status (0 clean, 1 spec errors, 2 usage or I/O), where output goes,
# stdin, --Werror, --help and --version.
set -u
fsmgen=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

expect_status() {  # expected-status description command...
    local want=$1 what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: $what: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5
        failures=$((failures + 1))
    fi
}

expect_in() {  # file text description
    if ! grep -qF -- "$2" "$1"; then
        echo "FAIL: $3: '$2' not in $(basename "$1")"; head -5 "$1" | sed 's/^/  /'
        failures=$((failures + 1))
    fi
}

expect_status 0 "check tcp.fsm" "$fsmgen" check "$src/spec/tcp.fsm"
expect_in "$tmp/out" "states      11: CLOSED (initial)" "check prints the summary"

expect_status 0 "check from stdin" sh -c "\"$fsmgen\" check - < \"$src/tests/specs/door.fsm\""
expect_in "$tmp/out" "machine door" "stdin summary"

printf 'machine m\nevents { user: e }\ninitial state A\nA + e -> B\n' >"$tmp/bad.fsm"
expect_status 1 "spec with an error" "$fsmgen" check "$tmp/bad.fsm"
expect_in "$tmp/err" "bad.fsm:4:10: error: unknown state 'B'" "error location and message"
expect_in "$tmp/err" "A + e -> B" "source line is printed"

printf 'machine m\nevents { user: e, unused }\ninitial state A\nfinal state B\nA + e -> B\n' >"$tmp/warn.fsm"
expect_status 0 "warnings alone do not fail" "$fsmgen" check "$tmp/warn.fsm"
expect_in "$tmp/err" "warning: event 'unused' is declared but never used" "warning printed"
expect_status 1 "--Werror" "$fsmgen" check --Werror "$tmp/warn.fsm"
expect_in "$tmp/err" "error: event 'unused' is declared but never used" "warning became an error"

expect_status 2 "missing file" "$fsmgen" check "$tmp/does-not-exist.fsm"
expect_in "$tmp/err" "cannot open" "I/O error message"
expect_status 2 "a directory" "$fsmgen" check "$tmp"
expect_status 2 "no subcommand" "$fsmgen"
expect_status 2 "unknown option" "$fsmgen" check --frobnicate "$src/spec/tcp.fsm"
expect_status 2 "unknown target" "$fsmgen" emit -t nonsense "$src/spec/tcp.fsm"
expect_in "$tmp/err" "unknown target 'nonsense'" "unknown target message"

expect_status 0 "--help" "$fsmgen" --help
expect_in "$tmp/out" "check" "help lists subcommands"
expect_status 0 "emit --help lists targets" "$fsmgen" emit --help
expect_in "$tmp/out" "json:" "targets listed"
expect_status 0 "--version" "$fsmgen" --version
expect_in "$tmp/out" "fsmgen " "version printed"

expect_status 0 "emit json to a file" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/sub/door.json"
expect_in "$tmp/sub/door.json" '"machine": "door"' "json written, directory created"
expect_status 1 "emit refuses a broken spec" "$fsmgen" emit -t json "$tmp/bad.fsm" -o "$tmp/never.json"
[ -e "$tmp/never.json" ] && { echo "FAIL: output written for a broken spec"; failures=$((failures + 1)); }

# msm writes a header pair: both land next to -o, and the main one includes the light one by name.
expect_status 0 "emit msm to a file" "$fsmgen" emit -t msm "$src/tests/specs/door.fsm" -o "$tmp/msm/door_fsm.hpp"
expect_in "$tmp/msm/door_fsm.hpp" '#include "door_fsm_types.hpp"' "main header includes the light one"
expect_in "$tmp/msm/door_fsm_types.hpp" 'struct transition_row' "light header written next to it"
# On stdout the pair cannot be told apart: refused, with nothing half-written.
expect_status 2 "emit msm to stdout" "$fsmgen" emit -t msm "$src/tests/specs/door.fsm"
expect_in "$tmp/err" "target 'msm' writes several files (the main output and door_fsm_types.hpp, which it includes); give -o a path" "msm stdout refusal message"
[ -s "$tmp/out" ] && { echo "FAIL: emit msm to stdout printed part of its output"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "cli: all checks passed"
