// The harness fsmgen writes for tests/specs/door.fsm (-t rapidcheck): entry and exit actions,
// internal and ignored rows, wildcards with exceptions, a final state, events with fields.
#include "door_fsm.hpp"
#include "door_fsm_scripted.hpp"
#include "door_fsm_rc.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

RC_GTEST_PROP(DoorHarness, MachineFollowsItsSpec, ()) { demo::door::property::check_against_spec(); }

TEST(DoorHarness, ReachesEveryState) {
    const auto before = demo::door::property::coverage();
    EXPECT_TRUE(rc::check("door", [] { demo::door::property::check_against_spec(); }));
    for (std::size_t s = 0; s < demo::door::state_count; ++s)
        EXPECT_GT(demo::door::property::coverage()[s], before[s]) << demo::door::name(static_cast<demo::door::state>(s));
}

TEST(DoorMachine, StartInRunsOnlyThatStatesEntryActions) {
    demo::door::scripted_context ctx;
    demo::door::machine<demo::door::scripted_context> m{ctx};
    m.start_in(demo::door::state::Opened);
    EXPECT_EQ(demo::door::current(m), demo::door::state::Opened);
    EXPECT_EQ(ctx.log, (std::vector<std::string_view>{"start_alarm_timer"}));
    static_assert(demo::door::info::states[static_cast<std::size_t>(demo::door::state::Opened)].entry_count == 1);
    static_assert(demo::door::info::actions[demo::door::info::hook_actions[demo::door::info::states[static_cast<std::size_t>(
                      demo::door::state::Opened)].first_exit]] == "stop_alarm_timer");
}
