// Target `json`: a faithful dump of the Model, names instead of indices, for tools outside C++.
#include "emit/emit.hpp"

#include <nlohmann/json.hpp>

namespace fsmgen {
namespace {

using Json = nlohmann::ordered_json;  // keeps keys in the order written, so golden files read well

Json origin(const model::Origin& o) { return {{"line", o.line}, {"column", o.column}}; }

Json names(const std::vector<std::size_t>& indices, const std::vector<std::string>& table) {
    Json out = Json::array();
    for (std::size_t i : indices) out.push_back(table[i]);
    return out;
}

std::string_view to_string(model::SourceKind k) {
    switch (k) {
        case model::SourceKind::single: return "single";
        case model::SourceKind::set: return "set";
        case model::SourceKind::wildcard: return "wildcard";
    }
    return "single";
}

class JsonBackend : public Backend {
public:
    std::string_view name() const override { return "json"; }
    std::string_view description() const override { return "the checked model as JSON"; }

    void emit(const model::Model& m, const EmitOptions&, OutputSink& out) const override {
        std::vector<std::string> state_names, event_names;
        for (const auto& s : m.states) state_names.push_back(s.name);
        for (const auto& e : m.events) event_names.push_back(e.name);

        Json j;
        j["fsmgen_model"] = 1;  // format version
        j["source"] = m.source_name;
        j["machine"] = m.name;
        j["doc"] = m.doc;
        j["namespace"] = m.qualified_namespace();
        j["initial"] = m.states[m.initial].name;

        Json includes = Json::array();
        for (const auto& inc : m.includes) includes.push_back({{"path", inc.path}, {"system", inc.system}});
        j["includes"] = std::move(includes);

        Json categories = Json::array();
        for (const auto& c : m.categories) categories.push_back({{"name", c.name}, {"doc", c.doc}, {"origin", origin(c.origin)}});
        j["categories"] = std::move(categories);

        Json events = Json::array();
        for (const auto& e : m.events) {
            Json fields = Json::array();
            for (const auto& f : e.fields) fields.push_back({{"name", f.name}, {"type", f.type}, {"origin", origin(f.origin)}});
            events.push_back({{"name", e.name},
                              {"category", m.categories[e.category].name},
                              {"doc", e.doc},
                              {"fields", std::move(fields)},
                              {"type", e.type.empty() ? Json(nullptr) : Json(e.type)},
                              {"origin", origin(e.origin)}});
        }
        j["events"] = std::move(events);

        Json states = Json::array();
        for (const auto& s : m.states)
            states.push_back({{"name", s.name},
                              {"doc", s.doc},
                              {"initial", s.initial},
                              {"final", s.final},
                              {"entry", names(s.entry, m.actions)},
                              {"exit", names(s.exit, m.actions)},
                              {"origin", origin(s.origin)}});
        j["states"] = std::move(states);
        j["guards"] = m.guards;
        j["actions"] = m.actions;

        Json rules = Json::array();
        for (const auto& r : m.rules)
            rules.push_back({{"kind", to_string(r.kind)},
                             {"sources", names(r.sources, state_names)},
                             {"excluded", names(r.excluded, state_names)},
                             {"origin", origin(r.origin)}});
        j["rules"] = std::move(rules);

        Json transitions = Json::array();
        for (const auto& t : m.transitions) {
            Json guard = Json::array();
            for (const auto& g : t.guard) guard.push_back({{"guard", m.guards[g.guard]}, {"negated", g.negated}});
            transitions.push_back({{"source", m.states[t.source].name},
                                   {"event", m.events[t.event].name},
                                   {"target", t.target ? Json(m.states[*t.target].name) : Json(nullptr)},
                                   {"guard", std::move(guard)},
                                   {"actions", names(t.actions, m.actions)},
                                   {"rule", t.rule}});
        }
        j["transitions"] = std::move(transitions);

        // The checker rejects invalid UTF-8, so `replace` never fires; it only rules out an exception.
        out.write("", j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
    }
};

}  // namespace

std::unique_ptr<Backend> make_json_backend() { return std::make_unique<JsonBackend>(); }

}  // namespace fsmgen
