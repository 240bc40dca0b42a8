// One end of a TCP connection as a passive observer sees it on the wire: the machine generated from
// spec/tcp.fsm, driven by the segments this end sent and those it received. Unlike tcprt::endpoint,
// which chooses its sequence numbers, windows and segments, an observed end chooses nothing: its
// numbers are learnt from the wire, and each segment it sends is explained as the user call or timer
// that made it (a SYN is OPEN, a FIN is CLOSE, an unprovoked RST is ABORT, new data is SEND), or as
// the output of a row that already fired (a SYN-ACK, an ACK, a RST owed to a segment).
// This header does not include Boost.MSM: the machine is in observer.cpp, built in storage inside the
// object (so that a connection and its two ends are one allocation, which the monitor reads on every
// segment). The machine and its Context refer to each other: an observed_end does not move.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "tcprt/endpoint.hpp"
#include "tcprt/segment.hpp"
#include "tcprt/timers.hpp"

namespace tcprt {

// Segments that the state of the end that sent or received them does not allow.
enum class anomaly : std::uint8_t {
    data_after_fin,      // new data sent after the sender's own FIN
    ack_of_unsent_data,  // an ACK above what the receiver has sent (section 3.10.7.4, step 4)
    rst_out_of_window,   // a RST that fails the receiver's sequence check
    unexplained,         // a segment the sender's state cannot have produced (no call, timer or row explains it)
};
inline constexpr std::size_t anomaly_count = 4;
std::string_view name(anomaly a) noexcept;

class observed_end {
public:
    // The window scale that applies to the windows this end advertises and the one its peer
    // advertises (RFC 7323: only when both SYNs carried the option; 0 otherwise).
    explicit observed_end(profile prof = {}, duration msl = std::chrono::seconds(30));
    ~observed_end();
    observed_end(observed_end&&) = delete;
    observed_end& operator=(observed_end&&) = delete;
    observed_end(const observed_end&) = delete;
    observed_end& operator=(const observed_end&) = delete;

    // What one input did: every row the machine fired (internal ones too, from == to), in order,
    // and the anomalies it showed.
    struct outcome {
        static constexpr std::size_t max_rows = 8;
        // A row that fired. Trivial to construct (no default member initializer, no string_view,
        // whose constructor zeroes it), so that making an outcome, two per segment, leaves the rows
        // alone: only the first count are ever read, and endpoint::transition's initializers were
        // 24 stores per outcome.
        struct row {
            state from, to;
            std::uint8_t event_size;
            const char* event_data;
            std::string_view event() const noexcept { return {event_data, event_size}; }
        };
        std::array<row, max_rows> rows;  // the first count are set
        std::uint8_t count = 0;
        std::uint8_t anomalies = 0;  // bit (1 << anomaly)
        bool has(anomaly a) const noexcept { return (anomalies >> static_cast<unsigned>(a)) & 1u; }
    };

    state current_state() const noexcept;

    // The window fields of the segments passed in are raw; these shifts scale them (set once the
    // SYNs are known, RFC 7323 section 2.3: never applied to a SYN's own window).
    void set_window_shifts(std::uint8_t own, std::uint8_t peer) noexcept;

    // The ISS that the next LISTEN + seg_syn chooses: the sequence number of the SYN-ACK that showed
    // the end was listening (its SYN arrives before its answer is explained).
    void expect_iss(seq_t iss) noexcept;
    // Forgets the receive window announced so far: after a handshake the monitor made up for a
    // connection picked up mid-stream, no window is known until the end announces one.
    void forget_window() noexcept;

    // This end sent s.
    outcome sent(const segment& s, instant now);
    // s arrived at this end.
    outcome received(const segment& s, instant now);
    // The passive OPEN of a listening end, assumed when a SYN reaches it and it answers.
    outcome open_passive(instant now);
    // Timers that ran out by now (only TIME-WAIT's 2MSL: the others depend on the sender's clock,
    // which the wire does not show).
    outcome advance(instant now);
    // When TIME-WAIT ends, if this end is in it.
    std::optional<instant> time_wait_deadline() const noexcept;

    // Bytes of new data this end sent (retransmissions not counted).
    std::uint64_t bytes_sent() const noexcept;

    struct impl;

private:
    // observer.cpp checks that the machine fits; no more than it takes (288 bytes): two of them are
    // in every connection held, tens of thousands on a long capture.
    static constexpr std::size_t impl_size = 288;
    alignas(16) unsigned char storage_[impl_size];
    impl& self() noexcept;
    const impl& self() const noexcept;
};

}  // namespace tcprt
