// `tcpfsm simulate --trail`'s input: any bytes as the JSON of `fsmgen trail --json`, then the replay of
// whatever parses on two real endpoints (seeds: tests/fuzz/trail_replay_corpus, a real SPIN trail).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tcprt/trail_replay.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string error;
    const auto t = tcprt::trail::parse(std::string_view(reinterpret_cast<const char*>(data), size), error);
    if (!t) return 0;
    // A small search budget keeps each input fast; the replay must hold to it.
    const auto r = tcprt::trail::replay(*t, 200);
    if (r.followed > r.machine_steps || r.attempts > 201) std::abort();
    return 0;
}
