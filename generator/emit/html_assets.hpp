// The HTML viewer's page template, style sheet and script (generator/emit/html/), compiled in by the
// build (embed.cmake), so that `fsmgen emit -t html` needs no file at run time.
#pragma once

#include <string_view>

namespace fsmgen::html_assets {

extern const std::string_view page;  // viewer.html, with @NAME@ placeholders
extern const std::string_view css;   // viewer.css
extern const std::string_view js;    // viewer.js

}  // namespace fsmgen::html_assets
