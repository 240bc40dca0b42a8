// Target `msm`: a header-only Boost.MSM machine (functor front end) plus introspection tables, with the
// API of docs/generated-api.md, in two headers: the main output (the machine, needs Boost) and a light
// companion it includes (types, names, tables; no Boost). The choices that keep the machine cheap to
// compile and fast to run are explained in docs/performance.md; the ones that shape the emitted text
// are noted where made.
#include "emit/cpp_text.hpp"
#include "emit/emit.hpp"
#include "emit/machine_header.hpp"
#include "emit/printer.hpp"
#include "model/cxx_types.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fsmgen {
namespace {

using model::Model;
using model::Transition;

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

std::string guard_text(const Model& m, const Transition& t) {
    std::vector<std::string> terms;
    for (const auto& g : t.guard) terms.push_back((g.negated ? "!" : "") + m.guards[g.guard]);
    return join(terms, " && ");
}

std::string actions_text(const Model& m, const std::vector<std::size_t>& actions) {
    std::vector<std::string> names;
    for (std::size_t a : actions) names.push_back(m.actions[a]);
    return join(names, ", ");
}

// A doc string at the end of a `//` comment, as a C++ string literal: it cannot end the line with a
// backslash (which would splice the next line into the comment), form a trigraph or hold a bidi
// control. Empty docs write nothing.
std::string doc_comment(std::string_view doc) { return doc.empty() ? std::string() : "  // " + cpp_text::literal(doc); }

// An event's type in namespace `event`: an aggregate of its fields (empty without), or an alias of
// the user's own type. Types are written from the global namespace (cxx_types::global), so that a
// state or event named `std` cannot capture `std::string` here.
std::string event_struct(const Model& m, const model::Event& e) {
    const std::string comment = "  // " + m.categories[e.category].name + (e.doc.empty() ? "" : ": " + cpp_text::literal(e.doc));
    if (!e.type.empty()) return "using " + e.name + " = " + cxx_types::global(e.type) + ";" + comment + "\n";
    if (e.fields.empty()) return "struct " + e.name + " {};" + comment + "\n";
    std::string out = "struct " + e.name + " {" + comment + "\n";
    for (const auto& f : e.fields) out += "    " + cxx_types::global(f.type) + " " + f.name + ";\n";
    return out + "};\n";
}

// The #include lines the spec's types need: the standard headers of the std:: names fsmgen knows
// (cxx_types.hpp), then the spec's own `include` lines, in order.
std::string type_includes(const Model& m) {
    std::set<std::string> standard;
    for (const auto& e : m.events) {
        std::vector<std::string> names = cxx_types::names_in(e.type);
        for (const auto& f : e.fields)
            for (auto& n : cxx_types::names_in(f.type)) names.push_back(std::move(n));
        for (const auto& n : names)
            if (auto header = cxx_types::standard_header(n)) standard.emplace(*header);
    }
    std::string out;
    for (const auto& h : standard) out += "#include <" + h + ">\n";
    for (const auto& inc : m.includes) out += "#include " + (inc.system ? "<" + inc.path + ">" : "\"" + inc.path + "\"") + "\n";
    return out.empty() ? out : "\n// The types of the events' data.\n" + out;
}

// The Boost.MSM state type of a spec state. Prefixed: MSM detects features of a state by its nested
// names (on_exit, flag_list, history, pseudo_entry...), and a struct named like one of them would
// have it as its own injected class name.
std::string state_type(const std::string& name) { return "st::state_" + name; }

// The header's own dispatch on `back` names the spec's rows row_type<N>, N their index in
// transitions[].
std::string row_type_specializations(const std::vector<std::string>& rows) {
    std::string out;
    for (std::size_t i = 0; i < rows.size(); ++i)
        out += "template <>\nstruct row_type<" + std::to_string(i) + "> {\n    using type = " + rows[i] + ";\n};\n";
    return out;
}

// Per source state, the indices of event e's rows from it, in spec order, as ", 3, 7": the
// template arguments of a dispatch cell's run_rows. Empty when no row has the event.
std::map<std::size_t, std::string> row_indices_by_source(const Model& m, std::size_t e) {
    std::map<std::size_t, std::string> by_source;
    for (std::size_t i = 0; i < m.transitions.size(); ++i)
        if (m.transitions[i].event == e) by_source[m.transitions[i].source] += ", " + std::to_string(i);
    return by_source;
}

// The smallest unsigned type for the values of an enum of `count` enumerators.
std::string enum_type(std::size_t count) {
    return count <= 0x100 ? "uint8_t" : count <= 0x10000 ? "uint16_t" : "uint32_t";
}

std::string guard_macro(std::string_view file_name) {
    std::string out = "FSMGEN_";
    for (char c : file_name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
    return out;
}

// The include guard of one of the two headers: its file name alone would be the same for two specs
// emitted as a/fsm.hpp and b/fsm.hpp, and including both would silently drop one. A hash of the
// namespace and machine name tells them apart (same file name, same spec: same guard, as it should).
std::string include_guard(const Model& m, std::string_view file_name) {
    return guard_macro(file_name) + "_" + cpp_text::hash_hex(m.qualified_namespace() + " " + m.name);
}

std::string main_header_name(const Model& m, const EmitOptions& options) {
    return options.output_name.empty() ? m.name + "_fsm.hpp" : options.output_name;  // no -o file: the machine's name
}

// Every name of the spec the headers use, once: the macro shield (cpp_text.hpp) saves and undefines them.
std::vector<std::string> spec_names(const Model& m) {
    std::set<std::string> seen;
    std::vector<std::string> out;
    auto add = [&](const std::string& n) {
        if (seen.insert(n).second) out.push_back(n);
    };
    for (const auto& n : m.cpp_namespace) add(n);
    for (const auto& s : m.states) add(s.name);
    for (const auto& e : m.events) {
        add(e.name);
        for (const auto& f : e.fields) add(f.name);
    }
    for (const auto& g : m.guards) add(g);
    for (const auto& a : m.actions) add(a);
    return out;
}

// A companion header's file name: the main output's stem + SUFFIX + its extension (tcp_fsm.hpp ->
// tcp_fsm_types.hpp, tcp_fsm_scripted.hpp), so that it lands next to the main header.
std::string companion_header_name(const Model& m, const EmitOptions& options, std::string_view suffix) {
    const std::string main_name = main_header_name(m, options);
    const auto dot = main_name.rfind('.');
    const std::string name = dot == std::string::npos || dot == 0 ? main_name + std::string(suffix) + ".hpp"
                                                                   : main_name.substr(0, dot) + std::string(suffix) + main_name.substr(dot);
    // It is written inside an #include "...": quotes, backslashes, control characters, `??` and
    // bidi controls would break that line or trip a warning (escaped() rewrites exactly those).
    if (cpp_text::escaped(name) != name)
        throw EmitError("msm: the output name `" + main_name + "` cannot be written in an #include directive");
    return name;
}

class MsmBackend : public Backend {
public:
    std::string_view name() const override { return "msm"; }
    std::string_view description() const override { return "a header-only Boost.MSM state machine (C++17)"; }

    void emit(const Model& m, const EmitOptions& options, OutputSink& out) const override {
        // --msm-backend: MSM's `back` (the default) or `backmp11` (Boost 1.90+).
        const bool mp11 = options.msm_backend == "backmp11";
        if (!mp11 && options.msm_backend != "back")
            throw EmitError("msm: unknown MSM back end `" + options.msm_backend + "` (back or backmp11)");
        // Three headers: everything that needs no Boost goes to the light one, so that translation
        // units using only the types and tables do not pay for <boost/msm/back/state_machine.hpp>
        // (g++: 1.0 s and 283 MB, docs/performance.md); the main header includes it. The third holds
        // scripted_context.
        const std::string types_name = write_companion_headers(m, options, out);
        std::string h;
        if (mp11) emit_backmp11_prologue(m, options, types_name, h);
        else emit_prologue(m, options, types_name, h);
        emit_detail(m, mp11, h);
        emit_machine(m, mp11, h);
        end_header(m, main_header_name(m, options), h);
        out.write("", h);
    }

    // The two companion headers, shared with the cpp target (machine_header.hpp): the light one, which
    // the main header includes, and scripted_context's, which nothing generated includes (its
    // <functional> alone was a sixth of a cpp TU's compile time); returns the light one's file name.
    static std::string write_companion_headers(const Model& m, const EmitOptions& options, OutputSink& out) {
        const std::string types_name = companion_header_name(m, options, "_types");
        std::string t;
        emit_types_prologue(m, types_name, t);
        emit_types(m, t);
        emit_introspection(m, t);
        emit_event_refused(m, t);
        end_header(m, types_name, t);
        out.write(types_name, t);

        const std::string scripted_name = companion_header_name(m, options, "_scripted");
        std::string c;
        emit_scripted_prologue(m, types_name, scripted_name, c);
        emit_scripted_context(m, c);
        end_header(m, scripted_name, c);
        out.write(scripted_name, c);
        return types_name;
    }

    // Closes a header's namespace, restores the spec's macros and ends its include guard.
    static void end_header(const Model& m, const std::string& file_name, std::string& h) {
        print(h, "\n}  // namespace $ns$\n\n$shield$\n#endif  // $guard$\n",
              {{"ns", m.qualified_namespace()},
               {"shield", cpp_text::macro_shield_end(spec_names(m))},
               {"guard", include_guard(m, file_name)}});
    }

    // The first two comment lines of every header: where it comes from, and the machine's doc.
    static std::string banner(const Model& m) {
        std::string out;
        print(out, "// generated by fsmgen from $spec$, do not edit.\n// $doc$\n", {{"spec", spec_name(m)}, {"doc", doc_line(m)}});
        return out;
    }

private:
    // The spec's path, in the first comment line: a file name may hold a line break too.
    static std::string spec_name(const Model& m) { return m.source_name.empty() ? std::string("<stdin>") : cpp_text::escaped(m.source_name); }
    static std::string doc_line(const Model& m) { return m.doc.empty() ? m.name : m.name + ": " + cpp_text::literal(m.doc); }

    static void emit_types_prologue(const Model& m, const std::string& types_name, std::string& h) {
        print(h, R"(// generated by fsmgen from $spec$, do not edit.
// $doc$
// API: docs/generated-api.md. The events, states, names and transitions[] of the machine: C++17
// only, no Boost, cheap to include. The machine itself is in the header that includes this one.
#ifndef $guard$
#define $guard$

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>
#include <utility>
$includes$
$shield$
namespace $ns$ {
)",
              {{"spec", spec_name(m)}, {"doc", doc_line(m)}, {"guard", include_guard(m, types_name)}, {"ns", m.qualified_namespace()},
               {"includes", type_includes(m)},
               {"shield", cpp_text::macro_shield_begin(spec_names(m))}});
    }

    static void emit_scripted_prologue(const Model& m, const std::string& types_name, const std::string& scripted_name, std::string& h) {
        print(h, R"(// generated by fsmgen from $spec$, do not edit.
// $doc$
// API: docs/generated-api.md. scripted_context, a ready-made context for tests and fuzzers: C++17
// only, no Boost. Include it beside the machine's header; the machine does not need it.
#ifndef $guard$
#define $guard$

#include "$types$"

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

$shield$
namespace $ns$ {
)",
              {{"spec", spec_name(m)}, {"doc", doc_line(m)}, {"guard", include_guard(m, scripted_name)}, {"ns", m.qualified_namespace()},
               {"types", types_name},
               {"shield", cpp_text::macro_shield_begin(spec_names(m))}});
    }

    // What a machine throws when an event is raised during another and its context has no queue.
    // Not a std::logic_error: <stdexcept> and the <string> of its message were a tenth of a second
    // in every translation unit of the cpp target (docs/performance.md, "Compile cost").
    static void emit_event_refused(const Model& m, std::string& h) {
        print(h, R"cpp(
// Thrown by a machine whose context declares `no_event_queue` when an event is processed while
// another one is: event() names the event (docs/generated-api.md, "Run to completion").
class event_refused : public ::std::exception {
public:
    explicit event_refused(event_id event) noexcept : event_(event) {}
    event_id event() const noexcept { return event_; }
    const char* what() const noexcept override {
        return "$ns$::machine: an event was raised while another was being processed, and the context "
               "declares no_event_queue (event_refused::event() names it; docs/generated-api.md, run to "
               "completion)";
    }

private:
    event_id event_;
};
)cpp",
              {{"ns", m.qualified_namespace()}});
    }

    static void emit_prologue(const Model& m, const EmitOptions& options, const std::string& types_name, std::string& h) {
        print(h, R"(// generated by fsmgen from $spec$, do not edit.
// $doc$
// API: docs/generated-api.md. Needs Boost (MSM, MPL) 1.74 or newer and C++17.
// Translation units that do not use the machine itself can include $types$ alone: it holds
// everything that needs no Boost (events, states, names, transitions[]).
#ifndef $guard$
#define $guard$

#include "$types$"

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/mpl/insert_range.hpp>
#include <boost/mpl/list.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

// Shared by every fsmgen header (hence its own guard): a fix for the compile cost of Boost.MSM.
#ifndef FSMGEN_MSM_SUPPORT_2
#define FSMGEN_MSM_SUPPORT_2
// Two of those fixes lean on MSM internals: the header fills MSM's dispatch tables itself and
// specializes mpl::insert_range for the tables MSM builds. Both are known to hold, and tested, for
// the Boost releases named here (1: MSM reads a dispatch table as the static object `instance`, up to
// 1.83; 2: as the function `instance()`, from 1.84). On any other release, or with
// FSMGEN_MSM_PUBLIC_API defined, the header uses MSM's public API only: the same machine, slower to
// compile (docs/generated-api.md).
#include <boost/version.hpp>
#if defined(FSMGEN_MSM_PUBLIC_API)
#define FSMGEN_MSM_DISPATCH 0
#elif BOOST_VERSION >= 107400 && BOOST_VERSION < 108400
#define FSMGEN_MSM_DISPATCH 1
#elif BOOST_VERSION >= 108400 && BOOST_VERSION < 109200
#define FSMGEN_MSM_DISPATCH 2
#else
#define FSMGEN_MSM_DISPATCH 0
#endif
namespace fsmgen_msm {
// The base of every state of an fsmgen machine: lets the specialization below recognise our tables.
struct state_base : ::boost::msm::front::state<> {};
template <class BackendRow, class = void>
struct is_fsmgen_row : ::std::false_type {};
template <class BackendRow>
struct is_fsmgen_row<BackendRow, ::std::void_t<typename BackendRow::current_state_type>>
    : ::std::is_base_of<state_base, typename BackendRow::current_state_type> {};
template <class Sequence>
struct unchanged {
    using type = Sequence;
};
}  // namespace fsmgen_msm

#if FSMGEN_MSM_DISPATCH && defined(BOOST_MPL_CFG_TYPEOF_BASED_SEQUENCES)
namespace boost {
namespace mpl {
// Boost.MSM's state_machine::extend_table inserts each state's internal transition table into the
// machine's table: one insert_range per state plus one, all with an empty range for a flat machine.
// MPL's generic insert_range rebuilds the whole sequence each time: states x rows. With TCP's 197
// rows in the table that was 136 of clang's 155 s (docs/performance.md). Inserting nothing into an
// fsmgen table returns the table; every other sequence goes the generic way.
template <class T, class Base, class Pos>
struct insert_range<v_item<T, Base, 0>, Pos, vector0<>>
    : ::std::conditional_t<::fsmgen_msm::is_fsmgen_row<T>::value, ::fsmgen_msm::unchanged<v_item<T, Base, 0>>,
                         insert_range_impl<aux::vector_tag>::template apply<v_item<T, Base, 0>, Pos, vector0<>>> {};
}  // namespace mpl
}  // namespace boost
#endif
#endif  // FSMGEN_MSM_SUPPORT_2

$shield$
namespace $ns$ {
template <class Context>
class machine;
template <class Context>
state current(const machine<Context>& m) noexcept;
)",
              {{"spec", spec_name(m)},
               {"doc", doc_line(m)},
               {"types", types_name},
               {"guard", include_guard(m, main_header_name(m, options))},
               {"shield", cpp_text::macro_shield_begin(spec_names(m))},
               {"ns", m.qualified_namespace()}});
    }

    static void emit_types(const Model& m, std::string& h) {
        std::string states, events, event_structs, state_names, event_names, event_info;
        for (const auto& s : m.states) {
            states += "    " + s.name + "," + doc_comment(s.doc) + "\n";
            state_names += "        case state::" + s.name + ": return \"" + s.name + "\";\n";
        }
        for (const auto& e : m.events) {
            events += "    " + e.name + ",\n";
            event_structs += event_struct(m, e);
            event_names += "        case event_id::" + e.name + ": return \"" + e.name + "\";\n";
            event_info += "template <> struct event_info<event::" + e.name + "> { static constexpr event_id id = event_id::" + e.name + "; };\n";
        }
        std::string rows;
        for (const auto& t : m.transitions) {
            rows += "    {state::" + m.states[t.source].name + ", event_id::" + m.events[t.event].name + ", state::" +
                    m.states[t.next()].name + ", " + (t.internal() ? "true" : "false") + ", " + cpp_text::literal(guard_text(m, t)) +
                    ", " + cpp_text::literal(actions_text(m, t.actions)) + "},\n";
        }
        print(h, R"(
enum class state : ::std::$state_int$ {
$states$};

enum class event_id : ::std::$event_int$ {
$events$};

inline constexpr ::std::size_t state_count = $nstates$, event_count = $nevents$;

// One type per event, in spec order: process_event takes these. Fields are the event's data.
namespace event {
$event_structs$}  // namespace event

// The name as written in the spec.
constexpr ::std::string_view name(state s) noexcept {
    switch (s) {
$state_names$    }
    return {};
}

constexpr ::std::string_view name(event_id e) noexcept {
    switch (e) {
$event_names$    }
    return {};
}

namespace detail {
template <class Event>
struct event_info;  // defined for the spec's events only, so id_of<int> does not compile
$event_info$}  // namespace detail

template <class Event>
inline constexpr event_id id_of = detail::event_info<Event>::id;

// One row per (source state, event, guard) after wildcard and set expansion, in spec order. For an
// internal row (no exit or entry actions) target == source.
struct transition_row {
    state source;
    event_id event;
    state target;
    bool internal;
    ::std::string_view guard;    // as written, e.g. "a && !b"; "" if none
    ::std::string_view actions;  // "a, b"; "" if none
};

// A std::array rather than a built-in array: a spec may have no row at all.
inline constexpr ::std::array<transition_row, $row_count$> transitions = {{
$rows$}};
)",
              {{"states", states},
               {"events", events},
               {"state_int", enum_type(m.states.size())},
               {"event_int", enum_type(m.events.size())},
               {"nstates", std::to_string(m.states.size())},
               {"nevents", std::to_string(m.events.size())},
               {"event_structs", event_structs},
               {"state_names", state_names},
               {"event_names", event_names},
               {"event_info", event_info},
               {"rows", rows},
               {"row_count", std::to_string(m.transitions.size())}});
    }

