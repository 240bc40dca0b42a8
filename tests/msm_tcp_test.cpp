// The generated Boost.MSM machine for spec/tcp.fsm, driven through every row of tcp::transitions.
// This is the one test TU that instantiates tcp::machine<tcp::scripted_context> with every event:
// the machine is expensive to compile (docs/performance.md).
#include "tcp_fsm.hpp"

#include "run_spec.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <queue>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

using Machine = tcp::machine<tcp::scripted_context>;
constexpr std::size_t row_count = std::size(tcp::transitions);

// The model of the same spec, for what the header does not expose: the entry and exit actions.
const fsmgen::model::Model& tcp_model() {
    static const fsmgen::model::Model model = [] {
        std::ifstream in(std::string(FSMGEN_SOURCE_DIR) + "/spec/tcp.fsm");
        std::stringstream text;
        text << in.rdbuf();
        auto run = fsmgen::testing::run_spec(text.str(), false, "spec/tcp.fsm");
        if (!run.model) throw std::runtime_error("spec/tcp.fsm does not check:\n" + run.diagnostics);
        return *run.model;
    }();
    return model;
}

std::vector<std::string> hooks(tcp::state s, bool entry) {
    const auto& m = tcp_model();
    const auto& st = m.states.at(*m.find_state(tcp::name(s)));
    std::vector<std::string> out;
    for (std::size_t a : entry ? st.entry : st.exit) out.push_back(m.actions[a]);
    return out;
}

std::vector<std::string> split(std::string_view text, std::string_view sep) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    for (;;) {
        const auto at = text.find(sep);
        out.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + sep.size());
    }
}

// The guard literals of a row: "a && !b" -> {a: true, b: false}. Answering them makes the row fire;
// guards it does not mention answer true, and the checker's proof of exclusivity says that no other
// row of the same state and event can then fire.
tcp::scripted_context::guard_oracle oracle_for(const tcp::transition_row& row) {
    std::map<std::string, bool, std::less<>> answers;
    for (const auto& term : split(row.guard, " && ")) {
        if (term[0] == '!') answers[term.substr(1)] = false;
        else answers[term] = true;
    }
    return [answers](std::string_view guard, tcp::state, tcp::event_id) {
        const auto it = answers.find(guard);
        return it == answers.end() || it->second;
    };
}

// What a row logs when it fires: exit actions of the source, the row's actions, entry actions of the
// target; an internal row runs only its actions.
std::vector<std::string> expected_log(const tcp::transition_row& row) {
    std::vector<std::string> out;
    if (!row.internal) out = hooks(row.source, false);
    for (const auto& a : split(row.actions, ", ")) out.push_back(a);
    if (!row.internal) {
        const auto entry = hooks(row.target, true);
        out.insert(out.end(), entry.begin(), entry.end());
    }
    return out;
}

std::vector<std::string> strings(const std::vector<std::string_view>& v) { return {v.begin(), v.end()}; }

// Shortest path of rows from the initial state to every state (breadth first over the table).
std::map<tcp::state, std::vector<std::size_t>> paths_from(tcp::state initial) {
    std::map<tcp::state, std::vector<std::size_t>> paths{{initial, {}}};
    std::queue<tcp::state> todo;
    todo.push(initial);
    while (!todo.empty()) {
        const tcp::state s = todo.front();
        todo.pop();
        for (std::size_t i = 0; i < row_count; ++i) {
            const auto& row = tcp::transitions[i];
            if (row.source != s || paths.count(row.target)) continue;
            auto path = paths[s];
            path.push_back(i);
            paths[row.target] = path;
            todo.push(row.target);
        }
    }
    return paths;
}

// Fires one row from its source state and checks the state and the log.
void fire(Machine& m, tcp::scripted_context& ctx, std::size_t index) {
    const auto& row = tcp::transitions[index];
    ASSERT_EQ(tcp::current(m), row.source) << "row " << index;
    ctx.set_oracle(oracle_for(row));
    ctx.log.clear();
    const auto handled = tcp::dispatch(m, row.event);
    EXPECT_EQ(handled, boost::msm::back::HANDLED_TRUE) << "row " << index;
    EXPECT_EQ(tcp::current(m), row.target) << "row " << index << ": " << tcp::name(row.source) << " + "
                                            << tcp::name(row.event) << " [" << row.guard << "]";
    EXPECT_EQ(strings(ctx.log), expected_log(row)) << "row " << index;
    EXPECT_TRUE(ctx.unhandled.empty()) << "row " << index;
    EXPECT_TRUE(ctx.rejected.empty()) << "row " << index;
}

