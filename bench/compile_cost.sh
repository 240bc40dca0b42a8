#!/usr/bin/env bash
# Compile cost of generated machines: wall time and peak RSS (GNU time) of one g++ -O2 compile of
#   (a) a TU that includes generated/tcp_fsm.hpp and instantiates tcp::machine with every event,
#   (b) the same for a synthetic 60-state/120-transition spec (bench/check/gen_spec 60 120),
#   (c) a TU that only includes generated/tcp_fsm.hpp,
#   (d) a TU that only includes the light header generated/tcp_fsm_types.hpp (no Boost).
# Run by hand, not in CI (figures depend on the machine): bench/compile_cost.sh [BUILD_DIR] [CXX...]
# BUILD_DIR (default: build) must be configured; fsmgen and gen_spec are built in it. Figures go to
# docs/performance.md with the command line.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
shift || true
compilers=("$@")
[ ${#compilers[@]} -eq 0 ] && compilers=(g++)
case $build in /*) ;; *) build=$root/$build ;; esac

if [ ! -x /usr/bin/time ]; then
    echo "compile_cost.sh: needs GNU time (/usr/bin/time): apt-get install time" >&2
    exit 1
fi
cmake --build "$build" --target fsmgen gen_spec >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/check/gen_spec" 60 120 big > "$work/big.fsm"
"$build/generator/fsmgen" emit -t msm "$work/big.fsm" -o "$work/big_fsm.hpp"
cp "$root/generated/tcp_fsm.hpp" "$root/generated/tcp_fsm_types.hpp" "$work/"

# tcp::dispatch instantiates process_event for every event, as a program using all of them does.
instantiate() {  # $1 header, $2 namespace
    cat <<TU
#include "$1"
int main() {
    $2::scripted_context ctx;
    $2::machine<$2::scripted_context> m{ctx};
    m.start();
    for (std::size_t e = 0; e < $2::event_count; ++e) $2::dispatch(m, static_cast<$2::event_id>(e));
    return static_cast<int>($2::current(m));
}
TU
}
instantiate tcp_fsm.hpp tcp > "$work/a_tcp_machine.cpp"
instantiate big_fsm.hpp big > "$work/b_60x120_machine.cpp"
printf '#include "tcp_fsm.hpp"\nint main() { return static_cast<int>(tcp::state_count); }\n' > "$work/c_tcp_include_only.cpp"
printf '#include "tcp_fsm_types.hpp"\nint main() { return static_cast<int>(tcp::state_count); }\n' > "$work/d_tcp_types_only.cpp"

printf '%-10s %-22s %8s %10s\n' compiler tu "wall s" "peak MB"
for cxx in "${compilers[@]}"; do
    for tu in a_tcp_machine b_60x120_machine c_tcp_include_only d_tcp_types_only; do
        /usr/bin/time -v "$cxx" -std=c++17 -O2 -c "$work/$tu.cpp" -I "$work" -o "$work/$tu.o" 2> "$work/$tu.time"
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$tu.time" | awk -F: '{ print ($1 * 60) + $2 }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$tu.time")
        printf '%-10s %-22s %8.2f %10d\n' "$cxx" "$tu" "$wall" $((rss / 1024))
    done
done
