// Target `rapidcheck`: a property-test harness for the machine of any spec. It runs the generated
// machine (any C++ target with the API of docs/generated-api.md) under RapidCheck's stateful testing
// against the Model's rows, which it carries as its own tables: the oracle comes from the checked
// Model, never from the header under test. Commands are the spec's events with generated data and
// guard answers, weighted towards what the current state handles, so that runs go deep.
#include "emit/cpp_text.hpp"
#include "emit/emit.hpp"
#include "emit/machine_header.hpp"
#include "emit/printer.hpp"
#include "model/cxx_types.hpp"

#include <string>
#include <vector>

namespace fsmgen {
namespace {

using model::Model;

std::string guard_macro(const Model& m, std::string_view file_name) {
    std::string out = "FSMGEN_";
    for (char c : file_name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
    return out + "_" + cpp_text::hash_hex(m.qualified_namespace() + " " + m.name + " rapidcheck");
}

std::string list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += "    " + i + ",\n";
    return out;
}

// rc::Arbitrary for every generated event struct with fields: each field from RapidCheck's own
// generator where it has one, value-initialised otherwise.
std::string arbitraries(const Model& m) {
    const std::string ns = "::" + m.qualified_namespace();
    const std::string data = ns + "::property::data";
    std::string out;
    for (const auto& e : m.events) {
        if (!e.type.empty() || e.fields.empty()) continue;
        std::string setters;
        for (std::size_t i = 0; i < e.fields.size(); ++i) {
            const auto& f = e.fields[i];
            const std::string type = cxx_types::global(f.type);
            const std::string value = cxx_types::rapidcheck_generates(f.type)
                                          ? "gen::arbitrary<" + type + ">()"
                                          : data + "::user_or<" + type + ">(gen::just(" + type + "{}))";
            setters += std::string(i ? ",\n" : "") + "                                gen::set(&T::" + f.name + ", " + value + ")";
        }
        print(out, R"(template <>
struct Arbitrary<$ns$::event::$e$> {
    using T = $ns$::event::$e$;
    static Gen<T> arbitrary() {
        return $data$::user_or<T>(gen::build<T>(
$setters$));
    }
};
)",
              {{"ns", ns}, {"e", e.name}, {"setters", setters}, {"data", data}});
    }
    return out;
}

class RapidCheckBackend : public Backend {
public:
    std::string_view name() const override { return "rapidcheck"; }
    std::string_view description() const override {
        return "a RapidCheck property-test harness: the machine against the spec's rows (include the machine's header and its _scripted.hpp first)";
    }

