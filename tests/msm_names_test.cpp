// The msm backend on tests/specs/msm_names.fsm, whose names and docs each broke the generated header
// once (issue 7): it must compile (here as C++17 with g++; generated/CMakeLists.txt compiles this
// file with clang++, -std=gnu++17 and -std=c++20 too) and behave like the spec.
//
// A macro named like a state of the spec, defined before the header: the header's macro shield
// undefines it inside and restores it at the end.
#define hook_tick "a macro of the user's"
#include "msm_names_fsm.hpp"
#include "msm_names_fsm_scripted.hpp"
#ifndef hook_tick
#error "the generated header did not restore the user's macro"
#endif
#undef hook_tick

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
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

// Run to completion with data: events raised from an action wait in the queue as copies (a
// std::string, a vector, a pair and a type that deletes its operator& among them) and reach their
// actions intact, in the order raised, also when an event processed from the queue raises more and
// the queue grows under the drain. A copy of the machine taken with events queued, and assigned
// again, holds copies of them (the sanitizer build checks that each is destroyed once).
struct data_context : names::scripted_context {
    using names::scripted_context::tick;
    names::machine<data_context>* m = nullptr;
    std::vector<std::string> seen;

    void tick(const names::event::text& e) {
        seen.push_back("text " + e);
        if (e == "first") {
            m->process_event(names::event::text{"second: long enough not to fit in the string object itself"});
            m->process_event(names::event::bytes{{1, 2, 3}, {4, true}});
            m->process_event(names::event::unaddressable{5});
            m->process_event(names::event::text{"third"});
            names::machine<data_context> copy = *m;
            copy = *m;
        }
        if (e == "third") {
            m->process_event(names::event::bytes{{9}, {-1, false}});
            m->process_event(names::event::bytes{{}, {0, true}});
        }
    }
    void tick(const names::event::unaddressable& e) { seen.push_back("unaddressable " + std::to_string(e.n)); }
    void tick(const names::event::bytes& e) {
        std::string text = "bytes";
        for (std::uint8_t b : e.value) text += " " + std::to_string(b);
        seen.push_back(text + " / " + std::to_string(e.span.first) + (e.span.second ? " true" : " false"));
    }
};

TEST(MsmNames, RaisedEventsKeepTheirData) {
    data_context ctx;
    ctx.set_oracle([](::std::string_view guard, names::state, names::event_id) { return guard == "std"; });
    names::machine<data_context> m{ctx};
    ctx.m = &m;
    m.start();
    m.process_event(names::event::event{});    // -> state_base
    m.process_event(names::event::detail{});   // [!C] -> E
    m.process_event(names::event::Context{});  // -> st
    ASSERT_EQ(names::current(m), names::state::st);

    m.process_event(names::event::text{"first"});
    EXPECT_EQ(ctx.seen, (std::vector<std::string>{"text first", "text second: long enough not to fit in the string object itself",
                                                  "bytes 1 2 3 / 4 true", "unaddressable 5", "text third", "bytes 9 / -1 false", "bytes / 0 true"}));
    EXPECT_EQ(names::current(m), names::state::st);
    EXPECT_TRUE(ctx.unhandled.empty());
}

// A machine assigned while both it and the source hold a queued event, where copying the event
// throws: the assignment throws, the event it replaced is destroyed once, the failed copy leaves its
// slot empty (the queue's any_event holds nothing then, as a std::variant would be valueless), and
// destroying the machine afterwards destroys nothing twice. The source keeps its event and
// processes it. rs_user::fragile counts its live objects, so this fails without a sanitizer too.
struct fragile_context : names::scripted_context {
    using names::scripted_context::tick;
    names::machine<fragile_context>* m = nullptr;
    std::vector<int> seen;
    bool assignment_threw = false;
    int live_after_throw = -1;

    void tick(const names::event::fragile& e) {
        seen.push_back(e.n);
        if (e.n != 1) return;
        m->process_event(names::event::fragile{2});  // queued
        names::machine<fragile_context> copy = *m;   // its queue holds a copy of fragile{2}
        const int live = rs_user::fragile::live;
        rs_user::fragile::throw_on_copy = true;
        try {
            copy = *m;
        } catch (const std::runtime_error&) {
            assignment_threw = true;
        }
        rs_user::fragile::throw_on_copy = false;
        live_after_throw = rs_user::fragile::live - live;  // the copy's fragile{2} destroyed, none made
    }
};

TEST(MsmNames, AQueuedEventWhoseCopyThrowsIsDestroyedOnce) {
    ASSERT_EQ(rs_user::fragile::live, 0);
    {
        fragile_context ctx;
        ctx.set_oracle([](::std::string_view guard, names::state, names::event_id) { return guard == "std"; });
        names::machine<fragile_context> m{ctx};
        ctx.m = &m;
        m.start();
        m.process_event(names::event::event{});
        m.process_event(names::event::detail{});
        m.process_event(names::event::Context{});
        ASSERT_EQ(names::current(m), names::state::st);

        m.process_event(names::event::fragile{1});
        EXPECT_TRUE(ctx.assignment_threw);
        EXPECT_EQ(ctx.live_after_throw, -1);
        EXPECT_EQ(ctx.seen, (std::vector<int>{1, 2}));
    }
    EXPECT_EQ(rs_user::fragile::live, 0);
}

}  // namespace