    // Everything the Model knows, as constexpr tables (docs/generated-api.md, "Introspection"): tests,
    // fuzzers and tools read the machine's structure here instead of parsing display strings.
    static void emit_introspection(const Model& m, std::string& h) {
        auto list = [](const std::vector<std::string>& items) {
            std::string out;
            for (const auto& i : items) out += "    " + i + ",\n";
            return out;
        };
        std::vector<std::string> guards, actions, categories, fields, events, hook_actions, states, terms, row_actions, rows;
        for (const auto& g : m.guards) guards.push_back(cpp_text::literal(g));
        for (const auto& a : m.actions) actions.push_back(cpp_text::literal(a));
        for (const auto& c : m.categories) categories.push_back("category_info{" + cpp_text::literal(c.name) + ", " + cpp_text::literal(c.doc) + "}");
        for (const auto& e : m.events) {
            events.push_back("event_info{event_id::" + e.name + ", " + std::to_string(e.category) + ", " + std::to_string(fields.size()) + ", " +
                             std::to_string(e.fields.size()) + ", " + cpp_text::literal(e.type) + "}");
            for (const auto& f : e.fields) fields.push_back("field_info{" + cpp_text::literal(f.name) + ", " + cpp_text::literal(f.type) + "}");
        }
        for (const auto& s : m.states) {
            states.push_back("state_info{state::" + s.name + ", " + (s.initial ? "true" : "false") + ", " + (s.final ? "true" : "false") + ", " +
                             std::to_string(hook_actions.size()) + ", " + std::to_string(s.entry.size()) + ", " +
                             std::to_string(hook_actions.size() + s.entry.size()) + ", " + std::to_string(s.exit.size()) + "}");
            for (std::size_t a : s.entry) hook_actions.push_back(std::to_string(a));
            for (std::size_t a : s.exit) hook_actions.push_back(std::to_string(a));
        }
        for (const auto& t : m.transitions) {
            rows.push_back("row_info{" + std::to_string(terms.size()) + ", " + std::to_string(t.guard.size()) + ", " +
                           std::to_string(row_actions.size()) + ", " + std::to_string(t.actions.size()) + ", " + std::to_string(t.rule) + "}");
            for (const auto& g : t.guard) terms.push_back("guard_term{" + std::to_string(g.guard) + ", " + (g.negated ? "true" : "false") + "}");
            for (std::size_t a : t.actions) row_actions.push_back(std::to_string(a));
        }
        auto n = [](const std::vector<std::string>& v) { return std::to_string(v.size()); };
        print(h, R"(
// The machine as the checked model describes it (docs/generated-api.md, "Introspection"). Indices
// refer to info::guards, info::actions and info::categories; row_info[i] details transitions[i].
namespace info {
struct category_info {
    ::std::string_view name, doc;
};
struct field_info {
    ::std::string_view name, type;  // type: C++ as written in the spec
};
struct event_info {
    event_id id;
    ::std::size_t category;
    ::std::size_t first_field, field_count;  // in fields[]
    ::std::string_view type;                 // the user's type that is the event (`e = ns::t`), or ""
};
struct state_info {
    state id;
    bool initial, final;
    ::std::size_t first_entry, entry_count, first_exit, exit_count;  // in hook_actions[]
};
struct guard_term {
    ::std::size_t guard;
    bool negated;
};
struct row_info {
    ::std::size_t first_term, term_count;      // the guard, a conjunction, in guard_terms[]
    ::std::size_t first_action, action_count;  // in row_actions[]
    ::std::size_t rule;                        // the spec line's rule (rows of a wildcard share it)
};

inline constexpr state initial_state = state::$initial$;
inline constexpr ::std::array<::std::string_view, $nguards$> guards = {{
$guards$}};
inline constexpr ::std::array<::std::string_view, $nactions$> actions = {{
$actions$}};
inline constexpr ::std::array<category_info, $ncategories$> categories = {{
$categories$}};
inline constexpr ::std::array<field_info, $nfields$> fields = {{
$fields$}};
inline constexpr ::std::array<event_info, event_count> events = {{
$events$}};
inline constexpr ::std::array<::std::size_t, $nhooks$> hook_actions = {{
$hooks$}};
inline constexpr ::std::array<state_info, state_count> states = {{
$states$}};
inline constexpr ::std::array<guard_term, $nterms$> guard_terms = {{
$terms$}};
inline constexpr ::std::array<::std::size_t, $nrow_actions$> row_actions = {{
$row_actions$}};
inline constexpr ::std::array<row_info, $nrows$> rows = {{
$rows$}};

// Whether the state has rows for the event (whatever their guards say): the events a fuzzer should
// favour there. No row: the event would be unhandled.
constexpr bool handles(state s, event_id e) noexcept {
    for (const auto& r : transitions)
        if (r.source == s && r.event == e) return true;
    return false;
}
}  // namespace info
)",
              {{"initial", m.states[m.initial].name}, {"nguards", n(guards)}, {"guards", list(guards)}, {"nactions", n(actions)},
               {"actions", list(actions)}, {"ncategories", n(categories)}, {"categories", list(categories)}, {"nfields", n(fields)},
               {"fields", list(fields)}, {"events", list(events)}, {"nhooks", n(hook_actions)}, {"hooks", list(hook_actions)},
               {"states", list(states)}, {"nterms", n(terms)}, {"terms", list(terms)}, {"nrow_actions", n(row_actions)},
               {"row_actions", list(row_actions)}, {"nrows", n(rows)}, {"rows", list(rows)}});
    }

    // The (name, event) pairs a context must provide, for the static_asserts and the traits.
    struct Uses {
        std::map<std::size_t, std::set<std::size_t>> guard_events;   // guard -> events
        std::map<std::size_t, std::set<std::size_t>> action_events;  // transition action -> events
        std::set<std::size_t> hooks;                                 // entry/exit actions
    };

    static Uses uses(const Model& m) {
        Uses u;
        for (const auto& t : m.transitions) {
            for (const auto& g : t.guard) u.guard_events[g.guard].insert(t.event);
            for (std::size_t a : t.actions) u.action_events[a].insert(t.event);
        }
        for (const auto& s : m.states) {
            u.hooks.insert(s.entry.begin(), s.entry.end());
            u.hooks.insert(s.exit.begin(), s.exit.end());
        }
        return u;
    }

    // Distinct guard expressions and action sequences get one functor type each: many rows share
    // them (wildcards), and every distinct type is more work for the compiler.
    static std::string guard_key(const Transition& t) {
        std::string k;
        for (const auto& g : t.guard) k += (g.negated ? "!" : "") + std::to_string(g.guard) + " ";
        return k;
    }
    static std::string action_key(const Transition& t) {
        std::string k;
        for (std::size_t a : t.actions) k += std::to_string(a) + " ";
        return k;
    }

