// The diagram and table targets: golden files for a small spec, for a spec of names and doc strings
// that every language must escape, and for spec/tcp.fsm; the folding of rows into arrows and
// compartments; and the svg target with and without Graphviz on PATH.
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <sys/stat.h>

namespace fsmgen {
namespace {

model::Model load(const std::string& relative) {
    auto run = testing::run_spec(testing::read_file(testing::source_path(relative)), false, relative);
    if (!run.model) ADD_FAILURE() << relative << ":\n" << run.diagnostics;
    EXPECT_EQ(run.diagnostics, "") << relative;
    return run.model ? *run.model : model::Model{};
}

std::string emit(const model::Model& m, const std::string& target) {
    const Backend* backend = find_backend(target);
    EXPECT_NE(backend, nullptr) << target;
    if (!backend) return {};
    MemorySink sink;
    backend->emit(m, {}, sink);
    EXPECT_EQ(sink.files.size(), 1u) << target << " writes only its main output";
    return sink.files[""];
}

struct GoldenCase {
    const char* spec;  // from the repository root
    const char* dir;   // where the golden file lies
    const char* stem;  // golden file name without extension
    const char* target;
    const char* extension;
};

class GoldenDiagram : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenDiagram, MatchesReviewedFile) {
    const GoldenCase& c = GetParam();
    model::Model m = load(c.spec);
    ASSERT_FALSE(m.states.empty());
    std::string first = emit(m, c.target);
    EXPECT_EQ(first, emit(m, c.target)) << "same model, different bytes";
    testing::expect_golden(std::string(c.dir) + "/" + c.stem + "." + c.extension, first);
}

std::vector<GoldenCase> golden_cases() {
    std::vector<GoldenCase> out;
    // TCP's golden files are the checked-in generated/ outputs themselves: one reviewed copy, not two.
    const std::tuple<const char*, const char*, const char*> specs[] = {
        {"tests/specs/door.fsm", "tests/golden", "door"},
        {"tests/specs/diagram_escapes.fsm", "tests/golden", "diagram_escapes"},
        {"spec/tcp.fsm", "generated", "tcp"}};
    const std::pair<const char*, const char*> targets[] = {
        {"dot", "dot"}, {"mermaid", "mmd"}, {"mermaid-state", "state.mmd"}, {"plantuml", "puml"}, {"table", "md"}};
    for (const auto& [spec, dir, stem] : specs)
        for (const auto& [target, extension] : targets) out.push_back({spec, dir, stem, target, extension});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Targets, GoldenDiagram, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                             std::string name = std::string(info.param.stem) + "_" + info.param.target;
                             for (char& ch : name)
                                 if (ch == '-') ch = '_';
                             return name;
                         });

// The diagram options, each in a reviewed file: door.fsm drawn left to right without internal rows,
// legend or doc strings, and its user calls alone, compact, without guards or actions.
struct OptionsCase {
    const char* stem;
    DiagramOptions options;
};

class GoldenDiagramOptions : public ::testing::TestWithParam<std::tuple<OptionsCase, std::pair<const char*, const char*>>> {};

TEST_P(GoldenDiagramOptions, MatchesReviewedFile) {
    const auto& [c, target] = GetParam();
    model::Model m = load("tests/specs/door.fsm");
    EmitOptions options;
    options.diagram = c.options;
    MemorySink sink;
    find_backend(target.first)->emit(m, options, sink);
    testing::expect_golden(std::string("tests/golden/") + c.stem + "." + target.second, sink.files[""]);
}

OptionsCase options_case(const char* stem, bool overview) {
    DiagramOptions o;
    if (overview) {
        o.left_to_right = o.hide_internal = o.hide_legend = o.hide_docs = true;
    } else {
        o.only = "user";
        o.compact = o.hide_actions = o.hide_guards = true;
    }
    return {stem, o};
}

