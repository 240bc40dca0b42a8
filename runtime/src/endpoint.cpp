// The one translation unit that includes the generated machine (Boost.MSM is expensive to compile).
// endpoint::impl is the machine's Context: the spec's guards and actions are its members, and
// handle_segment() walks RFC 9293 section 3.10.7 turning each step into one event of the machine
// (segment_walk.hpp: the same walk as the monitor's observed ends).
// Which state the connection is in is asked of the machine (current()); the TCB holds only numbers.
#include "tcprt/endpoint.hpp"

#include <algorithm>
#include <utility>

#include "tcp_fsm.hpp"
#include "segment_walk.hpp"

namespace tcprt {

namespace ev = tcp::event;

// The mirror enum in endpoint.hpp must match the generated one name for name, value for value.
static_assert(tcp::state_count == 11, "spec/tcp.fsm and tcprt::state disagree on the states");
#define TCPRT_SAME_STATE(S)                                                                         \
    static_assert(static_cast<int>(tcp::state::S) == static_cast<int>(state::S) &&                  \
                      tcp::name(tcp::state::S) == std::string_view(#S),                             \
                  "tcprt::state::" #S " does not match the generated tcp::state")
TCPRT_SAME_STATE(CLOSED);
TCPRT_SAME_STATE(LISTEN);
TCPRT_SAME_STATE(SYN_SENT);
TCPRT_SAME_STATE(SYN_RECEIVED);
TCPRT_SAME_STATE(ESTABLISHED);
TCPRT_SAME_STATE(FIN_WAIT_1);
TCPRT_SAME_STATE(FIN_WAIT_2);
TCPRT_SAME_STATE(CLOSE_WAIT);
TCPRT_SAME_STATE(CLOSING);
TCPRT_SAME_STATE(LAST_ACK);
TCPRT_SAME_STATE(TIME_WAIT);
#undef TCPRT_SAME_STATE

std::string_view name(state s) noexcept { return tcp::name(static_cast<tcp::state>(s)); }

namespace {

// A payload longer than any window (RFC 7323 caps it at 2^30) cannot be real; refusing it early
// also keeps every SEG.LEN within 32 bits.
constexpr std::uint32_t max_payload = std::uint32_t{1} << 30;

}  // namespace

// The machine's Context. It must be a complete type where tcp::machine<connection> is instantiated
// (the generated header checks every guard and action with static_asserts), so the machine lives
// beside it, in endpoint::impl, and is reached through a pointer.
struct connection;
using machine_type = tcp::machine<connection>;

struct connection {
    config cfg;
    tcprt::tcb tcb{};
    timer_table timers{};
    ring<segment, 64> out{};
    ring<notice, 32> notices{};
    tcprt::counters count{};
    endpoint::transition_observer observer{};

    // Per input: the time, the segment being walked (null for calls and timers), the byte count of
    // a SEND or RECEIVE call, and what the walk learned so far.
    instant now{};
    const segment* seg = nullptr;
    option_values seg_opts{};           // what the segment's options say (parsed once per segment)
    std::uint32_t call_bytes = 0;
    std::uint32_t text_len = 0;   // the segment's text trimmed to the window (step 5)
    bool drop = false;            // an action dropped the rest of the segment
    bool ack_owed = false;        // an action asked for <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    bool ack_emitted = false;     // a segment carrying the current RCV.NXT already went out
    bool handled = false;         // the machine fired a row for the last event
    std::size_t fired_row = endpoint::no_row;  // its index in tcp::transitions[] (on_row)
    bool out_of_order = false;    // seg_data for text beyond RCV.NXT: nothing is taken

    machine_type* machine = nullptr;

    explicit connection(config c) : cfg(std::move(c)) {
        // A zero MSS would send empty segments until the ring fills.
        cfg.mss = std::max<std::uint32_t>(cfg.mss, 1);
    }

    state current() const noexcept;
    template <class E>
    void fire(const E& e);

    // ---- outputs ------------------------------------------------------------------------------

    void tell(notice_kind k, std::uint32_t n = 0) {
        if (!notices.push({k, n})) ++count.output_overflow;
    }

    // Every segment leaves through here: the window field (scaled as RFC 7323 section 2.3 says,
    // never on a SYN) and the options (the SYN's offer, or the timestamps of section 3.2) are
    // filled in from the TCB. A RST carries neither.
    bool emit(segment s) {
        if (!s.has(RST)) {
            s.wnd = window_field(s.has(SYN));
            if (s.has(SYN))
                syn_options(s.opts, s.has(ACK));
            else if (tcb.timestamps_on) {
                s.opts.nop();
                s.opts.nop();
                s.opts.timestamps(ts_val(), tcb.ts_recent);
            }
        }
        if (s.has(ACK)) tcb.last_ack_sent = s.ack;
        if (!out.push(s)) {
            ++count.output_overflow;
            return false;
        }
        ++count.segments_out;
        if (s.has(ACK) && s.ack == tcb.rcv_nxt) ack_emitted = true;
        return true;
    }

    std::uint32_t window_field(bool syn) const {
        const std::uint32_t w = syn ? tcb.rcv_wnd : tcb.rcv_wnd >> tcb.rcv_shift;
        return std::min<std::uint32_t>(w, 0xFFFF);
    }

    // RFC 7323 section 5.4: a clock of about one tick per millisecond, from the time input.
    std::uint32_t ts_val() const {
        return static_cast<std::uint32_t>(now.time_since_epoch().count() / 1000) + cfg.ts_offset;
    }

    // The options of our SYN (all we offer) or SYN-ACK (the MSS and what both SYNs carried), in
    // the profile's layout.
    void syn_options(option_bytes& b, bool syn_ack) const {
        const option_offer& o = cfg.prof.offer;
        const bool ws = syn_ack ? tcb.wscale_on : o.wscale;
        const bool sack = syn_ack ? tcb.sack_on : o.sack_permitted;
        const bool ts = syn_ack ? tcb.timestamps_on : o.timestamps;
        const auto mss = static_cast<std::uint16_t>(std::min<std::uint32_t>(cfg.mss, 0xFFFF));
        const std::uint8_t shift = std::min(o.wscale_shift, max_wscale);
        const std::uint32_t val = ts_val(), ecr = syn_ack ? tcb.ts_recent : 0;
        switch (o.layout) {
            case option_layout::aligned:
                if (o.mss) b.mss(mss);
                if (ws) {
                    b.nop();
                    b.wscale(shift);
                }
                if (sack) {
                    b.nop();
                    b.nop();
                    b.sack_permitted();
                }
                if (ts) {
                    b.nop();
                    b.nop();
                    b.timestamps(val, ecr);
                }
                break;
            case option_layout::linux_order:
                if (o.mss) b.mss(mss);
                if (ts) {
                    if (sack) {
                        b.sack_permitted();
                    } else {
                        b.nop();
                        b.nop();
                    }
                    b.timestamps(val, ecr);
                } else if (sack) {
                    b.nop();
                    b.nop();
                    b.sack_permitted();
                }
                if (ws) {
                    b.nop();
                    b.wscale(shift);
                }
                break;
            case option_layout::freebsd_order:
                if (o.mss) {
                    while (b.size() % 4) b.nop();
                    b.mss(mss);
                }
                if (ws) {
                    while (b.size() % 2 != 1) b.nop();
                    b.wscale(shift);
                }
                if (sack) {
                    while (b.size() % 2) b.nop();
                    b.sack_permitted();
                }
                if (ts) {
                    while (b.size() % 4 != 2) b.nop();
                    b.timestamps(val, ecr);
                }
                while (b.size() % 4) b.eol();  // EOL, then zero padding: the same byte
                break;
        }
    }

    // RFC 7323 sections 2.2 and 3.2, RFC 2018 section 2, RFC 9293 section 3.7.1: what the two SYNs
    // agree on, from the peer's SYN (ours offered everything in cfg.prof.offer).
    void negotiate() {
        const option_offer& o = cfg.prof.offer;
        tcb.wscale_on = o.wscale && seg_opts.has_wscale;
        tcb.snd_shift = tcb.wscale_on ? std::min(seg_opts.wscale, max_wscale) : 0;
        tcb.rcv_shift = tcb.wscale_on ? std::min(o.wscale_shift, max_wscale) : 0;
        tcb.timestamps_on = o.timestamps && seg_opts.has_timestamps;
        if (tcb.timestamps_on) tcb.ts_recent = seg_opts.ts_val;
        tcb.sack_on = o.sack_permitted && seg_opts.sack_permitted;
        // The peer's MSS, or 536 without one, less the timestamps every segment will carry.
        std::uint32_t m = std::min<std::uint32_t>(cfg.mss, seg_opts.has_mss ? seg_opts.mss : 536);
        if (tcb.timestamps_on) m = m > 12 ? m - 12 : 1;
        tcb.snd_mss = static_cast<std::uint16_t>(std::max<std::uint32_t>(m, 1));
    }

    // RFC 5961 section 7: at most challenge_ack_limit of these ACKs per second.
    bool challenge_budget() {
        if (now - tcb.challenge_since >= std::chrono::seconds(1)) {
            tcb.challenge_since = now;
            tcb.challenge_acks = 0;
        }
        if (cfg.challenge_ack_limit != 0 && tcb.challenge_acks >= cfg.challenge_ack_limit) return false;
        ++tcb.challenge_acks;
        return true;
    }

    segment ack_segment(seq_t seq, std::uint8_t flags) const {
        return segment{seq, tcb.rcv_nxt, static_cast<std::uint8_t>(flags | ACK), tcb.rcv_wnd, 0};
    }

    // A segment that takes sequence numbers went out: make sure something will retransmit it.
    void arm_retransmission() {
        if (!timers.armed(timer::retransmission)) timers.set(timer::retransmission, now + tcb.rto);
        if (cfg.user_timeout.count() > 0 && !timers.armed(timer::user))
            timers.set(timer::user, now + cfg.user_timeout);
    }

    // Sends what the send buffer and the peer's window allow, then the FIN once the buffer is empty.
    // Called only by the spec's actions (send_data, send_fin, process_ack), so the machine decides in
    // which states data flows. Nothing but a lone FIN goes out before our SYN is acknowledged
    // (SYN-RECEIVED + CLOSE, section 3.10.4).
    void try_send() {
        const bool syn_acked = tcb.snd_una != tcb.iss;
        while (tcb.snd_queued > 0 && syn_acked) {
            const std::uint32_t flight = tcb.in_flight();
            std::uint32_t usable = tcb.snd_wnd > flight ? tcb.snd_wnd - flight : 0;
            // A zero window is probed with one byte (section 3.8.6.1); its retransmission is the
            // persist timer.
            if (usable == 0 && flight == 0) usable = 1;
            if (usable == 0) return;
            const std::uint32_t n = std::min({tcb.snd_queued, usable, std::uint32_t{tcb.snd_mss}});
            const bool fin = tcb.fin_queued && n == tcb.snd_queued;
            segment s = ack_segment(tcb.snd_nxt, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));
            s.len = n;
            if (!emit(s)) return;
            tcb.snd_nxt += n;
            tcb.snd_queued -= n;
            if (fin) {
                tcb.fin_seq = tcb.snd_nxt;
                tcb.snd_nxt += 1;
                tcb.fin_sent = true;
            }
            arm_retransmission();
        }
        if (tcb.snd_queued == 0 && tcb.fin_queued && !tcb.fin_sent) {
            if (!emit(ack_segment(tcb.snd_nxt, FIN))) return;
            tcb.fin_seq = tcb.snd_nxt;
            tcb.snd_nxt += 1;
            tcb.fin_sent = true;
            arm_retransmission();
        }
    }

    void deliver() {
        const std::uint32_t n = std::min(tcb.rcv_unread, tcb.rcv_requested);
        if (n == 0) return;
        tcb.rcv_unread -= n;
        tcb.rcv_requested -= n;
        tcb.rcv_wnd = cfg.rcv_buffer - tcb.rcv_unread;
        tell(notice_kind::data_delivered, n);
    }

    // ---- inputs -------------------------------------------------------------------------------

    void begin(instant t, const segment* s = nullptr, std::uint32_t bytes = 0) {
        now = t;
        seg = s;
        call_bytes = bytes;
        text_len = 0;
        drop = ack_owed = ack_emitted = out_of_order = false;
    }

    void end() {
        if (ack_owed && !ack_emitted) emit(ack_segment(tcb.snd_nxt, 0));
        seg = nullptr;
    }

    void on_segment(const segment& s, instant t) {
        ++count.segments_in;
        if (s.len > max_payload) {
            ++count.malformed;
            return;
        }
        begin(t, &s);
        seg_opts = option_values{};
        if (!s.opts.empty()) parse_options(s.opts, seg_opts);
        walk::receive(*this, s);
        end();
    }

    // ---- what the segment walk (segment_walk.hpp) asks of the Context --------------------------

    seq_t receive_next() const noexcept { return tcb.rcv_nxt; }
    seq_t send_next() const noexcept { return tcb.snd_nxt; }
    std::uint32_t receive_window() const noexcept { return tcb.rcv_wnd; }

    // RFC 7323 section 5.3 R1 (PAWS): a non-RST segment whose TSval is older than TS.Recent is
    // unacceptable, whatever its sequence number.
    bool paws_rejects() const {
        return cfg.prof.paws && tcb.timestamps_on && seg_opts.has_timestamps && !seg->has(RST) &&
               seq_lt(seg_opts.ts_val, tcb.ts_recent);
    }
    void on_unacceptable() const noexcept {}
    // Section 4.3 of RFC 7323: TS.Recent follows the segments that cover Last.ACK.sent.
    void on_acceptable() {
        if (tcb.timestamps_on && seg_opts.has_timestamps && seq_le(seg->seq, tcb.last_ack_sent) &&
            seq_ge(seg_opts.ts_val, tcb.ts_recent))
            tcb.ts_recent = seg_opts.ts_val;
    }

    void on_timeout(instant t) {
        begin(t);
        // Each expired timer is stopped before its event, so an action that re-arms it for a later
        // time ends the loop; the bound guards against a zero RTO.
        for (int i = 0; i < 8; ++i) {
            const auto t_hit = timers.expired(t);
            if (!t_hit) break;
            timers.stop(*t_hit);
            switch (*t_hit) {
                case timer::retransmission: fire(ev::retransmission_timeout{}); break;
                case timer::user: fire(ev::user_timeout{}); break;
                case timer::time_wait: fire(ev::time_wait_timeout{}); break;
            }
        }
        end();
    }

    template <class E>
    void call(const E& e, instant t, std::uint32_t bytes = 0) {
        begin(t, nullptr, bytes);
        fire(e);
        end();
    }

    // ---- the Context of tcp::machine: guards ---------------------------------------------------

    template <class E>
    bool has_unread_data(const E&) const { return tcb.rcv_unread > 0; }

    // SND.UNA < SEG.ACK =< SND.NXT; in SYN-SENT SND.UNA is ISS, which gives the "SEG.ACK =< ISS"
    // test of section 3.10.7.3.
    template <class E>
    bool ack_acceptable(const E&) const {
        return seg && seg->has(ACK) && tcb.snd_una != tcb.snd_nxt && seq_between(tcb.snd_una + 1, seg->ack, tcb.snd_nxt);
    }

    // The sequence check already put SEG.SEQ in the window; RFC 5961 also wants it exact.
    template <class E>
    bool rst_acceptable(const E&) const { return !cfg.prof.challenge_acks || (seg && seg->seq == tcb.rcv_nxt); }

    template <class E>
    bool opened_passively(const E&) const { return tcb.passive_open; }

    template <class E>
    bool ignore_rst_in_time_wait(const E&) const { return cfg.prof.time_wait_ignores_rst; }

    template <class E>
    bool challenge_syn(const E&) const { return cfg.prof.challenge_acks; }

    // The choices the RFCs leave open (docs/runtime.md, "Profiles").
    template <class E>
    bool rst_refuses(const E&) const { return cfg.prof.syn_sent_rst_refused; }
    template <class E>
    bool late_rst_reported(const E&) const { return cfg.prof.late_rst_reported; }
    template <class E>
    bool closing_resends_fin(const E&) const { return cfg.prof.closing_resends_fin; }
    template <class E>
    bool time_wait_acks_data(const E&) const { return cfg.prof.time_wait_acks_data; }

    // RFC 9293 MAY-2 (RFC 1122 4.2.2.13, RFC 6191): a new connection's SYN (no ACK, no RST) that
    // cannot be an old duplicate: it lies beyond RCV.NXT, or, with timestamps, its TSval is newer
    // than TS.Recent and PAWS does not refuse it (Linux tcp_timewait_state_process; FreeBSD
    // tcp_twcheck takes the sequence number test).
    template <class E>
    bool new_syn_reopens(const E&) const {
        if (!cfg.prof.time_wait_reopens || !seg || !seg->has(SYN) || seg->has(ACK) || seg->has(RST)) return false;
        const bool ts = tcb.timestamps_on && seg_opts.has_timestamps;
        if (ts && paws_rejects()) return false;
        return seq_gt(seg->seq, tcb.rcv_nxt) || (ts && seq_gt(seg_opts.ts_val, tcb.ts_recent));
    }

    // Section 3.10.7.4 step 4: SEG.ACK > SND.NXT (anything up to 2^31 below SND.NXT is merely an
    // old duplicate); RFC 5961 section 5.2 narrows the acceptable range to
    // [SND.UNA - MAX.SND.WND, SND.NXT] against blind data injection.
    template <class E>
    bool ack_unacceptable(const E&) const {
        if (!seg) return false;
        const seq_t lowest = cfg.prof.challenge_acks ? tcb.snd_una - tcb.max_snd_wnd : tcb.snd_nxt - 0x7FFFFFFFu;
        return !seq_between(lowest, seg->ack, tcb.snd_nxt);
    }

    // Our FIN was sent and is covered, by SND.UNA or by the ACK of the segment at hand (the guard
    // of FIN-WAIT-1 + seg_ack runs before process_ack). Nothing follows the FIN, so covering it
    // means reaching SND.NXT.
    template <class E>
    bool fin_acked(const E&) const {
        if (!tcb.fin_sent) return false;
        return tcb.snd_una == tcb.snd_nxt || (seg && seg->has(ACK) && seg->ack == tcb.snd_nxt);
    }

    template <class E>
    bool retries_exhausted(const E&) const { return tcb.retries >= cfg.max_retries; }

    // The peer's FIN again, ending exactly at RCV.NXT: our ACK of it was lost.
    template <class E>
    bool retransmitted_fin(const E&) const {
        return seg && seg->has(FIN) && !seg->has(SYN) && !seg->has(RST) &&
               static_cast<seq_t>(seg->seq + seg->len + 1) == tcb.rcv_nxt;
    }

    // ---- actions: entry and exit hooks ---------------------------------------------------------

    void delete_tcb() {
        tcb = tcprt::tcb{};
        timers.stop_all();
    }
    void start_time_wait_timer() { timers.set(timer::time_wait, now + 2 * cfg.msl); }
    void stop_time_wait_timer() { timers.stop(timer::time_wait); }

    // ---- actions: user calls -------------------------------------------------------------------

    template <class E>
    void remember_passive_open(const E&) { tcb.passive_open = true; }
    template <class E>
    void remember_active_open(const E&) { tcb.passive_open = false; }

    template <class E>
    void choose_iss(const E&) {
        tcb.iss = cfg.iss(now);
        tcb.snd_una = tcb.snd_nxt = tcb.iss;
        tcb.rcv_wnd = cfg.rcv_buffer - tcb.rcv_unread;
        tcb.rto = std::max(cfg.rto_initial, duration{1});
        tcb.retries = 0;
    }

    // A SYN refused by a full output ring counts as sent and lost: the timer will send it again.
    template <class E>
    void send_syn(const E&) {
        emit(segment{tcb.iss, 0, SYN, tcb.rcv_wnd, 0});
        tcb.snd_nxt = tcb.iss + 1;
        arm_retransmission();
    }

    template <class E>
    void queue_data(const E&) {
        tcb.snd_queued = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(std::uint64_t{tcb.snd_queued} + call_bytes, max_payload));
    }
    template <class E>
    void send_data(const E&) { try_send(); }

    template <class E>
    void report_already_exists(const E&) { tell(notice_kind::connection_already_exists); }
    template <class E>
    void report_does_not_exist(const E&) { tell(notice_kind::connection_does_not_exist); }
    template <class E>
    void report_closing(const E&) { tell(notice_kind::connection_closing); }

    void add_request() {
        tcb.rcv_requested = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(std::uint64_t{tcb.rcv_requested} + call_bytes, 0xFFFFFFFFu));
    }
    template <class E>
    void queue_receive(const E&) { add_request(); }
    template <class E>
    void deliver_data(const E&) {
        add_request();
        deliver();
    }

