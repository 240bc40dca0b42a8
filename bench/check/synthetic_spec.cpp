#include "synthetic_spec.hpp"

#include <random>

namespace fsmgen::bench {

std::string synthetic_spec(std::size_t states, std::size_t transitions, const std::string& ns) {
    std::size_t per_state = transitions / states > 0 ? transitions / states : 1;
    std::mt19937 rng(42);
    std::string out = "machine synthetic \"" + std::to_string(states) + " states, " + std::to_string(transitions) +
                      " transitions\"\nnamespace " + ns + "\nevents {\n  user:";
    for (std::size_t j = 0; j < per_state; ++j) out += (j ? ", e" : " e") + std::to_string(j);
    out += "\n}\ninitial state S0 \"the first state\"\n";
    for (std::size_t i = 1; i < states; ++i) out += "state S" + std::to_string(i) + " \"state number " + std::to_string(i) + "\"\n";
    std::size_t written = 0;
    for (std::size_t i = 0; i < states && written < transitions; ++i) {
        for (std::size_t j = 0; j < per_state && written < transitions; ++j, ++written) {
            std::size_t target = j == 0 ? (i + 1) % states : rng() % states;
            out += "S" + std::to_string(i) + " + e" + std::to_string(j);
            if (j % 3 == 2) out += " [g" + std::to_string(j % 20) + "]";
            out += " / act" + std::to_string(written % 100) + " -> S" + std::to_string(target) + "\n";
        }
    }
    return out;
}

}  // namespace fsmgen::bench
