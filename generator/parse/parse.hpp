// Text -> AST. The grammar lives in parse.cpp alone, so changing a checker or a backend never
// recompiles Spirit X3.
#pragma once

#include "diag/diagnostics.hpp"
#include "parse/ast.hpp"

namespace fsmgen {

// Parses the whole file. Syntax errors go to `diags`; parsing resumes at the next line (or after the
// closing brace of a block), so one run reports every bad statement. The returned Spec holds every
// statement that did parse, which lets the checker report on them too.
ast::Spec parse(const SourceFile& file, Diagnostics& diags);

}  // namespace fsmgen
