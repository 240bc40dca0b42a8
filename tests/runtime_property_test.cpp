// Properties of the endpoint under random calls, segments and time (RapidCheck): it never crashes,
// every state change it makes is a row of spec/tcp.fsm, and the TCB stays consistent.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "tcp_fsm_types.hpp"  // the transitions[] table, without Boost.MSM (the machine lives in endpoint.cpp)
#include "tcprt/endpoint.hpp"

namespace tcprt {
namespace {

using namespace std::chrono_literals;

bool is_row_of_the_spec(const endpoint::transition& t) {
    for (const auto& row : tcp::transitions)
        if (static_cast<int>(row.source) == static_cast<int>(t.from) && tcp::name(row.event) == t.event &&
            static_cast<int>(row.target) == static_cast<int>(t.to))
            return true;
    return false;
}

// One input: what, and raw numbers that the interpretation bends toward the TCB so that segments
// are often acceptable (a random 32-bit SEQ almost never is).
using op = std::tuple<std::uint8_t, std::uint8_t, std::int8_t, std::int8_t, std::uint16_t>;

struct harness {
    endpoint ep;
    instant now{};
    std::vector<endpoint::transition> log;

    explicit harness(profile p) : ep(make(p)) {
        ep.observe([this](const endpoint::transition& t) { log.push_back(t); });
    }
    static config make(profile p) {
        config c;
        c.prof = p;
        c.iss = fixed_iss(0xFFFFFF00u);  // near the wrap, on purpose
        c.mss = 536;
        c.rcv_buffer = 4000;
        c.user_timeout = 100s;
        return c;
    }

    void apply(const op& o) {
        const auto [what, flags, dseq, dack, n] = o;
        const tcb& t = ep.tcb();
        switch (what % 12) {
            case 0: ep.open_passive(now); break;
            case 1: ep.open_active(now); break;
            case 2: ep.send(n, now); break;
            case 3: ep.receive(n, now); break;
            case 4: ep.close(now); break;
            case 5: ep.abort(now); break;
            case 6:
                now += std::chrono::milliseconds(n) * 10;
                ep.handle_timeout(now);
                break;
            default: {
                segment s;
                s.flags = flags & 0x3F;
                // Half the time numbers around the TCB, otherwise anywhere.
                s.seq = (what & 0x80) ? static_cast<seq_t>(n) << 16 | flags : t.rcv_nxt + static_cast<seq_t>(dseq);
                s.ack = (what & 0x40) ? static_cast<seq_t>(dack) << 24 : t.snd_una + static_cast<seq_t>(dack);
                s.len = (what & 0x20) ? n : n % 600;
                s.wnd = static_cast<std::uint32_t>(n) * 3u;
                ep.handle_segment(s, now);
            }
        }
    }
};

void check_invariants(harness& h, std::size_t logged_before, const tcb& before) {
    for (std::size_t i = logged_before; i < h.log.size(); ++i)
        RC_ASSERT(is_row_of_the_spec(h.log[i]));
    const tcb& t = h.ep.tcb();
    const state s = h.ep.current_state();
    if (s == state::CLOSED) {
        RC_ASSERT(!h.ep.next_timeout());  // CLOSED deleted the TCB and its timers
        RC_ASSERT(t.snd_queued == 0u);
    }
    if (s == state::TIME_WAIT) {
        RC_ASSERT(h.ep.next_timeout().has_value());
    }
    if (s != state::CLOSED && s != state::LISTEN) {
        RC_ASSERT(seq_between(t.iss, t.snd_una, t.snd_nxt));
        RC_ASSERT(t.rcv_unread <= 4000u);
        RC_ASSERT(t.rcv_wnd == 4000u - t.rcv_unread || s == state::SYN_SENT);
    }
    while (auto seg = h.ep.poll_transmit()) {
        RC_ASSERT(seg->len <= 536u);
        if (seg->has(RST)) RC_ASSERT(seg->len == 0u);
        // The ISS of the connection (one late handle_timeout may retransmit and then close it).
        if (seg->has(SYN)) RC_ASSERT(seg->seq == t.iss || seg->seq == before.iss);
        // Only a SYN in SYN-SENT and a RST(a) or ABORT's RST go out without ACK.
        if (!seg->has(ACK)) RC_ASSERT(seg->has(SYN) || seg->has(RST));
        if ((seg->len > 0 || seg->has(FIN)) && s != state::CLOSED)
            RC_ASSERT(seq_between(before.snd_una, seg->seq, t.snd_nxt));
    }
    while (h.ep.poll_notice()) {
    }
    RC_ASSERT(h.ep.counters().output_overflow == 0u);
}

RC_GTEST_PROP(EndpointProperty, RandomInputsKeepTheSpecAndTheTcb, (std::vector<op> ops, std::uint8_t prof)) {
    const profile p{(prof & 1) != 0, (prof & 2) != 0};
    harness h(p);
    // Start from an open connection most of the time, so that the synchronized states get visited.
    if (prof & 4) h.ep.open_passive(h.now);
    for (const auto& o : ops) {
        const std::size_t logged = h.log.size();
        const tcb before = h.ep.tcb();
        h.apply(o);
        check_invariants(h, logged, before);
    }
}

// The random inputs above are only worth something if they reach every state; this replays the
// same interpretation from a fixed seed and checks that they do.
TEST(EndpointProperty, RandomInputsVisitEveryState) {
    std::mt19937 rng(12345);
    std::array<bool, 11> seen{};
    for (int run = 0; run < 3000; ++run) {
        harness h(profile{(run & 1) != 0, (run & 2) != 0});
        h.ep.open_passive(h.now);
        for (int i = 0; i < 60; ++i) {
            const auto r = rng();
            h.apply(op{static_cast<std::uint8_t>(r & 0x1F),  // numbers near the TCB, short payloads
                       static_cast<std::uint8_t>(r >> 8), static_cast<std::int8_t>((r >> 16) % 5 - 2),
                       static_cast<std::int8_t>((r >> 20) % 5 - 1), static_cast<std::uint16_t>(r >> 24)});
            while (h.ep.poll_transmit()) {
            }
            while (h.ep.poll_notice()) {
            }
        }
        for (const auto& t : h.log) seen[static_cast<std::size_t>(t.to)] = true;
    }
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << name(static_cast<state>(i));
}

}  // namespace
}  // namespace tcprt
