// A spec's text and the mapping from byte offsets to lines and columns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen {

// A half-open byte range into a SourceFile. Plain offsets rather than iterators so that the AST and
// the Model stay valid values after the parser (and its buffers) are gone.
struct Span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct LineCol {
    std::uint32_t line = 1;    // 1-based
    std::uint32_t column = 1;  // 1-based, counted in UTF-8 code points like GCC's display column
};

class SourceFile {
public:
    SourceFile(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }

    // Binary search over the newline offsets computed once in the constructor.
    LineCol locate(std::uint32_t offset) const;
    // The text of a 1-based line, without its line terminator.
    std::string_view line(std::uint32_t line) const;
    std::uint32_t line_start(std::uint32_t line) const { return line_starts_.at(line - 1); }
    std::string_view slice(Span s) const { return std::string_view(text_).substr(s.begin, s.end - s.begin); }

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

}  // namespace fsmgen
