// The msm backend on tests/specs/msm_edge.fsm: a nested namespace, an event without rows, a final
// state, an external self-transition (exit and entry run), guards with negation; and two generated
// headers in one TU (their shared support block and their MSM specializations must coexist); and a
// spec with no row at all.
#include "msm_edge_fsm.hpp"
#include "msm_edge_fsm_scripted.hpp"
#include "msm_rowless_fsm.hpp"
#include "msm_rowless_fsm_scripted.hpp"
#include "tcp_fsm.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

namespace edge = fsmgen_test::edge;
using log_t = std::vector<std::string_view>;

struct Edge : ::testing::Test {
    edge::scripted_context ctx{[](std::string_view guard, edge::state, edge::event_id) { return guard != "tired"; }};
    edge::machine<edge::scripted_context> m{ctx};
    void SetUp() override {
        m.start();
        ctx.log.clear();
    }
};

TEST_F(Edge, EventWithoutRowsIsUnhandled) {
    EXPECT_EQ(m.process_event(edge::event::unused{}), boost::msm::back::HANDLED_FALSE);
    EXPECT_EQ(ctx.unhandled, (std::vector<edge::scripted_context::report>{{edge::state::A, edge::event_id::unused}}));
}

TEST_F(Edge, ExternalSelfTransitionRunsExitAndEntry) {
    m.process_event(edge::event::spin{});
    EXPECT_EQ(edge::current(m), edge::state::A);
    EXPECT_EQ(ctx.log, (log_t{"leave_a", "note", "enter_a"}));
}

TEST_F(Edge, InternalRowRunsNoHooks) {
    m.process_event(edge::event::stay{});
    EXPECT_EQ(edge::current(m), edge::state::A);
    EXPECT_EQ(ctx.log, (log_t{"note"}));
}

TEST_F(Edge, ConjunctionWithNegationAndActionsInOrder) {
    m.process_event(edge::event::go{});
    EXPECT_EQ(edge::current(m), edge::state::B);
    EXPECT_EQ(ctx.log, (log_t{"leave_a"}));
    ctx.log.clear();
    m.process_event(edge::event::go{});
    EXPECT_EQ(edge::current(m), edge::state::C);
    EXPECT_EQ(ctx.log, (log_t{"note", "tick", "arrive"}));
}

TEST_F(Edge, RejectedWhenEveryGuardSaysNo) {
    m.process_event(edge::event::go{});
    ctx.set_oracle([](std::string_view, edge::state, edge::event_id) { return true; });  // ready, but tired
    ctx.log.clear();
    EXPECT_EQ(m.process_event(edge::event::go{}), boost::msm::back::HANDLED_GUARD_REJECT);
    EXPECT_EQ(edge::current(m), edge::state::B);
    EXPECT_TRUE(ctx.log.empty());
    EXPECT_EQ(ctx.rejected, (std::vector<edge::scripted_context::report>{{edge::state::B, edge::event_id::go}}));
    EXPECT_TRUE(ctx.unhandled.empty());
}

TEST_F(Edge, Tables) {
    static_assert(edge::state_count == 3 && edge::event_count == 4);
    static_assert(std::size(edge::transitions) == 5);
    static_assert(edge::transitions[3].guard == "ready && !tired");
    static_assert(edge::transitions[3].actions == "note, tick");
    static_assert(edge::transitions[1].internal && edge::transitions[1].target == edge::state::A);
    static_assert(!edge::transitions[2].internal);
    static_assert(edge::name(edge::event_id::unused) == "unused");
    static_assert(tcp::state_count > edge::state_count);  // both headers usable side by side
}

// No row at all: the machine starts, runs its entry action, and reports every event as unhandled.
TEST(Rowless, StartsAndLeavesEveryEventUnhandled) {
    namespace rl = fsmgen_test::rowless;
    static_assert(rl::transitions.empty() && rl::state_count == 1);
    rl::scripted_context ctx;
    rl::machine<rl::scripted_context> m{ctx};
    m.start();
    EXPECT_EQ(ctx.log, log_t{"arrive"});
    EXPECT_EQ(rl::dispatch(m, rl::event_id::poke), boost::msm::back::HANDLED_FALSE);
    EXPECT_EQ(m.process_event(rl::event::poke{}), boost::msm::back::HANDLED_FALSE);
    EXPECT_EQ(rl::current(m), rl::state::Only);
    EXPECT_EQ(ctx.unhandled.size(), 2u);
}

}  // namespace
