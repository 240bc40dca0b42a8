// A tiny template printer in the spirit of protobuf's io::Printer: backends write code as raw-string
// templates with named $variables$ instead of long chains of `out += ...`.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace fsmgen {

using TemplateVar = std::pair<std::string_view, std::string_view>;

// Appends `tmpl` to `out` with every `$name$` replaced by its value; `$$` writes one `$`. An unknown
// variable is a bug in the backend, so it throws std::logic_error rather than emitting broken code.
void print(std::string& out, std::string_view tmpl, std::initializer_list<TemplateVar> vars = {});

}  // namespace fsmgen
