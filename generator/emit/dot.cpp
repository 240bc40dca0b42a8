// Target `dot`: a Graphviz digraph of the machine, also the input of the `svg` target.
//
// Naming and escaping policy (Graphviz DOT):
// - every ID is a double-quoted string: `"` and `\` are backslash-escaped, so a state called `node`,
//   `edge`, `graph` or `subgraph` (DOT keywords) is just a name;
// - pseudo nodes (the start point, final bullseyes, the legend) have IDs in parentheses, which no
//   spec identifier can contain, so they never collide with a state;
// - every label is an HTML-like label `<...>`: `&`, `<`, `>` and `"` become entities, a newline
//   becomes `<br/>`, and other control characters become spaces. HTML labels, unlike "..." labels,
//   give `\n`, `\l` or `\N` in a doc string no meaning.
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"

namespace fsmgen {
namespace {

std::string id(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string html(std::string_view text) {
    std::string out;
    for (char c : diagram::sanitize(text)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\n': out += "<br/>"; break;
            default: out += c;
        }
    }
    return out;
}

std::string comment(std::string_view text) {
    std::string out = diagram::sanitize(text);
    for (char& c : out)
        if (c == '\n') c = ' ';
    return out;
}

std::string coloured(std::string_view text, std::string_view colour) {
    return "<font color=\"" + std::string(colour) + "\">" + html(text) + "</font>";
}

// `e1, e2 [g] / a`, each event in the colour of its category: an internal compartment mixes them.
std::string line_html(const model::Model& m, const diagram::LabelLine& line) {
    std::string out;
    for (std::size_t e : line.events) {
        if (!out.empty()) out += ", ";
        out += coloured(m.events[e].name, diagram::style_of(m.events[e].category).colour);
    }
    if (!line.guard.empty()) out += " [" + html(line.guard) + "]";
    if (!line.actions.empty()) out += " / " + html(line.actions);
    return out;
}

std::string state_label(const model::Model& m, std::size_t s, const std::vector<diagram::LabelLine>& internal) {
    const model::State& state = m.states[s];
    std::string out = "<<table border=\"" + std::string(state.final ? "3" : "1") +
                      "\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\" style=\"rounded\">";
    out += "<tr><td><b>" + html(state.name) + "</b></td></tr>";
    auto doc = diagram::wrap(state.doc, diagram::doc_wrap_width);
    if (!doc.empty()) {
        out += "<tr><td><font point-size=\"9\"><i>";
        for (std::size_t i = 0; i < doc.size(); ++i) out += (i ? "<br/>" : "") + html(doc[i]);
        out += "</i></font></td></tr>";
    }
    std::vector<std::string> compartment;
    if (!state.entry.empty()) compartment.push_back("entry / " + html(diagram::join_names(state.entry, m.actions)));
    if (!state.exit.empty()) compartment.push_back("exit / " + html(diagram::join_names(state.exit, m.actions)));
    for (const auto& line : internal) compartment.push_back(line_html(m, line));
    if (!compartment.empty()) {
        out += "<hr/><tr><td align=\"left\" balign=\"left\" cellpadding=\"5\"><font point-size=\"9\">";
        for (std::size_t i = 0; i < compartment.size(); ++i) out += (i ? "<br/>" : "") + compartment[i];
        out += "</font></td></tr>";
    }
    return out + "</table>>";
}

std::string legend_label(const model::Model& m) {
    std::string out = "<<table border=\"1\" color=\"#999999\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">";
    out += "<tr><td align=\"left\"><b>events</b></td></tr>";
    for (model::Category c : model::all_categories) {
        bool used = false;
        for (const auto& e : m.events) used = used || e.category == c;
        if (!used) continue;
        const auto& st = diagram::style_of(c);
        out += "<tr><td align=\"left\">" +
               coloured(std::string(model::to_string(c)) + ": " + std::string(st.description) + ", " + std::string(st.line) + " line",
                        st.colour) +
               "</td></tr>";
    }
    out += "<tr><td align=\"left\">a dot joins the sources of one rule</td></tr>";
    out += "<tr><td align=\"left\">inside a state: entry / exit actions and</td></tr>";
    out += "<tr><td align=\"left\">internal transitions (no exit, no entry)</td></tr>";
    return out + "</table>>";
}

class DotBackend : public Backend {
public:
    std::string_view name() const override { return "dot"; }
    std::string_view description() const override { return "Graphviz DOT diagram"; }

    void emit(const model::Model& m, const EmitOptions&, OutputSink& out) const override {
        diagram::Folded folded = diagram::fold(m);
        std::string s;
        s += "// Generated by fsmgen from " + comment(m.source_name) + ", machine " + comment(m.name) +
             ". Do not edit: change the spec and regenerate.\n";
        s += "digraph " + id(m.name) + " {\n";
        std::string title = "<b>" + html(m.name) + "</b>";
        if (!m.doc.empty()) title += ": " + html(m.doc);
        s += "    graph [label=<" + title + ">, labelloc=t, fontname=\"Helvetica\", fontsize=14, nodesep=0.35, ranksep=0.45];\n";
        s += "    node [shape=none, margin=0, fontname=\"Helvetica\", fontsize=11];\n";
        s += "    edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n\n";

        s += "    " + id("(legend)") + " [label=" + legend_label(m) + "];\n";
        s += "    " + id("(start)") + " [shape=point, width=0.15, label=\"\"];\n";
        s += "    " + id("(start)") + " -> " + id(m.states[m.initial].name) + ";\n\n";

        for (std::size_t i = 0; i < m.states.size(); ++i)
            s += "    " + id(m.states[i].name) + " [label=" + state_label(m, i, folded.internal[i]) + "];\n";
        bool any_final = false;
        for (const auto& st : m.states) {
            if (!st.final) continue;
            if (!any_final) s += "\n";
            any_final = true;
            std::string end = id("(final " + st.name + ")");
            s += "    " + end + " [shape=doublecircle, style=filled, fillcolor=black, width=0.12, label=\"\"];\n";
            s += "    " + id(st.name) + " -> " + end + ";\n";
        }
        s += "\n";

        std::size_t junctions = 0;
        for (const diagram::Edge& e : folded.edges) {
            const auto& st = diagram::style_of(e.category);
            std::string look = "color=\"" + std::string(st.colour) + "\", style=" + std::string(st.line);
            std::string from = id(m.states[e.sources[0]].name);
            if (e.junction()) {
                from = id("(junction " + std::to_string(++junctions) + ")");
                s += "    " + from + " [shape=point, width=0.08, color=\"" + std::string(st.colour) + "\", label=\"\"];\n";
                for (std::size_t src : e.sources)
                    s += "    " + id(m.states[src].name) + " -> " + from + " [" + look + ", arrowhead=none];\n";
            }
            // A junction's place follows its sources; letting its arrow rank the target as well would
            // pull every reset-to-CLOSED arrow into the ranking and scramble the main flow.
            if (e.junction()) look += ", constraint=false";
            std::string label;
            for (const auto& line : e.lines) label += html(diagram::line_text(m, line)) + "<br align=\"left\"/>";
            s += "    " + from + " -> " + id(m.states[e.target].name) + " [" + look + ", fontcolor=\"" + std::string(st.colour) +
                 "\", label=<" + label + ">];\n";
        }
        s += "}\n";
        out.write("", s);
    }
};

}  // namespace

std::unique_ptr<Backend> make_dot_backend() { return std::make_unique<DotBackend>(); }

}  // namespace fsmgen
