// The monitor's one translation unit that includes the generated machine. side_context is the
// machine's Context for an end seen from the wire: its guards are the endpoint's (endpoint.cpp),
// evaluated on numbers learnt from the segments, and its actions only keep those numbers, remember
// which segment the end now owes (a RST), and flag what the end's state does not allow.
#include "tcprt/observer.hpp"

#include <algorithm>
#include <array>
#include <new>
#include <type_traits>

#include "tcp_fsm.hpp"
#include "segment_walk.hpp"

namespace tcprt {

namespace ev = tcp::event;

std::string_view name(anomaly a) noexcept {
    switch (a) {
        case anomaly::data_after_fin: return "data_after_fin";
        case anomaly::ack_of_unsent_data: return "ack_of_unsent_data";
        case anomaly::rst_out_of_window: return "rst_out_of_window";
        case anomaly::unexplained: return "unexplained";
    }
    return {};
}

namespace {

using walk::synchronized;

// A window nobody announced (the SYNs were not seen, so neither the window nor its scale is known):
// the largest RFC 7323 allows, so that the sequence check refuses only what no window could take.
constexpr std::uint32_t unknown_window = std::uint32_t{1} << 30;

struct side_context;
using machine_type = tcp::machine<side_context>;

struct side_context {
    profile prof;
    duration msl;

    // What the wire told about this end. Send side: what it sent and what its peer acknowledged;
    // receive side: RCV.NXT and the right edge of the window it last announced.
    seq_t iss = 0, snd_una = 0, snd_nxt = 0;
    std::uint32_t snd_wnd = 0, max_snd_wnd = 0;
    seq_t snd_wl1 = 0, snd_wl2 = 0;
    seq_t irs = 0, rcv_nxt = 0;
    seq_t rcv_right = 0;        // RCV.NXT + RCV.WND as last announced
    bool rcv_right_known = false;
    seq_t fin_seq = 0;
    bool fin_sent = false;
    bool passive_open = false;
    bool syn_ack_sent = false;  // the SYN-ACK that LISTEN + seg_syn owes went out
    bool reset_owed = false;    // a row asked for a RST, and it has not been seen yet
    std::uint8_t own_shift = 0, peer_shift = 0;
    std::uint64_t bytes = 0;
    std::uint32_t syn_text = 0;  // text that came with the SYN
    std::optional<instant> tw_deadline;

    // Text and a FIN that arrived beyond RCV.NXT. The walk, like the endpoint, takes only text at
    // RCV.NXT; the observed end's stack queues the rest and takes it, FIN included, once the hole
    // before it fills (RFC 9293 3.10.7.4, fifth step: "segments with higher beginning sequence
    // numbers may be held"). A few ranges are kept; beyond that the end's own ACK still tells.
    struct held_range {
        seq_t start, end;  // [start, end)
    };
    static constexpr std::size_t max_held = 4;
    std::array<held_range, max_held> held{};
    std::uint8_t held_count = 0;
    std::optional<seq_t> held_fin;  // where a FIN that arrived beyond RCV.NXT lies
    seq_t held_fin_ack = 0;         // and the ACK it carried

    // Per input.
    instant now{};
    const segment* seg = nullptr;
    seq_t pending_iss = 0;       // the ISS that choose_iss takes: the SYN or SYN-ACK being explained
    seq_t pending_fin = 0;       // where the FIN being explained lies
    std::uint32_t text_len = 0;  // text trimmed to the window (step 5)
    bool out_of_order = false;   // seg_data for text beyond RCV.NXT: nothing is taken
    bool drop = false;
    bool handled = false;
    bool explaining_send = false;  // the event explains a segment this end sent
    observed_end::outcome* out = nullptr;

    machine_type* machine = nullptr;

    state current() const noexcept { return static_cast<state>(tcp::current(*machine)); }

    void flag(anomaly a) {
        if (out) out->anomalies |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(a));
    }

