// How `fsmgen check` scales: parse + check of synthetic specs from 1,000 to 100,000 transitions (10
// transitions per state), with Google Benchmark's complexity fit, and the TCP spec as the everyday case.
#include "check/check.hpp"
#include "parse/parse.hpp"
#include "synthetic_spec.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

namespace {

void parse_and_check(benchmark::State& state, const fsmgen::SourceFile& file) {
    for (auto _ : state) {
        fsmgen::Diagnostics diags;
        auto ast = fsmgen::parse(file, diags);
        auto model = fsmgen::check(ast, file, diags);
        if (!model || diags.error_count() + diags.warning_count() != 0) state.SkipWithError("the spec did not check clean");
        benchmark::DoNotOptimize(model);
    }
}

void BM_CheckSynthetic(benchmark::State& state) {
    auto transitions = static_cast<std::size_t>(state.range(0));
    fsmgen::SourceFile file("synthetic.fsm", fsmgen::bench::synthetic_spec(transitions / 10, transitions));
    parse_and_check(state, file);
    state.SetComplexityN(state.range(0));
    state.counters["bytes"] = static_cast<double>(file.text().size());
}
BENCHMARK(BM_CheckSynthetic)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond)->Complexity();

void BM_CheckTcp(benchmark::State& state) {
    std::ifstream in(std::string(FSMGEN_SOURCE_DIR) + "/spec/tcp.fsm");
    std::ostringstream text;
    text << in.rdbuf();
    fsmgen::SourceFile file("spec/tcp.fsm", text.str());
    parse_and_check(state, file);
}
BENCHMARK(BM_CheckTcp)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
