// Target `cpp`: the machine of docs/generated-api.md in plain C++17, no Boost: switches over the
// current state, every row written out where it fires. The same light header, context and reports
// as the msm target (machine_header.hpp); process_event answers a `result` valued as Boost.MSM's
// HandledEnum. For users who cannot take Boost or its compile cost: no metaprogramming, so a TU that
// runs the machine costs the standard headers and the rows it writes, a third of `back`'s time for
// the TCP machine and a fortieth at 300 rows (docs/performance.md).
#include "emit/emit.hpp"
#include "emit/machine_header.hpp"
#include "emit/printer.hpp"

#include <string>
#include <vector>

namespace fsmgen {
namespace {

using model::Model;
using model::Transition;

class CppBackend : public Backend {
public:
    std::string_view name() const override { return "cpp"; }
    std::string_view description() const override { return "a header-only C++17 state machine of plain switches (no Boost)"; }

    void emit(const Model& m, const EmitOptions& options, OutputSink& out) const override {
        const std::string types_name = machine_header::write_companion_headers(m, options, out);
        const std::string ns = m.qualified_namespace();
        std::string steps;
        for (std::size_t e = 0; e < m.events.size(); ++e) steps += step_function(m, e);

        std::string h;
        print(h, R"($banner$// API: docs/generated-api.md (target cpp). C++17 and its standard library only: plain switches, no
// Boost. Translation units that do not use the machine itself can include $types$ alone.
#ifndef $guard$
#define $guard$

#include "$types$"

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

$shield_begin$
namespace $ns$ {

// What process_event and dispatch answer, valued as Boost.MSM's HandledEnum (HANDLED_FALSE,
// HANDLED_TRUE, HANDLED_GUARD_REJECT, HANDLED_DEFERRED), which the msm target answers.
enum class result : ::std::uint8_t {
    unhandled = 0,  // no row for the state and event: on_unhandled was called
    fired = 1,      // a row fired
    rejected = 2,   // rows exist and every guard said no: on_rejected was called
    queued = 4,     // raised while another event was processed: processed after it (run to completion)
};

namespace detail {
// Detection of the context's members: the machine static_asserts on these with a readable message,
// and calls the members directly (the static_assert stays the only error: g++ and clang++
// instantiate no member function of a class whose static_assert failed).
$traits$
$any_event$}  // namespace detail

// The machine. Context: see docs/generated-api.md. Copyable; holds a pointer to the context.
template <class Context>
class machine {
$asserts$    static_assert(detail::has_on_unhandled<Context>::value,
                  "$ns$::machine: the context has no `void on_unhandled($ns$::state, $ns$::event_id)`");
    static_assert(detail::has_on_rejected<Context>::value,
                  "$ns$::machine: the context has no `void on_rejected($ns$::state, $ns$::event_id)`");

public:
    explicit machine(Context& context) noexcept : ctx_(&context) {}

    // Enters the initial state and runs its entry actions (as Boost.MSM's start()); events they
    // raise are processed after.
    void start() {
        const processing_scope scope(*this);
        state_ = state::$initial$;
$start$        drain();
    }
    // For tests that begin in the middle of a protocol: instead of start(), makes `s` the current
    // state and runs its entry actions (not the initial state's).
    void start_in(state s) {
        const processing_scope scope(*this);
        state_ = s;
        switch (s) {
$start_in$        default:
            break;
        }
        drain();
    }
    // Runs the exit actions of the current state (as Boost.MSM's stop()).
    void stop() {
        switch (state_) {
$stop$        default:
            break;
        }
    }

    // Run to completion, as the msm target: an event processed while another one is (raised by an
    // action or an entry/exit action) waits in a queue and is processed when the current one has
    // completed, in the order raised; the call answers result::queued. A context that declares
    // `using no_event_queue = int;` has no queue: such a call throws event_refused instead.
    template <class Event>
    result process_event(const Event& e) {
        if (processing_) return enqueue(e);
        processing_ = 1;
        try {
            const result r = process_now(e);
            drain();
            return r;
        } catch (...) {
            abandon();
            throw;
        }
    }

$dispatch$
    Context& context() const noexcept { return *ctx_; }
    state current_state() const noexcept { return state_; }

private:
    // One per event: the rows of each source state, in spec order, until one fires. A row runs the
    // exit actions of its source, its actions, the entry actions of its target, then reports
    // on_row (Boost.MSM's order; an internal row runs its actions only).
$steps$
    // One event, processed now: the on_dispatch report, then the event's step.
    template <class Event>
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    result process_now(const Event& e) {
        if constexpr (detail::has_on_dispatch<Context>::value) ctx_->on_dispatch(state_, id_of<Event>);
        return step(e);
    }

$run_to_completion$
    result unhandled(event_id e) {
        if constexpr (detail::has_on_unhandled<Context>::value) ctx_->on_unhandled(state_, e);
        return result::unhandled;
    }
    result rejected(event_id e) {
        if constexpr (detail::has_on_rejected<Context>::value) ctx_->on_rejected(state_, e);
        return result::rejected;
    }

    Context* ctx_;
    state state_ = state::$initial$;
    ::std::uint8_t processing_ = 0;  // 0 free, 1 busy with a call, 2 busy and an event raised (drain())
    ::std::size_t next_ = 0;
    ::std::vector<detail::any_event> queue_;
};

template <class Context>
state current(const machine<Context>& m) noexcept {
    return m.current_state();
}

// Processes the event named by its id, for tests and fuzzers that choose events at run time, and
// for programs that read events as data: inlined into the caller with g++ and clang, which lets them
// keep the machine in registers across a loop of events (docs/performance.md, dispatch).
template <class Context>
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline result dispatch(machine<Context>& m, event_id e) {
    return m.dispatch(e);
}

}  // namespace $ns$

$shield_end$
#endif  // $guard$
)",
              {{"banner", machine_header::banner(m)},
               {"types", types_name},
               {"guard", machine_header::include_guard(m, options)},
               {"shield_begin", machine_header::shield_begin(m)},
               {"shield_end", machine_header::shield_end(m)},
               {"ns", ns},
               {"traits", machine_header::context_traits(m, false)},
               {"asserts", machine_header::context_asserts(m)},
               {"initial", m.states[m.initial].name},
               {"start", hooks(m, m.states[m.initial].entry, "        ")},
               {"start_in", start_in_cases(m)},
               {"any_event", machine_header::any_event(m)},
               {"stop", stop_cases(m)},
               {"steps", steps},
               {"dispatch", dispatch_member(m)},
               {"run_to_completion", machine_header::run_to_completion("result", "result::queued")}});
        out.write("", h);
    }

private:
    static std::string hooks(const Model& m, const std::vector<std::size_t>& list, const std::string& indent) {
        return machine_header::hook_calls(m, list, "ctx_", indent);
    }

