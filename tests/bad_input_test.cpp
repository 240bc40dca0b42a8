// Any byte sequence given as a spec gets diagnostics, never a crash, a hang or an assert. The fuzzer
// (tests/fuzz) explores this at random; these are the cases named in the issue, kept as regressions.
#include "run_spec.hpp"

#include <gtest/gtest.h>

#include <random>

namespace fsmgen {
namespace {

using testing::run_spec;

TEST(BadInput, EmptyFile) {
    auto run = run_spec("");
    EXPECT_EQ(run.errors, 1u);
    EXPECT_FALSE(run.model);
}

TEST(BadInput, OnlyCommentsAndBlankLines) {
    auto run = run_spec("// nothing\n\n   \n// here\n");
    EXPECT_EQ(run.errors, 1u);
    EXPECT_NE(run.diagnostics.find("error: the spec has no 'machine NAME' declaration"), std::string::npos);
}

TEST(BadInput, BinaryGarbage) {
    std::mt19937 rng(12345);
    for (int round = 0; round < 50; ++round) {
        std::string text(4096, '\0');
        for (auto& c : text) c = static_cast<char>(rng());
        auto run = run_spec(text);
        EXPECT_GT(run.errors, 0u);
        EXPECT_LE(run.diagnostics.size(), 200u * 1024) << "the error limit must bound the output";
    }
}

TEST(BadInput, NulBytesArePrintedAsSpaces) {
    auto run = run_spec(std::string("machine m\nA \0 + e -> B\n", 22));
    EXPECT_GT(run.errors, 0u);
    EXPECT_EQ(run.diagnostics.find('\0'), std::string::npos);
}

TEST(BadInput, TenMegabytesOfRepeatedRows) {
    std::string text = "machine m\nevents { user: e }\ninitial state A\n";
    while (text.size() < 10u << 20) text += "A + e -> A\n";
    auto run = run_spec(text);
    // Every row after the first conflicts with it; the error limit stops the report.
    EXPECT_GE(run.errors, Diagnostics::error_limit);
    EXPECT_NE(run.diagnostics.find("note: too many errors; stopping here"), std::string::npos);
}

TEST(BadInput, TenMegabytesOfGarbageLines) {
    std::string text;
    while (text.size() < 10u << 20) text += "}}} ->-> [[[ +++ ))) \"\n";
    auto run = run_spec(text);
    EXPECT_GE(run.errors, Diagnostics::error_limit);
}

TEST(BadInput, VeryLongLineIsShownAsAWindowAroundTheCaret) {
    std::string text = "machine m " + std::string(100000, 'x') + "\n";
    auto run = run_spec(text);
    ASSERT_EQ(run.errors, 1u) << run.diagnostics.substr(0, 300);
    EXPECT_LT(run.diagnostics.size(), 600u);
    EXPECT_NE(run.diagnostics.find("..."), std::string::npos);
}

TEST(BadInput, VeryLongName) {
    std::string name(1u << 20, 'a');
    auto run = run_spec("machine m\nevents { user: e }\ninitial state " + name + "\nfinal state B\n" + name + " + e -> B\n");
    EXPECT_EQ(run.errors, 0u) << run.diagnostics.substr(0, 300);
    auto unknown = run_spec("machine m\nevents { user: e }\ninitial state A\nfinal state B\nA + e -> " + name + "\n");
    EXPECT_EQ(unknown.errors, 1u);
    EXPECT_LT(unknown.diagnostics.size(), 600u) << "a long name is cut in messages and in the source line";
}

TEST(BadInput, DeepNestingOfBraces) {
    std::string text = "machine m\nevents " + std::string(100000, '{') + std::string(100000, '}') + "\n";
    auto run = run_spec(text);
    EXPECT_GT(run.errors, 0u);
}

TEST(BadInput, UnterminatedStringAtEndOfFile) {
    auto run = run_spec("machine m \"abc");
    EXPECT_NE(run.diagnostics.find("t.fsm:1:15: error: expected closing '\"' of the string (strings end on their line) but found end of file"),
              std::string::npos) << run.diagnostics;
}

TEST(BadInput, UnterminatedBlock) {
    auto run = run_spec("machine m\nevents {\n  user: a\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:4:1: error: expected '}' but found end of file"), std::string::npos) << run.diagnostics;
}

TEST(BadInput, InvalidUtf8OutsideStrings) {
    auto run = run_spec("machine m\n\xC3\x28 + e -> A\n");
    EXPECT_GT(run.errors, 0u);
}

}  // namespace
}  // namespace fsmgen
