// The endpoint's TCP options (RFC 9293 section 3.7.1, RFC 7323, RFC 2018), the RFC deviations of
// issue 11 fixed, and the choices the RFCs leave open as the named profiles make them. Written like
// runtime_endpoint_test.cpp: reach a state by real segments, apply one input, check what goes out.
// Every test pins its profile. Local ISS 1000, remote ISS 5000, times in milliseconds.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/endpoint.hpp"

namespace tcprt {
namespace {

using namespace std::chrono_literals;

// The spec rows these tests fired, for `--rows-out=FILE`: the rows of the choices only a named
// profile or a hand-set field makes (RFC 5961 with RFC 1337, linux, closing_resends_fin) fire here,
// and the coverage test (tests/explore/row_coverage.cmake) counts them with the endpoint suite's.
std::set<std::size_t>& fired_rows() {
    static std::set<std::size_t> rows;
    return rows;
}

constexpr seq_t L = 1000;
constexpr seq_t R = 5000;

profile named(const char* names) {
    profile p;
    const auto err = apply_profiles(names, p);
    EXPECT_FALSE(err) << *err;
    return p;
}

struct Peer {
    endpoint ep;
    instant now{};

    explicit Peer(profile p, std::uint32_t rcv_buffer = 65535, std::uint32_t challenge_limit = 100)
        : ep(make(p, rcv_buffer, challenge_limit)) {
        ep.observe([](const endpoint::transition& t) {
            if (t.row != endpoint::no_row) fired_rows().insert(t.row);
        });
    }
    static config make(profile p, std::uint32_t rcv_buffer, std::uint32_t limit) {
        config c;
        c.prof = p;
        c.iss = fixed_iss(L);
        c.rcv_buffer = rcv_buffer;
        c.mss = 1460;
        c.msl = 30s;
        c.challenge_ack_limit = limit;
        return c;
    }
    void in(segment s) { ep.handle_segment(s, now); }
    std::vector<segment> out() {
        std::vector<segment> v;
        while (auto s = ep.poll_transmit()) v.push_back(*s);
        return v;
    }
    std::vector<notice> notes() {
        std::vector<notice> v;
        while (auto n = ep.poll_notice()) v.push_back(*n);
        return v;
    }
    state st() const { return ep.current_state(); }
};

segment seg(seq_t seq, seq_t ack, std::uint8_t flags, std::uint32_t len = 0, std::uint32_t wnd = 4000,
            option_bytes opts = {}) {
    segment s{seq, ack, flags, wnd, len};
    s.opts = opts;
    return s;
}

option_bytes opts(std::initializer_list<const char*> what, std::uint32_t ts_val = 0, std::uint32_t ts_ecr = 0) {
    option_bytes b;
    for (std::string w : what) {
        if (w == "mss1460") b.mss(1460);
        if (w == "mss100") b.mss(100);
        if (w == "nop") b.nop();
        if (w == "ws2") b.wscale(2);
        if (w == "ws20") b.wscale(20);
        if (w == "sackOK") b.sack_permitted();
        if (w == "TS") b.timestamps(ts_val, ts_ecr);
    }
    return b;
}

std::string options_of(const segment& s) { return to_string(s.opts); }

notice note(notice_kind k) { return notice{k, 0}; }

// ---- what the SYN offers, per profile ---------------------------------------------------------

TEST(SynOptions, EachProfileOffersItsOptionsInItsLayout) {
    struct row {
        const char* profile;
        const char* syn;
    };
    // RFC 9293 3.7.1 (MSS); RFC 7323 appendix A's NOP alignment; Linux tcp_options_write();
    // FreeBSD tcp_addoptions(). TSval is the clock in milliseconds: 0 here.
    const row rows[] = {
        {"rfc9293", "mss 1460"},
        {"rfc9293,rfc7323,rfc2018", "mss 1460,nop,wscale 7,nop,nop,sackOK,nop,nop,TS val 0 ecr 0"},
        {"linux", "mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7"},
        {"freebsd", "mss 1460,nop,wscale 6,sackOK,TS val 0 ecr 0"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.profile);
        Peer h(named(r.profile));
        h.ep.open_active(h.now);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(options_of(out[0]), r.syn);
        EXPECT_EQ(out[0].wnd, 65535u);  // RFC 7323 2.2: the window of a SYN is never scaled
    }
}

TEST(SynOptions, LayoutsWithoutTimestampsOrSack) {
    profile linux_no_ts = named("linux");
    linux_no_ts.offer.timestamps = false;
    profile freebsd_no_sack = named("freebsd");
    freebsd_no_sack.offer.sack_permitted = false;
    profile freebsd_no_ts = named("freebsd");
    freebsd_no_ts.offer.timestamps = false;
    const std::pair<profile, const char*> rows[] = {
        {linux_no_ts, "mss 1460,nop,nop,sackOK,nop,wscale 7"},
        {freebsd_no_sack, "mss 1460,nop,wscale 6,nop,nop,TS val 0 ecr 0"},
        {freebsd_no_ts, "mss 1460,nop,wscale 6,sackOK,eol"},  // then one byte of zero padding
    };
    for (const auto& [p, want] : rows) {
        Peer h(p);
        h.ep.open_active(h.now);
        const auto syn = h.out().at(0);
        EXPECT_EQ(options_of(syn), want);
        EXPECT_EQ(syn.opts.size() % 4, 0u);
    }
}

// ---- negotiation: each option only when both SYNs carry it ----------------------------------------

TEST(Negotiation, TheSynAckCarriesOnlyWhatThePeerOffered) {
    Peer h(named("linux"));
    h.ep.open_passive(h.now);
    h.in(seg(R, 0, SYN, 0, 4000, opts({"mss1460", "nop", "ws2"})));
    const auto out = h.out();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(options_of(out[0]), "mss 1460,nop,wscale 7");
    EXPECT_FALSE(h.ep.tcb().timestamps_on);
    EXPECT_FALSE(h.ep.tcb().sack_on);
    EXPECT_TRUE(h.ep.tcb().wscale_on);
}

TEST(Negotiation, WindowScalingOnlyWhenBothSynsCarryIt) {
    // The peer's SYN-ACK has no window scale: neither side scales (RFC 7323 section 2.2).
    {
        Peer h(named("rfc9293,rfc7323"), 200000);
        h.ep.open_active(h.now);
        h.out();
        h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"mss1460"})));
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].wnd, 65535u);  // 200000 does not fit: the field saturates
        EXPECT_EQ(h.ep.tcb().snd_shift, 0);
        h.in(seg(R + 1, L + 1, ACK, 0, 3000));
        EXPECT_EQ(h.ep.tcb().snd_wnd, 3000u);
    }
    // With it on both SYNs: our window field is shifted by 7, the peer's by its 2.
    {
        Peer h(named("rfc9293,rfc7323"), 200000);
        h.ep.open_active(h.now);
        h.out();
        h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"mss1460", "nop", "ws2"})));
        EXPECT_EQ(h.ep.tcb().snd_wnd, 3000u);  // the SYN-ACK's own window is not scaled
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].wnd, 200000u >> 7);
        h.in(seg(R + 1, L + 1, ACK, 0, 3000));
        EXPECT_EQ(h.ep.tcb().snd_wnd, 3000u << 2);
    }
}