    template <class E>
    void fire(const E& e) {
        const state from = current();
        handled = true;
        machine->process_event(e);
        if (!handled) {
            // No row, or every guard said no: for a segment this end sent, its state cannot send it.
            if (explaining_send) flag(anomaly::unexplained);
            return;
        }
        if (out && out->count < observed_end::outcome::max_rows) {
            constexpr std::string_view event = tcp::name(tcp::id_of<E>);
            static_assert(event.size() <= 0xFF, "outcome::row keeps an event name's size in a byte");
            out->rows[out->count++] = {from, current(), static_cast<std::uint8_t>(event.size()), event.data()};
        }
    }

    std::uint32_t rcv_wnd() const noexcept {
        if (!rcv_right_known) return unknown_window;
        return seq_ge(rcv_right, rcv_nxt) ? rcv_right - rcv_nxt : 0;
    }

    void begin(instant t, const segment* s, observed_end::outcome& o) {
        now = t;
        seg = s;
        out = &o;
        text_len = 0;
        out_of_order = false;
        drop = false;
        explaining_send = false;
    }

    // ---- this end sent a segment ----------------------------------------------------------------

    void on_sent(const segment& s) {
        const state st = current();
        // What the segment says about this end's receive side: RCV.NXT (an ACK never lies about
        // what arrived, and covers text reassembled out of order) and the window.
        if (s.has(ACK) && synchronized(st)) {
            if (seq_gt(s.ack, rcv_nxt)) taken_up_to(s.ack);
            const std::uint32_t wnd = s.has(SYN) ? s.wnd : s.wnd << own_shift;
            rcv_right = s.ack + wnd;
            rcv_right_known = true;
        }
        explaining_send = true;
        if (s.has(RST)) {
            if (reset_owed) {
                reset_owed = false;  // the RST a row asked for
            } else if (st == state::CLOSED) {
                flag(anomaly::unexplained);
            } else {
                fire(ev::abort{});  // ABORT, or CLOSE with unread data (RFC 2525): a RST either way
            }
            return;
        }
        if (s.has(SYN)) {
            const bool again = s.seq == iss && st != state::CLOSED && st != state::LISTEN;
            if (!s.has(ACK)) {
                if (st == state::CLOSED || st == state::LISTEN) {
                    pending_iss = s.seq;
                    fire(ev::open_active{});
                } else if (!again) {
                    flag(anomaly::unexplained);
                }  // else the SYN again, retransmitted
            } else if (st == state::SYN_RECEIVED && !syn_ack_sent && s.seq == iss) {
                syn_ack_sent = true;  // the SYN-ACK of LISTEN + seg_syn or SYN-SENT + seg_syn
            } else if (!again || st == state::SYN_SENT) {
                flag(anomaly::unexplained);
            }  // else the SYN-ACK again
            return;
        }
        if (s.len > 0) {
            const seq_t end = s.seq + s.len;
            if (seq_gt(end, snd_nxt)) {
                // A gap before s.seq was sent too: its segment comes later (reordered) or was not captured.
                const std::uint32_t fresh = end - snd_nxt;
                fire(ev::send{});
                if (seq_gt(end, snd_nxt)) {
                    bytes += fresh;
                    snd_nxt = end;
                }
            }
        }
        if (s.has(FIN)) {
            const seq_t at = s.seq + s.len;
            if (!fin_sent) {
                pending_fin = at;
                fire(ev::close{});
            } else if (at != fin_seq) {
                flag(anomaly::unexplained);
            }  // else the FIN again
        }
    }

    // ---- text and a FIN held beyond RCV.NXT ------------------------------------------------------

    void hold(seq_t start, std::uint32_t len, bool fin) {
        if (len > 0) {
            const held_range r{start, start + len};
            if (held_count < max_held) held[held_count++] = r;
        }
        if (fin && !held_fin) {
            held_fin = start + len;
            held_fin_ack = seg->ack;
        }
    }