    void emit(const Model& m, const EmitOptions& options, OutputSink& out) const override {
        const std::string file = options.output_name.empty() ? m.name + "_fsm_rc.hpp" : options.output_name;

        std::vector<std::string> literals, actions, rows, guard_names, action_names, hook_list, state_hooks;
        std::string fire_cases;
        for (const auto& g : m.guards) guard_names.push_back(cpp_text::literal(g));
        for (const auto& a : m.actions) action_names.push_back(cpp_text::literal(a));
        for (const auto& t : m.transitions) {
            rows.push_back("row{state::" + m.states[t.source].name + ", event_id::" + m.events[t.event].name + ", state::" +
                           m.states[t.next()].name + ", " + (t.internal() ? "true" : "false") + ", " + std::to_string(literals.size()) +
                           ", " + std::to_string(t.guard.size()) + ", " + std::to_string(actions.size()) + ", " +
                           std::to_string(t.actions.size()) + "}");
            for (const auto& g : t.guard) literals.push_back("literal{" + std::to_string(g.guard) + ", " + (g.negated ? "true" : "false") + "}");
            for (std::size_t a : t.actions) actions.push_back(std::to_string(a));
        }
        for (const auto& s : m.states) {
            state_hooks.push_back("hooks{" + std::to_string(hook_list.size()) + ", " + std::to_string(s.entry.size()) + ", " +
                                  std::to_string(hook_list.size() + s.entry.size()) + ", " + std::to_string(s.exit.size()) + "}");
            for (std::size_t a : s.entry) hook_list.push_back(std::to_string(a));
            for (std::size_t a : s.exit) hook_list.push_back(std::to_string(a));
        }
        for (const auto& e : m.events) {
            // The event's value: generated field by field (the rc::Arbitrary above), or value-initialised.
            const bool generated = e.type.empty() && !e.fields.empty();
            fire_cases += "            case event_id::" + e.name + ":\n                return ::std::make_shared<const fire<event::" + e.name +
                          ">>(" + (generated ? "*::rc::gen::arbitrary<event::" + e.name + ">()"
                                             : "*data::user_or<event::" + e.name + ">(::rc::gen::just(event::" + e.name + "{}))") +
                          ", ::std::move(answers));\n";
        }

        std::string h;
        print(h, R"(// generated by fsmgen from $spec$, do not edit.
// $machine$: a RapidCheck property-test harness (docs/generated-api.md, "Property tests"). Include the
// machine's header and its _scripted.hpp first (fsmgen emit -t msm or -t cpp), then this one, then call
// $ns$::property::check_against_spec() inside a RapidCheck property:
//   rc::check("$machine$ follows its spec", [] { $ns$::property::check_against_spec(); });
#ifndef $guard$
#define $guard$

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <array>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

$shield$
namespace $ns$ {
namespace property {
namespace data {
// A generator the user declares for an event, a user type that is an event, or a field type RapidCheck
// has none for: `rc::Gen<T> fsmgen_arbitrary(T*)` in T's namespace (argument-dependent lookup finds
// it), declared before this header is included (docs/generated-api.md).
template <typename T, typename = void>
struct user_generator : ::std::false_type {};
template <typename T>
struct user_generator<T, ::std::void_t<decltype(fsmgen_arbitrary(static_cast<T*>(nullptr)))>> : ::std::true_type {};

// The user's generator for T if there is one, else `fallback`.
template <typename T>
::rc::Gen<T> user_or(::rc::Gen<T> fallback) {
    if constexpr (user_generator<T>::value)
        return fsmgen_arbitrary(static_cast<T*>(nullptr));
    else
        return fallback;
}
}  // namespace data
}  // namespace property
}  // namespace $ns$

namespace rc {
$arbitraries$}  // namespace rc

namespace $ns$ {
namespace property {

// The oracle: the rows of the checked Model (fsmgen's own, not read from the machine's header).
struct literal {
    ::std::size_t guard;  // index into guard_names
    bool negated;
};
struct row {
    state source;
    event_id event;
    state target;  // the source for an internal row
    bool internal;
    ::std::size_t first_literal, literal_count;  // the guard, a conjunction in literals[]
    ::std::size_t first_action, action_count;    // in action_list[]
};
struct hooks {
    ::std::size_t first_entry, entry_count, first_exit, exit_count;  // in hook_list[]
};

inline constexpr ::std::array<::std::string_view, $nguards$> guard_names = {{
$guard_names$}};
inline constexpr ::std::array<::std::string_view, $nactions$> action_names = {{
$action_names$}};
inline constexpr ::std::array<literal, $nliterals$> literals = {{
$literals$}};
inline constexpr ::std::array<::std::size_t, $naction_list$> action_list = {{
$action_list$}};
inline constexpr ::std::array<row, $nrows$> rows = {{
$rows$}};
inline constexpr ::std::array<::std::size_t, $nhook_list$> hook_list = {{
$hook_list$}};
inline constexpr ::std::array<hooks, state_count> state_hooks = {{
$state_hooks$}};

// What the machine must have done: its state, the actions of the last step in order, and how many
// events were unhandled or rejected so far.
struct model {
    state current = state::$initial$;
    ::std::vector<::std::string_view> log;
    ::std::size_t unhandled = 0, rejected = 0;
    ::std::array<::std::size_t, state_count> visits{};  // in this run, for next_command's weights
};

inline void log_hooks(model& s, ::std::size_t first, ::std::size_t count) {
    for (::std::size_t i = first; i < first + count; ++i) s.log.push_back(action_names[hook_list[i]]);
}

// A fresh machine after start(): the initial state, after its entry actions.
inline model initial_model() {
    model s;
    ++s.visits[static_cast<::std::size_t>(s.current)];
    const hooks& h = state_hooks[static_cast<::std::size_t>(s.current)];
    log_hooks(s, h.first_entry, h.entry_count);
    return s;
}

inline bool enabled(const row& r, const ::std::vector<bool>& answers) {
    for (::std::size_t i = r.first_literal; i < r.first_literal + r.literal_count; ++i)
        if (answers[literals[i].guard] == literals[i].negated) return false;
    return true;
}

// One event, as the spec says: the row whose guard holds fires (exit actions of the source, the row's
// actions, entry actions of the target; only the row's actions for an internal row). No row for the
// state and event: unhandled; rows, none enabled: rejected.
inline void interpret(model& s, event_id e, const ::std::vector<bool>& answers) {
    s.log.clear();
    const row* fired = nullptr;
    bool any = false;
    for (const row& r : rows) {
        if (r.source != s.current || r.event != e) continue;
        any = true;
        if (enabled(r, answers)) {
            fired = &r;
            break;
        }
    }
    if (!fired) {
        ++(any ? s.rejected : s.unhandled);
        return;
    }
    const hooks& from = state_hooks[static_cast<::std::size_t>(fired->source)];
    const hooks& to = state_hooks[static_cast<::std::size_t>(fired->target)];
    if (!fired->internal) log_hooks(s, from.first_exit, from.exit_count);
    for (::std::size_t i = fired->first_action; i < fired->first_action + fired->action_count; ++i)
        s.log.push_back(action_names[action_list[i]]);
    if (!fired->internal) log_hooks(s, to.first_entry, to.entry_count);
    s.current = fired->target;
    ++s.visits[static_cast<::std::size_t>(s.current)];
}

// The system under test: the generated machine with the generated scripted_context, whose guards
// answer as the command being run says.
struct system {
    ::std::vector<bool> answers = ::std::vector<bool>(guard_names.size());
    scripted_context context{[this](::std::string_view guard, state, event_id) {
        for (::std::size_t i = 0; i < guard_names.size(); ++i)
            if (guard_names[i] == guard) return static_cast<bool>(answers[i]);
        return false;
    }};
    machine<scripted_context> m{context};

    system() { m.start(); }
    system(const system&) = delete;
    system& operator=(const system&) = delete;
};

using command = ::rc::state::Command<model, system>;

inline ::std::string describe(const model& s) {
    ::std::string out = "state " + ::std::string(name(s.current)) + ", actions [";
    for (::std::size_t i = 0; i < s.log.size(); ++i) out += (i ? ", " : "") + ::std::string(s.log[i]);
    return out + "], " + ::std::to_string(s.unhandled) + " unhandled, " + ::std::to_string(s.rejected) + " rejected";
}

// States reached by check_against_spec() over every run so far (shrinking included), for a test that
// wants every state reached.
inline ::std::array<::std::size_t, state_count>& coverage() {
    static ::std::array<::std::size_t, state_count> visits{};
    return visits;
}

$show_fields$
// One event with its data and the answers of the guards while it is processed.
template <class Event>
struct fire final : command {
    Event event;
    ::std::vector<bool> answers;
    fire(Event e, ::std::vector<bool> a) : event(::std::move(e)), answers(::std::move(a)) {}

    void apply(model& s) const override { interpret(s, id_of<Event>, answers); }

    void run(const model& before, system& sys) const override {
        model expected = before;
        apply(expected);
        sys.answers = answers;
        sys.context.log.clear();
        const ::std::size_t unhandled = sys.context.unhandled.size(), rejected = sys.context.rejected.size();
        sys.m.process_event(event);
        model seen;
        seen.current = current(sys.m);
        seen.log = sys.context.log;
        seen.unhandled = before.unhandled + (sys.context.unhandled.size() - unhandled);
        seen.rejected = before.rejected + (sys.context.rejected.size() - rejected);
        ++coverage()[static_cast<::std::size_t>(seen.current)];
        if (seen.current != expected.current || seen.log != expected.log || seen.unhandled != expected.unhandled ||
            seen.rejected != expected.rejected)
            RC_FAIL("after " + ::std::string(name(id_of<Event>)) + " in " + ::std::string(name(before.current)) + ": the spec says " +
                    describe(expected) + "; the machine did " + describe(seen));
    }

    void show(::std::ostream& os) const override {
        os << name(id_of<Event>);
        show_fields(os, event);
        os << " [";
        for (::std::size_t i = 0; i < guard_names.size(); ++i) os << (i ? " " : "") << (answers[i] ? "" : "!") << guard_names[i];
        os << "]";
    }
};

inline bool is_final(state s) {
    for (const row& r : rows)
        if (r.source == s && r.target != s) return false;
    return true;
}

// Steps go deep. 7 times in 8 a step follows one of the current state's rows, chosen by weight: a
// row into a state this run has not visited weighs 4 times as much, and a row into a state without
// way out (which ends the run's exploration) a quarter; 3 times in 4 the guards then answer so that
// this row fires. Otherwise the step is any event, with random answers: unhandled events and
// rejecting guards are tested too. (Uniformly random events rarely get a handshake past its first
// states: every state's abort rows lead back out.)
inline ::rc::Gen<::std::shared_ptr<const command>> next_command(const model& s) {
    return ::rc::gen::exec([s]() -> ::std::shared_ptr<const command> {
        ::std::vector<const row*> candidates;
        ::std::vector<::std::size_t> weights;
        ::std::size_t total = 0;
        for (const row& r : rows) {
            if (r.source != s.current) continue;
            ::std::size_t w = s.visits[static_cast<::std::size_t>(r.target)] == 0 ? 16 : 4;
            if (r.target != r.source && is_final(r.target)) w /= 4;
            candidates.push_back(&r);
            weights.push_back(w);
            total += w;
        }
        auto answers = *::rc::gen::container<::std::vector<bool>>(guard_names.size(), ::rc::gen::arbitrary<bool>());
        ::std::size_t e = *::rc::gen::inRange<::std::size_t>(0, event_count);
        if (!candidates.empty() && *::rc::gen::inRange(0, 8) != 0) {
            ::std::size_t pick = *::rc::gen::inRange<::std::size_t>(0, total), i = 0;
            while (pick >= weights[i]) pick -= weights[i++];
            const row& r = *candidates[i];
            e = static_cast<::std::size_t>(r.event);
            if (*::rc::gen::inRange(0, 4) != 0)
                for (::std::size_t k = r.first_literal; k < r.first_literal + r.literal_count; ++k)
                    answers[literals[k].guard] = !literals[k].negated;
        }
        switch (static_cast<event_id>(e)) {
$fire_cases$        }
        return nullptr;
    });
}

// The property: a fresh machine, then a generated sequence of events, each checked against the
// spec's rows; the run is tagged with the state it ends in.
inline void check_against_spec() {
    system sys;
    const model start = initial_model();
    if (sys.context.log != start.log)
        RC_FAIL("start(): the spec says " + describe(start) + "; the machine ran other entry actions");
    const auto commands = *::rc::state::gen::commands(start, &next_command);
    ::rc::state::runAll(commands, start, sys);
    RC_TAG(::std::string(name(current(sys.m))));
}

}  // namespace property
}  // namespace $ns$

$shield_end$
#endif  // $guard$
)",
              {{"spec", m.source_name.empty() ? std::string("<stdin>") : cpp_text::escaped(m.source_name)},
               {"machine", m.name},
               {"ns", m.qualified_namespace()},
               {"guard", guard_macro(m, file)},
               {"shield", machine_header::shield_begin(m)},
               {"shield_end", machine_header::shield_end(m)},
               {"arbitraries", arbitraries(m)},
               {"initial", m.states[m.initial].name},
               {"nguards", std::to_string(guard_names.size())},
               {"guard_names", list(guard_names)},
               {"nactions", std::to_string(action_names.size())},
               {"action_names", list(action_names)},
               {"nliterals", std::to_string(literals.size())},
               {"literals", list(literals)},
               {"naction_list", std::to_string(actions.size())},
               {"action_list", list(actions)},
               {"nrows", std::to_string(rows.size())},
               {"rows", list(rows)},
               {"nhook_list", std::to_string(hook_list.size())},
               {"hook_list", list(hook_list)},
               {"state_hooks", list(state_hooks)},
               {"show_fields", show_fields(m)},
               {"fire_cases", fire_cases}});
        out.write("", h);
    }

private:
    // The arithmetic fields of an event, for a failing sequence's printout.
    static std::string show_fields(const Model& m) {
        std::string out = "template <class Event>\nvoid show_fields(::std::ostream&, const Event&) {}\n";  // no field to show
        for (const auto& e : m.events) {
            std::string body;
            for (const auto& f : e.fields)
                if (cxx_types::is_arithmetic(f.type)) body += "    os << \" " + f.name + "=\" << +e." + f.name + ";\n";
            if (body.empty()) continue;
            out += "inline void show_fields(::std::ostream& os, const event::" + e.name + "& e) {\n" + body + "}\n";
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<Backend> make_rapidcheck_backend() { return std::make_unique<RapidCheckBackend>(); }

}  // namespace fsmgen