TEST(Negotiation, AShiftAbove14IsUsedAs14) {
    Peer h(named("rfc9293,rfc7323"));
    h.ep.open_active(h.now);
    h.out();
    h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"nop", "ws20"})));
    EXPECT_EQ(h.ep.tcb().snd_shift, 14);  // RFC 7323 section 2.3
}

TEST(Negotiation, TimestampsOnlyWhenBothAndThenOnEverySegment) {
    Peer h(named("linux"));
    h.ep.open_active(h.now);
    h.out();
    h.now += 250ms;
    h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"mss1460", "nop", "nop", "TS"}, 777, 0)));
    auto out = h.out();
    ASSERT_EQ(out.size(), 1u);
    // TSval from the clock (250 ms), TSecr echoes the peer's TSval (RFC 7323 section 3.2)
    EXPECT_EQ(options_of(out[0]), "nop,nop,TS val 250 ecr 777");
    // the peer's MSS less the 12 bytes of timestamps on every segment
    EXPECT_EQ(h.ep.tcb().snd_mss, 1448);
    h.now += 10ms;
    h.ep.send(3000, h.now);
    out = h.out();
    ASSERT_EQ(out.size(), 3u);  // the peer's window of 3000 in segments of 1448
    EXPECT_EQ(out[0].len, 1448u);
    EXPECT_EQ(out[2].len, 104u);
    EXPECT_EQ(options_of(out[2]), "nop,nop,TS val 260 ecr 777");
}

