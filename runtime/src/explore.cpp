#include "tcprt/explore.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <boost/container/static_vector.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <nlohmann/json.hpp>

#include "tcp_fsm_types.hpp"  // transitions[]: the rows that coverage counts

namespace tcprt::explore {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t max_capacity = 8;
using channel = boost::container::static_vector<segment, max_capacity>;

// "Read everything": one RECEIVE right after OPEN asks for more than any run sends.
constexpr std::uint32_t receive_all = std::uint32_t{1} << 30;

enum class step : std::uint8_t { open, send, close, abort };

std::vector<step> steps_of(const side_script& s) {
    std::vector<step> v;
    if (s.open == side_script::opening::none) return v;
    v.push_back(step::open);
    for (int i = 0; i < s.sends; ++i) v.push_back(step::send);
    if (s.end == side_script::ending::close) v.push_back(step::close);
    if (s.end == side_script::ending::abort) v.push_back(step::abort);
    return v;
}

const char* label(std::size_t side) { return side == 0 ? "a" : "b"; }

bool in(state s, std::initializer_list<state> set) { return std::find(set.begin(), set.end(), s) != set.end(); }

// Where the peer's SYN was accepted, so RCV.NXT and IRS mean something.
bool knows_peer(state s) {
    return !in(s, {state::CLOSED, state::LISTEN, state::SYN_SENT});
}
// Where the peer's FIN was accepted (it took one sequence number).
bool peer_fin_in(state s) { return in(s, {state::CLOSE_WAIT, state::CLOSING, state::LAST_ACK, state::TIME_WAIT}); }

// What one application has done and seen.
struct side_run {
    std::uint8_t pc = 0;              // next step of its script
    bool established_once = false;    // the connection reached ESTABLISHED (or beyond)
    bool error = false;               // told of an error: it makes no more calls
    std::uint32_t sent = 0;           // bytes given to SEND
    std::uint32_t delivered = 0;      // bytes RECEIVE handed over
    instant now{};                    // its clock: only timer expiries move it
};

struct world {
    std::array<endpoint, 2> ep;
    std::array<side_run, 2> side{};
    std::array<channel, 2> wire{};  // wire[i]: in flight from side i to the other
    std::uint8_t faults = 0;
    bool aborted = false;
    bool lost_after_abort = false;  // a segment was lost at or after an ABORT (the RST, say)
};

// Collects what the endpoints' observers see: rows fired, and in a replay the whole story.
struct recorder {
    std::vector<std::uint64_t> row_hits = std::vector<std::uint64_t>(std::size(tcp::transitions), 0);
    sim::result* log = nullptr;  // replay only
    instant t{};
};

// 64-bit fingerprints: splitmix64's finalizer over each word, chained.
struct hasher {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    void add(std::uint64_t v) noexcept {
        std::uint64_t z = h ^ (v + 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        h = z ^ (z >> 31);
    }
};

enum class applied : std::uint8_t { ok, impossible, overflow };

class explorer {
public:
    explorer(const scenario& sc, const bounds& b, recorder& rec) : b_(b), rec_(rec) {
        steps_[0] = steps_of(sc.a);
        steps_[1] = steps_of(sc.b);
        open_[0] = sc.a.open;
        open_[1] = sc.b.open;
        iss_[0] = b.iss_a;
        iss_[1] = b.iss_b;
    }

    world initial() const {
        world w{{endpoint(make_config(0)), endpoint(make_config(1))}};
        for (std::size_t i = 0; i < 2; ++i) {
            w.side[i].now = instant{};
            recorder* rec = &rec_;
            const char name = *label(i);
            w.ep[i].observe([rec, name](const endpoint::transition& t) {
                if (t.row < rec->row_hits.size()) ++rec->row_hits[t.row];
                if (rec->log) rec->log->log.push_back({sim::record::kind::transition, rec->t, name, t, {}});
            });
        }
        // Both applications open before the run begins: a server listens before the client's SYN can
        // arrive (a port nobody listens on is the closed-port scenario), and in the simultaneous open
        // both SYNs are on their way at once.
        for (std::size_t i = 0; i < 2; ++i) {
            if (open_[i] != side_script::opening::none) {
                std::vector<std::string> ignored;
                apply(w, {move_kind::call, static_cast<std::uint8_t>(i), 0}, ignored);
            }
        }
        return w;
    }

    // Any side's earliest timer (timer_order::any), or only the earliest of both sides.
    bool timer_may_expire(const world& w, std::size_t i) const {
        const auto t = w.ep[i].next_timeout();
        if (!t) return false;
        if (b_.timers == bounds::timer_order::any) return true;
        const auto other = w.ep[1 - i].next_timeout();
        return !other || *t <= *other;
    }

    bool call_enabled(const world& w, std::size_t i) const {
        const side_run& s = w.side[i];
        if (s.error || s.pc >= steps_[i].size()) return false;
        switch (steps_[i][s.pc]) {
            case step::open: return true;
            case step::send: return open_[i] == side_script::opening::active || s.established_once;
            case step::close:
            case step::abort: return s.established_once;
        }
        return false;
    }

