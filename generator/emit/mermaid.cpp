// Target `mermaid`: a Mermaid flowchart of the machine, for Markdown pages that render Mermaid.
//
// A flowchart, not a stateDiagram: only flowcharts can style single arrows (linkStyle), which is how
// the event categories are drawn, and only their node labels take the lines of a UML state
// (name, doc string, internal transitions).
//
// Naming and escaping policy (Mermaid):
// - node IDs are the state names, unless one is a Mermaid keyword (compared without case: `end`
//   would close a subgraph, `style`, `class` ... start statements) or a member of JavaScript's
//   Object.prototype (`toString`, `constructor` ...: mermaid::reserved_ids), then '_' is appended
//   until it is free; pseudo nodes (start, finals, junctions, legend) take IDs the same way after the states;
// - every label is a double-quoted string in which `"`, `#`, `<`, `>`, `&`, `|`, `;`, `%`, '`', `\`
//   and `$` become Mermaid entity codes (`#quot;`, `#35;`, `#lt;` ...), so nothing in a doc string
//   can end the string, start a tag, a comment, a statement, an escape, a Markdown string or KaTeX
//   math; a newline becomes `<br/>`;
// - the title (YAML front matter) is a double-quoted YAML string: `\` and `"` are backslash-escaped,
//   `<` is `\x3C` (mermaid_text.hpp says why).
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"
#include "emit/mermaid_text.hpp"