    // Sections 3.10.4 and 3.10.5: pending SENDs and RECEIVEs learn why they will never complete.
    template <class E>
    void report_closing_to_pending(const E&) {
        if (tcb.snd_queued > 0 || tcb.rcv_requested > 0) tell(notice_kind::connection_closing);
    }
    template <class E>
    void report_reset_to_pending(const E&) {
        if (tcb.snd_queued > 0 || tcb.rcv_requested > 0) tell(notice_kind::connection_reset);
    }

    template <class E>
    void send_fin(const E&) {
        tcb.fin_queued = true;
        try_send();
    }

    template <class E>
    void send_reset(const E&) { emit(segment{tcb.snd_nxt, 0, RST, 0, 0}); }

    // An in-window SYN without RFC 5961: <SEQ=SND.NXT><CTL=RST>, or, with syn_reset_from_segment,
    // the reset RFC 793 forms from the segment that caused it (RST+ACK for a SYN without ACK).
    template <class E>
    void send_reset_for_syn(const E& e) {
        if (!cfg.prof.syn_reset_from_segment || !seg) {
            send_reset(e);
        } else if (seg->has(ACK)) {
            emit(segment{seg->ack, 0, RST, 0, 0});
        } else {
            emit(segment{0, static_cast<seq_t>(seg->seq + seg->seg_len()), RST | ACK, 0, 0});
        }
    }

