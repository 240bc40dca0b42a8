// Text in Mermaid files, shared by the flowchart (`mermaid`) and the state diagram (`mermaid-state`).
#pragma once

#include "emit/diagram_labels.hpp"

#include <string>
#include <string_view>

namespace fsmgen::mermaid {

// Label text with `"`, `#`, `<`, `>`, `&`, `|`, `;`, `%`, '`' and `\`, and any character of `also`,
// written as the entity codes Mermaid decodes before parsing (`#quot;`, `#35;`, `#lt;` ...), so that
// nothing in a doc string can end a string or a line, start a tag, a comment, a statement, an escape
// or a Markdown string; a newline becomes `<br/>`.
inline std::string text(std::string_view raw, std::string_view also = {}) {
    std::string out;
    for (char c : diagram::sanitize(raw)) {
        switch (c) {
            case '"': out += "#quot;"; break;
            case '#': out += "#35;"; break;
            case '<': out += "#lt;"; break;
            case '>': out += "#gt;"; break;
            case '&': out += "#amp;"; break;
            case '\n': out += "<br/>"; break;
            default:
                if (std::string_view("|;%`\\").find(c) != std::string_view::npos || also.find(c) != std::string_view::npos)
                    out += "#" + std::to_string(static_cast<unsigned char>(c)) + ";";
                else
                    out += c;
        }
    }
    return out;
}

// A double-quoted YAML string on one line (the front matter's title).
inline std::string yaml_string(std::string_view raw) {
    std::string out = "\"";
    for (char c : diagram::one_line(raw)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace fsmgen::mermaid
