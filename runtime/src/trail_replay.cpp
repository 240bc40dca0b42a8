#include "tcprt/trail_replay.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tcprt/tcb.hpp"

namespace tcprt::trail {

std::string step::text() const {
    switch (what) {
        case kind::start: return "start -> " + to;
        case kind::network: return "network: " + message + " " + network;
        case kind::machine: break;
    }
    std::string s = from + " " + event + (guard.empty() ? "" : " [" + guard + "]");
    if (!outcome.empty()) return s + " " + outcome;
    return to == from ? s : s + " -> " + to;
}

std::optional<trail> parse(std::string_view text, std::string& error) {
    try {
        const auto j = nlohmann::json::parse(text);
        const auto instances = j.at("instances").get<std::vector<std::string>>();
        if (instances.size() != 2)
            throw std::runtime_error("a trail of two instances (the TCP composition) is needed, this one has " +
                                     std::to_string(instances.size()));
        auto side = [&](const nlohmann::json& name) -> std::size_t {
            const auto n = name.get<std::string>();
            for (std::size_t i = 0; i < 2; ++i)
                if (instances[i] == n) return i;
            throw std::runtime_error("no instance '" + n + "'");
        };
        trail t;
        for (const auto& sj : j.at("steps")) {
            step s;
            if (sj.contains("network")) {
                s.what = step::kind::network;
                s.side = side(sj.at("from"));
                s.network = sj.at("network").get<std::string>();
                s.message = sj.at("message").get<std::string>();
            } else {
                s.side = side(sj.at("instance"));
                s.to = sj.at("to").get<std::string>();
                if (sj.value("start", false)) {
                    s.what = step::kind::start;
                } else {
                    s.what = step::kind::machine;
                    s.from = sj.at("from").get<std::string>();
                    s.event = sj.at("event").get<std::string>();
                    s.guard = sj.value("guard", "");
                    s.outcome = sj.value("outcome", "");
                }
            }
            t.steps.push_back(std::move(s));
        }
        if (j.contains("cycle_start") && !j.at("cycle_start").is_null()) t.cycle_start = j.at("cycle_start").get<std::size_t>();
        if (j.contains("violated") && !j.at("violated").is_null()) t.violated = j.at("violated").get<std::string>();
        return t;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

namespace {

char label(std::size_t side) { return side == 0 ? 'a' : 'b'; }

std::optional<timer> timer_of(std::string_view event) {
    if (event == "retransmission_timeout") return timer::retransmission;
    if (event == "user_timeout") return timer::user;
    if (event == "time_wait_timeout") return timer::time_wait;
    return std::nullopt;
}

bool is_call(std::string_view e) {
    return e == "open_active" || e == "open_passive" || e == "send" || e == "receive" || e == "close" || e == "abort";
}

// The real endpoints on a list of inputs, from the start. ISS and options fixed, one SEND is one
// byte (one message of the model), the user timeout on so that the model's user_timeout can happen.
struct world {
    std::array<endpoint, 2> ep;
    std::array<std::vector<segment>, 2> wire;  // in flight from side i, in the order sent
    std::array<instant, 2> now{};
    sim::result log;
    instant t{};

    static config make_config(std::size_t i) {
        config c;
        c.iss = fixed_iss(i == 0 ? 0x10000000u : 0x20000000u);
        c.user_timeout = std::chrono::minutes(5);
        return c;
    }

    world() : ep{endpoint(make_config(0)), endpoint(make_config(1))} {}
    world(const world&) = delete;  // the observers point into this world's log
    world& operator=(const world&) = delete;

    void observe() {
        for (std::size_t i = 0; i < 2; ++i)
            ep[i].observe([this, i](const endpoint::transition& tr) {
                log.log.push_back({sim::record::kind::transition, t, label(i), tr, {}});
            });
    }

    std::uint64_t refused(std::size_t i) const { return ep[i].counters().unhandled + ep[i].counters().rejected; }

    void drain(std::size_t i) {
        while (auto seg = ep[i].poll_transmit()) {
            log.log.push_back({sim::record::kind::sent, t, label(i), {}, *seg});
            ++log.segments_sent;
            wire[i].push_back(*seg);
        }
        while (ep[i].poll_notice()) {
        }
    }

    // False when the input cannot be made here (no such segment, no such timer running).
    bool apply(const input& in) {
        const std::size_t i = in.side;
        t = std::max(now[0], now[1]);
        switch (in.kind) {
            case input_kind::call: {
                endpoint& e = ep[i];
                if (in.event == "open_active") e.open_active(now[i]);
                else if (in.event == "open_passive") e.open_passive(now[i]);
                else if (in.event == "send") e.send(1, now[i]);
                else if (in.event == "receive") e.receive(std::uint32_t{1} << 30, now[i]);
                else if (in.event == "close") e.close(now[i]);
                else if (in.event == "abort") e.abort(now[i]);
                else return false;
                drain(i);
                return true;
            }
            case input_kind::timeout: {
                const auto which = timer_of(in.event);
                const auto deadline = which ? ep[i].timers().get(*which) : std::nullopt;
                if (!deadline) return false;
                now[i] = std::max(now[i], *deadline);
                t = std::max(now[0], now[1]);
                ep[i].handle_timeout(now[i]);
                drain(i);
                return true;
            }
            case input_kind::deliver:
            case input_kind::lose:
            case input_kind::duplicate: break;
        }
        auto& w = wire[i];
        if (in.slot >= w.size()) return false;
        const segment seg = w[in.slot];
        const std::size_t to = 1 - i;
        switch (in.kind) {
            case input_kind::deliver:
                w.erase(w.begin() + in.slot);
                log.log.push_back({sim::record::kind::delivered, t, label(to), {}, seg});
                ep[to].handle_segment(seg, now[to]);
                drain(to);
                return true;
            case input_kind::lose:
                w.erase(w.begin() + in.slot);
                log.log.push_back({sim::record::kind::lost, t, label(i), {}, seg});
                ++log.segments_lost;
                return true;
            case input_kind::duplicate: w.insert(w.begin() + in.slot + 1, seg); return true;
            default: return false;
        }
    }
};

// A point of the search: the inputs so far, and how many of each side's real transitions the trail's
// steps have accounted for (matched, or skipped because they kept the state).
struct node {
    std::vector<input> inputs;
    std::array<std::size_t, 2> used{};
};

std::vector<endpoint::transition> transitions_of(const sim::result& r, std::size_t side) {
    std::vector<endpoint::transition> v;
    for (const auto& rec : r.log)
        if (rec.what == sim::record::kind::transition && rec.endpoint == label(side)) v.push_back(rec.tr);
    return v;
}

std::string describe(const endpoint::transition& tr) {
    std::string s = std::string(name(tr.from)) + " " + std::string(tr.event);
    return s + (tr.from == tr.to ? " (stays)" : " -> " + std::string(name(tr.to)));
}

bool same_row(const endpoint::transition& tr, const step& s) {
    return name(tr.from) == s.from && tr.event == s.event && name(tr.to) == s.to;
}

enum class fit : std::uint8_t { matched, conflict, nothing };

// Whether side s.side's transitions from `used` on account for the step: internal rows the trail does
// not mention are skipped (the model folds some of the real walk's events into one); a state change
// that is not the step's is a conflict.
fit account(const std::vector<endpoint::transition>& trs, std::size_t& used, const step& s, std::string& seen) {
    for (std::size_t k = used; k < trs.size(); ++k) {
        seen += (seen.empty() ? "" : ", ") + describe(trs[k]);
        if (same_row(trs[k], s)) {
            used = k + 1;
            return fit::matched;
        }
        if (trs[k].from != trs[k].to) return fit::conflict;
    }
    return fit::nothing;
}

class search {
public:
    search(const trail& t, std::size_t max_attempts) : t_(t), max_attempts_(max_attempts) {}

    result run() {
        result r;
        for (const auto& s : t_.steps) r.machine_steps += s.what != step::kind::network;
        const bool done = visit(0, node{});
        r.inputs = best_.inputs;
        r.followed = machine_steps_before(best_k_);
        r.attempts = attempts_;
        world w;
        w.observe();
        for (const auto& in : r.inputs) w.apply(in);
        w.log.final_a = w.ep[0].current_state();
        w.log.final_b = w.ep[1].current_state();
        r.run = std::move(w.log);
        if (!done) {
            const step& s = t_.steps[best_k_];
            r.departure = "step " + std::to_string(r.followed + 1) + ", " + label(s.side) + ": " + s.text() +
                          "\n" + (reasons_.empty() ? "  no input of the real endpoints leads there" : reasons_);
            if (unshown_ > 0) r.departure += "\n  (and " + std::to_string(unshown_) + " more inputs tried)";
            if (attempts_ >= max_attempts_) r.departure += "\n  (the search stopped after " + std::to_string(attempts_) + " replays)";
        }
        return r;
    }

private:
    std::size_t machine_steps_before(std::size_t k) const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < k; ++i) n += t_.steps[i].what != step::kind::network;
        return n;
    }

    // The world after `inputs`, or nothing when one of them cannot be made.
    bool replay_into(world& w, const std::vector<input>& inputs) {
        ++attempts_;
        w.observe();
        for (const auto& in : inputs)
            if (!w.apply(in)) return false;
        return true;
    }

    void note(std::size_t k, const std::string& why) {
        if (k < best_k_) return;
        constexpr std::size_t shown = 12;  // inputs tried at the departure; the rest are counted
        if (std::count(reasons_.begin(), reasons_.end(), '\n') + 1 >= static_cast<std::ptrdiff_t>(shown)) {
            ++unshown_;
            return;
        }
        reasons_ += (reasons_.empty() ? "" : "\n") + ("  " + why);
    }

    // The inputs that may make step k happen, in the world `w`.
    std::vector<input> candidates(const step& s, const world& w) const {
        const auto side = static_cast<std::uint8_t>(s.side);
        if (is_call(s.event)) return {{input_kind::call, side, 0, s.event}};
        if (timer_of(s.event)) return {{input_kind::timeout, side, 0, s.event}};
        std::vector<input> v;
        const auto peer = static_cast<std::uint8_t>(1 - side);
        for (std::size_t slot = 0; slot < w.wire[peer].size(); ++slot)
            v.push_back({input_kind::deliver, peer, static_cast<std::uint8_t>(slot), {}});
        return v;
    }

    std::string input_text(const input& in, const world& before) const {
        switch (in.kind) {
            case input_kind::call: return std::string(1, label(in.side)) + " calls " + in.event;
            case input_kind::timeout: return std::string(1, label(in.side)) + "'s " + in.event;
            default: break;
        }
        const auto& w = before.wire[in.side];
        const std::string seg = in.slot < w.size() ? to_string(w[in.slot]) : "?";
        const char* verb = in.kind == input_kind::deliver ? "delivering " : in.kind == input_kind::lose ? "losing " : "duplicating ";
        return verb + std::string(1, label(in.side)) + "'s " + seg;
    }

    bool visit(std::size_t k, const node& n) {
        if (k > best_k_ || (k == 0 && best_k_ == 0)) {
            if (k > best_k_) {
                reasons_.clear();
                unshown_ = 0;
            }
            best_k_ = k;
            best_ = n;
        }
        if (k == t_.steps.size()) return true;
        if (attempts_ >= max_attempts_) return false;
        const step& s = t_.steps[k];
        world w;
        if (!replay_into(w, n.inputs)) return false;

        if (s.what == step::kind::start) return visit(k + 1, n);
        if (s.what == step::kind::network) {
            if (s.network != "lost" && s.network != "duplicated") return visit(k + 1, n);  // reordered, dropped
            const auto kind = s.network == "lost" ? input_kind::lose : input_kind::duplicate;
            for (std::size_t slot = 0; slot < w.wire[s.side].size(); ++slot) {
                node next = n;
                next.inputs.push_back({kind, static_cast<std::uint8_t>(s.side), static_cast<std::uint8_t>(slot), {}});
                if (visit(k + 1, next)) return true;
            }
            note(k, w.wire[s.side].empty() ? std::string("nothing of ") + label(s.side) + " is in flight to be " + s.network
                                           : std::string("no choice of the segment ") + s.network + " lets the rest follow");
            return false;
        }

        const bool refused = !s.outcome.empty();  // unhandled or rejected: no row fires
        if (!refused) {
            node next = n;
            std::string seen;
            switch (account(transitions_of(w.log, s.side), next.used[s.side], s, seen)) {
                case fit::matched: return visit(k + 1, next);
                case fit::conflict: note(k, std::string(1, label(s.side)) + " took " + seen); return false;
                case fit::nothing: break;
            }
        }
        const auto options = candidates(s, w);
        if (options.empty())
            note(k, std::string("nothing is in flight to ") + label(s.side) + " for " + s.event);
        for (const input& in : options) {
            node next = n;
            next.inputs.push_back(in);
            world after;
            if (!replay_into(after, next.inputs)) {
                note(k, input_text(in, w) + ": not possible there");
                continue;
            }
            std::string seen;
            if (refused) {
                const auto trs = transitions_of(after.log, s.side);
                bool changed = false;
                for (std::size_t j = n.used[s.side]; j < trs.size(); ++j) changed = changed || trs[j].from != trs[j].to;
                if (after.refused(s.side) > w.refused(s.side) && !changed) {
                    next.used[s.side] = trs.size();
                    if (visit(k + 1, next)) return true;
                    continue;
                }
                note(k, input_text(in, w) + ": " + label(s.side) + " did not refuse it");
                continue;
            }
            switch (account(transitions_of(after.log, s.side), next.used[s.side], s, seen)) {
                case fit::matched:
                    if (visit(k + 1, next)) return true;
                    break;
                case fit::conflict:
                case fit::nothing:
                    note(k, input_text(in, w) + ": " + label(s.side) + " took " + (seen.empty() ? "no row" : seen));
                    break;
            }
        }
        return false;
    }

    const trail& t_;
    std::size_t max_attempts_;
    std::size_t attempts_ = 0;
    std::size_t best_k_ = 0;
    node best_;
    std::string reasons_;
    std::size_t unshown_ = 0;
};

}  // namespace

result replay(const trail& t, std::size_t max_attempts) { return search(t, max_attempts).run(); }

}  // namespace tcprt::trail
