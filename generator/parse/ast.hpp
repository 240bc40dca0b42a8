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

struct EventDecl : Located {
    Name name;
    Text doc;
};

struct EventGroup : Located {
    Name category;
    std::vector<EventDecl> events;
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

struct Spec {
    std::vector<MachineDecl> machines;  // more than one is an error the checker reports
    std::vector<NamespaceDecl> namespaces;
    std::vector<EventsBlock> events;
    std::vector<StateDecl> states;
    std::vector<Transition> transitions;
    // An events block or a state declaration had a syntax error, so some names may be missing: the
    // checker then does not report uses of unknown events (states) as errors of their own.
    bool events_incomplete = false;
    bool states_incomplete = false;
};

}  // namespace fsmgen::ast