TEST(Negotiation, NoTimestampsWhenThePeerSendsNone) {
    Peer h(named("linux"));
    h.ep.open_active(h.now);
    h.out();
    h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"mss1460"})));
    const auto out = h.out();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(options_of(out[0]), "");
    EXPECT_EQ(h.ep.tcb().snd_mss, 1460);
}

TEST(Negotiation, TheSendMssIsThePeersOr536WithoutOne) {
    {
        Peer h(named("rfc9293"));
        h.ep.open_active(h.now);
        h.out();
        h.in(seg(R, L + 1, SYN | ACK, 0, 60000, opts({"mss100"})));
        h.out();
        h.ep.send(250, h.now);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 3u);
        EXPECT_EQ(out[0].len, 100u);
        EXPECT_EQ(out[2].len, 50u);
    }
    {
        Peer h(named("rfc9293"));
        h.ep.open_active(h.now);
        h.out();
        h.in(seg(R, L + 1, SYN | ACK, 0, 60000));  // RFC 9293 3.7.1: no option means 536
        h.out();
        h.ep.send(1000, h.now);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 2u);
        EXPECT_EQ(out[0].len, 536u);
    }
}

// Reaches ESTABLISHED with timestamps on (the peer's TSval 100 at time 0).
void established_with_timestamps(Peer& h) {
    h.ep.open_active(h.now);
    h.out();
    h.in(seg(R, L + 1, SYN | ACK, 0, 3000, opts({"nop", "nop", "TS"}, 100, 0)));
    h.out();
    ASSERT_EQ(h.st(), state::ESTABLISHED);
}

TEST(Paws, ASegmentWithAnOldTsvalIsAnsweredAndDropped) {
    // RFC 7323 section 5.3 R1: TSval 50 < TS.Recent 100.
    Peer h(named("linux"));
    established_with_timestamps(h);
    h.in(seg(R + 1, L + 1, ACK, 10, 3000, opts({"nop", "nop", "TS"}, 50, 0)));
    const auto out = h.out();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].ack, R + 1);  // the ten bytes were not taken
    EXPECT_EQ(options_of(out[0]), "nop,nop,TS val 0 ecr 100");
    // a newer TSval is taken, and becomes TS.Recent
    h.in(seg(R + 1, L + 1, ACK, 10, 3000, opts({"nop", "nop", "TS"}, 120, 0)));
    EXPECT_EQ(h.out().at(0).ack, R + 11);
    EXPECT_EQ(h.ep.tcb().ts_recent, 120u);
}

TEST(Paws, WithoutPawsTheOldTsvalIsNotChecked) {
    profile p = named("linux");
    p.paws = false;
    Peer h(p);
    established_with_timestamps(h);
    h.in(seg(R + 1, L + 1, ACK, 10, 3000, opts({"nop", "nop", "TS"}, 50, 0)));
    EXPECT_EQ(h.out().at(0).ack, R + 11);
    EXPECT_EQ(h.ep.tcb().ts_recent, 100u);  // an older TSval never lowers TS.Recent
}

// ---- RFC deviations fixed ------------------------------------------------------------------------

TEST(SynSent, TextOnASynIsQueuedUntilEstablished) {
    // RFC 9293 3.10.7.3 fifth: "If there are other controls or text in the segment, queue them for
    // processing after the ESTABLISHED state has been reached".
    Peer h(named("rfc9293"));
    h.ep.open_active(h.now);
    h.out();
    h.in(seg(R, 0, SYN, 10));
    EXPECT_EQ(h.st(), state::SYN_RECEIVED);
    auto out = h.out();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].flags, SYN | ACK);
    EXPECT_EQ(out[0].ack, R + 1);  // the text is not acknowledged yet
    h.in(seg(R + 11, L + 1, ACK));
    EXPECT_EQ(h.st(), state::ESTABLISHED);
    out = h.out();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].ack, R + 11);  // now it is
    h.ep.receive(100, h.now);
    EXPECT_EQ(h.notes(), (std::vector<notice>{notice{notice_kind::data_delivered, 10}}));
}

