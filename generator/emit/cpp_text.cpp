#include "emit/cpp_text.hpp"

#include <cstdint>
#include <cstdio>

namespace fsmgen::cpp_text {
namespace {

// The code point of the UTF-8 sequence at s[i] (the checker guarantees valid UTF-8) and its length.
std::uint32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    const auto c = static_cast<unsigned char>(s[i]);
    len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    if (i + len > s.size()) len = 1;  // not UTF-8 after all: byte by byte
    std::uint32_t cp = len == 1 ? c : c & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    return cp;
}

// The characters -Wbidi-chars looks at, and the marks that reorder text the same way.
bool is_bidi_control(std::uint32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string escaped(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        const std::uint32_t cp = decode(s, i, len);
        char buf[16];
        if (cp == '\\' || cp == '"') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == '?' && !out.empty() && out.back() == '?') {
            out += "\\?";  // `??` never appears, so no trigraph
        } else if (cp < 0x20 || cp == 0x7F || (len == 1 && cp >= 0x80)) {
            std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned>(cp));  // octal: exactly 3 digits
            out += buf;
        } else if (is_bidi_control(cp)) {
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string literal(std::string_view s) { return "\"" + escaped(s) + "\""; }

std::string macro_shield_begin(const std::vector<std::string>& names) {
    std::string out = "// The spec's names, in case a header included earlier made one a macro: saved and undefined\n"
                      "// here, restored at the end of this header.\n";
    for (const auto& n : names) out += "#pragma push_macro(\"" + n + "\")\n#undef " + n + "\n";
    return out;
}

std::string macro_shield_end(const std::vector<std::string>& names) {
    std::string out = "// The spec's names as macros, as they were before this header.\n";
    for (const auto& n : names) out += "#pragma pop_macro(\"" + n + "\")\n";
    return out;
}

std::string hash_hex(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08X", static_cast<unsigned>(h));
    return buf;
}

}  // namespace fsmgen::cpp_text
