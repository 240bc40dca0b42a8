// tcpfsm monitor's connection tracking on hand-made segment sequences, RFC 9293 style (client ISS
// 100, server ISS 300): the states each end goes through, the conn_state summary, anomalies, and
// when connections are released.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tcprt/monitor.hpp"
#include "tcprt/monitor_output.hpp"
#include "tcprt/packet_builder.hpp"

using namespace tcprt;
using namespace tcprt::monitor;

namespace tcprt {
void PrintTo(state s, std::ostream* os) { *os << name(s); }
}  // namespace tcprt
using capture::end_point;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

end_point ep(std::uint8_t last, std::uint16_t port) {
    end_point e;
    e.addr.bytes = {10, 0, 0, last};
    e.port = port;
    return e;
}

constexpr auto CLIENT = role::client;
constexpr auto SERVER = role::server;
constexpr std::uint8_t SA = SYN | ACK, FA = FIN | ACK, RA = RST | ACK, PA = PSH | ACK;
const std::vector<std::uint8_t> wscale7 = {3, 3, 7};

// A capture being made: segments between a client and a server, a millisecond apart by default.
struct wire {
    end_point c = ep(1, 40000), s = ep(2, 80);
    instant t{seconds(1000)};
    std::vector<connection_report> reports;
    tracker track;

    explicit wire(options o = {}) : track(o, [this](connection_report&& r) { reports.push_back(std::move(r)); }) {}

    void send(role who, segment seg, const std::vector<std::uint8_t>& opts = {}, duration gap = milliseconds(1)) {
        t += gap;
        capture::tcp_packet p;
        p.time = t;
        p.src = who == CLIENT ? c : s;
        p.dst = who == CLIENT ? s : c;
        p.seg = seg;
        std::copy(opts.begin(), opts.end(), p.options.begin());
        p.options_len = static_cast<std::uint8_t>(opts.size());
        track.add(p);
    }
    const connection_report& only() {
        track.finish();
        EXPECT_EQ(reports.size(), 1u);
        return reports.at(0);
    }
};

// The states an end went through: where reporting began, then after each change.
std::vector<state> path(const connection_report& r, role side) {
    std::vector<state> p{side == CLIENT ? r.client_initial : r.server_initial};
    for (const auto& t : r.transitions)
        if (t.side == side) {
            EXPECT_EQ(t.from, p.back()) << "a transition that does not start where the last one ended";
            p.push_back(t.to);
        }
    return p;
}

using S = state;

void handshake(wire& w, std::uint16_t data_client = 0) {
    w.send(CLIENT, {100, 0, SYN, 65535, 0});
    w.send(SERVER, {300, 101, SA, 65535, 0});
    w.send(CLIENT, {101, 301, ACK, 65535, data_client});
}

}  // namespace

TEST(Monitor, ClientClosesFirst) {
    wire w;
    handshake(w);
    w.send(CLIENT, {101, 301, PA, 65535, 50});
    w.send(SERVER, {301, 151, PA, 65535, 20});
    w.send(CLIENT, {151, 321, FA, 65535, 0});
    w.send(SERVER, {321, 152, ACK, 65535, 0});
    w.send(SERVER, {321, 152, FA, 65535, 0});
    w.send(CLIENT, {152, 322, ACK, 65535, 0});
    const auto& r = w.only();
    EXPECT_TRUE(r.start_seen);
    EXPECT_EQ(path(r, CLIENT), (std::vector<S>{S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT}));
    EXPECT_EQ(path(r, SERVER), (std::vector<S>{S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED}));
    EXPECT_EQ(r.client_state, S::TIME_WAIT);
    EXPECT_EQ(r.server_state, S::CLOSED);
    EXPECT_EQ(r.conn_state, "SF");
    EXPECT_EQ(r.bytes[0], 50u);
    EXPECT_EQ(r.bytes[1], 20u);
    EXPECT_EQ(r.segments[0], 5u);
    EXPECT_EQ(r.segments[1], 4u);
    EXPECT_EQ(conn_name(r), "10.0.0.1:40000-10.0.0.2:80");
    EXPECT_EQ(r.reason, release_reason::end_of_input);
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
    // Events name the cause: the client's FIN is its CLOSE, the server learns of it as seg_fin.
    EXPECT_EQ(r.transitions[0].event, "open_active");
}

