// How `fsmgen check` scales: parse + check of synthetic specs from 1,000 to 100,000 transitions (10
// transitions per state), with Google Benchmark's complexity fit, and the TCP spec as the everyday case.
#include "check/check.hpp"
#include "check/spelling.hpp"
#include "parse/parse.hpp"
#include "synthetic_spec.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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


// ---- the misspelling check: names one edit apart ------------------------------------------------------
// N distinct guard/action-like names (8 to 12 lower-case letters and single '_' from a fixed-seed
// generator, so few are one edit apart, as in a real spec). BM_OneEditNeighbours is the check's search
// (fsmgen::one_edit_neighbours, deletion neighbourhoods); BM_OneEditPairwise is the search it
// replaced, kept here as the baseline: every name against every name one shorter, as long or one
// longer, through edit_distance. BM_CheckManyActions is `fsmgen check` of a spec that uses N actions.
std::vector<std::string> distinct_names(std::size_t n) {
    std::mt19937 rng(12345);
    std::set<std::string> seen;
    std::vector<std::string> names;
    while (names.size() < n) {
        std::string name(8 + rng() % 5, 'a');
        for (char& c : name) c = "abcdefghijklmnopqrstuvwxyz_"[rng() % 27];
        name[0] = static_cast<char>('a' + rng() % 26);
        if (name.find("__") != std::string::npos) continue;  // reserved in C++: check refuses it
        if (seen.insert(name).second) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::vector<std::size_t>> pairwise_one_edit(const std::vector<std::string_view>& names) {
    std::map<std::size_t, std::vector<std::size_t>> by_length;
    for (std::size_t i = 0; i < names.size(); ++i) by_length[names[i].size()].push_back(i);
    std::vector<std::vector<std::size_t>> out(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        for (std::size_t len = names[i].size() - 1; len <= names[i].size() + 1; ++len) {
            auto bucket = by_length.find(len);
            if (bucket == by_length.end()) continue;
            for (std::size_t j : bucket->second)
                if (j != i && fsmgen::edit_distance(names[i], names[j], 1) <= 1) out[i].push_back(j);
        }
    return out;
}

template <auto Search>
void one_edit(benchmark::State& state) {
    auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::string> storage = distinct_names(n);
    std::vector<std::string_view> names(storage.begin(), storage.end());
    std::size_t pairs = 0;
    for (auto _ : state) {
        auto found = Search(names);
        pairs = 0;
        for (const auto& f : found) pairs += f.size();
        benchmark::DoNotOptimize(found);
    }
    state.SetComplexityN(state.range(0));
    state.counters["pairs"] = static_cast<double>(pairs / 2);
}

void BM_OneEditNeighbours(benchmark::State& state) { one_edit<fsmgen::one_edit_neighbours>(state); }
BENCHMARK(BM_OneEditNeighbours)->RangeMultiplier(2)->Range(1000, 128000)->Unit(benchmark::kMillisecond)->Complexity();

void BM_OneEditPairwise(benchmark::State& state) { one_edit<pairwise_one_edit>(state); }
BENCHMARK(BM_OneEditPairwise)->RangeMultiplier(2)->Range(1000, 8000)->Unit(benchmark::kMillisecond)->Complexity();

void BM_CheckManyActions(benchmark::State& state) {
    auto n = static_cast<std::size_t>(state.range(0));
    std::string spec = "machine m\nevents { user: go, back }\ninitial state A\nstate B\nA + go / ";
    std::vector<std::string> names = distinct_names(n);
    for (std::size_t i = 0; i < n; ++i) spec += (i ? ", " : "") + names[i];
    spec += " -> B\nB + back -> A\n";
    fsmgen::SourceFile file("actions.fsm", spec);
    for (auto _ : state) {
        fsmgen::Diagnostics diags;
        auto ast = fsmgen::parse(file, diags);
        auto model = fsmgen::check(ast, file, diags);
        if (!model) state.SkipWithError("the spec did not check");
        state.counters["warnings"] = static_cast<double>(diags.warning_count());
        benchmark::DoNotOptimize(model);
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_CheckManyActions)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond)->Complexity();

}  // namespace

BENCHMARK_MAIN();
