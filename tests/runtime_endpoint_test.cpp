// The endpoint against the tables of ../shared/tcp-rfc9293.md (RFC 9293 sections 3.10.1 to 3.10.8),
// smoltcp style: every state is reached by real calls and segments, then one input is applied and
// the next state and the outbound segments are checked. Local ISS 1000, remote ISS 5000.
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tcprt/endpoint.hpp"

namespace tcprt {

// gtest prints segments in RFC notation.
void PrintTo(const segment& s, std::ostream* os) { *os << to_string(s); }
void PrintTo(const notice& n, std::ostream* os) {
    *os << message(n.kind);
    if (n.kind == notice_kind::data_delivered) *os << " " << n.count;
}
void PrintTo(state s, std::ostream* os) { *os << name(s); }

// The profile of every test that does not name one: the whole table suite runs once per profile
// (runtime_main.cpp reads --profile), and tests of a difference pin their profile explicitly.
void note_fired_row(std::size_t row);  // runtime_main.cpp: rows fired, for the coverage test

profile& default_profile() {
    static profile p = profile::rfc9293();
    return p;
}

namespace {

using namespace std::chrono_literals;

constexpr seq_t L = 1000;   // our ISS
constexpr seq_t R = 5000;   // the peer's ISS
constexpr std::uint32_t WND = 1000;  // our receive buffer
constexpr std::uint32_t PEER_WND = 2000;

segment seg(seq_t seq, seq_t ack, std::uint8_t flags, std::uint32_t len = 0, std::uint32_t wnd = PEER_WND) {
    return segment{seq, ack, flags, wnd, len};
}

// What we send: every segment but a SYN and a RST carries our window.
segment ours(seq_t seq, seq_t ack, std::uint8_t flags, std::uint32_t len = 0, std::uint32_t wnd = WND) {
    return segment{seq, ack, flags, wnd, len};
}
segment rst(seq_t seq) { return segment{seq, 0, RST, 0, 0}; }

struct Host {
    endpoint ep;
    instant now{};
    std::vector<endpoint::transition> log;

    explicit Host(profile p = default_profile(), config c = {}) : ep(make(p, std::move(c))) {
        ep.observe([this](const endpoint::transition& t) {
            log.push_back(t);
            note_fired_row(t.row);
        });
    }
    static config make(profile p, config c) {
        c.prof = p;
        c.iss = fixed_iss(L);
        c.rcv_buffer = WND;
        c.mss = 500;
        c.msl = 30s;
        // The tables are about states and numbers: no options unless a test asks for them.
        c.prof.offer = {};
        c.prof.offer.mss = false;
        return c;
    }

