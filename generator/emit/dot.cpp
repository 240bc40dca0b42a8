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
//
// Graphviz limits (every spec that `check` accepts must render through `svg`): a quoted ID or a run of
// label text longer than 16384 bytes is a syntax error, and a node wider than 65535 points fails the
// layout ("Edge length ... larger than maximum 65535"). So labels are wrapped at label_width
// characters, a longer word is cut, a label stops after max_label_lines lines, and a state name
// longer than max_id_bytes gets a shortened ID (state_key). Reading from a pipe, dot also stops without
// an error at a comment line longer than 16 KiB: the header comment cuts the names it quotes.
#include "emit/diagram_labels.hpp"
#include "emit/emit.hpp"

namespace fsmgen {
namespace {

constexpr std::size_t label_width = 80;
constexpr std::size_t max_label_lines = 60;
constexpr std::size_t max_id_bytes = 1024;

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

std::string coloured(std::string_view text, std::string_view colour) {
    return "<font color=\"" + std::string(colour) + "\">" + html(text) + "</font>";
}

std::size_t code_points(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// The HTML lines of one label (a table cell, an edge label or the title), built word by word within
// the limits above. A word is its text between an opening and a closing tag (<b>, <font>), then an
// untagged suffix (the comma after an event); words are separated by one space.
class Label {
public:
    explicit Label(std::size_t width = label_width) : width_(width) {}

    void word(std::string_view text, std::string_view open = {}, std::string_view close = {}, std::string_view suffix = {}) {
        std::size_t width = code_points(text) + code_points(suffix);
        if (width > width_) return cut(text, open, close, suffix);
        if (column_ > 0 && column_ + 1 + width > width_) end_line();
        if (column_ > 0) append(" ", 1);
        append(std::string(open) + html(text) + std::string(close) + html(suffix), width);
    }
    // Plain text split at spaces.
    void words(std::string_view text) {
        std::size_t at = 0;
        while (at < text.size()) {
            std::size_t end = std::min(text.find(' ', at), text.size());
            if (end > at) word(text.substr(at, end - at));
            at = end + 1;
        }
    }
    // Ends the current line; the next word starts a new one.
    void end_line() {
        if (lines_.size() < max_label_lines) lines_.push_back(std::move(current_));
        else ++dropped_;
        current_.clear();
        column_ = 0;
    }
    // The finished lines; a label cut short says so on its last line.
    std::vector<std::string> lines() {
        if (column_ > 0 || !current_.empty()) end_line();
        std::vector<std::string> out = lines_;
        if (dropped_ > 0) out.push_back("<i>... " + std::to_string(dropped_) + " more line" + (dropped_ == 1 ? "" : "s") + "</i>");
        return out;
    }

private:
    void append(const std::string& html_text, std::size_t width) {
        if (lines_.size() < max_label_lines) current_ += html_text;
        column_ += width;
    }
    // A word wider than a line: whole lines of it, at code point boundaries, then the rest.
    void cut(std::string_view text, std::string_view open, std::string_view close, std::string_view suffix) {
        if (column_ > 0) end_line();
        std::size_t start = 0, count = 0;
        for (std::size_t i = 0; i <= text.size(); ++i) {
            bool boundary = i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
            if (!boundary) continue;
            if (count == width_ || i == text.size()) {
                std::string_view piece = text.substr(start, i - start);
                bool last = i == text.size();
                append(std::string(open) + html(piece) + std::string(close) + (last ? html(suffix) : ""),
                       count + (last ? code_points(suffix) : 0));
                if (!last) end_line();
                start = i;
                count = 0;
            }
            ++count;
        }
    }

    std::size_t width_;
    std::vector<std::string> lines_;
    std::string current_;
    std::size_t column_ = 0;
    std::size_t dropped_ = 0;
};

std::string join_lines(const std::vector<std::string>& lines, std::string_view br = "<br/>") {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? std::string(br) : "") + lines[i];
    return out;
}

std::string font_open(std::string_view colour) { return "<font color=\"" + std::string(colour) + "\">"; }

// `e1, e2 [g] / a`, into `label`; with `coloured_events`, each event in the colour of its category (an
// internal compartment mixes them; an edge has one colour).
void add_line(Label& label, const model::Model& m, const diagram::LabelLine& line, bool coloured_events) {
    for (std::size_t i = 0; i < line.events.size(); ++i) {
        const model::Event& e = m.events[line.events[i]];
        std::string_view suffix = i + 1 < line.events.size() ? "," : "";
        if (coloured_events) label.word(diagram::trigger(e), font_open(diagram::style_of(e.category).colour), "</font>", suffix);
        else label.word(diagram::trigger(e), {}, {}, suffix);
    }
    if (!line.guard.empty()) label.words("[" + line.guard + "]");
    if (!line.actions.empty()) label.words("/ " + line.actions);
    label.end_line();
}

// The ID of a state: its name, or for a name too long for a DOT ID, a prefix made unique by the
// state's index (in parentheses, which no spec name has).
std::string state_key(const model::Model& m, std::size_t s) {
    const std::string& name = m.states[s].name;
    if (name.size() <= max_id_bytes) return name;
    return name.substr(0, max_id_bytes / 2) + "...(state " + std::to_string(s + 1) + ")";
}

std::string state_label(const model::Model& m, std::size_t s, const std::vector<diagram::LabelLine>& internal,
                        const DiagramOptions& options) {
    const model::State& state = m.states[s];
    std::string out = "<<table border=\"" + std::string(state.final ? "3" : "1") +
                      "\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\" style=\"rounded\">";
    Label name;
    name.word(state.name, "<b>", "</b>");
    out += "<tr><td>" + join_lines(name.lines()) + "</td></tr>";
    Label doc(diagram::doc_wrap_width);
    for (const std::string& line : diagram::state_doc(m, s, options)) {
        doc.words(line);
        doc.end_line();
    }
    auto doc_lines = doc.lines();
    if (!doc_lines.empty()) out += "<tr><td><font point-size=\"9\"><i>" + join_lines(doc_lines) + "</i></font></td></tr>";
    Label compartment;
    if (!state.entry.empty() && !options.hide_actions) {
        compartment.words("entry / " + diagram::join_names(state.entry, m.actions));
        compartment.end_line();
    }
    if (!state.exit.empty() && !options.hide_actions) {
        compartment.words("exit / " + diagram::join_names(state.exit, m.actions));
        compartment.end_line();
    }
    for (const auto& line : internal) add_line(compartment, m, line, true);
    auto compartment_lines = compartment.lines();
    if (!compartment_lines.empty()) {
        out += "<hr/><tr><td align=\"left\" balign=\"left\" cellpadding=\"5\"><font point-size=\"9\">";
        out += join_lines(compartment_lines) + "</font></td></tr>";
    }
    return out + "</table>>";
}

std::string legend_label(const model::Model& m, const DiagramOptions& options, bool junctions) {
    std::string out = "<<table border=\"1\" color=\"#999999\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">";
    out += "<tr><td align=\"left\"><b>events</b></td></tr>";
    for (std::size_t c : diagram::legend_categories(m, options))
        out += "<tr><td align=\"left\">" + coloured(diagram::legend_text(m, c), diagram::style_of(c).colour) + "</td></tr>";
    auto data = diagram::legend_events(m, options);
    if (!data.empty()) out += "<tr><td align=\"left\"><b>event data</b></td></tr>";
    for (std::size_t e : data) {
        const model::Event& ev = m.events[e];
        out += "<tr><td align=\"left\">" + coloured(diagram::event_data(ev), diagram::style_of(ev.category).colour) + "</td></tr>";
    }
    if (junctions) out += "<tr><td align=\"left\">a dot joins the sources of one rule</td></tr>";
    if (!options.hide_internal) {
        out += "<tr><td align=\"left\">inside a state: entry / exit actions and</td></tr>";
        out += "<tr><td align=\"left\">internal transitions (no exit, no entry)</td></tr>";
    }
    return out + "</table>>";
}

class DotBackend : public Backend {
public:
    std::string_view name() const override { return "dot"; }
    std::string_view description() const override { return "Graphviz DOT diagram"; }

