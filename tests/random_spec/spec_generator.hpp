// Random specs that `fsmgen check` must accept, covering the whole language: any number of states,
// events and rows; wildcards with and without exceptions, state sets, guard conjunctions with
// negation, entry/exit actions, internal and ignored rows, self-transitions, final states, nested
// namespaces, event categories of the spec's own, events with fields of many C++ types, events
// that are a type of the user's (user_events.hpp, included) or of the standard library;
// verification statements (safety and liveness properties, instances, channels with their options,
// messages); and adversarial text: docs with every escape, backslashes at the end, trigraphs, bidi
// and other Unicode, names near C++ keywords, macros and the generated header's own names, CRLF
// line ends, comments and blank lines anywhere.
//
// Valid by construction: every state is reached by a spanning tree of rows, every non-final state
// has a way out, final states have no outgoing row (wildcards except them), and two rules that
// share a (state, event) are made exclusive by giving them a guard one requires true and the other
// false. The caller still runs the checker on each spec and treats a rejection as a failure of
// this generator or of the checker.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace fsmgen::testing {

struct RandomSpecOptions {
    std::string namespace_prefix = "rs";  // the first namespace component: unique per spec of a batch
    std::size_t max_states = 12;
    std::size_t max_events = 10;
};

// The text of one spec, a pure function of the generator's state.
std::string random_spec(std::mt19937_64& rng, const RandomSpecOptions& options);

}  // namespace fsmgen::testing