TEST(MsmTcp, StartsInTheInitialStateAndRunsItsEntryActions) {
    tcp::scripted_context ctx;
    Machine m{ctx};
    m.start();
    const auto& model = tcp_model();
    const auto initial = static_cast<tcp::state>(model.initial);
    EXPECT_EQ(tcp::current(m), initial);
    EXPECT_EQ(tcp::name(initial), model.states[model.initial].name);
    EXPECT_EQ(strings(ctx.log), hooks(initial, true));
}

TEST(MsmTcp, TablesMatchTheModel) {
    const auto& model = tcp_model();
    ASSERT_EQ(tcp::state_count, model.states.size());
    ASSERT_EQ(tcp::event_count, model.events.size());
    ASSERT_EQ(row_count, model.transitions.size());
    for (std::size_t i = 0; i < tcp::state_count; ++i) EXPECT_EQ(tcp::name(static_cast<tcp::state>(i)), model.states[i].name);
    for (std::size_t i = 0; i < tcp::event_count; ++i) EXPECT_EQ(tcp::name(static_cast<tcp::event_id>(i)), model.events[i].name);
    for (std::size_t i = 0; i < row_count; ++i) {
        const auto& row = tcp::transitions[i];
        const auto& t = model.transitions[i];
        EXPECT_EQ(static_cast<std::size_t>(row.source), t.source) << i;
        EXPECT_EQ(static_cast<std::size_t>(row.event), t.event) << i;
        EXPECT_EQ(static_cast<std::size_t>(row.target), t.next()) << i;
        EXPECT_EQ(row.internal, t.internal()) << i;
        EXPECT_EQ(split(row.guard, " && ").size(), t.guard.size()) << i;
        EXPECT_EQ(split(row.actions, ", ").size(), t.actions.size()) << i;
    }
    static_assert(tcp::id_of<tcp::event::open_active> == tcp::event_id::open_active);
    static_assert(tcp::name(tcp::state::SYN_SENT) == "SYN_SENT");
}

// The header's use of MSM internals per Boost release: the build that compiles this file against
// another release says which mode that release must get (tests/msm_versions).
#if defined(FSMGEN_EXPECTED_MSM_DISPATCH)
static_assert(FSMGEN_MSM_DISPATCH == FSMGEN_EXPECTED_MSM_DISPATCH, "the header picked the wrong mode for this Boost release");
#endif

#if FSMGEN_MSM_DISPATCH
// The compile-cost measures of docs/performance.md, checked where they are compiled: MSM's table
// declares the states only, and MSM's empty insert_range into it is the identity.
static_assert(boost::mpl::size<Machine::stt>::value == tcp::state_count);
static_assert(std::is_same_v<boost::mpl::insert_range<Machine::stt, boost::mpl::end<Machine::stt>::type, boost::mpl::vector0<>>::type,
                             Machine::stt>);
static_assert(std::is_same_v<Machine::complete_table, Machine::stt>);
#else
// MSM's public API only: the spec's rows are in MSM's own table, after the state declarations.
static_assert(boost::mpl::size<Machine::stt>::value == tcp::state_count + row_count);
#endif

// Every row, from a fresh machine: reach the row's source by the shortest path of rows, then fire it.
TEST(MsmTcp, EveryRowFires) {
    tcp::scripted_context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    for (std::size_t i = 0; i < row_count; ++i) {
        const auto& row = tcp::transitions[i];
        SCOPED_TRACE("row " + std::to_string(i) + ": " + std::string(tcp::name(row.source)) + " + " +
                     std::string(tcp::name(row.event)));
        const auto path = paths.find(row.source);
        ASSERT_NE(path, paths.end()) << "unreachable source state";
        tcp::scripted_context ctx;
        Machine m{ctx};
        m.start();
        for (std::size_t step : path->second) fire(m, ctx, step);
        fire(m, ctx, i);
    }
}

// MSM numbers states in its own order; current() must still name them ours, in every state.
TEST(MsmTcp, CurrentMapsEveryReachableState) {
    tcp::scripted_context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    EXPECT_EQ(paths.size(), tcp::state_count);
    for (const auto& [target, path] : paths) {
        tcp::scripted_context ctx;
        Machine m{ctx};
        m.start();
        for (std::size_t step : path) fire(m, ctx, step);
        EXPECT_EQ(tcp::current(m), target);
    }
}