    void in(const segment& s) { ep.handle_segment(s, now); }
    std::vector<segment> out() {
        std::vector<segment> v;
        while (auto s = ep.poll_transmit()) v.push_back(*s);
        return v;
    }
    std::vector<notice> notices() {
        std::vector<notice> v;
        while (auto n = ep.poll_notice()) v.push_back(*n);
        return v;
    }
    state st() const { return ep.current_state(); }
    void advance(duration d) {
        now += d;
        ep.handle_timeout(now);
    }
};

using Segs = std::vector<segment>;
using Notes = std::vector<notice>;

#define SEND(h, s) (h).in(s)
#define RECV(h, ...) EXPECT_EQ((h).out(), (Segs{__VA_ARGS__}))
#define RECV_NOTHING(h) EXPECT_EQ((h).out(), Segs{})
#define NOTES(h, ...) EXPECT_EQ((h).notices(), (Notes{__VA_ARGS__}))
#define NO_NOTES(h) EXPECT_EQ((h).notices(), Notes{})
#define STATE(h, S) EXPECT_EQ((h).st(), state::S)

notice note(notice_kind k, std::uint32_t n = 0) { return notice{k, n}; }
const notice closing_ = note(notice_kind::connection_closing);
const notice reset_ = note(notice_kind::connection_reset);
const notice refused = note(notice_kind::connection_refused);
const notice exists = note(notice_kind::connection_already_exists);
const notice no_conn = note(notice_kind::connection_does_not_exist);
const notice timed_out = note(notice_kind::connection_timed_out);

// ---- reaching states by real events; each checks what it sends on the way ---------------------

void listen(Host& h) {
    h.ep.open_passive(h.now);
    ASSERT_EQ(h.st(), state::LISTEN);
    ASSERT_EQ(h.out(), Segs{});
}
void syn_sent(Host& h) {
    h.ep.open_active(h.now);
    ASSERT_EQ(h.st(), state::SYN_SENT);
    ASSERT_EQ(h.out(), (Segs{segment{L, 0, SYN, WND, 0}}));
}
void syn_received_passive(Host& h) {
    listen(h);
    h.in(seg(R, 0, SYN));
    ASSERT_EQ(h.st(), state::SYN_RECEIVED);
    ASSERT_EQ(h.out(), (Segs{ours(L, R + 1, SYN | ACK)}));
}
void syn_received_active(Host& h) {
    syn_sent(h);
    h.in(seg(R, 0, SYN));
    ASSERT_EQ(h.st(), state::SYN_RECEIVED);
    ASSERT_EQ(h.out(), (Segs{ours(L, R + 1, SYN | ACK)}));
}
void established(Host& h) {
    syn_sent(h);
    h.in(seg(R, L + 1, SYN | ACK));
    ASSERT_EQ(h.st(), state::ESTABLISHED);
    ASSERT_EQ(h.out(), (Segs{ours(L + 1, R + 1, ACK)}));
}
void established_passive(Host& h) {
    syn_received_passive(h);
    h.in(seg(R + 1, L + 1, ACK));
    ASSERT_EQ(h.st(), state::ESTABLISHED);
    ASSERT_EQ(h.out(), Segs{});
}
void fin_wait_1(Host& h) {
    established(h);
    h.ep.close(h.now);
    ASSERT_EQ(h.st(), state::FIN_WAIT_1);
    ASSERT_EQ(h.out(), (Segs{ours(L + 1, R + 1, FIN | ACK)}));
}
void fin_wait_2(Host& h) {
    fin_wait_1(h);
    h.in(seg(R + 1, L + 2, ACK));
    ASSERT_EQ(h.st(), state::FIN_WAIT_2);
    ASSERT_EQ(h.out(), Segs{});
}
void closing(Host& h) {
    fin_wait_1(h);
    h.in(seg(R + 1, L + 1, FIN | ACK));
    ASSERT_EQ(h.st(), state::CLOSING);
    ASSERT_EQ(h.out(), (Segs{ours(L + 2, R + 2, ACK)}));
    h.notices();
}
void time_wait(Host& h) {
    fin_wait_2(h);
    h.in(seg(R + 1, L + 2, FIN | ACK));
    ASSERT_EQ(h.st(), state::TIME_WAIT);
    ASSERT_EQ(h.out(), (Segs{ours(L + 2, R + 2, ACK)}));
    h.notices();
}
void close_wait(Host& h) {
    established(h);
    h.in(seg(R + 1, L + 1, FIN | ACK));
    ASSERT_EQ(h.st(), state::CLOSE_WAIT);
    ASSERT_EQ(h.out(), (Segs{ours(L + 1, R + 2, ACK)}));
    ASSERT_EQ(h.notices(), Notes{closing_});
}
void last_ack(Host& h) {
    close_wait(h);
    h.ep.close(h.now);
    ASSERT_EQ(h.st(), state::LAST_ACK);
    ASSERT_EQ(h.out(), (Segs{ours(L + 1, R + 2, FIN | ACK)}));
}

struct Reach {
    const char* name;
    void (*go)(Host&);
};
const Reach all_states[] = {
    {"CLOSED", [](Host&) {}},       {"LISTEN", listen},           {"SYN_SENT", syn_sent},
    {"SYN_RECEIVED", syn_received_passive}, {"ESTABLISHED", established}, {"FIN_WAIT_1", fin_wait_1},
    {"FIN_WAIT_2", fin_wait_2},     {"CLOSE_WAIT", close_wait},   {"CLOSING", closing},
    {"LAST_ACK", last_ack},         {"TIME_WAIT", time_wait},
};
template <class F>
void for_states(std::initializer_list<const char*> names, F&& f, profile p = default_profile()) {
    for (const char* n : names)
        for (const auto& r : all_states)
            if (std::string(r.name) == n) {
                SCOPED_TRACE(n);
                Host h(p);
                r.go(h);
                f(h);
            }
}

// ================================ user calls (section 3.10.1 to 3.10.6) ========================

TEST(Closed, OpenPassiveListensSilently) {
    Host h;
    h.ep.open_passive(h.now);
    STATE(h, LISTEN);
    RECV_NOTHING(h);
}

TEST(Closed, OpenActiveSendsSyn) {
    Host h;
    h.ep.open_active(h.now);
    STATE(h, SYN_SENT);
    RECV(h, segment{L, 0, SYN, WND, 0});
}

TEST(Closed, OtherCallsReportConnectionDoesNotExist) {
    Host h;
    h.ep.send(10, h.now);
    h.ep.receive(10, h.now);
    h.ep.close(h.now);
    h.ep.abort(h.now);
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    NOTES(h, no_conn, no_conn, no_conn, no_conn);
}

TEST(Listen, OpenActiveSendsSyn) {
    Host h;
    listen(h);
    h.ep.open_active(h.now);
    STATE(h, SYN_SENT);
    RECV(h, segment{L, 0, SYN, WND, 0});
}

TEST(Listen, SendSendsSynAndQueuesTheData) {
    Host h;
    listen(h);
    h.ep.send(100, h.now);
    STATE(h, SYN_SENT);
    RECV(h, segment{L, 0, SYN, WND, 0});
    // The queued data leaves with the ACK that completes the handshake.
    SEND(h, seg(R, L + 1, SYN | ACK));
    STATE(h, ESTABLISHED);
    RECV(h, ours(L + 1, R + 1, PSH | ACK, 100));
}

TEST(Listen, CloseAndAbortGoToClosedSilently) {
    for (auto call : {&endpoint::close, &endpoint::abort}) {
        Host h;
        listen(h);
        (h.ep.*call)(h.now);
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        NO_NOTES(h);
    }
}

TEST(Listen, CloseWithAPendingReceiveReportsClosing) {
    Host h;
    listen(h);
    h.ep.receive(10, h.now);
    h.ep.close(h.now);
    STATE(h, CLOSED);
    NOTES(h, closing_);
}

TEST(SynSent, CloseAndAbortSendNoRst) {
    for (auto call : {&endpoint::close, &endpoint::abort}) {
        Host h;
        syn_sent(h);
        (h.ep.*call)(h.now);
        STATE(h, CLOSED);
        RECV_NOTHING(h);
    }
}

TEST(SynSent, AbortWithQueuedDataReportsReset) {
    Host h;
    syn_sent(h);
    h.ep.send(10, h.now);
    h.ep.abort(h.now);
    STATE(h, CLOSED);
    NOTES(h, reset_);
}

TEST(SynReceived, CloseSendsFin) {
    Host h;
    syn_received_passive(h);
    h.ep.close(h.now);
    STATE(h, FIN_WAIT_1);
    RECV(h, ours(L + 1, R + 1, FIN | ACK));
}

TEST(SynReceived, CloseWithQueuedDataSendsTheFinAfterIt) {
    Host h;
    syn_received_passive(h);
    h.ep.send(100, h.now);
    RECV_NOTHING(h);  // queued until the SYN is acknowledged
    h.ep.close(h.now);
    STATE(h, FIN_WAIT_1);
    RECV_NOTHING(h);
    SEND(h, seg(R + 1, L + 1, ACK));
    STATE(h, FIN_WAIT_1);
    RECV(h, ours(L + 1, R + 1, PSH | FIN | ACK, 100));
    SEND(h, seg(R + 1, L + 102, ACK));
    STATE(h, FIN_WAIT_2);
}

TEST(Established, CloseSendsFin) {
    Host h;
    established(h);
    h.ep.close(h.now);
    STATE(h, FIN_WAIT_1);
    RECV(h, ours(L + 1, R + 1, FIN | ACK));
}

TEST(Established, CloseSendsTheFinAfterQueuedData) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK, 0, 0));  // the peer closes its window
    h.ep.send(100, h.now);
    RECV(h, ours(L + 1, R + 1, PSH | ACK, 1));  // a one-byte probe of the zero window
    h.ep.close(h.now);
    RECV_NOTHING(h);  // the FIN waits behind the data
    SEND(h, seg(R + 1, L + 2, ACK, 0, 1000));
    RECV(h, ours(L + 2, R + 1, PSH | FIN | ACK, 99));
    STATE(h, FIN_WAIT_1);
}

