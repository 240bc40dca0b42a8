// Text from a spec written into generated C++: doc strings and file names in comments, strings in
// literals, and the preprocessor shield around the spec's names. Docs may hold anything valid UTF-8
// (backslashes, `??/`, bidi controls, line breaks), and a comment or literal that copied them raw
// could splice the next line into a `//` comment, form a trigraph or trip -Wbidi-chars.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fsmgen::cpp_text {

// The body of a C++ string literal for `s` (no quotes): `\\`, `\"`, `\n`, `\t`, `\?` after a `?`
// (no trigraph can form), octal escapes for other control characters and `\uXXXX` for the
// bidirectional controls (which g++ warns about even in literals). Plain UTF-8 stays as it is.
std::string escaped(std::string_view s);

// `"` + escaped(s) + `"`: a valid C++ string literal, and safe as the end of a `//` comment (it
// ends with a quote, never with a backslash).
std::string literal(std::string_view s);

// The spec's names (states, events, guards, actions, namespace parts) are identifiers that a
// header included earlier may have defined as macros (glibc's SEEK_DATA, a Boost internal): the
// generated header saves and undefines each one after its own includes, and restores it at its end.
std::string macro_shield_begin(const std::vector<std::string>& names);
std::string macro_shield_end(const std::vector<std::string>& names);

// A hash of `s` for names that must differ between specs (include guards): FNV-1a, 8 hex digits.
std::string hash_hex(std::string_view s);

}  // namespace fsmgen::cpp_text
