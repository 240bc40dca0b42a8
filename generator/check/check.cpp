#include "check/check.hpp"

#include "check/reserved_names.hpp"
#include "check/spelling.hpp"
#include "model/cxx_types.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <string_view>
#include <unordered_map>

namespace fsmgen {
namespace {

using model::Model;

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

// Names are echoed in messages; a megabyte-long one is cut so that the message stays readable.
std::string without_digits(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c < '0' || c > '9') out += c;
    return out;
}

std::string quoted(std::string_view s) {
    constexpr std::size_t max_shown = 64;
    if (s.size() > max_shown) return "'" + std::string(s.substr(0, max_shown)) + "...'";
    return "'" + std::string(s) + "'";
}

class Checker {
public:
    Checker(const ast::Spec& spec, const SourceFile& file, Diagnostics& diags)
        : spec_(spec), file_(file), diags_(diags) {}

    std::optional<Model> run() {
        std::size_t errors_before = diags_.error_count();
        // After a syntax error, statements are missing: whole-spec checks (no initial state, unreachable,
        // unused...) would only report the consequences. Names and duplicates are still checked.
        complete_ = errors_before == 0;
        m_.source_name = file_.name();
        machine_header();
        declare_events();
        declare_states();
        transitions();
        verification();
        if (complete_ && diags_.error_count() == errors_before) {
            // These need a fully resolved table; on a broken one they would only add noise.
            determinism();
            reachability();
            unused_events();
            near_miss_names();
        }
        if (diags_.error_count() != errors_before) return std::nullopt;
        return std::move(m_);
    }

private:
    model::Origin origin(Span s) const {
        LineCol lc = file_.locate(s.begin);
        return {lc.line, lc.column};
    }

    // Names become C++ identifiers in the generated header (event structs, enum values, member
    // functions of the user's context): a name C++ or the header cannot take there is reported here,
    // at its position, rather than producing a header that does not compile (reserved_names.hpp).
    void check_identifier(const ast::Name& n, std::string_view role, reserved::Role where) {
        if (auto why = reserved::why_reserved(n.text, where))
            diags_.error(n.span, std::string(role) + " " + quoted(n.text) + " " + *why + "; the generated code could not use it");
    }

    void check_text(const ast::Text& t) {
        if (t.present() && !valid_utf8(t.value)) diags_.error(t.span, "string is not valid UTF-8");
    }

    void machine_header() {
        if (spec_.machines.empty()) {
            if (complete_) diags_.error({0, 0}, "the spec has no 'machine NAME' declaration");
        } else {
            const auto& decl = spec_.machines.front();
            for (std::size_t i = 1; i < spec_.machines.size(); ++i) {
                diags_.error(spec_.machines[i].span, "duplicate machine declaration; a spec describes one machine");
                diags_.note(decl.span, "first declared here");
            }
            // Without a namespace declaration the machine's name is the namespace.
            check_identifier(decl.name, "machine name",
                             spec_.namespaces.empty() ? reserved::Role::namespace_first : reserved::Role::namespace_inner);
            check_text(decl.doc);
            m_.name = decl.name.text;
            m_.doc = decl.doc.value;
        }
        if (!spec_.namespaces.empty()) {
            for (std::size_t i = 1; i < spec_.namespaces.size(); ++i) {
                diags_.error(spec_.namespaces[i].span, "duplicate namespace declaration");
                diags_.note(spec_.namespaces.front().span, "first declared here");
            }
            for (const auto& part : spec_.namespaces.front().parts) {
                check_identifier(part, "namespace", m_.cpp_namespace.empty() ? reserved::Role::namespace_first : reserved::Role::namespace_inner);
                m_.cpp_namespace.push_back(part.text);
            }
        } else if (!m_.name.empty()) {
            m_.cpp_namespace.push_back(m_.name);
        }
    }