TEST(Established, CloseWithUnreadDataSendsRst) {  // RFC 2525 section 2.17
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK, 10));
    RECV(h, ours(L + 1, R + 11, ACK, 0, WND - 10));
    h.ep.close(h.now);
    STATE(h, CLOSED);
    RECV(h, rst(L + 1));
}

// The peer's text, then its FIN, with nothing read yet: CLOSE-WAIT holds the unread bytes.
void close_wait_with_unread_data(Host& h) {
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN, 10));
    STATE(h, CLOSE_WAIT);
    RECV(h, ours(L + 1, R + 12, ACK, 0, WND - 10));
    NOTES(h, closing_);
}

TEST(CloseWait, ReceiveDeliversWhatArrivedBeforeTheFin) {
    Host h;
    close_wait_with_unread_data(h);
    h.ep.receive(100, h.now);
    NOTES(h, note(notice_kind::data_delivered, 10));
    STATE(h, CLOSE_WAIT);
}

TEST(CloseWait, CloseWithUnreadDataSendsRst) {  // RFC 2525 section 2.17
    Host h;
    close_wait_with_unread_data(h);
    h.ep.close(h.now);
    STATE(h, CLOSED);
    RECV(h, rst(L + 1));
}

TEST(CloseWait, CloseSendsFin) {
    Host h;
    close_wait(h);
    h.ep.close(h.now);
    STATE(h, LAST_ACK);
    RECV(h, ours(L + 1, R + 2, FIN | ACK));
}

TEST(Closing, SecondCloseReportsClosingAndSendsNoSecondFin) {
    for_states({"FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "LAST_ACK", "TIME_WAIT"}, [](Host& h) {
        const state before = h.st();
        h.ep.close(h.now);
        EXPECT_EQ(h.st(), before);
        RECV_NOTHING(h);
        NOTES(h, closing_);
    });
}

TEST(Abort, SynchronizedStatesSendRstAtSndNxt) {
    struct Case {
        void (*go)(Host&);
        seq_t snd_nxt;
    };
    for (auto c : {Case{syn_received_passive, L + 1}, Case{established, L + 1}, Case{fin_wait_1, L + 2},
                   Case{fin_wait_2, L + 2}, Case{close_wait, L + 1}}) {
        Host h;
        c.go(h);
        SCOPED_TRACE(std::string(name(h.st())));
        h.ep.abort(h.now);
        STATE(h, CLOSED);
        RECV(h, rst(c.snd_nxt));
    }
}

TEST(Abort, ClosingLastAckTimeWaitCloseSilently) {
    for_states({"CLOSING", "LAST_ACK", "TIME_WAIT"}, [](Host& h) {
        h.ep.abort(h.now);
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        EXPECT_FALSE(h.ep.next_timeout());
    });
}

TEST(Send, QueuedInSynSentAndSynReceived) {
    for_states({"SYN_SENT", "SYN_RECEIVED"}, [](Host& h) {
        const state before = h.st();
        h.ep.send(10, h.now);
        EXPECT_EQ(h.st(), before);
        RECV_NOTHING(h);
        EXPECT_EQ(h.ep.tcb().snd_queued, 10u);
    });
}

TEST(Send, SentInEstablishedAndCloseWait) {
    struct Case {
        void (*go)(Host&);
        seq_t ack;
    };
    for (auto c : {Case{established, R + 1}, Case{close_wait, R + 2}}) {
        Host h;
        c.go(h);
        h.ep.send(700, h.now);  // more than the MSS: two segments
        RECV(h, ours(L + 1, c.ack, PSH | ACK, 500), ours(L + 501, c.ack, PSH | ACK, 200));
        EXPECT_EQ(h.ep.tcb().snd_nxt, L + 701);
    }
}

TEST(Send, AfterCloseReportsClosing) {
    for_states({"FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "LAST_ACK", "TIME_WAIT"}, [](Host& h) {
        const state before = h.st();
        h.ep.send(10, h.now);
        EXPECT_EQ(h.st(), before);
        RECV_NOTHING(h);
        NOTES(h, closing_);
    });
}

TEST(Open, AnyStateButClosedReportsAlreadyExists) {
    for (const auto& r : all_states) {
        if (std::string(r.name) == "CLOSED") continue;
        for (auto call : {&endpoint::open_passive, &endpoint::open_active}) {
            if (std::string(r.name) == "LISTEN" && call == &endpoint::open_active) continue;
            SCOPED_TRACE(r.name);
            Host h;
            r.go(h);
            h.notices();
            const state before = h.st();
            (h.ep.*call)(h.now);
            EXPECT_EQ(h.st(), before);
            RECV_NOTHING(h);
            NOTES(h, exists);
        }
    }
}

TEST(Receive, DeliversWhatArrivedAndWaitsForTheRest) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK, 30));
    RECV(h, ours(L + 1, R + 31, ACK, 0, WND - 30));
    h.ep.receive(20, h.now);
    NOTES(h, note(notice_kind::data_delivered, 20));
    h.ep.receive(20, h.now);
    NOTES(h, note(notice_kind::data_delivered, 10));
    SEND(h, seg(R + 31, L + 1, ACK, 40));
    NOTES(h, note(notice_kind::data_delivered, 10));
    EXPECT_EQ(h.ep.tcb().rcv_unread, 30u);
}

TEST(Receive, AfterThePeerClosedReportsClosingInClosingStates) {
    for_states({"CLOSING", "LAST_ACK", "TIME_WAIT"}, [](Host& h) {
        h.ep.receive(10, h.now);
        NOTES(h, closing_);
    });
}

// ================================ a segment arrives in CLOSED, LISTEN, SYN-SENT ===============

TEST(Closed, RstIsDropped) {
    Host h;
    SEND(h, seg(7, 9, RST));
    SEND(h, seg(7, 9, RST | ACK));
    STATE(h, CLOSED);
    RECV_NOTHING(h);
}

TEST(Closed, AckGetsRstA) {
    Host h;
    SEND(h, seg(7, 9, ACK, 10));
    STATE(h, CLOSED);
    RECV(h, rst(9));
}