    static std::string start_in_cases(const Model& m) {
        std::string out;
        for (const auto& s : m.states) {
            if (s.entry.empty()) continue;
            out += "            case state::" + s.name + ":\n" + hooks(m, s.entry, "                ") + "                break;\n";
        }
        return out;
    }

    static std::string stop_cases(const Model& m) {
        std::string out;
        for (const auto& s : m.states) {
            if (s.exit.empty()) continue;
            out += "        case state::" + s.name + ":\n" + hooks(m, s.exit, "            ") + "            break;\n";
        }
        return out;
    }

    // The rows of one (state, event) in spec order, each returning when it fires; then the rejection.
    static std::string rows_code(const Model& m, const std::vector<const Transition*>& rows, const std::string& indent) {
        machine_header::RowText text;
        text.context = "ctx_";
        text.enter = [&m](std::size_t s) { return "state_ = state::" + m.states[s].name + ";"; };
        text.fired = "return result::fired;";
        text.rejected = [](const std::string& event) { return "return rejected(event_id::" + event + ");"; };
        return machine_header::rows_code(m, rows, text, indent);
    }

    // Up to this many rows, dispatch(event_id) is a switch on the state, then on the event, as a
    // hand-written machine is laid out, forced inline into the caller: the same rows as the step
    // functions, written out again. Switching on the event first and calling the step functions
    // measured 1.95 times a hand-written switch on TCP, this 1.1 (docs/performance.md, "Dispatch"). Above it,
    // dispatch switches on the event and calls the steps: g++'s optimiser grows faster than the rows
    // in one function inlined into a loop, and a 512-row machine took 1.4 s at -O2 the first way and
    // 0.5 s this way (docs/performance.md, "Compile cost"). TCP has 199 rows.
    static constexpr std::size_t inline_dispatch_rows = 256;