INSTANTIATE_TEST_SUITE_P(
    Options, GoldenDiagramOptions,
    ::testing::Combine(::testing::Values(options_case("door_overview", true), options_case("door_user_compact", false)),
                       ::testing::Values(std::pair<const char*, const char*>{"dot", "dot"},
                                         std::pair<const char*, const char*>{"mermaid", "mmd"},
                                         std::pair<const char*, const char*>{"mermaid-state", "state.mmd"},
                                         std::pair<const char*, const char*>{"plantuml", "puml"})),
    [](const auto& info) {
        std::string name = std::string(std::get<0>(info.param).stem) + "_" + std::get<1>(info.param).first;
        for (char& ch : name)
            if (ch == '-') ch = '_';
        return name;
    });

// Every row of the spec is drawn exactly once: as a line of an arrow or of a state's compartment.
TEST(DiagramFold, EveryTcpRowDrawnOnce) {
    model::Model m = load("spec/tcp.fsm");
    diagram::Folded f = diagram::fold(m);
    std::vector<int> seen(m.transitions.size(), 0);
    std::size_t internal_rows = 0;
    for (std::size_t s = 0; s < f.internal.size(); ++s)
        for (const auto& line : f.internal[s])
            for (std::size_t row : line.rows) {
                ++seen[row];
                ++internal_rows;
                EXPECT_TRUE(m.transitions[row].internal());
                EXPECT_EQ(m.transitions[row].source, s);
            }
    for (const auto& e : f.edges)
        for (const auto& line : e.lines)
            for (std::size_t row : line.rows) {
                ++seen[row];
                const auto& t = m.transitions[row];
                EXPECT_EQ(t.target, e.target);
                EXPECT_EQ(m.events[t.event].category, e.category);
                EXPECT_NE(std::find(e.sources.begin(), e.sources.end(), t.source), e.sources.end());
                EXPECT_EQ(diagram::guard_text(m, t), line.guard);
            }
    for (std::size_t row = 0; row < seen.size(); ++row) EXPECT_EQ(seen[row], 1) << "row " << row;
    std::size_t model_internal = 0;
    for (const auto& t : m.transitions) model_internal += t.internal();
    EXPECT_EQ(internal_rows, model_internal);
    EXPECT_GT(internal_rows, 100u) << "TCP has many internal rows; the test would prove little without them";
}

// Every option combination: a row is drawn exactly once if the options keep it, else not at all; a
// drawn line says what its rows say (guard, actions unless hidden); compact gathers every row with the
// same event, guard, actions and target into one arrow.
void expect_fold_keeps_exactly_the_chosen_rows(const model::Model& m, const DiagramOptions& o) {
    SCOPED_TRACE(::testing::Message() << "internal " << o.hide_internal << " actions " << o.hide_actions << " guards "
                                      << o.hide_guards << " shared " << o.hide_shared << " compact " << o.compact
                                      << " only " << (o.only ? *o.only : std::string("-")));
    diagram::Folded f = diagram::fold(m, o);
    std::vector<int> seen(m.transitions.size(), 0);
    std::vector<const diagram::Edge*> edge_of(m.transitions.size(), nullptr);
    auto check_line = [&](const diagram::LabelLine& line, std::size_t row) {
        const auto& t = m.transitions[row];
        ++seen[row];
        EXPECT_EQ(line.guard, o.hide_guards ? "" : diagram::guard_text(m, t));
        EXPECT_EQ(line.actions, o.hide_actions ? "" : diagram::join_names(t.actions, m.actions));
        EXPECT_NE(std::find(line.events.begin(), line.events.end(), t.event), line.events.end());
    };
    for (std::size_t s = 0; s < f.internal.size(); ++s)
        for (const auto& line : f.internal[s])
            for (std::size_t row : line.rows) {
                check_line(line, row);
                EXPECT_EQ(m.transitions[row].source, s);
            }
    for (const auto& e : f.edges)
        for (const auto& line : e.lines)
            for (std::size_t row : line.rows) {
                check_line(line, row);
                edge_of[row] = &e;
                const auto& t = m.transitions[row];
                EXPECT_EQ(t.target, e.target);
                EXPECT_EQ(m.events[t.event].category, e.category);
                EXPECT_NE(std::find(e.sources.begin(), e.sources.end(), t.source), e.sources.end());
            }
    for (std::size_t row = 0; row < m.transitions.size(); ++row) {
        const auto& t = m.transitions[row];
        bool kept = !(o.only && m.categories[m.events[t.event].category].name != *o.only) && !(o.hide_internal && t.internal()) &&
                    !(o.hide_shared && m.rules[t.rule].kind != model::SourceKind::single);
        EXPECT_EQ(seen[row], kept ? 1 : 0) << "row " << row;
    }
    if (!o.compact) return;
    for (std::size_t a = 0; a < m.transitions.size(); ++a)
        for (std::size_t b = a + 1; b < m.transitions.size(); ++b) {
            const auto &ta = m.transitions[a], &tb = m.transitions[b];
            if (!edge_of[a] || !edge_of[b] || ta.event != tb.event || ta.target != tb.target) continue;
            bool same_guard = o.hide_guards || diagram::guard_text(m, ta) == diagram::guard_text(m, tb);
            bool same_actions = o.hide_actions || ta.actions == tb.actions;
            if (same_guard && same_actions) {
                EXPECT_EQ(edge_of[a], edge_of[b]) << "rows " << a << " and " << b;
            }
        }
}