TEST(Closed, NoAckGetsRstBCountingSynAndFin) {
    Host h;
    SEND(h, seg(7, 0, SYN));
    RECV(h, (segment{0, 8, RST | ACK, 0, 0}));
    SEND(h, seg(7, 0, FIN, 10));
    RECV(h, (segment{0, 18, RST | ACK, 0, 0}));
    SEND(h, seg(7, 0, SYN | FIN, 10));
    RECV(h, (segment{0, 19, RST | ACK, 0, 0}));
    STATE(h, CLOSED);
}

TEST(Listen, RstIsIgnored) {
    Host h;
    listen(h);
    SEND(h, seg(R, 0, RST));
    STATE(h, LISTEN);
    RECV_NOTHING(h);
}

TEST(Listen, AckGetsRstA) {
    Host h;
    listen(h);
    SEND(h, seg(R, 77, ACK));
    STATE(h, LISTEN);
    RECV(h, rst(77));
    SEND(h, seg(R, 78, SYN | ACK));
    STATE(h, LISTEN);
    RECV(h, rst(78));
}

TEST(Listen, SynGoesToSynReceivedAndAnswersSynAck) {
    Host h;
    listen(h);
    SEND(h, seg(R, 0, SYN));
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L, R + 1, SYN | ACK));
    EXPECT_EQ(h.ep.tcb().irs, R);
    EXPECT_EQ(h.ep.tcb().snd_wnd, PEER_WND);
}

TEST(Listen, AnythingElseIsDropped) {
    Host h;
    listen(h);
    SEND(h, seg(R, 0, FIN, 5));
    SEND(h, seg(R, 0, 0, 5));
    SEND(h, seg(R, 0, PSH | URG, 5));
    STATE(h, LISTEN);
    RECV_NOTHING(h);
}

TEST(SynSent, UnacceptableAckGetsRstAAndStays) {
    for (seq_t ack : {L - 10, L, L + 2}) {  // =< ISS, == ISS, > SND.NXT
        Host h;
        syn_sent(h);
        SEND(h, seg(R, ack, ACK));
        STATE(h, SYN_SENT);
        RECV(h, rst(ack));
        SEND(h, seg(R, ack, SYN | ACK));
        STATE(h, SYN_SENT);
        RECV(h, rst(ack));
    }
}

TEST(SynSent, UnacceptableAckWithRstIsDropped) {
    Host h;
    syn_sent(h);
    SEND(h, seg(R, L, RST | ACK));
    STATE(h, SYN_SENT);
    RECV_NOTHING(h);
}

TEST(SynSent, RstWithAcceptableAckResets) {
    Host h;
    syn_sent(h);
    SEND(h, seg(0, L + 1, RST | ACK));
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    NOTES(h, reset_);
}

TEST(SynSent, RstWithoutAckIsDropped) {
    Host h;
    syn_sent(h);
    SEND(h, seg(0, 0, RST));
    STATE(h, SYN_SENT);
    RECV_NOTHING(h);
}

TEST(SynSent, SynWithAcceptableAckEstablishes) {
    Host h;
    syn_sent(h);
    SEND(h, seg(R, L + 1, SYN | ACK));
    STATE(h, ESTABLISHED);
    RECV(h, ours(L + 1, R + 1, ACK));
    EXPECT_EQ(h.ep.tcb().snd_una, L + 1);
    EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 1);
}

TEST(SynSent, SynAckCarryingDataAndFinGoesOnToCloseWait) {
    Host h;
    syn_sent(h);
    h.ep.receive(100, h.now);
    SEND(h, seg(R, L + 1, SYN | ACK | FIN, 10));
    STATE(h, CLOSE_WAIT);
    RECV(h, ours(L + 1, R + 12, ACK, 0, WND));
    NOTES(h, note(notice_kind::data_delivered, 10), closing_);
}

TEST(SynSent, SynWithoutAckIsSimultaneousOpen) {
    Host h;
    syn_sent(h);
    SEND(h, seg(R, 0, SYN));
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L, R + 1, SYN | ACK));
    // The peer's SYN-ACK, which crossed ours, completes the handshake as in Figure 8: its SYN is
    // the one we have, its ACK acknowledges ours. Nothing more is sent.
    SEND(h, seg(R, L + 1, SYN | ACK));
    STATE(h, ESTABLISHED);
    RECV_NOTHING(h);
    SEND(h, seg(R + 1, L + 1, ACK));
    STATE(h, ESTABLISHED);
    RECV_NOTHING(h);
}

TEST(SynSent, ACrossingSynAckThatDoesNotAcknowledgeOurSynIsOld) {
    // Only the crossing SYN-ACK of Figure 8 is taken: one whose ACK does not cover our SYN fails the
    // sequence check (Table 6, its SYN lies below RCV.NXT) and is answered with an ACK.
    Host h;
    syn_sent(h);
    SEND(h, seg(R, 0, SYN));
    RECV(h, ours(L, R + 1, SYN | ACK));
    SEND(h, seg(R, L, SYN | ACK));
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L + 1, R + 1, ACK));
}

TEST(SynSent, NeitherSynNorRstIsDropped) {
    Host h;
    syn_sent(h);
    SEND(h, seg(R, 0, FIN, 5));  // a FIN in SYN-SENT is dropped
    SEND(h, seg(R, L + 1, ACK, 5));
    STATE(h, SYN_SENT);
    RECV_NOTHING(h);
    EXPECT_EQ(h.ep.tcb().rcv_nxt, 0u);
}

// ================================ synchronized states: step 1, the sequence check =============

TEST(SequenceCheck, UnacceptableSegmentGetsAnAck) {
    for_states({"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
                "TIME_WAIT"},
               [](Host& h) {
                   const state before = h.st();
                   const tcb t = h.ep.tcb();
                   SEND(h, seg(t.rcv_nxt + 5000, t.snd_nxt, ACK, 10));
                   EXPECT_EQ(h.st(), before);
                   RECV(h, ours(t.snd_nxt, t.rcv_nxt, ACK, 0, t.rcv_wnd));
                   EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);
               });
}

TEST(SequenceCheck, UnacceptableRstIsDroppedSilently) {
    for_states({"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
                "TIME_WAIT"},
               [](Host& h) {
                   const state before = h.st();
                   SEND(h, seg(h.ep.tcb().rcv_nxt - 1, 0, RST));
                   SEND(h, seg(h.ep.tcb().rcv_nxt + WND, 0, RST));  // the right edge is outside
                   EXPECT_EQ(h.st(), before);
                   RECV_NOTHING(h);
               });
}

