// The oracle of the differential tests: a plain interpretation of the checked Model (the checker's
// output, which never went through a backend). tests/msm_tcp_test.cpp runs it against the machine
// generated from spec/tcp.fsm, tests/random_spec/ against machines generated from random specs.
#pragma once

#include "model/model.hpp"

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fsmgen::testing {

enum class Outcome { fired, unhandled, rejected };

struct Interpreted {
    std::size_t state = 0;
    std::vector<std::string> log;  // every action and entry/exit action, in the order run
    std::size_t unhandled = 0;
    std::size_t rejected = 0;
    std::size_t last_row = 0;  // the index in m.transitions of the row that fired last
};

// A fresh run: the initial state, after its entry actions.
inline Interpreted start(const model::Model& m) {
    Interpreted run;
    run.state = m.initial;
    for (std::size_t a : m.states[m.initial].entry) run.log.push_back(m.actions[a]);
    return run;
}

// One event. `guard(g)` answers guard g of the Model (index into m.guards), the same answer for
// every row. A row fires when every literal of its guard holds: exit actions of the source, the
// row's actions, entry actions of the target (an internal row runs only its actions). No row for
// the state and event: unhandled; rows but none enabled: rejected.
inline Outcome interpret(const model::Model& m, Interpreted& run, std::size_t event, const std::function<bool(std::size_t)>& guard) {
    bool any_row = false;
    const model::Transition* fired = nullptr;
    for (std::size_t i = 0; i < m.transitions.size(); ++i) {
        const auto& t = m.transitions[i];
        if (t.source != run.state || t.event != event) continue;
        any_row = true;
        bool enabled = true;
        for (const auto& term : t.guard) enabled = enabled && guard(term.guard) != term.negated;
        if (!enabled) continue;
        if (fired) throw std::logic_error("two rows enabled: the checker's determinism proof is broken");
        fired = &t;
        run.last_row = i;
    }
    if (!fired) {
        ++(any_row ? run.rejected : run.unhandled);
        return any_row ? Outcome::rejected : Outcome::unhandled;
    }
    if (!fired->internal())
        for (std::size_t a : m.states[fired->source].exit) run.log.push_back(m.actions[a]);
    for (std::size_t a : fired->actions) run.log.push_back(m.actions[a]);
    if (!fired->internal())
        for (std::size_t a : m.states[*fired->target].entry) run.log.push_back(m.actions[a]);
    run.state = fired->next();
    return Outcome::fired;
}

}  // namespace fsmgen::testing