    void declare_includes() {
        for (const auto& inc : spec_.includes) {
            // Written back inside #include <...> or "...": a character that could end the directive,
            // escape from it or trip a warning there is refused.
            bool ok = valid_utf8(inc.path);
            for (char c : inc.path) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F && c != '\\' && c != '"' && c != '>';
            ok = ok && inc.path.find("??") == std::string::npos && inc.path.find("//") == std::string::npos &&
                 inc.path.find("/*") == std::string::npos;
            if (!ok) diags_.error(inc.span, "this header name cannot be written in an #include directive (control characters, quotes, "
                                            "backslashes, trigraphs, comments or invalid UTF-8)");
            m_.includes.push_back({inc.path, inc.system});
        }
    }

    // A field or event type is written into the generated headers as C++ (cxx_types.hpp): every name in
    // it must be a built-in type, a standard type fsmgen knows the header of, or come from a header
    // the spec includes.
    void check_type(const ast::CxxType& type, std::string_view what) {
        for (const std::string& name : cxx_types::names_in(type.text)) {
            if (cxx_types::is_builtin(name) || cxx_types::standard_header(name)) continue;
            if (name == "void") {
                diags_.error(type.span, std::string(what) + " cannot be 'void'");
                return;
            }
            if (spec_.includes.empty()) {
                diags_.error(type.span, "type " + quoted(name) + " is not a standard type fsmgen knows; declare the header that defines it "
                                        "with 'include \"header.hpp\"' (or include <header>)");
                return;
            }
        }
    }

    void declare_events() {
        declare_includes();
        std::map<std::string, std::size_t> event_of_type;
        for (const auto& block : spec_.events) {
            for (const auto& group : block.groups) {
                check_text(group.category_doc);
                auto category = m_.find_category(group.category.text);
                if (!category) {
                    category = m_.categories.size();
                    m_.categories.push_back({group.category.text, group.category_doc.value, origin(group.category.span)});
                } else if (group.category_doc.present() && group.category_doc.value != m_.categories[*category].doc) {
                    if (m_.categories[*category].doc.empty()) m_.categories[*category].doc = group.category_doc.value;
                    else diags_.warning(group.category_doc.span, "category " + quoted(group.category.text) +
                                                                     " already has another doc string; this one is ignored");
                }
                for (const auto& decl : group.events) {
                    check_identifier(decl.name, "event", reserved::Role::event);
                    check_text(decl.doc);
                    if (auto prev = event_index_.find(decl.name.text); prev != event_index_.end()) {
                        diags_.error(decl.name.span, "duplicate event " + quoted(decl.name.text));
                        diags_.note(event_spans_[prev->second], "previously declared here");
                        continue;
                    }
                    model::Event event{decl.name.text, *category, decl.doc.value, origin(decl.name.span), {}, {}};
                    std::set<std::string_view> field_names;
                    for (const auto& f : decl.fields) {
                        check_identifier(f.name, "field", reserved::Role::field);
                        if (f.name.text == decl.name.text)
                            diags_.error(f.name.span, "field " + quoted(f.name.text) + " has the name of its event; C++ does not allow a member named like its class");
                        else if (!field_names.insert(f.name.text).second)
                            diags_.error(f.name.span, "duplicate field " + quoted(f.name.text) + " in event " + quoted(decl.name.text));
                        check_type(f.type, "a field");
                        event.fields.push_back({f.name.text, f.type.text, origin(f.name.span)});
                    }
                    if (decl.alias.present()) {
                        if (!decl.fields.empty())
                            diags_.error(decl.alias.span, "event " + quoted(decl.name.text) +
                                                              " has fields and a type of its own; give the fields to the type, or drop '='");
                        if (cxx_types::is_builtin(decl.alias.text))
                            diags_.error(decl.alias.span, "an event's type must be a class type, not " + quoted(decl.alias.text));
                        check_type(decl.alias, "an event's type");
                        std::string key = decl.alias.text.substr(0, 2) == "::" ? decl.alias.text.substr(2) : decl.alias.text;
                        if (auto [it, added] = event_of_type.try_emplace(key, m_.events.size()); !added) {
                            diags_.error(decl.alias.span, "events " + quoted(m_.events[it->second].name) + " and " + quoted(decl.name.text) +
                                                              " are the same type; an event type identifies one event");
                            diags_.note(event_spans_[it->second], "the other one");
                        }
                        event.type = decl.alias.text;
                    }
                    event_index_[decl.name.text] = m_.events.size();
                    event_spans_.push_back(decl.name.span);
                    m_.events.push_back(std::move(event));
                    event_names_.push_back(decl.name.text);
                }
            }
        }
        if (complete_ && spec_.events.empty() && !spec_.machines.empty())
            diags_.error(spec_.machines.front().span, "the spec declares no events (add an 'events { ... }' block)");
    }

