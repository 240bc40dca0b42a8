// A model-based test of one endpoint (RapidCheck's rc::state): random user calls, segments made
// relative to the TCB (in the window, at each edge, just outside, old duplicates, future ACKs,
// every combination of SYN, RST, ACK, FIN, PSH) and time steps to the next deadline, with random
// ISS on both sides (often a few numbers below 2^32 or 2^31). After every command the endpoint
// must agree with a small reference model of RFC 9293 section 3.10 as docs/runtime.md states it:
// the state, SND.UNA, SND.NXT, RCV.NXT, RCV.WND, the exact segments sent (ACK numbers included) and
// the deadlines of the retransmission and 2MSL timers.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tcprt/endpoint.hpp"
#include "tcprt/options.hpp"

namespace tcprt {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t buffer = 10;  // our receive buffer: a small window has edges worth hitting
constexpr std::uint32_t mss = 4;
constexpr std::uint8_t max_retries = 3;
constexpr duration rto_initial = 1s, rto_max = 4s, msl = 2s;

bool synchronized(state s) { return s != state::CLOSED && s != state::LISTEN && s != state::SYN_SENT; }

// ---- the model's own sequence arithmetic (RFC 9293 section 3.4 and Table 6) ------------------------
// Not tcprt/seq.hpp's: a model that calls the code under test cannot catch a bug in it. While the
// model called tcprt::segment_acceptable, Table 6 checked on the first byte only (tests/mutation)
// passed this test. Written as distances in 64 bits instead of seq.hpp's 32-bit casts.

// How many sequence numbers `to` lies after `from`, modulo 2^32.
std::uint64_t ahead(seq_t from, seq_t to) { return (std::uint64_t{to} + (std::uint64_t{1} << 32) - from) % (std::uint64_t{1} << 32); }
// a < b: b lies 1 to 2^31 numbers after a.
bool before(seq_t a, seq_t b) { return ahead(a, b) != 0 && ahead(a, b) <= (std::uint64_t{1} << 31); }
bool before_or_at(seq_t a, seq_t b) { return a == b || before(a, b); }
// lo =< x =< hi, going forward from lo.
bool from_to(seq_t lo, seq_t x, seq_t hi) { return ahead(lo, x) <= ahead(lo, hi); }
// RFC 9293 Table 6, its four rows: "RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND", and for a segment with
// data, either its first or its last sequence number so.
bool acceptable(seq_t seq, std::uint32_t seg_len, seq_t rcv_nxt, std::uint32_t rcv_wnd) {
    const auto in_window = [&](seq_t x) { return ahead(rcv_nxt, x) < rcv_wnd; };
    if (seg_len == 0 && rcv_wnd == 0) return seq == rcv_nxt;
    if (seg_len == 0) return in_window(seq);
    if (rcv_wnd == 0) return false;
    return in_window(seq) || in_window(static_cast<seq_t>(seq + seg_len - 1));
}

// ---- the reference model ----------------------------------------------------------------------

struct model {
    state st = state::CLOSED;
    tcb t{};
    std::optional<instant> rtx, tw;
    instant now{};
    seq_t iss = 0;       // the ISS the endpoint will choose
    seq_t peer_iss = 0;  // the one the generated peer uses
    std::vector<segment> out;  // what the last command sent

    // One input's bookkeeping, as the endpoint's walk keeps it.
    const segment* seg = nullptr;
    bool drop = false, ack_owed = false, ack_emitted = false;

    void begin(const segment* s = nullptr) {
        out.clear();
        seg = s;
        drop = ack_owed = ack_emitted = false;
    }
    void end() {
        if (ack_owed && !ack_emitted) emit(ack(t.snd_nxt, 0));
        seg = nullptr;
    }

