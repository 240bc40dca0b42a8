// The validated machine: every name resolved to an index, wildcards and state sets expanded. The
// checker is the only producer; every backend and the interpreter read nothing else (never the AST).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen::model {

// Where a thing was written, for backends that cite the spec (json, comments in generated code).
struct Origin {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

// The categories are fixed: fuzzers pick events by category and diagrams style them by it.
enum class Category { user, segment, timer, internal };
inline constexpr Category all_categories[] = {Category::user, Category::segment, Category::timer, Category::internal};
std::string_view to_string(Category c);
std::optional<Category> category_from_string(std::string_view s);

struct Event {
    std::string name;
    Category category = Category::user;
    std::string doc;
    Origin origin;
};

struct State {
    std::string name;
    std::string doc;
    bool initial = false;
    bool final = false;
    std::vector<std::size_t> entry;  // indices into Model::actions, in order
    std::vector<std::size_t> exit;
    Origin origin;
};

struct GuardTerm {
    std::size_t guard = 0;  // index into Model::guards
    bool negated = false;
};

// How a rule named its source states.
enum class SourceKind { single, set, wildcard };

// One transition line of the spec, as written (before expansion).
struct Rule {
    SourceKind kind = SourceKind::single;
    std::vector<std::size_t> sources;   // after expansion: the states the rule applies to
    std::vector<std::size_t> excluded;  // wildcard exceptions, as written
    Origin origin;
};

// One row: a single source state. A rule with a wildcard or a set of sources yields one row per state.
struct Transition {
    std::size_t source = 0;
    std::size_t event = 0;
    std::optional<std::size_t> target;  // empty: internal (no exit or entry actions run)
    std::vector<GuardTerm> guard;       // a conjunction; empty: always enabled
    std::vector<std::size_t> actions;   // indices into Model::actions, in order
    std::size_t rule = 0;               // index into Model::rules

    bool internal() const { return !target.has_value(); }
    // The state after the transition fires: the target, or the source for an internal transition.
    std::size_t next() const { return target.value_or(source); }
};

struct Model {
    std::string source_name;  // the spec file as given on the command line
    std::string name;
    std::string doc;
    std::vector<std::string> cpp_namespace;  // {"tcp"} or {"net", "tcp"}; defaults to {name}

    std::vector<Event> events;  // declaration order
    std::vector<State> states;  // declaration order
    std::vector<std::string> guards;   // first-use order
    std::vector<std::string> actions;  // first-use order (entry/exit hooks included)
    std::vector<Rule> rules;
    std::vector<Transition> transitions;  // spec order; a rule's rows in state order
    std::size_t initial = 0;

    std::optional<std::size_t> find_state(std::string_view name) const;
    std::optional<std::size_t> find_event(std::string_view name) const;
    std::string qualified_namespace() const;  // "net::tcp"
};

}  // namespace fsmgen::model
