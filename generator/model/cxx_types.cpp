#include "model/cxx_types.hpp"

#include <cctype>
#include <map>
#include <set>

namespace fsmgen::cxx_types {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::set<std::string_view>& builtins() {
    static const std::set<std::string_view> words = {"bool",  "char", "char8_t", "char16_t", "char32_t", "wchar_t", "short",
                                                     "int",   "long", "signed",  "unsigned", "float",    "double"};
    return words;
}

const std::map<std::string_view, std::string_view>& std_headers() {
    static const std::map<std::string_view, std::string_view> headers = {
        {"std::int8_t", "cstdint"},      {"std::int16_t", "cstdint"},     {"std::int32_t", "cstdint"},
        {"std::int64_t", "cstdint"},     {"std::uint8_t", "cstdint"},     {"std::uint16_t", "cstdint"},
        {"std::uint32_t", "cstdint"},    {"std::uint64_t", "cstdint"},    {"std::size_t", "cstddef"},
        {"std::ptrdiff_t", "cstddef"},   {"std::byte", "cstddef"},        {"std::string", "string"},
        {"std::string_view", "string_view"}, {"std::array", "array"},     {"std::vector", "vector"},
        {"std::optional", "optional"},   {"std::pair", "utility"},        {"std::tuple", "tuple"},
        {"std::bitset", "bitset"},       {"std::map", "map"},             {"std::set", "set"},
        {"std::deque", "deque"},         {"std::variant", "variant"},     {"std::monostate", "variant"},
        {"std::chrono::nanoseconds", "chrono"}, {"std::chrono::microseconds", "chrono"},
        {"std::chrono::milliseconds", "chrono"}, {"std::chrono::seconds", "chrono"}};
    return headers;
}

const std::set<std::string_view>& arithmetic_names() {
    static const std::set<std::string_view> names = {"std::int8_t",  "std::int16_t",  "std::int32_t", "std::int64_t",
                                                     "std::uint8_t", "std::uint16_t", "std::uint32_t", "std::uint64_t",
                                                     "std::size_t",  "std::ptrdiff_t"};
    return names;
}

// Calls `on_name(begin, end)` for every qualified name of the type (leading "::" included).
template <class OnName>
void scan(std::string_view type, OnName on_name) {
    std::size_t i = 0;
    while (i < type.size()) {
        const bool starts_name = word_char(type[i]) || type.compare(i, 2, "::") == 0;
        if (!starts_name || std::isdigit(static_cast<unsigned char>(type[i]))) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < type.size() && (word_char(type[end]) || type.compare(end, 2, "::") == 0)) end += word_char(type[end]) ? 1 : 2;
        on_name(i, end);
        i = end;
    }
}

}  // namespace

bool is_builtin(std::string_view word) { return builtins().count(word) != 0; }

std::vector<std::string> names_in(std::string_view type) {
    std::vector<std::string> out;
    scan(type, [&](std::size_t b, std::size_t e) {
        std::string_view name = type.substr(b, e - b);
        if (name.substr(0, 2) == "::") name.remove_prefix(2);
        out.emplace_back(name);
    });
    return out;
}

std::optional<std::string_view> standard_header(std::string_view qualified_name) {
    if (auto it = std_headers().find(qualified_name); it != std_headers().end()) return it->second;
    return std::nullopt;
}

std::string global(std::string_view type) {
    std::string out;
    std::size_t copied = 0;
    scan(type, [&](std::size_t b, std::size_t e) {
        out += type.substr(copied, b - copied);
        std::string_view name = type.substr(b, e - b);
        if (name.substr(0, 2) != "::" && !is_builtin(name)) {
            if (!out.empty() && out.back() == '<') out += ' ';  // `<::` would read as the digraph `<:`
            out += "::";
        }
        out += name;
        copied = e;
    });
    return out + std::string(type.substr(copied));
}

bool is_arithmetic(std::string_view type) {
    std::string_view t = type.substr(0, 2) == "::" ? type.substr(2) : type;
    return is_builtin(t) || arithmetic_names().count(t) != 0;
}

bool rapidcheck_generates(std::string_view type) {
    static const std::set<std::string_view> generated = {
        "std::string", "std::vector", "std::deque", "std::set", "std::map", "std::array", "std::pair", "std::tuple",
        "std::chrono::nanoseconds", "std::chrono::microseconds", "std::chrono::milliseconds", "std::chrono::seconds"};
    for (const std::string& name : names_in(type))
        if (!is_arithmetic(name) && !generated.count(name)) return false;
    return true;
}

}  // namespace fsmgen::cxx_types
