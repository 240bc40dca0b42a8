// Target `html`: one self-contained page to read and try a machine: the svg target's drawing with pan
// and zoom, every row in a filterable table, a simulator, and playback of JSON-lines traces.
//
// The page needs no network: the drawing is laid out here by Graphviz (the svg backend's call, with
// element ids the script finds), and the script and style sheet are the files in generator/emit/html/,
// compiled in by the build. The script knows the machine only from data written into the page: the
// `json` target's model (the rows the C++ machine is generated from) and which arrow draws which row
// (diagram::fold, as the dot backend drew it). The simulator interprets those rows, so the page cannot
// disagree with the generated machine about what an event does.
//
// Escaping policy (HTML):
// - text in the page (title, heading, source name) has `& < > "` as entities;
// - the two JSON blocks sit in <script type="application/json">: `<`, `>` and `&` inside them are
//   written as \u003c, \u003e, \u0026 (valid JSON, and nothing can close the element or open a comment);
// - the SVG is Graphviz's, inline from its <svg> element on (the XML prolog and DOCTYPE dropped); its
//   text is already XML-escaped by Graphviz.
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"
#include "emit/html_assets.hpp"
#include "emit/svg.hpp"

#include <nlohmann/json.hpp>

namespace fsmgen {
namespace {

std::string html_text(std::string_view raw) {
    std::string out;
    for (char c : diagram::one_line(raw)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string script_json(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (char c : json) {
        switch (c) {
            case '<': out += "\\u003c"; break;
            case '>': out += "\\u003e"; break;
            case '&': out += "\\u0026"; break;
            default: out += c;
        }
    }
    return out;
}

std::string inline_svg(const std::string& svg) {
    std::size_t at = svg.find("<svg");
    if (at == std::string::npos) throw EmitError("Graphviz wrote no <svg> element");
    return svg.substr(at);
}

// Which arrow draws which row: edge k is the SVG element `edge_k` (its junction's feeders
// `edge_k_j`, one per source).
std::string drawing_json(const model::Model& m, const DiagramOptions& options) {
    diagram::Folded folded = diagram::fold(m, options);
    nlohmann::ordered_json edges = nlohmann::ordered_json::array();
    for (const diagram::Edge& e : folded.edges) {
        std::vector<std::size_t> rows;
        for (const auto& line : e.lines) rows.insert(rows.end(), line.rows.begin(), line.rows.end());
        edges.push_back({{"sources", e.sources}, {"target", e.target}, {"rows", rows}});
    }
    nlohmann::ordered_json j;
    j["edges"] = std::move(edges);
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Replaces every @NAME@ of the template by its value in one pass: nothing inserted is read again.
std::string fill(std::string_view page, const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        std::size_t open = page.find('@', at);
        if (open == std::string_view::npos) break;
        std::size_t close = page.find('@', open + 1);
        if (close == std::string_view::npos) break;
        std::string_view name = page.substr(open + 1, close - open - 1);
        const std::string* value = nullptr;
        for (const auto& [key, text] : values)
            if (key == name) value = &text;
        if (!value) {  // an @ of the page's own text
            out += page.substr(at, open + 1 - at);
            at = open + 1;
            continue;
        }
        out += page.substr(at, open - at);
        out += *value;
        at = close + 1;
    }
    out += page.substr(at);
    return out;
}

// The simulator's event buttons in the colour of their category, as the diagrams draw it.
std::string category_css(const model::Model& m) {
    std::string out;
    for (std::size_t c = 0; c < m.categories.size(); ++c)
        out += ".events button.cat-" + std::to_string(c) + " { border-left-color: " + std::string(diagram::style_of(c).colour) + "; }\n";
    return out;
}

class HtmlBackend : public Backend {
public:
    std::string_view name() const override { return "html"; }
    std::string_view description() const override {
        return "one self-contained page: the diagram (pan, zoom), the rows, a simulator, trace playback (needs 'dot' on PATH)";
    }
    bool draws() const override { return true; }

    void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const override {
        EmitOptions drawn = options;
        drawn.diagram.element_ids = true;
        std::string svg = inline_svg(render_svg(m, drawn));
        MemorySink model_json;
        make_json_backend()->emit(m, options, model_json);

        std::string heading = "<b>" + html_text(m.name) + "</b>";
        if (!m.doc.empty()) heading += ": " + html_text(m.doc);
        out.write("", fill(html_assets::page, {{"TITLE", html_text(m.name + (m.doc.empty() ? "" : ": " + m.doc))},
                                               {"HEADING", heading},
                                               {"SOURCE", html_text(m.source_name)},
                                               {"CSS", std::string(html_assets::css) + category_css(m)},
                                               {"SVG", svg},
                                               {"MODEL", script_json(model_json.files[""])},
                                               {"DRAWING", script_json(drawing_json(m, drawn.diagram))},
                                               {"JS", std::string(html_assets::js)}}));
    }
};

}  // namespace

std::unique_ptr<Backend> make_html_backend() { return std::make_unique<HtmlBackend>(); }

}  // namespace fsmgen
