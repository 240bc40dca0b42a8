#!/usr/bin/env bash
# The trivial-context dispatch of bench/dispatch_bench.cpp (BM_trivial_machine against
# BM_trivial_switch), as medians over code layouts: the same loop, instruction for instruction, runs
# 10 to 25% faster or slower when only its address changes (docs/performance.md, "Back ends
# compared", "Dispatch"), so one binary's ratio is no verdict on a change of a few percent. Each back
# end's benchmark object is linked behind .text padding of 0, 208, 464, 1104, 2256 and 3152 bytes;
# for each padding the back ends run one after the other (each binary: 10 repetitions, randomly
# interleaved, CPU time), and the script prints the medians of the repetitions by padding, then the
# medians over the paddings of machine, switch and machine / switch.
#
# Run by hand, not in CI (figures depend on the machine):
#   bench/dispatch_layouts.sh [BUILD_DIR] [BACKEND...]
# BACKEND: back (fsmgen emit -t msm), cpp (fsmgen emit -t cpp), backmp11-1.90 and backmp11-1.91
# (fsmgen emit -t msm --msm-backend backmp11 against ../shared/boost-msm/<release>/include, MPL and
# Mp11 from the system's Boost; a boost/version.hpp saying the release is made here, as
# compile_cost.sh makes one), and any of those with `:public` (FSMGEN_MSM_PUBLIC_API: the header's
# MSM public-API path). Default: back cpp backmp11-1.91.
# Environment: FSMGEN (default BUILD_DIR/generator/fsmgen; another build's fsmgen measures another
# generator), CXX (default c++), PADS, REPETITIONS (default 10), MIN_TIME (default 0.1 s),
# MSM_OVERLAYS (default ../shared/boost-msm).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
shift || true
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(back cpp backmp11-1.91)
case $build in /*) ;; *) build=$root/$build ;; esac
cxx=${CXX:-c++}
pads=(${PADS:-0 208 464 1104 2256 3152})
repetitions=${REPETITIONS:-10}
min_time=${MIN_TIME:-0.1}
# ../shared from the main tree, ../../shared from a worktree under wt/.
overlays=${MSM_OVERLAYS:-$root/../shared/boost-msm}
[ -d "$overlays" ] || [ -n "${MSM_OVERLAYS:-}" ] || overlays=$root/../../shared/boost-msm

if [ -z "${FSMGEN:-}" ]; then
    cmake --build "$build" --target fsmgen >/dev/null
    FSMGEN=$build/generator/fsmgen
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for pad in "${pads[@]}"; do
    printf '.section .note.GNU-stack,"",@progbits\n.text\n.skip %s, 0x90\n' "$pad" | as -o "$work/pad_$pad.o" 2>/dev/null  # .skip 0 warns
done

# One benchmark object per back end, then one binary per (back end, padding).
for backend in "${backends[@]}"; do
    name=${backend%%:*}
    dir=$work/$backend
    mkdir -p "$dir"
    flags=()
    case $backend in *:public) flags+=(-DFSMGEN_MSM_PUBLIC_API) ;; esac
    case $name in
        back) "$FSMGEN" emit -t msm "$root/spec/tcp.fsm" -o "$dir/tcp_fsm.hpp" ;;
        cpp) "$FSMGEN" emit -t cpp "$root/spec/tcp.fsm" -o "$dir/tcp_fsm.hpp" ;;
        backmp11-*)
            release=${name#backmp11-}
            msm_include=$(ls -d "$overlays/$release".*/include 2>/dev/null | head -1 || true)
            if [ -z "$msm_include" ] || [ ! -d "$msm_include/boost/msm/backmp11" ]; then
                echo "dispatch_layouts.sh: no backmp11 of $release in $overlays" >&2
                exit 1
            fi
            IFS=. read -r major minor patch <<< "$(basename "$(dirname "$msm_include")")"
            mkdir -p "$dir/version/boost"
            sed -e "s/#define BOOST_VERSION .*/#define BOOST_VERSION $((major * 100000 + minor * 100 + patch))/" \
                /usr/include/boost/version.hpp > "$dir/version/boost/version.hpp"
            flags+=(-isystem "$dir/version" -isystem "$msm_include")
            "$FSMGEN" emit -t msm --msm-backend backmp11 "$root/spec/tcp.fsm" -o "$dir/tcp_fsm.hpp"
            ;;
        *) echo "dispatch_layouts.sh: unknown back end $backend (back, cpp, backmp11-<release>[:public])" >&2; exit 1 ;;
    esac
    "$cxx" -std=c++17 -O2 -DNDEBUG -g1 "${flags[@]}" -I"$dir" -I"$root/bench" -c -o "$dir/bench.o" "$root/bench/dispatch_bench.cpp"
    for pad in "${pads[@]}"; do
        "$cxx" -o "$dir/pad_$pad" "$work/pad_$pad.o" "$dir/bench.o" -lbenchmark -lpthread
    done
done

# The median CPU time in us of one benchmark in a JSON report.
median_us() {
    python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
for b in report["benchmarks"]:
    if b["name"] == sys.argv[2] + "_median":
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
        print("%.2f" % (b["cpu_time"] * scale))
' "$1" "$2"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M) UTC; $("$cxx" --version | head -1)"
printf '%-22s %6s %10s %10s %8s\n' backend pad machine switch ratio
for pad in "${pads[@]}"; do
    for backend in "${backends[@]}"; do
        out=$work/$backend/pad_$pad.json
        "$work/$backend/pad_$pad" --benchmark_filter='BM_trivial_(machine|switch)$' --benchmark_min_time="$min_time" \
            --benchmark_repetitions="$repetitions" --benchmark_enable_random_interleaving=true \
            --benchmark_report_aggregates_only=true --benchmark_out="$out" --benchmark_out_format=json > /dev/null 2>&1
        machine=$(median_us "$out" BM_trivial_machine)
        switch=$(median_us "$out" BM_trivial_switch)
        ratio=$(python3 -c "print('%.3f' % ($machine / $switch))")
        printf '%-22s %6s %10s %10s %8s\n' "$backend" "$pad" "$machine" "$switch" "$ratio" | tee -a "$work/$backend/rows"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M) UTC"
echo
echo "medians over ${#pads[@]} layouts (us; ratio: median of the per-layout ratios, then min to max):"
for backend in "${backends[@]}"; do
    python3 -c '
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
machine = statistics.median(float(r[2]) for r in rows)
switch = statistics.median(float(r[3]) for r in rows)
ratios = [float(r[4]) for r in rows]
print("%-22s machine %6.1f  switch %6.1f  machine/switch %.2f (%.2f to %.2f)" %
      (sys.argv[2], machine, switch, statistics.median(ratios), min(ratios), max(ratios)))
' "$work/$backend/rows" "$backend"
done
