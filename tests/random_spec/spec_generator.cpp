#include "random_spec/spec_generator.hpp"

#include "check/reserved_names.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

namespace fsmgen::testing {
namespace {

// Names C++ accepts but that sit next to something: the generated header's own identifiers
// (template parameters, members, namespaces, helpers), Boost's and the standard library's
// namespaces, contextual keywords, glibc and Boost macros the header's macro shield must absorb.
// A name reserved by reserved_names.cpp must not be here (check would reject the spec).
constexpr std::string_view tricky_names[] = {
    "C", "F", "S", "T", "e", "f", "Context", "Fsm", "Stt", "Event", "Rows", "Cell", "Index", "Sequence", "BackendRow",
    "fsm", "region", "msm_state", "result", "fired", "tried", "entries", "instance", "cell", "fsm_type", "detail",
    "event", "st", "msmf", "msmb", "front", "machine", "current", "dispatch", "name", "transitions",
    "transition_row", "state_count", "event_count", "state_map", "make_state_map", "row_type", "run_rows",
    "no_row", "event_cells", "all_true", "states_end", "states_0", "state_declaration", "transition_table",
    "initial_state", "has_on_unhandled", "has_guard_x", "guard_x", "action_x", "hook_x", "has_hook_x", "g0",
    "a0", "ctx_", "base_type", "no_exception_thrown", "no_message_queue", "event_info", "state_base",
    "is_fsmgen_row", "unchanged", "fsmgen_msm", "mpl", "msm", "back", "fusion", "proto", "euml", "aux", "std",
    "boost", "main", "final_", "override", "final_state", "module", "import", "SEEK_DATA", "CLONE_FS",
    "BIG_ENDIAN", "LITTLE_ENDIAN", "major", "minor", "alloca", "FUSION_INCLUDE_AS_SET", "MSM_ARGS_NONE_PRINT",
    "PTHREAD_ONCE_INIT", "WNOHANG", "Int", "class_", "new_", "delete_", "_x", "_1", "x_", "X", "Q", "source",
    "target", "internal", "guard", "actions", "a", "b", "to_string", "size_t", "uint8_t", "string_view",
    "vector", "function", "move", "declval", "void_t", "false_type", "true_type", "HandledEnum", "HANDLED_TRUE",
    "HANDLED_FALSE", "none", "Row", "get_state_id", "process_event", "start", "stop", "context",
    "no_transition", "on_entry", "on_exit", "tcp", "ns", "user", "timer", "message", "channel", "assert", "never", "after", "without", "eventually", "capacity", "lossy",
    "toString", "constructor", "valueOf", "hasOwnProperty"};

// Pieces of doc strings, in the spec's own syntax (escapes written as the spec writes them).
constexpr std::string_view doc_pieces[] = {
    "plain", " ", "\\\\", "\\\"", "\\n", "\\t", "?\?/", "?\?=", "?\?(", "?\?)", "?\?!", "?\?<", "?\?>", "?\?-", "?\?'",
    "?", "\xE2\x80\xAE", "\xE2\x80\xAA", "\xE2\x81\xA7", "\xE2\x80\x8F", "\xD8\x9C", "\xE2\x80\xA8",
    "\xF0\x9F\x98\x80", "\xE4\xB8\xAD\xE6\x96\x87", "e\xCC\x81", "*/", "/*", "//", "$ns$", "$", "%s", "#define",
    "\t", "\x01", "\x7F", "}", "{", "->", "+", "\\\\\\\\", "RFC 9293 \xC2\xA7" "3.10"};

// The tricky names above that glibc or Boost define as macros.
bool is_platform_macro(std::string_view name) {
    for (std::string_view m : {"SEEK_DATA", "CLONE_FS", "BIG_ENDIAN", "LITTLE_ENDIAN", "major", "minor", "alloca", "FUSION_INCLUDE_AS_SET",
                               "MSM_ARGS_NONE_PRINT", "PTHREAD_ONCE_INIT", "WNOHANG"})
        if (name == m) return true;
    return false;
}

// Category words: TCP's, and others a spec of another protocol would use; fresh ones are added.
constexpr std::string_view category_words[] = {"user", "segment", "timer", "internal", "message", "alert", "app", "event", "int"};

// Field types whose headers fsmgen knows (model/cxx_types.cpp), written with random blanks.
constexpr std::string_view field_types[] = {
    "bool", "int", "unsigned", "char", "double", "long", "std::uint8_t", "std::uint16_t", "std::uint32_t", "std::int64_t",
    "std::size_t", "::std::uint64_t", "std::string", "std::string_view", "std::array<std::uint8_t, 4>", "std::vector<int>",
    "std::optional<std::uint16_t>", "std::pair<int, bool>", "std::array<std::array<char, 2>, 3>", "std::chrono::milliseconds",
    "std::tuple<std::string, std::vector<std::uint8_t>>", "std::byte", "std::bitset<12>"};

// Types that events are made of (`name = type`): the user's own (user_events.hpp, which the spec then
// includes) and standard classes (check rejects a scalar: an event is a class), pairwise distinct,
// since two events cannot be one type.
constexpr std::string_view user_types[] = {
    "rs_user::empty", "rs_user::record", "rs_user::constructed", "rs_user::signal", "rs_user::box<int>",
    "rs_user::box<rs_user::box<std::string>>", "rs_user::sealed", "rs_user::polymorphic", "rs_user::inner::deep::message",
    "::rs_user::event", "rs_user::state", "rs_user::machine", "rs_user::detail", "rs_user::context"};
constexpr std::string_view standard_event_types[] = {
    "std::string", "std::string_view",
    "std::vector<int>", "std::pair<int, bool>", "std::chrono::milliseconds", "std::optional<std::uint16_t>", "std::bitset<12>",
    "std::array<std::uint8_t, 4>", "std::tuple<std::string, std::vector<std::uint8_t>>"};

struct Literal {
    std::size_t guard;
    bool negated;
};

enum class Kind { single, set, wildcard };

struct Rule {
    Kind kind = Kind::single;
    std::vector<std::size_t> states;  // the state, the set, or the wildcard's exceptions
    std::size_t event = 0;
    std::vector<Literal> guard;
    std::vector<std::size_t> actions;
    std::optional<std::size_t> target;
};

class Generator {
public:
    Generator(std::mt19937_64& rng, const RandomSpecOptions& options) : rng_(rng), options_(options) {}