TEST(Monitor, ServerClosesFirstWithTheFinOnItsData) {
    wire w;
    handshake(w);
    w.send(SERVER, {301, 101, PA | FIN, 65535, 10});
    w.send(CLIENT, {101, 312, ACK, 65535, 0});
    w.send(CLIENT, {101, 312, FA, 65535, 0});
    w.send(SERVER, {312, 102, ACK, 65535, 0});
    const auto& r = w.only();
    EXPECT_EQ(path(r, SERVER), (std::vector<S>{S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT}));
    EXPECT_EQ(path(r, CLIENT), (std::vector<S>{S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED}));
    EXPECT_EQ(r.bytes[1], 10u);
    EXPECT_EQ(r.conn_state, "SF");
}

TEST(Monitor, RefusedConnectionIsRej) {
    wire w;
    w.send(CLIENT, {100, 0, SYN, 65535, 0});
    w.send(SERVER, {0, 101, RA, 0, 0});
    const auto& r = w.only();
    EXPECT_EQ(path(r, CLIENT), (std::vector<S>{S::CLOSED, S::SYN_SENT, S::CLOSED}));
    EXPECT_EQ(path(r, SERVER), (std::vector<S>{S::CLOSED}));  // nothing listened: CLOSED + seg_syn sends the RST
    EXPECT_EQ(r.conn_state, "REJ");
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, UnansweredSynIsS0) {
    wire w;
    w.send(CLIENT, {100, 0, SYN, 65535, 0});
    w.send(CLIENT, {100, 0, SYN, 65535, 0}, {}, seconds(1));  // retransmitted: the same connection
    const auto& r = w.only();
    EXPECT_EQ(path(r, CLIENT), (std::vector<S>{S::CLOSED, S::SYN_SENT}));
    EXPECT_EQ(r.server_state, S::CLOSED);
    EXPECT_EQ(r.conn_state, "S0");
    EXPECT_EQ(r.segments[0], 2u);
}

TEST(Monitor, EstablishedWithoutCloseIsS1AndSynThenFinIsSh) {
    wire w;
    handshake(w);
    EXPECT_EQ(w.only().conn_state, "S1");
    wire h;
    h.send(CLIENT, {100, 0, SYN, 65535, 0});
    h.send(CLIENT, {101, 0, FIN, 65535, 0});
    EXPECT_EQ(h.only().conn_state, "SH");
}

TEST(Monitor, ClientAbortIsRstoAndServerAbortIsRstr) {
    for (role aborter : {CLIENT, SERVER}) {
        wire w;
        handshake(w);
        if (aborter == CLIENT)
            w.send(CLIENT, {101, 301, RA, 0, 0});
        else
            w.send(SERVER, {301, 101, RA, 0, 0});
        const auto& r = w.only();
        const role other = aborter == CLIENT ? SERVER : CLIENT;
        EXPECT_EQ(path(r, aborter).back(), S::CLOSED);
        EXPECT_EQ(r.transitions.back().event, "seg_rst");
        EXPECT_EQ(r.transitions.back().side, other);
        EXPECT_EQ(r.conn_state, aborter == CLIENT ? "RSTO" : "RSTR");
    }
}

TEST(Monitor, SimultaneousOpen) {
    wire w;
    w.send(CLIENT, {100, 0, SYN, 65535, 0});
    w.send(SERVER, {300, 0, SYN, 65535, 0});
    w.send(CLIENT, {100, 301, SA, 65535, 0});
    w.send(SERVER, {300, 101, SA, 65535, 0});
    w.send(CLIENT, {101, 301, ACK, 65535, 0});
    w.send(SERVER, {301, 101, ACK, 65535, 0});
    const auto& r = w.only();
    const std::vector<S> both{S::CLOSED, S::SYN_SENT, S::SYN_RECEIVED, S::ESTABLISHED};
    EXPECT_EQ(path(r, CLIENT), both);
    EXPECT_EQ(path(r, SERVER), both);
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, SimultaneousClose) {
    wire w;
    handshake(w);
    w.send(CLIENT, {101, 301, FA, 65535, 0});
    w.send(SERVER, {301, 101, FA, 65535, 0});  // sent before the client's FIN arrived
    w.send(CLIENT, {102, 302, ACK, 65535, 0});
    w.send(SERVER, {302, 102, ACK, 65535, 0});
    const auto& r = w.only();
    const std::vector<S> tail{S::ESTABLISHED, S::FIN_WAIT_1, S::CLOSING, S::TIME_WAIT};
    auto c = path(r, CLIENT), s = path(r, SERVER);
    EXPECT_EQ(std::vector<S>(c.end() - 4, c.end()), tail);
    EXPECT_EQ(std::vector<S>(s.end() - 4, s.end()), tail);
}