    // RCV.NXT reached `to` (the text before it was taken): the held text it joins is taken too, and a
    // FIN held at the new RCV.NXT is the event seg_fin now, when the end's stack takes it.
    void taken_up_to(seq_t to) {
        // The end's ACK may cover the held FIN: the FIN is taken where it lies, then the rest.
        if (held_fin && seq_ge(*held_fin, rcv_nxt) && seq_lt(*held_fin, to)) {
            rcv_nxt = *held_fin;
            take_held_fin();
        }
        if (seq_gt(to, rcv_nxt)) rcv_nxt = to;
        for (bool joined = true; joined;) {
            joined = false;
            for (std::uint8_t i = 0; i < held_count; ++i) {
                if (seq_gt(held[i].start, rcv_nxt)) continue;
                if (seq_gt(held[i].end, rcv_nxt)) rcv_nxt = held[i].end;
                held[i] = held[--held_count];
                joined = true;
                break;
            }
        }
        if (held_fin && *held_fin == rcv_nxt) take_held_fin();
        if (held_fin && seq_lt(*held_fin, rcv_nxt)) held_fin.reset();  // taken with text after it: stale
    }

    void take_held_fin() {
        const segment f{*held_fin, held_fin_ack, FIN | ACK, 0, 0};
        held_fin.reset();
        const segment* const was = seg;
        seg = &f;
        if (synchronized(current())) fire(ev::seg_fin{});
        seg = was;
    }

    void forget_held() {
        held_count = 0;
        held_fin.reset();
    }

    // ---- a segment arrived: RFC 9293 section 3.10.7, the endpoint's walk (segment_walk.hpp) ----

    seq_t receive_next() const noexcept { return rcv_nxt; }
    seq_t send_next() const noexcept { return snd_nxt; }
    std::uint32_t receive_window() const noexcept { return rcv_wnd(); }
    // The wire shows timestamps, but which TS.Recent the end holds depends on what it took and when:
    // PAWS is left to the endpoint.
    bool paws_rejects() const noexcept { return false; }
    void on_acceptable() const noexcept {}
    void on_unacceptable() {
        if (seg->has(RST)) flag(anomaly::rst_out_of_window);
    }

    // ---- guards (as in endpoint.cpp) -------------------------------------------------------------

    template <class E>
    bool has_unread_data(const E&) const { return false; }  // a RST-sending CLOSE is explained as ABORT

    template <class E>
    bool ack_acceptable(const E&) const {
        return seg && seg->has(ACK) && snd_una != snd_nxt && seq_between(snd_una + 1, seg->ack, snd_nxt);
    }
    template <class E>
    bool rst_acceptable(const E&) const { return !prof.challenge_acks || (seg && seg->seq == rcv_nxt); }
    template <class E>
    bool opened_passively(const E&) const { return passive_open; }
    template <class E>
    bool ignore_rst_in_time_wait(const E&) const { return prof.time_wait_ignores_rst; }
    template <class E>
    bool challenge_syn(const E&) const { return prof.challenge_acks; }
    template <class E>
    bool rst_refuses(const E&) const { return prof.syn_sent_rst_refused; }
    template <class E>
    bool late_rst_reported(const E&) const { return prof.late_rst_reported; }
    template <class E>
    bool closing_resends_fin(const E&) const { return prof.closing_resends_fin; }
    template <class E>
    bool time_wait_acks_data(const E&) const { return prof.time_wait_acks_data; }
    // A new SYN on a used 4-tuple starts a new connection in the monitor (monitor.cpp), so none
    // reaches an observed end in TIME-WAIT.
    template <class E>
    bool new_syn_reopens(const E&) const { return false; }
    template <class E>
    bool ack_unacceptable(const E&) const {
        if (!seg) return false;
        const seq_t lowest = prof.challenge_acks ? snd_una - max_snd_wnd : snd_nxt - 0x7FFFFFFFu;
        return !seq_between(lowest, seg->ack, snd_nxt);
    }
    template <class E>
    bool fin_acked(const E&) const {
        if (!fin_sent) return false;
        return snd_una == snd_nxt || (seg && seg->has(ACK) && seg->ack == snd_nxt);
    }
    template <class E>
    bool retries_exhausted(const E&) const { return false; }
    template <class E>
    bool retransmitted_fin(const E&) const {
        return seg && seg->has(FIN) && !seg->has(SYN) && !seg->has(RST) &&
               static_cast<seq_t>(seg->seq + seg->len + 1) == rcv_nxt;
    }

    // ---- actions --------------------------------------------------------------------------------

