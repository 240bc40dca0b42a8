// Timers as a small table of optional deadlines (quinn-proto's connection/timer.rs): the endpoint
// sets and stops them, the caller asks for the earliest deadline and calls back at that time.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace tcprt {

// Time is always passed in; nothing here reads a clock. Any epoch will do.
using duration = std::chrono::microseconds;
using instant = std::chrono::time_point<std::chrono::steady_clock, duration>;

enum class timer : std::uint8_t { retransmission, user, time_wait };
inline constexpr std::size_t timer_count = 3;

class timer_table {
public:
    void set(timer t, instant at) noexcept { deadline_[index(t)] = at; }
    void stop(timer t) noexcept { deadline_[index(t)].reset(); }
    void stop_all() noexcept {
        for (auto& d : deadline_) d.reset();
    }
    std::optional<instant> get(timer t) const noexcept { return deadline_[index(t)]; }
    bool armed(timer t) const noexcept { return deadline_[index(t)].has_value(); }

    std::optional<instant> next_timeout() const noexcept {
        std::optional<instant> next;
        for (const auto& d : deadline_)
            if (d && (!next || *d < *next)) next = d;
        return next;
    }
    // The earliest timer due at now, if any; ties go to the lower index (enum order).
    std::optional<timer> expired(instant now) const noexcept {
        std::optional<timer> hit;
        std::optional<instant> when;
        for (std::size_t i = 0; i < timer_count; ++i)
            if (deadline_[i] && *deadline_[i] <= now && (!when || *deadline_[i] < *when)) {
                hit = static_cast<timer>(i);
                when = deadline_[i];
            }
        return hit;
    }

private:
    static constexpr std::size_t index(timer t) noexcept { return static_cast<std::size_t>(t); }
    std::array<std::optional<instant>, timer_count> deadline_{};
};

}  // namespace tcprt