    // A SYN (with or without ACK) offers our MSS, the one option of RFC 9293 as written.
    void emit(segment s) {
        if (s.has(SYN) && !s.has(RST)) s.opts.mss(static_cast<std::uint16_t>(mss));
        out.push_back(s);
        if (s.has(ACK) && s.ack == t.rcv_nxt) ack_emitted = true;
    }
    segment ack(seq_t seq, std::uint8_t flags) const {
        return segment{seq, t.rcv_nxt, static_cast<std::uint8_t>(flags | ACK), t.rcv_wnd, 0};
    }
    void arm() {
        if (!rtx) rtx = now + t.rto;
    }

    // Entering CLOSED deletes the TCB; entering TIME-WAIT starts 2MSL.
    void go(state next) {
        if (st == state::TIME_WAIT && next != state::TIME_WAIT) tw.reset();
        st = next;
        if (next == state::CLOSED) {
            t = tcb{};
            rtx.reset();
            tw.reset();
        }
        if (next == state::TIME_WAIT) tw = now + 2 * msl;
    }

    void choose_iss() {
        t.iss = iss;
        t.snd_una = t.snd_nxt = iss;
        t.rcv_wnd = buffer - t.rcv_unread;
        t.rto = rto_initial;
        t.retries = 0;
    }
    void send_syn() {
        emit(segment{t.iss, 0, SYN, t.rcv_wnd, 0});
        t.snd_nxt = t.iss + 1;
        arm();
    }
    void send_syn_ack() {
        drop = true;
        emit(ack(t.iss, SYN));
        t.snd_nxt = t.iss + 1;
        arm();
    }
    void accept_syn() {
        t.irs = seg->seq;
        t.rcv_nxt = seg->seq + 1;
        t.snd_wnd = seg->wnd;
        t.max_snd_wnd = std::max(t.max_snd_wnd, seg->wnd);
        t.snd_wl1 = seg->seq;
        t.snd_wl2 = t.snd_una;
        // Our segments carry at most the peer's MSS (536 when its SYN has none), and at most ours.
        option_values v;
        parse_options(seg->opts, v);
        t.snd_mss = static_cast<std::uint16_t>(std::max<std::uint32_t>(1, std::min<std::uint32_t>(mss, v.has_mss ? v.mss : 536)));
        // Text on a SYN without ACK waits for ESTABLISHED (sections 3.10.7.2 and 3.10.7.3).
        if (!seg->has(ACK)) t.syn_text = std::min(seg->len, t.rcv_wnd);
    }
    void accept_syn_text() {
        if (t.syn_text == 0) return;
        t.rcv_nxt += t.syn_text;
        t.rcv_unread += t.syn_text;
        t.rcv_wnd = buffer - t.rcv_unread;
        t.syn_text = 0;
        ack_owed = true;
        deliver();
    }

    // SEND data within the peer's window, at most mss a segment; a zero window gets a one-byte
    // probe; the FIN follows the last byte. Nothing but a lone FIN before our SYN is acknowledged.
    void try_send() {
        const bool syn_acked = t.snd_una != t.iss;
        while (t.snd_queued > 0 && syn_acked) {
            const std::uint32_t flight = t.snd_nxt - t.snd_una;
            std::uint32_t usable = t.snd_wnd > flight ? t.snd_wnd - flight : 0;
            if (usable == 0 && flight == 0) usable = 1;
            if (usable == 0) return;
            const std::uint32_t n = std::min({t.snd_queued, usable, std::uint32_t{t.snd_mss}});
            const bool fin = t.fin_queued && n == t.snd_queued;
            segment s = ack(t.snd_nxt, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));
            s.len = n;
            emit(s);
            t.snd_nxt += n;
            t.snd_queued -= n;
            if (fin) {
                t.fin_seq = t.snd_nxt;
                t.snd_nxt += 1;
                t.fin_sent = true;
            }
            arm();
        }
        if (t.snd_queued == 0 && t.fin_queued && !t.fin_sent) {
            emit(ack(t.snd_nxt, FIN));
            t.fin_seq = t.snd_nxt;
            t.snd_nxt += 1;
            t.fin_sent = true;
            arm();
        }
    }
    void send_fin() {
        t.fin_queued = true;
        try_send();
    }
    void send_reset() { emit(segment{t.snd_nxt, 0, RST, 0, 0}); }