public:
    // Shared with the cpp target (machine_header.hpp).
    static std::string context_traits(const Model& m, bool wrappers) {
        const Uses u = uses(m);
        std::string traits;
        for (const auto& [g, evs] : u.guard_events) {
            (void)evs;
            print(traits, R"(template <class C, class E, class = void>
struct has_guard_$n$ : ::std::false_type {};
template <class C, class E>
struct has_guard_$n$<C, E, ::std::void_t<decltype(static_cast<bool>(::std::declval<C&>().$n$(::std::declval<const E&>())))>> : ::std::true_type {};
)",
                  {{"n", m.guards[g]}});
            if (wrappers)
                print(traits, R"(template <class C, class E>
bool guard_$n$(C& c, const E& e) {
    if constexpr (has_guard_$n$<C, E>::value) return static_cast<bool>(c.$n$(e));
    else return false;
}
)",
                      {{"n", m.guards[g]}});
        }
        for (const auto& [a, evs] : u.action_events) {
            (void)evs;
            print(traits, R"(template <class C, class E, class = void>
struct has_action_$n$ : ::std::false_type {};
template <class C, class E>
struct has_action_$n$<C, E, ::std::void_t<decltype(::std::declval<C&>().$n$(::std::declval<const E&>()))>> : ::std::true_type {};
)",
                  {{"n", m.actions[a]}});
            if (wrappers)
                print(traits, R"(template <class C, class E>
void action_$n$(C& c, const E& e) {
    if constexpr (has_action_$n$<C, E>::value) c.$n$(e);
}
)",
                      {{"n", m.actions[a]}});
        }
        for (std::size_t a : u.hooks) {
            print(traits, R"(template <class C, class = void>
struct has_hook_$n$ : ::std::false_type {};
template <class C>
struct has_hook_$n$<C, ::std::void_t<decltype(::std::declval<C&>().$n$())>> : ::std::true_type {};
)",
                  {{"n", m.actions[a]}});
            if (wrappers)
                print(traits, R"(template <class C>
void hook_$n$(C& c) {
    if constexpr (has_hook_$n$<C>::value) c.$n$();
}
)",
                      {{"n", m.actions[a]}});
        }

        traits += R"(template <class C, class = void>
struct has_on_unhandled : ::std::false_type {};
template <class C>
struct has_on_unhandled<C, ::std::void_t<decltype(::std::declval<C&>().on_unhandled(state{}, event_id{}))>> : ::std::true_type {};
template <class C, class = void>
struct has_on_rejected : ::std::false_type {};
template <class C>
struct has_on_rejected<C, ::std::void_t<decltype(::std::declval<C&>().on_rejected(state{}, event_id{}))>> : ::std::true_type {};
template <class C, class = void>
struct has_on_dispatch : ::std::false_type {};
template <class C>
struct has_on_dispatch<C, ::std::void_t<decltype(::std::declval<C&>().on_dispatch(state{}, event_id{}))>> : ::std::true_type {};
template <class C, class = void>
struct has_no_event_queue : ::std::false_type {};
template <class C>
struct has_no_event_queue<C, ::std::void_t<typename C::no_event_queue>> : ::std::true_type {};
template <class C, class = void>
struct has_on_row : ::std::false_type {};
template <class C>
struct has_on_row<C, ::std::void_t<decltype(::std::declval<C&>().on_row(::std::size_t{}))>> : ::std::true_type {};
)";
        return traits;
    }

    // Inside machine<Context>: a static_assert with a readable message per member the spec needs.
    static std::string context_asserts(const Model& m) {
        const Uses u = uses(m);
        const std::string ns = m.qualified_namespace();
        std::string asserts;
        for (const auto& [g, evs] : u.guard_events)
            for (std::size_t e : evs)
                print(asserts, R"(    static_assert(detail::has_guard_$g$<Context, event::$e$>::value,
                  "$ns$::machine: the context has no guard `bool $g$(const $ns$::event::$e$&)`");
)",
                      {{"g", m.guards[g]}, {"e", m.events[e].name}, {"ns", ns}});
        for (const auto& [a, evs] : u.action_events)
            for (std::size_t e : evs)
                print(asserts, R"(    static_assert(detail::has_action_$a$<Context, event::$e$>::value,
                  "$ns$::machine: the context has no action `void $a$(const $ns$::event::$e$&)`");
)",
                      {{"a", m.actions[a]}, {"e", m.events[e].name}, {"ns", ns}});
        for (std::size_t a : u.hooks)
            print(asserts, R"(    static_assert(detail::has_hook_$a$<Context>::value,
                  "$ns$::machine: the context has no entry/exit action `void $a$()`");
)",
                  {{"a", m.actions[a]}, {"ns", ns}});
        return asserts;
    }