    // Every move possible from w, in a fixed order (so that runs and traces are reproducible).
    std::vector<move> moves(const world& w) const {
        std::vector<move> v;
        for (std::uint8_t i = 0; i < 2; ++i)
            if (call_enabled(w, i)) v.push_back({move_kind::call, i, 0});
        if (w.wire[0].empty() && w.wire[1].empty())
            for (std::uint8_t i = 0; i < 2; ++i)
                if (timer_may_expire(w, i)) v.push_back({move_kind::timeout, i, 0});
        const bool fault_left = w.faults < b_.faults;
        for (move_kind k : {move_kind::deliver, move_kind::lose, move_kind::duplicate}) {
            if (k == move_kind::lose && !(fault_left && b_.loss)) continue;
            if (k == move_kind::duplicate && !(fault_left && b_.duplicate)) continue;
            for (std::uint8_t i = 0; i < 2; ++i) {
                const channel& c = w.wire[i];
                if (k == move_kind::duplicate && c.size() >= b_.capacity) continue;
                const std::size_t n = b_.reorder ? c.size() : std::min<std::size_t>(c.size(), 1);
                for (std::size_t slot = 0; slot < n; ++slot) {
                    if (slot > 0 && c[slot] == c[slot - 1]) continue;  // the same segment twice: same successor
                    v.push_back({k, i, static_cast<std::uint8_t>(slot)});
                }
            }
        }
        return v;
    }

    // Applies m to w. P1 problems seen on the way (segments that should not have been sent) go to
    // `problems`.
    applied apply(world& w, const move& m, std::vector<std::string>& problems) const {
        const std::size_t i = m.side;
        if (i > 1) return applied::impossible;
        rec_.t = std::max(w.side[0].now, w.side[1].now);
        switch (m.kind) {
            case move_kind::call: {
                if (!call_enabled(w, i)) return applied::impossible;
                endpoint& ep = w.ep[i];
                side_run& s = w.side[i];
                switch (steps_[i][s.pc]) {
                    case step::open:
                        if (open_[i] == side_script::opening::passive)
                            ep.open_passive(s.now);
                        else
                            ep.open_active(s.now);
                        ep.receive(receive_all, s.now);
                        break;
                    case step::send:
                        ep.send(b_.send_bytes, s.now);
                        s.sent += b_.send_bytes;
                        break;
                    case step::close: ep.close(s.now); break;
                    case step::abort:
                        ep.abort(s.now);
                        w.aborted = true;
                        break;
                }
                ++s.pc;
                return drain(w, i, problems);
            }
            case move_kind::timeout: {
                if (!w.wire[0].empty() || !w.wire[1].empty() || !timer_may_expire(w, i)) return applied::impossible;
                const auto t = w.ep[i].next_timeout();
                w.side[i].now = std::max(w.side[i].now, *t);
                // One clock for both sides, unless timers expire in any order.
                if (b_.timers == bounds::timer_order::deadline) w.side[1 - i].now = w.side[i].now;
                rec_.t = std::max(w.side[0].now, w.side[1].now);
                w.ep[i].handle_timeout(w.side[i].now);
                return drain(w, i, problems);
            }
            case move_kind::deliver:
            case move_kind::lose:
            case move_kind::duplicate: break;
        }
        channel& c = w.wire[i];
        if (m.slot >= c.size() || (!b_.reorder && m.slot != 0)) return applied::impossible;
        const segment seg = c[m.slot];
        const std::size_t to = 1 - i;
        switch (m.kind) {
            case move_kind::deliver: {
                c.erase(c.begin() + m.slot);
                if (rec_.log) rec_.log->log.push_back({sim::record::kind::delivered, rec_.t, *label(to), {}, seg});
                w.ep[to].handle_segment(seg, w.side[to].now);
                return drain(w, to, problems);
            }
            case move_kind::lose:
                if (!b_.loss || w.faults >= b_.faults) return applied::impossible;
                c.erase(c.begin() + m.slot);
                ++w.faults;
                if (w.aborted) w.lost_after_abort = true;
                if (rec_.log) {
                    rec_.log->log.push_back({sim::record::kind::lost, rec_.t, *label(i), {}, seg});
                    ++rec_.log->segments_lost;
                }
                return applied::ok;
            case move_kind::duplicate:
                if (!b_.duplicate || w.faults >= b_.faults || c.size() >= b_.capacity) return applied::impossible;
                c.insert(c.begin() + m.slot + 1, seg);
                ++w.faults;
                canonical(c);
                return applied::ok;
            default: return applied::impossible;
        }
    }

    std::uint64_t fingerprint(const world& w) const {
        hasher h;
        for (std::size_t i = 0; i < 2; ++i) {
            const endpoint& ep = w.ep[i];
            const tcb& t = ep.tcb();
            h.add(static_cast<std::uint64_t>(ep.current_state()) | std::uint64_t{w.side[i].pc} << 8 |
                  std::uint64_t{w.side[i].established_once} << 16 | std::uint64_t{w.side[i].error} << 17 |
                  std::uint64_t{t.fin_queued} << 18 | std::uint64_t{t.fin_sent} << 19 |
                  std::uint64_t{t.passive_open} << 20 | std::uint64_t{t.retries} << 24);
            add_timers(h, ep.timers(), w.side[i].now);
            h.add(std::uint64_t{t.iss} | std::uint64_t{t.snd_una} << 32);
            h.add(std::uint64_t{t.snd_nxt} | std::uint64_t{t.snd_wnd} << 32);
            h.add(std::uint64_t{t.snd_wl1} | std::uint64_t{t.snd_wl2} << 32);
            h.add(std::uint64_t{t.max_snd_wnd} | std::uint64_t{t.irs} << 32);
            h.add(std::uint64_t{t.rcv_nxt} | std::uint64_t{t.rcv_wnd} << 32);
            h.add(std::uint64_t{t.snd_queued} | std::uint64_t{t.fin_seq} << 32);
            h.add(std::uint64_t{t.rcv_unread} | std::uint64_t{t.rcv_requested} << 32);
            h.add(std::uint64_t{t.challenge_acks} | static_cast<std::uint64_t>(t.rto.count()) << 32);
            h.add(std::uint64_t{w.side[i].sent} | std::uint64_t{w.side[i].delivered} << 32);
            h.add(w.wire[i].size());
            for (const segment& s : w.wire[i]) {
                h.add(std::uint64_t{s.seq} | std::uint64_t{s.ack} << 32);
                h.add(std::uint64_t{s.wnd} | std::uint64_t{s.len} << 32 | 0ull);
                h.add(s.flags);
            }
        }
        h.add(std::uint64_t{w.faults} | std::uint64_t{w.aborted} << 8 | std::uint64_t{w.lost_after_abort} << 9);
        return h.h;
    }