TEST(MsmTcp, UnhandledEventIsReportedAndChangesNothing) {
    // Every (state, event) without a row is reported through on_unhandled with both named.
    tcp::scripted_context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    std::size_t checked = 0;
    for (const auto& [source, path] : paths) {
        for (std::size_t e = 0; e < tcp::event_count; ++e) {
            const auto ev = static_cast<tcp::event_id>(e);
            bool has_row = false;
            for (const auto& row : tcp::transitions) has_row = has_row || (row.source == source && row.event == ev);
            if (has_row) continue;
            tcp::scripted_context ctx;
            Machine m{ctx};
            m.start();
            for (std::size_t step : path) fire(m, ctx, step);
            ctx.log.clear();
            EXPECT_EQ(tcp::dispatch(m, ev), boost::msm::back::HANDLED_FALSE);
            EXPECT_EQ(tcp::current(m), source);
            EXPECT_TRUE(ctx.log.empty());
            EXPECT_EQ(ctx.unhandled, (std::vector<tcp::scripted_context::report>{{source, ev}}));
            EXPECT_TRUE(ctx.rejected.empty());
            ++checked;
        }
    }
    EXPECT_GT(checked, 0u);
}

TEST(MsmTcp, AllGuardsRejectingIsReportedAndChangesNothing) {
    // tcp.fsm's guards cover every case (x and !x), so no consistent answer rejects them all. An
    // oracle that answers each call from the bits of a mask (x true, then x false) does: for every
    // (state, event) with only guarded rows, try masks until MSM answers HANDLED_GUARD_REJECT, and
    // check that on_rejected is reported then and only then.
    tcp::scripted_context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    std::size_t checked = 0;
    for (const auto& [source, path] : paths) {
        for (std::size_t e = 0; e < tcp::event_count; ++e) {
            const auto ev = static_cast<tcp::event_id>(e);
            bool guarded = false, unguarded = false;
            for (const auto& row : tcp::transitions)
                if (row.source == source && row.event == ev) (row.guard.empty() ? unguarded : guarded) = true;
            if (!guarded || unguarded) continue;
            bool found = false;
            for (unsigned mask = 0; mask < 256 && !found; ++mask) {
                tcp::scripted_context ctx;
                Machine m{ctx};
                m.start();
                for (std::size_t step : path) fire(m, ctx, step);
                ctx.log.clear();
                unsigned call = 0;
                ctx.set_oracle([mask, &call](std::string_view, tcp::state, tcp::event_id) { return ((mask >> (call++ % 8)) & 1u) != 0; });
                const auto handled = tcp::dispatch(m, ev);
                EXPECT_TRUE(ctx.unhandled.empty());
                if (handled != boost::msm::back::HANDLED_GUARD_REJECT) {
                    EXPECT_EQ(handled, boost::msm::back::HANDLED_TRUE);
                    EXPECT_TRUE(ctx.rejected.empty());
                    continue;
                }
                found = true;
                EXPECT_EQ(tcp::current(m), source);
                EXPECT_TRUE(ctx.log.empty());
                EXPECT_EQ(ctx.rejected, (std::vector<tcp::scripted_context::report>{{source, ev}}));
            }
            EXPECT_TRUE(found) << tcp::name(source) << " + " << tcp::name(ev);
            ++checked;
        }
    }
    EXPECT_GT(checked, 0u);
}

TEST(MsmTcp, GuardOracleSeesTheSourceStateAndEvent) {
    std::vector<std::tuple<std::string, tcp::state, tcp::event_id>> asked;
    tcp::scripted_context ctx([&](std::string_view g, tcp::state s, tcp::event_id e) {
        asked.emplace_back(std::string(g), s, e);
        return true;
    });
    Machine m{ctx};
    m.start();
    // The first guarded row of the table, reached by its path.
    const auto paths = paths_from(tcp::current(m));
    for (std::size_t i = 0; i < row_count; ++i) {
        const auto& row = tcp::transitions[i];
        if (row.guard.empty()) continue;
        for (std::size_t step : paths.at(row.source)) fire(m, ctx, step);
        ctx.set_oracle([&](std::string_view g, tcp::state s, tcp::event_id e) {
            asked.emplace_back(std::string(g), s, e);
            return oracle_for(row)(g, s, e);
        });
        asked.clear();
        tcp::dispatch(m, row.event);
        ASSERT_FALSE(asked.empty());
        for (const auto& [g, s, e] : asked) {
            EXPECT_EQ(s, row.source) << g;
            EXPECT_EQ(e, row.event) << g;
        }
        return;
    }
    FAIL() << "tcp.fsm has no guarded row";
}