TEST(SequenceCheck, ZeroWindowTakesOnlyAnEmptySegmentAtRcvNxt) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK, WND));  // fills our whole buffer: RCV.WND = 0
    RECV(h, ours(L + 1, R + 1 + WND, ACK, 0, 0));
    EXPECT_EQ(h.ep.tcb().rcv_wnd, 0u);
    SEND(h, seg(R + 1 + WND, L + 1, ACK, 1));  // one more byte: unacceptable, ACK
    RECV(h, ours(L + 1, R + 1 + WND, ACK, 0, 0));
    EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 1 + WND);
    SEND(h, seg(R + 1 + WND, L + 1, ACK, 0, 1234));  // an empty one at RCV.NXT is processed
    RECV_NOTHING(h);
    EXPECT_EQ(h.ep.tcb().snd_wnd, 1234u);
}

TEST(SequenceCheck, OverlappingTextIsTrimmedAndOnlyTheNewPartTaken) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK, 10));
    RECV(h, ours(L + 1, R + 11, ACK, 0, WND - 10));
    SEND(h, seg(R + 6, L + 1, ACK, 10));  // 5 old bytes, 5 new
    RECV(h, ours(L + 1, R + 16, ACK, 0, WND - 15));
    EXPECT_EQ(h.ep.tcb().rcv_unread, 15u);
}

TEST(SequenceCheck, OutOfOrderTextIsNotTakenButAcked) {
    Host h;
    established(h);
    SEND(h, seg(R + 11, L + 1, ACK, 10));
    RECV(h, ours(L + 1, R + 1, ACK));
    EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 1);
}

// ================================ step 2: RST ================================================

TEST(Rst, SynReceivedPassiveGoesBackToListen) {
    Host h;
    syn_received_passive(h);
    SEND(h, seg(R + 1, 0, RST));
    STATE(h, LISTEN);
    RECV_NOTHING(h);
    NO_NOTES(h);
    // And it still listens: a new SYN is accepted.
    SEND(h, seg(R + 100, 0, SYN));
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L, R + 101, SYN | ACK));
}

TEST(Rst, EstablishedAfterAPassiveOpenResetsToClosedNotListen) {
    Host h;
    established_passive(h);
    SEND(h, seg(R + 1, 0, RST));
    STATE(h, CLOSED);
    NOTES(h, reset_);
}

TEST(Rst, SynReceivedActiveGoesToClosedRefused) {
    Host h;
    syn_received_active(h);
    SEND(h, seg(R + 1, 0, RST));
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    NOTES(h, refused);
}

TEST(Rst, SynchronizedStatesResetWithConnectionReset) {
    for_states({"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT"}, [](Host& h) {
        h.notices();
        SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        NOTES(h, reset_);
    });
}

TEST(Rst, ClosingLastAckCloseQuietly) {
    for_states({"CLOSING", "LAST_ACK"}, [](Host& h) {
        SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        NO_NOTES(h);
    });
}

// The open choice late_rst_reported (Linux's tcp_reset sets ECONNRESET in any state): the same
// transition, now reported.
TEST(Rst, ClosingLastAckReportTheResetWhenLateRstReported) {
    profile p = default_profile();
    p.late_rst_reported = true;
    for_states({"CLOSING", "LAST_ACK"}, [](Host& h) {
        h.notices();
        SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        NOTES(h, reset_);
    }, p);
}

TEST(Rst, TimeWaitClosesQuietlyWithoutRfc1337) {  // Linux's default
    for (profile p : {profile::rfc9293(), profile::rfc5961()}) {
        Host h(p);
        time_wait(h);
        SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
        STATE(h, CLOSED);
        RECV_NOTHING(h);
        NO_NOTES(h);
    }
}

TEST(Rst, PlainProfileAcceptsAnyInWindowRst) {
    Host h(profile::rfc9293());
    established(h);
    SEND(h, seg(R + 1 + WND - 1, 0, RST));  // the last sequence number of the window
    STATE(h, CLOSED);
}

TEST(Rst, WithSynIsStillARst) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, 0, RST | SYN | FIN));
    STATE(h, CLOSED);
    RECV_NOTHING(h);
}

// ================================ step 3: SYN ================================================

TEST(Syn, SynReceivedPassiveGoesBackToListen) {
    Host h;
    syn_received_passive(h);
    SEND(h, seg(R + 1, 0, SYN));
    STATE(h, LISTEN);
    RECV_NOTHING(h);
}

TEST(Syn, PlainProfileInWindowSynResets) {
    for_states({"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"},
               [](Host& h) {
                   h.notices();
                   const seq_t snd_nxt = h.ep.tcb().snd_nxt;
                   SEND(h, seg(h.ep.tcb().rcv_nxt, 0, SYN));
                   STATE(h, CLOSED);
                   RECV(h, rst(snd_nxt));
                   NOTES(h, reset_);
               },
               profile::rfc9293());
}

TEST(Syn, PlainProfileSynReceivedActiveResets) {
    Host h(profile::rfc9293());
    syn_received_active(h);
    SEND(h, seg(R + 1, 0, SYN));
    STATE(h, CLOSED);
    RECV(h, rst(L + 1));
}

// ================================ step 4: ACK ================================================

TEST(Ack, SegmentWithoutAckIsDropped) {
    for_states({"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"},
               [](Host& h) {
                   const state before = h.st();
                   const tcb t = h.ep.tcb();
                   SEND(h, seg(t.rcv_nxt, 0, PSH | FIN, 5));
                   EXPECT_EQ(h.st(), before);
                   RECV_NOTHING(h);
                   EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);
               });
}

TEST(Ack, SynReceivedAcceptableAckEstablishesAndGoesOn) {
    Host h;
    syn_received_passive(h);
    h.ep.receive(100, h.now);
    SEND(h, seg(R + 1, L + 1, ACK, 10));
    STATE(h, ESTABLISHED);
    RECV(h, ours(L + 1, R + 11, ACK));
    NOTES(h, note(notice_kind::data_delivered, 10));
}

TEST(Ack, SynReceivedUnacceptableAckGetsRstA) {
    for (seq_t ack : {L, L + 2}) {
        Host h;
        syn_received_passive(h);
        SEND(h, seg(R + 1, ack, ACK, 10));
        STATE(h, SYN_RECEIVED);
        RECV(h, rst(ack));
        EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 1);
    }
}

