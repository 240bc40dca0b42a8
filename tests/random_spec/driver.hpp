// Included by the batch translation unit that random_spec_tool writes (one generated header per
// random spec): walks each generated machine on random events and prints what it did, one line per
// step, for `random_spec_tool compare` to replay on the Model interpreter. Needs only the API of the
// generated headers (docs/generated-api.md), so any C++ target with that API can be walked.
//
// Trace lines (indices are spec order, as in the enums):
//   W <spec> <walk> <state> [<log>...]                                 a fresh machine, after start()
//   S <spec> <event> <answers> <handled> <state> <unhandled> <rejected> [<log>...]  one event
// <answers>: 64 bits, bit guard_bit(name) answers guard `name`; <handled>: MSM's HandledEnum;
// <unhandled>/<rejected>: "-", the state and event the report named ("3:1"), or "N-reports" when
// raised events made several. <log> and <state> include what raised events did.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

namespace rs_driver {

// Which bit of a step's answers answers a guard: by name, so that the machine (which asks by name)
// and the interpreter (which knows guards by index) agree without sharing a table.
inline unsigned guard_bit(std::string_view name) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<unsigned>(h % 64);
}

// splitmix64: the same sequence under every compiler and standard library.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

template <class Report>
void print_report(std::FILE* out, const std::vector<Report>& reports, std::size_t before) {
    if (reports.size() == before) std::fprintf(out, " -");
    else if (reports.size() == before + 1)
        std::fprintf(out, " %zu:%zu", static_cast<std::size_t>(reports.back().source), static_cast<std::size_t>(reports.back().event));
    else std::fprintf(out, " %zu-reports", reports.size() - before);
}

template <class Log>
void print_log(std::FILE* out, const Log& log) {
    for (const auto& name : log) std::fprintf(out, " %.*s", static_cast<int>(name.size()), name.data());
    std::fprintf(out, "\n");
}

// Raised events (run to completion, docs/generated-api.md): an action whose name hashes so (about
// one in four) raises the event its hash names, from inside the machine, through dispatch(); at most
// `raise_budget` events per external event (and per start()), so that a walk cannot run away. The
// compare side (model_interpreter.hpp) raises the same events in the same order.
inline constexpr std::size_t raise_budget = 3;
inline bool raises(std::string_view action, std::size_t event_count, std::size_t& event) {
    std::uint64_t h = 0x7261697365ull;  // "raise"
    for (char c : action) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    if (h % 4 != 0) return false;
    event = static_cast<std::size_t>((h / 4) % event_count);
    return true;
}

// Sets the bits that make every literal of a row's guard ("a && !b") hold.
inline std::uint64_t satisfying(std::uint64_t answers, std::string_view guard) {
    while (!guard.empty()) {
        const auto end = guard.find(" && ");
        std::string_view literal = guard.substr(0, end);
        const bool negated = !literal.empty() && literal[0] == '!';
        if (negated) literal.remove_prefix(1);
        const std::uint64_t bit = std::uint64_t{1} << guard_bit(literal);
        answers = negated ? answers & ~bit : answers | bit;
        guard = end == std::string_view::npos ? std::string_view() : guard.substr(end + 4);
    }
    return answers;
}

// `walks` fresh machines, `steps` events in all. Events are drawn mostly (85%) from the rows of the
// current state, weighted by their number, and then mostly (70%) with guard answers that let that
// row fire, so that walks go deep instead of bouncing off unhandled events and rejecting guards;
// the rest uniformly from all events with random answers. A walk that reaches a state without rows
// (a final state) tries two more events there and makes way for a fresh machine.
template <class Context, template <class> class Machine, class EventId, class Row, std::size_t Rows>
void walk(std::FILE* out, std::size_t spec, const std::array<Row, Rows>& rows, std::size_t event_count, std::uint64_t seed, std::size_t walks,
          std::size_t steps) {
    Rng rng{seed};
    std::size_t walk_number = 0;
    for (std::size_t budget = walks * steps; budget > 0;) {
        std::uint64_t answers = 0;
        Context ctx{[&answers](std::string_view guard, auto, auto) { return ((answers >> guard_bit(guard)) & 1u) != 0; }};
        Machine<Context> m{ctx};
        std::size_t raises_left = raise_budget;
        ctx.on_action = [&](std::string_view action) {
            std::size_t raised = 0;
            if (raises_left > 0 && raises(action, event_count, raised)) {
                --raises_left;
                dispatch(m, static_cast<EventId>(raised));
            }
        };
        m.start();
        std::fprintf(out, "W %zu %zu %zu", spec, walk_number++, static_cast<std::size_t>(current(m)));
        print_log(out, ctx.log);
        std::vector<std::size_t> enabled;
        std::size_t stuck = 0;
        for (std::size_t step = 0; step < steps && budget > 0 && stuck < 3; ++step, --budget) {
            enabled.clear();
            for (std::size_t r = 0; r < Rows; ++r)
                if (rows[r].source == current(m)) enabled.push_back(r);
            if (enabled.empty()) ++stuck;
            answers = rng.next();
            std::size_t e = rng.below(event_count);
            if (!enabled.empty() && rng.below(100) < 85) {
                const auto& row = rows[enabled[rng.below(enabled.size())]];
                e = static_cast<std::size_t>(row.event);
                if (rng.below(100) < 70) answers = satisfying(answers, row.guard);
            }
            ctx.log.clear();
            raises_left = raise_budget;
            const std::size_t unhandled = ctx.unhandled.size(), rejected = ctx.rejected.size();
            const auto handled = dispatch(m, static_cast<EventId>(e));
            std::fprintf(out, "S %zu %zu %llu %d %zu", spec, e, static_cast<unsigned long long>(answers), static_cast<int>(handled),
                         static_cast<std::size_t>(current(m)));
            print_report(out, ctx.unhandled, unhandled);
            print_report(out, ctx.rejected, rejected);
            print_log(out, ctx.log);
        }
    }
}

}  // namespace rs_driver
