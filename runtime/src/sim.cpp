#include "tcprt/sim.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

namespace tcprt::sim {

using namespace std::chrono_literals;

const std::vector<scenario>& scenarios() {
    using ok = app::open_kind;
    static const std::vector<scenario> all = [] {
        std::vector<scenario> v;
        app client{ok::active, 1000, true, false, false, true};
        app server{ok::passive, 0, false, false, true, true};
        v.push_back({"handshake-and-close", "a connects to b, sends 1000 bytes and closes first; b closes in turn",
                     client, server, {}, {}, state::CLOSED, state::CLOSED});
        {
            app c{ok::active, 0, false, false, true, true};
            app s{ok::passive, 500, true, false, false, true};
            v.push_back({"server-closes-first", "b sends 500 bytes and closes as soon as a connects; a closes in turn",
                         c, s, {}, {}, state::CLOSED, state::CLOSED});
        }
        {
            app both{ok::active, 0, true, false, false, true};
            v.push_back({"simultaneous-open", "a and b both open actively at the same time, then both close",
                         both, both, {}, {}, state::CLOSED, state::CLOSED});
        }
        {
            app c{ok::active, 0, true, false, false, true};
            app s{ok::passive, 0, true, false, false, true};
            // The FINs cross on the wire: a's close runs on its SYN-ACK, b's on the handshake's
            // ACK, and with 10 ms each way neither has seen the other's FIN yet.
            v.push_back({"simultaneous-close", "both close at once; the FINs cross: CLOSING on both sides",
                         c, s, {}, {}, state::CLOSED, state::CLOSED});
        }
        {
            app c{ok::active, 0, false, true, false, true};
            v.push_back({"reset-by-abort", "a aborts the established connection; b is reset", c, server, {}, {},
                         state::CLOSED, state::CLOSED});
        }
        {
            app nobody{};
            v.push_back({"connect-to-closed-port", "a connects to b, which is not listening: RST", client, nobody, {},
                         {}, state::CLOSED, state::CLOSED});
        }
        {
            link lossy;
            lossy.loss = 0.2;
            lossy.jitter = 5ms;
            v.push_back({"lossy", "handshake-and-close over a link that loses 20% of the segments", client, server,
                         lossy, {}, state::CLOSED, state::CLOSED});
        }
        return v;
    }();
    return all;
}

const scenario* find_scenario(std::string_view name) {
    for (const auto& s : scenarios())
        if (s.name == name) return &s;
    return nullptr;
}

namespace {

struct packet {
    instant at;
    std::uint64_t order;  // ties in arrival time keep sending order
    int to;
    segment seg;
};

// One endpoint plus its scripted application.
struct host {
    char label;
    app script;
    endpoint ep;
    bool established_once = false;
    bool closed_on_peer = false;
};

class world {
public:
    world(const scenario& sc, std::uint64_t seed) : sc_(sc), rng_(seed) {
        for (int i = 0; i < 2; ++i) {
            config c;
            c.prof = sc.prof;
            // Deterministic, distinct ISSs derived from the seed.
            c.iss = fixed_iss(static_cast<seq_t>(rng_()));
            c.msl = 30s;
            c.max_retries = 8;
            hosts_[i].emplace(host{i == 0 ? 'a' : 'b', i == 0 ? sc.a : sc.b, endpoint(std::move(c))});
            const int idx = i;
            hosts_[i]->ep.observe([this, idx](const endpoint::transition& t) {
                result_.log.push_back({record::kind::transition, now_, hosts_[idx]->label, t, {}});
            });
        }
    }

    result run(duration limit) {
        for (int i = 0; i < 2; ++i) start(i);
        flush();
        const instant end = instant{} + limit;
        for (;;) {
            const auto next = next_wakeup();
            if (!next) break;
            if (*next > end) {
                result_.timed_out = true;
                break;
            }
            now_ = std::max(now_, *next);
            deliver_due();
            for (int i = 0; i < 2; ++i) {
                const auto t = hosts_[i]->ep.next_timeout();
                if (t && *t <= now_) hosts_[i]->ep.handle_timeout(now_);
            }
            flush();
        }
        result_.final_a = hosts_[0]->ep.current_state();
        result_.final_b = hosts_[1]->ep.current_state();
        return std::move(result_);
    }

private:
    // Uniform in [0, 1) from 53 random bits: the same on every platform, unlike the distributions.
    double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

    void start(int i) {
        host& h = *hosts_[i];
        if (h.script.open == app::open_kind::none) return;
        if (h.script.open == app::open_kind::passive)
            h.ep.open_passive(now_);
        else
            h.ep.open_active(now_);
        if (h.script.read_everything) h.ep.receive(1u << 30, now_);
    }

    // After every input: let the applications react, then put what the endpoints sent on the wire,
    // until nothing new happens.
    void flush() {
        for (bool progress = true; progress;) {
            progress = false;
            for (int i = 0; i < 2; ++i) {
                host& h = *hosts_[i];
                if (!h.established_once && h.ep.current_state() == state::ESTABLISHED) {
                    h.established_once = true;
                    progress = true;
                    if (h.script.send_when_established) h.ep.send(h.script.send_when_established, now_);
                    if (h.script.close_when_established) h.ep.close(now_);
                    if (h.script.abort_when_established) h.ep.abort(now_);
                }
                while (auto n = h.ep.poll_notice()) {
                    // "connection closing" from a FIN (not from our own second CLOSE).
                    if (n->kind == notice_kind::connection_closing && h.script.close_on_peer_close &&
                        !h.closed_on_peer && h.ep.current_state() == state::CLOSE_WAIT) {
                        h.closed_on_peer = true;
                        h.ep.close(now_);
                        progress = true;
                    }
                }
                while (auto s = h.ep.poll_transmit()) {
                    progress = true;
                    transmit(i, *s);
                }
            }
        }
    }

