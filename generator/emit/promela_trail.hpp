// Reads back what SPIN prints when it replays a trail (`spin -t MODEL.pml`) of a model the promela
// backend wrote, and tells it in spec terms: per step the instance, its state, the event, the guard
// answers and the actions; the network's losses, duplicates and reorders; the property violated.
#pragma once

#include "model/model.hpp"

#include <istream>
#include <string>

namespace fsmgen::promela {

struct Trail {
    std::string text;          // the readable trace
    std::size_t steps = 0;     // machine steps (`@fsm` lines)
    bool violation = false;    // an assertion failed or an acceptance cycle was found
    std::size_t unreadable = 0;  // `@` lines that did not have the expected shape (counted, skipped)
};

Trail read_trail(const model::Model& m, std::istream& spin_output);

// A property as the spec writes it: "assert never ESTABLISHED after abort without choose_iss".
std::string property_text(const model::Model& m, const model::Safety& p);
std::string property_text(const model::Model& m, const model::Liveness& p);

}  // namespace fsmgen::promela
