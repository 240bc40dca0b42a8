// `tcpfsm simulate --trail`: SPIN trails of the TCP composition, in spec terms, replayed on two real
// endpoints. The trails here are written by hand from RFC 9293's figures and from one trail SPIN
// found (docs/verification.md), in the JSON `fsmgen trail --json` writes.
#include <gtest/gtest.h>

#include <string>

#include "tcprt/trail_replay.hpp"

namespace tcprt::trail {
namespace {

// A trail of instances a and b: each line `a FROM event -> TO`, `a FROM event` (internal row),
// `lost a seg_syn` (a's message lost on the way to b).
std::string trail_json(std::initializer_list<std::string> lines) {
    std::string steps;
    for (const std::string& line : lines) {
        std::string words[5];
        std::size_t n = 0;
        for (std::size_t at = 0; at < line.size() && n < 5;) {
            const auto end = std::min(line.find(' ', at), line.size());
            words[n++] = line.substr(at, end - at);
            at = end + 1;
        }
        std::string j;
        if (words[0] == "lost")
            j = R"({"network": "lost", "from": ")" + words[1] + R"(", "to": ")" + (words[1] == "a" ? "b" : "a") +
                R"(", "message": ")" + words[2] + R"("})";
        else
            j = R"({"instance": ")" + words[0] + R"(", "from": ")" + words[1] + R"(", "event": ")" + words[2] +
                R"(", "to": ")" + (n == 5 ? words[4] : words[1]) + R"(", "actions": []})";
        steps += (steps.empty() ? "" : ",\n") + j;
    }
    return R"({"machine": "tcp", "instances": ["a", "b"], "steps": [)" + steps + R"(], "cycle_start": null, "violated": null})";
}

result replay_json(const std::string& json) {
    std::string error;
    auto t = parse(json, error);
    EXPECT_TRUE(t) << error;
    return t ? replay(*t) : result{};
}

// RFC 9293 Figure 6 (the three-way handshake) and Figure 12 (a normal close), a active, b passive.
TEST(TrailReplay, HandshakeAndNormalCloseAreFollowedStepByStep) {
    const auto r = replay_json(trail_json({
        "b CLOSED open_passive -> LISTEN",
        "a CLOSED open_active -> SYN_SENT",
        "b LISTEN seg_syn -> SYN_RECEIVED",
        "a SYN_SENT seg_syn_ack -> ESTABLISHED",
        "b SYN_RECEIVED seg_ack -> ESTABLISHED",
        "a ESTABLISHED close -> FIN_WAIT_1",
        "b ESTABLISHED seg_fin -> CLOSE_WAIT",  // the FIN's ACK is an internal seg_ack first: skipped
        "a FIN_WAIT_1 seg_ack -> FIN_WAIT_2",
        "b CLOSE_WAIT close -> LAST_ACK",
        "a FIN_WAIT_2 seg_fin -> TIME_WAIT",
        "b LAST_ACK seg_ack -> CLOSED",
        "a TIME_WAIT time_wait_timeout -> CLOSED",
    }));
    EXPECT_EQ(r.departure, "");
    EXPECT_EQ(r.machine_steps, 12u);
    EXPECT_EQ(r.followed, 12u);
    EXPECT_EQ(r.run.final_a, state::CLOSED);
    EXPECT_EQ(r.run.final_b, state::CLOSED);
    EXPECT_EQ(r.run.segments_sent, 7u);  // SYN, SYN-ACK, ACK, FIN, ACK, FIN, ACK
}

// A lost SYN: the trail's loss takes the real SYN, the retransmission timer repeats it.
TEST(TrailReplay, ALossTakesTheRealSegmentAndTheTimerRepeatsIt) {
    const auto r = replay_json(trail_json({
        "b CLOSED open_passive -> LISTEN",
        "a CLOSED open_active -> SYN_SENT",
        "lost a seg_syn",
        "a SYN_SENT retransmission_timeout",
        "b LISTEN seg_syn -> SYN_RECEIVED",
        "a SYN_SENT seg_syn_ack -> ESTABLISHED",
    }));
    EXPECT_EQ(r.departure, "");
    EXPECT_EQ(r.followed, 5u);
    EXPECT_EQ(r.run.segments_lost, 1u);
    EXPECT_EQ(r.run.final_a, state::ESTABLISHED);
    EXPECT_EQ(r.run.final_b, state::SYN_RECEIVED);  // a's ACK is still in flight
}

// What SPIN found for `assert never TIME_WAIT` (pan -i): a closes in SYN-RECEIVED, and the model's free
// guard takes b's ACK of the SYN-ACK as the ACK of a's FIN. The real a checks the number: its FIN is
// not acknowledged, it stays in FIN-WAIT-1.
TEST(TrailReplay, AGuardAnswerTheSequenceNumbersRefuseIsTheDeparture) {
    const auto r = replay_json(trail_json({
        "b CLOSED open_active -> SYN_SENT",
        "a CLOSED open_passive -> LISTEN",
        "a LISTEN seg_syn -> SYN_RECEIVED",
        "b SYN_SENT seg_syn_ack -> ESTABLISHED",
        "b ESTABLISHED close -> FIN_WAIT_1",
        "a SYN_RECEIVED close -> FIN_WAIT_1",
        "a FIN_WAIT_1 seg_ack -> FIN_WAIT_2",
        "a FIN_WAIT_2 seg_fin -> TIME_WAIT",
    }));
    EXPECT_EQ(r.machine_steps, 8u);
    EXPECT_EQ(r.followed, 6u);
    EXPECT_NE(r.departure.find("step 7, a: FIN_WAIT_1 seg_ack -> FIN_WAIT_2"), std::string::npos) << r.departure;
    // Both of b's segments in flight were tried: neither acknowledges a's FIN.
    EXPECT_NE(r.departure.find("a took FIN_WAIT_1 seg_ack (stays)\n"), std::string::npos) << r.departure;
    EXPECT_NE(r.departure.find("a took FIN_WAIT_1 seg_ack (stays), FIN_WAIT_1 seg_fin -> CLOSING"), std::string::npos)
        << r.departure;
    EXPECT_EQ(r.run.final_a, state::FIN_WAIT_1);
}

// A row the real machine does not take from that state: ABORT in SYN-SENT closes (RFC 9293 3.10.5).
TEST(TrailReplay, AnotherRowOfTheRealMachineIsTheDeparture) {
    const auto r = replay_json(trail_json({
        "b CLOSED open_passive -> LISTEN",
        "a CLOSED open_active -> SYN_SENT",
        "a SYN_SENT abort",
    }));
    EXPECT_EQ(r.followed, 2u);
    EXPECT_NE(r.departure.find("step 3, a: SYN_SENT abort\n  a calls abort: a took SYN_SENT abort -> CLOSED"),
              std::string::npos)
        << r.departure;
}

TEST(TrailReplay, NotATrailOfTheTcpCompositionIsAnError) {
    std::string error;
    EXPECT_FALSE(parse(R"({"instances": ["a"], "steps": []})", error));
    EXPECT_NE(error.find("two instances"), std::string::npos) << error;
    EXPECT_FALSE(parse(R"({"instances": ["a", "b"], "steps": [{"instance": "c", "to": "CLOSED", "start": true}]})", error));
    EXPECT_NE(error.find("no instance 'c'"), std::string::npos) << error;
    EXPECT_FALSE(parse("{\"instances\": [", error));
}

}  // namespace
}  // namespace tcprt::trail
