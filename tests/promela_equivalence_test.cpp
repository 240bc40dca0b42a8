// The Promela model is the same machine as the Model: for each spec, the transitions SPIN explores in
// the single-machine model (every reachable state, every event, both answers of every guard) are
// exactly the transitions a plain interpretation of the checked Model reaches from the initial state.
//
// SPIN's side: the verifier is compiled with -DPRINTF, so the `@fsm` line each step prints is written
// during the exhaustive search too; the set of distinct lines is the explored graph. The expected
// lines are built here from the Model's rows, not by the backend.
#include "emit/emit.hpp"
#include "golden.hpp"
#include "random_spec/spec_generator.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fsmgen {
namespace {

using model::Model;
using Lines = std::set<std::string>;

// docs/verification.md: the trace writes a name longer than 100 characters as #index.
std::string shown(const std::vector<std::string>& table, std::size_t i) {
    return table[i].size() <= 100 ? table[i] : "#" + std::to_string(i);
}
std::string state_name(const Model& m, std::size_t s) { return m.states[s].name.size() <= 100 ? m.states[s].name : "#" + std::to_string(s); }
std::string event_name(const Model& m, std::size_t e) { return m.events[e].name.size() <= 100 ? m.events[e].name : "#" + std::to_string(e); }

std::string actions_text(const Model& m, const std::vector<std::size_t>& actions) {
    std::string s;
    for (std::size_t a : actions) s += (s.empty() ? "" : ", ") + shown(m.actions, a);
    return s;
}

// One step of the interpreted machine, written as the model's trace line (without "@fsm 0 ").
std::string step_line(const Model& m, const model::Transition& t) {
    std::string line = state_name(m, t.source) + " " + event_name(m, t.event);
    if (!t.guard.empty()) {
        line += " [";
        for (std::size_t i = 0; i < t.guard.size(); ++i)
            line += (i ? " && " : "") + std::string(t.guard[i].negated ? "!" : "") + shown(m.guards, t.guard[i].guard);
        line += "]";
    }
    std::vector<std::size_t> ran;
    if (!t.internal()) ran = m.states[t.source].exit;
    ran.insert(ran.end(), t.actions.begin(), t.actions.end());
    if (!t.internal()) ran.insert(ran.end(), m.states[*t.target].entry.begin(), m.states[*t.target].entry.end());
    if (!t.internal()) line += " -> " + state_name(m, *t.target);
    if (!ran.empty()) line += " / " + actions_text(m, ran);
    return line;
}

// Whether every answer of the guards makes one of the conjunctions true: Shannon expansion on a guard
// that one of them asks. A branch ends as soon as a conjunction has no term left (it holds) or none is
// left (an answer that no row takes).
bool covers_every_answer(const std::vector<std::vector<model::GuardTerm>>& conjunctions) {
    if (conjunctions.empty()) return false;
    for (const auto& c : conjunctions)
        if (c.empty()) return true;
    const std::size_t g = conjunctions.front().front().guard;
    for (bool answer : {true, false}) {
        std::vector<std::vector<model::GuardTerm>> rest;
        for (const auto& c : conjunctions) {
            bool holds_here = true;
            std::vector<model::GuardTerm> left;
            for (const auto& term : c) {
                if (term.guard != g) left.push_back(term);
                else if (term.negated == answer) holds_here = false;
            }
            if (holds_here) rest.push_back(std::move(left));
        }
        if (!covers_every_answer(rest)) return false;
    }
    return true;
}

// Breadth-first over the Model from the initial state: for every state reached and every event, every
// answer of the guards its rows ask, the row that fires (at most one: the checker proved it), or a
// rejection, or "unhandled" when the state has no row for the event.
Lines interpreted_graph(const Model& m) {
    Lines lines;
    const auto& init_entry = m.states[m.initial].entry;
    lines.insert("0 start -> " + state_name(m, m.initial) + (init_entry.empty() ? "" : " / " + actions_text(m, init_entry)));
    std::vector<bool> seen(m.states.size(), false);
    std::deque<std::size_t> todo{m.initial};
    seen[m.initial] = true;
    while (!todo.empty()) {
        std::size_t s = todo.front();
        todo.pop_front();
        for (std::size_t e = 0; e < m.events.size(); ++e) {
            std::vector<const model::Transition*> rows;
            for (const auto& t : m.transitions)
                if (t.source == s && t.event == e) rows.push_back(&t);
            const std::string prefix = "0 " + state_name(m, s) + " " + event_name(m, e);
            if (rows.empty()) {
                lines.insert(prefix + " unhandled");
                continue;
            }
            // The checker proved the rows of a cell pairwise exclusive (each pair has a guard one asks and
            // the other negates): a row fires exactly when its own conjunction holds. So every row whose
            // conjunction can hold is an outcome, and the rejection is one when some answer of the guards
            // satisfies none of them. (Deciding the answers one guard at a time instead, as this test
            // first did, took 2^k steps on a random cell: one seed in about ten hung for many minutes.)
            std::vector<std::vector<model::GuardTerm>> possible;
            for (const auto* t : rows) {
                bool consistent = true;
                for (const auto& x : t->guard)
                    for (const auto& y : t->guard) consistent = consistent && !(x.guard == y.guard && x.negated != y.negated);
                if (!consistent) continue;
                possible.push_back(t->guard);
                lines.insert("0 " + step_line(m, *t));
                if (!seen[t->next()]) {
                    seen[t->next()] = true;
                    todo.push_back(t->next());
                }
            }
            if (!covers_every_answer(possible)) lines.insert(prefix + " rejected");
        }
    }
    return lines;
}

std::string run_command(const std::string& command) {
    std::string out;
    if (FILE* p = popen((command + " 2>&1").c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        int status = pclose(p);
        if (status != 0) ADD_FAILURE() << command << " failed (status " << status << "):\n" << out.substr(0, 4000);
    }
    return out;
}

// Emits the model, has SPIN generate and compile the verifier (cc with `defines`), runs it with
// `flags` and returns what it printed.
std::string spin_search(const Model& m, const std::string& name, const std::string& defines, const std::string& flags) {
    char tmpl[] = "/tmp/fsmgen_promela_XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (!dir) {
        ADD_FAILURE() << "mkdtemp failed";
        return {};
    }
    MemorySink sink;
    find_backend("promela")->emit(m, {}, sink);
    std::ofstream(std::string(dir) + "/" + name + ".pml") << sink.files[""];
    const std::string cd = std::string("cd ") + dir + " && ";
    run_command(cd + FSMGEN_SPIN + " -a " + name + ".pml");
    run_command(cd + "cc -O0 -w " + defines + " -o pan pan.c");
    const std::string out = run_command(cd + "./pan " + flags);
    run_command(std::string("rm -rf ") + dir);
    return out;
}

// The exhaustive search of the single-machine model, with -DPRINTF so that every step prints its
// trace line; the distinct lines are the explored graph.
Lines spin_graph(const Model& m, const std::string& name) {
    const std::string out = spin_search(m, name, "-DPRINTF -DNOREDUCE", "-w16 -m100000");
    EXPECT_NE(out.find("errors: 0"), std::string::npos) << out.substr(0, 4000);
    Lines lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("@fsm ", 0) == 0) lines.insert(line.substr(5));
    return lines;
}