    void deliver() {
        const std::uint32_t n = std::min(t.rcv_unread, t.rcv_requested);
        t.rcv_unread -= n;
        t.rcv_requested -= n;
        t.rcv_wnd = buffer - t.rcv_unread;
    }

    bool ack_acceptable() const {
        return seg->has(ACK) && t.snd_una != t.snd_nxt && from_to(t.snd_una + 1, seg->ack, t.snd_nxt);
    }
    bool fin_acked() const { return t.fin_sent && (t.snd_una == t.snd_nxt || seg->ack == t.snd_nxt); }

    void process_ack() {
        const segment& s = *seg;
        if (t.snd_una != t.snd_nxt && from_to(t.snd_una + 1, s.ack, t.snd_nxt)) {
            t.snd_una = s.ack;
            t.retries = 0;
            t.rto = rto_initial;
            rtx.reset();
            if (t.snd_nxt != t.snd_una) arm();
        }
        if (from_to(t.snd_una, s.ack, t.snd_nxt)) {
            if (before(t.snd_wl1, s.seq) || (t.snd_wl1 == s.seq && before_or_at(t.snd_wl2, s.ack))) {
                t.snd_wnd = s.wnd;
                t.snd_wl1 = s.seq;
                t.snd_wl2 = s.ack;
                t.max_snd_wnd = std::max(t.max_snd_wnd, s.wnd);
            }
            if (t.snd_wnd == 0) t.retries = 0;
        }
        try_send();
    }

    // ---- user calls ----

    void open_passive() {
        begin();
        if (st == state::CLOSED) {
            t.passive_open = true;
            go(state::LISTEN);
        }
    }
    void open_active() {
        begin();
        if (st == state::CLOSED || st == state::LISTEN) {
            t.passive_open = false;
            choose_iss();
            send_syn();
            go(state::SYN_SENT);
        }
    }
    void receive(std::uint32_t n) {
        begin();
        if (st == state::CLOSED || in({state::CLOSING, state::LAST_ACK, state::TIME_WAIT})) return;
        t.rcv_requested += n;
        if (synchronized(st) && st != state::SYN_RECEIVED) deliver();
    }
    void send(std::uint32_t n) {
        begin();
        switch (st) {
            case state::LISTEN:
                t.passive_open = false;
                choose_iss();
                t.snd_queued += n;
                send_syn();
                go(state::SYN_SENT);
                break;
            case state::SYN_SENT:
            case state::SYN_RECEIVED: t.snd_queued += n; break;
            case state::ESTABLISHED:
            case state::CLOSE_WAIT:
                t.snd_queued += n;
                try_send();
                break;
            default: break;
        }
    }
    void close() {
        begin();
        switch (st) {
            case state::LISTEN:
            case state::SYN_SENT: go(state::CLOSED); break;
            case state::SYN_RECEIVED:
                send_fin();
                go(state::FIN_WAIT_1);
                break;
            case state::ESTABLISHED:
            case state::CLOSE_WAIT:
                if (t.rcv_unread > 0) {
                    send_reset();
                    go(state::CLOSED);
                } else {
                    send_fin();
                    go(st == state::ESTABLISHED ? state::FIN_WAIT_1 : state::LAST_ACK);
                }
                break;
            default: break;
        }
    }
    void abort() {
        begin();
        if (in({state::SYN_RECEIVED, state::ESTABLISHED, state::FIN_WAIT_1, state::FIN_WAIT_2, state::CLOSE_WAIT}))
            send_reset();
        if (st != state::CLOSED) go(state::CLOSED);
    }

    // ---- timers ----