TEST(DiagramFold, EveryOptionCombinationKeepsExactlyTheChosenRows) {
    for (const char* spec : {"spec/tcp.fsm", "tests/specs/door.fsm"}) {
        model::Model m = load(spec);
        std::vector<std::optional<std::string>> only = {std::nullopt};
        for (const model::Category& c : m.categories) only.push_back(c.name);
        for (unsigned bits = 0; bits < 32; ++bits)
            for (const auto& category : only) {
                DiagramOptions o;
                o.hide_internal = bits & 1;
                o.hide_actions = bits & 2;
                o.hide_guards = bits & 4;
                o.hide_shared = bits & 8;
                o.compact = bits & 16;
                o.only = category;
                expect_fold_keeps_exactly_the_chosen_rows(m, o);
            }
    }
}

TEST(DiagramFold, CompactSharesOneLabelAmongRowsThatDifferOnlyInSource) {
    model::Model m = load("spec/tcp.fsm");
    DiagramOptions o;
    o.compact = true;
    o.hide_internal = true;
    std::size_t plain = diagram::fold(m, {}).edges.size(), compact = diagram::fold(m, o).edges.size();
    EXPECT_LT(compact, plain) << "TCP has single-source rules that repeat one another";
}

TEST(DiagramFold, WildcardRuleIsOneArrowFromAJunction) {
    model::Model m = load("spec/tcp.fsm");
    diagram::Folded f = diagram::fold(m);
    // `* - {CLOSED, LISTEN, FIN_WAIT_2, TIME_WAIT} + user_timeout / report_timeout -> CLOSED`: seven
    // sources, one labelled arrow.
    std::size_t found = 0;
    for (const auto& e : f.edges)
        for (const auto& line : e.lines)
            if (diagram::line_text(m, line) == "user_timeout / report_timeout") {
                ++found;
                EXPECT_EQ(e.sources.size(), 7u);
                EXPECT_TRUE(e.junction());
                EXPECT_EQ(m.states[e.target].name, "CLOSED");
            }
    EXPECT_EQ(found, 1u);
}

TEST(DiagramFold, EventsSharingGuardAndActionsShareALine) {
    model::Model m = load("spec/tcp.fsm");
    diagram::Folded f = diagram::fold(m);
    auto closed = *m.find_state("CLOSED");
    std::vector<std::string> lines;
    for (const auto& line : f.internal[closed]) lines.push_back(diagram::line_text(m, line));
    EXPECT_NE(std::find(lines.begin(), lines.end(), "send, receive, close, abort / report_does_not_exist"), lines.end())
        << ::testing::PrintToString(lines);
}

TEST(DiagramLabels, WrapKeepsWordsAndExplicitBreaks) {
    EXPECT_EQ(diagram::wrap("", 10), std::vector<std::string>{});
    EXPECT_EQ(diagram::wrap("aaa bbb ccc", 7), (std::vector<std::string>{"aaa bbb", "ccc"}));
    EXPECT_EQ(diagram::wrap("averyveryverylongword x", 5), (std::vector<std::string>{"averyveryverylongword", "x"}));
    EXPECT_EQ(diagram::wrap("a\nb\tc", 40), (std::vector<std::string>{"a", "b c"}));
}