    // P1 on a state: the TCB invariants and the byte stream.
    void check_state(const world& w, std::vector<std::string>& problems) const {
        for (std::size_t i = 0; i < 2; ++i) {
            const std::size_t j = 1 - i;
            const endpoint& ep = w.ep[i];
            const state s = ep.current_state();
            const tcb& t = ep.tcb();
            const std::string who = std::string(label(i)) + " in " + std::string(name(s)) + ": ";
            if (s == state::CLOSED && ep.next_timeout()) problems.push_back(who + "a timer is armed in CLOSED");
            if (s == state::TIME_WAIT && !ep.timers().armed(timer::time_wait))
                problems.push_back(who + "TIME-WAIT without its 2MSL timer");
            if (w.side[i].delivered > w.side[j].sent)
                problems.push_back(who + "more bytes delivered than the peer sent");
            if (s == state::CLOSED || s == state::LISTEN) continue;
            if (t.iss != iss_[i]) problems.push_back(who + "ISS is not the one chosen");
            if (!seq_between(t.iss, t.snd_una, t.snd_nxt)) problems.push_back(who + "SND.UNA > SND.NXT");
            if (static_cast<std::uint32_t>(t.snd_nxt - t.iss) > w.side[i].sent + 2)
                problems.push_back(who + "SND.NXT beyond the SYN, the bytes sent and the FIN");
            if (s != state::SYN_SENT && t.rcv_wnd + t.rcv_unread != ep.configuration().rcv_buffer)
                problems.push_back(who + "RCV.WND does not match the unread bytes");
            if (!knows_peer(s)) continue;
            if (t.irs != iss_[j]) problems.push_back(who + "IRS is not the peer's ISS");
            const std::uint32_t fin = peer_fin_in(s) ? 1 : 0;
            const std::uint32_t received = static_cast<std::uint32_t>(t.rcv_nxt - t.irs - 1 - fin);
            if (received > w.side[j].sent) problems.push_back(who + "RCV.NXT beyond the bytes the peer sent");
            else if (w.side[i].delivered + t.rcv_unread != received)
                problems.push_back(who + "bytes delivered and unread are not the bytes received");
            if (fin && w.side[j].pc < steps_[j].size() && !ended(j, w.side[j].pc))
                problems.push_back(who + "a FIN arrived that the peer's application did not ask for");
        }
    }

    // P2, P3 and P4 on a state without moves. Returns (property, message) pairs.
    std::vector<std::pair<std::string, std::string>> check_terminal(const world& w) const {
        std::vector<std::pair<std::string, std::string>> found;
        const bool both_end = ends_with(0) && ends_with(1);
        for (std::size_t i = 0; i < 2; ++i) {
            if (!both_end) break;
            const state s = w.ep[i].current_state();
            if (s == state::CLOSED) continue;
            if (s == state::LISTEN && open_[i] == side_script::opening::passive) continue;
            const std::string what = std::string(label(i)) + " left in " + std::string(name(s));
            if (w.aborted && synchronized_state(s)) {
                if (w.lost_after_abort)
                    found.emplace_back("half-open", what + " after the peer aborted and a segment was lost");
                else
                    found.emplace_back("P4", what + " after the peer aborted: the reset was not seen");
            } else {
                found.emplace_back("deadlock", what + " with nothing left to happen");
            }
        }
        if (closes(0) && closes(1)) {
            for (std::size_t i = 0; i < 2; ++i) {
                const std::size_t j = 1 - i;
                const std::string who = label(i);
                if (w.side[i].pc < steps_[i].size())
                    found.emplace_back("P2", who + " never got to call CLOSE");
                else if (w.ep[i].current_state() != state::CLOSED)
                    found.emplace_back("P2", who + " called CLOSE but is left in " + std::string(name(w.ep[i].current_state())));
                if (w.side[i].error) found.emplace_back("P2", who + " was told of an error in a graceful close");
                if (w.side[i].delivered != w.side[j].sent)
                    found.emplace_back("P2", who + " did not receive every byte the peer sent");
            }
        }
        return found;
    }

private:
    config make_config(std::size_t i) const {
        config c;
        c.prof = b_.prof;
        c.mss = b_.mss;
        c.max_retries = b_.max_retries;
        c.iss = fixed_iss(iss_[i]);
        return c;
    }

