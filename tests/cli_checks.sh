# The checks the command-line tests share (sourced by cli_test.sh, monitor_cli_test.sh and
# tcpfsm_cli_test.sh): each check counts a failure and says why, so that one run lists them all;
# `finish NAME` exits 1 when any failed.
# $tmp: a scratch directory, removed on exit; expect_status leaves the command's output in $tmp/out
# and $tmp/err.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {  # message
    echo "FAIL: $1"
    failures=$((failures + 1))
}

expect_status() {  # expected-status description command...
    local want=$1 what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "$what: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5
    fi
}

expect_in() {  # file text description
    if ! grep -qF -- "$2" "$1"; then
        fail "$3: '$2' not in $(basename "$1")"; head -5 "$1" | sed 's/^/  /'
    fi
}

expect_count() {  # file text count description
    local got
    got=$(grep -cF -- "$2" "$1")
    [ "$got" = "$3" ] || fail "$4: '$2' $got times, want $3"
}

finish() {  # name of the test
    if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
    echo "$1: all checks passed"
}
