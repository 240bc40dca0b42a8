// The svg target's drawing as a function, for backends that embed the SVG (html).
#pragma once

#include "emit/emit.hpp"

#include <string>

namespace fsmgen {

// The `dot` target's text for `m` rendered by Graphviz's `dot -Tsvg`. Throws EmitError when Graphviz
// is missing or fails.
std::string render_svg(const model::Model& m, const EmitOptions& options);

}  // namespace fsmgen