    bool ended(std::size_t i, std::size_t pc) const {
        // The steps before pc include the CLOSE (or ABORT) that ends the script.
        for (std::size_t k = 0; k < pc && k < steps_[i].size(); ++k)
            if (steps_[i][k] == step::close || steps_[i][k] == step::abort) return true;
        return false;
    }
    bool ends_with(std::size_t i) const {
        return open_[i] == side_script::opening::none || (!steps_[i].empty() && steps_[i].back() != step::send &&
                                                          steps_[i].back() != step::open);
    }
    bool closes(std::size_t i) const { return !steps_[i].empty() && steps_[i].back() == step::close; }
    static bool synchronized_state(state s) { return !in(s, {state::CLOSED, state::LISTEN, state::SYN_SENT}); }

    // What the future depends on of the timers: with one clock, each deadline relative to it;
    // with timers in any order, only the order of one side's own deadlines.
    void add_timers(hasher& h, const timer_table& t, instant now) const {
        const std::array<std::optional<instant>, timer_count> d{t.get(timer::retransmission), t.get(timer::user),
                                                               t.get(timer::time_wait)};
        if (b_.timers == bounds::timer_order::deadline) {
            for (const auto& x : d) h.add(x ? static_cast<std::uint64_t>((*x - now).count()) : ~0ull);
            return;
        }
        std::uint64_t code = 0;
        for (std::size_t k = 0; k < timer_count; ++k) code |= std::uint64_t{d[k].has_value()} << k;
        int bit = 3;
        for (std::size_t x = 0; x < timer_count; ++x)
            for (std::size_t y = x + 1; y < timer_count; ++y, ++bit)
                if (d[x] && d[y] && *d[x] < *d[y]) code |= 1ull << bit;
        h.add(code);
    }

    void canonical(channel& c) const {
        if (!b_.reorder) return;
        std::sort(c.begin(), c.end(), [](const segment& x, const segment& y) {
            return std::tie(x.seq, x.ack, x.flags, x.wnd, x.len) < std::tie(y.seq, y.ack, y.flags, y.wnd, y.len);
        });
    }

    // Puts what endpoint i sent on the wire and lets its application read its notices.
    applied drain(world& w, std::size_t i, std::vector<std::string>& problems) const {
        endpoint& ep = w.ep[i];
        side_run& s = w.side[i];
        const state after = ep.current_state();
        bool overflow = false;
        while (auto seg = ep.poll_transmit()) {
            check_sent(w, i, after, *seg, problems);
            if (rec_.log) {
                rec_.log->log.push_back({sim::record::kind::sent, rec_.t, *label(i), {}, *seg});
                ++rec_.log->segments_sent;
            }
            if (w.wire[i].size() >= b_.capacity)
                overflow = true;
            else
                w.wire[i].push_back(*seg);
        }
        canonical(w.wire[i]);
        while (auto n = ep.poll_notice()) {
            if (n->kind == notice_kind::data_delivered)
                s.delivered += n->count;
            else if (n->kind != notice_kind::connection_closing)
                s.error = true;
        }
        if (synchronized_state(after) && after != state::SYN_RECEIVED) s.established_once = true;
        return overflow ? applied::overflow : applied::ok;
    }

    // P1 on a segment as it leaves: nothing but RST from CLOSED; a SYN carries the ISS; text and FIN
    // lie within what the application gave to SEND, the FIN right after its last byte.
    void check_sent(const world& w, std::size_t i, state after, const segment& seg,
                    std::vector<std::string>& problems) const {
        if (after == state::CLOSED && !seg.has(RST))
            problems.push_back(std::string(label(i)) + " sent a segment other than RST from CLOSED");
        if (seg.has(RST)) return;
        if (seg.has(SYN) && seg.seq != iss_[i]) problems.push_back(std::string(label(i)) + " sent a SYN without its ISS");
        if (seg.len == 0 && !seg.has(FIN)) return;
        const std::uint32_t offset = static_cast<std::uint32_t>(seg.seq - iss_[i] - 1);
        if (std::uint64_t{offset} + seg.len > w.side[i].sent)
            problems.push_back(std::string(label(i)) + " sent bytes its application never gave it");
        if (seg.has(FIN) && offset + seg.len != w.side[i].sent)
            problems.push_back(std::string(label(i)) + " sent a FIN that is not right after its last byte");
        if (seg.has(FIN) && !ended(i, w.side[i].pc))
            problems.push_back(std::string(label(i)) + " sent a FIN before its application closed");
    }

