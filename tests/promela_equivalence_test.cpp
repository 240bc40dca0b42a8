// The Promela model is the same machine as the Model: for each spec, the transitions SPIN explores in
// the single-machine model (every reachable state, every event, both answers of every guard) are
// exactly the transitions a plain interpretation of the checked Model reaches from the initial state.
//
// SPIN's side: the verifier is compiled with -DPRINTF, so the `@fsm` line each step prints is written
// during the exhaustive search too; the set of distinct lines is the explored graph. The expected
// lines are built here from the Model's rows, not by the backend.
#include "emit/emit.hpp"
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
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
            std::vector<std::size_t> asked;
            for (const auto& t : m.transitions)
                if (t.source == s && t.event == e) {
                    rows.push_back(&t);
                    for (const auto& term : t.guard)
                        if (std::find(asked.begin(), asked.end(), term.guard) == asked.end()) asked.push_back(term.guard);
                }
            const std::string prefix = "0 " + state_name(m, s) + " " + event_name(m, e);
            if (rows.empty()) {
                lines.insert(prefix + " unhandled");
                continue;
            }
            for (std::uint64_t answer = 0; answer < (std::uint64_t{1} << asked.size()); ++answer) {
                auto holds = [&](const model::GuardTerm& term) {
                    auto bit = std::find(asked.begin(), asked.end(), term.guard) - asked.begin();
                    return (((answer >> bit) & 1u) != 0) != term.negated;
                };
                const model::Transition* fired = nullptr;
                for (const auto* t : rows)
                    if (std::all_of(t->guard.begin(), t->guard.end(), holds)) {
                        EXPECT_EQ(fired, nullptr) << "two rows enabled in " << m.states[s].name << " on " << m.events[e].name;
                        fired = t;
                    }
                if (!fired) {
                    lines.insert(prefix + " rejected");
                    continue;
                }
                lines.insert("0 " + step_line(m, *fired));
                if (!seen[fired->next()]) {
                    seen[fired->next()] = true;
                    todo.push_back(fired->next());
                }
            }
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

// Emits the model, has SPIN generate and compile the verifier, runs the exhaustive search and
// collects the distinct trace lines it printed.
Lines spin_graph(const Model& m, const std::string& name) {
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
    run_command(cd + "cc -O0 -w -DPRINTF -DNOREDUCE -o pan pan.c");
    const std::string out = run_command(cd + "./pan -w16 -m100000");
    EXPECT_NE(out.find("errors: 0"), std::string::npos) << out;
    Lines lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("@fsm ", 0) == 0) lines.insert(line.substr(5));
    run_command(std::string("rm -rf ") + dir);
    return lines;
}

void expect_same_graph(const std::string& spec_text, const std::string& name) {
    auto run = testing::run_spec(spec_text, false, name + ".fsm");
    ASSERT_TRUE(run.model) << run.diagnostics;
    // The machine alone: a composition (spec/tcp.fsm declares one) is checked in promela_tcp_test.cpp.
    run.model->instances.clear();
    run.model->channels.clear();
    run.model->messages.clear();
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

// A random valid spec: each (state, event) gets no row, one unguarded row, a split on one guard (one
// side maybe missing, so that events get rejected), or a split on two; targets, internal rows,
// actions and entry/exit hooks at random. Row 0 of each state leaves it, so the checker accepts it.
std::string random_spec(std::mt19937& rng, int index) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const int states = 3 + pick(6), events = 2 + pick(4), guards = 1 + pick(4), actions = 1 + pick(5);
    const bool has_final = pick(2) == 0;
    std::ostringstream s;
    s << "machine random" << index << "\nevents { user:";
    for (int e = 0; e < events; ++e) s << (e ? ", " : " ") << "e" << e;
    s << " }\n";
    auto action = [&] { return "a" + std::to_string(pick(actions)); };
    auto action_list = [&] {
        std::string list;
        for (int k = pick(3); k > 0; --k) list += (list.empty() ? " / " : ", ") + action();
        return list;
    };
    auto target = [&](int from) {
        int t = pick(states + 1);
        return t == states ? std::string() : (t == from && pick(2) ? std::string() : " -> s" + std::to_string(t));
    };
    const int last = has_final ? states - 1 : states;  // the final state, if any, has no rows
    for (int st = 0; st < states; ++st) {
        s << (st == 0 ? "initial " : "") << (has_final && st == states - 1 && st != 0 ? "final " : "") << "state s" << st;
        if (pick(3) == 0) s << " { entry " << action() << (pick(2) ? " exit " + action() : std::string()) << " }";
        s << "\n";
    }
    for (int st = 0; st < last; ++st) {
        s << "s" << st << " + e0" << action_list() << " -> s" << (st + 1) % states << "\n";
        for (int e = 1; e < events; ++e) {
            std::string head = "s" + std::to_string(st) + " + e" + std::to_string(e);
            std::string g = "g" + std::to_string(pick(guards)), h = "g" + std::to_string(pick(guards));
            switch (pick(4)) {
                case 0: break;
                case 1: s << head << action_list() << target(st) << "\n"; break;
                case 2:
                    s << head << " [" << g << "]" << action_list() << target(st) << "\n";
                    if (pick(2)) s << head << " [!" << g << "]" << action_list() << target(st) << "\n";
                    break;
                case 3:
                    if (h == g) h = g + "x";
                    s << head << " [" << g << " && " << h << "]" << action_list() << target(st) << "\n";
                    s << head << " [" << g << " && !" << h << "]" << action_list() << target(st) << "\n";
                    if (pick(2)) s << head << " [!" << g << "]" << action_list() << target(st) << "\n";
                    break;
            }
        }
    }
    return s.str();
}

TEST(PromelaEquivalence, RandomSpecs) {
    std::mt19937 rng(20261202);
    for (int i = 0; i < 8; ++i) {
        std::string spec = random_spec(rng, i);
        SCOPED_TRACE(spec);
        expect_same_graph(spec, "random" + std::to_string(i));
    }
}

}  // namespace
}  // namespace fsmgen
