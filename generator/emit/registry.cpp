#include "emit/emit.hpp"

namespace fsmgen {

const std::vector<std::unique_ptr<Backend>>& backends() {
    static const std::vector<std::unique_ptr<Backend>> all = [] {
        std::vector<std::unique_ptr<Backend>> v;
        v.push_back(make_json_backend());
        v.push_back(make_msm_backend());
        v.push_back(make_cpp_backend());
        v.push_back(make_dot_backend());
        v.push_back(make_mermaid_backend());
        v.push_back(make_plantuml_backend());
        v.push_back(make_table_backend());
        v.push_back(make_svg_backend());
        v.push_back(make_html_backend());
        v.push_back(make_mermaid_state_backend());
        v.push_back(make_promela_backend());
        v.push_back(make_rapidcheck_backend());
        return v;
    }();
    return all;
}

const Backend* find_backend(std::string_view name) {
    for (const auto& b : backends())
        if (b->name() == name) return b.get();
    return nullptr;
}

}  // namespace fsmgen
