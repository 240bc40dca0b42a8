#include "emit/promela_trail.hpp"

#include <charconv>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace fsmgen::promela {
namespace {

std::string states_text(const model::Model& m, const std::vector<std::size_t>& states) {
    if (states.size() == 1) return m.states[states.front()].name;
    std::string s = "{";
    for (std::size_t i = 0; i < states.size(); ++i) s += (i ? ", " : "") + m.states[states[i]].name;
    return s + "}";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// The next space-separated number of `s`, bounded by `limit`; advances `s` past it.
std::optional<std::size_t> number(std::string_view& s, std::size_t limit) {
    s = trim(s);
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || value >= limit) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    return value;
}

}  // namespace

std::string property_text(const model::Model& m, const model::Safety& p) {
    std::string s = "assert never " + states_text(m, p.states);
    if (p.after_event && p.without_action)
        s += " after " + m.events[*p.after_event].name + " without " + m.actions[*p.without_action];
    return s;
}

std::string property_text(const model::Model& m, const model::Liveness& p) {
    return "assert from " + states_text(m, p.from) + " eventually " + states_text(m, p.to);
}

Trail read_trail(const model::Model& m, std::istream& in) {
    Trail t;
    std::ostringstream out;
    const std::size_t instances = m.instances.empty() ? 1 : m.instances.size();
    auto instance_name = [&](std::size_t i) { return m.instances.empty() ? m.name : m.instances[i]; };
    std::size_t width = 0;
    for (std::size_t i = 0; i < instances; ++i) width = std::max(width, instance_name(i).size());
    std::optional<std::pair<std::size_t, std::size_t>> last_check;  // instance, property
    bool in_cycle = false;

    for (std::string raw; std::getline(in, raw);) {
        std::string_view line = trim(raw);
        if (line.rfind("@fsm ", 0) == 0) {
            line.remove_prefix(5);
            auto i = number(line, instances);
            if (!i) {
                ++t.unreadable;
                continue;
            }
            ++t.steps;
            std::string name = instance_name(*i);
            out << (t.steps < 10 ? "   " : t.steps < 100 ? "  " : t.steps < 1000 ? " " : "") << t.steps << "  " << name
                << std::string(width - name.size(), ' ') << "  " << trim(line) << '\n';
        } else if (line.rfind("@net ", 0) == 0) {
            line.remove_prefix(5);
            auto c = number(line, m.channels.size());
            line = trim(line);
            auto space = line.find(' ');
            std::string_view what = line.substr(0, space);
            line.remove_prefix(space == std::string_view::npos ? line.size() : space);
            auto e = number(line, m.events.size());
            if (!c || !e || what.empty()) {
                ++t.unreadable;
                continue;
            }
            const auto& ch = m.channels[*c];
            out << "        network " << m.instances[ch.from] << " -> " << m.instances[ch.to] << ": " << m.events[*e].name << ' '
                << what << '\n';
        } else if (line.rfind("@check ", 0) == 0) {
            line.remove_prefix(7);
            auto i = number(line, instances);
            auto k = number(line, m.safety.size());
            if (!i || !k) {
                ++t.unreadable;
                continue;
            }
            last_check.emplace(*i, *k);
        } else if (line.find("<<<<<START OF CYCLE>>>>>") != std::string_view::npos) {
            in_cycle = true;
            out << "        -- from here the run repeats forever --\n";
        } else if (line.find("assertion violated") != std::string_view::npos && line.rfind("spin:", 0) == 0) {
            t.violation = true;
            if (last_check) {
                const auto& p = m.safety[last_check->second];
                out << "VIOLATED in " << instance_name(last_check->first) << ": " << property_text(m, p) << "  (spec line "
                    << p.origin.line << ")\n";
            } else {
                out << "VIOLATED: an assertion of the model\n";
            }
        }
    }
    if (in_cycle && !t.violation) {
        t.violation = true;
        out << "VIOLATED: ";
        if (m.liveness.size() == 1)
            out << property_text(m, m.liveness.front()) << "  (spec line " << m.liveness.front().origin.line << ")";
        else
            out << "the liveness property pan was run with (-N liveK is the K-th 'assert from' of the spec)";
        out << ": the cycle above never reaches the promised state\n";
    }
    t.text = out.str();
    return t;
}

}  // namespace fsmgen::promela
