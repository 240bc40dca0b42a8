// RFC 9293 section 3.10.7 as events of the machine generated from spec/tcp.fsm: which events a
// received segment is, in which order, and where the walk stops. The endpoint (endpoint.cpp) and the
// monitor's observed ends (observer.cpp) both receive segments through this one walk, so that a fix
// to the classification (trimming, the order of the checks) reaches both. Private to runtime/src:
// include it after "tcp_fsm.hpp", in the two translation units that instantiate the machine.
//
// What the walk asks of a Context C (both machines' Contexts have it):
//   state current() const;                   the machine's state
//   template <class E> void fire(const E&);  one event to the machine
//   const segment* seg;                      the segment the guards and actions read
//   bool drop;                               an action dropped the rest of the segment
//   std::uint32_t text_len;                  step 5's text, trimmed to the window, for accept_data
//   bool out_of_order;                       seg_data for text beyond RCV.NXT: nothing to take
//   seq_t receive_next() const;              RCV.NXT
//   seq_t send_next() const;                 SND.NXT
//   bool opened_passively(const E&) const;   the spec's guard: SYN-RECEIVED came from LISTEN
//   bool new_syn_reopens(const E&) const;    the spec's guard: a SYN that reopens TIME-WAIT
//   std::uint32_t receive_window() const;    RCV.WND
//   bool paws_rejects() const;               RFC 7323 section 5.3 R1, before the sequence check
//   void on_acceptable();                    the segment passed the sequence check (TS.Recent)
//   void on_unacceptable();                  it failed it (before seg_unacceptable fires)
#pragma once

#include <cstdint>

#include "tcp_fsm.hpp"
#include "tcprt/endpoint.hpp"
#include "tcprt/segment.hpp"
#include "tcprt/seq.hpp"

namespace tcprt::walk {

constexpr bool synchronized(state s) noexcept {
    return s != state::CLOSED && s != state::LISTEN && s != state::SYN_SENT;
}

// Steps 5 and 6: the text from RCV.NXT on, trimmed to the window, then the FIN if all the text
// before it was taken. Without a reassembly queue only text that starts at RCV.NXT is taken; text
// or a FIN further on goes to the machine as seg_data with nothing to take (out_of_order): where
// text is accepted that is an immediate duplicate ACK asking for RCV.NXT (RFC 5681 section 4.2),
// after the peer's FIN it is ignored (RFC 9293 3.10.7.4, seventh), as the spec's rows say.
template <class C>
void text_and_fin(C& c) {
    const segment& s = *c.seg;
    const seq_t rcv_nxt = c.receive_next();
    const seq_t start = s.seq + (s.has(SYN) ? 1 : 0);
    std::uint32_t len = s.len;
    bool fin = s.has(FIN);
    if (seq_lt(start, rcv_nxt)) {
        const std::uint32_t old = rcv_nxt - start;
        if (old > len) {
            len = 0;
            fin = false;  // the FIN, too, was received before
        } else {
            len -= old;
        }
    } else if (start != rcv_nxt) {
        if (len > 0 || fin) {
            c.out_of_order = true;
            c.text_len = 0;
            c.fire(tcp::event::seg_data{});
        }
        return;
    }
    const std::uint32_t wnd = c.receive_window();
    if (len > wnd) {
        len = wnd;
        fin = false;  // it lies beyond the window
    }
    if (len > 0) {
        c.text_len = len;
        c.fire(tcp::event::seg_data{});
    }
    if (fin && synchronized(c.current())) c.fire(tcp::event::seg_fin{});
}

// RFC 9293 Figure 8 (simultaneous open): the peer's SYN-ACK, which crossed ours, reaches our
// SYN-RECEIVED with its SYN just below RCV.NXT. Table 6 alone refuses it (it would be answered with an
// ACK and the handshake would finish one trip later); the figure takes its ACK and reaches
// ESTABLISHED, as Linux does (tcp_validate_incoming: SYN-RECV, SEG.SEQ + 1 = RCV.NXT, no text,
// SEG.ACK = SND.NXT). Only after an active open: a passive SYN-RECEIVED sent the only SYN-ACK.
template <class C>
bool crossing_syn_ack(const C& c, state now, const segment& s) {
    return now == state::SYN_RECEIVED && s.has(SYN) && s.has(ACK) && !s.has(RST) && !s.has(FIN) && s.len == 0 &&
           static_cast<seq_t>(s.seq + 1) == c.receive_next() && s.ack == c.send_next() &&
           !c.opened_passively(tcp::event::seg_ack{});
}

// The whole walk for one received segment s (c.seg is s on entry and on return).
template <class C>
void receive(C& c, const segment& s) {
    namespace ev = tcp::event;
    c.seg = &s;
    const state before = c.current();
    if (!synchronized(before)) {
        // Sections 3.10.7.1 to 3.10.7.3: one event decides.
        if (s.has(RST))
            c.fire(ev::seg_rst{});
        else if (s.has(ACK) && s.has(SYN))
            c.fire(ev::seg_syn_ack{});
        else if (s.has(ACK))
            c.fire(ev::seg_ack{});
        else if (s.has(SYN))
            c.fire(ev::seg_syn{});
        else
            c.fire(ev::seg_no_ack{});
        // A SYN-ACK that established the connection goes on at the sixth step with its text.
        if (before == state::SYN_SENT && c.current() == state::ESTABLISHED) text_and_fin(c);
        return;
    }
    // Section 3.10.7.4, otherwise: one event per step, stopping where the RFC says "drop".
    // RFC 9293 MAY-2: TIME-WAIT may take a new connection's SYN, which lies beyond the old window
    // (and would fail the sequence check) when it is new.
    if (before == state::TIME_WAIT && c.new_syn_reopens(ev::seg_syn{})) {
        c.fire(ev::seg_syn{});
        return;
    }
    if (crossing_syn_ack(c, before, s)) {
        // Its SYN is the one we have: trimmed as old, the rest is an ACK at RCV.NXT.
        segment ack_only = s;
        ack_only.flags = static_cast<std::uint8_t>(s.flags & ~SYN);
        ack_only.seq += 1;
        c.seg = &ack_only;
        c.on_acceptable();
        c.fire(ev::seg_ack{});
        c.seg = &s;
        return;
    }
    if (c.paws_rejects() ||
        !segment_acceptable(s.seq, static_cast<std::uint32_t>(s.seg_len()), c.receive_next(), c.receive_window())) {
        c.on_unacceptable();
        c.fire(ev::seg_unacceptable{});
        return;
    }
    c.on_acceptable();
    // The part before RCV.NXT is trimmed away, "including SYN and FIN". A SYN there is an old one
    // (its text may still reach into the window): it must not reset the connection.
    segment trimmed = s;
    if (trimmed.has(SYN) && seq_lt(trimmed.seq, c.receive_next())) {
        trimmed.flags = static_cast<std::uint8_t>(trimmed.flags & ~SYN);
        trimmed.seq += 1;
        c.seg = &trimmed;
    }
    struct restore {
        C& c;
        const segment& s;
        ~restore() { c.seg = &s; }
    } keep{c, s};
    if (trimmed.has(RST)) {
        c.fire(ev::seg_rst{});
        return;
    }
    if (trimmed.has(SYN)) {
        c.fire(ev::seg_syn{});
        return;
    }
    if (!trimmed.has(ACK)) {
        c.fire(ev::seg_no_ack{});
        return;
    }
    c.fire(ev::seg_ack{});
    if (c.drop || !synchronized(c.current())) return;
    text_and_fin(c);
}

}  // namespace tcprt::walk