    bounds b_;
    recorder& rec_;
    std::array<std::vector<step>, 2> steps_;
    std::array<side_script::opening, 2> open_{};
    std::array<seq_t, 2> iss_{};
};

// A state found, as stored: where it came from.
struct parent_record {
    std::uint32_t parent;
    move via;
};
static_assert(sizeof(parent_record) == 8, "a parent record is meant to stay 8 bytes");

constexpr std::uint32_t no_parent = 0xFFFFFFFFu;

std::vector<move> path_to(const std::vector<parent_record>& records, std::uint32_t id) {
    std::vector<move> v;
    for (std::uint32_t k = id; records[k].parent != no_parent; k = records[k].parent) v.push_back(records[k].via);
    std::reverse(v.begin(), v.end());
    return v;
}

std::string opening_name(side_script::opening o) {
    switch (o) {
        case side_script::opening::none: return "none";
        case side_script::opening::passive: return "passive";
        case side_script::opening::active: return "active";
    }
    return "none";
}
std::string ending_name(side_script::ending e) {
    switch (e) {
        case side_script::ending::none: return "none";
        case side_script::ending::close: return "close";
        case side_script::ending::abort: return "abort";
    }
    return "none";
}
const char* move_name(move_kind k) {
    switch (k) {
        case move_kind::call: return "call";
        case move_kind::deliver: return "deliver";
        case move_kind::lose: return "lose";
        case move_kind::duplicate: return "duplicate";
        case move_kind::timeout: return "timeout";
    }
    return "call";
}

// Replays t, recording into r (when given) and describing each move in words.
std::optional<std::vector<std::string>> replay_into(const trace& t, sim::result* r, std::string& error) {
    recorder rec;
    rec.log = r;
    explorer x(t.sc, t.limits, rec);
    world w = x.initial();
    std::vector<std::string> words;
    std::vector<std::string> problems;
    const auto steps = std::array<std::vector<step>, 2>{steps_of(t.sc.a), steps_of(t.sc.b)};
    for (std::size_t k = 0; k < t.moves.size(); ++k) {
        const move& m = t.moves[k];
        std::string text;
        const std::size_t i = m.side;
        if (i > 1) {
            error = "move " + std::to_string(k + 1) + ": no side " + std::to_string(i);
            return std::nullopt;
        }
        switch (m.kind) {
            case move_kind::call: {
                const std::size_t pc = w.side[i].pc;
                static const char* call_names[] = {"OPEN", "SEND", "CLOSE", "ABORT"};
                text = std::string(label(i)) + ": " +
                       (pc < steps[i].size() ? call_names[static_cast<int>(steps[i][pc])] : "(no call left)");
                if (pc < steps[i].size() && steps[i][pc] == step::open)
                    text += i == 0 ? (t.sc.a.open == side_script::opening::active ? " (active)" : " (passive)")
                                   : (t.sc.b.open == side_script::opening::active ? " (active)" : " (passive)");
                if (pc < steps[i].size() && steps[i][pc] == step::send)
                    text += " " + std::to_string(t.limits.send_bytes) + " bytes";
                break;
            }
            case move_kind::timeout: {
                const auto& tt = w.ep[i].timers();
                const auto next = w.ep[i].next_timeout();
                std::string which = "timer";
                if (next && tt.get(timer::retransmission) == next) which = "retransmission timer";
                else if (next && tt.get(timer::time_wait) == next) which = "2MSL timer";
                else if (next && tt.get(timer::user) == next) which = "user timer";
                text = std::string(label(i)) + ": " + which + " expires";
                break;
            }
            default: {
                const channel& c = w.wire[i];
                const std::string seg = m.slot < c.size() ? to_string(c[m.slot]) : "(no such segment)";
                text = std::string(move_name(m.kind)) + " " + label(i) + " -> " + label(1 - i) + " " + seg;
            }
        }
        if (x.apply(w, m, problems) == applied::impossible) {
            error = "move " + std::to_string(k + 1) + " (" + text + ") is not possible there";
            return std::nullopt;
        }
        words.push_back(text);
    }
    if (r) {
        r->final_a = w.ep[0].current_state();
        r->final_b = w.ep[1].current_state();
    }
    return words;
}

struct finding_key {
    std::string property, scenario, message;
    bool operator<(const finding_key& o) const {
        return std::tie(property, scenario, message) < std::tie(o.property, o.scenario, o.message);
    }
};

nlohmann::ordered_json script_json(const side_script& s) {
    return {{"open", opening_name(s.open)}, {"sends", s.sends}, {"end", ending_name(s.end)}};
}

}  // namespace

const std::vector<scenario>& scenarios() {
    static const std::vector<scenario> all = [] {
        using o = side_script::opening;
        using e = side_script::ending;
        struct base {
            const char* name;
            const char* description;
            side_script a, b;
            bool b_sends;
        };
        const base bases[] = {
            {"client-server", "a connects to b (listening); both send, then both close, in any order",
             {o::active, 0, e::close}, {o::passive, 0, e::close}, true},
            {"simultaneous-open", "a and b open actively at once; both send, then both close",
             {o::active, 0, e::close}, {o::active, 0, e::close}, true},
            {"client-aborts", "a connects to b; both send; a aborts, b closes", {o::active, 0, e::abort},
             {o::passive, 0, e::close}, true},
            {"server-aborts", "a connects to b; both send; b aborts, a closes", {o::active, 0, e::close},
             {o::passive, 0, e::abort}, true},
            {"closed-port", "a connects to b, which is not listening, and sends", {o::active, 0, e::close},
             {o::none, 0, e::none}, false},
        };
        std::vector<scenario> v;
        for (const base& bs : bases)
            for (std::uint8_t na = 0; na <= 2; ++na)
                for (std::uint8_t nb = 0; nb <= (bs.b_sends ? 2 : 0); ++nb) {
                    scenario sc{std::string(bs.name) + "/a" + std::to_string(na) + "b" + std::to_string(nb),
                                bs.description, bs.a, bs.b};
                    sc.a.sends = na;
                    sc.b.sends = nb;
                    v.push_back(std::move(sc));
                }
        return v;
    }();
    return all;
}

std::vector<scenario> find_scenarios(std::string_view name) {
    std::vector<scenario> v;
    for (const auto& s : scenarios())
        if (name.empty() || name == "all" || s.name == name ||
            (s.name.size() > name.size() && s.name.compare(0, name.size(), name) == 0 && s.name[name.size()] == '/'))
            v.push_back(s);
    return v;
}

std::size_t report::transitions_covered() const noexcept {
    return static_cast<std::size_t>(std::count_if(row_hits.begin(), row_hits.end(), [](std::uint64_t n) { return n > 0; }));
}

report run(const std::vector<scenario>& scs, const bounds& b_in, const std::function<void(const progress&)>& tell) {
    bounds b = b_in;
    b.capacity = static_cast<std::uint8_t>(std::clamp<int>(b.capacity, 1, static_cast<int>(max_capacity)));
    report rep;
    recorder rec;
    std::map<finding_key, finding> found;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    std::size_t set_bytes = 0, record_bytes = 0;

    struct node {
        std::uint32_t id;
        world w;
    };

    for (const scenario& sc : scs) {
        explorer x(sc, b, rec);
        boost::unordered_flat_set<std::uint64_t> visited;
        std::vector<parent_record> records;
        scenario_summary sum{sc.name};

        auto add = [&](const std::string& property, const std::string& message, std::uint32_t id,
                       std::optional<move> last) {
            finding_key key{property, sc.name, message};
            auto it = found.find(key);
            if (it != found.end()) {
                ++it->second.count;
                return;
            }
            finding f{property, message, trace{sc, b, path_to(records, id)}, {}, 1};
            if (last) f.path.moves.push_back(*last);
            found.emplace(key, std::move(f));
        };

        std::vector<node> frontier, next;
        {
            world w0 = x.initial();
            visited.insert(x.fingerprint(w0));
            records.push_back({no_parent, {}});
            frontier.push_back({0, std::move(w0)});
        }
        std::vector<std::string> problems;
        std::uint64_t depth = 0;
        bool stop = false;
        while (!frontier.empty() && !stop) {
            for (node& n : frontier) {
                bool any = false, blocked = false;
                for (const move& m : x.moves(n.w)) {
                    world w = n.w;
                    problems.clear();
                    const applied a = x.apply(w, m, problems);
                    if (a == applied::impossible) continue;
                    if (a == applied::overflow) {
                        blocked = true;
                        continue;
                    }
                    any = true;
                    ++sum.edges;
                    for (const auto& p : problems) add("P1", p, n.id, m);
                    if (!visited.insert(x.fingerprint(w)).second) continue;
                    const auto id = static_cast<std::uint32_t>(records.size());
                    records.push_back({n.id, m});
                    problems.clear();
                    x.check_state(w, problems);
                    for (const auto& p : problems) add("P1", p, id, std::nullopt);
                    next.push_back({id, std::move(w)});
                    if (b.max_states && records.size() >= b.max_states) {
                        stop = true;
                        rep.truncated = true;
                        break;
                    }
                }
                if (!any && blocked) ++sum.cut;
                if (!any && !blocked) {
                    ++sum.terminal;
                    for (const auto& [property, message] : x.check_terminal(n.w)) add(property, message, n.id, std::nullopt);
                }
                if (stop) break;
            }
            rep.peak_frontier = std::max<std::uint64_t>(rep.peak_frontier, next.size());
            if (!next.empty()) ++depth;
            frontier.swap(next);
            next.clear();
            if (tell) tell({sc.name, records.size(), frontier.size(), depth, elapsed()});
        }
        sum.states = records.size();
        sum.depth = depth;
        rep.states += sum.states;
        rep.edges += sum.edges;
        rep.depth = std::max(rep.depth, depth);
        rep.terminal += sum.terminal;
        rep.cut += sum.cut;
        // The per-state cost of what stays for the whole run: a slot of the flat set (fingerprint and
        // one control byte) and a parent record.
        set_bytes = std::max(set_bytes, visited.bucket_count() * (sizeof(std::uint64_t) + 1));
        record_bytes = std::max(record_bytes, records.capacity() * sizeof(parent_record));
        if (sum.states > 0)
            rep.bytes_per_state = std::max(rep.bytes_per_state, (set_bytes + record_bytes) / sum.states);
        set_bytes = record_bytes = 0;
        rep.per_scenario.push_back(sum);
    }
    rep.seconds = elapsed();
    rep.row_hits = rec.row_hits;
    rep.bytes_per_frontier_state = sizeof(node) + 2 * endpoint::memory_footprint().total;
    for (auto& [key, f] : found) {
        std::string error;
        if (auto words = replay_into(f.path, nullptr, error)) f.steps = std::move(*words);
        else f.steps.push_back("replay failed: " + error);
        if (f.property == "half-open")
            rep.half_open.push_back(std::move(f));
        else if (f.property == "deadlock")
            rep.deadlocks.push_back(std::move(f));
        else
            rep.violations.push_back(std::move(f));
    }
    return rep;
}

walk_result walk(const scenario& sc, const bounds& b_in, const std::function<std::size_t(std::size_t)>& choose,
                 std::size_t max_moves) {
    bounds b = b_in;
    b.capacity = static_cast<std::uint8_t>(std::clamp<int>(b.capacity, 1, static_cast<int>(max_capacity)));
    walk_result out;
    recorder rec;
    explorer x(sc, b, rec);
    world w = x.initial();
    trace path{sc, b, {}};
    std::vector<std::string> problems;
    auto report = [&](const std::string& property, const std::string& message) {
        out.findings.push_back(finding{property, message, path, {}, 1});
    };
    while (out.moves < max_moves) {
        std::vector<move> ms = x.moves(w);
        // A move whose output would overflow a channel is not possible: drop those first.
        struct successor {
            move m;
            world w;
            std::vector<std::string> problems;
        };
        std::vector<successor> next;
        for (const move& m : ms) {
            successor s{m, w, {}};
            if (x.apply(s.w, m, s.problems) == applied::ok) next.push_back(std::move(s));
        }
        if (next.empty()) {
            out.finished = ms.empty();
            out.blocked = !ms.empty();
            if (out.finished)
                for (const auto& [property, message] : x.check_terminal(w)) report(property, message);
            break;
        }
        successor& s = next[choose(next.size()) % next.size()];
        w = std::move(s.w);
        path.moves.push_back(s.m);
        ++out.moves;
        for (const auto& p : s.problems) report("P1", p);
        problems.clear();
        x.check_state(w, problems);
        for (const auto& p : problems) report("P1", p);
        if (!out.findings.empty()) break;
    }
    out.final_a = w.ep[0].current_state();
    out.final_b = w.ep[1].current_state();
    out.row_hits = rec.row_hits;
    for (auto& f : out.findings) {
        std::string error;
        if (auto words = replay_into(f.path, nullptr, error)) f.steps = std::move(*words);
    }
    return out;
}

std::string describe_row(std::size_t row) {
    if (row >= std::size(tcp::transitions)) return "(no such row)";
    const auto& r = tcp::transitions[row];
    std::string s = std::string(tcp::name(r.source)) + " + " + std::string(tcp::name(r.event));
    if (!r.guard.empty()) s += " [" + std::string(r.guard) + "]";
    if (!r.actions.empty()) s += " / " + std::string(r.actions);
    if (!r.internal) s += " -> " + std::string(tcp::name(r.target));
    return s;
}

std::string render_text(const report& r, bool list_rows) {
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line,
                  "explored %zu scenarios: %llu states, %llu edges, depth %llu, %.2f s (%.0f states/s)\n",
                  r.per_scenario.size(), static_cast<unsigned long long>(r.states),
                  static_cast<unsigned long long>(r.edges), static_cast<unsigned long long>(r.depth), r.seconds,
                  r.seconds > 0 ? static_cast<double>(r.states) / r.seconds : 0.0);
    out += line;
    std::snprintf(line, sizeof line,
                  "memory: %zu bytes per visited state; %zu bytes per state waiting in the frontier (peak %llu)\n",
                  r.bytes_per_state, r.bytes_per_frontier_state, static_cast<unsigned long long>(r.peak_frontier));
    out += line;
    std::snprintf(line, sizeof line, "terminal states %llu, cut by the channel capacity %llu%s\n",
                  static_cast<unsigned long long>(r.terminal), static_cast<unsigned long long>(r.cut),
                  r.truncated ? ", STOPPED at --max-states" : "");
    out += line;
    std::snprintf(line, sizeof line, "spec rows fired: %zu of %zu\n", r.transitions_covered(), r.transitions_total());
    out += line;
    auto findings = [&](const char* title, const std::vector<finding>& v) {
        out += std::string(title) + ": " + std::to_string(v.size()) + (v.empty() ? "\n" : "\n");
        for (const auto& f : v) {
            out += "\n  " + f.property + " in " + f.path.sc.name + ": " + f.message + " (" + std::to_string(f.count) +
                   (f.count == 1 ? " state" : " states") + "; shortest trace, " + std::to_string(f.steps.size()) +
                   " moves)\n";
            for (std::size_t k = 0; k < f.steps.size(); ++k)
                out += "    " + std::to_string(k + 1) + ". " + f.steps[k] + "\n";
        }
        if (!v.empty()) out += "\n";
    };
    findings("deadlocks", r.deadlocks);
    findings("violations", r.violations);
    findings("half-open connections after a lost segment (allowed: RFC 9293 section 3.5.2)", r.half_open);
    bool header = false;
    for (std::size_t k = 0; k < r.row_hits.size(); ++k) {
        if (!list_rows && r.row_hits[k] > 0) continue;
        if (!header) {
            out += list_rows ? "rows (times fired):\n" : "rows never fired:\n";
            header = true;
        }
        std::snprintf(line, sizeof line, "  %3zu %10llu  %s\n", k, static_cast<unsigned long long>(r.row_hits[k]),
                      describe_row(k).c_str());
        out += line;
    }
    return out;
}

