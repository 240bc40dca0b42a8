// The oracle of the differential tests: a plain interpretation of the checked Model (the checker's
// output, which never went through a backend). tests/msm_tcp_test.cpp runs it against the machine
// generated from spec/tcp.fsm, tests/random_spec/ against machines generated from random specs.
#pragma once

#include "model/model.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
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

// Run to completion (docs/generated-api.md): events raised by actions wait in a queue and are
// interpreted in order after the one being processed. `raise(action)` names the event an action
// raises, if any; at most `budget` are raised (the machine's side stops raising at the same count).
struct Reports {
    std::vector<std::pair<std::size_t, std::size_t>> unhandled, rejected;  // (state, event)
};
using Raise = std::function<std::optional<std::size_t>(std::string_view action)>;

// Interprets the queue; actions logged from `scanned` on may raise more.
inline void drain(const model::Model& m, Interpreted& run, std::deque<std::size_t>& queue, std::size_t scanned,
                  const std::function<bool(std::size_t)>& guard, const Raise& raise, std::size_t& budget, Reports& reports,
                  std::optional<Outcome>* first = nullptr) {
    for (;;) {
        for (; scanned < run.log.size(); ++scanned)
            if (budget > 0)
                if (auto e = raise(run.log[scanned])) {
                    --budget;
                    queue.push_back(*e);
                }
        if (queue.empty()) return;
        const std::size_t e = queue.front(), source = run.state;
        queue.pop_front();
        const Outcome o = interpret(m, run, e, guard);
        if (first && !*first) *first = o;
        if (o == Outcome::unhandled) reports.unhandled.emplace_back(source, e);
        if (o == Outcome::rejected) reports.rejected.emplace_back(source, e);
    }
}

// start(), then what its entry actions raised.
inline Interpreted start_to_completion(const model::Model& m, const std::function<bool(std::size_t)>& guard, const Raise& raise,
                                       std::size_t budget) {
    Interpreted run = start(m);
    std::deque<std::size_t> queue;
    Reports ignored;
    drain(m, run, queue, 0, guard, raise, budget, ignored);
    return run;
}

// One external event and everything it raised; returns that event's own outcome.
inline Outcome interpret_to_completion(const model::Model& m, Interpreted& run, std::size_t event,
                                       const std::function<bool(std::size_t)>& guard, const Raise& raise, std::size_t budget,
                                       Reports& reports) {
    std::deque<std::size_t> queue{event};
    std::optional<Outcome> first;
    drain(m, run, queue, run.log.size(), guard, raise, budget, reports, &first);
    return *first;
}

}  // namespace fsmgen::testing