    void timeout(instant at) {
        begin();
        now = at;
        for (int i = 0; i < 8; ++i) {
            const bool r = rtx && *rtx <= now, w = tw && *tw <= now;
            if (!r && !w) break;
            if (r && (!w || *rtx <= *tw)) {
                rtx.reset();
                retransmission_timeout();
            } else {
                tw.reset();
                if (st == state::TIME_WAIT) go(state::CLOSED);
            }
        }
        end();
    }
    void retransmission_timeout() {
        if (!in({state::SYN_SENT, state::SYN_RECEIVED, state::ESTABLISHED, state::FIN_WAIT_1, state::CLOSE_WAIT,
                 state::CLOSING, state::LAST_ACK}))
            return;
        if (t.retries >= max_retries) {
            go(state::CLOSED);
            return;
        }
        ++t.retries;
        t.rto = std::min(t.rto * 2, rto_max);
        rtx = now + t.rto;
        if (t.snd_una == t.iss) {
            emit(st == state::SYN_SENT ? segment{t.iss, 0, SYN, t.rcv_wnd, 0} : ack(t.iss, SYN));
            return;
        }
        const std::uint32_t data_end = t.fin_sent ? t.fin_seq - t.snd_una : t.snd_nxt - t.snd_una;
        if (data_end > 0) {
            const std::uint32_t n = std::min(data_end, std::uint32_t{t.snd_mss});
            const bool fin = t.fin_sent && n == data_end;
            segment s = ack(t.snd_una, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));
            s.len = n;
            emit(s);
        } else if (t.fin_sent) {
            emit(ack(t.fin_seq, FIN));
        } else if (t.snd_queued > 0) {
            try_send();
        }
    }

    // ---- segments (section 3.10.7) ----

    void segment_arrives(const segment& s) {
        begin(&s);
        if (!synchronized(st)) {
            const state before = st;
            not_synchronized();
            if (before == state::SYN_SENT && st == state::ESTABLISHED) text_and_fin();
        } else {
            synchronized_walk();
        }
        end();
    }

    void not_synchronized() {
        const segment& s = *seg;
        const bool rst = s.has(RST), syn = s.has(SYN), ack_bit = s.has(ACK);
        if (st == state::CLOSED) {
            if (rst) return;
            if (ack_bit) emit(segment{s.ack, 0, RST, 0, 0});  // <SEQ=SEG.ACK><CTL=RST>
            else emit(segment{0, static_cast<seq_t>(s.seq + s.seg_len()), RST | ACK, 0, 0});
            return;
        }
        if (st == state::LISTEN) {
            if (rst) return;
            if (ack_bit) {
                emit(segment{s.ack, 0, RST, 0, 0});
            } else if (syn) {
                choose_iss();
                accept_syn();
                send_syn_ack();
                go(state::SYN_RECEIVED);
            }
            return;
        }
        // SYN-SENT.
        if (rst) {
            if (ack_acceptable()) go(state::CLOSED);
            return;
        }
        if (ack_bit && !ack_acceptable()) {
            emit(segment{s.ack, 0, RST, 0, 0});
            return;
        }
        if (ack_bit && syn) {
            accept_syn();
            process_ack();
            ack_owed = true;
            go(state::ESTABLISHED);
        } else if (syn) {
            accept_syn();
            send_syn_ack();
            go(state::SYN_RECEIVED);
        }
    }

    void synchronized_walk() {
        if (crossing_syn_ack()) {
            // RFC 9293 Figure 8: the peer's SYN-ACK crossed ours. Its SYN is the one already taken,
            // so it is trimmed and the rest is an acceptable ACK at RCV.NXT.
            segment trimmed = *seg;
            trimmed.flags = static_cast<std::uint8_t>(trimmed.flags & ~SYN);
            trimmed.seq += 1;
            seg = &trimmed;
            process_ack();
            accept_syn_text();
            go(state::ESTABLISHED);
            return;
        }
        if (const segment& s = *seg; !acceptable(s.seq, static_cast<std::uint32_t>(s.seg_len()), t.rcv_nxt, t.rcv_wnd)) {
            const bool retransmitted_fin = s.has(FIN) && !s.has(SYN) && !s.has(RST) &&
                                           static_cast<seq_t>(s.seq + s.len + 1) == t.rcv_nxt;
            if (st == state::TIME_WAIT && retransmitted_fin) {
                ack_owed = true;
                tw = now + 2 * msl;
            } else {
                drop = true;
                if (!s.has(RST)) ack_owed = true;
            }
            return;
        }
        // What lies before RCV.NXT is trimmed away, "including SYN and FIN": an old SYN resets nothing.
        segment trimmed = *seg;
        if (trimmed.has(SYN) && before(trimmed.seq, t.rcv_nxt)) {
            trimmed.flags = static_cast<std::uint8_t>(trimmed.flags & ~SYN);
            trimmed.seq += 1;
            seg = &trimmed;
        }
        const segment& s = *seg;
        if (s.has(RST)) {
            if (st == state::SYN_RECEIVED && t.passive_open) return flush_to_listen();
            go(state::CLOSED);
            return;
        }
        if (s.has(SYN)) {
            if (st == state::SYN_RECEIVED && t.passive_open) return flush_to_listen();
            send_reset();
            go(state::CLOSED);
            return;
        }
        if (!s.has(ACK)) return;
        if (st == state::SYN_RECEIVED) {
            if (!ack_acceptable()) {
                drop = true;
                emit(segment{s.ack, 0, RST, 0, 0});
                return;
            }
            process_ack();
            accept_syn_text();
            go(state::ESTABLISHED);
        } else if (st != state::TIME_WAIT) {
            if (!from_to(t.snd_nxt - 0x7FFFFFFFu, s.ack, t.snd_nxt)) {
                ack_owed = true;  // an ACK of something not yet sent: answered, segment dropped
                return;
            }
            const bool acked = fin_acked();
            process_ack();
            if (st == state::FIN_WAIT_1 && acked) go(state::FIN_WAIT_2);
            else if (st == state::CLOSING && acked) go(state::TIME_WAIT);
            else if (st == state::LAST_ACK && acked) {
                go(state::CLOSED);
                return;
            }
        }
        text_and_fin();
    }

    bool crossing_syn_ack() const {
        const segment& s = *seg;
        return st == state::SYN_RECEIVED && !t.passive_open && s.has(SYN) && s.has(ACK) && !s.has(RST) &&
               !s.has(FIN) && s.len == 0 && static_cast<seq_t>(s.seq + 1) == t.rcv_nxt && s.ack == t.snd_nxt;
    }

    void flush_to_listen() {
        t = tcb{};
        t.passive_open = true;
        rtx.reset();
        tw.reset();
        st = state::LISTEN;
    }

    // Steps 5 and 6: only text that starts at RCV.NXT (after trimming what was received before) is
    // taken; text further on is dropped and the ACK says where to resume.
    void text_and_fin() {
        const segment& s = *seg;
        seq_t start = s.seq + (s.has(SYN) ? 1 : 0);
        std::uint32_t len = s.len;
        bool fin = s.has(FIN);
        if (before(start, t.rcv_nxt)) {
            const std::uint32_t old = t.rcv_nxt - start;
            if (old > len) {
                len = 0;
                fin = false;
            } else {
                len -= old;
            }
        } else if (start != t.rcv_nxt) {
            // Not queued: a duplicate ACK asks for RCV.NXT where text is taken; after the peer's FIN
            // it is ignored.
            if ((len > 0 || fin) && in({state::ESTABLISHED, state::FIN_WAIT_1, state::FIN_WAIT_2})) ack_owed = true;
            return;
        }
        if (len > t.rcv_wnd) {
            len = t.rcv_wnd;
            fin = false;
        }
        if (len > 0 && in({state::ESTABLISHED, state::FIN_WAIT_1, state::FIN_WAIT_2})) {
            t.rcv_nxt += len;
            t.rcv_unread += len;
            t.rcv_wnd = buffer - t.rcv_unread;
            ack_owed = true;
            deliver();
        }
        if (!fin || !synchronized(st)) return;
        switch (st) {
            case state::ESTABLISHED:
            case state::FIN_WAIT_1:
            case state::FIN_WAIT_2:
                t.rcv_nxt += 1;
                ack_owed = true;
                go(st == state::ESTABLISHED ? state::CLOSE_WAIT
                                            : st == state::FIN_WAIT_1 ? state::CLOSING : state::TIME_WAIT);
                break;
            case state::TIME_WAIT:
                ack_owed = true;
                tw = now + 2 * msl;
                break;
            default: break;
        }
    }

    bool in(std::initializer_list<state> set) const { return std::find(set.begin(), set.end(), st) != set.end(); }

    std::optional<instant> next_deadline() const {
        if (rtx && tw) return std::min(*rtx, *tw);
        return rtx ? rtx : tw;
    }
};