std::string trace_json(const trace& t) {
    nlohmann::ordered_json j;
    j["scenario"] = {{"name", t.sc.name}, {"description", t.sc.description}, {"a", script_json(t.sc.a)},
                     {"b", script_json(t.sc.b)}};
    const bounds& b = t.limits;
    j["bounds"] = {{"capacity", b.capacity}, {"loss", b.loss}, {"duplicate", b.duplicate}, {"reorder", b.reorder},
                   {"faults", b.faults}, {"send_bytes", b.send_bytes}, {"mss", b.mss}, {"max_retries", b.max_retries},
                   {"challenge_acks", b.prof.challenge_acks}, {"time_wait_ignores_rst", b.prof.time_wait_ignores_rst},
                   {"iss_a", b.iss_a}, {"iss_b", b.iss_b},
                   {"timers", b.timers == bounds::timer_order::any ? "any" : "deadline"}};
    auto moves = nlohmann::ordered_json::array();
    for (const move& m : t.moves) {
        nlohmann::ordered_json jm;
        jm["move"] = move_name(m.kind);
        jm["side"] = label(m.side);
        if (m.kind != move_kind::call && m.kind != move_kind::timeout) jm["slot"] = m.slot;
        moves.push_back(jm);
    }
    j["moves"] = moves;
    return j.dump();
}