TEST(Monitor, HalfCloseWithDataAfterTheFinFromTheOtherEnd) {
    wire w;
    handshake(w);
    w.send(CLIENT, {101, 301, FA, 65535, 0});
    w.send(SERVER, {301, 102, ACK, 65535, 0});
    w.send(SERVER, {301, 102, PA, 65535, 100});  // the server may still send: it has not closed
    w.send(CLIENT, {102, 401, ACK, 65535, 0});
    const auto& r = w.only();
    EXPECT_EQ(r.client_state, S::FIN_WAIT_2);
    EXPECT_EQ(r.server_state, S::CLOSE_WAIT);
    EXPECT_EQ(r.bytes[1], 100u);
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
    EXPECT_EQ(r.conn_state, "S2");
}

TEST(Monitor, AnomaliesAreCountedAndListed) {
    wire w;
    handshake(w);
    w.send(CLIENT, {101, 301, FA, 65535, 0});
    w.send(SERVER, {301, 102, ACK, 65535, 0});
    w.send(CLIENT, {102, 301, PA, 65535, 5});       // data after its own FIN
    w.send(SERVER, {301, 5000, ACK, 65535, 0});     // acknowledges what the client never sent
    w.send(SERVER, {90000, 0, RST, 0, 0});          // far outside the client's window
    const auto& r = w.only();
    EXPECT_EQ(r.anomaly_counts[static_cast<int>(anomaly::data_after_fin)], 1u);
    EXPECT_EQ(r.anomaly_counts[static_cast<int>(anomaly::ack_of_unsent_data)], 1u);
    EXPECT_EQ(r.anomaly_counts[static_cast<int>(anomaly::rst_out_of_window)], 1u);
    ASSERT_EQ(r.anomalies.size(), 3u);
    EXPECT_EQ(r.anomalies[0].kind, anomaly::data_after_fin);
    EXPECT_EQ(r.anomalies[0].side, CLIENT);
    EXPECT_EQ(r.anomalies[1].side, CLIENT);
    EXPECT_EQ(r.anomalies[1].sender, SERVER);
    EXPECT_EQ(r.anomalies[2].seg.seq, 90000u);
    EXPECT_EQ(r.client_state, S::FIN_WAIT_2);  // an out-of-window RST does not reset
}

TEST(Monitor, AnOldSynWhoseTextReachesIntoTheWindowIsTrimmedNotAReset) {
    // RFC 9293 3.10.7.4: the part before RCV.NXT is trimmed, "including SYN and FIN". The client's
    // SYN again, with ten bytes that reach into the server's window: the server ACKs it and stays
    // ESTABLISHED (the endpoint's walk; without the trimming the SYN would reset the connection).
    wire w;
    handshake(w);
    w.send(CLIENT, {100, 0, SYN, 65535, 10});
    w.send(SERVER, {301, 101, ACK, 65535, 0});
    const auto& r = w.only();
    EXPECT_EQ(r.server_state, S::ESTABLISHED);
    EXPECT_EQ(r.client_state, S::ESTABLISHED);
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, WindowScaleFromBothSynsAppliesToLaterWindows) {
    // Windows of 4 (x 128 = 512 bytes): without the scale, the 1000 bytes and the FIN after them
    // would lie outside the server's window and it would never see the FIN.
    wire w;
    w.send(CLIENT, {100, 0, SYN, 65535, 0}, wscale7);
    w.send(SERVER, {300, 101, SA, 65535, 0}, wscale7);
    w.send(CLIENT, {101, 301, ACK, 4, 0});
    w.send(SERVER, {301, 101, ACK, 8, 0});
    w.send(CLIENT, {101, 301, PA, 4, 1000});
    w.send(CLIENT, {1101, 301, FA, 4, 0});
    const auto& r = w.only();
    EXPECT_EQ(r.server_state, S::CLOSE_WAIT);
    // Offered by one SYN only: no scaling, so the same segments overrun the window.
    wire u;
    u.send(CLIENT, {100, 0, SYN, 65535, 0}, wscale7);
    u.send(SERVER, {300, 101, SA, 65535, 0});
    u.send(CLIENT, {101, 301, ACK, 4, 0});
    u.send(SERVER, {301, 101, ACK, 8, 0});
    u.send(CLIENT, {101, 301, PA, 4, 1000});
    u.send(CLIENT, {1101, 301, FA, 4, 0});
    EXPECT_EQ(u.only().server_state, S::ESTABLISHED);
}