    // ---- actions: segments ---------------------------------------------------------------------

    // RST(a): <SEQ=SEG.ACK><CTL=RST>.
    template <class E>
    void send_reset_for_ack(const E&) {
        drop = true;
        if (seg) emit(segment{seg->ack, 0, RST, 0, 0});
    }
    // RST(b): <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    template <class E>
    void send_reset_for_seq(const E&) {
        drop = true;
        if (seg) emit(segment{0, static_cast<seq_t>(seg->seq + seg->seg_len()), RST | ACK, 0, 0});
    }

    template <class E>
    void accept_syn(const E&) {
        tcb.irs = seg->seq;
        tcb.rcv_nxt = seg->seq + 1;
        tcb.snd_wnd = seg->wnd;
        tcb.max_snd_wnd = std::max(tcb.max_snd_wnd, seg->wnd);
        // Section 3.10.7.3: the window of the SYN counts; SND.WL1 = SEG.SEQ lets the ACK that
        // completes the handshake (SEG.SEQ = IRS + 1) update it again.
        tcb.snd_wl1 = seg->seq;
        tcb.snd_wl2 = tcb.snd_una;
        negotiate();
        // Sections 3.10.7.2 and 3.10.7.3: text on a SYN without ACK is queued until ESTABLISHED.
        if (!seg->has(ACK)) tcb.syn_text = std::min(seg->len, tcb.rcv_wnd);
    }

