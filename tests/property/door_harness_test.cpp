// The harness fsmgen writes for tests/specs/door.fsm (-t rapidcheck): entry and exit actions,
// internal and ignored rows, wildcards with exceptions, a final state, events with fields.
#include "door_fsm.hpp"
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
