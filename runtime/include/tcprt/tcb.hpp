// The transmission control block: numbers only. Which state the connection is in lives in the
// generated machine, never here.
#pragma once

#include <cstdint>
#include <functional>

#include "tcprt/seq.hpp"
#include "tcprt/timers.hpp"

namespace tcprt {

// Members are ordered by size, not by topic, so that little padding creeps in.
struct tcb {
    // Send sequence space (RFC 9293 Figure 3).
    seq_t iss = 0;
    seq_t snd_una = 0;
    seq_t snd_nxt = 0;
    std::uint32_t snd_wnd = 0;
    seq_t snd_wl1 = 0;  // SEG.SEQ of the segment that last updated SND.WND
    seq_t snd_wl2 = 0;  // SEG.ACK of that segment
    std::uint32_t max_snd_wnd = 0;  // RFC 5961 section 5: the largest window the peer ever offered

    // Receive sequence space (RFC 9293 Figure 4).
    seq_t irs = 0;
    seq_t rcv_nxt = 0;
    std::uint32_t rcv_wnd = 0;

    // The send buffer: bytes the user handed over that were not sent yet; whether a FIN follows them
    // (the user closed), and once the FIN went out, its sequence number fin_seq.
    std::uint32_t snd_queued = 0;
    seq_t fin_seq = 0;

    // The receive buffer: bytes received and acknowledged but not yet read, and how many bytes of
    // RECEIVE calls wait for data.
    std::uint32_t rcv_unread = 0;
    std::uint32_t rcv_requested = 0;

    // RFC 5961 section 7: challenge ACKs sent in the one-second interval that began at challenge_since.
    std::uint32_t challenge_acks = 0;

    bool fin_queued = false;
    bool fin_sent = false;
    // RFC 9293 section 3.3.2: SYN-RECEIVED must know whether it came from LISTEN.
    bool passive_open = false;
    // Retransmissions of the oldest segment since SND.UNA last advanced, and the current RTO.
    std::uint8_t retries = 0;
    duration rto{0};

    instant challenge_since{};

    // Options (RFC 7323, RFC 2018), fixed by the two SYNs: TS.Recent and Last.ACK.sent (RFC 7323
    // section 4.3), text that came with a SYN and waits for ESTABLISHED (RFC 9293 3.10.7.2/3), the
    // effective send MSS, the shift counts of both directions, and what is on.
    std::uint32_t ts_recent = 0;
    seq_t last_ack_sent = 0;
    std::uint32_t syn_text = 0;
    std::uint16_t snd_mss = 536;
    std::uint8_t snd_shift = 0;  // applied to the windows the peer sends
    std::uint8_t rcv_shift = 0;  // applied to the windows we send
    bool wscale_on = false;
    bool timestamps_on = false;
    bool sack_on = false;

    // Bytes (and SYN/FIN) sent and not acknowledged.
    constexpr std::uint32_t in_flight() const noexcept { return snd_nxt - snd_una; }
};

// Chooses the initial send sequence number. The default follows RFC 6528 in spirit (a 4-microsecond
// clock plus a per-endpoint secret); tests plug in a constant.
using iss_generator = std::function<seq_t(instant now)>;
iss_generator clock_iss_generator(std::uint64_t secret);
inline iss_generator fixed_iss(seq_t iss) {
    return [iss](instant) { return iss; };
}

}  // namespace tcprt
