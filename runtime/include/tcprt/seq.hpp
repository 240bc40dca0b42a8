// Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4) and the acceptability test of
// Table 6. Comparisons are valid only between numbers less than 2^31 apart, as in every TCP.
#pragma once

#include <cstdint>

namespace tcprt {

using seq_t = std::uint32_t;

// Signed distance from b to a; the cast of the unsigned difference is the whole trick of serial
// number arithmetic (RFC 1982).
constexpr std::int32_t seq_diff(seq_t a, seq_t b) noexcept {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a - b));
}
constexpr bool seq_lt(seq_t a, seq_t b) noexcept { return seq_diff(a, b) < 0; }
constexpr bool seq_le(seq_t a, seq_t b) noexcept { return seq_diff(a, b) <= 0; }
constexpr bool seq_gt(seq_t a, seq_t b) noexcept { return seq_diff(a, b) > 0; }
constexpr bool seq_ge(seq_t a, seq_t b) noexcept { return seq_diff(a, b) >= 0; }
constexpr seq_t seq_max(seq_t a, seq_t b) noexcept { return seq_lt(a, b) ? b : a; }

// lo =< x < lo + size, counted from lo so that the window may wrap past 2^32.
constexpr bool seq_in_window(seq_t x, seq_t lo, std::uint32_t size) noexcept {
    return static_cast<std::uint32_t>(x - lo) < size;
}

// lo =< x =< hi. Prefer this to two comparisons: a number 2^31 away from both ends would pass
// seq_lt(lo, x) and seq_le(x, hi) at once, and a hostile ACK can be exactly that.
constexpr bool seq_between(seq_t lo, seq_t x, seq_t hi) noexcept {
    return static_cast<std::uint32_t>(x - lo) <= static_cast<std::uint32_t>(hi - lo);
}

// RFC 9293 Table 6: may a segment of seg_len sequence numbers (SYN and FIN count one each) that
// starts at seq be processed, given the receive window? The zero cases matter: with a zero window
// only an empty segment exactly at RCV.NXT gets through (it may carry the ACK that opens the window).
constexpr bool segment_acceptable(seq_t seq, std::uint32_t seg_len, seq_t rcv_nxt, std::uint32_t rcv_wnd) noexcept {
    if (seg_len == 0) return rcv_wnd == 0 ? seq == rcv_nxt : seq_in_window(seq, rcv_nxt, rcv_wnd);
    if (rcv_wnd == 0) return false;
    return seq_in_window(seq, rcv_nxt, rcv_wnd) || seq_in_window(seq + seg_len - 1, rcv_nxt, rcv_wnd);
}

}  // namespace tcprt
