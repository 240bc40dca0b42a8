// The generated Boost.MSM machine for spec/tcp.fsm, driven through every row of tcp::transitions.
// This is the one test TU that instantiates tcp::machine (over tcp::scripted_context) with every event:
// the machine is expensive to compile (docs/performance.md). The same tests run on the cpp target's
// machine (FSMGEN_TEST_CPP_TARGET, generated/CMakeLists.txt), on other Boost releases and on MSM's
// backmp11 (FSMGEN_TEST_BACKMP11, tests/msm_versions).
#include "tcp_fsm.hpp"
#include "tcp_fsm_scripted.hpp"

#include "model_interpreter.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <queue>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

// The ready-made context, plus the row the machine says fired (the generated on_row hook) and how
// much of the log had run when it said so.
struct Context : tcp::scripted_context {
    using tcp::scripted_context::scripted_context;
    std::optional<std::size_t> row;
    std::size_t logged_at_row = 0;
    void on_row(std::size_t r) {
        row = r;
        logged_at_row = log.size();
    }
};
using Machine = tcp::machine<Context>;
constexpr std::size_t row_count = std::size(tcp::transitions);

// What process_event answers: Boost.MSM's HandledEnum from the msm target, tcp::result from the cpp one.
#if defined(FSMGEN_TEST_CPP_TARGET)
constexpr auto handled_true = tcp::result::fired;
constexpr auto handled_false = tcp::result::unhandled;
constexpr auto handled_guard_reject = tcp::result::rejected;
constexpr auto handled_deferred = tcp::result::queued;
#else
constexpr auto handled_true = boost::msm::back::HANDLED_TRUE;
constexpr auto handled_false = boost::msm::back::HANDLED_FALSE;
constexpr auto handled_guard_reject = boost::msm::back::HANDLED_GUARD_REJECT;
constexpr auto handled_deferred = boost::msm::back::HANDLED_DEFERRED;
#endif

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

// The two ways into the machine: dispatch(m, id) and process_event(E{}). The generated machine may
// dispatch them by different code (the msm target: by state then event for an id, by event then
// state for a type), so the tests below go both ways.
enum class entry { by_id, by_type };

template <class... Events>
auto process_typed(Machine& m, tcp::event_id id) {
    static_assert(sizeof...(Events) == tcp::event_count, "every event once");
    auto handled = decltype(m.process_event(tcp::event::open_passive{})){};
    const bool found = ((tcp::id_of<Events> == id && (handled = m.process_event(Events{}), true)) || ...);
    EXPECT_TRUE(found);
    return handled;
}

auto process(Machine& m, tcp::event_id id, entry way) {
    namespace ev = tcp::event;
    if (way == entry::by_id) return tcp::dispatch(m, id);
    return process_typed<ev::open_passive, ev::open_active, ev::send, ev::receive, ev::close, ev::abort, ev::seg_unacceptable, ev::seg_rst,
                         ev::seg_syn, ev::seg_syn_ack, ev::seg_ack, ev::seg_no_ack, ev::seg_data, ev::seg_fin, ev::retransmission_timeout,
                         ev::user_timeout, ev::time_wait_timeout>(m, id);
}

// Where on_row is reported (docs/generated-api.md): after the row's entry actions where the header
// runs the rows from the MSM dispatch tables it fills and in the cpp target; after the row's
// actions, before the entry actions, where MSM's or backmp11's own rows run them, and in the
// backmp11 header, which runs its rows as backmp11 does.
#if defined(FSMGEN_TEST_BACKMP11)
constexpr bool on_row_before_entry = true;
#elif defined(FSMGEN_TEST_CPP_TARGET)
constexpr bool on_row_before_entry = false;
#else
constexpr bool on_row_before_entry = !FSMGEN_MSM_DISPATCH;
#endif