    // ESTABLISHED reached from SYN-RECEIVED: the text that came with the SYN is taken now.
    template <class E>
    void accept_syn_text(const E&) {
        if (tcb.syn_text == 0) return;
        tcb.rcv_nxt += tcb.syn_text;
        tcb.rcv_unread += tcb.syn_text;
        tcb.rcv_wnd = cfg.rcv_buffer - tcb.rcv_unread;
        tcb.syn_text = 0;
        ack_owed = true;
        deliver();
    }

    template <class E>
    void send_syn_ack(const E&) {
        drop = true;  // other controls and text of a SYN wait for a retransmission
        emit(ack_segment(tcb.iss, SYN));
        tcb.snd_nxt = tcb.iss + 1;
        arm_retransmission();
    }

    // Step 4 for the established states, also used for the SYN-ACK and the handshake's last ACK.
    template <class E>
    void process_ack(const E&) {
        const segment& s = *seg;
        if (tcb.snd_una != tcb.snd_nxt && seq_between(tcb.snd_una + 1, s.ack, tcb.snd_nxt)) {
            tcb.snd_una = s.ack;
            tcb.retries = 0;
            tcb.rto = std::max(cfg.rto_initial, duration{1});
            timers.stop(timer::retransmission);
            timers.stop(timer::user);
            if (tcb.in_flight() > 0) arm_retransmission();
        }
        if (seq_between(tcb.snd_una, s.ack, tcb.snd_nxt)) {
            if (seq_lt(tcb.snd_wl1, s.seq) || (tcb.snd_wl1 == s.seq && seq_le(tcb.snd_wl2, s.ack))) {
                // RFC 7323 section 2.3: scaled, except the window of a SYN. 2^30 is the largest window.
                const std::uint64_t wnd = s.has(SYN) ? s.wnd : std::uint64_t{s.wnd} << tcb.snd_shift;
                tcb.snd_wnd = static_cast<std::uint32_t>(std::min<std::uint64_t>(wnd, max_payload));
                const std::uint32_t swnd = tcb.snd_wnd;
                tcb.snd_wl1 = s.seq;
                tcb.snd_wl2 = s.ack;
                tcb.max_snd_wnd = std::max(tcb.max_snd_wnd, swnd);
            }
            // A peer that answers our zero-window probes is alive: probing may go on forever.
            if (tcb.snd_wnd == 0) tcb.retries = 0;
        }
        try_send();
    }

