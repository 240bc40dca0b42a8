#include "emit/promela_trail.hpp"

#include <nlohmann/json.hpp>

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

// A name the model has, or the `#index` the model prints for a name too long to print (promela.cpp).
template <typename Names>
bool is_name(std::string_view word, const Names& names) {
    if (word.size() > 1 && word.front() == '#')
        return word.find_first_not_of("0123456789", 1) == std::string_view::npos;
    for (const auto& n : names)
        if (word == n) return true;
    return false;
}

std::vector<std::string_view> state_names(const model::Model& m) {
    std::vector<std::string_view> v;
    for (const auto& s : m.states) v.push_back(s.name);
    return v;
}

std::vector<std::string_view> event_names(const model::Model& m) {
    std::vector<std::string_view> v;
    for (const auto& e : m.events) v.push_back(e.name);
    return v;
}

// Every word of a step is one of the model's names: the step is the model's, and its JSON is valid.
bool names_known(const model::Model& m, const TrailStep& step) {
    const auto states = state_names(m);
    if (!step.start && (!is_name(step.from, states) || !is_name(step.event, event_names(m)))) return false;
    if (!is_name(step.to, states)) return false;
    for (const auto& a : step.actions)
        if (!is_name(a, m.actions)) return false;
    std::string_view guard = step.guard;
    while (!guard.empty()) {
        auto end = guard.find(" && ");
        std::string_view term = guard.substr(0, end);
        if (!term.empty() && term.front() == '!') term.remove_prefix(1);
        if (!is_name(term, m.guards)) return false;
        guard.remove_prefix(end == std::string_view::npos ? guard.size() : end + 4);
    }
    return true;
}

// The words of a step line after `@fsm N`, as step_line() in promela.cpp writes them.
std::optional<TrailStep> parse_step(std::string_view line) {
    TrailStep step;
    auto word = [&]() {
        line = trim(line);
        auto end = line.find(' ');
        std::string_view w = line.substr(0, end);
        line.remove_prefix(end == std::string_view::npos ? line.size() : end);
        return w;
    };
    std::string_view first = word();
    if (first.empty()) return std::nullopt;
    if (first == "start") {
        step.start = true;
    } else {
        step.from = std::string(first);
        step.event = std::string(word());
        if (step.event.empty()) return std::nullopt;
        line = trim(line);
        if (!line.empty() && line.front() == '[') {
            auto close = line.find(']');
            if (close == std::string_view::npos) return std::nullopt;
            step.guard = std::string(line.substr(1, close - 1));
            line.remove_prefix(close + 1);
        }
        line = trim(line);
        if (line == "unhandled" || line == "rejected") {
            step.outcome = std::string(line);
            step.to = step.from;
            return step;
        }
    }
    line = trim(line);
    if (line.rfind("->", 0) == 0) {
        line.remove_prefix(2);
        step.to = std::string(word());
        if (step.to.empty()) return std::nullopt;
    } else if (step.start) {
        return std::nullopt;
    } else {
        step.to = step.from;
    }
    line = trim(line);
    if (line.rfind("/", 0) == 0) {
        line.remove_prefix(1);
        while (!trim(line).empty()) {
            line = trim(line);
            auto comma = line.find(',');
            step.actions.emplace_back(trim(line.substr(0, comma)));
            line.remove_prefix(comma == std::string_view::npos ? line.size() : comma + 1);
        }
    } else if (!line.empty()) {
        return std::nullopt;
    }
    return step;
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
            auto step = parse_step(line);
            if (!step || !names_known(m, *step)) {
                ++t.unreadable;
                continue;
            }
            step->instance = *i;
            t.steps.push_back(std::move(*step));
            ++t.machine_steps;
            std::string name = instance_name(*i);
            const std::size_t n = t.machine_steps;
            out << (n < 10 ? "   " : n < 100 ? "  " : n < 1000 ? " " : "") << n << "  " << name
                << std::string(width - name.size(), ' ') << "  " << trim(line) << '\n';
        } else if (line.rfind("@net ", 0) == 0) {
            line.remove_prefix(5);
            auto c = number(line, m.channels.size());
            line = trim(line);
            auto space = line.find(' ');
            std::string_view what = line.substr(0, space);
            line.remove_prefix(space == std::string_view::npos ? line.size() : space);
            auto e = number(line, m.events.size());
            const bool known = what == "lost" || what == "duplicated" || what == "reordered" || what == "dropped";
            if (!c || !e || !known) {
                ++t.unreadable;
                continue;
            }
            const auto& ch = m.channels[*c];
            TrailStep step;
            step.network = true;
            step.instance = ch.from;
            step.receiver = ch.to;
            step.what = std::string(what);
            step.message = m.events[*e].name;
            t.steps.push_back(std::move(step));
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
            t.cycle_start = t.steps.size();
            out << "        -- from here the run repeats forever --\n";
        } else if (line.find("assertion violated") != std::string_view::npos && line.rfind("spin:", 0) == 0) {
            t.violation = true;
            if (last_check) {
                const auto& p = m.safety[last_check->second];
                t.violated = property_text(m, p);
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
        if (m.liveness.size() == 1) t.violated = property_text(m, m.liveness.front());
        if (m.liveness.size() == 1)
            out << property_text(m, m.liveness.front()) << "  (spec line " << m.liveness.front().origin.line << ")";
        else
            out << "the liveness property pan was run with (-N liveK is the K-th 'assert from' of the spec)";
        out << ": the cycle above never reaches the promised state\n";
    }
    t.text = out.str();
    return t;
}

std::string trail_json(const model::Model& m, const Trail& t) {
    using Json = nlohmann::ordered_json;
    auto instance_name = [&](std::size_t i) { return m.instances.empty() ? m.name : m.instances[i]; };
    Json instances = Json::array();
    for (std::size_t i = 0; i < (m.instances.empty() ? 1 : m.instances.size()); ++i) instances.push_back(instance_name(i));
    Json steps = Json::array();
    for (const TrailStep& s : t.steps) {
        if (s.network) {
            steps.push_back({{"network", s.what}, {"from", instance_name(s.instance)}, {"to", instance_name(s.receiver)},
                             {"message", s.message}});
            continue;
        }
        Json j = {{"instance", instance_name(s.instance)}};
        if (s.start) j["start"] = true;
        else j.update({{"from", s.from}, {"event", s.event}, {"guard", s.guard}});
        j["to"] = s.to;
        j["actions"] = s.actions;
        if (!s.outcome.empty()) j["outcome"] = s.outcome;
        steps.push_back(std::move(j));
    }
    Json out = {{"machine", m.name},
                {"instances", std::move(instances)},
                {"steps", std::move(steps)},
                {"cycle_start", t.cycle_start ? Json(*t.cycle_start) : Json(nullptr)},
                {"violated", t.violated.empty() ? Json(nullptr) : Json(t.violated)},
                {"unreadable", t.unreadable}};
    return out.dump(1) + "\n";
}

}  // namespace fsmgen::promela
