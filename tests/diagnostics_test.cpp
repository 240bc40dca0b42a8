// Every diagnostic of the parser and the checker: the whole printed text (location, message, source
// line, caret) is compared, as ninja's parser tests do, so a wrong column is caught as surely as a
// wrong message.
#include "run_spec.hpp"

#include <gtest/gtest.h>

namespace fsmgen {
namespace {

using testing::minimal_header;
using testing::run_spec;

std::string with_header(const std::string& lines) { return std::string(minimal_header) + lines; }

// ---- syntax ------------------------------------------------------------------------------------------

TEST(SyntaxError, MissingTargetAfterArrow) {
    auto run = run_spec(with_header("Closed + open ->\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:17: error: expected state name but found end of line\n"
              "Closed + open ->\n"
              "                ^\n");
    EXPECT_EQ(run.errors, 1u);
}

TEST(SyntaxError, MissingPlus) {
    auto run = run_spec(with_header("Closed open -> Opened\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:8: error: expected '+' but found 'open'\n"
              "Closed open -> Opened\n"
              "       ^~~~\n");
}

// A keyword where a list expects a name is reported as that kind of name, in every list of the
// language; never by X3's name for a list parser (a mangled C++ type, `N5boost6spirit2x34listI...`).
TEST(SyntaxError, KeywordInAListNamesWhatWasExpected) {
    struct Case {
        const char* line;  // the spec line (after the header) with `state` in a list
        const char* what;  // what the message must say was expected
    };
    const Case cases[] = {
        {"Closed + open / ring, state -> Opened\n", "action name"},
        {"Closed + open / state -> Opened\n", "action name"},
        {"{Closed, state} + open -> Opened\n", "state name"},
        {"* - {state} + open -> Opened\n", "state name"},
        {"Closed + open [ok && state] -> Opened\n", "guard name"},
        {"namespace a::state\n", "namespace name"},
        {"state Ajar { entry ring, state }\n", "action name"},
        {"events { timer: t, state }\n", "event name"},
    };
    for (const Case& c : cases) {
        auto run = run_spec(with_header(c.line));
        std::string first = run.diagnostics.substr(0, run.diagnostics.find('\n'));
        EXPECT_NE(first.find(std::string(": error: expected ") + c.what + " but found 'state' ('state' is a keyword)"), std::string::npos)
            << c.line << run.diagnostics;
        EXPECT_EQ(run.diagnostics.find("boost"), std::string::npos) << run.diagnostics;
        EXPECT_EQ(run.errors, 1u) << run.diagnostics;
    }
}

TEST(SyntaxError, KeywordInAnActionList) {
    auto run = run_spec(with_header("Closed + open / ring, final -> Opened\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:23: error: expected action name but found 'final' ('final' is a keyword)\n"
              "Closed + open / ring, final -> Opened\n"
              "                      ^~~~~\n");
}

// An events block or a state declaration with a syntax error declares nothing: each use of its
// names would be one more "unknown" error, burying the one to fix.
TEST(SyntaxError, BrokenEventsBlockDoesNotCascade) {
    auto run = run_spec("machine door\n"
                        "events { user: open, close; }\n"
                        "initial state Closed\n"
                        "state Opened\n"
                        "Closed + open -> Opened\n"
                        "Opened + close -> Closed\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:27: error: expected '}' but found ';'\n"
              "events { user: open, close; }\n"
              "                          ^\n");
}

TEST(SyntaxError, BrokenStateDeclarationDoesNotCascade) {
    auto run = run_spec("machine door\n"
                        "events { user: open, close }\n"
                        "initial state Closed\n"
                        "state final\n"
                        "Closed + open -> Opened\n"
                        "Opened + close -> Closed\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:4:7: error: expected state name but found 'final' ('final' is a keyword)\n"
              "state final\n"
              "      ^~~~~\n");
}

// Only conjunctions exist: the message says so when someone reaches for a disjunction.
TEST(SyntaxError, DisjunctionInAGuard) {
    auto run = run_spec(with_header("Closed + open [ok || forced] -> Opened\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:19: error: expected ']' but found '||'; a guard is a conjunction like [a && !b]: '&&' and '!' exist, "
              "'||' does not; write one row per alternative\n"
              "Closed + open [ok || forced] -> Opened\n"
              "                  ^~\n");
}

TEST(SyntaxError, UnterminatedString) {
    auto run = run_spec("machine door \"a door\ninitial state A\n");
    EXPECT_EQ(run.diagnostics.substr(0, run.diagnostics.find('\n')),
              "t.fsm:1:21: error: expected closing '\"' of the string (strings end on their line) but found end of line");
}

TEST(SyntaxError, OneErrorPerBadTransitionLine) {
    auto run = run_spec(with_header("Closed + -> Opened\n"
                                    "Opened + close Closed\n"
                                    "Closed + open -> Opened\n"
                                    "Opened close -> Closed\n"));
    EXPECT_EQ(run.errors, 3u) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:5:10: error: expected event name but found '-'"), std::string::npos) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:6:16: error: unexpected 'Closed' after the statement; write one statement per line"),
              std::string::npos) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:8:8: error: expected '+' but found 'close'"), std::string::npos) << run.diagnostics;
}

TEST(SyntaxError, NotAStatement) {
    auto run = run_spec("machine m\n123 + a\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:1: error: expected a statement (machine, namespace, include, events, state, or a transition) but found '123'\n"
              "123 + a\n"
              "^~~\n");
}

TEST(SyntaxError, NonAsciiNameSaysWhatIsAllowed) {
    auto run = run_spec("machine m\nétat + a -> b\n");
    EXPECT_EQ(run.diagnostics.substr(0, run.diagnostics.find('\n')),
              "t.fsm:2:1: error: expected a statement (machine, namespace, include, events, state, or a transition) but found 'é'; "
              "names are ASCII ([A-Za-z_][A-Za-z0-9_]*), UTF-8 is allowed in strings and comments");
}

TEST(SyntaxError, ColumnsCountCodePointsNotBytes) {
    // The doc string holds two-byte characters; the caret must still sit under the bad token.
    auto run = run_spec("machine m \"ééé\" x\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:1:17: error: unexpected 'x' after the statement; write one statement per line\n"
              "machine m \"ééé\" x\n"
              "                ^\n");
}

TEST(SyntaxError, TabsAreKeptInTheCaretLine) {
    auto run = run_spec("machine m\n\tA \t+ -> B\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:7: error: expected event name but found '-'\n"
              "\tA \t+ -> B\n"
              "\t  \t  ^\n");
}

TEST(SyntaxError, KeywordUsedAsName) {
    auto run = run_spec("machine m\nstate state\n");
    EXPECT_EQ(run.diagnostics.substr(0, run.diagnostics.find('\n')),
              "t.fsm:2:7: error: expected state name but found 'state' ('state' is a keyword)");
}

TEST(SyntaxError, ErrorInsideBlockResumesAfterTheBlock) {
    auto run = run_spec("machine m\nevents {\n  user: a b c\n  timer: t\n}\nstate S +\n");
    // One error for the events block (not one per line inside it), one for the state line.
    EXPECT_EQ(run.errors, 2u) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:3:13: error: expected ':' but found 'c'"), std::string::npos) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:6:9: error: unexpected '+' after the statement"), std::string::npos) << run.diagnostics;
}

TEST(SyntaxError, UnknownEscapeInString) {
    auto run = run_spec("machine m \"a\\qb\"\n");
    EXPECT_EQ(run.diagnostics.substr(0, run.diagnostics.find('\n')),
              "t.fsm:1:14: error: expected an escape (\\\" \\\\ \\n or \\t) but found 'qb'");
}

// ---- semantics ---------------------------------------------------------------------------------------

TEST(CheckError, UnknownStateWithHint) {
    auto run = run_spec(with_header("Closed + open -> Opend\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:18: error: unknown state 'Opend'; did you mean 'Opened'?\n"
              "Closed + open -> Opend\n"
              "                 ^~~~~\n");
}

TEST(CheckError, UnknownEventWithHint) {
    auto run = run_spec(with_header("Closed + opne -> Opened\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:10: error: unknown event 'opne'; did you mean 'open'?\n"
              "Closed + opne -> Opened\n"
              "         ^~~~\n");
}

// Event data (docs/spec-language.md, "Events with data"): each problem at its position.
TEST(CheckError, FieldNamedLikeItsEvent) {
    auto run = run_spec("machine m\nevents { msg: a(a: int) }\ninitial state A\nA + a -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:17: error: field 'a' has the name of its event; C++ does not allow a member named like its class\n"
              "events { msg: a(a: int) }\n"
              "                ^\n");
}

TEST(CheckError, DuplicateFieldAndKeywordField) {
    auto run = run_spec("machine m\nevents { msg: a(x: int, x: bool, class: int) }\ninitial state A\nA + a -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:25: error: duplicate field 'x' in event 'a'\n"
              "events { msg: a(x: int, x: bool, class: int) }\n"
              "                        ^\n"
              "t.fsm:2:34: error: field 'class' is a C++ keyword; the generated code could not use it\n"
              "events { msg: a(x: int, x: bool, class: int) }\n"
              "                                 ^~~~~\n");
}

TEST(CheckError, UnknownTypeWithoutInclude) {
    auto run = run_spec("machine m\nevents { msg: a(cert: tls::certificate) }\ninitial state A\nA + a -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:23: error: type 'tls::certificate' is not a standard type fsmgen knows; declare the header that defines it "
              "with 'include \"header.hpp\"' (or include <header>)\n"
              "events { msg: a(cert: tls::certificate) }\n"
              "                      ^~~~~~~~~~~~~~~~\n");
    EXPECT_EQ(run_spec("machine m\ninclude \"tls.hpp\"\nevents { msg: a(cert: tls::certificate) }\ninitial state A\nfinal state B\nA + a -> B\n").diagnostics, "");
}

TEST(CheckError, EventTypeTwiceAndBuiltin) {
    auto run = run_spec("machine m\ninclude <x.h>\nevents { msg: a = x::t, b = ::x::t, c = int }\ninitial state A\nA + a -> A\nA + b -> A\nA + c -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:3:29: error: events 'a' and 'b' are the same type; an event type identifies one event\n"
              "events { msg: a = x::t, b = ::x::t, c = int }\n"
              "                            ^~~~~~\n"
              "t.fsm:3:15: note: the other one\n"
              "events { msg: a = x::t, b = ::x::t, c = int }\n"
              "              ^\n"
              "t.fsm:3:41: error: an event's type must be a class type, not 'int'\n"
              "events { msg: a = x::t, b = ::x::t, c = int }\n"
              "                                        ^~~\n");
}

TEST(ParseError, FieldWithoutType) {
    auto run = run_spec("machine m\nevents { msg: a(x) }\ninitial state A\nA + a -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:18: error: expected ':' but found ')'\n"
              "events { msg: a(x) }\n"
              "                 ^\n");
}

TEST(ParseError, TypeWithPointer) {
    auto run = run_spec("machine m\nevents { msg: a(x: char*) }\ninitial state A\nA + a -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:24: error: expected ',' or ')' but found '*'\n"
              "events { msg: a(x: char*) }\n"
              "                       ^\n");
}

TEST(CheckError, DuplicateStateWithNote) {
    auto run = run_spec(with_header("state Opened\nClosed + open -> Opened\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:7: error: duplicate state 'Opened'\n"
              "state Opened\n"
              "      ^~~~~~\n"
              "t.fsm:4:7: note: previously declared here\n"
              "state Opened\n"
              "      ^~~~~~\n");
}

TEST(CheckError, DuplicateEvent) {
    auto run = run_spec("machine m\nevents { user: a\n timer: a }\ninitial state A\nA + a -> A\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:3:9: error: duplicate event 'a'\n"), std::string::npos) << run.diagnostics;
    EXPECT_NE(run.diagnostics.find("t.fsm:2:16: note: previously declared here\n"), std::string::npos) << run.diagnostics;
}

TEST(CheckError, DuplicateMachine) {
    auto run = run_spec("machine a\nmachine b\nevents { user: e }\ninitial state A\nA + e -> A\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:2:1: error: duplicate machine declaration; a spec describes one machine\n"),
              std::string::npos) << run.diagnostics;
}

TEST(CheckError, NoInitialState) {
    auto run = run_spec("machine m\nevents { user: e }\nstate A\nA + e -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:3:1: error: no initial state; mark one state 'initial state NAME'\n"
              "state A\n"
              "^~~~~~~\n");
}

TEST(CheckError, SeveralInitialStates) {
    auto run = run_spec("machine m\nevents { user: e }\ninitial state A\ninitial state B\nA + e -> B\nB + e -> A\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:4:15: error: several initial states: 'A' and 'B'\n"
              "initial state B\n"
              "              ^\n"
              "t.fsm:3:15: note: first initial state declared here\n"
              "initial state A\n"
              "              ^\n");
}

TEST(CheckWarning, UnreachableState) {
    auto run = run_spec(with_header("state Lost\nClosed + open -> Opened\nOpened + close -> Closed\nLost + open -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:5:7: warning: state 'Lost' is unreachable from the initial state 'Closed'\n"
              "state Lost\n"
              "      ^~~~\n");
    EXPECT_EQ(run.errors, 0u);
    EXPECT_TRUE(run.model.has_value());
}

TEST(CheckError, StateWithoutWayOutMustBeFinal) {
    auto run = run_spec(with_header("Closed + open -> Opened\nOpened + close / beep\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:4:7: error: state 'Opened' has no transition to another state; declare it 'final state' if that is intended\n"
              "state Opened\n"
              "      ^~~~~~\n");
}

// Boost.MSM's back end does not compile above 256 states (check.cpp): the 257th is reported.
TEST(CheckError, TooManyStates) {
    std::string spec = "machine m\nevents { user: e }\n";
    for (int i = 0; i < 257; ++i) spec += std::string(i == 0 ? "initial " : "") + "state S" + std::to_string(i) + "\n";
    for (int i = 0; i < 257; ++i) spec += "S" + std::to_string(i) + " + e -> S" + std::to_string((i + 1) % 257) + "\n";
    auto run = run_spec(spec);
    EXPECT_EQ(run.diagnostics,
              "t.fsm:259:7: error: state 'S256' is state number 257; a machine has at most 256 states (above that Boost.MSM's "
              "back end exceeds the compilers' default template depth)\n"
              "state S256\n"
              "      ^~~~\n");
    EXPECT_EQ(run.errors, 1u);
}

// The smallest machine: one state, initial and final, and no row (its header must still compile:
// msm_edge_test.cpp includes it).
TEST(CheckError, MachineWithoutRowsIsAccepted) {
    auto run = run_spec("machine m\nevents { user: e }\ninitial final state A\n");
    EXPECT_EQ(run.errors, 0u) << run.diagnostics;
}

TEST(CheckError, FinalStateMayNotHaveOutgoingTransitions) {
    auto run = run_spec("machine m\nevents { user: e }\ninitial state A\nfinal state B\nA + e -> B\nB + e -> A\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:6:1: error: final state 'B' has an outgoing transition\n"), std::string::npos)
        << run.diagnostics;
}

TEST(CheckError, NondeterminismWithoutExcludingGuards) {
    auto run = run_spec(with_header("Closed + open [ok] -> Opened\nClosed + open [fast] / beep\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:6:1: error: nondeterministic: state 'Closed' on event 'open' has another transition that its guards do not exclude\n"
              "Closed + open [fast] / beep\n"
              "^~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
              "t.fsm:5:1: note: the other transition; give one a guard that the other negates\n"
              "Closed + open [ok] -> Opened\n"
              "^~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(CheckError, NegatedGuardsAreDeterministic) {
    auto run = run_spec(with_header("Closed + open [ok] -> Opened\nClosed + open [!ok] / beep\nOpened + close -> Closed\n"));
    EXPECT_EQ(run.diagnostics, "");
    ASSERT_TRUE(run.model.has_value());
    EXPECT_EQ(run.model->transitions.size(), 3u);
}

TEST(CheckError, WildcardOverlappingASpecificRow) {
    auto run = run_spec(with_header("Closed + open -> Opened\nOpened + close -> Closed\n* + close -> Closed\n"));
    EXPECT_NE(run.diagnostics.find("t.fsm:7:1: error: nondeterministic: state 'Opened' on event 'close'"), std::string::npos)
        << run.diagnostics;
}

TEST(CheckError, ContradictoryGuard) {
    auto run = run_spec(with_header("Closed + open [ok && !ok] -> Opened\nOpened + close -> Closed\n"));
    EXPECT_NE(run.diagnostics.find("t.fsm:5:22: error: guard 'ok' is required both true and false; this transition can never fire\n"),
              std::string::npos) << run.diagnostics;
}

TEST(CheckError, NameUsedAsGuardAndAction) {
    auto run = run_spec(with_header("Closed + open [ready] -> Opened\nOpened + close / ready -> Closed\n"));
    EXPECT_NE(run.diagnostics.find("t.fsm:6:18: error: 'ready' is used as a action here but as a guard elsewhere; a name has one role\n"),
              std::string::npos) << run.diagnostics;
}

TEST(CheckError, CppKeywordAsName) {
    auto run = run_spec("machine m\nevents { user: delete }\ninitial state A\nA + delete -> A\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:2:16: error: event 'delete' is a C++ keyword; the generated code could not use it\n"),
              std::string::npos) << run.diagnostics;
}

TEST(CheckError, ReservedIdentifier) {
    auto run = run_spec("machine m\nevents { user: e }\ninitial state __A\n__A + e -> __A\n");
    EXPECT_NE(run.diagnostics.find("error: state '__A' is reserved in C++"), std::string::npos) << run.diagnostics;
}

// Regression: these names passed check and failed only in `emit -t msm` (without a position) or in
// the C++ compiler. Each is reported where it is written (reserved_names.cpp is the one list).
TEST(CheckError, NamesTheGeneratedHeaderCannotTakeAreReportedAtTheirPosition) {
    struct Case {
        std::string spec;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"machine m\nevents { user: NULL }\ninitial state A\nA + NULL -> A\n",
         "t.fsm:2:16: error: event 'NULL' is a macro of the C++ standard library or of the compiler (-std=gnu++17)"},
        {"machine m\nevents { user: e }\ninitial state A\nstate EOF\nA + e -> EOF\nEOF + e -> A\n", "t.fsm:4:7: error: state 'EOF' is a macro"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e [errno] -> A\n", "t.fsm:4:8: error: guard 'errno' is a macro"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e / SIZE_MAX -> A\n", "t.fsm:4:9: error: action 'SIZE_MAX' is a macro"},
        {"machine m\nevents { user: EXIT_FAILURE }\ninitial state A\nA + EXIT_FAILURE -> A\n", "t.fsm:2:16: error: event 'EXIT_FAILURE' is a macro"},
        {"machine m\nevents { user: e }\ninitial state linux\nlinux + e -> linux\n", "t.fsm:3:15: error: state 'linux' is a macro"},
        {"machine m\nevents { user: e }\ninitial state unix\nunix + e -> unix\n", "t.fsm:3:15: error: state 'unix' is a macro"},
        {"machine m\nevents { user: INT32_MAX }\ninitial state A\nA + INT32_MAX -> A\n", "error: event 'INT32_MAX' is a macro"},
        {"machine m\nevents { user: PRIu64 }\ninitial state A\nA + PRIu64 -> A\n", "error: event 'PRIu64' is a macro"},
        {"machine m\nevents { user: e }\ninitial state FSMGEN_MSM_SUPPORT_1\nFSMGEN_MSM_SUPPORT_1 + e -> FSMGEN_MSM_SUPPORT_1\n",
         "t.fsm:3:15: error: state 'FSMGEN_MSM_SUPPORT_1' starts like the macros of Boost or of fsmgen's headers"},
        {"machine m\nevents { user: BOOST_VERSION }\ninitial state A\nA + BOOST_VERSION -> A\n", "error: event 'BOOST_VERSION' starts like"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e [log] -> A\n",
         "t.fsm:4:8: error: guard 'log' is a name the generated scripted_context uses (docs/generated-api.md)"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e / ask -> A\n", "t.fsm:4:9: error: action 'ask' is a name the generated"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e / report -> A\n", "t.fsm:4:9: error: action 'report' is a name the generated"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e [E] -> A\n", "t.fsm:4:8: error: guard 'E' is a name the generated"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e [scripted_context] -> A\n", "error: guard 'scripted_context' is a name the generated"},
        {"machine m\nevents { user: e }\ninitial state A { entry event_id }\nA + e -> A\n", "t.fsm:3:25: error: action 'event_id' is a name the generated"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e / id_of -> A\n", "error: action 'id_of' is a name the generated"},
        {"machine std\nevents { user: e }\ninitial state A\nA + e -> A\n", "t.fsm:1:9: error: machine name 'std' is a namespace of the standard library"},
        {"machine m\nnamespace boost::x\nevents { user: e }\ninitial state A\nA + e -> A\n", "t.fsm:2:11: error: namespace 'boost' is a namespace of"},
        {"machine m\nnamespace fsmgen_msm\nevents { user: e }\ninitial state A\nA + e -> A\n", "t.fsm:2:11: error: namespace 'fsmgen_msm' is a namespace of"},
        {"machine main\nevents { user: e }\ninitial state A\nA + e -> A\n", "t.fsm:1:9: error: machine name 'main' would be a namespace at global scope"},
        {"machine m\nevents { user: history_policy }\ninitial state A\nA + history_policy -> A\n",
         "t.fsm:2:16: error: event 'history_policy' is a name Boost.MSM looks for inside event types"},
        {"machine m\nevents { user: e }\ninitial state A\nA + e / on_row -> A\n", "t.fsm:4:9: error: action 'on_row' is a name the generated"},
    };
    for (const auto& c : cases) {
        auto run = run_spec(c.spec);
        EXPECT_FALSE(run.model.has_value()) << c.spec;
        EXPECT_NE(run.diagnostics.find(c.expected), std::string::npos) << c.spec << "\n" << run.diagnostics;
    }
    // Inner components and other roles may take these names: the header qualifies what it uses.
    for (const char* ok : {"machine m\nnamespace a::std::boost::detail::mpl::msm\nevents { user: e }\ninitial state A\nfinal state B\nA + e -> B\n",
                           "machine m\nnamespace detail\nevents { user: log, E }\ninitial state event_id\nfinal state B\nevent_id + log -> B\nevent_id + E -> event_id\n"}) {
        auto run = run_spec(ok);
        EXPECT_TRUE(run.model.has_value()) << ok << run.diagnostics;
    }
}

TEST(CheckError, InvalidUtf8InString) {
    auto run = run_spec("machine m \"bad \xff byte\"\nevents { user: e }\ninitial state A\nA + e -> A\n");
    EXPECT_NE(run.diagnostics.find("t.fsm:1:11: error: string is not valid UTF-8\n"), std::string::npos) << run.diagnostics;
}

TEST(CheckWarning, UnusedEvent) {
    auto run = run_spec("machine m\nevents { user: e, spare }\ninitial state A\nfinal state B\nA + e -> B\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:2:19: warning: event 'spare' is declared but never used\n"
              "events { user: e, spare }\n"
              "                  ^~~~~\n");
}

TEST(CheckWarning, NearMissActionName) {
    auto run = run_spec(with_header("Closed + open / send_ack -> Opened\n"
                                    "Opened + open / send_ack\n"
                                    "Opened + close / send_akc -> Closed\n"));
    EXPECT_EQ(run.diagnostics,
              "t.fsm:7:18: warning: action 'send_akc' looks like a misspelling of action 'send_ack'; did you mean 'send_ack'?\n"
              "Opened + close / send_akc -> Closed\n"
              "                 ^~~~~~~~\n"
              "t.fsm:5:17: note: 'send_ack' is used here\n"
              "Closed + open / send_ack -> Opened\n"
              "                ^~~~~~~~\n");
}

// Every kind of near miss at once, with ties and case: the same warnings, in the same order, as the
// pairwise comparison the check used before it searched deletion neighbourhoods.
TEST(CheckWarning, NearMissNamesEveryKind) {
    auto run = run_spec("machine door \"a door\"\n"
                        "events { user: open, close, lock }\n"
                        "initial state Closed\n"
                        "state Opened\n"
                        "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
                        "Opened + close [is_fre] / send_akc, ring_bell -> Closed\n"
                        "Opened + lock / send_ack, start_tmr, ring_bel\n"
                        "Closed + lock [!is_free] / sendack, start_tmr2\n");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:6:17: warning: guard 'is_fre' looks like a misspelling of guard 'is_free'; did you mean 'is_free'?\n"
              "Opened + close [is_fre] / send_akc, ring_bell -> Closed\n"
              "                ^~~~~~\n"
              "t.fsm:5:16: note: 'is_free' is used here\n"
              "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
              "               ^~~~~~~\n"
              "t.fsm:7:38: warning: action 'ring_bel' looks like a misspelling of action 'Ring_bell'; did you mean 'Ring_bell'?\n"
              "Opened + lock / send_ack, start_tmr, ring_bel\n"
              "                                     ^~~~~~~~\n"
              "t.fsm:5:37: note: 'Ring_bell' is used here\n"
              "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
              "                                    ^~~~~~~~~\n"
              "t.fsm:7:38: warning: action 'ring_bel' looks like a misspelling of action 'ring_bell'; did you mean 'ring_bell'?\n"
              "Opened + lock / send_ack, start_tmr, ring_bel\n"
              "                                     ^~~~~~~~\n"
              "t.fsm:6:37: note: 'ring_bell' is used here\n"
              "Opened + close [is_fre] / send_akc, ring_bell -> Closed\n"
              "                                    ^~~~~~~~~\n"
              "t.fsm:6:37: warning: action 'ring_bell' looks like a misspelling of action 'Ring_bell'; did you mean 'Ring_bell'?\n"
              "Opened + close [is_fre] / send_akc, ring_bell -> Closed\n"
              "                                    ^~~~~~~~~\n"
              "t.fsm:5:37: note: 'Ring_bell' is used here\n"
              "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
              "                                    ^~~~~~~~~\n"
              "t.fsm:6:27: warning: action 'send_akc' looks like a misspelling of action 'send_ack'; did you mean 'send_ack'?\n"
              "Opened + close [is_fre] / send_akc, ring_bell -> Closed\n"
              "                          ^~~~~~~~\n"
              "t.fsm:5:27: note: 'send_ack' is used here\n"
              "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
              "                          ^~~~~~~~\n"
              "t.fsm:8:28: warning: action 'sendack' looks like a misspelling of action 'send_ack'; did you mean 'send_ack'?\n"
              "Closed + lock [!is_free] / sendack, start_tmr2\n"
              "                           ^~~~~~~\n"
              "t.fsm:5:27: note: 'send_ack' is used here\n"
              "Closed + open [is_free] / send_ack, Ring_bell -> Opened\n"
              "                          ^~~~~~~~\n");
    EXPECT_EQ(run.warnings, 6u);
}

TEST(CheckWarning, NumberedNamesAreNotMisspellings) {
    auto run = run_spec(with_header("Closed + open / start_timer1 -> Opened\n"
                                    "Opened + close / start_timer2 -> Closed\n"));
    EXPECT_EQ(run.diagnostics, "");
}

TEST(CheckWarning, WerrorMakesWarningsErrors) {
    auto run = run_spec("machine m\nevents { user: e, spare }\ninitial state A\nfinal state B\nA + e -> B\n", /*werror=*/true);
    EXPECT_EQ(run.errors, 1u);
    EXPECT_NE(run.diagnostics.find("t.fsm:2:19: error: event 'spare' is declared but never used"), std::string::npos);
    EXPECT_FALSE(run.model.has_value());
}

TEST(CheckError, EmptyFile) {
    auto run = run_spec("");
    EXPECT_EQ(run.diagnostics,
              "t.fsm:1:1: error: the spec has no 'machine NAME' declaration\n"
              "\n"
              "^\n");
}

}  // namespace
}  // namespace fsmgen
