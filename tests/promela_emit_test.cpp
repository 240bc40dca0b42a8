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
    EXPECT_NE(out.find("goto end_accept"), std::string::npos);
}

// A cell whose rows ask many guards: the model chooses among the rows (and the rejection, when some
// answers enable none), so the step branches once per row, not 2^k times over the guards' answers.
TEST(PromelaEmit, GuardsAreAChoiceAmongRows) {
    std::string spec = "machine bits\nevents { user: e }\ninitial state A\nstate B\n";
    for (int row = 0; row < 8; ++row) {
        spec += "A + e [";
        for (int bit = 0; bit < 3; ++bit) spec += std::string(bit ? " && " : "") + ((row >> bit) & 1 ? "" : "!") + "g" + std::to_string(bit);
        spec += row == 7 ? " && h] -> B\n" : "] -> B\n";  // the last row leaves g0 && g1 && g2 && !h uncovered
    }
    spec += "B + e -> A\n";
    const std::string out = promela(spec);
    std::size_t choices = 0;
    for (auto at = out.find(":: true ->"); at != std::string::npos; at = out.find(":: true ->", at + 1)) ++choices;
    EXPECT_EQ(choices, 9u) << out;  // 8 rows and the rejection
    EXPECT_NE(out.find("A e rejected"), std::string::npos);
    EXPECT_EQ(out.find("B e rejected"), std::string::npos);  // an unguarded row: no choice at all
}

// ---- the verification statements: parsed, checked with positions, carried in the Model ---------------

const char* const composed =
    "machine door\n"
    "events { user: open, close \n segment: knock }\n"
    "initial state Closed\n"
    "state Opened { entry greet }\n"
    "Closed + open / ring -> Opened\n"
    "Closed + knock -> Opened\n"
    "Opened + close -> Closed\n"
    "instance front, back\n"
    "channel front -> back capacity 2 lossy reordering\n"
    "channel back -> front capacity 1\n"
    "message ring -> knock\n"
    "assert never Opened after close without ring\n"
    "assert never {Opened, Closed}\n"
    "assert from Opened eventually Closed\n";

TEST(PromelaSpec, VerificationStatementsReachTheModel) {
    auto run = testing::run_spec(composed, true);
    ASSERT_TRUE(run.model) << run.diagnostics;
    const auto& m = *run.model;
    EXPECT_EQ(m.instances, (std::vector<std::string>{"front", "back"}));
    ASSERT_EQ(m.channels.size(), 2u);
    EXPECT_EQ(m.channels[0].from, 0u);
    EXPECT_EQ(m.channels[0].to, 1u);
    EXPECT_EQ(m.channels[0].capacity, 2u);
    EXPECT_TRUE(m.channels[0].lossy && m.channels[0].reordering && !m.channels[0].duplicating);
    EXPECT_FALSE(m.channels[1].lossy || m.channels[1].reordering || m.channels[1].duplicating);
    ASSERT_EQ(m.messages.size(), 1u);
    EXPECT_EQ(m.actions[m.messages[0].action], "ring");
    EXPECT_EQ(m.events[m.messages[0].event].name, "knock");
    ASSERT_EQ(m.safety.size(), 2u);
    EXPECT_EQ(m.safety[0].states, (std::vector<std::size_t>{1}));
    EXPECT_EQ(m.events[*m.safety[0].after_event].name, "close");
    EXPECT_EQ(m.actions[*m.safety[0].without_action], "ring");
    EXPECT_EQ(m.safety[0].origin.line, 13u);
    EXPECT_FALSE(m.safety[1].after_event);
    EXPECT_EQ(m.safety[1].states.size(), 2u);
    ASSERT_EQ(m.liveness.size(), 1u);
    EXPECT_EQ(m.liveness[0].from, (std::vector<std::size_t>{1}));
    EXPECT_EQ(m.liveness[0].to, (std::vector<std::size_t>{0}));
}