TEST(DiagramLabels, IdAllocatorAvoidsKeywordsAndTakenNames) {
    diagram::IdAllocator ids({"end", "style"});
    EXPECT_EQ(ids.take("END"), "END_");
    EXPECT_EQ(ids.take("end_"), "end__");
    EXPECT_EQ(ids.take("Closed"), "Closed");
    EXPECT_EQ(ids.take("closed"), "closed_");
}

// Keywords of each language never reach it as a bare name.
TEST(DiagramNames, KeywordStatesGetSafeIds) {
    model::Model m = load("tests/specs/diagram_escapes.fsm");
    std::string mermaid = emit(m, "mermaid");
    EXPECT_NE(mermaid.find("\n    end_(\""), std::string::npos);
    EXPECT_NE(mermaid.find("\n    subgraph_(\""), std::string::npos);
    EXPECT_EQ(mermaid.find("\n    end("), std::string::npos);
    std::string puml = emit(m, "plantuml");
    EXPECT_NE(puml.find("state \"note\" as note_\n"), std::string::npos);
    std::string dot = emit(m, "dot");
    EXPECT_NE(dot.find("\n    \"subgraph\" [label=<"), std::string::npos);
}

// Doc strings never break out of their label: no raw quote, angle bracket or ampersand survives.
TEST(DiagramNames, DocStringsAreEscaped) {
    model::Model m = load("tests/specs/diagram_escapes.fsm");
    std::string dot = emit(m, "dot");
    EXPECT_NE(dot.find("the &lt;start&gt; &amp; &quot;quote&quot;"), std::string::npos);
    std::string mermaid = emit(m, "mermaid");
    EXPECT_NE(mermaid.find("the #lt;start#gt; #amp; #quot;quote#quot;"), std::string::npos);
    EXPECT_NE(mermaid.find("back#92;slash #92;n not a newline<br/>real newline tab"), std::string::npos);
    std::string puml = emit(m, "plantuml");
    EXPECT_NE(puml.find("the &#60;start&#62; &#38; \"quote\""), std::string::npos);
    EXPECT_NE(puml.find("back\\\\slash \\\\n not a newline"), std::string::npos);
    std::string table = emit(m, "table");
    EXPECT_NE(table.find("doc with \\| pipe and \\# hash; semi % pct \\`tick\\`"), std::string::npos);
}

// Mermaid draws at most 50,000 characters (a longer text becomes one "Maximum text size" box) and,
// in a flowchart, 500 links; a diagram cannot raise either limit. A spec past them gets a smaller
// drawing that says in a comment what it left out, or a clear error.
// A ring of `states` states, each with `doc`, and `rows_per_state` rows from each.
model::Model ring(std::size_t states, std::size_t rows_per_state, const std::string& doc, const std::string& guard = "",
                  const std::string& action = "") {
    std::string spec = "machine ring \"" + doc + "\"\nevents {\n  user \"" + doc + "\": e0";
    for (std::size_t e = 1; e < rows_per_state; ++e) spec += ", e" + std::to_string(e);
    spec += "\n}\n";
    for (std::size_t i = 0; i < states; ++i) spec += std::string(i ? "" : "initial ") + "state S" + std::to_string(i) + " \"" + doc + "\"\n";
    for (std::size_t i = 0; i < states; ++i)
        for (std::size_t e = 0; e < rows_per_state; ++e)
            spec += "S" + std::to_string(i) + " + e" + std::to_string(e) + (guard.empty() ? "" : " [" + guard + "]") +
                    (action.empty() ? "" : " / " + action) + " -> S" + std::to_string((i + e + 1) % states) + "\n";
    auto run = testing::run_spec(spec);
    if (!run.model) ADD_FAILURE() << run.diagnostics;
    return run.model ? *run.model : model::Model{};
}

bool draws_every_state(const std::string& text, std::size_t states) {
    for (std::size_t i = 0; i < states; ++i)
        if (text.find("S" + std::to_string(i) + (text.find("stateDiagram-v2") != std::string::npos ? "\"" : "(")) == std::string::npos) return false;
    return true;
}

