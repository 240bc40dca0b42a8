// Synthetic, valid specs of any size, for the scaling benchmarks and the compile-cost measurements.
#pragma once

#include <cstddef>
#include <string>

namespace fsmgen::bench {

// Each state gets transitions/states rows on distinct events (deterministic without guards), the
// first to the next state (every state reachable, none without a way out), the others to targets
// drawn from a fixed-seed generator: the same arguments always give the same text. A third of the
// rows carry a guard and every row an action.
std::string synthetic_spec(std::size_t states, std::size_t transitions, const std::string& ns = "synthetic");

}  // namespace fsmgen::bench
