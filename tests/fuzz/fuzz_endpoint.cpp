// Any sequence of user calls, segments (any flags, any numbers) and time steps, on a pair of endpoints
// under any profile: the runtime must never crash, trip a sanitizer, or leave an impossible state.
// Half of the segments are forged from the input bytes, half are the peer's real output (possibly
// delayed, duplicated or dropped), so that the fuzzer reaches the synchronized states.
#include "tcprt/endpoint.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>

namespace {

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool empty() const { return at_ >= size_; }
    template <class T>
    T take() {
        T value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>((value << 8) | (at_ < size_ ? data_[at_++] : 0));
        return value;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

tcprt::profile profile_from(std::uint8_t b) {
    static const char* const names[] = {"rfc9293", "rfc5961", "rfc1337", "linux", "freebsd", "rfc5961,rfc1337,rfc7323,rfc2018"};
    tcprt::profile p;
    tcprt::apply_profiles(names[b % 6], p);
    return p;
}

void check(const tcprt::endpoint& e) {
    if (static_cast<int>(e.current_state()) > static_cast<int>(tcprt::state::TIME_WAIT)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    tcprt::config cfg;
    cfg.prof = profile_from(in.take<std::uint8_t>());
    cfg.iss = [](tcprt::instant) { return tcprt::seq_t{1000}; };
    std::array<tcprt::endpoint, 2> ends{tcprt::endpoint(cfg), tcprt::endpoint(cfg)};
    std::array<std::deque<tcprt::segment>, 2> wire;  // wire[i]: segments sent by endpoint i
    tcprt::instant now{};

    for (int ops = 0; !in.empty() && ops < 4096; ++ops) {
        const auto op = in.take<std::uint8_t>();
        const std::size_t who = op >> 7;
        auto& e = ends[who];
        switch (op % 12) {
            case 0: e.open_passive(now); break;
            case 1: e.open_active(now); break;
            case 2: e.send(in.take<std::uint16_t>(), now); break;
            case 3: e.receive(in.take<std::uint16_t>(), now); break;
            case 4: e.close(now); break;
            case 5: e.abort(now); break;
            case 6: {  // a forged segment
                tcprt::segment s;
                s.seq = in.take<std::uint32_t>();
                s.ack = in.take<std::uint32_t>();
                s.flags = in.take<std::uint8_t>();
                s.wnd = in.take<std::uint16_t>();
                s.len = in.take<std::uint32_t>();
                // any option bytes, well formed or not
                std::uint8_t opts[tcprt::max_option_bytes];
                const std::size_t n = in.take<std::uint8_t>() % (tcprt::max_option_bytes + 1);
                for (std::size_t i = 0; i < n; ++i) opts[i] = in.take<std::uint8_t>();
                s.opts.assign(opts, n);
                e.handle_segment(s, now);
                break;
            }
            case 7:  // deliver the peer's oldest segment
            case 8:
                if (!wire[1 - who].empty()) {
                    e.handle_segment(wire[1 - who].front(), now);
                    if (op % 12 == 7) wire[1 - who].pop_front();  // 8 delivers a duplicate
                }
                break;
            case 9:  // the network loses the peer's oldest segment
                if (!wire[1 - who].empty()) wire[1 - who].pop_front();
                break;
            case 10: {  // time passes; due timers fire
                now += std::chrono::milliseconds(in.take<std::uint16_t>()) * 8;
                for (auto& end : ends)
                    if (auto due = end.next_timeout(); due && *due <= now) end.handle_timeout(now);
                break;
            }
            case 11: {  // a forged segment near the peer's real numbers
                tcprt::segment s = wire[1 - who].empty() ? tcprt::segment{} : wire[1 - who].back();
                s.seq += static_cast<std::int8_t>(in.take<std::uint8_t>());
                s.ack += static_cast<std::int8_t>(in.take<std::uint8_t>());
                s.flags ^= in.take<std::uint8_t>();
                e.handle_segment(s, now);
                break;
            }
        }
        for (std::size_t i = 0; i < 2; ++i) {
            while (auto s = ends[i].poll_transmit())
                if (wire[i].size() < 256) wire[i].push_back(*s);
            while (ends[i].poll_notice()) {
            }
            check(ends[i]);
        }
    }
    return 0;
}