    std::string run() {
        choose_shape();
        if (chance(2)) {
            rowless();
            return print();
        }
        spanning_tree();
        extra_rules();
        ways_out();
        verification();
        return print();
    }

private:
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }

    // A fresh identifier: random letters, or a tricky name, never one of `taken`. Without a role
    // (an instance's name, which no C++ target writes) only the spec's keywords are excluded.
    std::string fresh_name(std::set<std::string>& taken, std::optional<reserved::Role> role, unsigned tricky_percent = 30) {
        for (;;) {
            std::string name;
            if (chance(tricky_percent)) {
                name = std::string(tricky_names[below(std::size(tricky_names))]);
            } else {
                static constexpr std::string_view first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                static constexpr std::string_view rest = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
                name += first[below(first.size())];
                const std::size_t len = chance(5) ? 40 + below(80) : below(10);
                for (std::size_t i = 0; i < len; ++i) {
                    const char c = rest[below(rest.size())];
                    if (c == '_' && name.back() == '_') continue;  // `__` is reserved
                    name += c;
                }
            }
            // The spec's own keywords are not names.
            // (assert, instance, channel and message are keywords only where a statement begins: names.)
            static const std::set<std::string, std::less<>> keywords = {"machine", "namespace", "events", "state",
                                                                        "initial", "final", "entry", "exit", "include"};
            // Random letters may spell a C++ keyword or a macro: those the checker rejects, on purpose.
            if (keywords.count(name) || taken.count(name) || (role && reserved::why_reserved(name, *role))) continue;
            taken.insert(name);
            return name;
        }
    }