private:
    static void emit_detail(const Model& m, bool mp11, std::string& h) {
        const std::string traits = context_traits(m, true);

        // Functors, one per distinct guard expression and action sequence.
        std::map<std::string, std::size_t> guard_ids, action_ids;
        std::string functors;
        for (const auto& t : m.transitions) {
            if (!t.guard.empty() && guard_ids.emplace(guard_key(t), guard_ids.size()).second) {
                std::vector<std::string> terms;
                for (const auto& g : t.guard) terms.push_back(std::string(g.negated ? "!" : "") + "guard_" + m.guards[g.guard] + "(*f.ctx_, e)");
                print(functors, R"(struct g$i$ {  // [$text$]
    template <class E, class F, class S, class T>
    bool operator()(const E& e, F& f, S&, T&) const { return $expr$; }
};
)",
                      {{"i", std::to_string(guard_ids.size() - 1)}, {"text", guard_text(m, t)}, {"expr", join(terms, " && ")}});
            }
            if (!t.actions.empty() && action_ids.emplace(action_key(t), action_ids.size()).second) {
                std::string calls;
                for (std::size_t a : t.actions) calls += "        action_" + m.actions[a] + "(*f.ctx_, e);\n";
                print(functors, R"(struct a$i$ {  // / $text$
    template <class E, class F, class S, class T>
    void operator()(const E& e, F& f, S&, T&) const {
$calls$    }
};
)",
                      {{"i", std::to_string(action_ids.size() - 1)}, {"text", actions_text(m, t.actions)}, {"calls", calls}});
            }
        }

        std::string states;
        for (const auto& s : m.states) {
            std::string body;
            auto hooks = [&](const char* fn, const std::vector<std::size_t>& list) {
                if (list.empty()) return;
                body += std::string("    template <class E, class F>\n    void ") + fn + "(const E&, F& f) {\n";
                // Qualified: a state named hook_X would hide the function from inside st::.
                for (std::size_t a : list) body += "        ::" + m.qualified_namespace() + "::detail::hook_" + m.actions[a] + "(*f.ctx_);\n";
                body += "    }\n";
            };
            hooks("on_entry", s.entry);
            hooks("on_exit", s.exit);
            // fsmgen_msm::state_base marks the states for the header's fixes to `back` (prologue).
            // fsmgen_mp11::state_def: backmp11's state base, light where the header runs the rows itself.
            states += "struct state_" + s.name + (mp11 ? " : ::fsmgen_mp11::state_def {" : " : ::fsmgen_msm::state_base {") +
                      (body.empty() ? "};\n" : "\n" + body + "};\n");
        }

        // rows: as run from the dispatch tables the header fills, which report on_row themselves;
        // reporting_rows: as run by MSM's own dispatch (MSM's public API, backmp11), where each row's
        // action reports it (row_action).
        std::vector<std::string> rows, reporting_rows;
        for (std::size_t i = 0; i < m.transitions.size(); ++i) {
            const Transition& t = m.transitions[i];
            const std::string target = t.internal() ? "msmf::none" : state_type(m.states[*t.target].name);
            const std::string action = t.actions.empty() ? "msmf::none" : "a" + std::to_string(action_ids.at(action_key(t)));
            const std::string guard = t.guard.empty() ? "msmf::none" : "g" + std::to_string(guard_ids.at(guard_key(t)));
            const std::string head = "msmf::Row<" + state_type(m.states[t.source].name) + ", event::" + m.events[t.event].name + ", " + target + ", ";
            rows.push_back(head + action + ", " + guard + ">");
            reporting_rows.push_back(head + "row_action<" + std::to_string(i) + ", " + (t.actions.empty() ? "no_action" : action) + ">, " +
                                     guard + ">");
        }
        functors += R"(struct no_action {
    template <class E, class F, class S, class T>
    void operator()(const E&, F&, S&, T&) const {}
};
// A row's actions, then on_row(Row) if the context has it: how a row reports that it fired where
// MSM's own dispatch runs it (MSM's public API, backmp11). That is before the target's entry
// actions; the dispatch tables the header fills report after them.
template <::std::size_t Row, class Action>
struct row_action {
    template <class E, class F, class S, class T>
    void operator()(const E& e, F& f, S& s, T& t) const {
        Action{}(e, f, s, t);
        using context_type = ::std::remove_reference_t<decltype(*f.ctx_)>;
        if constexpr (has_on_row<context_type>::value) f.ctx_->on_row(Row);
    }
};
)";
        if (mp11) {
            emit_backmp11_detail(m, traits, functors, states, reporting_rows, h);
            return;
        }
        // MSM's transition_table declares the states, one internal row per state on an event that
        // is never sent, in spec order (so MSM's state numbers are the spec's). Where the header
        // fills MSM's dispatch tables itself (FSMGEN_MSM_DISPATCH, a Boost release it knows), the
        // spec's rows are only row_type<N>, run by MSM's own back-end rows from those tables: MSM's
        // cost grows with its table, 197 rows there cost g++ 4.4 s and 657 MB, 11 cost 2.7 s and
        // 428 MB for the TCP machine (docs/performance.md). Otherwise the rows follow the
        // declarations and MSM builds everything itself; it tries the rows of one (state, event)
        // from the bottom of its table up, so they are listed in reverse spec order. The table is an
        // mpl::list spelt as its nodes: no BOOST_MPL_LIMIT_* at any size.
        std::string table = "struct state_declaration {};  // never sent: MSM learns the states from these rows\n";
        table += "#if FSMGEN_MSM_DISPATCH\nusing states_end = ::boost::mpl::l_end;\n#else\n";
        std::string next = "::boost::mpl::l_end";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::string name = "rows_" + std::to_string(i);
            table += "using " + name + " = ::boost::mpl::l_item<::boost::mpl::long_<" + std::to_string(i + 1) + ">, " + reporting_rows[i] + ", " +
                     next + ">;\n";
            next = name;
        }
        table += "using states_end = " + next + ";\n#endif\n";
        next = "states_end";
        for (std::size_t i = m.states.size(); i-- > 0;) {
            const std::string name = "states_" + std::to_string(i);
            table += "using " + name + " = ::boost::mpl::l_item<::boost::mpl::long_<states_end::size::value + " +
                     std::to_string(m.states.size() - i) + ">, msmf::Row<" + state_type(m.states[i].name) + ", state_declaration, msmf::none>, " + next + ">;\n";
            next = name;
        }
        table += "using transition_table = " + next + ";\n\n";
        table += "// The rows of the spec, numbered as in transitions[].\ntemplate <::std::size_t Index>\nstruct row_type;\n";
        table += row_type_specializations(rows);

        // Per event, a switch on MSM's number of the source state, each case running that state's rows
        // by their index in transitions[].
        std::string cells;
        for (std::size_t e = 0; e < m.events.size(); ++e) {
            const auto by_source = row_indices_by_source(m, e);
            if (by_source.empty()) continue;
            std::string cases;
            for (const auto& [source, indices] : by_source) {
                cases += "            case ::boost::msm::back::get_state_id<Stt, " + state_type(m.states[source].name) +
                         ">::value:\n                return run_rows<Fsm, event::" + m.events[e].name + indices +
                         ">(fsm, region, msm_state, e);\n";
            }
            print(cells, R"(template <>
struct event_cells<event::$e$> {
    template <class Fsm, class Stt>
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    static ::boost::msm::back::HandledEnum run(Fsm& fsm, int region, int msm_state, const event::$e$& e) {
        switch (msm_state) {
$cases$            default:
                return ::boost::msm::back::HANDLED_FALSE;  // MSM then calls no_transition
        }
    }
};
)",
                  {{"e", m.events[e].name}, {"cases", cases}});
        }

        std::string state_map;
        for (const auto& s : m.states)
                state_map += "    a[::boost::msm::back::get_state_id<Stt, " + state_type(s.name) + ">::value] = state::" + s.name + ";\n";

        print(h, R"(
namespace detail {
namespace msmf = ::boost::msm::front;

// Detection of the context's members: the machine static_asserts on these with a readable message,
// and the calls below compile to nothing when a member is missing so that the static_assert is the
// only error the user sees.
$traits$
$functors$
namespace st {
$states$}  // namespace st

$table$
// MSM numbers states in the order its transition table first mentions them. That is spec order
// here, but current() reads MSM's own numbering rather than rely on it.
template <class Stt>
constexpr ::std::array<state, state_count> make_state_map() {
    ::std::array<state, state_count> a{};
$state_map$    return a;
}
template <class Stt>
inline constexpr ::std::array<state, state_count> state_map = make_state_map<Stt>();

template <class Context>
struct front : msmf::state_machine_def<front<Context>> {
    // No exceptions caught around actions and no event queue: each costs time on every event.
    using no_exception_thrown = int;
    using no_message_queue = int;

    explicit front(Context& context) noexcept : ctx_(&context) {}
    Context* ctx_;

    using initial_state = st::state_$initial$;
    using transition_table = detail::transition_table;

    template <class F, class E>
    void no_transition(const E&, F&, int msm_state) {
        unhandled<typename F::stt>(msm_state, id_of<E>);
    }
    template <class Stt>
    void unhandled(int msm_state, event_id e) {
        if constexpr (has_on_unhandled<Context>::value) ctx_->on_unhandled(state_map<Stt>[static_cast<::std::size_t>(msm_state)], e);
    }
};

#if FSMGEN_MSM_DISPATCH
// The dispatch of one event, written by the generator instead of built by MSM's metaprograms (see
// the specialization of ::boost::msm::back::dispatch_table below): event_cells<E>::run switches on
// the active state and runs MSM's own rows for it; a state without rows answers HANDLED_FALSE, on
// which MSM calls no_transition, as for its own empty cells.
// Tells the context which row of transitions[] just fired, when it asks (`on_row`): two rows of one
// (state, event) may share their target, and coverage by row needs to tell them apart.
template <class Fsm, ::std::size_t Row>
bool row_fired(Fsm& fsm) {
    using context_type = ::std::remove_reference_t<decltype(*fsm.ctx_)>;
    if constexpr (has_on_row<context_type>::value) fsm.ctx_->on_row(Row);
    return true;
}

// The rows of one (state, event), by their index in transitions[], tried in turn until one fires, as
// MSM's chain_row does: HANDLED_GUARD_REJECT when none fired and a guard said no. Each row runs as
// MSM's back-end row for it (guard, exit, action, entry, state switch). The rows are expanded in a
// braced list, evaluated in order, rather than a fold expression: a fold nests one level per row,
// and clang stops at 256 levels while a cell may hold more rows.
constexpr bool all_true(::std::initializer_list<bool> values) {
    for (bool v : values)
        if (!v) return false;
    return true;
}

template <class Fsm, class Event, ::std::size_t... Rows>
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline ::boost::msm::back::HandledEnum run_rows(Fsm& fsm, int region, int msm_state, const Event& e) {
    namespace msmb = ::boost::msm::back;
    static_assert(all_true({::std::is_same<typename row_type<Rows>::type::Evt, Event>::value...}), "fsmgen: a row of another event");
    msmb::HandledEnum result = msmb::HANDLED_FALSE;
    Event& event = const_cast<Event&>(e);  // MSM 1.86-1.88 declare execute() with a non-const event
    bool fired = false, rejected = false;
    const bool tried[] = {(fired || (result = Fsm::template make_row_tag<typename row_type<Rows>::type, Fsm>::type::execute(fsm, region, msm_state, event),
                                     rejected = rejected || result == msmb::HANDLED_GUARD_REJECT,
                                     fired = (result == msmb::HANDLED_TRUE || result == msmb::HANDLED_DEFERRED) && row_fired<Fsm, Rows>(fsm)))...};
    (void)tried;
    if (fired) return result;
    return rejected ? msmb::HANDLED_GUARD_REJECT : msmb::HANDLED_FALSE;
}

template <class Event>
struct event_cells {
    template <class Fsm, class Stt>
    static ::boost::msm::back::HandledEnum run(Fsm&, int, int, const Event&) {
        return ::boost::msm::back::HANDLED_FALSE;
    }
};
$cells$#endif  // FSMGEN_MSM_DISPATCH
}  // namespace detail
)",
              {{"traits", traits},
               {"functors", functors},
               {"states", states},
               {"state_map", state_map},
               {"initial", m.states[m.initial].name},
               {"table", table},
               {"cells", cells}});
    }

    // The machine on `back` or on backmp11: the same class (start, start_in, run to completion, the
    // on_rejected report) around each back end's state_machine; they differ in how the active state
    // is reached and, for backmp11, in stop() after start_in.
    static void emit_machine(const Model& m, bool mp11, std::string& h) {
        const std::string ns = m.qualified_namespace();
        const std::string asserts = context_asserts(m);

        std::string start_in_cases, stop_cases;
        for (const auto& s : m.states) {
            std::string entry, exit;
            for (std::size_t a : s.entry) entry += "                ::" + ns + "::detail::hook_" + m.actions[a] + "(*this->ctx_);\n";
            for (std::size_t a : s.exit) exit += "                ::" + ns + "::detail::hook_" + m.actions[a] + "(*this->ctx_);\n";
            const std::string id = mp11 ? "base_type::template get_state_id<detail::" + state_type(s.name) + ">()"
                                        : "::boost::msm::back::get_state_id<stt, detail::" + state_type(s.name) + ">::value";
            start_in_cases += "            case state::" + s.name + ":\n                active = " + id + ";\n" + entry + "                break;\n";
            if (!exit.empty()) stop_cases += "            case state::" + s.name + ":\n" + exit + "                break;\n";
        }
        // backmp11 runs the exit actions in stop() only for a machine it started itself (its running
        // flag is private): after start_in the header runs them, as `back` and the cpp target do.
        const std::string mp11_stop = R"(
    // Runs the exit actions of the current state (MSM's stop()).
    void stop() {
        if (!started_in_) {
            base_type::stop();
            return;
        }
        started_in_ = false;
        switch (::$ns$::current(*this)) {
$stop_cases$            default:
                break;
        }
    }
)";
        std::string stop_text;
        if (mp11) print(stop_text, mp11_stop, {{"ns", ns}, {"stop_cases", stop_cases}});
        // One event, processed now: MSM's dispatch plus the on_dispatch and on_rejected reports. MSM
        // answers HANDLED_GUARD_REJECT, and calls no no_transition, when rows exist for the state and
        // event but every guard said no.
        // On backmp11 with the header's own dispatch (FSMGEN_MP11_DISPATCH, a release it knows), the
        // event goes to the state's rows directly, then to no_transition if none handled it: what
        // backmp11's process_event comes down to for these machines (step, in dispatch_by_state).
        const std::string mp11_process_now = R"(        const int msm_state = this->get_active_state_ids()[0];
        const state before = detail::state_map<machine>[static_cast<::std::size_t>(msm_state)];
        if constexpr (detail::has_on_dispatch<Context>::value) this->ctx_->on_dispatch(before, id_of<Event>);