    void transmit(int from, const segment& s) {
        ++result_.segments_sent;
        result_.log.push_back({record::kind::sent, now_, hosts_[from]->label, {}, s});
        const link& l = sc_.net;
        if (uniform() < l.loss) {
            ++result_.segments_lost;
            result_.log.push_back({record::kind::lost, now_, hosts_[from]->label, {}, s});
            return;
        }
        duration d = l.delay;
        if (l.jitter.count() > 0) d += duration(static_cast<duration::rep>(uniform() * static_cast<double>(l.jitter.count())));
        if (uniform() < l.reorder) d += 2 * l.delay;
        const int to = 1 - from;
        wire_.push_back({now_ + d, order_++, to, s});
        if (uniform() < l.duplicate) wire_.push_back({now_ + d + l.delay / 2, order_++, to, s});
    }

    std::optional<instant> next_wakeup() const {
        std::optional<instant> next;
        auto consider = [&](std::optional<instant> t) {
            if (t && (!next || *t < *next)) next = t;
        };
        for (const auto& p : wire_) consider(p.at);
        for (const auto& h : hosts_) consider(h->ep.next_timeout());
        return next;
    }

    void deliver_due() {
        std::sort(wire_.begin(), wire_.end(),
                  [](const packet& x, const packet& y) { return x.at != y.at ? x.at < y.at : x.order < y.order; });
        std::size_t n = 0;
        while (n < wire_.size() && wire_[n].at <= now_) ++n;
        std::vector<packet> due(wire_.begin(), wire_.begin() + static_cast<std::ptrdiff_t>(n));
        wire_.erase(wire_.begin(), wire_.begin() + static_cast<std::ptrdiff_t>(n));
        for (const auto& p : due) {
            result_.log.push_back({record::kind::delivered, now_, hosts_[p.to]->label, {}, p.seg});
            hosts_[p.to]->ep.handle_segment(p.seg, now_);
            flush();
        }
    }

    const scenario& sc_;
    std::mt19937_64 rng_;
    std::array<std::optional<host>, 2> hosts_;
    std::vector<packet> wire_;
    std::uint64_t order_ = 0;
    instant now_{};
    result result_;
};

double ms(instant t) { return static_cast<double>(t.time_since_epoch().count()) / 1000.0; }

}  // namespace

result run(const scenario& sc, std::uint64_t seed, duration limit) { return world(sc, seed).run(limit); }

std::string render_text(const scenario& sc, const result& r, bool internal_rows) {
    std::string out = "scenario " + sc.name + ": " + sc.description + "\n\n";
    char line[512];
    for (const auto& e : r.log) {
        const std::string seg = to_string(e.seg);
        switch (e.what) {
            case record::kind::transition:
                if (e.tr.from == e.tr.to && !internal_rows) continue;
                std::snprintf(line, sizeof line, "%10.3f ms  %c  %s --%.*s--> %s\n", ms(e.t), e.endpoint,
                              std::string(name(e.tr.from)).c_str(), static_cast<int>(e.tr.event.size()),
                              e.tr.event.data(), std::string(name(e.tr.to)).c_str());
                break;
            case record::kind::sent:
                continue;  // shown when it arrives or is lost, with the direction
            case record::kind::lost:
                std::snprintf(line, sizeof line, "%10.3f ms     %s %s  x lost\n", ms(e.t),
                              e.endpoint == 'a' ? "a -->" : "b -->", seg.c_str());
                break;
            case record::kind::delivered:
                std::snprintf(line, sizeof line, "%10.3f ms     %s %s\n", ms(e.t),
                              e.endpoint == 'b' ? "a --> b" : "b --> a", seg.c_str());
                break;
        }
        out += line;
    }
    out += "\nfinal: a " + std::string(name(r.final_a)) + ", b " + std::string(name(r.final_b)) + " (" +
           std::to_string(r.segments_sent) + " segments sent, " + std::to_string(r.segments_lost) + " lost)";
    if (r.timed_out) out += ", stopped at the time limit";
    out += "\n";
    return out;
}

std::string render_json(const result& r, bool internal_rows) {
    std::string out;
    for (const auto& e : r.log) {
        if (e.what != record::kind::transition) continue;
        if (e.tr.from == e.tr.to && !internal_rows) continue;
        nlohmann::ordered_json j;
        j["t"] = ms(e.t);
        j["endpoint"] = std::string(1, e.endpoint);
        j["from"] = name(e.tr.from);
        j["event"] = e.tr.event;
        j["to"] = name(e.tr.to);
        out += j.dump() + "\n";
    }
    for (auto [label, st] : {std::pair{'a', r.final_a}, std::pair{'b', r.final_b}}) {
        std::uint64_t sent = 0, lost = 0;
        for (const auto& e : r.log) {
            if (e.endpoint != label) continue;
            sent += e.what == record::kind::sent;
            lost += e.what == record::kind::lost;
        }
        nlohmann::ordered_json j;
        j["endpoint"] = std::string(1, label);
        j["final"] = name(st);
        j["segments_sent"] = sent;
        j["segments_lost"] = lost;
        out += j.dump() + "\n";
    }
    return out;
}

}  // namespace tcprt::sim