    std::string doc() {
        std::string out;
        const std::size_t pieces = chance(10) ? 20 + below(40) : below(6);
        for (std::size_t i = 0; i < pieces; ++i) out += doc_pieces[below(std::size(doc_pieces))];
        if (chance(30)) out += "\\\\";  // the doc ends in a backslash
        return out;
    }

    void choose_shape() {
        std::set<std::string> none;
        machine_ = fresh_name(none, reserved::Role::namespace_inner, 20);
        if (chance(70)) {
            namespace_.push_back(options_.namespace_prefix);
            std::set<std::string> parts;
            const std::size_t depth = below(4);
            // Not a macro of glibc or Boost: the header shields its own text from them, but the driver
            // names the namespace after the header, where such a macro is back (as in user code).
            for (std::size_t i = 0; i < depth; ++i) {
                std::string part = fresh_name(parts, reserved::Role::namespace_inner, 60);
                while (is_platform_macro(part)) part = fresh_name(parts, reserved::Role::namespace_inner, 60);
                namespace_.push_back(part);
            }
        } else {
            machine_ = options_.namespace_prefix + (machine_[0] == '_' ? "" : "_") + machine_;  // the machine's name is the namespace
        }
        const std::size_t n_states = 2 + below(options_.max_states - 1);
        const std::size_t n_events = 1 + below(options_.max_events);
        for (std::size_t i = 0; i < n_states; ++i) states_.push_back(fresh_name(state_names_, reserved::Role::state));
        for (std::size_t i = 0; i < n_events; ++i) events_.push_back(fresh_name(event_names_, reserved::Role::event));
        // Events with data: some carry fields, named like anything (a field `std` or `event` must not
        // capture a type) but never like their event.
        // Others are a type of the user's or of the standard library, each type at most once.
        fields_.resize(n_events);
        types_.resize(n_events);
        std::set<std::string_view> event_types;
        for (std::size_t i = 0; i < n_events; ++i) {
            if (chance(12)) {
                const bool user = chance(60);
                const std::string_view type = user ? user_types[below(std::size(user_types))]
                                                   : standard_event_types[below(std::size(standard_event_types))];
                if (event_types.insert(type).second) {
                    types_[i] = std::string(type);
                    includes_user_types_ = includes_user_types_ || user;
                    continue;
                }
            }
            if (!chance(35)) continue;
            std::set<std::string> taken{events_[i]};
            for (std::size_t k = 1 + below(4); k > 0; --k) {
                const bool user = chance(10);
                const std::string_view type = user ? user_types[below(std::size(user_types))] : field_types[below(std::size(field_types))];
                includes_user_types_ = includes_user_types_ || user;
                fields_[i].emplace_back(fresh_name(taken, reserved::Role::field, 40), std::string(type));
            }
        }
        std::set<std::string> category_taken;
        for (std::size_t k = 1 + below(4); k > 0; --k) {
            std::string c = chance(70) ? std::string(category_words[below(std::size(category_words))]) : fresh_name(category_taken, reserved::Role::state, 0);
            if (std::find(categories_.begin(), categories_.end(), c) == categories_.end()) categories_.push_back(c);
        }
        // Guards and actions share one namespace of names (a name has one role).
        const std::size_t n_guards = 1 + below(6), n_actions = 1 + below(8);
        for (std::size_t i = 0; i < n_guards; ++i) guards_.push_back(fresh_name(member_names_, reserved::Role::guard));
        for (std::size_t i = 0; i < n_actions; ++i) actions_.push_back(fresh_name(member_names_, reserved::Role::action));
        initial_ = below(n_states);
        final_.assign(n_states, false);
        for (std::size_t s = 0; s < n_states; ++s) final_[s] = s != initial_ && chance(15);
        entry_.resize(n_states);
        exit_.resize(n_states);
        for (std::size_t s = 0; s < n_states; ++s) {
            for (std::size_t k = below(3); k > 0; --k) entry_[s].push_back(below(actions_.size()));
            if (!final_[s])
                for (std::size_t k = below(3); k > 0; --k) exit_[s].push_back(below(actions_.size()));
        }
    }

