#include "emit/diagram_labels.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace fsmgen::diagram {
namespace {

// Adds a row to the line with the same guard and actions, or starts a new line.
void add_row(const model::Model& m, std::vector<LabelLine>& lines, std::size_t row, const DiagramOptions& options) {
    const model::Transition& t = m.transitions[row];
    std::string guard = options.hide_guards ? "" : guard_text(m, t);
    std::string actions = options.hide_actions ? "" : join_names(t.actions, m.actions);
    for (LabelLine& line : lines) {
        if (line.guard != guard || line.actions != actions) continue;
        bool seen = false;
        for (std::size_t e : line.events) seen = seen || e == t.event;
        if (!seen) line.events.push_back(t.event);
        line.rows.push_back(row);
        return;
    }
    lines.push_back(LabelLine{{t.event}, std::move(guard), std::move(actions), {row}});
}

}  // namespace

Folded fold(const model::Model& m, const DiagramOptions& options) {
    Folded f;
    f.internal.resize(m.states.size());
    auto drawn = [&](const model::Transition& t) {
        if (options.only && m.categories[m.events[t.event].category].name != *options.only) return false;
        if (options.hide_shared && m.rules[t.rule].kind != model::SourceKind::single) return false;
        return !(t.internal() && options.hide_internal);
    };
    // compact: the sources of every drawn row with the same event, guard, actions and target.
    using Signature = std::tuple<std::size_t, std::string, std::string, std::size_t>;
    auto signature = [&](const model::Transition& t) {
        return Signature{t.event, options.hide_guards ? "" : guard_text(m, t), options.hide_actions ? "" : join_names(t.actions, m.actions), *t.target};
    };
    std::map<Signature, std::set<std::size_t>> shared_sources;
    if (options.compact)
        for (const model::Transition& t : m.transitions)
            if (!t.internal() && drawn(t)) shared_sources[signature(t)].insert(t.source);

    std::map<std::tuple<std::vector<std::size_t>, std::size_t, std::size_t>, std::size_t> edge_index;
    for (std::size_t row = 0; row < m.transitions.size(); ++row) {
        const model::Transition& t = m.transitions[row];
        if (!drawn(t)) continue;
        if (t.internal()) {
            add_row(m, f.internal[t.source], row, options);
            continue;
        }
        std::size_t c = m.events[t.event].category;
        std::vector<std::size_t> sources = m.rules[t.rule].sources;
        if (options.compact) {
            const auto& shared = shared_sources[signature(t)];
            sources.assign(shared.begin(), shared.end());
        }
        if (sources.size() < 2) sources = {t.source};
        std::sort(sources.begin(), sources.end());  // {A, B} and {B, A} are one set
        auto [it, added] = edge_index.try_emplace({sources, *t.target, c}, f.edges.size());
        if (added) f.edges.push_back(Edge{std::move(sources), *t.target, c, {}});
        add_row(m, f.edges[it->second].lines, row, options);
    }
    return f;
}

std::vector<std::string> state_doc(const model::Model& m, std::size_t state, const DiagramOptions& options) {
    if (options.hide_docs) return {};
    return wrap(m.states[state].doc, doc_wrap_width);
}

std::vector<std::size_t> legend_categories(const model::Model& m, const DiagramOptions& options) {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < m.categories.size(); ++c) {
        if (options.only && m.categories[c].name != *options.only) continue;
        bool used = false;
        for (const auto& e : m.events) used = used || e.category == c;
        if (used) out.push_back(c);
    }
    return out;
}

std::string guard_text(const model::Model& m, const model::Transition& t) {
    std::string out;
    for (const model::GuardTerm& g : t.guard) {
        if (!out.empty()) out += " && ";
        if (g.negated) out += '!';
        out += m.guards[g.guard];
    }
    return out;
}

