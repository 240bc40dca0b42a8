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

// An event category: a word of the spec's own (TCP: user, segment, timer; a TLS spec: message,
// alert...). Diagrams draw each category in its own colour and line style, in declaration order.
struct Category {
    std::string name;
    std::string doc;  // for legends; may be empty
    Origin origin;    // where first used
};

// A data member of an event: `code: std::uint32_t`. The type is C++ as written in the spec (blanks
// removed, one space after each comma); cxx_types.hpp reads it.
struct Field {
    std::string name;
    std::string type;
    Origin origin;
};

struct Event {
    std::string name;
    std::size_t category = 0;  // index into Model::categories
    std::string doc;
    Origin origin;
    std::vector<Field> fields;  // the generated event struct's members, in order
    std::string type;           // `name = ns::type`: the user's own type is the event (no fields then); empty: generated
};

// `include <x>` or `include "x"`: a header the generated C++ needs for the spec's own types.
struct Include {
    std::string path;
    bool system = false;  // <...>
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

// ---- verification (docs/spec-language.md#verification); only backends that verify read these -----

// `assert never S [after E without A]`: no instance is ever in S; with `after`, no instance enters S
// between processing E and running A.
struct Safety {
    std::vector<std::size_t> states;
    std::optional<std::size_t> after_event;
    std::optional<std::size_t> without_action;
    Origin origin;
};

// `assert from X eventually Y`: every run in which an instance reaches X reaches Y later.
struct Liveness {
    std::vector<std::size_t> from;
    std::vector<std::size_t> to;
    Origin origin;
};

struct Channel {
    std::size_t from = 0;  // indices into Model::instances
    std::size_t to = 0;
    unsigned capacity = 1;
    bool lossy = false;
    bool duplicating = false;
    bool reordering = false;
    Origin origin;
};

// Running `action` sends `event` to the peer, over the instance's outgoing channel.
struct Message {
    std::size_t action = 0;
    std::size_t event = 0;
};

struct Model {
    std::string source_name;  // the spec file as given on the command line
    std::string name;
    std::string doc;
    std::vector<std::string> cpp_namespace;  // {"tcp"} or {"net", "tcp"}; defaults to {name}

    std::vector<Include> includes;    // declaration order
    std::vector<Category> categories;  // order of first use in the events blocks
    std::vector<Event> events;  // declaration order
    std::vector<State> states;  // declaration order
    std::vector<std::string> guards;   // first-use order
    std::vector<std::string> actions;  // first-use order (entry/exit hooks included)
    std::vector<Rule> rules;
    std::vector<Transition> transitions;  // spec order; a rule's rows in state order
    std::size_t initial = 0;

    std::vector<Safety> safety;
    std::vector<Liveness> liveness;
    std::vector<std::string> instances;  // empty: no composition, the machine alone
    std::vector<Channel> channels;
    std::vector<Message> messages;

    std::optional<std::size_t> find_state(std::string_view name) const;
    std::optional<std::size_t> find_event(std::string_view name) const;
    std::optional<std::size_t> find_category(std::string_view name) const;
    std::string qualified_namespace() const;  // "net::tcp"
};

}  // namespace fsmgen::model