    static std::string dispatch_member(const Model& m) {
        std::string enqueue;
        for (const auto& e : m.events) enqueue += "            case event_id::" + e.name + ": return enqueue(event::" + e.name + "{});\n";
        std::string out;
        print(out, R"(    // The event given by its id, for dispatch(); queued as process_event queues.
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    result dispatch(event_id id) {
        if (processing_) return enqueue_id(id);
        processing_ = 1;
        try {
            const result r = dispatch_now(id);
            drain();
            return r;
        } catch (...) {
            abandon();
            throw;
        }
    }

private:
    result enqueue_id(event_id id) {
        switch (id) {
$enqueue$        }
        return result::unhandled;
    }

$dispatch_now$
public:
)",
              {{"enqueue", enqueue},
               {"dispatch_now", m.transitions.size() <= inline_dispatch_rows ? dispatch_by_state(m) : dispatch_by_event(m)}});
        return out;
    }

    static std::string dispatch_by_event(const Model& m) {
        std::string cases;
        for (const auto& e : m.events) cases += "        case event_id::" + e.name + ": return step(event::" + e.name + "{});\n";
        std::string out;
        print(out, R"(    // The event's step: with $rows$ rows (more than $limit$), the rows are compiled once, in the steps,
    // rather than again in a switch on the state inlined into the caller (docs/performance.md,
    // "Compile cost").
    result dispatch_now(event_id id) {
        if constexpr (detail::has_on_dispatch<Context>::value) ctx_->on_dispatch(state_, id);
        switch (id) {
$cases$        }
        return unhandled(id);
    }
)",
              {{"rows", std::to_string(m.transitions.size())}, {"limit", std::to_string(inline_dispatch_rows)}, {"cases", cases}});
        return out;
    }

    static std::string dispatch_by_state(const Model& m) {
        std::string cases;
        for (std::size_t s = 0; s < m.states.size(); ++s) {
            std::string inner;
            for (std::size_t e = 0; e < m.events.size(); ++e) {
                const auto rows = machine_header::rows_of(m, s, e);
                if (rows.empty()) continue;
                const std::string& event = m.events[e].name;
                inner += "            case event_id::" + event + ": {\n                [[maybe_unused]] const event::" + event +
                         " e{};\n" + rows_code(m, rows, "                ") + "            }\n";
            }
            if (inner.empty()) continue;
            cases += "        case state::" + m.states[s].name + ":\n            switch (id) {\n" + inner +
                     "            default:\n                break;\n            }\n            break;\n";
        }
        std::string out;
        print(out, R"(#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    result dispatch_now(event_id id) {
        if constexpr (detail::has_on_dispatch<Context>::value) ctx_->on_dispatch(state_, id);
        switch (state_) {
$cases$        default:
            break;
        }
        return unhandled(id);
    }
)",
              {{"cases", cases}});
        return out;
    }

    static std::string step_function(const Model& m, std::size_t e) {
        const std::string& event = m.events[e].name;
        std::vector<std::vector<const Transition*>> by_source(m.states.size());
        bool any = false;
        for (const auto& t : m.transitions)
            if (t.event == e) {
                by_source[t.source].push_back(&t);
                any = true;
            }
        if (!any) return "    result step(const event::" + event + "&) { return unhandled(event_id::" + event + "); }\n";

        std::string cases;
        for (std::size_t s = 0; s < m.states.size(); ++s) {
            if (by_source[s].empty()) continue;
            cases += "        case state::" + m.states[s].name + ":\n" + rows_code(m, by_source[s], "            ");
        }
        std::string out;
        print(out, R"(    result step([[maybe_unused]] const event::$e$& e) {
        switch (state_) {
$cases$        default:
            break;
        }
        return unhandled(event_id::$e$);
    }
)",
              {{"e", event}, {"cases", cases}});
        return out;
    }
};

}  // namespace