    bool draws() const override { return true; }

    void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const override {
        const DiagramOptions& drawing = options.diagram;
        diagram::Folded folded = diagram::fold(m, drawing);
        std::string s;
        // Graphviz silently stops reading at a comment longer than 16 KiB.
        s += "// Generated by fsmgen from " + diagram::one_line(m.source_name.substr(0, max_id_bytes)) + ", machine " +
             diagram::one_line(m.name.substr(0, max_id_bytes)) +
             ". Do not edit: change the spec and regenerate.\n";
        s += "digraph " + id(m.name.substr(0, max_id_bytes)) + " {\n";
        Label title_label;
        title_label.word(m.name, "<b>", "</b>", m.doc.empty() ? "" : ":");
        std::string doc = diagram::sanitize(m.doc);
        for (std::size_t at = 0; at < doc.size();) {
            std::size_t nl = std::min(doc.find('\n', at), doc.size());
            title_label.words(std::string_view(doc).substr(at, nl - at));
            if (nl < doc.size()) title_label.end_line();
            at = nl + 1;
        }
        std::string title = join_lines(title_label.lines());
        s += "    graph [label=<" + title + ">, labelloc=t, fontname=\"Helvetica\", fontsize=14, nodesep=0.35, ranksep=0.45" +
             (drawing.left_to_right ? ", rankdir=LR" : "") + "];\n";
        s += "    node [shape=none, margin=0, fontname=\"Helvetica\", fontsize=11];\n";
        s += "    edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n\n";

        if (!drawing.hide_legend)
            s += "    " + id("(legend)") + " [label=" + legend_label(m, drawing, diagram::has_junction(folded)) + "];\n";
        s += "    " + id("(start)") + " [shape=point, width=0.15, label=\"\"];\n";
        s += "    " + id("(start)") + " -> " + id(state_key(m, m.initial)) + ";\n\n";

        for (std::size_t i = 0; i < m.states.size(); ++i)
            s += "    " + id(state_key(m, i)) + " [" + (drawing.element_ids ? "id=\"state_" + std::to_string(i) + "\", " : "") +
                 "label=" + state_label(m, i, folded.internal[i], drawing) + "];\n";
        bool any_final = false;
        for (std::size_t i = 0; i < m.states.size(); ++i) {
            if (!m.states[i].final) continue;
            if (!any_final) s += "\n";
            any_final = true;
            std::string end = id("(final " + state_key(m, i) + ")");
            s += "    " + end + " [shape=doublecircle, style=filled, fillcolor=black, width=0.12, label=\"\"];\n";
            s += "    " + id(state_key(m, i)) + " -> " + end + ";\n";
        }
        s += "\n";

        std::size_t junctions = 0;
        for (std::size_t k = 0; k < folded.edges.size(); ++k) {
            const diagram::Edge& e = folded.edges[k];
            const auto st = diagram::style_of(e.category);
            std::string look = "color=\"" + std::string(st.colour) + "\", style=" + std::string(st.line);
            std::string edge_id = drawing.element_ids ? "edge_" + std::to_string(k) : "";
            std::string from = id(state_key(m, e.sources[0]));
            if (e.junction()) {
                from = id("(junction " + std::to_string(++junctions) + ")");
                s += "    " + from + " [shape=point, width=0.08, color=\"" + std::string(st.colour) + "\", label=\"\"];\n";
                for (std::size_t j = 0; j < e.sources.size(); ++j)
                    s += "    " + id(state_key(m, e.sources[j])) + " -> " + from + " [" +
                         (edge_id.empty() ? "" : "id=\"" + edge_id + "_" + std::to_string(j) + "\", ") + look + ", arrowhead=none];\n";
            }
            // A junction's place follows its sources; letting its arrow rank the target as well would
            // pull every reset-to-CLOSED arrow into the ranking and scramble the main flow.
            if (e.junction()) look += ", constraint=false";
            Label text;
            for (const auto& line : e.lines) add_line(text, m, line, false);
            std::string label;
            for (const std::string& line : text.lines()) label += line + "<br align=\"left\"/>";
            s += "    " + from + " -> " + id(state_key(m, e.target)) + " [" + (edge_id.empty() ? "" : "id=\"" + edge_id + "\", ") + look +
                 ", fontcolor=\"" + std::string(st.colour) +
                 "\", label=<" + label + ">];\n";
        }
        s += "}\n";
        out.write("", s);
    }
};

}  // namespace

std::unique_ptr<Backend> make_dot_backend() { return std::make_unique<DotBackend>(); }

}  // namespace fsmgen
