#include "diag/diagnostics.hpp"

#include <algorithm>
#include <ostream>

namespace fsmgen {

void Diagnostics::add(Severity s, Span at, std::string message) {
    if (s == Severity::warning && werror_) s = Severity::error;
    // Past the limit everything is counted but nothing more is kept: a 10 MB file of garbage must not
    // produce a million messages.
    bool keep = errors_ < error_limit;
    if (s == Severity::error) ++errors_;
    if (s == Severity::warning) ++warnings_;
    if (!keep) return;
    list_.push_back({s, at, std::move(message)});
    if (errors_ == error_limit) list_.push_back({Severity::note, at, "too many errors; stopping here"});
}

namespace {

const char* label(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Lines longer than this are shown as a window around the caret, so that a 10 MB line does not
// flood the terminal.
constexpr std::size_t max_shown = 160;

}  // namespace

void print(std::ostream& out, const SourceFile& file, const Diagnostic& d) {
    LineCol at = file.locate(d.span.begin);
    out << file.name() << ':' << at.line << ':' << at.column << ": " << label(d.severity) << ": " << d.message
        << '\n';

    std::string_view line = file.line(at.line);
    std::size_t caret = d.span.begin - file.line_start(at.line);  // byte offset of the caret in `line`
    std::size_t width = d.span.end > d.span.begin ? d.span.end - d.span.begin : 1;
    width = std::min(width, line.size() > caret ? line.size() - caret : std::size_t{1});
    if (width == 0) width = 1;

    std::size_t first = 0, last = line.size();
    if (line.size() > max_shown) {
        first = caret > max_shown / 2 ? caret - max_shown / 2 : 0;
        while (first > 0 && is_continuation(static_cast<unsigned char>(line[first]))) --first;
        last = std::min(line.size(), first + max_shown);
        while (last < line.size() && is_continuation(static_cast<unsigned char>(line[last]))) ++last;
        width = std::min(width, last > caret ? last - caret : std::size_t{1});
    }

    std::string shown, marks;
    if (first > 0) {
        shown += "...";
        marks += "   ";
    }
    for (std::size_t i = first; i < last; ++i) {
        auto c = static_cast<unsigned char>(line[i]);
        bool control = (c < 0x20 && c != '\t') || c == 0x7F;
        shown += control ? ' ' : static_cast<char>(c);
        if (is_continuation(c)) continue;  // one mark per code point
        // Tabs are copied into the caret line so that both lines expand them alike.
        char mark = c == '\t' ? '\t' : ' ';
        if (i == caret) mark = '^';
        else if (i > caret && i < caret + width) mark = '~';
        marks += mark;
    }
    if (last > 0 && last < line.size()) shown += "...";
    if (caret >= last) marks += '^';  // the caret sits at the end of the line
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    out << shown << '\n' << marks << '\n';
}

void print(std::ostream& out, const SourceFile& file, const Diagnostics& all) {
    for (const Diagnostic& d : all.all()) print(out, file, d);
}

}  // namespace fsmgen