// ESTABLISHED by a passive open, 20 bytes received (RCV.NXT = R + 21).
void established_with_data(Peer& h) {
    h.ep.open_passive(h.now);
    h.in(seg(R, 0, SYN));
    h.in(seg(R + 1, L + 1, ACK));
    h.in(seg(R + 1, L + 1, ACK | PSH, 20));
    h.out();
    ASSERT_EQ(h.st(), state::ESTABLISHED);
    ASSERT_EQ(h.ep.tcb().rcv_nxt, R + 21);
}

TEST(Established, ASynWhollyBeforeRcvNxtIsTrimmedNotActedOn) {
    // Section 3.10.7.4: the old SYN (seq R) lies before RCV.NXT; its text reaches into the window.
    for (const char* p : {"rfc9293", "rfc5961"}) {
        SCOPED_TRACE(p);
        Peer h(named(p));
        established_with_data(h);
        h.in(seg(R, L + 1, SYN | ACK, 30));  // SEQ R..R+30: SYN at R, text R+1..R+30
        EXPECT_EQ(h.st(), state::ESTABLISHED);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].flags, ACK);
        EXPECT_EQ(out[0].ack, R + 31);  // the ten new bytes were taken
    }
}

TEST(Established, AFinWhollyBeforeRcvNxtIsTrimmedAway) {
    Peer h(named("rfc9293"));
    established_with_data(h);
    // text R+1..R+20 and a FIN at R+21 arrived before; this copy's FIN at R+11 is old
    h.in(seg(R + 1, L + 1, ACK | FIN, 10));
    EXPECT_EQ(h.st(), state::ESTABLISHED);
}

// TIME-WAIT, reached by closing first; RCV.NXT = R + 2.
void time_wait(Peer& h) {
    h.ep.open_active(h.now);
    h.in(seg(R, L + 1, SYN | ACK));
    h.ep.close(h.now);
    h.in(seg(R + 1, L + 2, ACK | FIN));
    h.out();
    h.notes();
    ASSERT_EQ(h.st(), state::TIME_WAIT);
}

TEST(TimeWait, Rfc5961AndRfc1337AnInWindowRstStaysSilent) {
    Peer both(named("rfc5961,rfc1337"));
    time_wait(both);
    both.in(seg(R + 5, 0, RST));  // in the window, not at RCV.NXT
    EXPECT_EQ(both.st(), state::TIME_WAIT);
    EXPECT_EQ(both.out(), std::vector<segment>{});
    // RFC 5961 alone challenges it
    Peer challenge(named("rfc5961"));
    time_wait(challenge);
    challenge.in(seg(R + 5, 0, RST));
    EXPECT_EQ(challenge.st(), state::TIME_WAIT);
    EXPECT_EQ(challenge.out().size(), 1u);
}

TEST(TimeWait, ANewSynReopensOnLinuxAndFreebsdAndIsResetInTheRfc) {
    // RFC 9293 MAY-2: a SYN without ACK beyond RCV.NXT (R + 2) cannot be an old duplicate.
    for (const char* p : {"linux", "freebsd"}) {
        SCOPED_TRACE(p);
        Peer h(named(p));
        time_wait(h);
        h.in(seg(R + 100000, 0, SYN));
        EXPECT_EQ(h.st(), state::SYN_RECEIVED);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].flags, SYN | ACK);
        EXPECT_EQ(out[0].seq, L + 2 + 65537);  // above every number the old connection used
        EXPECT_EQ(out[0].ack, R + 100001);
        h.in(seg(R + 100001, L + 2 + 65538, ACK));
        EXPECT_EQ(h.st(), state::ESTABLISHED);
        EXPECT_FALSE(h.ep.next_timeout());  // the 2MSL timer went with the old connection
    }
    // Not new: below RCV.NXT, or carrying an ACK. TIME-WAIT stays and answers with an ACK.
    for (const segment old : {seg(R, 0, SYN), seg(R + 100000, L + 2, SYN | ACK)}) {
        Peer h(named("linux"));
        time_wait(h);
        h.in(old);
        EXPECT_EQ(h.st(), state::TIME_WAIT);
        EXPECT_EQ(h.out().size(), 1u);
    }
    // The RFC as written: the same SYN lies in the window and resets TIME-WAIT.
    Peer rfc(named("rfc9293"));
    time_wait(rfc);
    rfc.in(seg(R + 1000, 0, SYN));
    EXPECT_EQ(rfc.st(), state::CLOSED);
}

