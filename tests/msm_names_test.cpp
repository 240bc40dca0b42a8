// The msm backend on tests/specs/msm_names.fsm, whose names and docs each broke the generated header
// once (issue 7): it must compile (here as C++17 with g++; generated/CMakeLists.txt compiles this
// file with clang++, -std=gnu++17 and -std=c++20 too) and behave like the spec.
//
// A macro named like a state of the spec, defined before the header: the header's macro shield
// undefines it inside and restores it at the end.
#define hook_tick "a macro of the user's"
#include "msm_names_fsm.hpp"
#ifndef hook_tick
#error "the generated header did not restore the user's macro"
#endif
#undef hook_tick

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

namespace names = ::detail::mpl::msm::back::std::boost::fusion;
using log_t = ::std::vector<::std::string_view>;

TEST(MsmNames, RunsLikeTheSpec) {
    bool c_answer = true;
    names::scripted_context ctx{[&](::std::string_view guard, names::state, names::event_id) {
        if (guard == "std") return true;
        if (guard == "boost") return false;
        if (guard == "C") return c_answer;
        return false;  // Stt
    }};
    names::machine<names::scripted_context> m{ctx};
    m.start();
    EXPECT_EQ(ctx.log, (log_t{"tick"}));  // hook_tick's entry action, called from the state named hook_tick
    ctx.log.clear();

    m.process_event(names::event::event{});
    EXPECT_EQ(names::current(m), names::state::state_base);
    EXPECT_EQ(ctx.log, (log_t{"name"}));
    ctx.log.clear();

    m.process_event(names::event::detail{});
    EXPECT_EQ(names::current(m), names::state::fsmgen_msm);
    EXPECT_EQ(ctx.log, (log_t{"fsmgen_msm"}));  // the exit action of state_base

    m.process_event(names::event::state_declaration{});
    EXPECT_EQ(names::current(m), names::state::F);
    ctx.log.clear();
    m.process_event(names::event::Context{});
    EXPECT_EQ(names::current(m), names::state::msmf);
    EXPECT_EQ(ctx.log, (log_t{"tick"}));
    m.process_event(names::event::go{});
    EXPECT_EQ(names::current(m), names::state::Fsm);
    EXPECT_TRUE(ctx.unhandled.empty());
    EXPECT_TRUE(ctx.rejected.empty());
    static_assert(names::name(names::state::E) == "E");
    static_assert(names::id_of<names::event::Context> == names::event_id::Context);
}

}  // namespace
