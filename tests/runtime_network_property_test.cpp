// Two endpoints, random applications, a lossy, duplicating, reordering network (RapidCheck): every
// run keeps P1 (the TCB invariants and the byte stream) on every state, and its end keeps P2 (a
// graceful close completes: both CLOSED, every byte delivered, no error), P3 (no deadlock) and P4
// (an abort resets the peer unless a segment was lost). Where `tcpfsm explore` tries every ordering
// within small bounds, these runs take one random ordering each with bigger ones: random ISS on
// both sides (often just below 2^32 or 2^31), up to 4 SENDs of up to 24 bytes, segments of 1 to 8
// bytes, up to 4 faults, up to 8 segments in flight each way. docs/verification.md.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "tcprt/explore.hpp"

namespace tcprt {
namespace {

// Anywhere, or a few numbers before the sequence space wraps (2^32) or changes sign (2^31), often
// right at the edge: a SYN at 2^32 - 1 makes SND.NXT wrap to 0 at once.
rc::Gen<seq_t> any_iss() {
    return rc::gen::weightedOneOf<seq_t>(
        {{2, rc::gen::arbitrary<seq_t>()},
         {1, rc::gen::element<seq_t>(0xFFFFFFFFu, 0xFFFFFFFEu, 0xFFFFFFFCu, 0x7FFFFFFFu)},
         {1, rc::gen::inRange<seq_t>(0xFFFFFF80u, 0xFFFFFFFFu)},
         {1, rc::gen::inRange<seq_t>(0x7FFFFF80u, 0x80000000u)}});
}

std::string family(const std::string& name) { return name.substr(0, name.find('/')); }

RC_GTEST_PROP(NetworkProperty, RandomRunsKeepP1AndEndWithP2P3P4, ()) {
    const auto& all = explore::scenarios();
    explore::scenario sc = all[*rc::gen::inRange<std::size_t>(0, all.size())];
    sc.a.sends = *rc::gen::inRange<std::uint8_t>(0, 5);
    if (sc.b.open != explore::side_script::opening::none) sc.b.sends = *rc::gen::inRange<std::uint8_t>(0, 5);
    explore::bounds b;
    b.iss_a = *any_iss();
    b.iss_b = *any_iss();
    b.faults = *rc::gen::inRange<std::uint8_t>(0, 5);
    b.max_retries = static_cast<std::uint8_t>(b.faults + 2);  // losses alone never exhaust the retries
    // A SEND fits in the channel (more would block the run, not test it): at most 3 segments.
    b.capacity = *rc::gen::inRange<std::uint8_t>(3, 9);
    b.mss = *rc::gen::inRange<std::uint32_t>(1, 9);
    b.send_bytes = *rc::gen::inRange<std::uint32_t>(1, 3 * b.mss + 1);
    b.loss = *rc::gen::arbitrary<bool>();
    b.duplicate = *rc::gen::arbitrary<bool>();
    b.reorder = *rc::gen::arbitrary<bool>();
    const auto choices = *rc::gen::container<std::vector<std::uint16_t>>(rc::gen::arbitrary<std::uint16_t>());

    std::size_t next = 0;
    const auto r = explore::walk(sc, b, [&](std::size_t) { return next < choices.size() ? choices[next++] : 0u; });
    RC_TAG(family(sc.name));
    RC_CLASSIFY(b.faults > 0 && b.loss, "lossy");
    for (const auto& f : r.findings) {
        std::string steps;
        for (std::size_t k = 0; k < f.steps.size(); ++k) steps += "\n  " + std::to_string(k + 1) + ". " + f.steps[k];
        if (f.property != "half-open") RC_FAIL(f.property + " in " + sc.name + ": " + f.message + steps);
    }
    // A run stops where nothing is left to happen, or where every move left would overflow a channel
    // (then its end is not judged).
    RC_CLASSIFY(r.blocked, "stopped by the channel capacity");
    RC_ASSERT(r.finished || r.blocked);
}

}  // namespace
}  // namespace tcprt