TEST(TimeWait, WithTimestampsANewerTsvalReopensEvenBelowRcvNxt) {
    // RFC 6191: the timestamp tells a new SYN from an old one when the sequence number cannot.
    Peer h(named("linux"));
    h.ep.open_active(h.now);
    h.out();
    h.in(seg(R, L + 1, SYN | ACK, 0, 4000, opts({"nop", "nop", "TS"}, 100, 0)));
    h.ep.close(h.now);
    h.in(seg(R + 1, L + 2, ACK | FIN, 0, 4000, opts({"nop", "nop", "TS"}, 101, 0)));
    h.out();
    ASSERT_EQ(h.st(), state::TIME_WAIT);
    h.in(seg(R - 50, 0, SYN, 0, 4000, opts({"nop", "nop", "TS"}, 100, 0)));  // an older TSval: refused
    EXPECT_EQ(h.st(), state::TIME_WAIT);
    h.out();
    h.in(seg(R - 50, 0, SYN, 0, 4000, opts({"nop", "nop", "TS"}, 500, 0)));
    EXPECT_EQ(h.st(), state::SYN_RECEIVED);
}

TEST(ChallengeAckLimit, CoversOutOfWindowSynsAckRangeFailuresAndOutOfWindowSegments) {
    // RFC 5961 section 7 with a limit of 2 per second: eight forged segments of four kinds get two
    // ACKs; a second later the budget is back.
    Peer h(named("rfc5961"), 65535, 2);
    established_with_data(h);
    const segment forged[] = {
        seg(R + 900000, L + 1, SYN),        // out-of-window SYN (section 4.2)
        seg(R + 21, L + 500, ACK, 5),       // ACK of unsent data (section 5.2)
        seg(R + 21, L - 100000, ACK, 5),    // ACK below SND.UNA - MAX.SND.WND (section 5.2)
        seg(R + 800000, L + 1, ACK, 5),     // out-of-window data
        seg(R + 25, 0, RST),                // in-window RST (section 3)
        seg(R + 25, L + 1, SYN),            // in-window SYN (section 4)
        seg(R + 800000, L + 1, ACK),
        seg(R + 900000, L + 1, SYN),
    };
    for (const auto& s : forged) h.in(s);
    EXPECT_EQ(h.out().size(), 2u);
    EXPECT_EQ(h.st(), state::ESTABLISHED);
    h.now += 1s;
    h.in(forged[0]);
    EXPECT_EQ(h.out().size(), 1u);
    // without RFC 5961 every out-of-window segment is answered (RFC 9293 as written)
    Peer plain(named("rfc9293"), 65535, 2);
    established_with_data(plain);
    for (int i = 0; i < 5; ++i) plain.in(seg(R + 800000, L + 1, ACK, 5));
    EXPECT_EQ(plain.out().size(), 5u);
}

// ---- the open choices, per profile -----------------------------------------------------------------

TEST(Choices, RstInSynSentIsRefusedOnLinuxAndFreebsdResetInTheRfc) {
    const std::pair<const char*, notice_kind> rows[] = {{"rfc9293", notice_kind::connection_reset},
                                                        {"linux", notice_kind::connection_refused},
                                                        {"freebsd", notice_kind::connection_refused}};
    for (const auto& [p, kind] : rows) {
        SCOPED_TRACE(p);
        Peer h(named(p));
        h.ep.open_active(h.now);
        h.in(seg(0, L + 1, RST | ACK));
        EXPECT_EQ(h.st(), state::CLOSED);
        EXPECT_EQ(h.notes(), std::vector<notice>{note(kind)});
    }
}

// LAST-ACK: the peer closed, then we did.
void last_ack(Peer& h) {
    h.ep.open_active(h.now);
    h.in(seg(R, L + 1, SYN | ACK));
    h.in(seg(R + 1, L + 1, ACK | FIN));
    h.ep.close(h.now);
    h.out();
    h.notes();
    ASSERT_EQ(h.st(), state::LAST_ACK);
}