#if FSMGEN_MP11_DISPATCH
        const ::boost::msm::back::HandledEnum handled = step(msm_state, e);
        if (handled == ::boost::msm::back::HANDLED_FALSE) this->no_transition(e, *this, msm_state);
#else
        const ::boost::msm::back::HandledEnum handled = base_type::process_event(e);
        if (this->caught_) ::std::rethrow_exception(::std::exchange(this->caught_, nullptr));
#endif
        if (handled == ::boost::msm::back::HANDLED_GUARD_REJECT) {
            if constexpr (detail::has_on_rejected<Context>::value) this->ctx_->on_rejected(before, id_of<Event>);
        }
        return handled;
)";
        // On `back` with the dispatch tables the header writes (FSMGEN_MSM_DISPATCH), the event goes
        // to its table's cell directly, which is what MSM's process_event comes down to for these
        // machines: every other step of it (event queue, exception guard, deferral, completion
        // events, terminate and interrupt states, further regions) is off or absent for an fsmgen
        // machine at compile time, and what is left is MSM's do_process_event: the cell, then
        // no_transition if it did not handle the event. Called through MSM, g++ does not inline the
        // cell into process_event once it holds the rows (docs/performance.md, "Dispatch"); called
        // here, the whole dispatch inlines into the caller's loop.
        const std::string back_process_now = R"(        using stt = typename base_type::stt;
        const int msm_state = this->current_state()[0];
        if constexpr (detail::has_on_dispatch<Context>::value)
            this->ctx_->on_dispatch(detail::state_map<stt>[static_cast<::std::size_t>(msm_state)], id_of<Event>);
#if FSMGEN_MSM_DISPATCH
        const ::boost::msm::back::HandledEnum handled = detail::event_cells<Event>::template run<base_type, stt>(*this, 0, msm_state, e);
        if (handled == ::boost::msm::back::HANDLED_FALSE) this->no_transition(e, static_cast<base_type&>(*this), msm_state);
#else
        const ::boost::msm::back::HandledEnum handled = base_type::process_event(e);
#endif
        if (handled == ::boost::msm::back::HANDLED_GUARD_REJECT) {
            if constexpr (detail::has_on_rejected<Context>::value)
                this->ctx_->on_rejected(detail::state_map<stt>[static_cast<::std::size_t>(msm_state)], id_of<Event>);
        }
        return handled;
)";
        const std::string base = mp11 ? "::boost::msm::backmp11::state_machine<detail::front<Context>, detail::backmp11_config, machine<Context>>"
                                      : "::boost::msm::back::state_machine<detail::front<Context>>";
        print(h, R"(
namespace detail {
$any_event$}  // namespace detail

)",
              {{"any_event", any_event(m)}});
        print(h, R"(
// The Boost.MSM machine$on$. Context: see docs/generated-api.md. Copyable; holds a pointer to the context.
template <class Context>
class machine : public $base$ {
    using base_type = $base$;

$asserts$    static_assert(detail::has_on_unhandled<Context>::value,
                  "$ns$::machine: the context has no `void on_unhandled($ns$::state, $ns$::event_id)`");
    static_assert(detail::has_on_rejected<Context>::value,
                  "$ns$::machine: the context has no `void on_rejected($ns$::state, $ns$::event_id)`");

public:
    explicit machine(Context& context) : base_type(context) {}

    // Enters the initial state: its entry actions run; events they raise are processed after.
    void start() {
        const processing_scope scope(*this);
$started$        base_type::start();
        drain();
    }

    // For tests that begin in the middle of a protocol: instead of start(), makes `s` the active state
    // and runs its entry actions (not the initial state's). Sets the state MSM keeps behind
    // $where$.
    void start_in(state s) {
        const processing_scope scope(*this);
$active$        switch (s) {
$start_in_cases$        }
$started_in$        drain();
    }
$stop$
    // Run to completion: an event processed while another one is (raised by an action or an
    // entry/exit action through this machine) waits in a queue and is processed when the current one
    // has completed, in the order raised; the call returns HANDLED_DEFERRED. A context that declares
    // `using no_event_queue = int;` has no queue: such a call throws event_refused instead (the
    // event is never lost silently). Otherwise MSM's process_event, plus the on_rejected report: MSM
    // answers HANDLED_GUARD_REJECT, and calls no no_transition, when rows exist for the state and
    // event but every guard said no.
    template <class Event>
    ::boost::msm::back::HandledEnum process_event(const Event& e) {
        if (processing_) return enqueue(e);
        processing_ = 1;
        try {
            const ::boost::msm::back::HandledEnum handled = process_now(e);
            drain();
            return handled;
        } catch (...) {
            abandon();
            throw;
        }
    }

    Context& context() const noexcept { return *this->ctx_; }

$dispatch$
private:
$dispatch_private$    template <class Event>
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    ::boost::msm::back::HandledEnum process_now(const Event& e) {
$process_now$    }

$run_to_completion$
    ::std::uint8_t processing_ = 0;  // 0 free, 1 busy with a call, 2 busy and an event raised (drain())
$started_in_member$    ::std::size_t next_ = 0;
    ::std::vector<detail::any_event> queue_;
};
)",
              {{"asserts", asserts},
               {"ns", ns},
               {"on", mp11 ? " (on backmp11)" : ""},
               {"base", base},
               {"started", mp11 ? "        started_in_ = false;\n" : ""},
               {"where", mp11 ? "get_active_state_ids(), backmp11's array of active states (Boost 1.90 and 1.91)"
                              : "current_state(), which is the array of Boost.MSM's back end from 1.74 to 1.91"},
               {"active", mp11 ? "        int& active = const_cast<int&>(this->get_active_state_ids()[0]);\n"
                               : "        using stt = typename base_type::stt;\n        int& active = const_cast<int*>(this->current_state())[0];\n"},
               {"started_in", mp11 ? "        started_in_ = true;\n" : ""},
               {"stop", stop_text},
               {"process_now", mp11 ? mp11_process_now : back_process_now},
               {"dispatch", dispatch_member(m, mp11)},
               {"dispatch_private", dispatch_by_state(m, mp11)},
               {"run_to_completion", run_to_completion("::boost::msm::back::HandledEnum", "::boost::msm::back::HANDLED_DEFERRED")},
               {"started_in_member", mp11 ? "    bool started_in_ = false;  // since start_in: stop() runs the exit actions itself\n" : ""},
               {"start_in_cases", start_in_cases}});

        if (mp11) {
            print(h, R"(
template <class Context>
state current(const machine<Context>& m) noexcept {
    return detail::state_map<machine<Context>>[static_cast<::std::size_t>(m.get_active_state_ids()[0])];
}
)");
        } else {
            print(h, R"(
}  // namespace $ns$

#if FSMGEN_MSM_DISPATCH
// Boost.MSM builds each event's dispatch table with MPL algorithms over the transition table (about
// 0.7 s and 40 MB of g++ per event with TCP's 197 rows there). The generator knows the rows of each
// (state, event), so for fsmgen machines the table is written from that: MSM only ever reads it as
// `instance.entries[state + 1](fsm, region, state, event)`, so `entries` need not be an array of
// function pointers. Here entries[i] is a cell that switches on the state (event_cells<Event>::run)
// and runs MSM's back-end rows (guard, exit, action, entry, state switch); no call through a pointer
// is left, and the compiler can inline the whole dispatch into process_event. MSM still calls
// no_transition when a state has no row. MSM reads the table as a static object `instance` up to
// 1.83 and through a function `instance()` from 1.84 on (FSMGEN_MSM_DISPATCH 1 and 2).
namespace boost {
namespace msm {
namespace back {
template <class Context, class Stt, class Event, class CompilePolicy>
struct dispatch_table<state_machine<::$ns$::detail::front<Context>>, Stt, Event, CompilePolicy> {
    using fsm_type = state_machine<::$ns$::detail::front<Context>>;

    struct cell {
        int index;  // MSM's state number + 1; 0 is the machine's own internal transitions (none)
#if defined(__GNUC__)
        [[gnu::always_inline]]
#endif
        HandledEnum operator()(fsm_type& fsm, int region, int, const Event& e) const {
            return ::$ns$::detail::event_cells<Event>::template run<fsm_type, Stt>(fsm, region, index - 1, e);
        }
    };
    struct cells {
        constexpr cell operator[](int index) const noexcept { return cell{index}; }
    };

#if FSMGEN_MSM_DISPATCH == 1
    static const dispatch_table instance;
#else
    static constexpr dispatch_table instance() noexcept { return dispatch_table{}; }
#endif
    cells entries{};
};
#if FSMGEN_MSM_DISPATCH == 1
template <class Context, class Stt, class Event, class CompilePolicy>
const dispatch_table<state_machine<::$ns$::detail::front<Context>>, Stt, Event, CompilePolicy>
    dispatch_table<state_machine<::$ns$::detail::front<Context>>, Stt, Event, CompilePolicy>::instance{};
#endif
}  // namespace back
}  // namespace msm
}  // namespace boost
#endif  // FSMGEN_MSM_DISPATCH

namespace $ns$ {
template <class Context>
state current(const machine<Context>& m) noexcept {
    using stt = typename ::boost::msm::back::state_machine<detail::front<Context>>::stt;
    return detail::state_map<stt>[static_cast<::std::size_t>(m.current_state()[0])];
}
)",
                  {{"ns", ns}});
        }

        print(h, R"(
// Processes the event named by its id, for tests and fuzzers that choose events at run time, and for
// programs that read events as data (the member dispatch). Inlined into the caller with g++ and
// clang, which lets them keep the machine in registers across a loop of events (docs/performance.md,
// dispatch). Instantiates every event's dispatch: only pay for it where needed.
template <class Context>
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline ::boost::msm::back::HandledEnum dispatch(machine<Context>& m, event_id e) {
    return m.dispatch(e);
}
)");
    }

