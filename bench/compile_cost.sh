#!/usr/bin/env bash
# Compile cost of the generated machines, back end against back end, in one run: wall time and peak
# RSS (GNU time) of one `g++ -std=c++17 -O2 -c` of a TU that starts the machine and dispatches every
# event, for
#   back:      fsmgen emit -t msm                       (Boost.MSM's `back`, the default)
#   backmp11:  fsmgen emit -t msm --msm-backend backmp11 (Boost.MSM 1.90+, from MSM_INCLUDE)
#   cpp:       fsmgen emit -t cpp                       (plain switches, no Boost)
# on spec/tcp.fsm and on synthetic specs of 60 states / 120 rows and 150 states / 300 rows
# (bench/check/gen_spec). The compiles are interleaved (each round runs every spec and back end in
# turn), so that a change in the machine's load hits every column alike. Then cpp with a context of
# the user's (below), and, for TCP, a TU that only includes the back header and one that only
# includes the light _types.hpp.
#
# Run by hand, not in CI (figures depend on the machine):
#   [SPECS="tcp s60x120 s150x300"] [CPP_SPECS="s256x512 s256x768"] bench/compile_cost.sh [BUILD_DIR] [MSM_INCLUDE] [ROUNDS]
# CPP_SPECS are larger specs (sSTATESxROWS, made by gen_spec; 256 states at most) for the cpp
# user-context compiles only: `back` would take minutes and gigabytes on them.
# BUILD_DIR (default: build) must be configured; fsmgen and gen_spec are built in it. MSM_INCLUDE
# (default: ../shared/boost-msm/1.91.0/include) holds boost/msm of Boost 1.90 or newer; MPL, Mp11
# and the rest come from the system's Boost. Without it the backmp11 column is skipped. Figures go to
# docs/performance.md with the command line.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
msm_include=${2:-$root/../shared/boost-msm/1.91.0/include}
# ../shared from the main tree, ../../shared from a worktree under wt/.
[ -n "${2:-}" ] || [ -d "$msm_include" ] || msm_include=$root/../../shared/boost-msm/1.91.0/include
rounds=${3:-1}
case $build in /*) ;; *) build=$root/$build ;; esac

if [ ! -x /usr/bin/time ]; then
    echo "compile_cost.sh: needs GNU time (/usr/bin/time): apt-get install time" >&2
    exit 1
fi
cmake --build "$build" --target fsmgen gen_spec >/dev/null
fsmgen=$build/generator/fsmgen

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

backends=(back cpp)
mp11_flags=()
if [ -d "$msm_include/boost/msm/backmp11" ]; then
    backends=(back backmp11 cpp)
    # The overlay holds MSM only; the header checks BOOST_VERSION, which the system's version.hpp
    # would give as its own release: say the overlay's, as that release's whole Boost would.
    version=$(sed -n 's|.*boost-msm/\([0-9]*\)\.\([0-9]*\)\.\([0-9]*\)/include.*|\1 \2 \3|p' <<< "$msm_include")
    read -r major minor patch <<< "${version:-1 91 0}"
    mkdir -p "$work/version/boost"
    sed -e "s/#define BOOST_VERSION .*/#define BOOST_VERSION $((major * 100000 + minor * 100 + patch))/" \
        /usr/include/boost/version.hpp > "$work/version/boost/version.hpp"
    mp11_flags=(-isystem "$work/version" -isystem "$msm_include")
else
    echo "compile_cost.sh: no backmp11 in $msm_include: backmp11 skipped" >&2
fi

# One directory per (spec, back end): machine.hpp, its _types.hpp and _scripted.hpp, and the TU.
specs=(${SPECS:-tcp s60x120 s150x300})
cp "$root/spec/tcp.fsm" "$work/tcp.fsm"
cpp_specs=(${CPP_SPECS-s256x512 s256x768})
for spec in "${specs[@]}" "${cpp_specs[@]}"; do
    [ "$spec" = tcp ] && continue
    read -r states rows <<< "$(sed -n 's/^s\([0-9]*\)x\([0-9]*\)$/\1 \2/p' <<< "$spec")"
    [ -n "$rows" ] || { echo "compile_cost.sh: spec '$spec' is neither tcp nor sSTATESxROWS" >&2; exit 1; }
    "$build/bench/check/gen_spec" "$states" "$rows" "$spec" > "$work/$spec.fsm"
done
for spec in "${cpp_specs[@]}"; do
    mkdir -p "$work/$spec.cpp"
    "$fsmgen" emit -t cpp "$work/$spec.fsm" -o "$work/$spec.cpp/machine.hpp"
done
for spec in "${specs[@]}"; do
    for backend in "${backends[@]}"; do
        dir=$work/$spec.$backend
        mkdir -p "$dir"
        case $backend in
            back) "$fsmgen" emit -t msm "$work/$spec.fsm" -o "$dir/machine.hpp" ;;
            backmp11) "$fsmgen" emit -t msm --msm-backend backmp11 "$work/$spec.fsm" -o "$dir/machine.hpp" ;;
            cpp) "$fsmgen" emit -t cpp "$work/$spec.fsm" -o "$dir/machine.hpp" ;;
        esac
        # The namespace is the machine's name: tcp, s60x120, s150x300. dispatch() instantiates
        # process_event for every event, as a program using all of them does.
        cat > "$dir/tu.cpp" <<TU
#include "machine.hpp"
#include "machine_scripted.hpp"
int main() {
    $spec::scripted_context ctx;
    $spec::machine<$spec::scripted_context> m{ctx};
    m.start();
    for (std::size_t e = 0; e < $spec::event_count; ++e) $spec::dispatch(m, static_cast<$spec::event_id>(e));
    return static_cast<int>($spec::current(m));
}
TU
    done
