// A deterministic network of two endpoints, "a" and "b", with a virtual clock and seeded loss,
// duplication, reordering and delay (quinn's test Pair: step to the next wakeup, drive until idle).
// Small scripted applications sit on top of each endpoint so that scenarios read as stories.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/endpoint.hpp"

namespace tcprt::sim {

struct link {
    double loss = 0;       // probability that a segment disappears
    double duplicate = 0;  // probability that it arrives twice
    double reorder = 0;    // probability that it is held back by an extra 2x delay
    duration delay = std::chrono::milliseconds(10);
    duration jitter{0};    // uniform extra delay in [0, jitter]
};

// What an application does with its endpoint.
struct app {
    enum class open_kind : std::uint8_t { none, passive, active } open = open_kind::none;
    std::uint32_t send_when_established = 0;  // bytes, sent once
    bool close_when_established = false;      // right after the send above
    bool abort_when_established = false;
    bool close_on_peer_close = false;         // CLOSE when told "connection closing"
    bool read_everything = true;              // a RECEIVE big enough for all that arrives
};

struct scenario {
    std::string name;
    std::string description;
    app a, b;
    link net;
    profile prof{};
    // Expected final states, checked by the tests and reported by the CLI.
    state final_a = state::CLOSED;
    state final_b = state::CLOSED;
};

// The scenarios of `tcpfsm simulate --scenario NAME`; the first is the default.
const std::vector<scenario>& scenarios();
const scenario* find_scenario(std::string_view name);

// One thing that happened, in time order.
struct record {
    enum class kind : std::uint8_t { transition, sent, lost, delivered } what{};
    instant t{};
    char endpoint = 'a';  // the endpoint that transitioned, sent, or receives
    endpoint::transition tr{state::CLOSED, {}, state::CLOSED};
    segment seg{};
};

struct result {
    std::vector<record> log;
    state final_a = state::CLOSED;
    state final_b = state::CLOSED;
    std::uint64_t segments_sent = 0, segments_lost = 0;
    bool timed_out = false;  // the run hit the virtual time limit before both sides went idle
};

// Runs the scenario to completion (both endpoints idle, nothing in flight) or until limit.
// Everything random comes from seed: the same seed gives the same run, byte for byte.
result run(const scenario& sc, std::uint64_t seed, duration limit = std::chrono::minutes(30));

// The text report: every state change of both endpoints and a sequence chart of the segments.
std::string render_text(const scenario& sc, const result& r, bool internal_rows);
// One JSON object per line per transition, then one summary object per endpoint.
std::string render_json(const result& r, bool internal_rows);

}  // namespace tcprt::sim