public:
    // machine_header::any_event: the same text in the msm and cpp targets' headers.
    static std::string any_event(const Model& m) {
        std::string constructors, copy, move, destroy, visit, members, nothrow;
        for (const auto& e : m.events) {
            const std::string& n = e.name;
            constructors += "    explicit any_event(const event::" + n + "& e) : id_(event_id::" + n + ") { ::new (static_cast<void*>(&p_)) event::" + n +
                            "(e); }\n";
            copy += "            case event_id::" + n + ": ::new (static_cast<void*>(&p_)) event::" + n + "(o.p_.e_" + n + "); break;\n";
            move += "            case event_id::" + n + ": ::new (static_cast<void*>(&p_)) event::" + n + "(::std::move(o.p_.e_" + n + ")); break;\n";
            destroy += "            case event_id::" + n + ": destroy_one(p_.e_" + n + "); break;\n";
            visit += "            case event_id::" + n + ": f(p_.e_" + n + "); break;\n";
            members += "        event::" + n + " e_" + n + ";\n";
            nothrow += std::string(nothrow.empty() ? "" : " &&\n                                      ") +
                       "::std::is_nothrow_move_constructible_v<event::" + n + ">";
        }
        std::string out;
        print(out, R"(// An event raised while another one was being processed, for the run-to-completion queue: which
// event, and a copy of it. A union written out rather than a std::variant, whose instantiations for
// every event (its constructors, std::visit's tables) took a third of the compile time of a TU that
// runs the TCP machine at -O0 (docs/performance.md, "Compile cost"). Like a variant, it holds nothing
// after an assignment whose copy threw; visit then calls nothing. Every member of the union is at
// its address: an event is built at &p_, so that an event type's own operator& is never called.
class any_event {
public:
$constructors$    any_event(const any_event& o) : id_(o.id_) { copy(o); }
    any_event(any_event&& o) noexcept(nothrow_move) : id_(o.id_) { move(o); }
    any_event& operator=(const any_event& o) {
        if (this != &o) {
            destroy();
            id_ = o.id_;
            copy(o);
        }
        return *this;
    }
    any_event& operator=(any_event&& o) noexcept(nothrow_move) {
        if (this != &o) {
            destroy();
            id_ = o.id_;
            move(o);
        }
        return *this;
    }
    ~any_event() { destroy(); }

    // Calls f(e) with the event held.
    template <class F>
    void visit(F&& f) const {
        if (!held_) return;
        switch (id_) {
$visit$        }
    }

private:
    static constexpr bool nothrow_move = $nothrow$;

    void copy(const any_event& o) {
        held_ = false;
        if (!o.held_) return;
        switch (id_) {
$copy$        }
        held_ = true;
    }
    void move(any_event& o) noexcept(nothrow_move) {
        held_ = false;
        if (!o.held_) return;
        switch (id_) {
$move$        }
        held_ = true;
    }
    template <class T>
    static void destroy_one(T& t) noexcept {
        t.~T();
    }
    void destroy() noexcept {
        if (!held_) return;
        held_ = false;
        switch (id_) {
$destroy$        }
    }

    event_id id_;
    bool held_ = true;
    union payload {
        payload() noexcept {}
        ~payload() {}
$members$    } p_;
};
)",
              {{"constructors", constructors},
               {"visit", visit},
               {"nothrow", nothrow},
               {"copy", copy},
               {"move", move},
               {"destroy", destroy},
               {"members", members}});
        return out;
    }

    // machine_header::run_to_completion: the same text in the msm and cpp targets' machines.
    static std::string run_to_completion(std::string_view result, std::string_view queued) {
        std::string out;
        print(out, R"(    // An external call marks the machine busy (processing_ 1) and ends with drain(); an exception from
    // an action calls abandon() on its way out, so that the machine is free again and nothing raised
    // meanwhile is left over. process_event and dispatch write this as try/catch, start and start_in
    // through this scope: as a scope, the reference it holds was stored and reloaded around every
    // event, and its test of processing_ not folded away (2 to 4 instructions per event,
    // docs/performance.md, "Dispatch").
    struct processing_scope {
        explicit processing_scope(machine& m) noexcept : m_(m) { m_.processing_ = 1; }
        ~processing_scope() {
            if (m_.processing_ != 0) m_.abandon();  // only after an exception: drain() leaves it 0
        }
        processing_scope(const processing_scope&) = delete;
        processing_scope& operator=(const processing_scope&) = delete;
        machine& m_;
    };
#if defined(__GNUC__)
    [[gnu::noinline, gnu::cold]]
#endif
    void abandon() noexcept {
        processing_ = 0;
        queue_.clear();
        next_ = 0;
    }

    // Inline, and the same two calls for every event: one push and one throw per machine, not one
    // function per event (compile time, docs/performance.md, "Dispatch").
    template <class Event>
    $result$ enqueue(const Event& e) {
        if constexpr (detail::has_no_event_queue<Context>::value) {
            refuse(id_of<Event>);
        } else {
            push(detail::any_event(e));
            return $queued$;
        }
    }
#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    void push(detail::any_event&& e) {
        queue_.push_back(::std::move(e));
        processing_ = 2;
    }
#if defined(__GNUC__)
    [[gnu::noinline, gnu::cold]]
#endif
    [[noreturn]] static void refuse(event_id id) {
        throw event_refused(id);
    }

    // Ends an external call. processing_ is 2 once the call has raised an event, so that the way out
    // tests the byte the way in tested and stored, not the queue's two pointers besides; a compiler
    // that sees every action of the call drops the test (docs/performance.md, "Dispatch"). The queue
    // is a vector read from `next_` on: it allocates only once an event is raised, and a machine is
    // cheap to copy (the explorer copies millions). An event is moved out before it is processed,
    // since processing it may raise more and grow the vector. The loop is out of line: most events
    // raise nothing, and the loop's code beside every dispatch kept g++ from inlining it.
    void drain() {
        if constexpr (!detail::has_no_event_queue<Context>::value) {
            if (processing_ != 1) drain_raised();
        }
        processing_ = 0;
    }
#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    void drain_raised() {
        if constexpr (!detail::has_no_event_queue<Context>::value) {
            while (next_ < queue_.size()) {
                detail::any_event next = ::std::move(queue_[next_++]);
                next.visit([this](const auto& e) { this->process_now(e); });
            }
            queue_.clear();
            next_ = 0;
        }
    }
)",
              {{"result", result}, {"queued", queued}});
        return out;
    }

