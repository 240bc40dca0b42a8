// Reads back what SPIN prints when it replays a trail (`spin -t MODEL.pml`) of a model the promela
// backend wrote, and tells it in spec terms: per step the instance, its state, the event, the guard
// answers and the actions; the network's losses, duplicates and reorders; the property violated.
#pragma once

#include "model/model.hpp"

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace fsmgen::promela {

// One line of the trail, parsed: a machine step (`@fsm`) or what the network did to a message (`@net`).
struct TrailStep {
    bool network = false;
    std::size_t instance = 0;  // machine step: who stepped; network: the sender (the channel's from)
    // A machine step: `start -> TARGET / actions` (start), `SOURCE EVENT [guard] -> TARGET / actions`,
    // no `->` for an internal row (to == from), `unhandled` or `rejected` (no row fired, state kept).
    bool start = false;
    std::string from, event, guard, to;
    std::vector<std::string> actions;
    std::string outcome;  // "", "unhandled" or "rejected"
    // A network step: lost, duplicated, reordered, dropped (the send budget was spent); message is an event.
    std::size_t receiver = 0;
    std::string what, message;
};

struct Trail {
    std::vector<TrailStep> steps;  // in the order SPIN printed them
    std::optional<std::size_t> cycle_start;  // index into steps: an acceptance cycle repeats from there
    std::string violated;          // the property, as the spec writes it; empty when none was named
    std::string text;          // the readable trace
    std::size_t machine_steps = 0;  // `@fsm` lines read
    bool violation = false;    // an assertion failed or an acceptance cycle was found
    std::size_t unreadable = 0;  // `@` lines that did not have the expected shape (counted, skipped)
};

Trail read_trail(const model::Model& m, std::istream& spin_output);

// The trail as JSON for other tools (`fsmgen trail --json`; `tcpfsm simulate --trail` replays it on the
// real endpoints): {"machine", "instances", "steps": [...], "cycle_start", "violated", "unreadable"}.
std::string trail_json(const model::Model& m, const Trail& t);

// A property as the spec writes it: "assert never ESTABLISHED after abort without choose_iss".
std::string property_text(const model::Model& m, const model::Safety& p);
std::string property_text(const model::Model& m, const model::Liveness& p);

}  // namespace fsmgen::promela
