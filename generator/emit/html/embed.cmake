# cmake -DDIR=<generator/emit/html> -DOUT=<file.cpp> -P embed.cmake
#
# Turns the viewer's page template, style sheet and script into C++ string constants, so that they
# are real files in the repository (edited, linted and reviewed as HTML, CSS and JavaScript) and
# fsmgen still needs nothing at run time. Each becomes one raw string literal.
set(delimiter "fsmgen_asset")
set(body "// Generated from generator/emit/html/ by embed.cmake. Do not edit.\n#include \"emit/html_assets.hpp\"\n\nnamespace fsmgen::html_assets {\n")
foreach(pair "page;viewer.html" "css;viewer.css" "js;viewer.js")
  list(GET pair 0 name)
  list(GET pair 1 file)
  file(READ "${DIR}/${file}" content)
  string(FIND "${content}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains )${delimiter}\", which would end its C++ raw string")
  endif()
  # The script and style sheet go inside <script> and <style>: their closing tags would end them early.
  string(TOLOWER "${content}" lower)
  foreach(tag "</script" "</style")
    string(FIND "${lower}" "${tag}" closing)
    if(NOT closing EQUAL -1 AND NOT name STREQUAL "page")
      message(FATAL_ERROR "${file} contains ${tag}, which would end the page's element early")
    endif()
  endforeach()
  string(APPEND body "extern const std::string_view ${name};\nconst std::string_view ${name} = R\"${delimiter}(${content})${delimiter}\";\n")
endforeach()
string(APPEND body "\n}  // namespace fsmgen::html_assets\n")
# Written only when changed, so an unchanged asset does not recompile.
file(WRITE "${OUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")
