// The promela target's text: a reviewed golden file for the example spec, and the choices that keep
// any checked spec within what SPIN takes (tests/promela_equivalence_test.cpp runs SPIN on it).
#include "emit/emit.hpp"
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace fsmgen {
namespace {

std::string promela(const std::string& spec_text, const std::string& name = "t.fsm") {
    auto run = testing::run_spec(spec_text, false, name);
    EXPECT_TRUE(run.model) << run.diagnostics;
    if (!run.model) return {};
    MemorySink sink;
    find_backend("promela")->emit(*run.model, {}, sink);
    EXPECT_EQ(sink.files.size(), 1u);
    return sink.files[""];
}

TEST(PromelaEmit, DoorMatchesGolden) {
    testing::expect_golden("tests/golden/door.pml",
                           promela(testing::read_file(testing::source_path("tests/specs/door.fsm")), "tests/specs/door.fsm"));
}

// A byte holds 256 values: more events or states than that need a wider variable and channel.
TEST(PromelaEmit, ManyEventsWidenTheEventType) {
    std::string spec = "machine wide\nevents { user:";
    for (int e = 0; e < 300; ++e) spec += (e ? ", e" : " e") + std::to_string(e);
    spec += " }\ninitial state A\nstate B\nA + e299 -> B\nB + e0 -> A\n";
    const std::string out = promela(spec);
    EXPECT_NE(out.find("chan events = [0] of { short };"), std::string::npos);
    EXPECT_NE(out.find("  short ev;"), std::string::npos);
    EXPECT_NE(out.find("byte fsm_state[FSM_INSTANCES];"), std::string::npos);
}

// Every spec name gets a prefix, so Promela keywords never reach SPIN bare: outside strings and
// comments, no token is a spec name. (The C preprocessor's predefined `unix` and `linux` are
// refused by fsmgen check, for C++: docs/spec-language.md.)
TEST(PromelaEmit, NamesArePrefixedByKind) {
    std::string out = promela(
        "machine m\nevents { user: unless, skip }\ninitial state xr { entry never }\nstate accept\n"
        "xr + unless [timeout] -> accept\naccept + skip -> xr\n");
    out = std::regex_replace(out, std::regex(R"("[^"]*"|/\*[^*]*\*/)"), " ");
    for (const char* name : {"unless", "skip", "xr", "never", "accept", "timeout"})
        EXPECT_FALSE(std::regex_search(out, std::regex(std::string(R"(\b)") + name + R"(\b)"))) << name;
    EXPECT_NE(out.find("#define S_xr 0"), std::string::npos);
    EXPECT_NE(out.find("#define E_skip 1"), std::string::npos);
    EXPECT_NE(out.find("bit G_timeout;"), std::string::npos);
    EXPECT_NE(out.find("goto end_accept"), std::string::npos);
}

}  // namespace
}  // namespace fsmgen