TEST(Monitor, PickedUpMidStream) {
    wire w;
    w.send(SERVER, {5000, 7000, PA, 100, 10});  // the first segment seen: its sender is called client
    w.send(CLIENT, {7000, 5010, ACK, 100, 0});
    w.send(SERVER, {5010, 7000, FA, 100, 0});
    const auto& r = w.only();
    EXPECT_FALSE(r.start_seen);
    EXPECT_EQ(r.client, w.s);
    EXPECT_EQ(r.client_initial, S::ESTABLISHED);
    EXPECT_EQ(r.server_initial, S::ESTABLISHED);
    EXPECT_EQ(r.client_state, S::FIN_WAIT_1);
    EXPECT_EQ(r.server_state, S::CLOSE_WAIT);
    EXPECT_EQ(r.conn_state, "S2");
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, PickedUpAtTheSynAck) {
    wire w;
    w.send(SERVER, {300, 101, SA, 65535, 0});
    w.send(CLIENT, {101, 301, ACK, 65535, 0});
    const auto& r = w.only();
    EXPECT_FALSE(r.start_seen);
    EXPECT_EQ(r.client, w.c);
    EXPECT_EQ(r.client_state, S::ESTABLISHED);
    EXPECT_EQ(r.server_state, S::ESTABLISHED);
}

TEST(Monitor, ANewSynOnTheSame4TupleStartsANewConnection) {
    wire w;
    handshake(w);
    w.send(CLIENT, {101, 301, FA, 65535, 0});
    w.send(SERVER, {301, 102, FA, 65535, 0});
    w.send(CLIENT, {102, 302, ACK, 65535, 0});
    w.send(CLIENT, {9000, 0, SYN, 65535, 0}, {}, seconds(5));  // reuse while the client is in TIME-WAIT
    w.send(SERVER, {4000, 9001, SA, 65535, 0});
    w.track.finish();
    ASSERT_EQ(w.reports.size(), 2u);
    EXPECT_EQ(w.reports[0].reason, release_reason::reused);
    EXPECT_EQ(w.reports[0].client_state, S::TIME_WAIT);
    EXPECT_EQ(w.reports[1].client_state, S::ESTABLISHED);
    EXPECT_TRUE(w.reports[1].start_seen);
}

TEST(Monitor, TimeWaitEndsAfterTwoMslAndTheConnectionIsReleased) {
    options o;
    o.msl = seconds(30);
    wire w(o);
    handshake(w);
    w.send(CLIENT, {101, 301, FA, 65535, 0});
    w.send(SERVER, {301, 102, FA, 65535, 0});
    const instant tw_start = w.t;  // the client enters TIME-WAIT as the server's FIN reaches it
    w.send(CLIENT, {102, 302, ACK, 65535, 0});
    EXPECT_EQ(w.track.stats().live, 1u);
    // Another connection's segment moves the clock on, to the very moment 2MSL has run out: the
    // timer has expired then (a release one tick later survived every other test).
    w.c.port = 40001;
    w.send(CLIENT, {1, 0, SYN, 65535, 0}, {}, tw_start + seconds(60) - w.t);
    ASSERT_EQ(w.reports.size(), 1u);
    const auto& r = w.reports[0];
    EXPECT_EQ(r.reason, release_reason::time_wait_over);
    EXPECT_EQ(r.client_state, S::CLOSED);
    EXPECT_EQ(r.transitions.back().event, "time_wait_timeout");
    EXPECT_EQ(r.transitions.back().time, tw_start + seconds(60));
}

TEST(Monitor, ClosedConnectionsLingerThenGo_IdleOnesTimeOut) {
    options o;
    o.idle_timeout = seconds(100);
    wire w(o);
    handshake(w);
    w.send(CLIENT, {101, 301, RA, 0, 0});
    w.c.port = 40001;
    handshake(w);  // idle from here on
    EXPECT_EQ(w.track.stats().live, 2u);
    EXPECT_EQ(w.track.stats().peak_live, 2u);
    w.c.port = 40002;
    w.send(CLIENT, {1, 0, SYN, 65535, 0}, {}, seconds(3));
    ASSERT_EQ(w.reports.size(), 1u);
    EXPECT_EQ(w.reports[0].reason, release_reason::closed);
    w.send(CLIENT, {1, 0, SYN, 65535, 0}, {}, seconds(98));
    ASSERT_EQ(w.reports.size(), 2u);
    EXPECT_EQ(w.reports[1].reason, release_reason::idle);
    EXPECT_EQ(w.reports[1].client.port, 40001);
    EXPECT_EQ(w.track.stats().live, 1u);
    EXPECT_EQ(w.track.stats().peak_live, 2u);
}

