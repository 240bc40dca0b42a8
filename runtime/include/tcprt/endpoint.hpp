// The sans-I/O TCP endpoint: one connection of RFC 9293 driven by the machine generated from
// spec/tcp.fsm. In the manner of quinn-proto's Connection, its methods come in four groups:
//   getters       state(), tcb(), next_timeout(), counters()
//   inputs        handle_segment(segment, now), handle_timeout(now)
//   user calls    open_passive, open_active, send, receive, close, abort (each takes now)
//   outputs       poll_transmit() for segments, poll_notice() for errors and delivered data;
//                 the caller drains both until empty after every input or call.
// Nothing here performs I/O, reads a clock, starts a thread or allocates after construction.
// This header does not include Boost.MSM: the machine lives behind a pointer, in endpoint.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "tcprt/ring.hpp"
#include "tcprt/segment.hpp"
#include "tcprt/tcb.hpp"
#include "tcprt/timers.hpp"

namespace tcprt {

// The states of spec/tcp.fsm, in spec order. endpoint.cpp checks at compile time that the generated
// tcp::state has the same names at the same values, so the two cannot drift apart silently.
enum class state : std::uint8_t {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT
};
std::string_view name(state s) noexcept;

// Which optional defences are on. rfc9293() is RFC 9293 as written (an in-window RST or SYN
// resets the connection); rfc5961() adds challenge ACKs for RST and SYN and the ACK range check;
// rfc1337() makes TIME-WAIT ignore RST. The fields combine freely.
struct profile {
    bool challenge_acks = false;         // RFC 5961 sections 3, 4 and 5
    bool time_wait_ignores_rst = false;  // RFC 1337 "TIME-WAIT assassination", fix TW1

    static constexpr profile rfc9293() noexcept { return {}; }
    static constexpr profile rfc5961() noexcept { return {true, false}; }
    static constexpr profile rfc1337() noexcept { return {false, true}; }
};

struct config {
    profile prof{};
    std::uint32_t mss = 1460;           // largest payload per segment we send
    std::uint32_t rcv_buffer = 65535;   // our receive window when nothing is unread
    duration rto_initial = std::chrono::seconds(1);  // RFC 6298 section 2.1
    duration rto_max = std::chrono::seconds(60);
    std::uint8_t max_retries = 5;       // retransmissions of one segment before the connection aborts
    duration user_timeout{0};           // zero: off
    duration msl = std::chrono::seconds(30);
    std::uint32_t challenge_ack_limit = 100;  // per second (RFC 5961 section 7); 0: no limit
    iss_generator iss = clock_iss_generator(0x9e3779b97f4a7c15ull);
};

// What the user is told (RFC 9293 section 3.10 wording where it gives one).
enum class notice_kind : std::uint8_t {
    connection_reset,           // "connection reset"
    connection_refused,         // "connection refused"
    connection_closing,         // "connection closing"
    connection_already_exists,  // "connection already exists"
    connection_does_not_exist,  // "connection does not exist"
    connection_timed_out,       // the user timeout or the retransmission threshold
    data_delivered,             // count bytes handed to the user by a RECEIVE
};
std::string_view message(notice_kind k) noexcept;

struct notice {
    notice_kind kind{};
    std::uint32_t count = 0;  // data_delivered only
    friend constexpr bool operator==(const notice& a, const notice& b) noexcept {
        return a.kind == b.kind && a.count == b.count;
    }
};

// Segments and spec events the endpoint refused to act on. None of these ever changes the TCB.
struct counters {
    std::uint64_t segments_in = 0;
    std::uint64_t segments_out = 0;
    std::uint64_t malformed = 0;     // dropped before classification (impossible numbers)
    std::uint64_t unhandled = 0;     // the machine has no row for (state, event)
    std::uint64_t rejected = 0;      // rows exist, every guard said no
    std::uint64_t output_overflow = 0;  // an output queue was full
};

class endpoint {
public:
    explicit endpoint(config cfg = {});
    ~endpoint();
    // A moved-from endpoint may only be destroyed or assigned to.
    endpoint(endpoint&&) noexcept;
    endpoint& operator=(endpoint&&) noexcept;
    // A copy is an independent connection in the same state (machine, TCB, timers, queued outputs,
    // configuration and observer): `tcpfsm explore` forks a connection to try each possible next input.
    endpoint(const endpoint&);
    endpoint& operator=(const endpoint&);

    // Getters.
    state current_state() const noexcept;
    const tcprt::tcb& tcb() const noexcept;
    std::optional<instant> next_timeout() const noexcept;
    const timer_table& timers() const noexcept;
    const tcprt::counters& counters() const noexcept;
    const config& configuration() const noexcept;

    // Inputs.
    void handle_segment(const segment& seg, instant now);
    // Fires every timer due at now, earliest first.
    void handle_timeout(instant now);

    // User calls (RFC 9293 section 3.10.1 to 3.10.6). Errors come out of poll_notice().
    void open_passive(instant now);
    void open_active(instant now);
    void send(std::uint32_t bytes, instant now);
    // Asks for up to max bytes; what is available now or later comes out as data_delivered.
    void receive(std::uint32_t max, instant now);
    void close(instant now);
    void abort(instant now);

    // Outputs.
    std::optional<segment> poll_transmit() noexcept;
    std::optional<notice> poll_notice() noexcept;

    // The connection's bookkeeping, for tests and the simulator: every transition the machine took.
    struct transition {
        state from;
        std::string_view event;
        state to;
        // The row's index in the generated tcp::transitions[] (spec order): two rows of one state and
        // event may share a target and differ only in their guard.
        std::size_t row = no_row;
    };
    static constexpr std::size_t no_row = static_cast<std::size_t>(-1);
    // Called synchronously for each fired row (internal rows included, from == to); may be empty.
    // It runs in the middle of an input, so it must not call back into the endpoint.
    using transition_observer = std::function<void(const transition&)>;
    void observe(transition_observer obs);

    // Bytes of state per connection (docs/performance.md): the TCB, the generated machine, and all
    // that lives behind the pointer (TCB, timers, output rings, configuration, machine).
    struct footprint {
        std::size_t tcb, machine, total;
    };
    static footprint memory_footprint() noexcept;

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace tcprt