    std::vector<std::size_t> covered(const Rule& r) const {
        if (r.kind != Kind::wildcard) return r.states;
        std::vector<std::size_t> out;
        for (std::size_t s = 0; s < states_.size(); ++s)
            if (std::find(r.states.begin(), r.states.end(), s) == r.states.end()) out.push_back(s);
        return out;
    }

    static bool exclusive(const Rule& a, const Rule& b) {
        for (const auto& x : a.guard)
            for (const auto& y : b.guard)
                if (x.guard == y.guard && x.negated != y.negated) return true;
        return false;
    }

    static bool mentions(const Rule& r, std::size_t guard) {
        return std::any_of(r.guard.begin(), r.guard.end(), [&](const Literal& l) { return l.guard == guard; });
    }

    // Adds the rule, first making it exclusive with every rule it shares a (state, event) with:
    // a guard neither mentions, true in the old rule and false in the new one (adding a literal
    // to a rule never undoes an exclusion it already had).
    void add(Rule rule) {
        const auto mine = covered(rule);
        if (mine.empty()) return;
        for (auto& other : rules_) {
            if (other.event != rule.event || exclusive(other, rule)) continue;
            const auto theirs = covered(other);
            const bool overlap = std::any_of(mine.begin(), mine.end(), [&](std::size_t s) {
                return std::find(theirs.begin(), theirs.end(), s) != theirs.end();
            });
            if (!overlap) continue;
            std::size_t g = below(guards_.size());
            for (std::size_t tries = 0; tries < guards_.size() && (mentions(other, g) || mentions(rule, g)); ++tries) g = (g + 1) % guards_.size();
            if (mentions(other, g) || mentions(rule, g)) {
                guards_.push_back(fresh_name(member_names_, reserved::Role::guard));
                g = guards_.size() - 1;
            }
            other.guard.push_back({g, false});
            rule.guard.push_back({g, true});
        }
        rules_.push_back(std::move(rule));
    }

    Rule random_rule_body(std::size_t event) {
        Rule r;
        r.event = event;
        std::set<std::size_t> used;
        for (std::size_t k = chance(50) ? below(4) : 0; k > 0; --k) {
            const std::size_t g = below(guards_.size());
            if (used.insert(g).second) r.guard.push_back({g, chance(50)});
        }
        for (std::size_t k = chance(60) ? 1 + below(3) : 0; k > 0; --k) r.actions.push_back(below(actions_.size()));
        return r;
    }

    // The smallest machine there is: one state, initial and final, and not a single row.
    void rowless() {
        states_.resize(1);
        initial_ = 0;
        final_.assign(1, true);
        entry_.resize(1);
        exit_.assign(1, {});
    }

    // Every state is reached from the initial one: state i (in a random order) from one before it.
    void spanning_tree() {
        std::vector<std::size_t> order;
        for (std::size_t s = 0; s < states_.size(); ++s)
            if (s != initial_) order.push_back(s);
        std::shuffle(order.begin(), order.end(), rng_);
        // Final states last, so that none is asked to lead on.
        std::stable_partition(order.begin(), order.end(), [&](std::size_t s) { return !final_[s]; });
        order.insert(order.begin(), initial_);
        for (std::size_t i = 1; i < order.size(); ++i) {
            std::size_t from = order[below(i)];
            for (std::size_t tries = 0; final_[from] && tries < 8; ++tries) from = order[below(i)];
            if (final_[from]) from = initial_;
            Rule r = random_rule_body(below(events_.size()));
            r.states = {from};
            r.target = order[i];
            add(std::move(r));
        }
    }