// ---- the system under test and the comparison ---------------------------------------------------

struct sut {
    endpoint ep;
    std::uint16_t reached = 0;  // the states this run visited, one bit each
    explicit sut(seq_t iss) : ep(make(iss)) {}
    static config make(seq_t iss) {
        config c;
        c.iss = fixed_iss(iss);
        c.mss = mss;
        c.rcv_buffer = buffer;
        c.rto_initial = rto_initial;
        c.rto_max = rto_max;
        c.max_retries = max_retries;
        c.msl = msl;
        return c;
    }
};

// Which states the runs reached, for the test after the property.
std::array<std::uint64_t, 11>& states_reached() {
    static std::array<std::uint64_t, 11> n{};
    return n;
}

void compare(const model& m, sut& s) {
    std::vector<segment> sent;
    while (auto x = s.ep.poll_transmit()) sent.push_back(*x);
    while (s.ep.poll_notice()) {
    }
    const state st = s.ep.current_state();
    ++states_reached()[static_cast<std::size_t>(st)];
    s.reached = static_cast<std::uint16_t>(s.reached | 1u << static_cast<unsigned>(st));
    RC_ASSERT(name(st) == name(m.st));
    const tcb& t = s.ep.tcb();
    RC_ASSERT(t.snd_una == m.t.snd_una);
    RC_ASSERT(t.snd_nxt == m.t.snd_nxt);
    RC_ASSERT(t.rcv_nxt == m.t.rcv_nxt);
    RC_ASSERT(t.rcv_wnd == m.t.rcv_wnd);
    RC_ASSERT(t.snd_queued == m.t.snd_queued);
    if (sent != m.out) {
        std::string got, want;
        for (const auto& x : sent) got += to_string(x) + " ";
        for (const auto& x : m.out) want += to_string(x) + " ";
        RC_FAIL("sent " + got + "\nmodel " + want);
    }
    RC_ASSERT(s.ep.timers().get(timer::retransmission) == m.rtx);
    RC_ASSERT(s.ep.timers().get(timer::time_wait) == m.tw);
}