done

# [TU=tu] compile NAME DIR [FLAGS...]: one compile of DIR/TU.cpp (-O2 unless FLAGS say otherwise),
# its figures appended to $work/NAME: wall s, peak MB and CPU s (user + system; steadier than wall
# time on a loaded machine).
compile() {
    local name=$1 dir=$2 tu=${TU:-tu}
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" g++ -std=c++17 -O2 -c "$dir/$tu.cpp" -I "$dir" "$@" -o "$dir/$tu.o"
    read -r wall rss user system < "$work/time"
    echo "$wall $((rss / 1024)) $(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" >> "$work/$name.figures"
}

for ((round = 1; round <= rounds; ++round)); do
    for spec in "${specs[@]}"; do
        for backend in "${backends[@]}"; do
            flags=()
            [ "$backend" = backmp11 ] && flags=("${mp11_flags[@]}")
            compile "$spec.$backend" "$work/$spec.$backend" "${flags[@]}"
        done
    done
done

# The median of a column of $work/NAME.figures (1: wall s, 2: peak MB, 3: CPU s).
median() { sort -n -k"$2" "$work/$1.figures" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }

echo "g++ $(g++ -dumpfullversion), -std=c++17 -O2, $rounds round(s), medians; ratios to back on the same spec"
printf '%-10s %-9s %8s %8s %9s %9s %8s\n' spec backend "CPU s" "wall s" "peak MB" "x CPU" "x mem"
for spec in "${specs[@]}"; do
    base_cpu=$(median "$spec.back" 3)
    base_rss=$(median "$spec.back" 2)
    for backend in "${backends[@]}"; do
        cpu=$(median "$spec.$backend" 3)
        wall=$(median "$spec.$backend" 1)
        rss=$(median "$spec.$backend" 2)
        printf '%-10s %-9s %8.2f %8.2f %9d %9.2f %8.2f\n' "$spec" "$backend" "$cpu" "$wall" "$rss" \
            "$(awk -v a="$cpu" -v b="$base_cpu" 'BEGIN { print a / b }')" "$(awk -v a="$rss" -v b="$base_rss" 'BEGIN { print a / b }')"
    done
done

# cpp with a context of the user's instead of scripted_context: each guard reads a bit and each
# action counts (dispatch_bench's trivial context), and the events come from the command line, as
# in a program that dispatches data; a loop over the event ids, known at compile time, lets g++
# unroll it and fold each copy of the rows. -O2, and -O0 for a debug build. Same rounds, interleaved.
user_tu() {  # DIR NAMESPACE: DIR/user.cpp, the context's members made from scripted_context's
    local dir=$1 ns=$2
    {
        echo '#include "machine.hpp"'
        echo 'struct user_context {'
        echo '    unsigned bits = 0x5a5a5a5a, n = 0;'
        echo "    void on_unhandled($ns::state, $ns::event_id) { ++n; }"
        echo "    void on_rejected($ns::state, $ns::event_id) { ++n; }"
        sed -n -e 's/^    bool \([A-Za-z0-9_]*\)(const E&) { return ask(.*/    template <class E> bool \1(const E\&) { return (bits++ \& 1) != 0; }/p' \
               -e 's/^    void \([A-Za-z0-9_]*\)(const E&) { acted(.*/    template <class E> void \1(const E\&) { ++n; }/p' \
               -e 's/^    void \([A-Za-z0-9_]*\)() { acted(.*/    void \1() { ++n; }/p' "$dir/machine_scripted.hpp"
        echo '};'
        echo 'int main(int argc, char** argv) {'
        echo '    user_context ctx;'
        echo "    $ns::machine<user_context> m{ctx};"
        echo '    m.start();'
        echo '    for (int i = 1; i < argc; ++i)'
        echo "        $ns::dispatch(m, static_cast<$ns::event_id>(static_cast<unsigned char>(argv[i][0]) % $ns::event_count));"
        echo "    return static_cast<int>($ns::current(m)) + static_cast<int>(ctx.n);"
        echo '}'
    } > "$dir/user.cpp"
}
for spec in "${specs[@]}" "${cpp_specs[@]}"; do user_tu "$work/$spec.cpp" "$spec"; done
for ((round = 1; round <= rounds; ++round)); do
    for spec in "${specs[@]}" "${cpp_specs[@]}"; do
        for opt in -O2 -O0; do TU=user compile "$spec.cpp-user$opt" "$work/$spec.cpp" "$opt"; done
    done
done
printf '%-10s %-14s %8s %9s\n' spec "cpp, user ctx" "CPU s" "peak MB"
for spec in "${specs[@]}" "${cpp_specs[@]}"; do
    for opt in -O2 -O0; do
        printf '%-10s %-14s %8.2f %9d\n' "$spec" "$opt" "$(median "$spec.cpp-user$opt" 3)" "$(median "$spec.cpp-user$opt" 2)"
    done
done

# What including alone costs (TCP, back): the machine header, and the light header without Boost.
[ -d "$work/tcp.back" ] || exit 0  # SPECS without tcp
dir=$work/tcp.back
printf '#include "machine.hpp"\nint main() { return static_cast<int>(tcp::state_count); }\n' > "$dir/tu.cpp"
compile include_only "$dir"
printf '#include "machine_types.hpp"\nint main() { return static_cast<int>(tcp::state_count); }\n' > "$dir/tu.cpp"
compile types_only "$dir"
printf '%-22s %8.2f CPU s %6d MB\n' "tcp back include only" "$(median include_only 3)" "$(median include_only 2)"
printf '%-22s %8.2f CPU s %6d MB\n' "tcp _types.hpp only" "$(median types_only 3)" "$(median types_only 2)"