    void extra_rules() {
        const std::size_t n = below(states_.size() * 3 + 4);
        for (std::size_t i = 0; i < n; ++i) {
            Rule r = random_rule_body(below(events_.size()));
            const unsigned kind = static_cast<unsigned>(below(100));
            std::vector<std::size_t> live;  // states that may have outgoing rows
            for (std::size_t s = 0; s < states_.size(); ++s)
                if (!final_[s]) live.push_back(s);
            if (kind < 12) {
                r.kind = Kind::wildcard;
                for (std::size_t s = 0; s < states_.size(); ++s)
                    if (final_[s] || chance(20)) r.states.push_back(s);
                if (r.states.size() == states_.size()) continue;
            } else if (kind < 25) {
                r.kind = Kind::set;
                for (std::size_t k = 1 + below(3); k > 0; --k) {
                    const std::size_t s = live[below(live.size())];
                    if (std::find(r.states.begin(), r.states.end(), s) == r.states.end()) r.states.push_back(s);
                }
            } else {
                r.states = {live[below(live.size())]};
            }
            const unsigned target = static_cast<unsigned>(below(100));
            if (target < 60) r.target = below(states_.size());                                   // anywhere, finals included
            else if (target < 70 && r.kind == Kind::single) r.target = r.states.front();         // external self-transition
            else if (target < 80) r.actions.clear(), r.actions.push_back(below(actions_.size()));  // internal
            else if (target < 85) r.actions.clear();                                              // ignored: no target, no action
            add(std::move(r));
        }
        // Now and then a cell with many rows, told apart by the bits of a few guards.
        if (chance(3)) {
            const std::size_t rows = 20 + below(40), bits = 6;
            std::vector<std::size_t> bit_guards;
            for (std::size_t b = 0; b < bits; ++b) {
                guards_.push_back(fresh_name(member_names_, reserved::Role::guard));
                bit_guards.push_back(guards_.size() - 1);
            }
            const std::size_t source = initial_, event = below(events_.size());
            for (std::size_t i = 0; i < rows; ++i) {
                Rule r;
                r.event = event;
                r.states = {source};
                for (std::size_t b = 0; b < bits; ++b) r.guard.push_back({bit_guards[b], ((i >> b) & 1u) == 0});
                r.actions.push_back(below(actions_.size()));
                r.target = below(states_.size());
                add(std::move(r));
            }
        }
    }

    // A non-final state with no row to another state is an error (declare it final): give it one.
    void ways_out() {
        for (std::size_t s = 0; s < states_.size(); ++s) {
            if (final_[s]) continue;
            bool out = false;
            for (const auto& r : rules_)
                if (r.target && *r.target != s) {
                    const auto c = covered(r);
                    out = out || std::find(c.begin(), c.end(), s) != c.end();
                }
            if (out) continue;
            Rule r = random_rule_body(below(events_.size()));
            r.states = {s};
            r.target = (s + 1 + below(states_.size() - 1)) % states_.size();
            add(std::move(r));
        }
    }

