// Exhaustive exploration of two real endpoints and the network between them (`tcpfsm explore`).
//
// A state of the exploration is the pair of endpoints (each the real tcprt::endpoint driving the
// machine generated from spec/tcp.fsm), the segments in flight each way, how far each side's
// application got through its script, and the faults used so far. From a state every possible next
// move is tried on a copy: the next user call of either side, the delivery of any segment in flight
// (any of them when reordering is on, else the oldest), its loss or duplication (within the fault
// budget) and the expiry of a timer. Segments take no time; a timer may expire only when no segment
// is in flight (an RTO longer than the round trip, 2MSL longer than any segment lives), and by
// default the earliest deadline of the two sides goes first. States are deduplicated by a 64-bit
// fingerprint of their canonical form (deadlines relative to the clock, the channel sorted when
// reordering is on); the
// visited set keeps the fingerprint and, per state, its parent and the move that reached it, so
// every finding comes with a shortest trace. docs/verification.md describes the properties.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/endpoint.hpp"
#include "tcprt/sim.hpp"

namespace tcprt::explore {

// What one side's application does, in order: open (before the run begins), send `sends` times,
// then close or abort.
// A passive side sends and ends only once its connection was established (an accept() returned);
// an active side may send as soon as it opened (the data waits for the handshake); both end only
// once established. An application that was told of an error makes no further calls.
struct side_script {
    enum class opening : std::uint8_t { none, passive, active };
    enum class ending : std::uint8_t { none, close, abort };
    opening open = opening::none;
    std::uint8_t sends = 0;
    ending end = ending::none;
};

struct scenario {
    std::string name;
    std::string description;
    side_script a, b;
};

// The default scenarios: client/server with either side, or both, closing; simultaneous open;
// abort; connect to a closed port; each with 0, 1 or 2 sends per side.
const std::vector<scenario>& scenarios();
std::vector<scenario> find_scenarios(std::string_view name_or_prefix);

struct bounds {
    std::uint8_t capacity = 2;       // segments in flight per direction (more blocks the move)
    bool loss = true;
    bool duplicate = true;
    bool reorder = true;
    std::uint8_t faults = 1;         // losses plus duplications in one run
    std::uint32_t send_bytes = 3;    // bytes per SEND call
    std::uint32_t mss = 2;           // so that one SEND makes two segments
    std::uint8_t max_retries = 3;    // above the fault budget: a lost segment never aborts a run
    profile prof{};
    // a's first data byte is at 2^32 - 1: its sequence numbers wrap during the run.
    seq_t iss_a = 0xFFFFFFFEu;
    seq_t iss_b = 0x7FFFFFF0u;
    std::uint64_t max_states = 0;    // per scenario; 0: no limit
    // deadline: one clock for both sides, the earliest deadline expires first (ties either way);
    // any: either side's earliest timer may expire next, however far off (docs/verification.md).
    enum class timer_order : std::uint8_t { deadline, any } timers = timer_order::deadline;
};

enum class move_kind : std::uint8_t { call, deliver, lose, duplicate, timeout };
struct move {
    move_kind kind{};
    std::uint8_t side = 0;  // who calls or whose timer expires; for segments, the sender
    std::uint8_t slot = 0;  // which segment in flight from `side` (in canonical order)
    friend bool operator==(const move& x, const move& y) noexcept {
        return x.kind == y.kind && x.side == y.side && x.slot == y.slot;
    }
};

// A path from the initial state of a scenario: replayable by replay() and `tcpfsm simulate --trace`.
struct trace {
    scenario sc;
    bounds limits;
    std::vector<move> moves;
};

struct finding {
    std::string property;  // P1 .. P4, "deadlock", "half-open"
    std::string message;   // what is wrong, in the final state of the trace
    trace path;            // a shortest one
    std::vector<std::string> steps;  // the moves of path in words, segments in RFC notation
    std::uint64_t count = 1;  // states with the same finding (same property and message)
};

struct scenario_summary {
    std::string name;
    std::uint64_t states = 0, edges = 0, depth = 0, terminal = 0, cut = 0;
};

struct report {
    std::uint64_t states = 0;    // distinct states, all scenarios
    std::uint64_t edges = 0;     // moves tried that produced a state (new or not)
    std::uint64_t depth = 0;     // longest shortest path
    std::uint64_t terminal = 0;  // states without moves
    std::uint64_t cut = 0;       // states whose only moves would overflow a channel
    std::uint64_t peak_frontier = 0;
    double seconds = 0;
    std::size_t bytes_per_state = 0;     // visited set plus parent records, per state
    std::size_t bytes_per_frontier_state = 0;  // a full state waiting to be expanded
    std::vector<std::uint64_t> row_hits;  // per row of tcp::transitions[]
    std::vector<scenario_summary> per_scenario;
    std::vector<finding> deadlocks, violations, half_open;
    bool truncated = false;  // max_states was reached somewhere

    std::size_t transitions_total() const noexcept { return row_hits.size(); }
    std::size_t transitions_covered() const noexcept;
};

struct progress {
    std::string_view scenario;
    std::uint64_t states, frontier, depth;
    double seconds;
};

report run(const std::vector<scenario>& scs, const bounds& b, const std::function<void(const progress&)>& tell = {});

// One run of a scenario in which `choose` picks each next move among the possible ones (by index,
// modulo their number) until none is left or `max_moves` were made. Every state is checked as in
// run(), and so is the last one (P2, P3, P4) when no move is left. For property tests: random
// choices, random ISS and bigger budgets than an exhaustive run can afford.
struct walk_result {
    std::vector<finding> findings;  // each with the trace of the walk up to where it was seen
    std::size_t moves = 0;
    bool finished = false;          // no move was left (the end states were checked)
    bool blocked = false;           // moves were left, but each would overflow a channel
    state final_a = state::CLOSED, final_b = state::CLOSED;
    std::vector<std::uint64_t> row_hits;
};
walk_result walk(const scenario& sc, const bounds& b, const std::function<std::size_t(std::size_t)>& choose,
                 std::size_t max_moves = 10000);

// The spec row behind an index of row_hits: "SOURCE + event [guard] -> TARGET".
std::string describe_row(std::size_t row);

// Text and JSON renderings of a report, and of and from a trace.
std::string render_text(const report& r, bool list_rows);
std::string render_json(const report& r);
std::string trace_json(const trace& t);
std::optional<trace> parse_trace(std::string_view json, std::string& error);

// Replays a trace as a simulator run (transitions, segments sent, lost and delivered), for the
// sequence chart of `tcpfsm simulate --trace`. Fails when a move is not possible where it is made.
std::optional<sim::result> replay(const trace& t, std::string& error);

}  // namespace tcprt::explore