namespace {

nlohmann::ordered_json trace_object(const trace& t) { return nlohmann::ordered_json::parse(trace_json(t)); }

nlohmann::ordered_json findings_json(const std::vector<finding>& v) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& f : v)
        a.push_back({{"property", f.property}, {"scenario", f.path.sc.name}, {"message", f.message},
                     {"count", f.count}, {"steps", f.steps}, {"trace", trace_object(f.path)}});
    return a;
}

side_script parse_script(const nlohmann::json& j) {
    side_script s;
    const std::string open = j.at("open").get<std::string>();
    const std::string end = j.at("end").get<std::string>();
    if (open == "passive") s.open = side_script::opening::passive;
    else if (open == "active") s.open = side_script::opening::active;
    else if (open != "none") throw std::runtime_error("unknown opening '" + open + "'");
    if (end == "close") s.end = side_script::ending::close;
    else if (end == "abort") s.end = side_script::ending::abort;
    else if (end != "none") throw std::runtime_error("unknown ending '" + end + "'");
    s.sends = j.at("sends").get<std::uint8_t>();
    return s;
}

}  // namespace

std::string render_json(const report& r) {
    nlohmann::ordered_json j;
    j["states"] = r.states;
    j["edges"] = r.edges;
    j["depth"] = r.depth;
    j["transitions_covered"] = r.transitions_covered();
    j["transitions_total"] = r.transitions_total();
    j["deadlocks"] = findings_json(r.deadlocks);
    j["violations"] = findings_json(r.violations);
    j["half_open"] = findings_json(r.half_open);
    j["terminal"] = r.terminal;
    j["cut"] = r.cut;
    j["truncated"] = r.truncated;
    j["seconds"] = r.seconds;
    j["bytes_per_state"] = r.bytes_per_state;
    j["bytes_per_frontier_state"] = r.bytes_per_frontier_state;
    j["peak_frontier"] = r.peak_frontier;
    auto rows = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < r.row_hits.size(); ++k)
        rows.push_back({{"row", k}, {"text", describe_row(k)}, {"hits", r.row_hits[k]}});
    j["rows"] = rows;
    auto per = nlohmann::ordered_json::array();
    for (const auto& s : r.per_scenario)
        per.push_back({{"name", s.name}, {"states", s.states}, {"edges", s.edges}, {"depth", s.depth},
                       {"terminal", s.terminal}, {"cut", s.cut}});
    j["scenarios"] = per;
    return j.dump() + "\n";
}

