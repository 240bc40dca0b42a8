// A SPIN counterexample of the two-endpoint TCP composition, replayed on two real endpoints
// (`tcpfsm simulate --trail FILE`, FILE from `fsmgen trail --json`).
//
// SPIN's model is abstract: guards are free choices, one message per sending action, no sequence
// numbers, data or deadlines (docs/verification.md). A trail is therefore a claim about the real
// stack, not a run of it. The replay checks the claim step by step: for each machine step of the
// trail it looks for the input that makes the real side take that same row (from, event, to) -- the
// user call, the delivery of one of the segments the peer really has in flight, the expiry of the
// named timer -- and follows the network's losses and duplicates on real segments. Where several
// inputs fit (which in-flight segment, which one is lost), it searches, backtracking, for a choice
// that lets the rest of the trail follow. The first step that no choice can follow is the departure:
// there the abstract model chose something the real endpoints do not do (a guard answer their
// sequence numbers refuse, or a spec row the runtime does not have).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/sim.hpp"

namespace tcprt::trail {

struct step {
    enum class kind : std::uint8_t { start, machine, network } what{};
    std::size_t side = 0;  // machine and start: who steps (0 = a); network: the sender
    // machine: the row as the spec writes it (to == from for an internal row); outcome "unhandled" or
    // "rejected" when no row fired
    std::string from, event, guard, to, outcome;
    // network: lost, duplicated, reordered or dropped, and the message (a segment event of the peer)
    std::string network, message;
    std::string text() const;  // as `fsmgen trail` prints it
};

struct trail {
    std::vector<step> steps;
    std::optional<std::size_t> cycle_start;  // an acceptance cycle repeats from this step on
    std::string violated;                    // the property, as the spec writes it
};

// The JSON of `fsmgen trail --json` of a two-instance composition of spec/tcp.fsm.
std::optional<trail> parse(std::string_view json, std::string& error);

enum class input_kind : std::uint8_t { call, deliver, lose, duplicate, timeout };
struct input {
    input_kind kind{};
    std::uint8_t side = 0;  // who is called or whose timer expires; for segments, the sender
    std::uint8_t slot = 0;  // which in-flight segment of `side`, in the order sent
    std::string event;      // call and timeout: the spec event (open_active, time_wait_timeout, ...)
};

struct result {
    std::size_t machine_steps = 0;  // the trail's steps as `fsmgen trail` numbers them (start lines too)
    std::size_t followed = 0;       // how many of them the real endpoints took, in order
    std::vector<input> inputs;      // the inputs that made them
    sim::result run;                // what the real endpoints did on those inputs (for the chart)
    std::string departure;          // empty when every step was followed; else the first step not
                                    // followed, and what the real side did on each input tried
    std::size_t attempts = 0;       // replays the search made
};

// `max_attempts` bounds the search (each attempt replays a prefix from the start).
result replay(const trail& t, std::size_t max_attempts = 20000);

}  // namespace tcprt::trail
