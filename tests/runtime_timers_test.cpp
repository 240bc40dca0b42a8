// The timer table and the ISS generators.
#include <gtest/gtest.h>

#include "tcprt/ring.hpp"
#include "tcprt/tcb.hpp"
#include "tcprt/timers.hpp"

namespace tcprt {
namespace {

using namespace std::chrono_literals;
const instant t0{};

TEST(Timers, EmptyTableHasNoDeadline) {
    timer_table t;
    EXPECT_FALSE(t.next_timeout());
    EXPECT_FALSE(t.expired(t0 + 1000s));
}

TEST(Timers, NextTimeoutIsTheEarliest) {
    timer_table t;
    t.set(timer::time_wait, t0 + 60s);
    t.set(timer::retransmission, t0 + 1s);
    t.set(timer::user, t0 + 30s);
    EXPECT_EQ(t.next_timeout(), t0 + 1s);
    t.stop(timer::retransmission);
    EXPECT_EQ(t.next_timeout(), t0 + 30s);
    EXPECT_FALSE(t.armed(timer::retransmission));
    EXPECT_TRUE(t.armed(timer::user));
}

TEST(Timers, ExpiredReturnsTheEarliestDue) {
    timer_table t;
    t.set(timer::time_wait, t0 + 5s);
    t.set(timer::user, t0 + 3s);
    EXPECT_FALSE(t.expired(t0 + 2s));
    EXPECT_EQ(t.expired(t0 + 10s), timer::user);
    EXPECT_EQ(t.expired(t0 + 3s), timer::user);  // due at exactly its deadline
    t.stop(timer::user);
    EXPECT_EQ(t.expired(t0 + 10s), timer::time_wait);
}

TEST(Timers, SetReplacesTheDeadlineAndStopAllClears) {
    timer_table t;
    t.set(timer::retransmission, t0 + 1s);
    t.set(timer::retransmission, t0 + 2s);
    EXPECT_EQ(t.get(timer::retransmission), t0 + 2s);
    t.stop_all();
    EXPECT_FALSE(t.next_timeout());
}

TEST(Iss, FixedGeneratorIsConstant) {
    auto g = fixed_iss(42);
    EXPECT_EQ(g(t0), 42u);
    EXPECT_EQ(g(t0 + 1h), 42u);
}

TEST(Iss, ClockGeneratorTicksEveryFourMicrosecondsAndDependsOnTheSecret) {
    auto a = clock_iss_generator(1);
    auto b = clock_iss_generator(2);
    EXPECT_EQ(static_cast<seq_t>(a(t0 + 400us) - a(t0)), 100u);
    EXPECT_NE(a(t0), b(t0));
}

TEST(Ring, FifoWithFixedCapacity) {
    ring<int, 2> r;
    EXPECT_TRUE(r.push(1));
    EXPECT_TRUE(r.push(2));
    EXPECT_FALSE(r.push(3));
    EXPECT_EQ(r.pop(), 1);
    EXPECT_TRUE(r.push(4));
    EXPECT_EQ(r.pop(), 2);
    EXPECT_EQ(r.pop(), 4);
    EXPECT_FALSE(r.pop());
}

}  // namespace
}  // namespace tcprt