namespace fsmgen {
namespace {

std::string text(std::string_view raw) { return mermaid::text(raw); }

std::string link_style(std::size_t c) {
    const auto st = diagram::style_of(c);
    std::string out = "stroke:" + std::string(st.colour) + ",color:" + std::string(st.colour);
    if (st.line == "bold") out += ",stroke-width:2.5px";
    if (st.line == "dashed") out += ",stroke-dasharray:6 4";
    if (st.line == "dotted") out += ",stroke-dasharray:2 3";
    return out;
}

const std::vector<std::string_view> reserved = mermaid::reserved_ids({
    "end", "graph", "flowchart", "subgraph", "style", "classDef", "class", "click", "linkStyle", "direction",
    "default", "call", "href", "callback", "interpolate", "accTitle", "accDescr", "title", "TB", "TD", "BT", "LR",
    "RL"});

mermaid::Drawing draw(const model::Model& m, const DiagramOptions& drawing, std::string_view note) {
    diagram::Folded folded = diagram::fold(m, drawing);
    diagram::IdAllocator ids(reserved);
    std::vector<std::string> state_id;
    for (const auto& st : m.states) state_id.push_back(ids.take(st.name));

    std::string s = mermaid::preamble(m, note);
    s += drawing.left_to_right ? "flowchart LR\n" : "flowchart TB\n";

    std::string start = ids.take("start");
    s += "    " + start + "((\" \"))\n";
    for (std::size_t i = 0; i < m.states.size(); ++i) {
        const model::State& st = m.states[i];
        std::string label = "<b>" + text(st.name) + "</b>";
        auto doc = diagram::state_doc(m, i, drawing);
        if (!doc.empty()) {
            label += "<br/><i>";
            for (std::size_t d = 0; d < doc.size(); ++d) label += (d ? "<br/>" : "") + text(doc[d]);
            label += "</i>";
        }
        std::vector<std::string> compartment;
        if (!drawing.hide_actions) {
            if (!st.entry.empty()) compartment.push_back("entry / " + text(diagram::join_names(st.entry, m.actions)));
            if (!st.exit.empty()) compartment.push_back("exit / " + text(diagram::join_names(st.exit, m.actions)));
        }
        for (const auto& line : folded.internal[i]) compartment.push_back(text(diagram::line_text(m, line)));
        if (!compartment.empty()) {
            label += "<hr/>";
            for (std::size_t c = 0; c < compartment.size(); ++c) label += (c ? "<br/>" : "") + compartment[c];
        }
        s += "    " + state_id[i] + "(\"" + label + "\")\n";
    }

    // linkStyle addresses arrows by their position in the file, so every arrow is counted here.
    std::size_t arrows = 0;
    std::vector<std::vector<std::string>> by_category(m.categories.size());
    std::vector<std::string> plain;
    auto note_arrow = [&](std::vector<std::string>& group) { group.push_back(std::to_string(arrows++)); };

    s += "    " + start + " --> " + state_id[m.initial] + "\n";
    note_arrow(plain);
    std::vector<std::string> finals;
    for (std::size_t i = 0; i < m.states.size(); ++i) {
        if (!m.states[i].final) continue;
        std::string end = ids.take("final_" + m.states[i].name);
        finals.push_back(end);
        s += "    " + state_id[i] + " --> " + end + "(((\" \")))\n";
        note_arrow(plain);
    }
    std::vector<std::string> junctions;
    for (const diagram::Edge& e : folded.edges) {
        auto& group = by_category[e.category];
        std::string from = state_id[e.sources[0]];
        if (e.junction()) {
            from = ids.take("junction_" + std::to_string(junctions.size() + 1));
            junctions.push_back(from);
            s += "    " + from + "((\" \"))\n";
            for (std::size_t src : e.sources) {
                s += "    " + state_id[src] + " --- " + from + "\n";
                note_arrow(group);
            }
        }
        std::string label;
        for (const auto& line : e.lines) label += (label.empty() ? "" : "<br/>") + text(diagram::line_text(m, line));
        s += "    " + from + " -->|\"" + label + "\"| " + state_id[e.target] + "\n";
        note_arrow(group);
    }

    std::vector<std::pair<std::string, std::size_t>> legend;
    if (!drawing.hide_legend) {
        s += "\n    subgraph " + ids.take("legend") + " [\"events\"]\n        direction LR\n";
        for (std::size_t c : diagram::legend_categories(m, drawing)) {
            legend.emplace_back(ids.take("legend_" + m.categories[c].name), c);
            s += "        " + legend.back().first + "[\"" + text(diagram::legend_text(m, c)) + "\"]\n";
        }
        std::string data;
        for (std::size_t e : diagram::legend_events(m, drawing))
            data += (data.empty() ? "event data:<br/>" : "<br/>") + text(diagram::event_data(m.events[e]));
        if (!data.empty()) s += "        " + ids.take("legend_event_data") + "[\"" + data + "\"]\n";
        std::string notes = diagram::has_junction(folded) ? "a dot joins the sources of one rule" : "";
        if (!drawing.hide_internal)
            notes += (notes.empty() ? "" : "<br/>") + std::string("inside a state: entry / exit actions<br/>and internal transitions (no exit, no entry)");
        if (!notes.empty()) s += "        " + ids.take("legend_notes") + "[\"" + notes + "\"]\n";
        s += "    end\n\n";
    }

    s += "    classDef fsm_state fill:#fff,stroke:#000,color:#000,text-align:left\n";
    s += "    classDef fsm_point fill:#000,stroke:#000\n";
    std::string all_states;
    for (const auto& id : state_id) all_states += (all_states.empty() ? "" : ",") + id;
    s += "    class " + all_states + " fsm_state\n";
    std::string points = start;
    for (const auto& id : finals) points += "," + id;
    for (const auto& id : junctions) points += "," + id;
    s += "    class " + points + " fsm_point\n";
    for (const auto& [id, c] : legend) s += "    style " + id + " fill:#fff," + link_style(c) + "\n";
    for (std::size_t c = 0; c < m.categories.size(); ++c) {
        const auto& group = by_category[c];
        if (group.empty()) continue;
        std::string list;
        for (const auto& n : group) list += (list.empty() ? "" : ",") + n;
        s += "    linkStyle " + list + " " + link_style(c) + "\n";
    }
    return {s, arrows};
}

class MermaidBackend : public Backend {
public:
    std::string_view name() const override { return "mermaid"; }
    std::string_view description() const override { return "Mermaid flowchart (for Markdown pages)"; }

    bool draws() const override { return true; }

    void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const override {
        out.write("", mermaid::fitted(m, options.diagram, "flowchart", true, draw));
    }
};

}  // namespace

std::unique_ptr<Backend> make_mermaid_backend() { return std::make_unique<MermaidBackend>(); }

}  // namespace fsmgen
