// The syntax tree of a .fsm spec, exactly as written: nothing is resolved or validated here (that is
// the checker's job). Every node records the byte span it came from.
#pragma once

#include "diag/source.hpp"

#include <string>
#include <vector>

namespace fsmgen::ast {

struct Located {
    Span span;
};

// Optional parts of a statement are plain values that are empty when absent (Spirit X3 in Boost 1.81
// does not fill std::optional).
struct Name : Located {
    std::string text;
    bool present() const { return !text.empty(); }
};

struct Text : Located {  // a doc string, escapes already decoded
    std::string value;
    bool present() const { return span.end > span.begin; }  // "" still spans its two quotes
};

struct MachineDecl : Located {
    Name name;
    Text doc;
};

struct NamespaceDecl : Located {
    std::vector<Name> parts;  // a::b::c
};

// A C++ type as written in the spec (`std::uint32_t`, `tls::certificate`, `std::array<std::uint8_t, 32>`),
// blanks removed and one space after each comma.
struct CxxType : Located {
    std::string text;
    bool present() const { return !text.empty(); }
};

struct Field : Located {  // `code: std::uint32_t`
    Name name;
    CxxType type;
};

struct EventDecl : Located {
    Name name;
    std::vector<Field> fields;  // `name(a: T, b: U)`
    CxxType alias;              // `name = ns::type`: the user's own type is the event
    Text doc;
};

struct EventGroup : Located {
    Name category;
    Text category_doc;  // `segment "input from the peer": ...`
    std::vector<EventDecl> events;
};

struct IncludeDecl : Located {  // `include <openssl/x509.h>` or `include "tls_types.hpp"`
    bool system = false;        // <...>
    std::string path;
};

struct EventsBlock : Located {
    std::vector<EventGroup> groups;
};

enum class StateMarker { initial, final };

struct StateHook : Located {  // `entry a, b` or `exit c`
    bool is_entry = true;
    std::vector<Name> actions;
};

struct StateDecl : Located {
    std::vector<StateMarker> markers;  // as written, so duplicates can be reported
    Name name;
    Text doc;
    std::vector<StateHook> hooks;
};

struct GuardLiteral : Located {
    bool negated = false;
    Name name;
};

enum class SourceKind { single, set, wildcard };

struct Source : Located {
    SourceKind kind = SourceKind::single;
    std::vector<Name> states;  // the state, the set, or the wildcard's exceptions
};

struct Transition : Located {
    Source source;
    Name event;
    std::vector<GuardLiteral> guard;  // a conjunction; empty means always
    std::vector<Name> actions;
    Name target;  // absent: an internal transition (no exit, no entry)
};

// ---- verification: properties and compositions (docs/spec-language.md#verification) ----------------

// `assert never S` or `assert never S after E without A`: S is a state or a `{...}` set.
struct AfterClause : Located {
    Name event;
    Name action;
    bool present() const { return event.present(); }
};
struct SafetyDecl : Located {
    std::vector<Name> states;
    AfterClause after;  // absent: S is never reached at all
};

// `assert from X eventually Y`: every run that reaches X reaches Y later.
struct LivenessDecl : Located {
    std::vector<Name> from;
    std::vector<Name> to;
};

// `channel a -> b capacity 2 lossy reordering`
struct ChannelDecl : Located {
    Name from;
    Name to;
    Name capacity;  // the digits as written; the checker reads and bounds the number
    std::vector<Name> options;
};

// `message send_syn -> seg_syn`: running the action sends the event to the peer.
struct MessageDecl : Located {
    Name action;
    Name event;
};

struct Spec {
    std::vector<MachineDecl> machines;  // more than one is an error the checker reports
    std::vector<NamespaceDecl> namespaces;
    std::vector<IncludeDecl> includes;
    std::vector<EventsBlock> events;
    std::vector<StateDecl> states;
    std::vector<Transition> transitions;
    // An events block or a state declaration had a syntax error, so some names may be missing: the
    // checker then does not report uses of unknown events (states) as errors of their own.
    bool events_incomplete = false;
    bool states_incomplete = false;
    std::vector<SafetyDecl> safety;
    std::vector<LivenessDecl> liveness;
    std::vector<Name> instances;  // `instance a, b`
    std::vector<ChannelDecl> channels;
    std::vector<MessageDecl> messages;
};

}  // namespace fsmgen::ast
