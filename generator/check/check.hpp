// AST -> Model: resolves names, expands wildcards and sets, and reports every semantic problem.
#pragma once

#include "diag/diagnostics.hpp"
#include "model/model.hpp"
#include "parse/ast.hpp"

#include <cstddef>
#include <optional>

namespace fsmgen {

// The most states a machine may have (check.cpp says why).
inline constexpr std::size_t max_states = 256;

// Returns the Model when the spec has no errors (warnings allowed), std::nullopt otherwise. Every
// problem found is reported, not only the first.
std::optional<model::Model> check(const ast::Spec& spec, const SourceFile& file, Diagnostics& diags);

}  // namespace fsmgen
