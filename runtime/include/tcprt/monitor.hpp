// tcpfsm monitor: follows every TCP connection of a capture from both ends. Segments are grouped by
// connection (the 4-tuple; a new SYN on a used 4-tuple starts a new connection), each end is an
// observed_end driven by the generated machine, and a connection is reported when it is released:
// both ends CLOSED (after a short linger for stragglers), TIME-WAIT run out, idle too long, its
// 4-tuple reused, or the end of the input.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/endpoint.hpp"
#include "tcprt/observer.hpp"
#include "tcprt/segment.hpp"

namespace tcprt::monitor {

enum class role : std::uint8_t { client, server };
std::string_view name(role r) noexcept;

struct options {
    profile prof{};
    duration msl = std::chrono::seconds(30);           // TIME-WAIT lasts 2 MSL (Linux: 60 s)
    duration idle_timeout = std::chrono::seconds(300);  // a connection with no segment this long is released
    duration linger = std::chrono::seconds(2);         // both ends CLOSED: stragglers still belong to it
    // A segment reaches its receiver when the receiver's next segment shows it had it, or at the
    // latest this long after it was captured (docs/runtime.md, "Segments in flight").
    duration max_in_flight = std::chrono::seconds(1);
    // Only connections whose flow hash falls in shard index of count (count 1: all).
    std::uint32_t shard_index = 0, shard_count = 1;
};

// The one-byte fields together: 32 bytes, not 40 (the first 14 of every held connection are kept
// in it, tens of thousands of connections on a long capture).
struct transition {
    instant time;
    std::string_view event;
    role side;
    state from;
    state to;
};

struct anomaly_record {
    instant time;
    role side;   // whose state does not allow the segment
    role sender;
    anomaly kind;
    segment seg;  // as on the wire (window unscaled)
};

enum class release_reason : std::uint8_t { closed, time_wait_over, idle, reused, end_of_input };
std::string_view name(release_reason r) noexcept;

// A connection as reported when it is released.
struct connection_report {
    capture::end_point client, server;
    bool start_seen = false;  // its first SYN was captured
    state client_initial = state::CLOSED, server_initial = state::CLOSED;  // where reporting began
    state client_state = state::CLOSED, server_state = state::CLOSED;       // where it ended
    std::uint64_t bytes[2] = {0, 0};     // new payload bytes sent by client, by server
    std::uint64_t segments[2] = {0, 0};  // segments sent by client, by server
    std::string_view conn_state;         // Zeek's conn_state word (docs/runtime.md)
    instant first{}, last{};
    release_reason reason = release_reason::end_of_input;
    std::vector<transition> transitions;  // state changes only, in order
    std::vector<anomaly_record> anomalies;
    std::uint64_t anomaly_counts[anomaly_count] = {};
};

// The 4-tuple as "a:p-b:q", client first.
std::string conn_name(const connection_report& r);

// The flow hash of --shard: the same for both directions of a connection.
std::uint32_t flow_hash(const capture::end_point& a, const capture::end_point& b) noexcept;

struct tracker_stats {
    std::uint64_t segments = 0;       // segments given to the tracker
    std::uint64_t other_shard = 0;    // of them, left to other shards
    std::uint64_t connections = 0;    // connections started
    std::uint64_t mid_stream = 0;     // of them, picked up after their start
    std::uint64_t live = 0;           // connections held now
    std::uint64_t peak_live = 0;
};

class tracker {
public:
    using sink = std::function<void(connection_report&&)>;
    tracker(options opts, sink on_release);
    ~tracker();
    tracker(const tracker&) = delete;
    tracker& operator=(const tracker&) = delete;

    // Segments in capture order.
    void add(const capture::tcp_packet& p);
    // The end of the input: every connection still held is reported (release_reason::end_of_input).
    void finish();
    const tracker_stats& stats() const noexcept;

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace tcprt::monitor
