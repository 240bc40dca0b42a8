#!/usr/bin/env bash
# The fsmgen command line: exit status (0 clean, 1 spec errors, 2 usage or I/O), where output goes,
# stdin, --Werror, --help and --version.
set -u
fsmgen=$1
src=$2
source "$(dirname "$0")/cli_checks.sh"

expect_status 0 "check tcp.fsm" "$fsmgen" check "$src/spec/tcp.fsm"
expect_in "$tmp/out" "states      11: CLOSED (initial)" "check prints the summary"
expect_in "$tmp/out" "properties  1 safety, 1 liveness" "check counts the properties"
expect_in "$tmp/out" "instances   2: a b; 2 channel(s), 11 message(s)" "check lists the composition"

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

# The diagram flags: taken by the drawing targets, refused by the others, checked values.
expect_status 0 "diagram flags" "$fsmgen" emit -t dot --direction LR --hide-internal --only user "$src/tests/specs/door.fsm"
expect_in "$tmp/out" "rankdir=LR" "--direction LR reaches dot"
expect_status 2 "diagram flag on json" "$fsmgen" emit -t json --hide-legend "$src/tests/specs/door.fsm"
expect_in "$tmp/err" "option --hide-legend is for the diagram targets, not 'json'" "non-diagram target refuses"
expect_status 2 "unknown category" "$fsmgen" emit -t dot --only segments "$src/tests/specs/door.fsm"
expect_in "$tmp/err" "the spec has no event category of that name (it has user, timer, internal)" "unknown category lists the spec's"
expect_status 0 "a spec's own category" "$fsmgen" emit -t dot --only message "$src/tests/specs/tls.fsm"
expect_status 0 "rapidcheck harness" "$fsmgen" emit -t rapidcheck "$src/tests/specs/tls.fsm"
expect_in "$tmp/out" "inline void check_against_spec()" "rapidcheck harness written"
expect_status 2 "unknown direction" "$fsmgen" emit -t dot --direction RL "$src/tests/specs/door.fsm"

expect_status 0 "--help" "$fsmgen" --help
expect_in "$tmp/out" "check" "help lists subcommands"
expect_status 0 "emit --help lists targets" "$fsmgen" emit --help
expect_in "$tmp/out" "json:" "targets listed"
expect_status 0 "--version" "$fsmgen" --version
expect_in "$tmp/out" "fsmgen " "version printed"

expect_status 0 "emit json to a file" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/sub/door.json"
expect_in "$tmp/sub/door.json" '"machine": "door"' "json written, directory created"
expect_status 1 "emit refuses a broken spec" "$fsmgen" emit -t json "$tmp/bad.fsm" -o "$tmp/never.json"
[ -e "$tmp/never.json" ] && fail "output written for a broken spec"

# msm writes a header pair: both land next to -o, and the main one includes the light one by name.
expect_status 0 "emit msm to a file" "$fsmgen" emit -t msm "$src/tests/specs/door.fsm" -o "$tmp/msm/door_fsm.hpp"
expect_in "$tmp/msm/door_fsm.hpp" '#include "door_fsm_types.hpp"' "main header includes the light one"
expect_in "$tmp/msm/door_fsm_types.hpp" 'struct transition_row' "light header written next to it"
expect_in "$tmp/msm/door_fsm_scripted.hpp" 'class scripted_context' "scripted_context's header written next to it"
# On stdout the pair cannot be told apart: refused, with nothing half-written.
expect_status 2 "emit msm to stdout" "$fsmgen" emit -t msm "$src/tests/specs/door.fsm"
expect_in "$tmp/err" "target 'msm' writes several files (the main output and its companions door_fsm_scripted.hpp, door_fsm_types.hpp); give -o a path" "msm stdout refusal message"
[ -s "$tmp/out" ] && fail "emit msm to stdout printed part of its output"

expect_err_is() {  # expected-stderr description: the whole of stderr
    local got
    got=$(cat "$tmp/err")
    if [ "$got" != "$1" ]; then
        fail "$2: stderr is"; sed 's/^/  | /' "$tmp/err"; echo "  want"; echo "$1" | sed 's/^/  | /'
    fi
}

