#include "emit/printer.hpp"

#include <stdexcept>

namespace fsmgen {

void print(std::string& out, std::string_view tmpl, std::initializer_list<TemplateVar> vars) {
    std::size_t pos = 0;
    while (pos < tmpl.size()) {
        const std::size_t open = tmpl.find('$', pos);
        if (open == std::string_view::npos) {
            out.append(tmpl.substr(pos));
            return;
        }
        out.append(tmpl.substr(pos, open - pos));
        const std::size_t close = tmpl.find('$', open + 1);
        if (close == std::string_view::npos) throw std::logic_error("template: unterminated $variable");
        const std::string_view name = tmpl.substr(open + 1, close - open - 1);
        if (name.empty()) {
            out.push_back('$');
        } else {
            bool found = false;
            for (const auto& [key, value] : vars)
                if (key == name) {
                    out.append(value);
                    found = true;
                    break;
                }
            if (!found) throw std::logic_error("template: unknown variable $" + std::string(name) + "$");
        }
        pos = close + 1;
    }
}

}  // namespace fsmgen