    void declare_states() {
        const ast::StateDecl* initial = nullptr;
        for (const auto& decl : spec_.states) {
            check_identifier(decl.name, "state", reserved::Role::state);
            check_text(decl.doc);
            if (auto prev = state_index_.find(decl.name.text); prev != state_index_.end()) {
                diags_.error(decl.name.span, "duplicate state " + quoted(decl.name.text));
                diags_.note(state_spans_[prev->second], "previously declared here");
                continue;
            }
            model::State s;
            s.name = decl.name.text;
            s.doc = decl.doc.value;
            s.origin = origin(decl.name.span);
            for (std::size_t i = 0; i < decl.markers.size(); ++i) {
                bool& flag = decl.markers[i] == ast::StateMarker::initial ? s.initial : s.final;
                if (flag) diags_.error(decl.span, "state " + quoted(s.name) + " is marked '" +
                                                      (decl.markers[i] == ast::StateMarker::initial ? "initial" : "final") + "' twice");
                flag = true;
            }
            if (s.initial) {
                if (initial) {
                    diags_.error(decl.name.span, "several initial states: " + quoted(initial->name.text) + " and " + quoted(s.name));
                    diags_.note(initial->name.span, "first initial state declared here");
                } else {
                    initial = &decl;
                    m_.initial = m_.states.size();
                }
            }
            for (const auto& hook : decl.hooks)
                for (const auto& a : hook.actions) (hook.is_entry ? s.entry : s.exit).push_back(use_action(a));
            state_index_[s.name] = m_.states.size();
            state_spans_.push_back(decl.name.span);
            state_names_.push_back(s.name);
            m_.states.push_back(std::move(s));
        }
        // Boost.MSM's back end recurses once per state while it builds its state set: above 256 states
        // that passes g++'s default template depth (900) and the generated header no longer compiles.
        if (m_.states.size() > max_states)
            diags_.error(state_spans_[max_states], "state " + quoted(m_.states[max_states].name) + " is state number " +
                                                       std::to_string(max_states + 1) + "; a machine has at most " +
                                                       std::to_string(max_states) +
                                                       " states (above that Boost.MSM's back end exceeds the compilers' default "
                                                       "template depth)");
        if (complete_ && !initial && !spec_.states.empty())
            diags_.error(spec_.states.front().span, "no initial state; mark one state 'initial state NAME'");
        if (complete_ && spec_.states.empty() && !spec_.machines.empty())
            diags_.error(spec_.machines.front().span, "the spec declares no states");
    }

    // After a syntax error in a declaration the name may well be declared there: an "unknown" error
    // per use would bury the one error to fix. Past the error limit the message is dropped anyway, so
    // no hint is looked for.
    std::optional<std::size_t> resolve_state(const ast::Name& n) {
        if (auto it = state_index_.find(n.text); it != state_index_.end()) return it->second;
        if (spec_.states_incomplete || diags_.too_many_errors()) return std::nullopt;
        diags_.error(n.span, "unknown state " + quoted(n.text) + did_you_mean(n.text, state_names_));
        return std::nullopt;
    }

    std::optional<std::size_t> resolve_event(const ast::Name& n) {
        if (auto it = event_index_.find(n.text); it != event_index_.end()) return it->second;
        if (spec_.events_incomplete || diags_.too_many_errors()) return std::nullopt;
        diags_.error(n.span, "unknown event " + quoted(n.text) + did_you_mean(n.text, event_names_));
        return std::nullopt;
    }

