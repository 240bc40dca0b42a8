// What can be checked in generated C++ without a compiler, for the emit tests and the spec fuzzer:
// the classes of defect that spec text (docs, names, file names) could smuggle into a header.
//  - a line ending in a backslash (it splices the next line, into a `//` comment or a macro);
//  - a trigraph (`??` and one of =/'()!<>-), a bidirectional control or another control character,
//    anywhere, string literals included (g++ warns about all of them there too);
//  - outside comments and literals: a character that is not printable ASCII, a `$` (a template
//    variable the printer left), or an identifier C++ reserves (`__`, `_` and a capital).
// Returns one message per problem, with its line number; empty when the text is clean.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen::testing {

inline std::vector<std::string> lint_cpp(std::string_view text) {
    std::vector<std::string> problems;
    std::size_t line = 1;
    auto report = [&](const std::string& what) { problems.push_back("line " + std::to_string(line) + ": " + what); };
    enum class In { code, line_comment, block_comment, string, character } in = In::code;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            if (i > 0 && text[i - 1] == '\\') report("the line ends with a backslash");
            if (in == In::line_comment) in = In::code;
            if (in == In::string || in == In::character) report("a literal spans lines");
            ++line;
            continue;
        }
        if (c == '?' && i + 2 < text.size() && text[i + 1] == '?' && std::string_view("=/'()!<>-").find(text[i + 2]) != std::string_view::npos)
            report("trigraph ??" + std::string(1, text[i + 2]));
        // U+061C, U+200E/F, U+202A-E, U+2066-9 in UTF-8.
        if (c == 0xE2 && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9))
                report("bidirectional control character");
        }
        if (c == 0xD8 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x9C) report("bidirectional control character");
        if (c < 0x20 || c == 0x7F) report("control character " + std::to_string(c));
        switch (in) {
            case In::line_comment:
                break;
            case In::block_comment:
                if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') in = In::code, ++i;
                break;
            case In::string:
            case In::character:
                if (c == '\\') ++i;
                else if (c == (in == In::string ? '"' : '\'')) in = In::code;
                break;
            case In::code:
                if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') in = In::line_comment, ++i;
                else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') in = In::block_comment, ++i;
                else if (c == '"') in = In::string;
                else if (c == '\'') in = In::character;
                else if (c >= 0x80 || c == '$' || c == '@' || c == '`') report("character " + std::to_string(c) + " outside comments and literals");
                else if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                    std::size_t end = i;
                    while (end < text.size() && (text[end] == '_' || std::isalnum(static_cast<unsigned char>(text[end])))) ++end;
                    const std::string_view id = text.substr(i, end - i);
                    const bool reserved = id.find("__") != std::string_view::npos || (id.size() > 1 && id[0] == '_' && std::isupper(static_cast<unsigned char>(id[1])));
                    // The implementation's predefined macros are the only reserved names a header may use:
                    // __cplusplus, and __GNUC__ (g++ and clang) around the cpp target's gnu:: attributes.
                    if (reserved && id != "__cplusplus" && id != "__GNUC__") report("reserved identifier " + std::string(id));
                    i = end - 1;
                } else if (c >= '0' && c <= '9') {
                    while (i + 1 < text.size() && (std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '\'' || text[i + 1] == '.')) ++i;
                }
                break;
        }
    }
    if (in == In::block_comment || in == In::string || in == In::character) report("unterminated comment or literal at the end");
    return problems;
}

}  // namespace fsmgen::testing