TEST(MsmTcp, MachineIsCopyableAndCopiesKeepTheirState) {
    tcp::scripted_context ctx;
    Machine a{ctx};
    a.start();
    a.process_event(tcp::event::open_active{});
    Machine b = a;
    EXPECT_EQ(tcp::current(b), tcp::current(a));
    b.process_event(tcp::event::close{});
    EXPECT_EQ(tcp::current(a), tcp::state::SYN_SENT);
    EXPECT_EQ(tcp::current(b), tcp::state::CLOSED);
    EXPECT_EQ(&b.context(), &ctx);
}

}  // namespace

// ---- differential: the generated machine against the Model, interpreted ------------------------------
//
// For random event sequences with random guard answers, the Boost.MSM machine and a plain
// interpretation of the checked Model (the checker's output, which never went through the MSM
// backend) agree after every step on the state, on the actions run, and on what was reported as
// unhandled or rejected. RapidCheck shrinks a failure to a minimal sequence; RC_PARAMS="seed=N"
// reproduces it.
namespace {

struct Step {
    tcp::event_id event;
    std::uint32_t guard_bits;  // bit g answers guard g of the Model (the same answer for every row)
};

// How RapidCheck prints a shrunk counterexample.
void showValue(const Step& s, std::ostream& os) {
    os << tcp::name(s.event) << " with guard bits 0x" << std::hex << s.guard_bits << std::dec;
}

struct Interpreted {
    std::size_t state;
    std::vector<std::string> log;
    std::size_t unhandled = 0;
    std::size_t rejected = 0;
};

void interpret(const fsmgen::model::Model& m, Interpreted& run, const Step& step) {
    auto event = *m.find_event(tcp::name(step.event));
    bool any_row = false;
    const fsmgen::model::Transition* fired = nullptr;
    for (const auto& t : m.transitions) {
        if (t.source != run.state || t.event != event) continue;
        any_row = true;
        bool enabled = true;
        for (const auto& term : t.guard) enabled = enabled && (((step.guard_bits >> term.guard) & 1u) != 0) != term.negated;
        if (!enabled) continue;
        ASSERT_EQ(fired, nullptr) << "two rows enabled: the checker's determinism proof is broken";
        fired = &t;
    }
    if (!fired) {
        ++(any_row ? run.rejected : run.unhandled);
        return;
    }
    if (!fired->internal())
        for (std::size_t a : m.states[fired->source].exit) run.log.push_back(m.actions[a]);
    for (std::size_t a : fired->actions) run.log.push_back(m.actions[a]);
    if (!fired->internal())
        for (std::size_t a : m.states[*fired->target].entry) run.log.push_back(m.actions[a]);
    run.state = fired->next();
}

}  // namespace

RC_GTEST_PROP(MsmDifferential, MachineAgreesWithInterpretedModel, ()) {
    const auto& m = tcp_model();
    RC_PRE(m.guards.size() <= 32u);
    const auto steps = *rc::gen::container<std::vector<Step>>(rc::gen::construct<Step>(
        rc::gen::cast<tcp::event_id>(rc::gen::inRange<int>(0, static_cast<int>(tcp::event_count))),
        rc::gen::arbitrary<std::uint32_t>()));

    std::uint32_t bits = 0;
    tcp::scripted_context ctx([&](std::string_view guard, tcp::state, tcp::event_id) {
        const auto it = std::find(m.guards.begin(), m.guards.end(), guard);
        return ((bits >> (it - m.guards.begin())) & 1u) != 0;
    });
    Machine machine{ctx};
    machine.start();
    Interpreted model_run{m.initial, {}, 0, 0};
    for (std::size_t a : m.states[m.initial].entry) model_run.log.push_back(m.actions[a]);

    for (const auto& step : steps) {
        bits = step.guard_bits;
        tcp::dispatch(machine, step.event);
        interpret(m, model_run, step);
        RC_ASSERT(std::string(tcp::name(tcp::current(machine))) == m.states[model_run.state].name);
        RC_ASSERT(std::vector<std::string>(ctx.log.begin(), ctx.log.end()) == model_run.log);
        RC_ASSERT(ctx.unhandled.size() == model_run.unhandled);
        RC_ASSERT(ctx.rejected.size() == model_run.rejected);
    }
}
