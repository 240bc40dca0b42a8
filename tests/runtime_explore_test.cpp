// What `tcpfsm explore` stands on (a copied endpoint is an independent connection; the observer names
// the spec row that fired) and what it finds on the real spec: nothing wrong in the client-server
// family, every finding replayable.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp_fsm_types.hpp"
#include "tcprt/endpoint.hpp"
#include "tcprt/explore.hpp"

namespace tcprt {
namespace {

using namespace std::chrono_literals;

config make_config(seq_t iss) {
    config c;
    c.iss = fixed_iss(iss);
    c.mss = 100;
    return c;
}

std::vector<segment> drain(endpoint& ep) {
    std::vector<segment> v;
    while (auto s = ep.poll_transmit()) v.push_back(*s);
    return v;
}

// The row of tcp::transitions[] with this source, event and guard (endpoint::no_row if the spec has
// none: row_hits.at() then fails the test instead of reading past the end).
std::size_t row_of(tcp::state source, std::string_view event, std::string_view guard) {
    for (std::size_t k = 0; k < std::size(tcp::transitions); ++k) {
        const auto& r = tcp::transitions[k];
        if (r.source == source && tcp::name(r.event) == event && r.guard == guard) return k;
    }
    return endpoint::no_row;
}

// Client and server to ESTABLISHED, by real segments.
struct pair_of_endpoints {
    endpoint client{make_config(100)}, server{make_config(900)};
    instant now{};
    pair_of_endpoints() {
        server.open_passive(now);
        client.open_active(now);
        pass(client, server);
        pass(server, client);
        pass(client, server);
    }
    void pass(endpoint& from, endpoint& to) {
        for (const auto& s : drain(from)) to.handle_segment(s, now);
    }
};

TEST(EndpointCopy, IsAnIndependentConnectionInTheSameState) {
    pair_of_endpoints p;
    ASSERT_EQ(p.client.current_state(), state::ESTABLISHED);
    endpoint copy = p.client;
    EXPECT_EQ(copy.current_state(), state::ESTABLISHED);
    EXPECT_EQ(copy.tcb().snd_nxt, p.client.tcb().snd_nxt);

    // The original closes; the copy does not notice.
    p.client.close(p.now);
    EXPECT_EQ(p.client.current_state(), state::FIN_WAIT_1);
    EXPECT_EQ(copy.current_state(), state::ESTABLISHED);
    EXPECT_TRUE(drain(copy).empty());

    // The copy then does the same and sends the same FIN: its machine acts on its own TCB.
    copy.close(p.now);
    EXPECT_EQ(copy.current_state(), state::FIN_WAIT_1);
    EXPECT_EQ(drain(copy), drain(p.client));

    // Assignment too.
    endpoint other{make_config(7)};
    other = copy;
    EXPECT_EQ(other.current_state(), state::FIN_WAIT_1);
    other.abort(p.now);
    EXPECT_EQ(other.current_state(), state::CLOSED);
    EXPECT_EQ(copy.current_state(), state::FIN_WAIT_1);
}

TEST(EndpointObserver, NamesTheRowThatFired) {
    pair_of_endpoints p;
    std::vector<endpoint::transition> seen;
    p.server.observe([&](const endpoint::transition& t) { seen.push_back(t); });
    const tcb& t = p.server.tcb();

    // Two rows of ESTABLISHED + seg_ack stay in ESTABLISHED; only the guard tells them apart.
    p.server.handle_segment(segment{t.rcv_nxt, t.snd_nxt + 1000, ACK, 1000, 0}, p.now);  // ACK of unsent data
    p.server.handle_segment(segment{t.rcv_nxt, t.snd_nxt, ACK, 1000, 0}, p.now);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].row, row_of(tcp::state::ESTABLISHED, "seg_ack", "ack_unacceptable"));
    EXPECT_EQ(seen[1].row, row_of(tcp::state::ESTABLISHED, "seg_ack", "!ack_unacceptable"));
    EXPECT_NE(seen[0].row, endpoint::no_row);
    for (const auto& s : seen) {
        const auto& r = tcp::transitions[s.row];
        EXPECT_EQ(static_cast<int>(r.source), static_cast<int>(s.from));
        EXPECT_EQ(tcp::name(r.event), s.event);
        EXPECT_EQ(static_cast<int>(r.target), static_cast<int>(s.to));
    }
}