using command = rc::state::Command<model, sut>;

struct open_passive : command {
    void apply(model& m) const override { m.open_passive(); m.receive(1u << 20); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.open_passive(m.now);
        s.ep.receive(1u << 20, m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "OPEN passive, RECEIVE"; }
};

struct open_active : command {
    void apply(model& m) const override {
        m.open_active();
        const std::vector<segment> syn = m.out;
        m.receive(1u << 20);
        m.out = syn;
    }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.open_active(m.now);
        s.ep.receive(1u << 20, m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "OPEN active, RECEIVE"; }
};

struct send_call : command {
    std::uint32_t n = *rc::gen::inRange<std::uint32_t>(1, 10);
    void apply(model& m) const override { m.send(n); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.send(n, m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "SEND " << n; }
};

struct close_call : command {
    void apply(model& m) const override { m.close(); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.close(m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "CLOSE"; }
};

struct abort_call : command {
    void apply(model& m) const override { m.abort(); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.abort(m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "ABORT"; }
};

// Time moves on: to the next deadline (and its timers expire), or a little, short of it.
struct time_passes : command {
    bool to_deadline = *rc::gen::weightedElement<bool>({{3, true}, {1, false}});
    duration step = std::chrono::milliseconds(*rc::gen::inRange(1, 900));
    void checkPreconditions(const model& m) const override { RC_PRE(!to_deadline || m.next_deadline().has_value()); }
    instant when(const model& m) const {
        if (to_deadline) return *m.next_deadline();
        const instant t = m.now + step;
        const auto d = m.next_deadline();
        return d && t >= *d ? m.now : t;
    }
    void apply(model& m) const override { m.timeout(when(m)); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.handle_timeout(m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << (to_deadline ? "time to the next deadline" : "time passes a little"); }
};

// A segment from the peer, made relative to what the model knows: the one a correct peer would send
// next, or any flags with numbers at the edges of what is acceptable.
struct peer_segment : command {
    segment seg;
    explicit peer_segment(const model& m) {
        const tcb& t = m.t;
        const bool sensible = *rc::gen::weightedElement<bool>({{3, true}, {2, false}});
        const std::uint32_t wnd = *rc::gen::weightedElement<std::uint32_t>({{8, 1000}, {1, 0}, {1, 2}});
        if (sensible) {
            // The peer's SYN may offer an MSS smaller than ours, or none (536), and may carry text.
            option_bytes syn_opts;
            if (const auto peer_mss = *rc::gen::weightedElement<std::uint16_t>({{2, 0}, {1, 1}, {1, 3}, {1, 1460}}))
                syn_opts.mss(peer_mss);
            const std::uint32_t syn_len = *rc::gen::weightedElement<std::uint32_t>({{4, 0}, {1, 3}, {1, 12}});
            switch (m.st) {
                case state::CLOSED:
                case state::LISTEN: seg = segment{m.peer_iss, 0, SYN, wnd, syn_len, syn_opts}; break;
                case state::SYN_SENT:
                    seg = *rc::gen::element(segment{m.peer_iss, t.snd_nxt, SYN | ACK, wnd, syn_len, syn_opts},
                                            segment{m.peer_iss, 0, SYN, wnd, syn_len, syn_opts});
                    break;
                default: {
                    const std::uint8_t fin = *rc::gen::weightedElement<std::uint8_t>({{3, 0}, {1, FIN}});
                    const std::uint32_t len = *rc::gen::weightedElement<std::uint32_t>({{3, 0}, {1, 1}, {1, 3}});
                    // The peer has seen all we sent, or not yet the last of it.
                    const seq_t acked = *rc::gen::weightedElement<seq_t>({{2, t.snd_nxt}, {1, t.snd_una}});
                    seg = segment{t.rcv_nxt, acked, static_cast<std::uint8_t>(ACK | fin | (len ? PSH : 0)), wnd, len};
                    // After its FIN the peer may send it again (our ACK was lost): in TIME-WAIT that
                    // restarts 2MSL (a mutation run found the case was almost never drawn otherwise).
                    const bool peer_fin_received =
                        m.st == state::CLOSE_WAIT || m.st == state::CLOSING || m.st == state::LAST_ACK || m.st == state::TIME_WAIT;
                    if (peer_fin_received && *rc::gen::weightedElement<bool>({{2, false}, {1, true}}))
                        seg = segment{static_cast<seq_t>(t.rcv_nxt - 1), acked, ACK | FIN, wnd, 0};
                    // Simultaneous open (RFC 9293 Figure 8): the peer's SYN-ACK crossed ours.
                    if (m.st == state::SYN_RECEIVED && !t.passive_open &&
                        *rc::gen::weightedElement<bool>({{2, false}, {1, true}}))
                        seg = segment{static_cast<seq_t>(t.rcv_nxt - 1), t.snd_nxt, SYN | ACK, wnd, 0};
                }
            }
            return;
        }
        const std::int64_t w = t.rcv_wnd;
        const std::int64_t dseq =
            *rc::gen::elementOf(std::vector<std::int64_t>{0, -1, -3, 1, 2, w - 1, w, w + 1, 0x40000000, -0x10000});
        const std::int64_t dack = *rc::gen::elementOf(std::vector<std::int64_t>{0, 1, -1, 0x40000000, -0x10000});
        const bool from_nxt = *rc::gen::arbitrary<bool>();
        const seq_t base_seq = synchronized(m.st) ? t.rcv_nxt : m.peer_iss;
        const seq_t base_ack = from_nxt ? t.snd_nxt : t.snd_una;
        seg.seq = base_seq + static_cast<seq_t>(dseq);
        seg.ack = base_ack + static_cast<seq_t>(dack);
        seg.flags = static_cast<std::uint8_t>(*rc::gen::inRange(0, 32)) & (FIN | SYN | RST | PSH | ACK);
        seg.wnd = wnd;
        seg.len = *rc::gen::elementOf(std::vector<std::uint32_t>{0, 0, 1, 2, 5, 11});
    }
    void apply(model& m) const override { m.segment_arrives(seg); }
    void run(const model& m0, sut& s) const override {
        model m = m0;
        apply(m);
        s.ep.handle_segment(seg, m.now);
        compare(m, s);
    }
    void show(std::ostream& os) const override { os << "peer sends " << to_string(seg); }
};

// Anywhere, or where a few numbers later the sequence space wraps (2^32) or changes sign (2^31),
// often right at the edge: a SYN at 2^32 - 1 makes SND.NXT wrap to 0 at once.
rc::Gen<seq_t> any_iss() {
    return rc::gen::weightedOneOf<seq_t>(
        {{2, rc::gen::arbitrary<seq_t>()},
         {1, rc::gen::element<seq_t>(0xFFFFFFFFu, 0xFFFFFFFEu, 0xFFFFFFFCu, 0x7FFFFFFFu)},
         {1, rc::gen::inRange<seq_t>(0xFFFFFFF0u, 0xFFFFFFFFu)},
         {1, rc::gen::inRange<seq_t>(0x7FFFFFF0u, 0x80000000u)}});
}

RC_GTEST_PROP(EndpointModel, AgreesWithTheReferenceModel, ()) {
    model m0;
    m0.iss = *any_iss();
    m0.peer_iss = *any_iss();
    sut s(m0.iss);
    // Weights by repetition: segments most of the time, then time, SEND and the other calls. Runs
    // up to five times RapidCheck's usual length, so that one run can open, talk and close.
    const auto commands = *rc::gen::scale(
        5.0, rc::state::gen::commands(
                 m0, rc::state::gen::execOneOfWithArgs<
                         open_passive, open_active, send_call, send_call, close_call, abort_call, time_passes,
                         time_passes, time_passes, peer_segment, peer_segment, peer_segment, peer_segment,
                         peer_segment, peer_segment, peer_segment, peer_segment, peer_segment, peer_segment>()));
    rc::state::runAll(commands, m0, s);
    // The furthest state (in spec order) the run reached: the distribution shows they all are.
    int furthest = 0;
    for (int k = 0; k < 11; ++k)
        if (s.reached & (1u << k)) furthest = k;
    RC_TAG(std::string(name(static_cast<state>(furthest))));
}

// The runs above are worth something only if they reach every state.
TEST(EndpointModel, TheRunsReachEveryState) {
    for (std::size_t k = 0; k < states_reached().size(); ++k)
        EXPECT_GT(states_reached()[k], 0u) << name(static_cast<state>(k));
}

}  // namespace
}  // namespace tcprt