    // ---- verification statements (docs/spec-language.md#verification) -----------------------------
    //
    // Properties over random states, events and actions (any of them may fail under SPIN: only the
    // promela target gives them a meaning, and every target must accept them); now and then a
    // composition: instances, channels (at most one out of and one into each instance) and messages
    // (at most one per action).
    void verification() {
        if (!chance(40)) return;
        // Actions exist only where a row or a hook runs them.
        std::set<std::size_t> used;
        for (const auto& r : rules_) used.insert(r.actions.begin(), r.actions.end());
        for (std::size_t s = 0; s < states_.size(); ++s) {
            used.insert(entry_[s].begin(), entry_[s].end());
            used.insert(exit_[s].begin(), exit_[s].end());
        }
        const std::vector<std::size_t> actions(used.begin(), used.end());
        auto states = [&] {
            if (chance(60)) return states_[below(states_.size())];
            std::string set = "{";
            for (std::size_t k = 1 + below(3); k > 0; --k) set += (set.size() > 1 ? "," + blank() : "") + states_[below(states_.size())];
            return set + "}";
        };
        for (std::size_t k = below(3); k > 0; --k) {
            std::string p = "assert" + blank() + "never" + blank() + states();
            if (!actions.empty() && chance(50))
                p += blank() + "after" + blank() + events_[below(events_.size())] + blank() + "without" + blank() + actions_[actions[below(actions.size())]];
            verification_.push_back(p);
        }
        for (std::size_t k = below(3); k > 0; --k)
            verification_.push_back("assert" + blank() + "from" + blank() + states() + blank() + "eventually" + blank() + states());
        if (!chance(60)) return;
        std::set<std::string> taken;
        std::vector<std::string> instances;
        for (std::size_t k = 1 + below(3); k > 0; --k) instances.push_back(fresh_name(taken, std::nullopt));
        std::string decl = "instance" + blank();
        for (std::size_t i = 0; i < instances.size(); ++i) decl += (i ? "," + blank() : "") + instances[i];
        verification_.push_back(decl);
        // A ring over a shuffled order, some of its links left out: one channel out of and one into each.
        std::vector<std::size_t> ring(instances.size());
        for (std::size_t i = 0; i < ring.size(); ++i) ring[i] = i;
        std::shuffle(ring.begin(), ring.end(), rng_);
        for (std::size_t i = 0; ring.size() > 1 && i < ring.size(); ++i) {
            if (chance(25)) continue;
            std::string ch = "channel" + blank() + instances[ring[i]] + blank() + "->" + blank() + instances[ring[(i + 1) % ring.size()]] +
                             blank() + "capacity" + blank() + (chance(10) ? "0" : "") + std::to_string(chance(80) ? 1 + below(3) : 1 + below(16));
            std::vector<std::string_view> options = {"lossy", "duplicating", "reordering"};
            std::shuffle(options.begin(), options.end(), rng_);
            for (auto o : options)
                if (chance(40)) ch += " " + std::string(o);
            verification_.push_back(ch);
        }
        std::vector<std::size_t> senders = actions;
        std::shuffle(senders.begin(), senders.end(), rng_);
        const std::size_t messages = std::min(senders.size(), below(4));
        for (std::size_t k = 0; k < messages; ++k)
            verification_.push_back("message" + blank() + actions_[senders[k]] + blank() + "->" + blank() + events_[below(events_.size())]);
    }

    // ---- printing ----------------------------------------------------------------------------------

    std::string blank() { return chance(10) ? "  " : chance(10) ? "\t" : " "; }

    // A C++ type with blanks around its punctuation now and then (the parser drops them).
    std::string spaced(std::string_view type) {
        std::string out;
        for (char c : type) {
            if ((c == '<' || c == '>' || c == ',') && chance(30)) out += blank();
            out += c;
            if ((c == '<' || c == ',') && chance(30)) out += blank();
        }
        return out;
    }