// Mermaid 10.9 and later typeset `$$...$$` in labels as KaTeX math, which fails on text that is not TeX:
// no two `$` stay side by side, even once the entity codes are decoded.
TEST(DiagramNames, DollarSignsAreNotMath) {
    auto run = testing::run_spec("machine m\nevents { user: go }\ninitial state A \"costs $$x$$\"\nstate B\nA + go -> B\nB + go -> A\n");
    ASSERT_TRUE(run.model) << run.diagnostics;
    for (const char* target : {"mermaid", "mermaid-state"}) {
        std::string text = emit(*run.model, target);
        EXPECT_NE(text.find("costs #36;\u200B#36;x#36;\u200B#36;"), std::string::npos) << target << ":\n" << text;
        EXPECT_EQ(text.find('$'), std::string::npos) << target;
    }
}

// Mermaid's layout keeps nodes in plain JavaScript objects: an ID such as `toString` fails the render.
TEST(DiagramNames, MermaidIdsAvoidObjectPrototypeMembers) {
    auto run = testing::run_spec("machine m\nevents { user: go }\ninitial state toString\nstate constructor\n"
                                 "toString + go -> constructor\nconstructor + go -> toString\n");
    ASSERT_TRUE(run.model) << run.diagnostics;
    std::string flowchart = emit(*run.model, "mermaid");
    EXPECT_NE(flowchart.find("\n    toString_(\""), std::string::npos) << flowchart;
    EXPECT_NE(flowchart.find("\n    constructor_(\""), std::string::npos) << flowchart;
    std::string state = emit(*run.model, "mermaid-state");
    EXPECT_NE(state.find("\n    state \"toString\" as toString_\n"), std::string::npos) << state;
    EXPECT_NE(state.find("\n    state \"constructor\" as constructor_\n"), std::string::npos) << state;
}

// Mermaid reads `="` as `='` from any `<word` up to the next '>': a '<' in the title with no '>' after
// it took the title's closing quote (found by the random-spec test, seed 1051514240).
TEST(DiagramNames, TitleHasNoTagStart) {
    auto run = testing::run_spec("machine m \"see <RFC 9293 and x =\"\nevents { user: go }\ninitial state A\nstate B\nA + go -> B\nB + go -> A\n");
    ASSERT_TRUE(run.model) << run.diagnostics;
    for (const char* target : {"mermaid", "mermaid-state"})
        EXPECT_NE(emit(*run.model, target).find("\ntitle: \"m: see \\x3CRFC 9293 and x =\"\n"), std::string::npos) << target;
}

TEST(MermaidLimits, DiagramsWithinTheLimitsAreDrawnInFull) {
    model::Model m = load("spec/tcp.fsm");
    for (const char* target : {"mermaid", "mermaid-state"}) EXPECT_EQ(emit(m, target).find("%% fsmgen:"), std::string::npos) << target;
}

