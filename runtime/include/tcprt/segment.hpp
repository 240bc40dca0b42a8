// A TCP segment as the endpoint sees it: header numbers and a payload length. The payload itself
// never passes through the endpoint (sans-I/O: the caller owns the bytes), only how many there are.
#pragma once

#include <cstdint>
#include <string>

#include "tcprt/options.hpp"
#include "tcprt/seq.hpp"

namespace tcprt {

// The wire bit values, so that a caller that parses real headers can copy the flags byte across.
enum flag : std::uint8_t { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20 };

struct segment {
    seq_t seq = 0;
    seq_t ack = 0;
    std::uint8_t flags = 0;
    std::uint32_t wnd = 0;  // the window field as on the wire (RFC 7323: scaled by the receiver)
    std::uint32_t len = 0;  // payload bytes
    option_bytes opts{};    // the options, as on the wire

    constexpr bool has(flag f) const noexcept { return (flags & f) != 0; }
    // SEG.LEN: the payload plus one for SYN and one for FIN. 64 bits: a hostile len may be near 2^32.
    constexpr std::uint64_t seg_len() const noexcept {
        return std::uint64_t{len} + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }
    friend bool operator==(const segment& a, const segment& b) noexcept {
        return a.seq == b.seq && a.ack == b.ack && a.flags == b.flags && a.wnd == b.wnd && a.len == b.len &&
               a.opts == b.opts;
    }
    friend bool operator!=(const segment& a, const segment& b) noexcept { return !(a == b); }
};

// RFC notation, "<SEQ=100><ACK=301><CTL=SYN,ACK>", then the window and the payload length; the ACK
// field is printed only when the ACK bit is set, as the RFC does; options follow in packetdrill's notation.
std::string to_string(const segment& s);

}  // namespace tcprt