// Fires one row from its source state and checks the state, the log and where on_row came in it.
void fire(Machine& m, Context& ctx, std::size_t index, entry way = entry::by_id) {
    const auto& row = tcp::transitions[index];
    ASSERT_EQ(tcp::current(m), row.source) << "row " << index;
    ctx.set_oracle(oracle_for(row));
    ctx.log.clear();
    ctx.row.reset();
    const auto handled = process(m, row.event, way);
    EXPECT_EQ(handled, handled_true) << "row " << index;
    EXPECT_EQ(ctx.row, index) << "on_row";
    const std::size_t entry_actions = row.internal ? 0 : hooks(row.target, true).size();
    EXPECT_EQ(ctx.logged_at_row, expected_log(row).size() - (on_row_before_entry ? entry_actions : 0)) << "on_row, row " << index;
    EXPECT_EQ(tcp::current(m), row.target) << "row " << index << ": " << tcp::name(row.source) << " + "
                                            << tcp::name(row.event) << " [" << row.guard << "]";
    EXPECT_EQ(strings(ctx.log), expected_log(row)) << "row " << index;
    EXPECT_TRUE(ctx.unhandled.empty()) << "row " << index;
    EXPECT_TRUE(ctx.rejected.empty()) << "row " << index;
}

TEST(MsmTcp, StartsInTheInitialStateAndRunsItsEntryActions) {
    Context ctx;
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
#if defined(FSMGEN_EXPECTED_MP11_DISPATCH)
static_assert(FSMGEN_MP11_DISPATCH == FSMGEN_EXPECTED_MP11_DISPATCH, "the backmp11 header picked the wrong mode for this Boost release");
#endif
#if defined(FSMGEN_EXPECTED_MSM_DISPATCH)
static_assert(FSMGEN_MSM_DISPATCH == FSMGEN_EXPECTED_MSM_DISPATCH, "the header picked the wrong mode for this Boost release");
#endif

#if defined(FSMGEN_TEST_CPP_TARGET) || defined(FSMGEN_TEST_BACKMP11)
// Neither the cpp target nor MSM's backmp11 has MSM back's table to measure.
#elif FSMGEN_MSM_DISPATCH
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
    Context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    for (std::size_t i = 0; i < row_count; ++i) {
        const auto& row = tcp::transitions[i];
        SCOPED_TRACE("row " + std::to_string(i) + ": " + std::string(tcp::name(row.source)) + " + " +
                     std::string(tcp::name(row.event)));
        const auto path = paths.find(row.source);
        ASSERT_NE(path, paths.end()) << "unreachable source state";
        Context ctx;
        Machine m{ctx};
        m.start();
        for (std::size_t step : path->second) fire(m, ctx, step);
        Machine typed = m;
        fire(m, ctx, i, entry::by_id);
        fire(typed, ctx, i, entry::by_type);
    }
}

// MSM numbers states in its own order; current() must still name them ours, in every state.
TEST(MsmTcp, CurrentMapsEveryReachableState) {
    Context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    EXPECT_EQ(paths.size(), tcp::state_count);
    for (const auto& [target, path] : paths) {
        Context ctx;
        Machine m{ctx};
        m.start();
        for (std::size_t step : path) fire(m, ctx, step);
        EXPECT_EQ(tcp::current(m), target);
    }
}

TEST(MsmTcp, UnhandledEventIsReportedAndChangesNothing) {
    // Every (state, event) without a row is reported through on_unhandled with both named.
    Context probe;
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
            for (entry way : {entry::by_id, entry::by_type}) {
                Context ctx;
                Machine m{ctx};
                m.start();
                for (std::size_t step : path) fire(m, ctx, step);
                ctx.log.clear();
                EXPECT_EQ(process(m, ev, way), handled_false);
                EXPECT_EQ(tcp::current(m), source);
                EXPECT_TRUE(ctx.log.empty());
                EXPECT_EQ(ctx.unhandled, (std::vector<tcp::scripted_context::report>{{source, ev}}));
                EXPECT_TRUE(ctx.rejected.empty());
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 0u);
}