    template <class E>
    void send_ack(const E&) { ack_owed = true; }
    // With RFC 5961 the ACKs that answer a failed check (an ACK outside its range, section 5.2; an
    // unacceptable segment, out-of-window SYNs of section 4.2 included) share the challenge ACKs'
    // budget, so that forged segments cannot make us flood (section 7).
    template <class E>
    void send_ack_and_drop(const E&) {
        drop = true;
        if (!cfg.prof.challenge_acks || challenge_budget()) ack_owed = true;
    }
    template <class E>
    void send_ack_unless_rst(const E&) {
        drop = true;
        if (seg && !seg->has(RST) && (!cfg.prof.challenge_acks || challenge_budget())) ack_owed = true;
    }
    // RFC 5961: the same ACK, which only the true peer can make use of, at most
    // challenge_ack_limit per second so that the challenges cannot be used to flood (section 7).
    template <class E>
    void send_challenge_ack(const E&) {
        drop = true;
        if (challenge_budget()) ack_owed = true;
    }

    // CLOSING answers an old segment with its FIN again (profile closing_resends_fin).
    template <class E>
    void resend_fin(const E&) {
        drop = true;
        if (seg && seg->has(RST)) return;
        if (!cfg.prof.challenge_acks || challenge_budget()) emit(ack_segment(tcb.fin_seq, FIN));
    }