# A verification statement's error: position, source line and caret, like any other.
printf 'machine m\nevents { user: e }\ninitial state A\nstate B\nA + e -> B\nB + e -> A\ninstance x, y\nchannel x -> y capacity 1 lossy reodering\n' >"$tmp/channel.fsm"
expect_status 1 "a misspelt channel option" "$fsmgen" check "$tmp/channel.fsm"
expect_err_is "$tmp/channel.fsm:8:33: error: unknown channel option 'reodering'; did you mean 'reordering'? (options: lossy, duplicating, reordering)
channel x -> y capacity 1 lossy reodering
                                ^~~~~~~~~
1 error(s), 0 warning(s)" "channel option error with its caret"

# A mistyped command says what it is and what there is.
expect_status 2 "a mistyped command" "$fsmgen" chek "$src/spec/tcp.fsm"
expect_err_is "fsmgen: error: unknown command 'chek'; did you mean 'check'?
commands: check, emit, trail (fsmgen --help says more)" "mistyped command message"
expect_status 2 "an unknown command" "$fsmgen" frobnicate
expect_err_is "fsmgen: error: unknown command 'frobnicate'
commands: check, emit, trail (fsmgen --help says more)" "unknown command message"

# ---- files: never lose one, never half-write one, never hang on one --------------------------------
expect_same() {  # file-a file-b description
    if ! cmp -s "$1" "$2"; then fail "$3: $1 changed"; fi
}
expect_no_temporaries() {  # dir description
    if ls -A "$1" | grep -q '\.fsmgen-'; then fail "$2: temporary file left in $1"; ls -A "$1"; fi
}

# -o that is the spec, by its own name, a symlink, a hard link, or standard input's file: refused, and
# the spec is intact.
mkdir "$tmp/self"
cp "$src/tests/specs/door.fsm" "$tmp/self/door.fsm"
ln -s door.fsm "$tmp/self/link.fsm"
ln "$tmp/self/door.fsm" "$tmp/self/hard.fsm"
expect_status 2 "-o the spec" "$fsmgen" emit -t json "$tmp/self/door.fsm" -o "$tmp/self/door.fsm"
expect_err_is "fsmgen: error: refusing to write $tmp/self/door.fsm: it is the spec being read, $tmp/self/door.fsm" "-o the spec message"
expect_status 2 "-o a symlink to the spec" "$fsmgen" emit -t json "$tmp/self/door.fsm" -o "$tmp/self/link.fsm"
expect_err_is "fsmgen: error: refusing to write $tmp/self/link.fsm: it is the spec being read, $tmp/self/door.fsm" "symlink message"
expect_status 2 "-o a hard link to the spec" "$fsmgen" emit -t json "$tmp/self/link.fsm" -o "$tmp/self/hard.fsm"
expect_status 2 "-o the file on standard input" sh -c "\"$fsmgen\" emit -t json - -o \"$tmp/self/hard.fsm\" < \"$tmp/self/door.fsm\""
expect_err_is "fsmgen: error: refusing to write $tmp/self/hard.fsm: it is the spec being read, standard input" "stdin message"
# A companion file that is the spec refuses the whole pair: the main header is not written either.
ln -s door.fsm "$tmp/self/pair_fsm_types.hpp"
expect_status 2 "msm companion is the spec" "$fsmgen" emit -t msm "$tmp/self/door.fsm" -o "$tmp/self/pair_fsm.hpp"
[ -e "$tmp/self/pair_fsm.hpp" ] && fail "main header written although its companion was refused"
expect_same "$tmp/self/door.fsm" "$src/tests/specs/door.fsm" "the spec after every refusal"

# Special files are written straight through, never read first.
expect_status 2 "-o /dev/full" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o /dev/full
expect_err_is "fsmgen: error: /dev/full: cannot write: No space left on device" "-o /dev/full message"
expect_status 2 "standard output is /dev/full" sh -c "\"$fsmgen\" emit -t json \"$src/tests/specs/door.fsm\" > /dev/full"
expect_err_is "fsmgen: error: standard output: cannot write: No space left on device" "stdout /dev/full message"
expect_status 2 "check's summary to /dev/full" sh -c "\"$fsmgen\" check \"$src/tests/specs/door.fsm\" > /dev/full"
expect_err_is "fsmgen: error: standard output: cannot write: No space left on device" "check /dev/full message"
expect_status 0 "-o /dev/stdout" sh -c "\"$fsmgen\" emit -t json \"$src/tests/specs/door.fsm\" -o /dev/stdout > \"$tmp/via-stdout.json\""
"$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/direct.json"
expect_same "$tmp/via-stdout.json" "$tmp/direct.json" "-o /dev/stdout"
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" > "$tmp/from-fifo.json" &
expect_status 0 "-o a FIFO" timeout 20 "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/fifo"
wait
expect_same "$tmp/from-fifo.json" "$tmp/direct.json" "-o a FIFO"
expect_status 2 "msm onto a device" "$fsmgen" emit -t msm "$src/tests/specs/door.fsm" -o /dev/null
expect_err_is "fsmgen: error: target 'msm' writes several files, which need a directory; /dev/null is not a regular file; give -o a path" "msm onto a device message"
expect_status 2 "-o a directory" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp"
expect_err_is "fsmgen: error: $tmp: is a directory" "-o a directory message"