    void delete_tcb() {}
    void start_time_wait_timer() { tw_deadline = now + 2 * msl; }
    void stop_time_wait_timer() { tw_deadline.reset(); }
    template <class E>
    void restart_time_wait_timer(const E&) { start_time_wait_timer(); }

    template <class E>
    void remember_passive_open(const E&) { passive_open = true; }
    template <class E>
    void remember_active_open(const E&) { passive_open = false; }
    template <class E>
    void choose_iss(const E&) {
        iss = snd_una = snd_nxt = pending_iss;
        syn_ack_sent = false;
    }
    template <class E>
    void send_syn(const E&) { snd_nxt = iss + 1; }
    template <class E>
    void send_syn_ack(const E&) {
        drop = true;
        snd_nxt = iss + 1;
    }
    template <class E>
    void queue_data(const E&) {}
    template <class E>
    void queue_receive(const E&) {}
    template <class E>
    void deliver_data(const E&) {}
    template <class E>
    void send_data(const E&) {}

    // The user-error rows: the end's state does not allow what it just sent.
    template <class E>
    void report_closing(const E&) {
        flag(std::is_same_v<E, ev::send> ? anomaly::data_after_fin : anomaly::unexplained);
    }
    template <class E>
    void report_already_exists(const E&) { flag(anomaly::unexplained); }
    template <class E>
    void report_does_not_exist(const E&) { flag(anomaly::unexplained); }
    template <class E>
    void report_closing_to_pending(const E&) {}
    template <class E>
    void report_reset_to_pending(const E&) {}
    template <class E>
    void report_reset(const E&) {}
    template <class E>
    void report_refused(const E&) {}
    template <class E>
    void report_timeout(const E&) {}

    template <class E>
    void send_fin(const E&) {
        fin_sent = true;
        fin_seq = pending_fin;
        if (seq_gt(fin_seq + 1, snd_nxt)) snd_nxt = fin_seq + 1;
    }
    template <class E>
    void send_reset(const E&) { reset_owed = !explaining_send; }
    template <class E>
    void send_reset_for_syn(const E& e) { send_reset(e); }
    template <class E>
    void send_reset_for_ack(const E&) {
        drop = true;
        reset_owed = true;
    }
    template <class E>
    void send_reset_for_seq(const E&) {
        drop = true;
        reset_owed = true;
    }

    template <class E>
    void accept_syn(const E&) {
        irs = seg->seq;
        rcv_nxt = seg->seq + 1;
        snd_wnd = seg->wnd;  // a SYN's window is never scaled
        max_snd_wnd = std::max(max_snd_wnd, snd_wnd);
        snd_wl1 = seg->seq;
        snd_wl2 = snd_una;
        // text on a SYN without ACK waits for ESTABLISHED (endpoint.cpp, accept_syn_text)
        syn_text = seg->has(ACK) ? 0 : seg->len;
    }
    template <class E>
    void accept_syn_text(const E&) {
        rcv_nxt += syn_text;
        syn_text = 0;
    }

    template <class E>
    void process_ack(const E&) {
        const segment& s = *seg;
        if (snd_una != snd_nxt && seq_between(snd_una + 1, s.ack, snd_nxt)) snd_una = s.ack;
        if (seq_between(snd_una, s.ack, snd_nxt) &&
            (seq_lt(snd_wl1, s.seq) || (snd_wl1 == s.seq && seq_le(snd_wl2, s.ack)))) {
            snd_wnd = s.has(SYN) ? s.wnd : s.wnd << peer_shift;
            snd_wl1 = s.seq;
            snd_wl2 = s.ack;
            max_snd_wnd = std::max(max_snd_wnd, snd_wnd);
        }
    }

    template <class E>
    void send_ack(const E&) {}
    template <class E>
    void send_ack_and_drop(const E&) {
        drop = true;
        flag(anomaly::ack_of_unsent_data);
    }
    template <class E>
    void send_ack_unless_rst(const E&) { drop = true; }
    template <class E>
    void send_challenge_ack(const E&) { drop = true; }
    template <class E>
    void resend_fin(const E&) { drop = true; }