TEST(Monitor, ShardsSplitConnectionsAndKeepBothDirectionsTogether) {
    EXPECT_EQ(flow_hash(ep(1, 1000), ep(2, 80)), flow_hash(ep(2, 80), ep(1, 1000)));
    std::size_t total = 0;
    for (std::uint32_t i = 0; i < 3; ++i) {
        options o;
        o.shard_index = i;
        o.shard_count = 3;
        wire w(o);
        for (std::uint16_t port = 1000; port < 1030; ++port) {
            w.c.port = port;
            handshake(w);
        }
        w.track.finish();
        for (const auto& r : w.reports) EXPECT_EQ(r.conn_state, "S1");  // never half a connection
        total += w.reports.size();
        EXPECT_LT(w.reports.size(), 30u);
    }
    EXPECT_EQ(total, 30u);
}

// RFC 9293 3.10.7.4, fifth step: text beyond RCV.NXT may be held. The client's last two segments (the
// second with its FIN) reach the server before the first: the server's stack holds them and, when the
// first arrives, takes all three and the FIN, and goes to CLOSE-WAIT then.
namespace {

const std::vector<S> server_closes_second{S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED,
                                         S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED};
const std::vector<S> client_closes_first{S::CLOSED, S::SYN_SENT, S::ESTABLISHED,
                                        S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT};

// The segments of that exchange after the handshake; the hole's segment may be left out (not captured).
std::vector<std::pair<role, segment>> fin_before_a_hole(bool hole_captured) {
    std::vector<std::pair<role, segment>> segs = {
        {CLIENT, {151, 301, PA, 65535, 50}},       // 151..201, held
        {CLIENT, {201, 301, PA | FIN, 65535, 50}},  // 201..251 and the FIN at 251, held
        {SERVER, {301, 101, ACK, 65535, 0}},       // duplicate ACKs ask for 101
        {SERVER, {301, 101, ACK, 65535, 0}},
        {CLIENT, {101, 301, PA, 65535, 50}},       // 101..151: the hole fills
        {SERVER, {301, 252, ACK, 65535, 0}},       // all of it and the FIN taken
        {SERVER, {301, 252, FA, 65535, 0}},
        {CLIENT, {252, 302, ACK, 65535, 0}},
    };
    if (!hole_captured) segs.erase(segs.begin() + 4);
    return segs;
}

// When the server's end took the FIN.
instant close_wait_time(const connection_report& r) {
    for (const auto& t : r.transitions)
        if (t.side == SERVER && t.to == S::CLOSE_WAIT) {
            EXPECT_EQ(t.event, "seg_fin");
            return t.time;
        }
    ADD_FAILURE() << "the server never reached CLOSE_WAIT";
    return {};
}

}  // namespace

TEST(Monitor, AFinBeforeAHoleIsTakenWhenTheHoleFills) {
    wire w;
    handshake(w);
    instant hole_filled{};
    for (const auto& [who, seg] : fin_before_a_hole(true)) {
        w.send(who, seg);
        if (seg.seq == 101 && seg.len == 50) hole_filled = w.t;
    }
    const auto& r = w.only();
    EXPECT_EQ(path(r, SERVER), server_closes_second);
    EXPECT_EQ(path(r, CLIENT), client_closes_first);
    // Taken when the hole's segment arrives, not later when the server's ACK shows it.
    EXPECT_EQ(close_wait_time(r), hole_filled);
    EXPECT_EQ(r.bytes[0], 150u);
    EXPECT_EQ(r.conn_state, "SF");
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, AFinBeforeAHoleIsTakenWhenTheReceiversAckShowsIt) {
    wire w;  // the hole's segment is not in the capture: the server's ACK of the FIN tells
    handshake(w);
    instant fin_acked{};
    for (const auto& [who, seg] : fin_before_a_hole(false)) {
        w.send(who, seg);
        if (who == SERVER && seg.ack == 252 && seg.flags == ACK) fin_acked = w.t;
    }
    const auto& r = w.only();
    EXPECT_EQ(path(r, SERVER), server_closes_second);
    EXPECT_EQ(path(r, CLIENT), client_closes_first);
    EXPECT_EQ(close_wait_time(r), fin_acked);
    for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u);
}