    std::string print() {
        const std::string nl = chance(15) ? "\r\n" : "\n";
        std::vector<std::string> statements;
        std::string machine = "machine " + machine_;
        if (chance(70)) machine += " \"" + doc() + "\"";
        statements.push_back(machine);
        if (!namespace_.empty()) {
            std::string ns = "namespace " + namespace_.front();
            for (std::size_t i = 1; i < namespace_.size(); ++i) ns += (chance(20) ? " :: " : "::") + namespace_[i];
            statements.push_back(ns);
        }
        // The events block: groups by category, maybe several groups of one category, maybe lines.
        std::string events = "events {" + nl;
        std::vector<std::size_t> order(events_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (std::size_t i = 0; i < order.size();) {
            const std::size_t group = 1 + below(order.size() - i);
            events += "  " + categories_[below(categories_.size())];
            if (chance(30)) events += blank() + "\"" + doc() + "\"";
            events += ":" + blank();
            for (std::size_t k = 0; k < group; ++k, ++i) {
                if (k) events += "," + (chance(20) ? nl + "    " : blank());
                events += events_[order[i]];
                const auto& fields = fields_[order[i]];
                if (!types_[order[i]].empty()) {
                    events += blank() + "=" + blank() + spaced(types_[order[i]]);
                } else if (!fields.empty() || chance(5)) {
                    events += "(" + blank();
                    for (std::size_t f = 0; f < fields.size(); ++f)
                        events += (f ? "," + (chance(20) ? nl + "      " : blank()) : "") + fields[f].first + ":" + blank() + spaced(fields[f].second);
                    events += ")";
                }
                if (chance(40)) events += " \"" + doc() + "\"";
            }
            events += nl;
        }
        events += "}";
        statements.push_back(events);
        if (includes_user_types_)
            statements.push_back(chance(50) ? "include \"random_spec/user_events.hpp\"" : "include" + blank() + "<random_spec/user_events.hpp>");
        for (std::size_t s = 0; s < states_.size(); ++s) {
            std::string st;
            if (s == initial_) st += "initial ";
            if (final_[s]) st += "final ";
            st += "state " + states_[s];
            if (chance(40)) st += " \"" + doc() + "\"";
            if (!entry_[s].empty() || !exit_[s].empty()) {
                st += " {" + (chance(30) ? nl + "  " : blank());
                auto hook = [&](const char* word, const std::vector<std::size_t>& list) {
                    if (list.empty()) return;
                    st += std::string(word) + " ";
                    for (std::size_t k = 0; k < list.size(); ++k) st += (k ? ", " : "") + actions_[list[k]];
                    st += chance(30) ? nl + "  " : blank();
                };
                if (chance(50)) hook("entry", entry_[s]), hook("exit", exit_[s]);
                else hook("exit", exit_[s]), hook("entry", entry_[s]);
                st += "}";
            }
            statements.push_back(st);
        }
        for (const auto& r : rules_) statements.push_back(print_rule(r));
        statements.insert(statements.end(), verification_.begin(), verification_.end());
        // Declarations and rows may come in any order; usually they come in the usual one.
        if (chance(15)) std::shuffle(statements.begin(), statements.end(), rng_);

        std::string out;
        if (chance(50)) out += "// a random spec: " + doc() + nl;
        for (const auto& s : statements) {
            out += s;
            if (chance(10)) out += blank() + "// " + doc();
            out += nl;
            if (chance(10)) out += nl;
        }
        return out;
    }

    std::string print_rule(const Rule& r) {
        std::string out;
        auto list = [&](const std::vector<std::size_t>& states) {
            std::string l = "{";
            for (std::size_t k = 0; k < states.size(); ++k) l += (k ? "," + blank() : "") + states_[states[k]];
            return l + "}";
        };
        switch (r.kind) {
            case Kind::single: out += states_[r.states.front()]; break;
            case Kind::set: out += list(r.states); break;
            case Kind::wildcard: out += r.states.empty() ? "*" : "*" + blank() + "-" + blank() + list(r.states); break;
        }
        out += blank() + "+" + blank() + events_[r.event];
        if (!r.guard.empty()) {
            out += blank() + "[";
            for (std::size_t k = 0; k < r.guard.size(); ++k)
                out += (k ? blank() + "&&" + blank() : "") + (r.guard[k].negated ? "!" : "") + guards_[r.guard[k].guard];
            out += "]";
        }
        if (!r.actions.empty()) {
            out += blank() + "/" + blank();
            for (std::size_t k = 0; k < r.actions.size(); ++k) out += (k ? "," + blank() : "") + actions_[r.actions[k]];
        }
        if (r.target) out += blank() + "->" + blank() + states_[*r.target];
        return out;
    }

    std::mt19937_64& rng_;
    const RandomSpecOptions& options_;
    std::string machine_;
    std::vector<std::string> namespace_;
    std::vector<std::string> states_, events_, guards_, actions_, categories_;
    std::vector<std::vector<std::pair<std::string, std::string>>> fields_;  // per event: name, type
    std::vector<std::string> types_;                                           // per event: its type (`= type`), or empty
    bool includes_user_types_ = false;
    std::set<std::string> state_names_, event_names_, member_names_;
    std::size_t initial_ = 0;
    std::vector<bool> final_;
    std::vector<std::vector<std::size_t>> entry_, exit_;
    std::vector<Rule> rules_;
    std::vector<std::string> verification_;
};

}  // namespace

std::string random_spec(std::mt19937_64& rng, const RandomSpecOptions& options) { return Generator(rng, options).run(); }

}  // namespace fsmgen::testing