    template <class E>
    void reopen_from_time_wait(const E& e) {
        flush_queues(e);
        choose_iss(e);
    }
    template <class E>
    void flush_queues(const E&) {
        passive_open = true;
        fin_sent = syn_ack_sent = false;
        forget_held();
    }
    template <class E>
    void accept_data(const E&) {
        if (!out_of_order) {
            rcv_nxt += text_len;
            return;
        }
        // Beyond RCV.NXT: held for when the hole fills, within the window announced.
        const seq_t start = seg->seq + (seg->has(SYN) ? 1 : 0);
        const std::uint32_t wnd = rcv_wnd();
        const std::uint32_t room = seq_lt(start, rcv_nxt + wnd) ? rcv_nxt + wnd - start : 0;
        const std::uint32_t len = std::min(seg->len, room);
        hold(start, len, seg->has(FIN) && len == seg->len);
    }
    template <class E>
    void accept_fin(const E&) { rcv_nxt += 1; }
    template <class E>
    void retransmit_oldest(const E&) {}

    void on_unhandled(tcp::state, tcp::event_id) { handled = false; }
    void on_rejected(tcp::state, tcp::event_id) { handled = false; }
};

}  // namespace

struct observed_end::impl {
    side_context ctx;
    machine_type machine;

    impl(profile p, duration msl) : ctx{}, machine(ctx) {
        ctx.prof = p;
        ctx.msl = msl;
        ctx.machine = &machine;
        machine.start();
    }
};

observed_end::observed_end(profile prof, duration msl) {
    static_assert(sizeof(impl) <= impl_size && alignof(impl) <= 16,
                  "observed_end::impl_size in observer.hpp must hold the machine and its Context");
    new (storage_) impl(prof, msl);
}
observed_end::~observed_end() { self().~impl(); }
observed_end::impl& observed_end::self() noexcept { return *std::launder(reinterpret_cast<impl*>(storage_)); }
const observed_end::impl& observed_end::self() const noexcept {
    return *std::launder(reinterpret_cast<const impl*>(storage_));
}

state observed_end::current_state() const noexcept { return self().ctx.current(); }

void observed_end::set_window_shifts(std::uint8_t own, std::uint8_t peer) noexcept {
    self().ctx.own_shift = std::min<std::uint8_t>(own, 14);
    self().ctx.peer_shift = std::min<std::uint8_t>(peer, 14);
}

void observed_end::expect_iss(seq_t iss) noexcept { self().ctx.pending_iss = iss; }
void observed_end::forget_window() noexcept { self().ctx.rcv_right_known = false; }

observed_end::outcome observed_end::sent(const segment& s, instant now) {
    outcome o;
    self().ctx.begin(now, &s, o);
    self().ctx.on_sent(s);
    self().ctx.out = nullptr;
    self().ctx.seg = nullptr;
    return o;
}

observed_end::outcome observed_end::received(const segment& s, instant now) {
    outcome o;
    auto& c = self().ctx;
    c.begin(now, &s, o);
    const seq_t before = c.rcv_nxt;
    walk::receive(c, s);
    // Text taken at RCV.NXT may fill the hole before held text and a held FIN.
    if ((c.held_count > 0 || c.held_fin) && seq_gt(c.rcv_nxt, before) && synchronized(c.current())) c.taken_up_to(c.rcv_nxt);
    self().ctx.out = nullptr;
    self().ctx.seg = nullptr;
    return o;
}

observed_end::outcome observed_end::open_passive(instant now) {
    outcome o;
    self().ctx.begin(now, nullptr, o);
    self().ctx.fire(ev::open_passive{});
    self().ctx.out = nullptr;
    return o;
}

observed_end::outcome observed_end::advance(instant now) {
    outcome o;
    auto& c = self().ctx;
    if (c.tw_deadline && *c.tw_deadline <= now) {
        c.begin(*c.tw_deadline, nullptr, o);
        c.fire(ev::time_wait_timeout{});
        c.out = nullptr;
    }
    return o;
}

std::optional<instant> observed_end::time_wait_deadline() const noexcept { return self().ctx.tw_deadline; }

std::uint64_t observed_end::bytes_sent() const noexcept { return self().ctx.bytes; }

}  // namespace tcprt