void expect_same_graph(const std::string& spec_text, const std::string& name) {
    auto run = testing::run_spec(spec_text, false, name + ".fsm");
    ASSERT_TRUE(run.model) << run.diagnostics;
    // The machine alone: a composition (spec/tcp.fsm declares one) is checked in promela_tcp_test.cpp.
    // Its properties too: a random one may well fail, and the search would stop at the violation.
    run.model->instances.clear();
    run.model->channels.clear();
    run.model->messages.clear();
    run.model->safety.clear();
    run.model->liveness.clear();
    Lines expected = interpreted_graph(*run.model);
    Lines explored = spin_graph(*run.model, name);
    for (const auto& l : expected)
        EXPECT_TRUE(explored.count(l)) << name << ": the interpreter reaches `" << l << "`, SPIN never did";
    for (const auto& l : explored)
        EXPECT_TRUE(expected.count(l)) << name << ": SPIN explored `" << l << "`, which the interpreter never reaches";
}

TEST(PromelaEquivalence, TestSpecs) {
    for (const char* spec : {"door", "msm_edge", "diagram_escapes", "promela_names"})
        expect_same_graph(testing::read_file(testing::source_path(std::string("tests/specs/") + spec + ".fsm")), spec);
}

TEST(PromelaEquivalence, TcpSpec) { expect_same_graph(testing::read_file(testing::source_path("spec/tcp.fsm")), "tcp"); }