TEST(Choices, RstInLastAckIsReportedOnLinuxOnly) {
    const std::pair<const char*, std::vector<notice>> rows[] = {
        {"rfc9293", {}}, {"freebsd", {}}, {"linux", {note(notice_kind::connection_reset)}}};
    for (const auto& [p, notes] : rows) {
        SCOPED_TRACE(p);
        Peer h(named(p));
        last_ack(h);
        h.in(seg(R + 2, 0, RST));
        EXPECT_EQ(h.st(), state::CLOSED);
        EXPECT_EQ(h.notes(), notes);
    }
}

TEST(Choices, TextInTimeWaitIsAcknowledgedByLinuxAndFreebsdIgnoredByTheRfc) {
    const std::pair<const char*, std::size_t> rows[] = {{"rfc9293", 0}, {"linux", 1}, {"freebsd", 1}};
    for (const auto& [p, acks] : rows) {
        SCOPED_TRACE(p);
        Peer h(named(p));
        time_wait(h);
        h.in(seg(R + 2, L + 2, ACK, 5));
        EXPECT_EQ(h.st(), state::TIME_WAIT);
        EXPECT_EQ(h.out().size(), acks);
    }
}

TEST(Choices, ClosingMayAnswerAnOldSegmentWithItsFin) {
    for (bool resend : {false, true}) {
        profile p = named("rfc9293");
        p.closing_resends_fin = resend;
        Peer h(p);
        h.ep.open_active(h.now);
        h.in(seg(R, L + 1, SYN | ACK));
        h.ep.close(h.now);
        h.in(seg(R + 1, L + 1, ACK | FIN));  // crosses our FIN: CLOSING
        h.out();
        ASSERT_EQ(h.st(), state::CLOSING);
        h.in(seg(R - 100, L + 1, ACK, 10));  // an old segment
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].flags, resend ? (FIN | ACK) : ACK);
        EXPECT_EQ(out[0].seq, resend ? L + 1 : L + 2);  // the FIN again, or an ACK at SND.NXT
    }
}

TEST(Choices, AnInWindowSynIsResetWithRstOrWithTheResetFormedFromIt) {
    for (bool from_segment : {false, true}) {
        profile p = named("rfc9293");
        p.syn_reset_from_segment = from_segment;
        Peer h(p);
        established_with_data(h);
        h.in(seg(R + 25, 0, SYN));
        EXPECT_EQ(h.st(), state::CLOSED);
        const auto out = h.out();
        ASSERT_EQ(out.size(), 1u);
        if (from_segment)
            EXPECT_EQ(out[0], (segment{0, R + 26, RST | ACK, 0, 0}));
        else
            EXPECT_EQ(out[0], (segment{L + 1, 0, RST, 0, 0}));
    }
}

// ---- profiles by name ----------------------------------------------------------------------------

TEST(Profiles, NamesCombineLeftToRight) {
    profile p;
    EXPECT_FALSE(apply_profiles("linux,rfc1337", p));
    EXPECT_TRUE(p.challenge_acks);
    EXPECT_TRUE(p.time_wait_ignores_rst);
    EXPECT_EQ(p.offer.layout, option_layout::linux_order);
    EXPECT_FALSE(apply_profiles("freebsd,rfc9293", p));  // rfc9293 starts over
    EXPECT_FALSE(p.challenge_acks);
    EXPECT_FALSE(p.offer.timestamps);
    const auto err = apply_profiles("linux,bsd", p);
    ASSERT_TRUE(err);
    EXPECT_NE(err->find("unknown profile 'bsd'"), std::string::npos);
    EXPECT_TRUE(apply_profiles("", p));
    EXPECT_TRUE(apply_profiles("linux,", p));
}

}  // namespace
}  // namespace tcprt

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    std::string rows_out;
    for (int i = 1; i < argc; ++i)
        if (const std::string_view arg = argv[i]; arg.substr(0, 11) == "--rows-out=") rows_out = std::string(arg.substr(11));
    const int status = RUN_ALL_TESTS();
    if (!rows_out.empty()) {
        std::ofstream out(rows_out);
        for (std::size_t row : tcprt::fired_rows()) out << row << "\n";
        if (!out) {
            std::cerr << "cannot write " << rows_out << "\n";
            return 2;
        }
    }
    return status;
}