std::optional<trace> parse_trace(std::string_view text, std::string& error) {
    try {
        const auto j = nlohmann::json::parse(text);
        // A finding from `explore --json` holds its trace under "trace".
        const auto& tj = j.contains("trace") ? j.at("trace") : j;
        trace t;
        const auto& sj = tj.at("scenario");
        t.sc.name = sj.at("name").get<std::string>();
        t.sc.description = sj.value("description", "");
        t.sc.a = parse_script(sj.at("a"));
        t.sc.b = parse_script(sj.at("b"));
        const auto& bj = tj.at("bounds");
        bounds& b = t.limits;
        b.capacity = bj.at("capacity").get<std::uint8_t>();
        if (b.capacity < 1 || b.capacity > max_capacity)
            throw std::runtime_error("capacity must be 1 to " + std::to_string(max_capacity));
        b.loss = bj.at("loss").get<bool>();
        b.duplicate = bj.at("duplicate").get<bool>();
        b.reorder = bj.at("reorder").get<bool>();
        b.faults = bj.at("faults").get<std::uint8_t>();
        b.send_bytes = bj.at("send_bytes").get<std::uint32_t>();
        b.mss = bj.at("mss").get<std::uint32_t>();
        b.max_retries = bj.at("max_retries").get<std::uint8_t>();
        b.prof.challenge_acks = bj.at("challenge_acks").get<bool>();
        b.prof.time_wait_ignores_rst = bj.at("time_wait_ignores_rst").get<bool>();
        b.iss_a = bj.at("iss_a").get<seq_t>();
        b.iss_b = bj.at("iss_b").get<seq_t>();
        const std::string timers = bj.value("timers", "deadline");
        if (timers != "deadline" && timers != "any") throw std::runtime_error("timers must be deadline or any");
        b.timers = timers == "any" ? bounds::timer_order::any : bounds::timer_order::deadline;
        for (const auto& mj : tj.at("moves")) {
            move m;
            const std::string kind = mj.at("move").get<std::string>();
            const std::string side = mj.at("side").get<std::string>();
            bool known = false;
            for (move_kind k : {move_kind::call, move_kind::deliver, move_kind::lose, move_kind::duplicate, move_kind::timeout})
                if (kind == move_name(k)) {
                    m.kind = k;
                    known = true;
                }
            if (!known) throw std::runtime_error("unknown move '" + kind + "'");
            if (side != "a" && side != "b") throw std::runtime_error("side must be \"a\" or \"b\", not '" + side + "'");
            m.side = side == "a" ? 0 : 1;
            m.slot = mj.value("slot", std::uint8_t{0});
            t.moves.push_back(m);
        }
        return t;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

std::optional<sim::result> replay(const trace& t, std::string& error) {
    sim::result r;
    if (!replay_into(t, &r, error)) return std::nullopt;
    return r;
}

}  // namespace tcprt::explore