TEST(Monitor, AFinBeforeAHoleInACraftedCapture) {
    // The same exchange as a pcap file, through the reader: Ethernet, checksums correct.
    const std::string file = ::testing::TempDir() + "monitor_test_fin_before_a_hole_" + std::to_string(::getpid()) + ".pcap";
    const end_point c = ep(1, 40000), s = ep(2, 80);
    {
        capture::pcap_writer out(file, DLT_EN10MB);
        std::vector<std::pair<role, segment>> segs = {
            {CLIENT, {100, 0, SYN, 65535, 0}}, {SERVER, {300, 101, SA, 65535, 0}}, {CLIENT, {101, 301, ACK, 65535, 0}}};
        for (const auto& p : fin_before_a_hole(true)) segs.push_back(p);
        instant t{seconds(1000)};
        for (const auto& [who, seg] : segs) {
            capture::packet_spec spec;
            spec.src = who == CLIENT ? c : s;
            spec.dst = who == CLIENT ? s : c;
            spec.seg = seg;
            std::vector<std::uint8_t> record;
            capture::build_packet(DLT_EN10MB, spec, record);
            out.write(t += milliseconds(1), record);
        }
    }
    std::string error;
    auto rd = capture::reader::open(file, true, error);
    ASSERT_TRUE(rd) << error;
    std::vector<connection_report> reports;
    tracker track({}, [&](connection_report&& r) { reports.push_back(std::move(r)); });
    capture::tcp_packet p;
    while (rd->next(p)) track.add(p);
    track.finish();
    EXPECT_EQ(rd->counts().dropped_checksum, 0u);
    std::remove(file.c_str());
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(path(reports[0], SERVER), server_closes_second);
    EXPECT_EQ(path(reports[0], CLIENT), client_closes_first);
    EXPECT_EQ(reports[0].conn_state, "SF");
}

// The text form writes its columns at fixed places when every field fits its width; a time wider
// than its 12 columns (or negative) and an IPv6 end take the general path, the same text as fmt's
// "  {:>12}  {:<6}  {:<12} -> {:<12}  {}" would give.
TEST(MonitorOutput, TextOfWideAndNegativeTimesAndBothAddressFamilies) {
    const instant origin{seconds(1000000000)};
    connection_report r;
    r.client = ep(1, 1234);
    r.server.addr.v6 = true;
    r.server.addr.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    r.server.port = 80;
    r.start_seen = false;
    r.client_initial = r.server_initial = state::ESTABLISHED;
    r.client_state = state::FIN_WAIT_2;
    r.server_state = state::CLOSE_WAIT;
    r.conn_state = "S1";
    r.bytes[0] = 1;
    r.bytes[1] = 2;
    r.segments[0] = 3;
    r.segments[1] = 4;
    r.reason = release_reason::idle;
    r.transitions = {
        {origin + seconds(123456789) + std::chrono::microseconds(1), "close", role::client, state::ESTABLISHED,
         state::FIN_WAIT_1},
        {origin - seconds(100000) - milliseconds(500), "seg_fin", role::server, state::ESTABLISHED, state::CLOSE_WAIT},
        {origin + milliseconds(1500), "seg_ack", role::client, state::FIN_WAIT_1, state::FIN_WAIT_2},
        {origin - milliseconds(20), "seg_ack", role::server, state::SYN_RECEIVED, state::ESTABLISHED},
    };
    std::string out = "before\n";
    append_text(out, r, origin, false);
    EXPECT_EQ(out,
              "before\n"
              "10.0.0.1:1234-[2001:db8::1]:80  (picked up mid-stream: client ESTABLISHED, server ESTABLISHED)\n"
              "  123456789.000001  client  ESTABLISHED  -> FIN_WAIT_1    close\n"
              "  -100000.500000  server  ESTABLISHED  -> CLOSE_WAIT    seg_fin\n"
              "      1.500000  client  FIN_WAIT_1   -> FIN_WAIT_2    seg_ack\n"
              "     -0.020000  server  SYN_RECEIVED -> ESTABLISHED   seg_ack\n"
              "  final: client FIN_WAIT_2, server CLOSE_WAIT; S1; client sent 1 bytes in 3 segments, server 2 bytes "
              "in 4 segments; 0 anomalies; released: idle\n");
}
