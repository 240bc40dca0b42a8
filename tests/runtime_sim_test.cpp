// Every `tcpfsm simulate` scenario, checked as the sequence of state changes of each endpoint.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcprt/sim.hpp"

namespace tcprt::sim {
namespace {

// "CLOSED>SYN_SENT>ESTABLISHED..." for one endpoint, state changes only.
std::string path(const result& r, char who) {
    std::string out;
    for (const auto& e : r.log) {
        if (e.what != record::kind::transition || e.endpoint != who || e.tr.from == e.tr.to) continue;
        if (out.empty()) out = std::string(name(e.tr.from));
        out += ">" + std::string(name(e.tr.to));
    }
    return out;
}

result play(const char* scenario_name, std::uint64_t seed = 1) {
    const scenario* sc = find_scenario(scenario_name);
    EXPECT_NE(sc, nullptr) << scenario_name;
    return sc ? run(*sc, seed) : result{};
}

TEST(Simulate, HandshakeAndClose) {
    const auto r = play("handshake-and-close");
    EXPECT_EQ(path(r, 'a'), "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED");
    EXPECT_EQ(path(r, 'b'), "CLOSED>LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED");
    EXPECT_EQ(r.segments_lost, 0u);
    EXPECT_FALSE(r.timed_out);
}

TEST(Simulate, ServerClosesFirst) {
    const auto r = play("server-closes-first");
    EXPECT_EQ(path(r, 'a'), "CLOSED>SYN_SENT>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED");
    EXPECT_EQ(path(r, 'b'), "CLOSED>LISTEN>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED");
}

TEST(Simulate, SimultaneousOpen) {
    const auto r = play("simultaneous-open");
    for (char who : {'a', 'b'})
        EXPECT_EQ(path(r, who), "CLOSED>SYN_SENT>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED") << who;
}

TEST(Simulate, SimultaneousClose) {
    const auto r = play("simultaneous-close");
    EXPECT_EQ(path(r, 'a'), "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED");
    EXPECT_EQ(path(r, 'b'), "CLOSED>LISTEN>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED");
}

TEST(Simulate, ResetByAbort) {
    const auto r = play("reset-by-abort");
    EXPECT_EQ(path(r, 'a'), "CLOSED>SYN_SENT>ESTABLISHED>CLOSED");
    EXPECT_EQ(path(r, 'b'), "CLOSED>LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSED");
    // b's last row is the RST.
    std::string last;
    for (const auto& e : r.log)
        if (e.what == record::kind::transition && e.endpoint == 'b') last = std::string(e.tr.event);
    EXPECT_EQ(last, "seg_rst");
}

TEST(Simulate, ConnectToClosedPort) {
    const auto r = play("connect-to-closed-port");
    EXPECT_EQ(path(r, 'a'), "CLOSED>SYN_SENT>CLOSED");
    EXPECT_EQ(path(r, 'b'), "");
    EXPECT_EQ(r.final_b, state::CLOSED);
    EXPECT_EQ(r.segments_sent, 2u);  // the SYN and RST(b)
}

TEST(Simulate, LossyEndsClosedOnBothSidesForManySeeds) {
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        const auto r = play("lossy", seed);
        EXPECT_EQ(r.final_a, state::CLOSED) << "seed " << seed;
        EXPECT_EQ(r.final_b, state::CLOSED) << "seed " << seed;
        EXPECT_FALSE(r.timed_out) << "seed " << seed;
    }
}

TEST(Simulate, LossyReallyLosesSegments) {
    std::uint64_t lost = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) lost += play("lossy", seed).segments_lost;
    EXPECT_GT(lost, 20u);
}

TEST(Simulate, SameSeedSameRun) {
    const scenario* sc = find_scenario("lossy");
    ASSERT_NE(sc, nullptr);
    EXPECT_EQ(render_json(run(*sc, 7), true), render_json(run(*sc, 7), true));
    EXPECT_EQ(render_text(*sc, run(*sc, 7), false), render_text(*sc, run(*sc, 7), false));
    EXPECT_NE(render_text(*sc, run(*sc, 7), false), render_text(*sc, run(*sc, 8), false));
}

TEST(Simulate, DuplicationAndReorderingStillClose) {
    scenario sc = *find_scenario("handshake-and-close");
    sc.net.duplicate = 0.3;
    sc.net.reorder = 0.3;
    sc.net.jitter = std::chrono::milliseconds(8);
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        const auto r = run(sc, seed);
        EXPECT_EQ(r.final_a, state::CLOSED) << "seed " << seed;
        EXPECT_EQ(r.final_b, state::CLOSED) << "seed " << seed;
    }
}

// With this seed a's last ACK crosses a duplicate that b, already CLOSED, answers with a RST: plain
// RFC 9293 lets it end a's TIME-WAIT early (the assassination of RFC 1337), the RFC 1337 profile not.
TEST(Simulate, TimeWaitAssassinationDependsOnTheProfile) {
    scenario sc = *find_scenario("lossy");
    auto last_event_of_a = [](const result& r) {
        std::string last;
        for (const auto& e : r.log)
            if (e.what == record::kind::transition && e.endpoint == 'a' && e.tr.from != e.tr.to)
                last = std::string(name(e.tr.from)) + " " + std::string(e.tr.event);
        return last;
    };
    sc.prof = profile::rfc9293();
    EXPECT_EQ(last_event_of_a(run(sc, 1)), "TIME_WAIT seg_rst");
    sc.prof = profile::rfc1337();
    const auto r = run(sc, 1);
    EXPECT_EQ(last_event_of_a(r), "TIME_WAIT time_wait_timeout");
    EXPECT_EQ(r.final_a, state::CLOSED);
}

TEST(Simulate, JsonLinesHaveTheDocumentedShape) {
    const auto r = play("handshake-and-close");
    const std::string j = render_json(r, false);
    EXPECT_EQ(j.substr(0, j.find('\n')), R"({"t":0.0,"endpoint":"a","from":"CLOSED","event":"open_active","to":"SYN_SENT"})");
    EXPECT_NE(j.find(R"({"endpoint":"a","final":"CLOSED",)"), std::string::npos);
    EXPECT_NE(j.find(R"({"endpoint":"b","final":"CLOSED",)"), std::string::npos);
}

TEST(Simulate, EveryScenarioEndsWhereItSays) {
    for (const auto& sc : scenarios()) {
        const auto r = run(sc, 1);
        EXPECT_EQ(r.final_a, sc.final_a) << sc.name;
        EXPECT_EQ(r.final_b, sc.final_b) << sc.name;
    }
}

}  // namespace
}  // namespace tcprt::sim
