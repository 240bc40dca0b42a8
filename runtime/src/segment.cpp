#include "tcprt/segment.hpp"

#include "tcprt/tcb.hpp"

namespace tcprt {

std::string to_string(const segment& s) {
    std::string out = "<SEQ=" + std::to_string(s.seq) + ">";
    if (s.has(ACK)) out += "<ACK=" + std::to_string(s.ack) + ">";
    out += "<CTL=";
    bool first = true;
    // RFC 9293 writes the control bits in this order ("SYN,ACK", "RST,ACK", "FIN,ACK").
    for (auto [f, n] : {std::pair{SYN, "SYN"}, {FIN, "FIN"}, {RST, "RST"}, {PSH, "PSH"}, {URG, "URG"}, {ACK, "ACK"}}) {
        if (!s.has(f)) continue;
        if (!first) out += ',';
        out += n;
        first = false;
    }
    out += "> wnd=" + std::to_string(s.wnd) + " len=" + std::to_string(s.len);
    if (!s.opts.empty()) out += " <" + to_string(s.opts) + ">";
    return out;
}

iss_generator clock_iss_generator(std::uint64_t secret) {
    // splitmix64 of the secret stands in for RFC 6528's keyed hash of the connection 4-tuple (the
    // endpoint has no addresses); the 4-microsecond clock is RFC 793's.
    std::uint64_t z = secret + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    const auto offset = static_cast<seq_t>(z);
    return [offset](instant now) {
        return static_cast<seq_t>(static_cast<std::uint64_t>(now.time_since_epoch().count()) / 4) + offset;
    };
}

}  // namespace tcprt
