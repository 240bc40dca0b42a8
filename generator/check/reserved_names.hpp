// The names a spec cannot use, in one place: the checker reports them at their position, so that
// every spec it accepts yields generated code that compiles. docs/spec-language.md lists them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fsmgen::reserved {

// Where a name ends up in the generated C++, which decides what it may not collide with.
enum class Role {
    namespace_first,  // the first component of the namespace (or the machine's name standing for it)
    namespace_inner,  // a later component
    state,
    event,
    field,   // a data member of a generated event struct
    guard,   // a member function of the user's context and of the generated scripted_context
    action,  // likewise
};

// Why `name` cannot be used in `role` ("is a C++ keyword", ...), or nothing when it can.
std::optional<std::string> why_reserved(std::string_view name, Role role);

}  // namespace fsmgen::reserved
