// Diagnostics as plain values, collected during a run and printed in the GCC/clang format:
//
//   spec/tcp.fsm:12:5: error: unknown state 'LISTN'; did you mean 'LISTEN'?
//     12 | CLOSED + open_passive -> LISTN
//        |                          ^~~~~
#pragma once

#include "diag/source.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace fsmgen {

enum class Severity { error, warning, note };

struct Diagnostic {
    Severity severity = Severity::error;
    Span span;  // span.end == span.begin marks a point (a single caret)
    std::string message;
};

class Diagnostics {
public:
    // After this many errors nothing more is recorded (only counted) and the parser stops, like
    // clang's -ferror-limit.
    static constexpr std::size_t error_limit = 50;

    void error(Span at, std::string message) { add(Severity::error, at, std::move(message)); }
    void warning(Span at, std::string message) { add(Severity::warning, at, std::move(message)); }
    // A note explains the diagnostic just before it.
    void note(Span at, std::string message) { add(Severity::note, at, std::move(message)); }

    // --Werror: every warning reported from now on is an error.
    void set_warnings_as_errors(bool on) { werror_ = on; }

    std::size_t error_count() const { return errors_; }
    std::size_t warning_count() const { return warnings_; }
    bool too_many_errors() const { return errors_ >= error_limit; }
    const std::vector<Diagnostic>& all() const { return list_; }

private:
    void add(Severity s, Span at, std::string message);

    std::vector<Diagnostic> list_;
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
    bool werror_ = false;
};

// Writes `file:line:col: severity: message`, the source line, and a caret line under the span.
void print(std::ostream& out, const SourceFile& file, const Diagnostic& d);
void print(std::ostream& out, const SourceFile& file, const Diagnostics& all);

}  // namespace fsmgen