TEST(Explore, ClientServerHasNoDeadlockNorViolation) {
    explore::bounds b;
    const auto r = explore::run(explore::find_scenarios("client-server"), b);
    EXPECT_EQ(r.per_scenario.size(), 9u);
    EXPECT_GT(r.states, 10000u);
    EXPECT_GT(r.terminal, 0u);
    EXPECT_FALSE(r.truncated);
    for (const auto& f : r.deadlocks) ADD_FAILURE() << f.path.sc.name << ": " << f.message;
    for (const auto& f : r.violations) ADD_FAILURE() << f.property << " in " << f.path.sc.name << ": " << f.message;
    // Both closing orders and the crossing FINs happen somewhere.
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::LAST_ACK, "seg_ack", "!ack_unacceptable && fin_acked")), 0u);
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::FIN_WAIT_2, "seg_fin", "")), 0u);
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::FIN_WAIT_1, "seg_fin", "")), 0u);
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::TIME_WAIT, "time_wait_timeout", "")), 0u);
    // A lost segment is retransmitted; a duplicated FIN in TIME-WAIT is acknowledged again.
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::ESTABLISHED, "retransmission_timeout", "!retries_exhausted")), 0u);
    EXPECT_GT(r.row_hits.at(row_of(tcp::state::TIME_WAIT, "seg_unacceptable", "retransmitted_fin")), 0u);
}

TEST(Explore, FaultsAndReorderingMakeMoreStates) {
    explore::bounds quiet;
    quiet.loss = quiet.duplicate = quiet.reorder = false;
    explore::bounds noisy;
    const auto sc = explore::find_scenarios("client-server/a1b1");
    ASSERT_EQ(sc.size(), 1u);
    const auto q = explore::run(sc, quiet);
    const auto n = explore::run(sc, noisy);
    EXPECT_LT(q.states * 5, n.states);
    EXPECT_TRUE(q.deadlocks.empty() && q.violations.empty());
}

// Timers in any order between the sides: one side may give up on a handshake whose answers the
// other side's timer has not yet retransmitted. Explore finds it and says how, in a trace that
// replays to the same end, also through JSON.
TEST(Explore, AnyTimerOrderBreaksCloseAndTheTraceReplays) {
    explore::bounds b;
    b.timers = explore::bounds::timer_order::any;
    const auto r = explore::run(explore::find_scenarios("client-server/a0b0"), b);
    ASSERT_FALSE(r.violations.empty());
    const explore::finding& f = r.violations.front();
    EXPECT_EQ(f.property, "P2");
    EXPECT_EQ(f.steps.size(), f.path.moves.size());

    std::string error;
    const auto parsed = explore::parse_trace(explore::trace_json(f.path), error);
    ASSERT_TRUE(parsed) << error;
    EXPECT_EQ(parsed->moves, f.path.moves);
    EXPECT_EQ(parsed->sc.name, f.path.sc.name);
    EXPECT_EQ(parsed->limits.timers, explore::bounds::timer_order::any);
    const auto replayed = explore::replay(*parsed, error);
    ASSERT_TRUE(replayed) << error;
    EXPECT_GT(replayed->log.size(), f.steps.size());
}

TEST(Explore, ATraceThatDoesNotFitIsRefused) {
    std::string error;
    EXPECT_FALSE(explore::parse_trace("{\"scenario\": 3}", error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(explore::parse_trace("not json", error));

    explore::trace t{explore::find_scenarios("client-server/a0b0").front(), {}, {}};
    t.moves.push_back({explore::move_kind::deliver, 1, 0});  // nothing from b is in flight yet
    EXPECT_FALSE(explore::replay(t, error));
    EXPECT_NE(error.find("not possible"), std::string::npos) << error;
}

}  // namespace
}  // namespace tcprt