# Every input is bounded by 64 MiB, whatever it is; reading stops there.
expect_status 2 "check /dev/zero" timeout 20 "$fsmgen" check /dev/zero
expect_err_is "fsmgen: error: /dev/zero: larger than 64 MiB, the limit for a spec" "/dev/zero message"
expect_status 2 "a huge standard input" sh -c "head -c 70000000 /dev/zero | tr '\\\\0' ' ' | timeout 20 \"$fsmgen\" check -"
expect_err_is "fsmgen: error: standard input: larger than 64 MiB, the limit for a spec" "huge stdin message"
(timeout 20 head -c 70000000 /dev/zero > "$tmp/fifo" 2>/dev/null &)
expect_status 2 "a huge FIFO" timeout 20 "$fsmgen" check "$tmp/fifo"
expect_err_is "fsmgen: error: $tmp/fifo: larger than 64 MiB, the limit for a spec" "huge FIFO message"

# A write that fails half-way (here a file size limit) leaves the old pair whole and no temporary.
mkdir "$tmp/pair"
"$fsmgen" emit -t msm "$src/tests/specs/door.fsm" -o "$tmp/pair/m_fsm.hpp"
cp "$tmp/pair/m_fsm.hpp" "$tmp/old_m_fsm.hpp"; cp "$tmp/pair/m_fsm_types.hpp" "$tmp/old_m_fsm_types.hpp"
expect_status 2 "a write over the file size limit" sh -c "ulimit -f 40; \"$fsmgen\" emit -t msm \"$src/spec/tcp.fsm\" -o \"$tmp/pair/m_fsm.hpp\""
expect_err_is "fsmgen: error: $tmp/pair/m_fsm.hpp: cannot write: File too large" "file size limit message"
expect_same "$tmp/pair/m_fsm.hpp" "$tmp/old_m_fsm.hpp" "main header after a failed write"
expect_same "$tmp/pair/m_fsm_types.hpp" "$tmp/old_m_fsm_types.hpp" "light header after a failed write"
expect_no_temporaries "$tmp/pair" "failed write"
# A successful one replaces both, keeps the file's permissions, and follows a symlink.
chmod 640 "$tmp/pair/m_fsm.hpp"
mkdir "$tmp/real"
ln -s ../real/m_fsm_types.hpp "$tmp/pair/m_fsm_types.hpp.link"
expect_status 0 "replace the pair" "$fsmgen" emit -t msm "$src/spec/tcp.fsm" -o "$tmp/pair/m_fsm.hpp"
[ "$(stat -c %a "$tmp/pair/m_fsm.hpp")" = 640 ] || fail "permissions not kept"
expect_in "$tmp/pair/m_fsm_types.hpp" "namespace tcp" "light header replaced too"
expect_no_temporaries "$tmp/pair" "successful write"
ln -s real/out.json "$tmp/link.json"
expect_status 0 "-o a symlink" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/link.json"
[ -L "$tmp/link.json" ] || fail "the symlink was replaced by a file"
expect_same "$tmp/real/out.json" "$tmp/direct.json" "the symlink's target"
# An identical output is left untouched (same inode, same time), so nothing that includes it rebuilds.
touch -d '2001-01-01' "$tmp/direct.json"
before=$(stat -c '%i %Y' "$tmp/direct.json")
expect_status 0 "identical output" "$fsmgen" emit -t json "$src/tests/specs/door.fsm" -o "$tmp/direct.json"
[ "$(stat -c '%i %Y' "$tmp/direct.json")" = "$before" ] || fail "an identical output was rewritten"

finish cli