private:
    // machine::dispatch(event_id). Where the header writes MSM's dispatch tables (`back` on a known
    // release), a switch on the state, then on the event, each case running that cell's rows, as a
    // hand-written machine is laid out: the state's switch is then one branch whose target rarely
    // changes between events. Switching on the event first (as process_event<E> must), all inlined,
    // measured 1.7 to 1.8 times a hand-written switch with trivial work, by state first 1.2 to 1.3
    // (docs/performance.md, "Dispatch"). Elsewhere, a switch on the event calling process_event.
    static std::string dispatch_member(const Model& m, bool mp11) {
        std::string by_event;
        for (const auto& e : m.events) by_event += "            case event_id::" + e.name + ": return process_event(event::" + e.name + "{});\n";
        std::string out;
        print(out, R"(    // The event given by its id, for dispatch(m, id); queued as process_event queues.
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    ::boost::msm::back::HandledEnum dispatch(event_id id) {
#if $mode$
        if (processing_) return enqueue_id(id);
        processing_ = 1;
        try {
            const ::boost::msm::back::HandledEnum handled = dispatch_now(id);
            drain();
            return handled;
        } catch (...) {
            abandon();
            throw;
        }
#else
        switch (id) {
$by_event$        }
        return ::boost::msm::back::HANDLED_FALSE;
#endif
    }
)",
              {{"by_event", by_event}, {"mode", mp11 ? "FSMGEN_MP11_DISPATCH" : "FSMGEN_MSM_DISPATCH"}});
        return out;
    }

    // The private half of machine::dispatch where the header dispatches itself (`back`:
    // FSMGEN_MSM_DISPATCH, backmp11: FSMGEN_MP11_DISPATCH); backmp11's states are numbered by
    // base_type::get_state_id. On `back` each case runs MSM's own back-end rows (detail::run_rows);
    // on backmp11 the rows are written out in the case, as the cpp target writes them, and again
    // per event in step(), for process_event.
    static std::string dispatch_by_state(const Model& m, bool mp11) {
        std::string enqueue, cases, steps;
        for (const auto& e : m.events) enqueue += "            case event_id::" + e.name + ": return enqueue(event::" + e.name + "{});\n";
        const auto mp11_state = [&m](std::size_t s) { return "base_type::template get_state_id<detail::" + state_type(m.states[s].name) + ">()"; };
        machine_header::RowText text;
        text.context = "this->ctx_";
        text.enter = [&](std::size_t s) { return "const_cast<int&>(this->get_active_state_ids()[0]) = " + mp11_state(s) + ";"; };
        text.report_before_entry = true;
        text.fired = "return ::boost::msm::back::HANDLED_TRUE;";
        for (std::size_t s = 0; s < m.states.size(); ++s) {
            std::string inner;
            for (std::size_t e = 0; e < m.events.size(); ++e) {
                const auto rows = machine_header::rows_of(m, s, e);
                if (rows.empty()) continue;
                const std::string& event = m.events[e].name;
                if (mp11) {
                    text.rejected = [](const std::string&) { return "return reported(::boost::msm::back::HANDLED_GUARD_REJECT, msm_state, id);"; };
                    inner += "                case event_id::" + event + ": {\n                    [[maybe_unused]] const event::" + event + " e{};\n" +
                             machine_header::rows_code(m, rows, text, "                    ") + "                }\n";
                } else {
                    std::string indices;
                    for (const Transition* t : rows) indices += ", " + std::to_string(t - m.transitions.data());
                    inner += "                case event_id::" + event + ":\n                    return reported(detail::run_rows<base_type, event::" + event +
                             indices + ">(*this, 0, msm_state, event::" + event + "{}), msm_state, id);\n";
                }
            }
            if (inner.empty()) continue;
            cases += "            case " + (mp11 ? mp11_state(s) : "::boost::msm::back::get_state_id<stt, detail::" + state_type(m.states[s].name) + ">::value") +
                     ":\n                switch (id) {\n" + inner + "                default:\n                    break;\n                }\n                break;\n";
        }
        if (mp11) {
            text.rejected = [](const std::string&) { return "return ::boost::msm::back::HANDLED_GUARD_REJECT;"; };
            for (std::size_t e = 0; e < m.events.size(); ++e) {
                std::string step_cases;
                for (std::size_t s = 0; s < m.states.size(); ++s) {
                    const auto rows = machine_header::rows_of(m, s, e);
                    if (!rows.empty()) step_cases += "            case " + mp11_state(s) + ":\n" + machine_header::rows_code(m, rows, text, "                ");
                }
                print(steps, R"(#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    ::boost::msm::back::HandledEnum step([[maybe_unused]] int msm_state, [[maybe_unused]] const event::$e$& e) {
$switch$        return ::boost::msm::back::HANDLED_FALSE;  // the caller then calls no_transition
    }
)",
                      {{"e", m.events[e].name},
                       {"switch", step_cases.empty() ? "" : "        switch (msm_state) {\n" + step_cases + "            default:\n                break;\n        }\n"}});
            }
            steps = R"(
    // One per event, for process_event: the rows of each source state, in spec order, until one fires,
    // as backmp11's rows run (the guard; the source's exit actions, the row's actions, the on_row
    // report, the target's entry actions, then the switch of the active state, backmp11's default
    // active_state_switch_after_entry; an internal row: its actions and the report). HANDLED_FALSE
    // when the state has no row for the event, HANDLED_GUARD_REJECT when every guard said no.
    // Written out rather than instantiating backmp11's own rows: those reach the same calls through
    // layers of templates per row, which were most of what a TU paid to compile the machine
    // (docs/performance.md, "Compile cost").
)" + steps;
        }
        std::string out;
        print(out, R"(#if $mode$
#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    ::boost::msm::back::HandledEnum enqueue_id(event_id id) {
        switch (id) {
$enqueue$        }
        return ::boost::msm::back::HANDLED_FALSE;
    }
$steps$
    // process_now for an event given by its id: the same steps, with the cell chosen by the state first.
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    ::boost::msm::back::HandledEnum dispatch_now(event_id id) {
        using stt = $stt$;
        const int msm_state = $active$;
        if constexpr (detail::has_on_dispatch<Context>::value)
            this->ctx_->on_dispatch(detail::state_map<stt>[static_cast<::std::size_t>(msm_state)], id);
        switch (msm_state) {
$cases$            default:
                break;
        }
        return reported(::boost::msm::back::HANDLED_FALSE, msm_state, id);
    }

    // The unhandled and rejected reports of dispatch_now, then its answer. Each case returns through
    // this rather than breaking out to one test after the switch: with one join after the switch,
    // g++ laid out two more taken jumps after every event (docs/performance.md, "Dispatch").
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    ::boost::msm::back::HandledEnum reported(::boost::msm::back::HandledEnum handled, int msm_state, event_id id) {
        using stt = $stt$;
        if (handled == ::boost::msm::back::HANDLED_FALSE) {
            this->$unhandled$(msm_state, id);  // what MSM's no_transition does here
        } else if (handled == ::boost::msm::back::HANDLED_GUARD_REJECT) {
            if constexpr (detail::has_on_rejected<Context>::value)
                this->ctx_->on_rejected(detail::state_map<stt>[static_cast<::std::size_t>(msm_state)], id);
        }
        return handled;
    }