TEST(Ack, AckOfUnsentDataIsAnsweredAndDropped) {
    for_states({"ESTABLISHED", "CLOSE_WAIT"}, [](Host& h) {
        const tcb t = h.ep.tcb();
        SEND(h, seg(t.rcv_nxt, t.snd_nxt + 100, ACK | FIN, 10));
        RECV(h, ours(t.snd_nxt, t.rcv_nxt, ACK));
        EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);  // neither the text nor the FIN was taken
        EXPECT_EQ(h.ep.tcb().snd_una, t.snd_una);
    });
}

TEST(Ack, EstablishedAckAdvancesSndUnaAndUpdatesTheWindow) {
    Host h;
    established(h);
    h.ep.send(300, h.now);
    RECV(h, ours(L + 1, R + 1, PSH | ACK, 300));
    EXPECT_TRUE(h.ep.next_timeout());
    SEND(h, seg(R + 1, L + 301, ACK, 0, 777));
    RECV_NOTHING(h);
    EXPECT_EQ(h.ep.tcb().snd_una, L + 301);
    EXPECT_EQ(h.ep.tcb().snd_wnd, 777u);
    EXPECT_FALSE(h.ep.next_timeout());  // nothing left to retransmit
}

TEST(Ack, FinWait1AckOfOurFinGoesToFinWait2) {
    Host h;
    fin_wait_1(h);
    SEND(h, seg(R + 1, L + 2, ACK));
    STATE(h, FIN_WAIT_2);
    RECV_NOTHING(h);
}

TEST(Ack, FinWait1AckShortOfTheFinStays) {
    Host h;
    established(h);
    h.ep.send(10, h.now);
    h.ep.close(h.now);
    RECV(h, ours(L + 1, R + 1, PSH | ACK, 10), ours(L + 11, R + 1, FIN | ACK));
    SEND(h, seg(R + 1, L + 11, ACK));
    STATE(h, FIN_WAIT_1);
    SEND(h, seg(R + 1, L + 12, ACK));
    STATE(h, FIN_WAIT_2);
}

TEST(Ack, ClosingAckOfOurFinGoesToTimeWait) {
    Host h;
    closing(h);
    SEND(h, seg(R + 2, L + 2, ACK));
    STATE(h, TIME_WAIT);
    RECV_NOTHING(h);
    EXPECT_EQ(h.ep.next_timeout(), h.now + 60s);
}

TEST(Ack, LastAckClosesOnlyOnTheAckThatCoversTheFin) {
    Host h;
    close_wait(h);
    h.ep.send(10, h.now);
    h.ep.close(h.now);
    RECV(h, ours(L + 1, R + 2, PSH | ACK, 10), ours(L + 11, R + 2, FIN | ACK));
    STATE(h, LAST_ACK);
    SEND(h, seg(R + 2, L + 11, ACK));  // covers the data, not the FIN
    STATE(h, LAST_ACK);
    SEND(h, seg(R + 2, L + 12, ACK));
    STATE(h, CLOSED);
    RECV_NOTHING(h);
}

TEST(Ack, TimeWaitRetransmittedFinIsAckedAndRestarts2Msl) {
    Host h;
    time_wait(h);
    h.now += 50s;
    SEND(h, seg(R + 1, L + 2, FIN | ACK));
    STATE(h, TIME_WAIT);
    RECV(h, ours(L + 2, R + 2, ACK));
    EXPECT_EQ(h.ep.next_timeout(), h.now + 60s);
}

TEST(Ack, TimeWaitOtherUnacceptableSegmentsGetAnAckButNo2MslRestart) {
    Host h;
    time_wait(h);
    const instant deadline = *h.ep.next_timeout();
    h.now += 10s;
    SEND(h, seg(R + 1, L + 2, ACK));  // old, but not a FIN
    STATE(h, TIME_WAIT);
    RECV(h, ours(L + 2, R + 2, ACK));
    EXPECT_EQ(h.ep.next_timeout(), deadline);
}

// ================================ step 5: text ================================================

TEST(Text, DeliveredAndAckedInEstablishedFinWait1FinWait2) {
    for_states({"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2"}, [](Host& h) {
        const tcb t = h.ep.tcb();
        h.ep.receive(100, h.now);
        SEND(h, seg(t.rcv_nxt, t.snd_una, ACK, 20));
        RECV(h, ours(t.snd_nxt, t.rcv_nxt + 20, ACK));
        NOTES(h, note(notice_kind::data_delivered, 20));
    });
}

TEST(Text, IgnoredAfterThePeersFin) {
    for_states({"CLOSE_WAIT", "CLOSING", "LAST_ACK"}, [](Host& h) {
        const tcb t = h.ep.tcb();
        SEND(h, seg(t.rcv_nxt, t.snd_una, ACK, 20));
        EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);
        EXPECT_EQ(h.ep.tcb().rcv_unread, t.rcv_unread);
    });
}

TEST(Text, BeyondTheWindowIsTrimmedAndItsFinDropped) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN, WND + 50));
    STATE(h, ESTABLISHED);
    RECV(h, ours(L + 1, R + 1 + WND, ACK, 0, 0));
}

// ================================ step 6: FIN ================================================

TEST(Fin, SynReceivedFinWithTheHandshakeAckGoesToCloseWait) {
    Host h;
    syn_received_passive(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN));
    STATE(h, CLOSE_WAIT);
    RECV(h, ours(L + 1, R + 2, ACK));
}

TEST(Fin, EstablishedGoesToCloseWait) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN));
    STATE(h, CLOSE_WAIT);
    RECV(h, ours(L + 1, R + 2, ACK));
    NOTES(h, closing_);
}

TEST(Fin, FinWait1FinPlusAckOfOurFinGoesStraightToTimeWait) {
    Host h;
    fin_wait_1(h);
    SEND(h, seg(R + 1, L + 2, ACK | FIN));
    STATE(h, TIME_WAIT);
    RECV(h, ours(L + 2, R + 2, ACK));
}

TEST(Fin, FinWait1FinAloneIsSimultaneousClose) {
    Host h;
    fin_wait_1(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN));
    STATE(h, CLOSING);
    RECV(h, ours(L + 2, R + 2, ACK));
}