    // Guards and actions are declared by use. A name may not serve as both.
    std::size_t use_name(const ast::Name& n, bool is_guard) {
        auto& own = is_guard ? guard_index_ : action_index_;
        auto& other = is_guard ? action_index_ : guard_index_;
        auto& table = is_guard ? m_.guards : m_.actions;
        auto& spans = is_guard ? guard_uses_ : action_uses_;
        if (auto it = other.find(n.text); it != other.end()) {
            auto& other_spans = is_guard ? action_uses_ : guard_uses_;
            diags_.error(n.span, quoted(n.text) + " is used as a " + (is_guard ? "guard" : "action") + " here but as " +
                                     (is_guard ? "an action" : "a guard") + " elsewhere; a name has one role");
            diags_.note(other_spans[it->second].front(), std::string("used as ") + (is_guard ? "an action" : "a guard") + " here");
        }
        check_identifier(n, is_guard ? "guard" : "action", is_guard ? reserved::Role::guard : reserved::Role::action);
        auto [it, inserted] = own.try_emplace(n.text, table.size());
        if (inserted) {
            table.push_back(n.text);
            spans.emplace_back();
        }
        spans[it->second].push_back(n.span);
        return it->second;
    }
    std::size_t use_action(const ast::Name& n) { return use_name(n, false); }
    std::size_t use_guard(const ast::Name& n) { return use_name(n, true); }

    void transitions() {
        for (const auto& t : spec_.transitions) {
            model::Rule rule;
            rule.origin = origin(t.span);
            bool ok = true;
            std::vector<std::size_t> named;
            std::set<std::string_view> seen;
            for (const auto& n : t.source.states) {
                if (!seen.insert(n.text).second) diags_.warning(n.span, "state " + quoted(n.text) + " is listed twice");
                if (auto s = resolve_state(n)) named.push_back(*s);
                else ok = false;
            }
            switch (t.source.kind) {
                case ast::SourceKind::single:
                    rule.kind = model::SourceKind::single;
                    rule.sources = named;
                    break;
                case ast::SourceKind::set:
                    rule.kind = model::SourceKind::set;
                    rule.sources = named;
                    std::sort(rule.sources.begin(), rule.sources.end());
                    rule.sources.erase(std::unique(rule.sources.begin(), rule.sources.end()), rule.sources.end());
                    break;
                case ast::SourceKind::wildcard:
                    rule.kind = model::SourceKind::wildcard;
                    rule.excluded = named;
                    for (std::size_t s = 0; s < m_.states.size(); ++s)
                        if (std::find(named.begin(), named.end(), s) == named.end()) rule.sources.push_back(s);
                    break;
            }
            auto event = resolve_event(t.event);
            std::optional<std::size_t> target;
            if (t.target.present()) {
                target = resolve_state(t.target);
                ok = ok && target.has_value();
            }
            ok = ok && event.has_value();

            std::vector<model::GuardTerm> guard;
            std::map<std::size_t, const ast::GuardLiteral*> literal_of;
            for (const auto& lit : t.guard) {
                std::size_t g = use_guard(lit.name);
                if (auto prev = literal_of.find(g); prev != literal_of.end()) {
                    if (prev->second->negated != lit.negated) {
                        diags_.error(lit.span, "guard " + quoted(lit.name.text) + " is required both true and false; this transition can never fire");
                        ok = false;
                    } else {
                        diags_.warning(lit.span, "guard " + quoted(lit.name.text) + " is repeated");
                    }
                    continue;
                }
                literal_of[g] = &lit;
                guard.push_back({g, lit.negated});
            }
            std::vector<std::size_t> actions;
            for (const auto& a : t.actions) actions.push_back(use_action(a));

            std::size_t rule_index = m_.rules.size();
            rule_spans_.push_back(t.span);
            if (ok) {
                for (std::size_t s : rule.sources) {
                    if (m_.states[s].final) {
                        diags_.error(t.source.span, "final state " + quoted(m_.states[s].name) + " has an outgoing transition" +
                                                        (rule.kind == model::SourceKind::wildcard ? " from this wildcard; add it to the exceptions '* - {...}'" : ""));
                        continue;
                    }
                    m_.transitions.push_back({s, *event, target, guard, actions, rule_index});
                }
                if (rule.sources.empty())
                    diags_.warning(t.source.span, "the wildcard excludes every state; this transition applies nowhere");
            }
            m_.rules.push_back(std::move(rule));
        }
    }

