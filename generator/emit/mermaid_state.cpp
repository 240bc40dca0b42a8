// Target `mermaid-state`: the machine as a Mermaid `stateDiagram-v2`, the diagram GitHub and GitLab
// render for state machines in Markdown.
//
// The `mermaid` target (a flowchart) can colour each arrow by its event category; a state diagram
// cannot style single transitions, so here the category is not drawn, and everything else is: the
// states with their doc strings and UML compartment (entry / exit actions, internal transitions) as
// description lines, the initial and final pseudo states, one labelled arrow per folded edge. A rule
// with several sources is one arrow per source with the whole label: Mermaid's <<choice>>, <<fork>>
// and <<join>> mean a decision or concurrency in UML, not "any of these states".
//
// Naming and escaping policy (Mermaid state diagrams):
// - state IDs are the state names unless one is a keyword of the language (compared without case:
//   `state`, `note`, `end`, `direction` ...) or a member of JavaScript's Object.prototype
//   (`toString`, `constructor` ...: mermaid::reserved_ids), then '_' is appended until it is free;
//   every state is declared `state "NAME" as ID`, so the name shows as written;
// - description and label text goes through the same entity codes as the flowchart (`#quot;`,
//   `#35;`, `#59;`, `#58;` for ':' ...), which Mermaid decodes before parsing, so nothing in a doc
//   string can end a line, start a comment or a statement.
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"
#include "emit/mermaid_text.hpp"

namespace fsmgen {
namespace {

// The flowchart's codes, plus ':' (which would start a description) and the brackets; one line.
std::string text(std::string_view raw) { return mermaid::text(diagram::one_line(raw), ":[]{}"); }

const std::vector<std::string_view> reserved = mermaid::reserved_ids({
    "state", "note", "end", "direction", "classDef", "class", "style", "as", "left", "right", "of", "hide",
    "stateDiagram", "stateDiagram-v2", "accTitle", "accDescr", "title", "TB", "BT", "LR", "RL", "default",
    "click", "scale", "root"});

mermaid::Drawing draw(const model::Model& m, const DiagramOptions& drawing, std::string_view note) {
    diagram::Folded folded = diagram::fold(m, drawing);
    diagram::IdAllocator ids(reserved);
    std::vector<std::string> state_id;
    for (const auto& st : m.states) state_id.push_back(ids.take(st.name));

    std::string s = mermaid::preamble(m, note);
    s += "stateDiagram-v2\n";
    if (drawing.left_to_right) s += "    direction LR\n";
    for (std::size_t i = 0; i < m.states.size(); ++i) {
        const model::State& st = m.states[i];
        const std::string& sid = state_id[i];
        s += "    state \"" + text(st.name) + "\" as " + sid + "\n";
        for (const auto& line : diagram::state_doc(m, i, drawing)) s += "    " + sid + " : " + text(line) + "\n";
        if (!drawing.hide_actions) {
            if (!st.entry.empty()) s += "    " + sid + " : entry / " + text(diagram::join_names(st.entry, m.actions)) + "\n";
            if (!st.exit.empty()) s += "    " + sid + " : exit / " + text(diagram::join_names(st.exit, m.actions)) + "\n";
        }
        for (const auto& line : folded.internal[i]) s += "    " + sid + " : " + text(diagram::line_text(m, line)) + "\n";
    }
    s += "\n    [*] --> " + state_id[m.initial] + "\n";
    for (std::size_t i = 0; i < m.states.size(); ++i)
        if (m.states[i].final) s += "    " + state_id[i] + " --> [*]\n";
    for (const diagram::Edge& e : folded.edges) {
        std::string label;
        for (const auto& line : e.lines) label += (label.empty() ? "" : "<br/>") + text(diagram::line_text(m, line));
        for (std::size_t src : e.sources) s += "    " + state_id[src] + " --> " + state_id[e.target] + " : " + label + "\n";
    }
    return {s, 0};
}

class MermaidStateBackend : public Backend {
public:
    std::string_view name() const override { return "mermaid-state"; }
    std::string_view description() const override { return "Mermaid stateDiagram-v2 (what GitHub renders for state machines)"; }
    bool draws() const override { return true; }

    void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const override {
        out.write("", mermaid::fitted(m, options.diagram, "state diagram", false, draw));
    }
};

}  // namespace

std::unique_ptr<Backend> make_mermaid_state_backend() { return std::make_unique<MermaidStateBackend>(); }

}  // namespace fsmgen
