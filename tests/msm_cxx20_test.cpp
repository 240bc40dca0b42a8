// The generated TCP header in a second translation unit, compiled as C++20 (msm_tcp_test.cpp is
// C++17): both link into one executable, so an inline variable or template static that is not
// ODR-safe would fail here, and so would a C++20-only warning.
#include "tcp_fsm.hpp"
#include "tcp_fsm_scripted.hpp"

#include <gtest/gtest.h>

#if __cplusplus < 202002L
#error "this file must be compiled as C++20"
#endif

namespace {

// A context that only counts, derived from the scripted one: the machine finds inherited members.
struct counting_context : tcp::scripted_context {
    int unhandled_count = 0;
    void on_unhandled(tcp::state, tcp::event_id) { ++unhandled_count; }
};

TEST(MsmTcpCxx20, HandshakeAndUnhandled) {
    counting_context ctx;
    tcp::machine<counting_context> m{ctx};
    m.start();
    EXPECT_EQ(tcp::current(m), tcp::state::CLOSED);
    m.process_event(tcp::event::open_passive{});
    EXPECT_EQ(tcp::current(m), tcp::state::LISTEN);
    m.process_event(tcp::event::seg_syn{});
    EXPECT_EQ(tcp::current(m), tcp::state::SYN_RECEIVED);
    m.process_event(tcp::event::seg_ack{});  // the scripted guards say yes: ack_acceptable
    EXPECT_EQ(tcp::current(m), tcp::state::ESTABLISHED);
    m.process_event(tcp::event::time_wait_timeout{});
    EXPECT_EQ(ctx.unhandled_count, 1);
    EXPECT_TRUE(ctx.unhandled.empty());  // the derived on_unhandled hides the scripted one
    EXPECT_EQ(tcp::current(m), tcp::state::ESTABLISHED);
}

}  // namespace