    // ---- verification: properties and compositions (docs/spec-language.md#verification) ----------

    std::optional<std::size_t> resolve_action(const ast::Name& n) {
        if (auto it = action_index_.find(n.text); it != action_index_.end()) return it->second;
        diags_.error(n.span, "unknown action " + quoted(n.text) + did_you_mean(n.text, m_.actions));
        return std::nullopt;
    }

    std::vector<std::size_t> resolve_states(const std::vector<ast::Name>& names) {
        std::vector<std::size_t> out;
        for (const auto& n : names)
            if (auto s = resolve_state(n); s && std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
        return out;
    }

    void verification() {
        for (const auto& p : spec_.safety) {
            model::Safety safety{resolve_states(p.states), std::nullopt, std::nullopt, origin(p.span)};
            if (p.after.present()) {
                safety.after_event = resolve_event(p.after.event);
                safety.without_action = resolve_action(p.after.action);
            }
            m_.safety.push_back(std::move(safety));
        }
        for (const auto& p : spec_.liveness)
            m_.liveness.push_back({resolve_states(p.from), resolve_states(p.to), origin(p.span)});

        std::unordered_map<std::string, std::size_t> instance_index;
        std::vector<Span> instance_spans;
        for (const auto& n : spec_.instances) {
            if (auto prev = instance_index.find(n.text); prev != instance_index.end()) {
                diags_.error(n.span, "duplicate instance " + quoted(n.text));
                diags_.note(instance_spans[prev->second], "previously declared here");
                continue;
            }
            instance_index[n.text] = m_.instances.size();
            instance_spans.push_back(n.span);
            m_.instances.push_back(n.text);
        }
        auto resolve_instance = [&](const ast::Name& n) -> std::optional<std::size_t> {
            if (auto it = instance_index.find(n.text); it != instance_index.end()) return it->second;
            diags_.error(n.span, "unknown instance " + quoted(n.text) + did_you_mean(n.text, m_.instances) +
                                     (m_.instances.empty() ? "; declare the machine's instances with 'instance a, b'" : ""));
            return std::nullopt;
        };
        // One channel out of and one into each instance: an action's message goes to "the peer".
        std::vector<const ast::ChannelDecl*> out_of(m_.instances.size()), into(m_.instances.size());
        for (const auto& c : spec_.channels) {
            auto from = resolve_instance(c.from), to = resolve_instance(c.to);
            model::Channel ch;
            ch.origin = origin(c.span);
            bool ok = from && to;
            if (ok && *from == *to) {
                diags_.error(c.to.span, "a channel connects two different instances");
                ok = false;
            }
            for (auto [index, table, what] : {std::tuple{from, &out_of, "out of"}, std::tuple{to, &into, "into"}}) {
                if (!index) continue;
                if (const auto* prev = (*table)[*index]) {
                    diags_.error(c.span, std::string("instance ") + quoted(m_.instances[*index]) + " already has a channel " + what +
                                             " it; each instance has at most one channel out and one in");
                    diags_.note(prev->span, "the other channel");
                    ok = false;
                } else {
                    (*table)[*index] = &c;
                }
            }
            constexpr unsigned max_capacity = 16;  // SPIN's state grows with every slot of every channel
            unsigned long capacity = c.capacity.text.size() > 3 ? 1000 : std::stoul(c.capacity.text);
            if (capacity < 1 || capacity > max_capacity) {
                diags_.error(c.capacity.span, "a channel's capacity is 1 to " + std::to_string(max_capacity) + "; found " +
                                                  quoted(c.capacity.text));
                ok = false;
            }
            ch.capacity = static_cast<unsigned>(capacity);
            static const std::vector<std::string> options = {"lossy", "duplicating", "reordering"};
            for (const auto& o : c.options) {
                bool* flag = o.text == "lossy" ? &ch.lossy : o.text == "duplicating" ? &ch.duplicating : o.text == "reordering" ? &ch.reordering : nullptr;
                if (!flag) {
                    diags_.error(o.span, "unknown channel option " + quoted(o.text) + did_you_mean(o.text, options) +
                                             " (options: lossy, duplicating, reordering)");
                    ok = false;
                } else if (*flag) {
                    diags_.warning(o.span, "channel option " + quoted(o.text) + " is repeated");
                }
                if (flag) *flag = true;
            }
            if (ok) {
                ch.from = *from;
                ch.to = *to;
                m_.channels.push_back(ch);
            }
        }
        std::unordered_map<std::size_t, Span> message_of_action;
        for (const auto& msg : spec_.messages) {
            auto action = resolve_action(msg.action);
            auto event = resolve_event(msg.event);
            if (action) {
                if (auto [it, fresh] = message_of_action.try_emplace(*action, msg.span); !fresh) {
                    diags_.error(msg.action.span, "action " + quoted(msg.action.text) + " already sends a message");
                    diags_.note(it->second, "first message declared here");
                    continue;
                }
            }
            if (action && event) m_.messages.push_back({*action, *event});
        }
        if (m_.instances.empty() && !spec_.channels.empty() && complete_)
            diags_.error(spec_.channels.front().span, "a channel needs instances; declare them with 'instance a, b'");
        if (m_.instances.empty() && !spec_.messages.empty() && complete_)
            diags_.error(spec_.messages.front().span, "a message needs instances and channels; declare them with 'instance a, b' and 'channel a -> b capacity 1'");
    }

    // Two rows for the same state and event must be told apart by a guard that one requires true and
    // the other false; otherwise both could fire. This makes the machine's behaviour independent of
    // the order in which a back end tries rows (Boost.MSM tries them last to first).
    void determinism() {
        std::unordered_map<std::size_t, std::vector<std::size_t>> by_key;
        for (std::size_t i = 0; i < m_.transitions.size(); ++i) {
            const auto& t = m_.transitions[i];
            by_key[t.source * m_.events.size() + t.event].push_back(i);
        }
        std::set<std::pair<std::size_t, std::size_t>> reported_rules;
        for (std::size_t i = 0; i < m_.transitions.size(); ++i) {
            const auto& a = m_.transitions[i];
            for (std::size_t j : by_key[a.source * m_.events.size() + a.event]) {
                if (j <= i) continue;
                const auto& b = m_.transitions[j];
                if (exclusive(a, b)) continue;
                if (!reported_rules.insert({a.rule, b.rule}).second) continue;  // a wildcard pair once
                if (diags_.too_many_errors()) return;  // thousands of copies of one row: stop early
                diags_.error(rule_spans_[b.rule], "nondeterministic: state " + quoted(m_.states[a.source].name) + " on event " +
                                                      quoted(m_.events[a.event].name) +
                                                      " has another transition that its guards do not exclude");
                diags_.note(rule_spans_[a.rule], "the other transition; give one a guard that the other negates");
            }
        }
    }

    static bool exclusive(const model::Transition& a, const model::Transition& b) {
        for (const auto& x : a.guard)
            for (const auto& y : b.guard)
                if (x.guard == y.guard && x.negated != y.negated) return true;
        return false;
    }

    void reachability() {
        std::vector<std::vector<std::size_t>> next(m_.states.size());
        std::vector<bool> has_way_out(m_.states.size(), false);
        for (const auto& t : m_.transitions) {
            next[t.source].push_back(t.next());
            if (t.next() != t.source) has_way_out[t.source] = true;
        }
        std::vector<bool> reached(m_.states.size(), false);
        std::vector<std::size_t> stack{m_.initial};
        reached[m_.initial] = true;
        while (!stack.empty()) {
            std::size_t s = stack.back();
            stack.pop_back();
            for (std::size_t n : next[s])
                if (!reached[n]) {
                    reached[n] = true;
                    stack.push_back(n);
                }
        }
        for (std::size_t s = 0; s < m_.states.size(); ++s) {
            if (!reached[s])
                diags_.warning(state_spans_[s], "state " + quoted(m_.states[s].name) + " is unreachable from the initial state " +
                                                    quoted(m_.states[m_.initial].name));
            if (!has_way_out[s] && !m_.states[s].final)
                diags_.error(state_spans_[s], "state " + quoted(m_.states[s].name) +
                                                  " has no transition to another state; declare it 'final state' if that is intended");
        }
    }

    void unused_events() {
        std::vector<bool> used(m_.events.size(), false);
        for (const auto& t : m_.transitions) used[t.event] = true;
        for (std::size_t e = 0; e < m_.events.size(); ++e)
            if (!used[e]) diags_.warning(event_spans_[e], "event " + quoted(m_.events[e].name) + " is declared but never used");
    }

    // Guards and actions are not declared, so a typo silently creates a new one. Two names one edit
    // apart (or differing only in case) are almost always a typo: warn at the rarer spelling.
    void near_miss_names() {
        struct Use {
            std::string_view role;
            const std::vector<Span>* spans;
        };
        std::map<std::string, Use> uses;
        for (const auto& [name, i] : guard_index_) uses[name] = {"guard", &guard_uses_[i]};
        for (const auto& [name, i] : action_index_) uses[name] = {"action", &action_uses_[i]};
        // The pairs one edit apart come from one_edit_neighbours() (near-linear; comparing every pair
        // took 47 s for 8,000 names). Each name's are visited as before: one character shorter, as
        // long, one longer, and within a length in name order (`uses` is sorted, indices follow it).
        std::vector<std::string_view> names;
        std::vector<const Use*> name_uses;
        for (const auto& [name, use] : uses) {
            names.push_back(name);
            name_uses.push_back(&use);
        }
        std::vector<std::vector<std::size_t>> neighbours = one_edit_neighbours(names);
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string_view name = names[i];
            const Use& use = *name_uses[i];
            if (name.size() < 4) continue;
            std::vector<std::size_t>& others = neighbours[i];
            std::stable_sort(others.begin(), others.end(),
                             [&](std::size_t a, std::size_t b) { return names[a].size() < names[b].size(); });
            for (std::size_t j : others) {
                std::string_view other = names[j];
                if (without_digits(name) == without_digits(other)) continue;  // timer1/timer2: numbered on purpose
                const Use& o = *name_uses[j];
                // Report once per pair, at the spelling used less often (ties: the later one).
                bool rarer = use.spans->size() < o.spans->size() ||
                             (use.spans->size() == o.spans->size() && use.spans->front().begin > o.spans->front().begin);
                if (!rarer) continue;
                diags_.warning(use.spans->front(), std::string(use.role) + " " + quoted(name) + " looks like a misspelling of " +
                                                       std::string(o.role) + " " + quoted(other) + "; did you mean " + quoted(other) + "?");
                diags_.note(o.spans->front(), quoted(other) + " is used here");
            }
        }
    }

    const ast::Spec& spec_;
    const SourceFile& file_;
    Diagnostics& diags_;
    Model m_;
    bool complete_ = true;  // the parser reported no error

    std::unordered_map<std::string, std::size_t> state_index_, event_index_, guard_index_, action_index_;
    std::vector<Span> state_spans_, event_spans_, rule_spans_;
    std::vector<std::vector<Span>> guard_uses_, action_uses_;
    std::vector<std::string> state_names_, event_names_;
};

}  // namespace

std::optional<model::Model> check(const ast::Spec& spec, const SourceFile& file, Diagnostics& diags) {
    return Checker(spec, file, diags).run();
}

}  // namespace fsmgen