    template <class E>
    void report_reset(const E&) { tell(notice_kind::connection_reset); }
    template <class E>
    void report_refused(const E&) { tell(notice_kind::connection_refused); }

    // TIME-WAIT reopened by a new SYN: a fresh TCB as LISTEN would hold it, and an ISS above every
    // sequence number the old connection used (RFC 1122 4.2.2.13), SND.NXT + 65537 as Linux takes.
    template <class E>
    void reopen_from_time_wait(const E& e) {
        const seq_t above = tcb.snd_nxt + 65535 + 2;
        tcb = tcprt::tcb{};
        timers.stop_all();
        tcb.passive_open = true;
        choose_iss(e);
        tcb.iss = tcb.snd_una = tcb.snd_nxt = above;
    }

    // SYN-RECEIVED back to LISTEN: forget the half-open connection, keep listening.
    template <class E>
    void flush_queues(const E&) {
        tcb = tcprt::tcb{};
        tcb.passive_open = true;
        timers.stop_all();
    }

    template <class E>
    void accept_data(const E&) {
        ack_owed = true;
        if (out_of_order) return;  // the ACK asks for RCV.NXT again
        tcb.rcv_nxt += text_len;
        tcb.rcv_unread += text_len;
        tcb.rcv_wnd = cfg.rcv_buffer - tcb.rcv_unread;
        deliver();
    }

