// Named profiles ("personalities"): each sets the fields its RFC or its stack decides and leaves
// the others as they are, so that "linux,rfc1337" is Linux with tcp_rfc1337=1. docs/runtime.md
// gives the source of every choice.
#include "tcprt/endpoint.hpp"

namespace tcprt {

namespace {

using setter = void (*)(profile&);

struct named {
    profile_info info;
    setter apply;
};

const std::vector<named>& table() {
    static const std::vector<named> all = {
        {{"rfc9293", "RFC 9293 as written: an in-window RST or SYN resets, the SYN offers only the MSS"},
         [](profile& p) { p = profile::rfc9293(); }},
        {{"rfc5961", "challenge ACKs for RST, SYN and out-of-range ACKs, throttled (RFC 5961)"},
         [](profile& p) { p.challenge_acks = true; }},
        {{"rfc1337", "TIME-WAIT ignores RST (RFC 1337, TW1)"}, [](profile& p) { p.time_wait_ignores_rst = true; }},
        {{"rfc7323", "offer window scale and timestamps; PAWS (RFC 7323)"},
         [](profile& p) {
             p.offer.wscale = true;
             p.offer.timestamps = true;
             p.paws = true;
         }},
        {{"rfc2018", "offer SACK-permitted (RFC 2018)"}, [](profile& p) { p.offer.sack_permitted = true; }},
        {{"linux", "Linux defaults: RFC 5961, PAWS, <mss,sackOK,TS,nop,wscale 7>, ECONNREFUSED, TIME-WAIT ACKs text and takes a new SYN"},
         [](profile& p) {
             p = profile::rfc9293();
             p.challenge_acks = true;
             p.paws = true;
             p.syn_sent_rst_refused = true;
             p.time_wait_acks_data = true;
             p.late_rst_reported = true;
             p.time_wait_reopens = true;
             p.offer = {true, true, true, true, 7, option_layout::linux_order};
         }},
        {{"freebsd", "FreeBSD defaults: RFC 5961, RFC 1337, PAWS, <mss,nop,wscale 6,sackOK,TS>, ECONNREFUSED, TIME-WAIT takes a new SYN"},
         [](profile& p) {
             p = profile::rfc9293();
             p.challenge_acks = true;
             p.time_wait_ignores_rst = true;
             p.paws = true;
             p.syn_sent_rst_refused = true;
             p.time_wait_acks_data = true;
             p.time_wait_reopens = true;
             p.offer = {true, true, true, true, 6, option_layout::freebsd_order};
         }},
    };
    return all;
}

}  // namespace

const std::vector<profile_info>& known_profiles() {
    static const std::vector<profile_info> infos = [] {
        std::vector<profile_info> v;
        for (const auto& n : table()) v.push_back(n.info);
        return v;
    }();
    return infos;
}

std::optional<std::string> apply_profiles(std::string_view names, profile& p) {
    if (names.empty()) return std::string("empty profile name");
    std::size_t at = 0;
    for (;;) {
        const std::size_t comma = names.find(',', at);
        const std::string_view name = names.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
        const named* hit = nullptr;
        for (const auto& n : table())
            if (n.info.name == name) hit = &n;
        if (!hit) {
            std::string known;
            for (const auto& n : table()) known += (known.empty() ? "" : ", ") + std::string(n.info.name);
            return "unknown profile '" + std::string(name) + "' (known: " + known + ")";
        }
        hit->apply(p);
        if (comma == std::string_view::npos) return std::nullopt;
        at = comma + 1;
    }
}

}  // namespace tcprt