// Every other target accepts a spec with verification statements (and ignores them).
TEST(PromelaSpec, EveryTargetAcceptsACompositionSpec) {
    auto run = testing::run_spec(composed, true);
    ASSERT_TRUE(run.model) << run.diagnostics;
    for (const auto& backend : backends()) {
        if (backend->name() == "svg") continue;  // needs Graphviz; dot is the same text
        MemorySink sink;
        EXPECT_NO_THROW(backend->emit(*run.model, {}, sink)) << backend->name();
        EXPECT_FALSE(sink.files[""].empty()) << backend->name();
    }
}

void expect_error(const std::string& extra, const std::string& where_and_message) {
    auto run = testing::run_spec(std::string(composed) + extra);
    EXPECT_FALSE(run.model);
    EXPECT_NE(run.diagnostics.find(where_and_message), std::string::npos) << run.diagnostics;
}

TEST(PromelaSpec, CheckerReportsBadVerificationStatementsAtTheirPosition) {
    expect_error("channel front -> back capacity 1 lossy\n", "t.fsm:16:1: error: instance 'front' already has a channel out of it");
    expect_error("instance side\nchannel side -> side capacity 0\n", "t.fsm:17:17: error: a channel connects two different instances");
    expect_error("instance side\nchannel side -> side capacity 0\n", "t.fsm:17:31: error: a channel's capacity is 1 to 16; found '0'");
    expect_error("instance x, y\nchannel x -> y capacity 1 lossy reodering\n",
                 "t.fsm:17:33: error: unknown channel option 'reodering'; did you mean 'reordering'?");
    expect_error("assert never Opened after close without rign\n", "t.fsm:16:41: error: unknown action 'rign'; did you mean 'ring'?");
    expect_error("assert from Opend eventually Closed\n", "t.fsm:16:13: error: unknown state 'Opend'; did you mean 'Opened'?");
    expect_error("message ring -> open\n", "t.fsm:16:9: error: action 'ring' already sends a message");
    expect_error("channel front -> side capacity 1\n", "t.fsm:16:18: error: unknown instance 'side'");
    expect_error("assert always Opened\n", "t.fsm:16:8: error: expected 'never' or 'from' but found 'always'");
    expect_error("assert from Opened Closed\n", "t.fsm:16:20: error: expected 'eventually' but found 'Closed'");
    expect_error("channel front -> back size 2\n", "t.fsm:16:23: error: expected 'capacity' but found 'size'");
}

// The verification words begin a statement only at the start of a line without a `+` after them:
// a state, a category or an event may still be called `message`, `instance` or `channel` (`assert`
// is the C++ macro, which no name may be).
TEST(PromelaSpec, VerificationWordsAreNamesElsewhere) {
    auto run = testing::run_spec("machine m\nevents { message: channel, ping }\ninitial state message\nstate instance\n"
                                 "message + channel / send -> instance\ninstance\t+ ping -> message\n"
                                 "instance message, instance\nchannel message -> instance capacity 1\nmessage send -> ping\n"
                                 "assert never instance after channel without send\n",
                                 true);
    ASSERT_TRUE(run.model) << run.diagnostics;
    EXPECT_EQ(run.model->transitions.size(), 2u);
    EXPECT_EQ(run.model->categories.front().name, "message");
    EXPECT_EQ(run.model->instances, (std::vector<std::string>{"message", "instance"}));
    EXPECT_EQ(run.model->channels.size(), 1u);
    EXPECT_EQ(run.model->messages.size(), 1u);
    EXPECT_EQ(run.model->safety.size(), 1u);
}

TEST(PromelaSpec, ChannelsNeedInstances) {
    auto run = testing::run_spec(std::string(testing::minimal_header) + "Closed + open -> Opened\nOpened + close -> Closed\n"
                                 "channel a -> b capacity 1\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:7:9: error: unknown instance 'a'; declare the machine's instances with 'instance a, b'"),
              std::string::npos) << run.diagnostics;
}

}  // namespace
}  // namespace fsmgen