    // The FIN takes one sequence number; the user learns that the peer will send no more.
    template <class E>
    void accept_fin(const E&) {
        tcb.rcv_nxt += 1;
        tell(notice_kind::connection_closing);
    }

    template <class E>
    void restart_time_wait_timer(const E&) { start_time_wait_timer(); }

    // ---- actions: timers -----------------------------------------------------------------------

    // Go back to SND.UNA and send the oldest segment again, with the RTO doubled (RFC 6298 5.5).
    template <class E>
    void retransmit_oldest(const E&) {
        ++tcb.retries;
        tcb.rto = std::min(tcb.rto * 2, std::max(cfg.rto_max, duration{1}));
        timers.set(timer::retransmission, now + tcb.rto);
        if (tcb.snd_una == tcb.iss) {
            // Our SYN is unacknowledged: the SYN again, with the ACK if we know the peer's ISN.
            if (current() == state::SYN_SENT)
                emit(segment{tcb.iss, 0, SYN, tcb.rcv_wnd, 0});
            else
                emit(ack_segment(tcb.iss, SYN));
            return;
        }
        const std::uint32_t data_end = tcb.fin_sent ? tcb.fin_seq - tcb.snd_una : tcb.in_flight();
        if (data_end > 0) {
            const std::uint32_t n = std::min(data_end, std::uint32_t{tcb.snd_mss});
            const bool fin = tcb.fin_sent && n == data_end;
            segment s = ack_segment(tcb.snd_una, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));
            s.len = n;
            emit(s);
        } else if (tcb.fin_sent) {
            emit(ack_segment(tcb.fin_seq, FIN));
        } else if (tcb.snd_queued > 0) {
            // Nothing in flight but data waits behind a zero window: probe with one byte.
            try_send();
        }
    }

    template <class E>
    void report_timeout(const E&) { tell(notice_kind::connection_timed_out); }

    // ---- no row ------------------------------------------------------------------------------

    void on_unhandled(tcp::state, tcp::event_id) {
        handled = false;
        ++count.unhandled;
    }
    void on_row(std::size_t row) noexcept { fired_row = row; }
    void on_rejected(tcp::state, tcp::event_id) {
        handled = false;
        ++count.rejected;
    }
};