TEST(Fin, FinWait1FinArrivingBeforeTheAckOfOurFin) {
    // Out of order: the peer's FIN overtakes its ACK of our FIN.
    Host h;
    fin_wait_1(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN));
    STATE(h, CLOSING);
    RECV(h, ours(L + 2, R + 2, ACK));
    SEND(h, seg(R + 2, L + 2, ACK));
    STATE(h, TIME_WAIT);
}

TEST(Fin, FinWait2GoesToTimeWaitAndStarts2Msl) {
    Host h;
    fin_wait_2(h);
    SEND(h, seg(R + 1, L + 2, ACK | FIN));
    STATE(h, TIME_WAIT);
    RECV(h, ours(L + 2, R + 2, ACK));
    EXPECT_EQ(h.ep.next_timeout(), h.now + 60s);
}

TEST(Fin, CloseWaitClosingLastAckStay) {
    for_states({"CLOSE_WAIT", "CLOSING", "LAST_ACK"}, [](Host& h) {
        const state before = h.st();
        const tcb t = h.ep.tcb();
        SEND(h, seg(t.rcv_nxt - 1, t.snd_una, ACK | FIN));  // the peer's FIN again
        EXPECT_EQ(h.st(), before);
        RECV(h, ours(t.snd_nxt, t.rcv_nxt, ACK));
        EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);
    });
}

TEST(Fin, TakesOneSequenceNumber) {
    Host h;
    established(h);
    SEND(h, seg(R + 1, L + 1, ACK | FIN, 10));
    EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 12);
}

// ================================ timeouts (section 3.10.8) ==================================

TEST(Timeout, TimeWait2MslCloses) {
    Host h;
    time_wait(h);
    h.advance(59s);
    STATE(h, TIME_WAIT);
    h.advance(1s);
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    EXPECT_FALSE(h.ep.next_timeout());
}

TEST(Timeout, RetransmitsTheSynWithBackoff) {
    Host h;
    syn_sent(h);
    EXPECT_EQ(h.ep.next_timeout(), h.now + 1s);
    h.advance(1s);
    STATE(h, SYN_SENT);
    RECV(h, segment{L, 0, SYN, WND, 0});
    EXPECT_EQ(h.ep.next_timeout(), h.now + 2s);
}

TEST(Timeout, RetransmitsTheSynAck) {
    Host h;
    syn_received_passive(h);
    h.advance(1s);
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L, R + 1, SYN | ACK));
}

TEST(Timeout, RetransmitsTheOldestData) {
    Host h;
    established(h);
    h.ep.send(700, h.now);
    h.out();
    SEND(h, seg(R + 1, L + 101, ACK));
    h.advance(1s);
    RECV(h, ours(L + 101, R + 1, PSH | ACK, 500));
}

TEST(Timeout, RetransmitsTheFin) {
    for_states({"FIN_WAIT_1", "LAST_ACK", "CLOSING"}, [](Host& h) {
        const tcb t = h.ep.tcb();
        h.advance(1s);
        RECV(h, ours(t.fin_seq, t.rcv_nxt, FIN | ACK));
    });
}

TEST(Timeout, RetransmissionThresholdCloses) {
    Host h;
    syn_sent(h);
    duration rto = 1s;
    for (int i = 0; i < 5; ++i) {
        h.advance(rto);
        RECV(h, segment{L, 0, SYN, WND, 0});
        rto *= 2;
    }
    h.advance(rto);
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    NOTES(h, timed_out);
}