#endif

)",
              {{"enqueue", enqueue},
               {"steps", steps},
               {"cases", cases},
               {"mode", mp11 ? "FSMGEN_MP11_DISPATCH" : "FSMGEN_MSM_DISPATCH"},
               {"stt", mp11 ? "machine" : "typename base_type::stt"},
               {"active", mp11 ? "this->get_active_state_ids()[0]" : "this->current_state()[0]"},
               {"unhandled", mp11 ? "unhandled" : "template unhandled<stt>"}});
        return out;
    }

    // ---- --msm-backend backmp11: the same front end on ::boost::msm::backmp11::state_machine -------
    // Boost 1.90's back end, written with Mp11 instead of MPL: it compiles large machines several
    // times faster than `back` does (docs/performance.md). On the releases the header knows
    // (FSMGEN_MP11_DISPATCH) backmp11's transition table only declares the states and the machine
    // runs backmp11's rows for the spec's rows from its own switches; elsewhere the spec's rows
    // follow the declarations in the table and backmp11's process_event runs them.

    static void emit_backmp11_prologue(const Model& m, const EmitOptions& options, const std::string& types_name, std::string& h) {
        print(h, R"($banner$// API: docs/generated-api.md. Needs Boost.MSM's backmp11 (Boost 1.90 or newer) and C++17.
// Translation units that do not use the machine itself can include $types$ alone: it holds
// everything that needs no Boost (events, states, names, transitions[]).
#ifndef $guard$
#define $guard$

#include "$types$"

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/version.hpp>
#if BOOST_VERSION < 109000
#error "this header was generated with fsmgen emit --msm-backend backmp11, which needs Boost 1.90 or newer; regenerate it without that option"
#endif

// Shared by every fsmgen backmp11 header (hence its own guard). The machine runs the spec's rows as
// backmp11 runs them, from its own switches (on the state, then the event), instead of going through
// backmp11's process_event, which is out of line (1.91: BOOST_NOINLINE) and wraps every event in a
// try block and a processing flag. That leans on how a release runs a row and keeps its active state
// (1 is 1.90, 2 is 1.91: the same for both), so it is done only for the releases named here, and
// tested for each (tests/msm_versions). On any other release, or with FSMGEN_MSM_PUBLIC_API defined,
// the machine calls backmp11's process_event: the same machine, slower to dispatch
// (docs/generated-api.md, docs/performance.md).
#ifndef FSMGEN_MP11_SUPPORT_1
#define FSMGEN_MP11_SUPPORT_1
#if defined(FSMGEN_MSM_PUBLIC_API)
#define FSMGEN_MP11_DISPATCH 0
#elif BOOST_VERSION >= 109000 && BOOST_VERSION < 109100
#define FSMGEN_MP11_DISPATCH 1
#elif BOOST_VERSION >= 109100 && BOOST_VERSION < 109200
#define FSMGEN_MP11_DISPATCH 2
#else
#define FSMGEN_MP11_DISPATCH 0
#endif
#endif  // FSMGEN_MP11_SUPPORT_1

#include <boost/mp11/list.hpp>
#include <boost/msm/backmp11/state_machine.hpp>
#if FSMGEN_MP11_DISPATCH
#include <boost/mpl/is_sequence.hpp>
#include <boost/msm/front/completion_event.hpp>
#include <boost/msm/row_tags.hpp>
#else
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#endif

$shield$
// Shared by every fsmgen backmp11 header (hence its own guard): the bases of the machine's front end
// and states, and the rows of its table. Where the header runs the rows itself
// (FSMGEN_MP11_DISPATCH), light ones, which give backmp11 what it reads of them (1.90 and 1.91 alike)
// and spare each translation unit MSM's front-end headers, MPL and Fusion (docs/performance.md,
// "Compile cost"); elsewhere MSM's own front end, as backmp11's documentation has it.
#ifndef FSMGEN_MP11_FRONT_1
#define FSMGEN_MP11_FRONT_1
namespace fsmgen_mp11 {
#if FSMGEN_MP11_DISPATCH
struct state_def {
    struct internal {
        using tag = ::boost::msm::front::detail::state_tag;
    };
    using flag_list = ::boost::mp11::mp_list<>;
    using internal_flag_list = ::boost::mp11::mp_list<>;
    using deferred_events = ::boost::mp11::mp_list<>;
    using internal_transition_table = ::boost::mp11::mp_list<>;
    template <class E, class F>
    void on_entry(const E&, F&) {}
    template <class E, class F>
    void on_exit(const E&, F&) {}
};
template <class Derived>
struct machine_def {
    struct internal {
        using tag = ::boost::msm::front::detail::composite_state_tag;
    };
    using flag_list = ::boost::mp11::mp_list<>;
    using internal_flag_list = ::boost::mp11::mp_list<>;
    using deferred_events = ::boost::mp11::mp_list<>;
    using configuration = ::boost::mp11::mp_list<>;
    using internal_transition_table = ::boost::mp11::mp_list<>;
    using history = ::boost::msm::front::no_history;
    template <class E, class F>
    void on_entry(const E&, F&) {}
    template <class E, class F>
    void on_exit(const E&, F&) {}
};
// A row as msmf::Row has it: an internal row (target none) names its source as its target and
// carries an irow tag.
template <class Source_, class Event_, class Target_, class Action_ = ::boost::msm::front::none,
          class Guard_ = ::boost::msm::front::none>
struct row_def {
    using Source = Source_;
    using Evt = Event_;
    using Target = Target_;
    using Action = Action_;
    using Guard = Guard_;
    using row_type_tag = ::boost::msm::row_tag;
};
template <class Source_, class Event_, class Action_, class Guard_>
struct row_def<Source_, Event_, ::boost::msm::front::none, Action_, Guard_> {
    using Source = Source_;
    using Evt = Event_;
    using Target = Source_;
    using Action = Action_;
    using Guard = Guard_;
    using row_type_tag = ::boost::msm::irow_tag;
};
template <class Source_, class Event_>
struct row_def<Source_, Event_, ::boost::msm::front::none, ::boost::msm::front::none, ::boost::msm::front::none> {
    using Source = Source_;
    using Evt = Event_;
    using Target = Source_;
    using Action = ::boost::msm::front::none;
    using Guard = ::boost::msm::front::none;
    using row_type_tag = ::boost::msm::_irow_tag;
};
#else
using state_def = ::boost::msm::front::state<>;
template <class Derived>
using machine_def = ::boost::msm::front::state_machine_def<Derived>;
template <class Source, class Event, class Target, class Action = ::boost::msm::front::none, class Guard = ::boost::msm::front::none>
using row_def = ::boost::msm::front::Row<Source, Event, Target, Action, Guard>;
#endif
}  // namespace fsmgen_mp11
#endif  // FSMGEN_MP11_FRONT_1

namespace $ns$ {
template <class Context>
class machine;
template <class Context>
state current(const machine<Context>& m) noexcept;
)",
              {{"banner", banner(m)},
               {"types", types_name},
               {"guard", include_guard(m, main_header_name(m, options))},
               {"shield", cpp_text::macro_shield_begin(spec_names(m))},
               {"ns", m.qualified_namespace()}});
    }

    static void emit_backmp11_detail(const Model& m, const std::string& traits, const std::string& functors, const std::string& states,
                                     const std::vector<std::string>& msmf_rows, std::string& h) {
        // The table declares the states first, one internal row per state on an event that is never
        // sent, in spec order, so that states without rows exist too. Then, only where backmp11's process_event runs them (not
        // FSMGEN_MP11_DISPATCH; with it, the machine runs them written out, dispatch_by_state, and
        // backmp11 need not transform them), the spec's rows in reverse spec order: backmp11 (1.90 and 1.91 alike)
        // tries the rows of one (state, event) from the bottom of its table up, and so tries them in
        // spec order, as `back`, cpp and the header's own dispatch below do.
        std::vector<std::string> declarations;
        for (const auto& s : m.states) declarations.push_back("::fsmgen_mp11::row_def<" + state_type(s.name) + ", state_declaration, msmf::none>");
        // The rows on fsmgen_mp11::row_def (msmf::Row, or the light row where the header runs them).
        std::vector<std::string> rows;
        for (const std::string& r : msmf_rows) rows.push_back("::fsmgen_mp11::row_def<" + r.substr(r.find('<') + 1));
        const std::vector<std::string> reversed(rows.rbegin(), rows.rend());
        std::string table = join(declarations, ",\n    ");
        if (!reversed.empty()) table += "\n#if !FSMGEN_MP11_DISPATCH\n    , " + join(reversed, ",\n    ") + "\n#endif\n    ";

        std::string state_map;
        for (const auto& s : m.states)
            state_map += "    a[static_cast<::std::size_t>(Sm::template get_state_id<" + state_type(s.name) + ">())] = state::" + s.name + ";\n";
        print(h, R"(
namespace detail {
namespace msmf = ::boost::msm::front;

// Detection of the context's members: the machine static_asserts on these with a readable message,
// and the calls below compile to nothing when a member is missing so that the static_assert is the
// only error the user sees.
$traits$
#if !FSMGEN_MP11_DISPATCH
// The rows' guards and actions as MSM functors, for backmp11's process_event.
$functors$#endif

namespace st {
$states$}  // namespace st

struct state_declaration {};  // never sent: declares the states that no row leaves
using transition_table = ::boost::mp11::mp_list<
    $table$>;

// backmp11 numbers the states itself; current() maps its numbers back to the spec's.
template <class Sm>
constexpr ::std::array<state, state_count> make_state_map() {
    ::std::array<state, state_count> a{};
$state_map$    return a;
}
template <class Sm>
inline constexpr ::std::array<state, state_count> state_map = make_state_map<Sm>();


// backmp11's own event pool stays off: the machine queues raised events itself. backmp11 1.90 reads
// that from the front's no_message_queue, 1.91 from the config's event container (and its default,
// a std::deque, allocates in every machine's constructor and copy).
#if BOOST_VERSION >= 109100
struct backmp11_config : ::boost::msm::backmp11::default_state_machine_config {
    template <class T>
    using event_container = ::boost::msm::backmp11::no_event_container<T>;
};
#else
using backmp11_config = ::boost::msm::backmp11::default_state_machine_config;
#endif

template <class Context>
struct front : ::fsmgen_mp11::machine_def<front<Context>> {
    // No event queue in backmp11: the machine has its own (run to completion). Exceptions are caught:
    // backmp11 leaves its "processing" flag set when an exception leaves an action, and then defers
    // every later event. Caught, it clears the flag; machine::process_event rethrows the exception.
    using no_message_queue = int;

    explicit front(Context& context) noexcept : ctx_(&context) {}
    front() noexcept = default;  // backmp11 1.91 copies a machine by default-constructing, then assigning
    Context* ctx_ = nullptr;
    ::std::exception_ptr caught_;

    template <class Fsm, class Event>
    void exception_caught(const Event&, Fsm&, ::std::exception&) {
        caught_ = ::std::current_exception();
    }

    using initial_state = st::state_$initial$;
    using transition_table = detail::transition_table;

    template <class F, class E>
    void no_transition(const E&, F&, int msm_state) {
        unhandled(msm_state, id_of<E>);
    }
    void unhandled(int msm_state, event_id e) {
        if constexpr (has_on_unhandled<Context>::value)
            ctx_->on_unhandled(state_map<machine<Context>>[static_cast<::std::size_t>(msm_state)], e);
    }
};
}  // namespace detail
)",
              {{"traits", traits},
               {"functors", functors},
               {"states", states},
               {"table", table},
               {"state_map", state_map},
               {"initial", m.states[m.initial].name}});
    }

    static void emit_scripted_context(const Model& m, std::string& h) {
        const Uses u = uses(m);
        std::string members;
        for (const auto& [g, evs] : u.guard_events) {
            (void)evs;
            print(members, R"(    template <class E>
    bool $n$(const E&) { return ask("$n$", id_of<E>); }
)",
                  {{"n", m.guards[g]}});
        }
        for (const auto& [a, evs] : u.action_events) {
            (void)evs;
            print(members, R"(    template <class E>
    void $n$(const E&) { acted("$n$"); }
)",
                  {{"n", m.actions[a]}});
        }
        for (std::size_t a : u.hooks)
            print(members, "    void $n$() { acted(\"$n$\"); }\n", {{"n", m.actions[a]}});

        print(h, R"(
// A ready-made context for tests and fuzzers: guards ask an oracle (default: always true), actions
// and entry/exit actions append their names to `log`, and reports are recorded.
class scripted_context {
public:
    using guard_oracle = ::std::function<bool(::std::string_view guard, state source, event_id event)>;
    struct report {
        state source;
        event_id event;
        friend bool operator==(const report& a, const report& b) noexcept { return a.source == b.source && a.event == b.event; }
        friend bool operator!=(const report& a, const report& b) noexcept { return !(a == b); }
    };

    scripted_context() = default;
    explicit scripted_context(guard_oracle oracle) : oracle_(::std::move(oracle)) {}
    void set_oracle(guard_oracle oracle) { oracle_ = ::std::move(oracle); }

    ::std::vector<::std::string_view> log;  // every action and entry/exit action, in the order run
    // Called after each action and entry/exit action is logged: a test raises events from here
    // (through the machine's process_event or dispatch; docs/generated-api.md, run to completion).
    ::std::function<void(::std::string_view action)> on_action;
    ::std::vector<report> unhandled;
    ::std::vector<report> rejected;

    void on_dispatch(state source, event_id) noexcept { source_ = source; }
    void on_unhandled(state s, event_id e) { unhandled.push_back({s, e}); }
    void on_rejected(state s, event_id e) { rejected.push_back({s, e}); }

$members$
private:
    // Out of line: every row calls these, and g++ inlining their std::function call and vector append
    // into each row cost about a sixth of the compile time of a translation unit that runs the TCP
    // machine on this context (cpp and backmp11 targets; docs/performance.md, "Compile cost").
#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    bool ask(::std::string_view guard, event_id e) const { return !oracle_ || oracle_(guard, source_, e); }
#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    void acted(::std::string_view action) {
        log.push_back(action);
        if (on_action) on_action(action);
    }

    guard_oracle oracle_;
    state source_ = state::$initial$;
};
)",
              {{"members", members}, {"initial", m.states[m.initial].name}});
    }
};

}  // namespace

std::unique_ptr<Backend> make_msm_backend() { return std::make_unique<MsmBackend>(); }

namespace machine_header {

std::string write_companion_headers(const Model& m, const EmitOptions& options, OutputSink& out) {
    return MsmBackend::write_companion_headers(m, options, out);
}
std::string include_guard(const Model& m, const EmitOptions& options) { return fsmgen::include_guard(m, main_header_name(m, options)); }
std::string banner(const Model& m) { return MsmBackend::banner(m); }
std::string shield_begin(const Model& m) { return cpp_text::macro_shield_begin(spec_names(m)); }
std::string shield_end(const Model& m) { return cpp_text::macro_shield_end(spec_names(m)); }
std::string context_traits(const Model& m, bool wrappers) { return MsmBackend::context_traits(m, wrappers); }
std::string context_asserts(const Model& m) { return MsmBackend::context_asserts(m); }
std::string any_event(const Model& m) { return MsmBackend::any_event(m); }
std::string run_to_completion(std::string_view result, std::string_view queued) {
    return MsmBackend::run_to_completion(result, queued);
}

}  // namespace machine_header

}  // namespace fsmgen