std::unique_ptr<Backend> make_cpp_backend() { return std::make_unique<CppBackend>(); }

namespace machine_header {

// The rows (and start, start_in, stop) call the context's members directly, not through
// detail::guard_G and the like: those wrappers, one function per member and event, cost a sixth of
// the compile time of a TU that runs the TCP machine on a context of the user's (cpp target;
// docs/performance.md, "Compile cost"). A context that lacks a member still gets the
// static_asserts' messages alone: g++ and clang++ instantiate no member function of a class whose
// static_assert failed (the ctest cpp_missing_member_is_named_alone).
std::string hook_calls(const Model& m, const std::vector<std::size_t>& list, const std::string& context, const std::string& indent) {
    std::string out;
    for (std::size_t a : list) out += indent + context + "->" + m.actions[a] + "();\n";
    return out;
}

namespace {
std::string guard_condition(const Model& m, const Transition& t, const std::string& context) {
    std::string out;
    for (const auto& g : t.guard) {
        if (!out.empty()) out += " && ";
        out += std::string(g.negated ? "!" : "") + context + "->" + m.guards[g.guard] + "(e)";
    }
    return out;
}

// The body of a row that fires, at `indent`.
std::string row_body(const Model& m, const Transition& t, const RowText& text, const std::string& indent) {
    const std::size_t index = static_cast<std::size_t>(&t - m.transitions.data());
    const std::string report =
        indent + "if constexpr (detail::has_on_row<Context>::value) " + text.context + "->on_row(" + std::to_string(index) + ");\n";
    std::string out;
    if (!t.internal()) out += hook_calls(m, m.states[t.source].exit, text.context, indent);
    for (std::size_t a : t.actions) out += indent + text.context + "->" + m.actions[a] + "(e);\n";
    if (text.report_before_entry) out += report;
    if (!t.internal()) {
        out += hook_calls(m, m.states[*t.target].entry, text.context, indent);
        out += indent + text.enter(*t.target) + "\n";
    }
    if (!text.report_before_entry) out += report;
    return out + indent + text.fired + "\n";
}
}  // namespace

std::vector<const Transition*> rows_of(const Model& m, std::size_t state, std::size_t event) {
    std::vector<const Transition*> rows;
    for (const auto& t : m.transitions)
        if (t.source == state && t.event == event) rows.push_back(&t);
    return rows;
}

std::string rows_code(const Model& m, const std::vector<const Transition*>& rows, const RowText& text, const std::string& indent) {
    std::string out;
    for (const Transition* t : rows) {
        if (t->guard.empty())  // always fires: the rows after it are never tried
            return out + indent + "{\n" + row_body(m, *t, text, indent + "    ") + indent + "}\n";
        out += indent + "if (" + guard_condition(m, *t, text.context) + ") {\n" + row_body(m, *t, text, indent + "    ") + indent + "}\n";
    }
    return out + indent + text.rejected(m.events[rows.front()->event].name) + "\n";
}

}  // namespace machine_header

}  // namespace fsmgen
