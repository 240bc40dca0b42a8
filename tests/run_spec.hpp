// Runs a spec held in a string through parse and check, as the CLI does, and captures the printed
// diagnostics, so tests can compare the exact text a user would see.
#pragma once

#include "check/check.hpp"
#include "parse/parse.hpp"

#include <optional>
#include <sstream>
#include <string>

namespace fsmgen::testing {

struct SpecRun {
    ast::Spec ast;
    std::optional<model::Model> model;
    std::string diagnostics;  // exactly as `fsmgen check` prints them
    std::size_t errors = 0;
    std::size_t warnings = 0;
};

inline SpecRun run_spec(const std::string& text, bool werror = false, const std::string& name = "t.fsm") {
    SourceFile file(name, text);
    Diagnostics diags;
    diags.set_warnings_as_errors(werror);
    SpecRun run;
    run.ast = parse(file, diags);
    run.model = check(run.ast, file, diags);
    if (diags.error_count() > 0) run.model.reset();
    std::ostringstream out;
    print(out, file, diags);
    run.diagnostics = out.str();
    run.errors = diags.error_count();
    run.warnings = diags.warning_count();
    return run;
}

// A valid two-state header that tests extend with the lines they are about.
inline const char* const minimal_header =
    "machine door \"a door\"\n"
    "events { user: open, close }\n"
    "initial state Closed\n"
    "state Opened\n";

}  // namespace fsmgen::testing