TEST(MermaidLimits, LongDocStringsAreLeftOutToFit) {
    const std::string doc = [] {
        std::string d;
        for (int i = 0; i < 50; ++i) d += "a doc string of many words ";
        return d;
    }();
    model::Model m = ring(40, 1, doc);
    for (const char* target : {"mermaid", "mermaid-state"}) {
        std::string text = emit(m, target);
        EXPECT_LE(text.size(), 50'000u) << target;
        EXPECT_NE(text.find("\n%% fsmgen: doc strings left out: with them this diagram has "), std::string::npos) << target;
        EXPECT_EQ(text.find("many words"), std::string::npos) << target;
        EXPECT_TRUE(draws_every_state(text, 40)) << target << ":\n" << text;
    }
}

TEST(MermaidLimits, LongLabelsLeaveEventNamesOnly) {
    const std::string guard = "guard_" + std::string(120, 'g'), action = "action_" + std::string(200, 'a');
    model::Model m = ring(60, 5, "short", guard, action);
    for (const char* target : {"mermaid", "mermaid-state"}) {
        std::string text = emit(m, target);
        EXPECT_LE(text.size(), 50'000u) << target;
        EXPECT_NE(text.find("\n%% fsmgen: event names only (no doc strings, guards, actions or legend): "), std::string::npos) << target;
        EXPECT_EQ(text.find(guard), std::string::npos) << target;
        EXPECT_EQ(text.find(action), std::string::npos) << target;
        EXPECT_NE(text.find("e4"), std::string::npos) << target;
        EXPECT_TRUE(draws_every_state(text, 60)) << target;
    }
}

TEST(MermaidLimits, MoreThan500LinksIsAClearErrorForTheFlowchartOnly) {
    model::Model m = ring(60, 10, "");
    try {
        emit(m, "mermaid");
        ADD_FAILURE() << "a flowchart of 600 rows was drawn";
    } catch (const EmitError& e) {
        EXPECT_NE(std::string(e.what()).find("601 links"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--only CATEGORY"), std::string::npos) << e.what();
    }
    std::string state = emit(m, "mermaid-state");  // Mermaid's state diagrams have no link limit
    EXPECT_EQ(state.find("%% fsmgen:"), std::string::npos);
    EXPECT_TRUE(draws_every_state(state, 60));
}

TEST(TableTarget, ListsEveryTcpRow) {
    model::Model m = load("spec/tcp.fsm");
    std::string table = emit(m, "table");
    std::size_t rows = 0;
    for (std::size_t i = 1; i <= m.transitions.size(); ++i)
        rows += table.find("\n| " + std::to_string(i) + " | `") != std::string::npos;
    EXPECT_EQ(rows, m.transitions.size());
    EXPECT_GT(rows, 180u);
    EXPECT_EQ(table.find("\n| " + std::to_string(m.transitions.size() + 1) + " | "), std::string::npos);
    for (const auto& s : m.states) EXPECT_NE(table.find("\n| `" + s.name + "` |"), std::string::npos) << s.name;
}

// Sets PATH for one test and puts it back, so that the other tests still find Graphviz.
class ScopedPath {
public:
    explicit ScopedPath(const std::string& value) {
        if (const char* old = std::getenv("PATH")) old_ = old;
        ::setenv("PATH", value.c_str(), 1);
    }
    ~ScopedPath() { ::setenv("PATH", old_.c_str(), 1); }

private:
    std::string old_;
};

std::filesystem::path make_temp_dir() {
    std::string pattern = ::testing::TempDir() + "fsmgen-diagram-XXXXXX";
    if (!::mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
    return pattern;
}

// The html page: self-contained, every placeholder filled, and the model inside it is the json target's,
// even for doc strings that try to close the <script> element or open a comment.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
    std::size_t start = text.find(open);
    if (start == std::string::npos) return {};
    start += open.size();
    return text.substr(start, text.find(close, start) - start);
}

TEST(HtmlTarget, PageCarriesTheModelAndTheDrawingAndNothingFromOutside) {
    for (const char* spec : {"tests/specs/diagram_escapes.fsm", "spec/tcp.fsm"}) {
        SCOPED_TRACE(spec);
        model::Model m = load(spec);
        std::string page = emit(m, "html");
        EXPECT_EQ(page, emit(m, "html")) << "same model, different bytes";
        for (const char* placeholder : {"@TITLE@", "@HEADING@", "@SOURCE@", "@CSS@", "@SVG@", "@MODEL@", "@DRAWING@", "@JS@"})
            EXPECT_EQ(page.find(placeholder), std::string::npos) << placeholder;
        for (const char* outside : {"src=\"http", "href=\"http", "@import", "url(", "<link", "src=\"//"})
            EXPECT_EQ(page.find(outside), std::string::npos) << outside;
        std::string model_block = between(page, "<script type=\"application/json\" id=\"fsm-model\">", "</script>");
        EXPECT_EQ(model_block.find('<'), std::string::npos);
        EXPECT_EQ(nlohmann::json::parse(model_block), nlohmann::json::parse(emit(m, "json")));
        auto drawing = nlohmann::json::parse(between(page, "<script type=\"application/json\" id=\"fsm-drawing\">", "</script>"));
        // Every drawn arrow is in the SVG under the id the script looks for.
        ASSERT_FALSE(drawing["edges"].empty());
        for (std::size_t k = 0; k < drawing["edges"].size(); ++k)
            EXPECT_NE(page.find("id=\"edge_" + std::to_string(k) + "\""), std::string::npos) << k;
        for (std::size_t s = 0; s < m.states.size(); ++s)
            EXPECT_NE(page.find("id=\"state_" + std::to_string(s) + "\""), std::string::npos) << s;
        EXPECT_EQ(page.find("<?xml"), std::string::npos) << "the SVG is inline, without its XML prolog";
    }
}

TEST(SvgTarget, RendersEveryStateWithGraphviz) {
    model::Model m = load("spec/tcp.fsm");
    std::string svg = emit(m, "svg");
    ASSERT_EQ(svg.rfind("<?xml", 0), 0u) << svg.substr(0, 200);
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    for (const auto& s : m.states) EXPECT_NE(svg.find("<title>" + s.name + "</title>"), std::string::npos) << s.name;
    EXPECT_EQ(svg, emit(m, "svg")) << "Graphviz output is expected to be byte-stable for one version";
}

TEST(SvgTarget, EscapedLabelsAreValidDot) {
    // Graphviz rejects a malformed HTML label with a non-zero exit, which the backend turns into an error.
    model::Model m = load("tests/specs/diagram_escapes.fsm");
    std::string svg;
    EXPECT_NO_THROW(svg = emit(m, "svg"));
    EXPECT_NE(svg.find("the &lt;start&gt; &amp; &quot;quote&quot;"), std::string::npos);
}

// Graphviz refuses a quoted ID or label text longer than 16384 bytes, a node wider than 65535 points
// ("Edge length ... larger than maximum 65535"), and from a pipe silently stops at a comment line
// longer than 16 KiB. A spec with very long names, docs, guards, action lists and event lists must
// still render: labels are wrapped, long words cut, long labels shortened, long IDs made unique.
std::string spec_with_long_labels() {
    const std::string name(20000, 'a'), other = name + "b", guard(20000, 'g'), action(20000, 'x');
    std::string doc;
    for (int i = 0; i < 20000; ++i) doc += "word ";
    doc += std::string(30000, 'y') + " & < > \\\" \xc3\xa9";
    std::string events, entry = action;
    for (int i = 0; i < 500; ++i) events += ", e" + std::to_string(i);
    for (int i = 0; i < 200; ++i) entry += ", act" + std::to_string(i);
    std::string s = "machine " + name + " \"" + doc + "\"\n";
    s += "events { user: e, f, " + name + events + " }\n";
    s += "initial state A \"" + doc + "\" { entry " + entry + " }\n";
    // Two wide states side by side: their widths add up in one rank.
    s += "final state " + name + " \"" + doc + "\"\nfinal state " + other + "\nstate B\n";
    s += "A + e -> " + name + "\nA + f -> " + other + "\n";
    for (int i = 0; i < 500; ++i) s += "A + e" + std::to_string(i) + " -> B\n";
    s += "A + " + name + " [" + guard + " && !h] / " + action + ", y -> " + name + "\n";
    s += "A + " + name + " [!" + guard + "] / " + action + ", y\n";
    for (int i = 0; i < 100; ++i) s += "B + e" + std::to_string(i) + " / z" + std::to_string(i) + "\n";
    return s + "B + f -> A\n";
}

TEST(SvgTarget, LongNamesAndLabelsRender) {
    auto run = testing::run_spec(spec_with_long_labels(), false, "long.fsm");
    ASSERT_TRUE(run.model) << run.diagnostics.substr(0, 2000);
    std::string dot = emit(*run.model, "dot");
    // Text between tags (what Graphviz measures and lexes as one run) stays within a label line.
    std::size_t longest_run = 0, longest_line = 0;
    for (std::size_t at = 0; at < dot.size();) {
        std::size_t end = std::min(dot.find_first_of("<>\n", at), dot.size());
        longest_run = std::max(longest_run, end - at);
        at = end + 1;
    }
    for (std::size_t at = 0; at < dot.size();) {
        std::size_t end = std::min(dot.find('\n', at), dot.size());
        if (dot.compare(at, 2, "//") == 0) longest_line = std::max(longest_line, end - at);
        at = end + 1;
    }
    EXPECT_LT(longest_run, 2100u) << "the longest is a quoted ID; label text is cut at 80 characters";
    EXPECT_LT(longest_line, 16384u) << "the header comment";
    EXPECT_NE(dot.find("more lines</i>"), std::string::npos) << "a label cut short says so";
    EXPECT_NE(dot.find("...(state 2)\""), std::string::npos) << "a long state name gets a shortened ID";
    EXPECT_NE(dot.find("...(state 3)\""), std::string::npos) << "made unique by its index";

    std::string svg;
    ASSERT_NO_THROW(svg = emit(*run.model, "svg"));
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    std::size_t nodes = 0;
    for (std::size_t at = svg.find("class=\"node\""); at != std::string::npos; at = svg.find("class=\"node\"", at + 1)) ++nodes;
    // 4 states, the legend, the start point, 2 final bullseyes.
    EXPECT_EQ(nodes, 8u);
}

TEST(SvgTarget, MissingGraphvizIsAClearError) {
    model::Model m = load("tests/specs/door.fsm");
    std::filesystem::path empty = make_temp_dir();
    ScopedPath path(empty.string() + ":relative/dir");
    try {
        emit(m, "svg");
        ADD_FAILURE() << "expected EmitError";
    } catch (const EmitError& e) {
        EXPECT_STREQ(e.what(), "Graphviz 'dot' not found on PATH; install graphviz or use --target dot");
    }
    std::filesystem::remove_all(empty);
}

TEST(SvgTarget, FailingGraphvizReportsItsStatusAndMessage) {
    model::Model m = load("tests/specs/door.fsm");
    std::filesystem::path dir = make_temp_dir();
    std::filesystem::path fake = dir / "dot";
    // Reads all its input first, so the failure is the exit status, not a broken pipe.
    std::ofstream(fake) << "#!/bin/sh\n/bin/cat >/dev/null\necho 'Error: fake dot says no' >&2\nexit 3\n";
    ::chmod(fake.c_str(), 0755);
    {
        ScopedPath path(dir.string());
        try {
            emit(m, "svg");
            ADD_FAILURE() << "expected EmitError";
        } catch (const EmitError& e) {
            EXPECT_EQ(std::string(e.what()), "Graphviz '" + fake.string() + "' failed (exit status 3): Error: fake dot says no");
        }
    }
    std::filesystem::remove_all(dir);
}

TEST(SvgTarget, GraphvizThatStopsReadingDoesNotKillUs) {
    // A `dot` that exits without reading its input: writing to it raises SIGPIPE, which must not end
    // the generator; the error names the failure instead.
    // The graph is made larger than a pipe's buffer (64 KiB on Linux) so that the write must block
    // and then fail, whenever the fake exits.
    std::string spec = "machine big\nevents { user: go }\ninitial state S0\n";
    for (int i = 1; i < 200; ++i) spec += "state S" + std::to_string(i) + " \"" + std::string(400, 'd') + "\"\n";
    for (int i = 0; i < 200; ++i) spec += "S" + std::to_string(i) + " + go -> S" + std::to_string((i + 1) % 200) + "\n";
    auto run = testing::run_spec(spec, false, "big.fsm");
    ASSERT_TRUE(run.model) << run.diagnostics;
    MemorySink dot;
    find_backend("dot")->emit(*run.model, {}, dot);
    ASSERT_GT(dot.files[""].size(), 65536u);

    std::filesystem::path dir = make_temp_dir();
    std::filesystem::path fake = dir / "dot";
    std::ofstream(fake) << "#!/bin/sh\nexit 0\n";
    ::chmod(fake.c_str(), 0755);
    {
        ScopedPath path(dir.string());
        try {
            emit(*run.model, "svg");
            ADD_FAILURE() << "expected EmitError";
        } catch (const EmitError& e) {
            EXPECT_EQ(std::string(e.what()), "Graphviz '" + fake.string() + "' exited before reading its whole input");
        }
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fsmgen
