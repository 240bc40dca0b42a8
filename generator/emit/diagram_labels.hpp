// What the diagram backends (dot, mermaid, plantuml, svg) share: how the Model's rows are folded into
// edges and state compartments, the label text before any escaping, and the style of each event
// category. Escaping is not here: every backend has its own language and its own policy.
#pragma once

#include "emit/emit.hpp"
#include "model/model.hpp"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen::diagram {

// One line of a label: the events that share one guard and one action list between the same two
// states, written the UML way, `e1, e2 [guard] / a1, a2`.
struct LabelLine {
    std::vector<std::size_t> events;  // indices into Model::events, in spec order of their first row
    std::string guard;                // "has_unread_data && !fin_acked"; empty: no guard
    std::string actions;              // "send_fin, report_closing"; empty: no action
    std::vector<std::size_t> rows;    // indices into Model::transitions that this line stands for
};

// One drawn arrow: every row into `target` from the same sources whose event has `category`.
// Splitting by category lets an arrow carry one colour and one line style. A rule written for several
// source states (a set or a wildcard) keeps them together: its arrow starts at a junction that each
// source feeds, so a `* + abort -> CLOSED` is one label, not ten.
struct Edge {
    std::vector<std::size_t> sources;  // one state, or the sources of a set or wildcard rule
    std::size_t target = 0;
    bool junction() const { return sources.size() > 1; }
    std::size_t category = 0;  // index into Model::categories
    std::vector<LabelLine> lines;
};

// The Model folded for drawing. Internal rows (no target) are not arrows: they are listed in their
// state's node, as a UML internal-transition compartment.
struct Folded {
    std::vector<Edge> edges;                     // in spec order of their first row
    std::vector<std::vector<LabelLine>> internal;  // per state, in spec order of their first row
};

// Rows hidden by the options (another category, internal rows) are left out; hide_actions drops the
// actions from every line (so lines that then read the same merge); compact gives every row the
// union of the sources of all rows with its event, guard, actions and target.
Folded fold(const model::Model& m, const DiagramOptions& options = {});

inline bool has_junction(const Folded& f) {
    for (const Edge& e : f.edges)
        if (e.junction()) return true;
    return false;
}

// A state's doc string wrapped for its node, or nothing with hide_docs.
std::vector<std::string> state_doc(const model::Model& m, std::size_t state, const DiagramOptions& options);

// The categories a legend explains: those of the machine's events that the options draw.
std::vector<std::size_t> legend_categories(const model::Model& m, const DiagramOptions& options);

std::string guard_text(const model::Model& m, const model::Transition& t);
std::string join_names(const std::vector<std::size_t>& indices, const std::vector<std::string>& table,
                       std::string_view separator = ", ");
// An event as it reads on an arrow: its name, with its fields' names in parentheses as a UML trigger
// names its parameters, `enter(code, who)`. The types are too long for arrows: the legend has them.
std::string trigger(const model::Event& e);
// An event's data as the spec declares it, `enter(code: std::uint32_t, who: std::uint16_t)` or
// `hello = tls::client_hello`; empty for an event without data.
std::string event_data(const model::Event& e);
// The events whose data a legend declares: those with data, of the categories the options draw.
std::vector<std::size_t> legend_events(const model::Model& m, const DiagramOptions& options);
std::string event_list(const model::Model& m, const LabelLine& line);  // "e1, e2(field)"
std::string line_text(const model::Model& m, const LabelLine& line);   // "e1, e2 [g] / a1, a2"

// Spec strings may hold tabs and other control characters; no diagram language wants them. Tabs and
// control characters become spaces, '\n' stays (a line break for the backends).
std::string sanitize(std::string_view text);
// sanitize(), and '\n' too becomes a space: for titles and comments that must stay on one line.
std::string one_line(std::string_view text);

// Greedy word wrap for doc strings inside nodes; explicit '\n' always breaks. A word longer than the
// width stays whole on its own line. Deterministic, byte-based: doc strings are mostly ASCII.
std::vector<std::string> wrap(std::string_view text, std::size_t width);
inline constexpr std::size_t doc_wrap_width = 34;

// Hands out node IDs in languages whose keywords a state name could hit: the wanted name when it is
// free, else the name with '_' appended until it is neither reserved nor taken. Compared without case,
// because Mermaid and PlantUML keywords are matched loosely. Deterministic for a fixed call order.
class IdAllocator {
public:
    explicit IdAllocator(std::vector<std::string_view> reserved);
    std::string take(std::string_view wanted);

private:
    std::set<std::string> taken_;  // lower case
};

// Every diagram draws a category the same way, so the legend of one explains the others. Categories
// are the spec's own words: the style follows their declaration order (TCP's user, segment, timer
// are blue bold, green solid, vermilion dashed).
struct CategoryStyle {
    std::string_view colour;  // "#RRGGBB", Okabe-Ito palette (readable with colour blindness)
    std::string_view line;    // "solid", "bold", "dashed" or "dotted"
};
CategoryStyle style_of(std::size_t category);
// "segment: input from the peer, solid line" (the category's doc when it has one).
std::string legend_text(const model::Model& m, std::size_t category);

}  // namespace fsmgen::diagram
