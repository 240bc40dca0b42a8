// What fsmgen knows about the C++ types a spec writes for event fields and event types: which words
// are built-in types, which standard header declares a std:: name, and how to write a type so that
// it means the same inside the generated namespaces as in the spec (looked up from the global
// namespace). The checker uses it to refuse what a header could not compile; the C++ backends use
// it to write types and the #includes they need.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen::cxx_types {

// `bool`, `int`, `unsigned`, `double`... (one word; `void` is not a field type, so it is not here).
bool is_builtin(std::string_view word);

// The qualified names a type mentions, in order: "std::array<std::uint8_t, 32>" gives
// {"std::array", "std::uint8_t"}. A leading "::" is dropped.
std::vector<std::string> names_in(std::string_view type);

// The standard header that declares a std:: name fsmgen knows ("std::string" -> "string"), or
// nothing (an unknown std:: name, or not std::). The fixed-width integers and std::size_t map to
// <cstdint> and <cstddef>, which every generated header includes anyway.
std::optional<std::string_view> standard_header(std::string_view qualified_name);

// The type written from the global namespace: every name not built in gets a leading "::"
// ("std::array<std::uint8_t, 32>" -> "::std::array< ::std::uint8_t, 32>"), so that a spec's state,
// event or namespace of the same name can never capture it inside the generated code.
std::string global(std::string_view type);

// Whether the type is a built-in arithmetic type or a std:: integer type (a value prints with `+v`).
bool is_arithmetic(std::string_view type);

// Whether RapidCheck's own rc::gen::arbitrary<T>() generates values of the type: arithmetic types,
// std::string, and std::vector, std::deque, std::set, std::map, std::array, std::pair, std::tuple,
// std::chrono durations of those. std::optional, std::byte, std::bitset, std::string_view and the
// user's types are not (the harness value-initialises those).
bool rapidcheck_generates(std::string_view type);

}  // namespace fsmgen::cxx_types