// The random specs of tests/random_spec (the one generator of the test suite: the whole language,
// adversarial names, verification statements). Each run draws a fresh seed, printed with the
// command that reproduces it, as the random_spec test does.
std::uint64_t random_seed() {
    const char* given = std::getenv("FSMGEN_SEED");
    const std::uint64_t seed = given && *given ? std::strtoull(given, nullptr, 10) : std::random_device{}();
    std::cout << "promela random specs: seed " << seed << "; a failure reproduces with: FSMGEN_SEED=" << seed
              << " ctest --test-dir <build dir> -R PromelaEquivalence\n";
    return seed;
}

TEST(PromelaEquivalence, RandomSpecs) {
    const std::uint64_t seed = random_seed();
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 8; ++i) {
        testing::RandomSpecOptions options;
        options.namespace_prefix = "rs" + std::to_string(i);
        const std::string spec = testing::random_spec(rng, options);
        SCOPED_TRACE("seed " + std::to_string(seed) + ", spec " + std::to_string(i) + ":\n" + spec);
        expect_same_graph(spec, "random" + std::to_string(i));
    }
}

// Instance a has no incoming channel and every event is a message: nothing can reach it, and its
// states still make valid Promela (the random compositions found an empty `if` here).
TEST(PromelaEquivalence, InstanceThatNothingReachesIsValid) {
    auto run = testing::run_spec("machine m\nevents { segment: ping }\ninitial state A { entry send }\nstate B\n"
                                 "A + ping -> B\nB + ping / send -> A\ninstance a, b\nchannel a -> b capacity 1\nmessage send -> ping\n");
    ASSERT_TRUE(run.model) << run.diagnostics;
    const std::string out = spin_search(*run.model, "unreached", "-DNOCLAIM", "");
    EXPECT_NE(out.find("errors: 0"), std::string::npos) << out.substr(0, 4000);
}

// A composition of random machines is a model SPIN accepts and searches to the end. Its properties
// are random, so violations are allowed (-A, -E); what must hold is that the Promela is valid and the
// search completes. Small machines, budgets of one and a bitstate search of at most 2^19 bits keep
// each run to a second or two (compiling pan.c is most of it).
TEST(PromelaEquivalence, RandomCompositionsVerify) {
    const std::uint64_t seed = random_seed();
    std::mt19937_64 rng(seed);
    int compositions = 0;
    for (int i = 0; i < 200 && compositions < 4; ++i) {
        testing::RandomSpecOptions options;
        options.namespace_prefix = "rc" + std::to_string(i);
        options.max_states = 5;
        options.max_events = 4;
        const std::string spec = testing::random_spec(rng, options);
        auto run = testing::run_spec(spec, false, "composition.fsm");
        ASSERT_TRUE(run.model) << run.diagnostics << spec;
        if (run.model->instances.empty()) continue;
        ++compositions;
        SCOPED_TRACE("seed " + std::to_string(seed) + ", spec " + std::to_string(i) + ":\n" + spec);
        const std::string out = spin_search(*run.model, "composition", "-DFSM_CALLS=1 -DFSM_MESSAGES=1 -DNOCLAIM -DBITSTATE", "-A -E -w19 -m100000");
        EXPECT_NE(out.find("State-vector"), std::string::npos) << out.substr(0, 4000);
    }
    EXPECT_EQ(compositions, 4) << "the generator made too few compositions";
}

}  // namespace
}  // namespace fsmgen