TEST(MsmTcp, AllGuardsRejectingIsReportedAndChangesNothing) {
    // tcp.fsm's guards cover every case (x and !x), so no consistent answer rejects them all. An
    // oracle that answers each call from the bits of a mask (x true, then x false) does: for every
    // (state, event) with only guarded rows, try masks until MSM answers HANDLED_GUARD_REJECT, and
    // check that on_rejected is reported then and only then.
    Context probe;
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
            for (entry way : {entry::by_id, entry::by_type}) {
                bool found = false;
                for (unsigned mask = 0; mask < 256 && !found; ++mask) {
                    Context ctx;
                    Machine m{ctx};
                    m.start();
                    for (std::size_t step : path) fire(m, ctx, step);
                    ctx.log.clear();
                    unsigned call = 0;
                    ctx.set_oracle([mask, &call](std::string_view, tcp::state, tcp::event_id) { return ((mask >> (call++ % 8)) & 1u) != 0; });
                    const auto handled = process(m, ev, way);
                    EXPECT_TRUE(ctx.unhandled.empty());
                    if (handled != handled_guard_reject) {
                        EXPECT_EQ(handled, handled_true);
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
    }
    EXPECT_GT(checked, 0u);
}

TEST(MsmTcp, GuardsAreAskedRowByRowInSpecOrder) {
    // The rows of one (state, event) are tried in spec order, each row's guard terms left to right
    // until one is false, up to the first row whose terms all hold (as the model and the cpp target
    // do; backmp11 tries its table bottom-up, so the header lists the rows reversed there). The
    // checker proves the rows' guards exclusive, so only the order of the calls shows it: an oracle
    // answering each call from the bits of a mask makes the expected sequence differ by order.
    Context probe;
    Machine start{probe};
    start.start();
    const auto paths = paths_from(tcp::current(start));
    std::size_t checked = 0;
    for (const auto& [source, path] : paths) {
        for (std::size_t e = 0; e < tcp::event_count; ++e) {
            const auto ev = static_cast<tcp::event_id>(e);
            std::vector<const tcp::transition_row*> rows;
            for (const auto& row : tcp::transitions)
                if (row.source == source && row.event == ev) rows.push_back(&row);
            if (rows.size() < 2) continue;
            for (entry way : {entry::by_id, entry::by_type}) {
                for (unsigned mask = 0; mask < 16; ++mask) {
                    const auto answer = [mask](unsigned call) { return ((mask >> (call % 4)) & 1u) != 0; };
                    std::vector<std::string> expected;
                    unsigned call = 0;
                    for (const auto* row : rows) {
                        bool holds = true;
                        for (const auto& term : split(row->guard, " && ")) {
                            const bool negated = term[0] == '!';
                            expected.push_back(negated ? term.substr(1) : term);
                            holds = answer(call++) != negated;
                            if (!holds) break;
                        }
                        if (holds) break;
                    }
                    Context ctx;
                    Machine m{ctx};
                    m.start();
                    for (std::size_t step : path) fire(m, ctx, step);
                    std::vector<std::string> asked;
                    ctx.set_oracle([&](std::string_view guard, tcp::state, tcp::event_id) {
                        asked.emplace_back(guard);
                        return answer(static_cast<unsigned>(asked.size() - 1));
                    });
                    process(m, ev, way);
                    EXPECT_EQ(asked, expected) << tcp::name(source) << " + " << tcp::name(ev) << ", mask " << mask;
                }
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 0u);
}

TEST(MsmTcp, GuardOracleSeesTheSourceStateAndEvent) {
    std::vector<std::tuple<std::string, tcp::state, tcp::event_id>> asked;
    Context ctx([&](std::string_view g, tcp::state s, tcp::event_id e) {
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
    Context ctx;
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

// ---- start_in and run to completion (docs/generated-api.md) ------------------------------------------

TEST(MsmTcp, StartInEntersTheStateAndRunsOnlyItsEntryActions) {
    Context ctx;
    Machine m{ctx};
    m.start_in(tcp::state::TIME_WAIT);
    EXPECT_EQ(tcp::current(m), tcp::state::TIME_WAIT);
    EXPECT_EQ(strings(ctx.log), (std::vector<std::string>{"start_time_wait_timer"}));  // not CLOSED's delete_tcb
    ctx.log.clear();
    m.stop();
    EXPECT_EQ(strings(ctx.log), (std::vector<std::string>{"stop_time_wait_timer"}));
}

TEST(MsmTcp, StartInThenEventsFireFromThatState) {
    Context ctx;
    Machine m{ctx};
    m.start_in(tcp::state::ESTABLISHED);
    EXPECT_TRUE(ctx.log.empty());
    EXPECT_EQ(m.process_event(tcp::event::seg_fin{}), handled_true);
    EXPECT_EQ(tcp::current(m), tcp::state::CLOSE_WAIT);
    EXPECT_EQ(strings(ctx.log), (std::vector<std::string>{"accept_fin", "send_ack"}));
}

// FIN-WAIT-2 + seg_fin / accept_fin, send_ack -> TIME_WAIT, and send_ack raises the 2MSL timeout: the
// timeout waits until the FIN's transition has completed (TIME-WAIT entered, its timer started), then
// takes TIME-WAIT to CLOSED. Processed at once it would find FIN-WAIT-2, which has no row for it.
TEST(MsmTcp, AnEventRaisedByAnActionIsProcessedAfterTheTransition) {
    Context ctx;
    Machine m{ctx};
    m.start_in(tcp::state::FIN_WAIT_2);
    std::optional<std::remove_const_t<decltype(handled_true)>> raised;
    ctx.on_action = [&](std::string_view action) {
        if (action == "send_ack" && !raised) raised = m.process_event(tcp::event::time_wait_timeout{});
    };
    EXPECT_EQ(m.process_event(tcp::event::seg_fin{}), handled_true);
    EXPECT_EQ(raised, handled_deferred);
    EXPECT_EQ(tcp::current(m), tcp::state::CLOSED);
    EXPECT_EQ(strings(ctx.log),
              (std::vector<std::string>{"accept_fin", "send_ack", "start_time_wait_timer", "stop_time_wait_timer", "delete_tcb"}));
    EXPECT_TRUE(ctx.unhandled.empty());
}

// The same transition raising seg_rst: its guards are asked with TIME-WAIT, the state it is processed
// in (on_dispatch reports each queued event as its turn comes), not with FIN-WAIT-2, where the event
// that raised it was. RST-acceptable in TIME-WAIT, not ignored (rfc 9293 3.10.7.4): to CLOSED.
TEST(MsmTcp, ARaisedEventsGuardsSeeTheStateItIsProcessedIn) {
    std::vector<std::pair<tcp::state, tcp::event_id>> asked;
    Context ctx([&](std::string_view g, tcp::state s, tcp::event_id e) {
        asked.emplace_back(s, e);
        return g == "rst_acceptable";
    });
    Machine m{ctx};
    m.start_in(tcp::state::FIN_WAIT_2);
    bool raised = false;
    ctx.on_action = [&](std::string_view action) {
        if (action == "send_ack" && !raised) {
            raised = true;
            m.process_event(tcp::event::seg_rst{});
        }
    };
    EXPECT_EQ(m.process_event(tcp::event::seg_fin{}), handled_true);
    EXPECT_EQ(tcp::current(m), tcp::state::CLOSED);
    ASSERT_FALSE(asked.empty());
    for (const auto& [s, e] : asked) {
        EXPECT_EQ(s, tcp::state::TIME_WAIT);
        EXPECT_EQ(e, tcp::event_id::seg_rst);
    }
}

// A context that declares no_event_queue gets an exception, not a lost or misplaced event.
struct UnqueuedContext : Context {
    using no_event_queue = int;
};

TEST(MsmTcp, AnEventRaisedWithoutAQueueThrows) {
    UnqueuedContext ctx;
    tcp::machine<UnqueuedContext> m{ctx};
    m.start_in(tcp::state::FIN_WAIT_2);
    ctx.on_action = [&](std::string_view action) {
        if (action == "send_ack") m.process_event(tcp::event::time_wait_timeout{});
    };
    try {
        m.process_event(tcp::event::seg_fin{});
        ADD_FAILURE() << "no exception";
    } catch (const tcp::event_refused& e) {
        EXPECT_EQ(e.event(), tcp::event_id::time_wait_timeout);
        EXPECT_STREQ(e.what(), "tcp::machine: an event was raised while another was being processed, and the context "
                               "declares no_event_queue (event_refused::event() names it; docs/generated-api.md, run to "
                               "completion)");
    }
    // Where the exception left the machine is the back end's business; the machine is free again.
    ctx.on_action = nullptr;
    m.start_in(tcp::state::TIME_WAIT);
    EXPECT_EQ(m.process_event(tcp::event::time_wait_timeout{}), handled_true);
    EXPECT_EQ(tcp::current(m), tcp::state::CLOSED);
    // The same through dispatch(m, id), which queues (here: refuses) by id.
    ctx.on_action = [&](std::string_view action) {
        if (action == "send_ack") tcp::dispatch(m, tcp::event_id::time_wait_timeout);
    };
    m.start_in(tcp::state::FIN_WAIT_2);
    try {
        tcp::dispatch(m, tcp::event_id::seg_fin);
        ADD_FAILURE() << "no exception";
    } catch (const std::exception& e) {  // event_refused is a std::exception, caught as one
        const auto* refused = dynamic_cast<const tcp::event_refused*>(&e);
        ASSERT_NE(refused, nullptr);
        EXPECT_EQ(refused->event(), tcp::event_id::time_wait_timeout);
    }
}

// An exception from an action leaves the machine free, and what was raised before it is dropped: the
// next call is processed at once, and nothing left over runs after it.
TEST(MsmTcp, AnExceptionFromAnActionLeavesNothingQueued) {
    Context ctx;
    Machine m{ctx};
    for (const bool by_id : {false, true}) {
        SCOPED_TRACE(by_id ? "dispatch(m, id)" : "process_event");
        m.start_in(tcp::state::FIN_WAIT_2);
        ctx.on_action = [&](std::string_view action) {
            if (action == "accept_fin") m.process_event(tcp::event::time_wait_timeout{});  // queued
            if (action == "send_ack") throw std::runtime_error("send_ack failed");
        };
        if (by_id)
            EXPECT_THROW(tcp::dispatch(m, tcp::event_id::seg_fin), std::runtime_error);
        else
            EXPECT_THROW(m.process_event(tcp::event::seg_fin{}), std::runtime_error);
        ctx.on_action = nullptr;
        // Processed now, whatever the state the exception left.
        EXPECT_NE(by_id ? tcp::dispatch(m, tcp::event_id::abort) : m.process_event(tcp::event::abort{}), handled_deferred);
        ctx.log.clear();
        ctx.unhandled.clear();
        m.start_in(tcp::state::ESTABLISHED);
        EXPECT_EQ(by_id ? tcp::dispatch(m, tcp::event_id::seg_fin) : m.process_event(tcp::event::seg_fin{}), handled_true);
        EXPECT_EQ(tcp::current(m), tcp::state::CLOSE_WAIT);
        EXPECT_EQ(strings(ctx.log), (std::vector<std::string>{"accept_fin", "send_ack"}));
        EXPECT_TRUE(ctx.unhandled.empty());  // the dropped time_wait_timeout, had it run in CLOSE_WAIT
        // And a call that raises an event runs that one only, not the dropped one before it.
        m.start_in(tcp::state::FIN_WAIT_2);
        ctx.log.clear();
        ctx.on_action = [&](std::string_view action) {
            if (action == "send_ack") m.process_event(tcp::event::time_wait_timeout{});
        };
        EXPECT_EQ(by_id ? tcp::dispatch(m, tcp::event_id::seg_fin) : m.process_event(tcp::event::seg_fin{}), handled_true);
        ctx.on_action = nullptr;
        EXPECT_EQ(tcp::current(m), tcp::state::CLOSED);
        EXPECT_EQ(strings(ctx.log),
                  (std::vector<std::string>{"accept_fin", "send_ack", "start_time_wait_timer", "stop_time_wait_timer", "delete_tcb"}));
        EXPECT_TRUE(ctx.unhandled.empty());
    }
}

}  // namespace

// ---- differential: the generated machine against the Model, interpreted ------------------------------
//
// Random walks through the Boost.MSM machine and, side by side, through a plain interpretation of the
// checked Model (tests/model_interpreter.hpp: the checker's output, which never went through the MSM
// backend). After every step both must agree on the state, on the actions run (exit, row, entry, in
// order), on the row that fired (the machine's on_row hook names it) and on what was reported as
// unhandled or rejected.
//
// Events are drawn mostly (85%) from the rows of the current state, with guard answers that let the
// drawn row fire; a row that leads on weighs six times as much as one that stays or aborts, so that
// walks go deep (a uniform draw over all events reached TIME_WAIT in about half of
// 100 walks). The rest are any event with any guard answers: the unhandled and rejected cases. Each
// walk is tagged with the deepest state it reached (RC_TAG: the distribution shows every state), and
// the test fails unless the walks together reached every state and fired every row of spec/tcp.fsm.
namespace {

namespace interp = fsmgen::testing;

struct Coverage {
    std::vector<std::size_t> states = std::vector<std::size_t>(tcp::state_count);
    std::vector<std::size_t> rows = std::vector<std::size_t>(row_count);
    std::size_t fired = 0, unhandled = 0, rejected = 0;
};

// RapidCheck draws small values while its size is small; the choices of a step must be uniform
// whatever the size, or the rows listed last in a state would hardly ever fire. (The walk's length
// still grows with the size, and shrinks.)
template <class T>
rc::Gen<T> uniform(rc::Gen<T> g) {
    return rc::gen::resize(rc::kNominalSize, std::move(g));
}

// How far into a connection's life a state lies, for the tag: the spec's order, which is the RFC's.
std::size_t depth(tcp::state s) { return static_cast<std::size_t>(s); }

void differential_walk(Coverage& cov) {
    const auto& m = tcp_model();
    RC_PRE(m.guards.size() <= 32u);
    // A row leading on (to a state later in the spec's order, which is the RFC's) weighs 10, a row
    // back to CLOSED 1, any other 3: walks go deep and stay there a while.
    auto weight = [](const tcp::transition_row& r) {
        if (!r.internal && depth(r.target) > depth(r.source)) return 10;
        return !r.internal && r.target == tcp::state::CLOSED ? 1 : 3;
    };

    std::uint32_t bits = 0;
    Context ctx([&](std::string_view guard, tcp::state, tcp::event_id) {
        const auto it = std::find(m.guards.begin(), m.guards.end(), guard);
        return ((bits >> (it - m.guards.begin())) & 1u) != 0;
    });
    Machine machine{ctx};
    machine.start();
    auto model_run = interp::start(m);
    std::size_t deepest = depth(tcp::current(machine));
    ++cov.states[static_cast<std::size_t>(tcp::current(machine))];
    std::string walk = std::string(tcp::name(tcp::current(machine)));

    const auto length = *rc::gen::inRange<std::size_t>(1, 3000);
    for (std::size_t step = 0; step < length; ++step) {
        const tcp::state before = tcp::current(machine);
        std::vector<std::pair<int, std::size_t>> choices;  // (weight, row) of the current state
        for (std::size_t i = 0; i < row_count; ++i)
            if (tcp::transitions[i].source == before) choices.emplace_back(weight(tcp::transitions[i]), i);
        std::size_t event = 0;
        bits = *uniform(rc::gen::arbitrary<std::uint32_t>());
        if (!choices.empty() && *rc::gen::weightedElement<bool>({{85, true}, {15, false}})) {
            int total = 0;
            for (const auto& c : choices) total += c.first;
            int pick = *uniform(rc::gen::inRange(0, total));
            std::size_t row = choices.back().second;
            for (const auto& c : choices)
                if ((pick -= c.first) < 0) {
                    row = c.second;
                    break;
                }
            event = static_cast<std::size_t>(tcp::transitions[row].event);
            for (const auto& term : m.transitions[row].guard)
                bits = term.negated ? bits & ~(1u << term.guard) : bits | (1u << term.guard);
        } else {
            event = *uniform(rc::gen::inRange<std::size_t>(0, tcp::event_count));
        }

        ctx.log.clear();
        ctx.row.reset();
        const auto log_before = model_run.log.size();
        tcp::dispatch(machine, static_cast<tcp::event_id>(event));
        const auto outcome = interp::interpret(m, model_run, event, [&](std::size_t g) { return ((bits >> g) & 1u) != 0; });
        const std::vector<std::string> model_log(model_run.log.begin() + static_cast<std::ptrdiff_t>(log_before), model_run.log.end());

        walk += " --" + std::string(tcp::name(static_cast<tcp::event_id>(event))) + "--> " +
                std::string(tcp::name(tcp::current(machine)));
        if (std::string(tcp::name(tcp::current(machine))) != m.states[model_run.state].name)
            RC_FAIL(walk + "\nthe Model went to " + m.states[model_run.state].name);
        if (strings(ctx.log) != model_log) RC_FAIL(walk + "\nthe machine's actions differ from the Model's");
        if (outcome == interp::Outcome::fired) {
            if (ctx.row != model_run.last_row)
                RC_FAIL(walk + "\nthe machine says row " + (ctx.row ? std::to_string(*ctx.row) : "none") +
                        " fired, the Model row " + std::to_string(model_run.last_row));
            ++cov.rows[model_run.last_row];
            ++cov.fired;
        } else {
            if (ctx.row) RC_FAIL(walk + "\nthe machine says row " + std::to_string(*ctx.row) + " fired, the Model none");
            ++(outcome == interp::Outcome::unhandled ? cov.unhandled : cov.rejected);
        }
        RC_ASSERT(ctx.unhandled.size() == model_run.unhandled);
        RC_ASSERT(ctx.rejected.size() == model_run.rejected);
        ++cov.states[static_cast<std::size_t>(tcp::current(machine))];
        deepest = std::max(deepest, depth(tcp::current(machine)));
    }
    RC_TAG(std::string(tcp::name(static_cast<tcp::state>(deepest))));
}

}  // namespace

TEST(MsmDifferential, MachineAgreesWithInterpretedModelAndEveryStateAndRowIsReached) {
    Coverage cov;
    EXPECT_TRUE(rc::check("the MSM machine agrees with the interpreted Model", [&] { differential_walk(cov); }));
    std::cout << "steps: " << cov.fired << " fired, " << cov.unhandled << " unhandled, " << cov.rejected << " rejected\n";
    for (std::size_t s = 0; s < tcp::state_count; ++s) {
        std::cout << "  " << tcp::name(static_cast<tcp::state>(s)) << ": " << cov.states[s] << " steps\n";
        EXPECT_GT(cov.states[s], 0u) << "no walk reached " << tcp::name(static_cast<tcp::state>(s));
    }
    const auto least = std::min_element(cov.rows.begin(), cov.rows.end());
    std::cout << "rows: the least fired row fired " << *least << " times (row " << (least - cov.rows.begin()) << ")\n";
    for (std::size_t i = 0; i < row_count; ++i) {
        const auto& row = tcp::transitions[i];
        EXPECT_GT(cov.rows[i], 0u) << "no walk fired row " << i << ": " << tcp::name(row.source) << " + "
                                   << tcp::name(row.event) << " [" << row.guard << "]";
    }
}