state connection::current() const noexcept { return static_cast<state>(tcp::current(*machine)); }

template <class E>
void connection::fire(const E& e) {
    const state from = current();
    handled = true;
    fired_row = endpoint::no_row;
    machine->process_event(e);
    if (handled && observer) observer({from, tcp::name(tcp::id_of<E>), current(), fired_row});
}

struct endpoint::impl {
    connection conn;
    machine_type machine;

    explicit impl(config c) : conn(std::move(c)), machine(conn) {
        conn.machine = &machine;
        machine.start();
    }
    // MSM copies the active state; the copy's context pointers must name the copy, not the original.
    impl(const impl& other) : conn(other.conn), machine(other.machine) { bind(); }
    impl& operator=(const impl&) = delete;
    void bind() noexcept {
        conn.machine = &machine;
        machine.ctx_ = &conn;
    }
};

endpoint::endpoint(config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}
endpoint::~endpoint() = default;
endpoint::endpoint(endpoint&&) noexcept = default;
endpoint& endpoint::operator=(endpoint&&) noexcept = default;
endpoint::endpoint(const endpoint& other) : impl_(std::make_unique<impl>(*other.impl_)) {}
endpoint& endpoint::operator=(const endpoint& other) {
    if (this != &other) impl_ = std::make_unique<impl>(*other.impl_);
    return *this;
}

state endpoint::current_state() const noexcept { return impl_->conn.current(); }
const tcprt::tcb& endpoint::tcb() const noexcept { return impl_->conn.tcb; }
std::optional<instant> endpoint::next_timeout() const noexcept { return impl_->conn.timers.next_timeout(); }
const timer_table& endpoint::timers() const noexcept { return impl_->conn.timers; }
const tcprt::counters& endpoint::counters() const noexcept { return impl_->conn.count; }
const config& endpoint::configuration() const noexcept { return impl_->conn.cfg; }

void endpoint::handle_segment(const segment& seg, instant now) { impl_->conn.on_segment(seg, now); }
void endpoint::handle_timeout(instant now) { impl_->conn.on_timeout(now); }

void endpoint::open_passive(instant now) { impl_->conn.call(ev::open_passive{}, now); }
void endpoint::open_active(instant now) { impl_->conn.call(ev::open_active{}, now); }
void endpoint::send(std::uint32_t bytes, instant now) { impl_->conn.call(ev::send{}, now, bytes); }
void endpoint::receive(std::uint32_t max, instant now) { impl_->conn.call(ev::receive{}, now, max); }
void endpoint::close(instant now) { impl_->conn.call(ev::close{}, now); }
void endpoint::abort(instant now) { impl_->conn.call(ev::abort{}, now); }

std::optional<segment> endpoint::poll_transmit() noexcept { return impl_->conn.out.pop(); }
std::optional<notice> endpoint::poll_notice() noexcept { return impl_->conn.notices.pop(); }

endpoint::footprint endpoint::memory_footprint() noexcept {
    return {sizeof(tcprt::tcb), sizeof(machine_type), sizeof(impl) + sizeof(endpoint)};
}

void endpoint::observe(transition_observer obs) { impl_->conn.observer = std::move(obs); }

}  // namespace tcprt
