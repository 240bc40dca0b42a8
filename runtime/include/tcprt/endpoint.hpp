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
#include <string>
#include <string_view>
#include <vector>

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

// The TCP options our SYN offers and how a segment lays them out (tcprt/options.hpp). Each option
// is used only when both SYNs carry it (RFC 7323 sections 2.2 and 3.2, RFC 2018 section 2); the
// MSS is always sent, and the peer's caps our segments (RFC 9293 section 3.7.1; 536 without one).
enum class option_layout : std::uint8_t {
    aligned,  // mss, nop+wscale, nop+nop+sackOK, nop+nop+TS: each option ends on a 32-bit boundary
    linux_order,    // Linux tcp_options_write(): mss, sackOK+TS (or nop+nop+TS), nop+nop+sackOK, nop+wscale
    freebsd_order,  // FreeBSD tcp_addoptions(): mss, nop+wscale, sackOK, TS (padded to %4 == 2), EOL padding
};
struct option_offer {
    bool mss = true;
    bool wscale = false;
    bool sack_permitted = false;
    bool timestamps = false;
    std::uint8_t wscale_shift = 7;  // our shift when window scaling is on
    option_layout layout = option_layout::aligned;
};

// Which optional defences and which of the choices the RFCs leave open are on; docs/runtime.md
// gives the source of each. rfc9293() is RFC 9293 as written (an in-window RST or SYN resets the
// connection); the fields combine freely, and apply_profiles() combines named sets of them.
struct profile {
    bool challenge_acks = false;         // RFC 5961 sections 3, 4 and 5, throttled as its section 7 says
    bool time_wait_ignores_rst = false;  // RFC 1337 "TIME-WAIT assassination", fix TW1
    bool paws = false;                   // RFC 7323 section 5: drop segments with an old TSval
    bool syn_reset_from_segment = false; // in-window SYN without RFC 5961: the RST is formed from the SYN as
                                         // RFC 793's reset rule says (RST+ACK for a SYN without ACK), not <SEQ=SND.NXT>
    bool closing_resends_fin = false;    // CLOSING answers an unacceptable segment with its FIN again
    bool time_wait_acks_data = false;    // TIME-WAIT ACKs an acceptable segment that carries text
    bool late_rst_reported = false;      // a RST in CLOSING or LAST-ACK is reported as "connection reset"
    bool syn_sent_rst_refused = false;   // a RST in SYN-SENT is "connection refused", not "connection reset"
    bool time_wait_reopens = false;      // TIME-WAIT takes a new SYN beyond RCV.NXT or with a newer TSval (MAY-2)
    option_offer offer{};

    static constexpr profile rfc9293() noexcept { return {}; }
    static constexpr profile rfc5961() noexcept { return {true, false}; }
    static constexpr profile rfc1337() noexcept { return {false, true}; }
};

// Applies comma-separated named profiles left to right to p: "rfc9293" resets to RFC 9293 as
// written; "rfc5961", "rfc1337", "rfc7323" (window scale, timestamps, PAWS), "rfc2018" (SACK-permitted)
// add what their RFC says; "linux" and "freebsd" are those stacks' defaults. Returns the error
// (an unknown name), or nothing.
std::optional<std::string> apply_profiles(std::string_view names, profile& p);
// The names apply_profiles() knows, with one line each.
struct profile_info {
    std::string_view name;
    std::string_view description;
};
const std::vector<profile_info>& known_profiles();

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
    std::uint32_t ts_offset = 0;        // TSval = milliseconds of the clock input + ts_offset (RFC 7323 5.4)
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