std::string join_names(const std::vector<std::size_t>& indices, const std::vector<std::string>& table,
                       std::string_view separator) {
    std::string out;
    for (std::size_t i : indices) {
        if (!out.empty()) out += separator;
        out += table[i];
    }
    return out;
}

std::string trigger(const model::Event& e) {
    if (e.fields.empty()) return e.name;
    std::string out = e.name + "(";
    for (std::size_t i = 0; i < e.fields.size(); ++i) out += (i ? ", " : "") + e.fields[i].name;
    return out + ")";
}

std::string event_data(const model::Event& e) {
    if (!e.type.empty()) return e.name + " = " + e.type;
    if (e.fields.empty()) return {};
    std::string out = e.name + "(";
    for (std::size_t i = 0; i < e.fields.size(); ++i) out += (i ? ", " : "") + e.fields[i].name + ": " + e.fields[i].type;
    return out + ")";
}

std::vector<std::size_t> legend_events(const model::Model& m, const DiagramOptions& options) {
    std::vector<std::size_t> out;
    for (std::size_t e = 0; e < m.events.size(); ++e) {
        const model::Event& ev = m.events[e];
        if (options.only && m.categories[ev.category].name != *options.only) continue;
        if (!event_data(ev).empty()) out.push_back(e);
    }
    return out;
}

std::string event_list(const model::Model& m, const LabelLine& line) {
    std::string out;
    for (std::size_t e : line.events) {
        if (!out.empty()) out += ", ";
        out += trigger(m.events[e]);
    }
    return out;
}

std::string line_text(const model::Model& m, const LabelLine& line) {
    std::string out = event_list(m, line);
    if (!line.guard.empty()) out += " [" + line.guard + "]";
    if (!line.actions.empty()) out += " / " + line.actions;
    return out;
}

std::string sanitize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        out += (c != '\n' && (u < 0x20 || u == 0x7f)) ? ' ' : c;
    }
    return out;
}

std::string one_line(std::string_view text) {
    std::string out = sanitize(text);
    for (char& c : out)
        if (c == '\n') c = ' ';
    return out;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::string clean = sanitize(text);
    std::string_view rest = clean;
    while (true) {
        std::size_t nl = rest.find('\n');
        std::string_view paragraph = rest.substr(0, nl);
        std::string line;
        std::size_t pos = 0;
        while (pos < paragraph.size()) {
            std::size_t start = paragraph.find_first_not_of(' ', pos);
            if (start == std::string_view::npos) break;
            std::size_t end = paragraph.find(' ', start);
            if (end == std::string_view::npos) end = paragraph.size();
            std::string_view word = paragraph.substr(start, end - start);
            if (!line.empty() && line.size() + 1 + word.size() > width) {
                lines.push_back(std::move(line));
                line.clear();
            }
            if (!line.empty()) line += ' ';
            line += word;
            pos = end;
        }
        lines.push_back(std::move(line));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    // An empty doc has no lines at all, not one empty line.
    if (lines.size() == 1 && lines[0].empty()) lines.clear();
    return lines;
}

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}
}  // namespace

IdAllocator::IdAllocator(std::vector<std::string_view> reserved) {
    for (std::string_view r : reserved) taken_.insert(lower(r));
}

std::string IdAllocator::take(std::string_view wanted) {
    std::string id(wanted);
    while (!taken_.insert(lower(id)).second) id += '_';
    return id;
}

CategoryStyle style_of(std::size_t category) {
    // Seven colours and four line styles: 28 categories before a look repeats.
    static constexpr std::string_view colours[] = {"#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
    static constexpr std::string_view lines[] = {"bold", "solid", "dashed", "dotted"};
    return {colours[category % std::size(colours)], lines[category % std::size(lines)]};
}

std::string legend_text(const model::Model& m, std::size_t category) {
    const model::Category& c = m.categories[category];
    return c.name + (c.doc.empty() ? "" : ": " + one_line(c.doc)) + ", " + std::string(style_of(category).line) + " line";
}

}  // namespace fsmgen::diagram