// Every state that waits for an acknowledgement gives up after max_retries retransmissions (RTO
// doubling up to 60 s: each step of 64 s lets exactly one expire).
TEST(Timeout, RetransmissionThresholdClosesEveryStateThatWaitsForAnAck) {
    for_states({"SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "CLOSE_WAIT", "CLOSING", "LAST_ACK"},
               [](Host& h) {
                   if (h.ep.tcb().snd_una == h.ep.tcb().snd_nxt) h.ep.send(10, h.now);  // something to wait for
                   h.out();
                   for (int i = 0; i < 5; ++i) {
                       h.advance(64s);
                       EXPECT_EQ(h.out().size(), 1u) << "retransmission " << i + 1;
                   }
                   EXPECT_NE(h.st(), state::CLOSED);
                   h.notices();
                   h.advance(64s);
                   STATE(h, CLOSED);
                   RECV_NOTHING(h);
                   NOTES(h, timed_out);
               });
}

// The user timeout runs while something sent is unacknowledged, in every state where that can be.
TEST(Timeout, UserTimeoutClosesEveryStateThatWaitsForAnAck) {
    for (const char* n : {"SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
        for (const auto& r : all_states) {
            if (std::string(r.name) != n) continue;
            SCOPED_TRACE(n);
            config c;
            c.user_timeout = 10s;
            Host h(default_profile(), c);
            r.go(h);
            if (h.ep.tcb().snd_una == h.ep.tcb().snd_nxt) h.ep.send(10, h.now);
            h.out();
            h.notices();
            h.advance(10s);  // the retransmission due at 1 s goes out late, then the user timeout
            STATE(h, CLOSED);
            NOTES(h, timed_out);
        }
}

TEST(Timeout, UserTimeoutClosesWithoutASegment) {
    config c;
    c.user_timeout = 10s;
    Host h(profile::rfc9293(), c);
    established(h);
    h.ep.send(10, h.now);
    h.out();
    h.advance(9s);  // late: the retransmission due at 1 s goes out once, re-armed for 11 s
    EXPECT_EQ(h.out().size(), 1u);
    h.advance(1s);
    STATE(h, CLOSED);
    RECV_NOTHING(h);
    NOTES(h, timed_out);
}

// ================================ profiles ===================================================

TEST(Rfc5961, InWindowRstNotAtRcvNxtGetsAChallengeAck) {
    Host h(profile::rfc5961());
    established(h);
    SEND(h, seg(R + 2, 0, RST));
    STATE(h, ESTABLISHED);
    RECV(h, ours(L + 1, R + 1, ACK));
}

TEST(Rfc5961, RstExactlyAtRcvNxtResets) {
    Host h(profile::rfc5961());
    established(h);
    SEND(h, seg(R + 1, 0, RST));
    STATE(h, CLOSED);
    NOTES(h, reset_);
}

TEST(Rfc5961, RstOutsideTheWindowIsDropped) {
    Host h(profile::rfc5961());
    established(h);
    SEND(h, seg(R + 1 + WND, 0, RST));  // erratum 4845: RCV.NXT + RCV.WND is outside
    SEND(h, seg(R, 0, RST));
    STATE(h, ESTABLISHED);
    RECV_NOTHING(h);
}

TEST(Rfc5961, SynInSynchronizedStatesGetsAChallengeAck) {
    for (const auto& r : all_states) {
        const std::string n = r.name;
        if (n == "CLOSED" || n == "LISTEN" || n == "SYN_SENT" || n == "SYN_RECEIVED") continue;
        SCOPED_TRACE(n);
        Host h(profile::rfc5961());
        r.go(h);
        const tcb t = h.ep.tcb();
        const state before = h.st();
        SEND(h, seg(t.rcv_nxt, 0, SYN));
        EXPECT_EQ(h.st(), before);
        RECV(h, ours(t.snd_nxt, t.rcv_nxt, ACK));
    }
}

TEST(Rfc5961, SynReceivedActiveSynGetsAChallengeAck) {
    Host h(profile::rfc5961());
    syn_received_active(h);
    SEND(h, seg(R + 1, 0, SYN));
    STATE(h, SYN_RECEIVED);
    RECV(h, ours(L + 1, R + 1, ACK));
}

TEST(Rfc5961, OldAckBelowTheMaxWindowIsAnsweredAndDropped) {
    for (profile p : {profile::rfc9293(), profile::rfc5961()}) {
        Host h(p);
        established(h);
        SEND(h, seg(R + 1, L + 1 - PEER_WND - 10, ACK, 10));
        if (p.challenge_acks) {
            RECV(h, ours(L + 1, R + 1, ACK));
            EXPECT_EQ(h.ep.tcb().rcv_nxt, R + 1);
        } else {
            // Plain RFC 9293 ignores the old ACK but takes the text.
            RECV(h, ours(L + 1, R + 11, ACK, 0, WND - 10));
        }
    }
}

TEST(Rfc5961, ChallengeAcksAreRateLimitedPerSecond) {
    config c;
    c.challenge_ack_limit = 2;
    Host h(profile::rfc5961(), c);
    established(h);
    h.now += 10s;
    for (int i = 0; i < 3; ++i) SEND(h, seg(R + 2, 0, RST));
    RECV(h, ours(L + 1, R + 1, ACK), ours(L + 1, R + 1, ACK));  // the third is not answered
    SEND(h, seg(R + 1, L + 1, SYN));
    RECV_NOTHING(h);
    h.now += 1s;
    SEND(h, seg(R + 1, L + 1, SYN));
    RECV(h, ours(L + 1, R + 1, ACK));
    STATE(h, ESTABLISHED);
}

TEST(Rfc1337, TimeWaitIgnoresRst) {
    Host h(profile::rfc1337());
    time_wait(h);
    SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
    STATE(h, TIME_WAIT);
    RECV_NOTHING(h);
    h.advance(60s);
    STATE(h, CLOSED);
}

TEST(Rfc1337, OtherStatesStillReset) {
    Host h(profile::rfc1337());
    last_ack(h);
    SEND(h, seg(h.ep.tcb().rcv_nxt, 0, RST));
    STATE(h, CLOSED);
}

// ================================ hostile input ==============================================

TEST(Hostile, ImpossiblePayloadLengthIsCountedAndDropped) {
    Host h;
    established(h);
    const tcb t = h.ep.tcb();
    SEND(h, seg(R + 1, L + 1, ACK | FIN, 0xFFFFFFFFu));
    STATE(h, ESTABLISHED);
    RECV_NOTHING(h);
    EXPECT_EQ(h.ep.counters().malformed, 1u);
    EXPECT_EQ(h.ep.tcb().rcv_nxt, t.rcv_nxt);
}

TEST(Hostile, EveryFlagCombinationInEveryStateKeepsTheTcbSane) {
    for (const auto& r : all_states)
        for (profile p : {profile::rfc9293(), profile::rfc5961(), profile::rfc1337()})
            for (unsigned flags = 0; flags < 64; ++flags)
                for (seq_t dseq : {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu})
                    for (seq_t dack : {0u, 1u, 2u, 0x80000000u, 0xFFFFFFFFu}) {
                        Host h(p);
                        r.go(h);
                        const tcb t = h.ep.tcb();
                        SEND(h, seg(t.rcv_nxt + dseq, t.snd_una + dack, static_cast<std::uint8_t>(flags), dseq & 0xFF,
                                    dack));
                        const tcb u = h.ep.tcb();
                        // Whatever happened, the sequence spaces stay ordered.
                        if (h.st() != state::CLOSED && h.st() != state::LISTEN) {
                            ASSERT_TRUE(seq_le(u.snd_una, u.snd_nxt)) << r.name << " flags " << flags;
                            ASSERT_TRUE(seq_ge(u.snd_una, t.snd_una)) << r.name << " flags " << flags;
                            ASSERT_LE(u.rcv_unread, WND);
                        }
                        h.out();
                    }
}

TEST(Output, AFullRingRefusesTheNewestSegmentAndKeepsTheRestQueued) {
    Host h;
    established(h);
    // 64 segments of 500 bytes fit in the ring; the 65th is refused and its bytes stay queued.
    SEND(h, seg(R + 1, L + 1, ACK, 0, 60000));
    h.ep.send(40000, h.now);
    EXPECT_EQ(h.ep.counters().output_overflow, 1u);
    EXPECT_EQ(h.ep.tcb().snd_nxt, L + 1 + 64 * 500);
    EXPECT_EQ(h.ep.tcb().snd_queued, 40000u - 64 * 500);
    EXPECT_EQ(h.out().size(), 64u);
    // The next ACK makes room and sending goes on.
    SEND(h, seg(R + 1, L + 1 + 500, ACK, 0, 60000));
    EXPECT_EQ(h.out().size(), 16u);
    EXPECT_EQ(h.ep.tcb().snd_queued, 0u);
}

TEST(Observer, SeesEveryFiredRowWithItsEvent) {
    Host h;
    established(h);
    ASSERT_EQ(h.log.size(), 2u);
    EXPECT_EQ(h.log[0].from, state::CLOSED);
    EXPECT_EQ(h.log[0].event, "open_active");
    EXPECT_EQ(h.log[0].to, state::SYN_SENT);
    EXPECT_EQ(h.log[1].event, "seg_syn_ack");
    EXPECT_EQ(h.log[1].to, state::ESTABLISHED);
}

}  // namespace
}  // namespace tcprt
