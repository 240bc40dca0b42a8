// Replays a packetdrill script against one endpoint. The endpoint under test is "local" (its ISN
// is L0); the script plays the remote peer (its ISN is R0). Sequence numbers in the script are
// relative to the ISN of the side that sends, as in packetdrill.
#include "tcprt/replay.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "tcprt/options.hpp"
#include "tcprt/script.hpp"

namespace tcprt::replay {

namespace {

using namespace std::chrono_literals;
namespace sc = tcprt::script;

static_assert(std::size(sc::tcpi_state_names) == static_cast<std::size_t>(state::TIME_WAIT) + 1,
              "one tcpi_state name per tcprt::state");

constexpr seq_t L0 = 1000000;    // our ISN
constexpr seq_t R0 = 50000000;   // the script's ISN
constexpr std::int64_t default_tolerance_usecs = 4000;  // packetdrill's default --tolerance_usecs

struct failure {
    int line;
    std::string message;
    verdict v = verdict::fail;
};

std::string secs(std::int64_t usecs) {
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(6);
    o << static_cast<double>(usecs) / 1e6;
    std::string s = o.str();
    while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
    return s;
}

std::string flags_text(std::uint8_t f) {
    std::string s;
    if (f & SYN) s += 'S';
    if (f & FIN) s += 'F';
    if (f & RST) s += 'R';
    if (f & PSH) s += 'P';
    if (f & URG) s += 'U';
    if (f & ACK) s += '.';
    return s.empty() ? "-" : s;
}

// A segment in packetdrill's notation, numbers relative to the sender's and receiver's ISNs.
std::string describe(std::uint8_t flags, seq_t rel_seq, std::uint32_t len, seq_t rel_ack, std::optional<std::uint32_t> win,
                     const std::string& opts) {
    std::ostringstream o;
    o << flags_text(flags) << " " << rel_seq << ":" << static_cast<seq_t>(rel_seq + len) << "(" << len << ")";
    if (flags & ACK) o << " ack " << rel_ack;
    if (win) o << " win " << *win;
    if (!opts.empty()) o << " <" << opts << ">";
    return o.str();
}


std::string describe_expected(const sc::segment_spec& e) {
    return describe(e.flags, e.start, e.len, e.ack, e.win, e.any_options ? "..." : to_string(e.options));
}

const std::map<std::string, int, std::less<>>& errno_numbers() {
    // Linux numbering; only the names matter for comparison
    static const std::map<std::string, int, std::less<>> m = {
        {"EPERM", 1},       {"EBADF", 9},         {"EAGAIN", 11},     {"EWOULDBLOCK", 11}, {"EINVAL", 22},
        {"EPIPE", 32},      {"EALREADY", 114},    {"EINPROGRESS", 115}, {"ECONNREFUSED", 111}, {"ECONNRESET", 104},
        {"ENOTCONN", 107},  {"EISCONN", 106},     {"ETIMEDOUT", 110}, {"ECONNABORTED", 103},
    };
    return m;
}

std::string errno_name(int e) {
    for (const auto& [name, n] : errno_numbers())
        if (n == e && name != "EWOULDBLOCK") return name;
    return std::to_string(e);
}

class runner {
public:
    runner(std::string_view file, const settings& s) : file_(file), set_(s), prof_(s.prof) {}

    outcome run(const sc::parsed& p) {
        for (const auto& o : p.settings) {
            if (o.name == "tolerance_usecs") tolerance_ = std::max<std::int64_t>(0, std::atoll(o.value.c_str()));
            if (o.name == "tcp_ts_tick_usecs") ts_tick_ = std::max<std::int64_t>(0, std::atoll(o.value.c_str()));
        }
        outcome out;
        try {
            for (const auto& e : p.events) step(e);
            if (ep_) {
                drain();
                if (!sent_.empty()) {
                    const auto& s = sent_.front();
                    throw failure{last_line_, "unexpected outbound segment " + describe_actual(s.seg) + " at " +
                                                  secs(s.at_usecs) + " (after the last line)"};
                }
            }
        } catch (const failure& f) {
            out.result = f.v;
            out.line = f.line;
            out.message = f.message;
        }
        out.segments = segments_;
        return out;
    }

private:
    struct sent_segment {
        segment seg;
        std::int64_t at_usecs;
    };

    // packetdrill learns the local ISN from the first SYN the stack sends; before that (a RST from
    // CLOSED or LISTEN) the local side's numbers are absolute.
    seq_t local_base() const { return local_isn_known_ ? L0 : 0; }

    std::string describe_actual(const segment& s) const {
        return describe(s.flags, s.seq - local_base(), s.len, s.ack - R0, s.wnd, to_string(s.opts));
    }

    [[noreturn]] void fail(int line, std::string msg) { throw failure{line, std::move(msg)}; }
    [[noreturn]] void unsupported(int line, std::string msg) { throw failure{line, std::move(msg), verdict::unsupported}; }

    instant at(std::int64_t usecs) const { return instant{} + duration{usecs}; }

    endpoint& ep(int line) {
        if (!ep_) {
            config c;
            c.prof = prof_;
            c.iss = fixed_iss(L0);
            c.challenge_ack_limit = challenge_limit_;
            ep_.emplace(c);
        }
        (void)line;
        return *ep_;
    }

    // Collects what the endpoint sent and told since the last input, stamped with the current time.
    void drain() {
        while (auto s = ep_->poll_transmit()) {
            if (s->has(SYN)) local_isn_known_ = true;
            sent_.push_back({*s, now_});
            ++segments_;
        }
        while (auto n = ep_->poll_notice()) {
            switch (n->kind) {
                case notice_kind::connection_reset:
                    pending_error_ = errno_numbers().at("ECONNRESET");
                    reset_ = true;
                    break;
                case notice_kind::connection_refused:
                    pending_error_ = errno_numbers().at("ECONNREFUSED");
                    reset_ = true;
                    break;
                case notice_kind::connection_timed_out:
                    pending_error_ = errno_numbers().at("ETIMEDOUT");
                    reset_ = true;
                    break;
                case notice_kind::connection_closing:
                    if (in_segment_) peer_closed_ = true;
                    else call_refused_ = true;
                    break;
                case notice_kind::connection_already_exists:
                case notice_kind::connection_does_not_exist: call_refused_ = true; break;
                case notice_kind::data_delivered: delivered_ += n->count; break;
            }
        }
    }

    // Fires every timer due up to t, in order, each at its own time.
    void advance_to(std::int64_t t) {
        if (!ep_) {
            now_ = std::max(now_, t);
            return;
        }
        for (int guard = 0; guard < 100000; ++guard) {
            const auto due = ep_->next_timeout();
            if (!due) break;
            const std::int64_t d = due->time_since_epoch().count();
            if (d > t) break;
            now_ = std::max(now_, d);
            ep_->handle_timeout(at(now_));
            drain();
        }
        now_ = std::max(now_, t);
    }

    void step(const sc::event& e) {
        const int line = e.at.line;
        last_line_ = line;
        std::int64_t start = 0, end = 0;
        bool any = false;
        switch (e.time.what) {
            case sc::event_time::kind::absolute: start = end = e.time.usecs; break;
            case sc::event_time::kind::relative: start = end = last_time_ + e.time.usecs; break;
            case sc::event_time::kind::any: any = true; start = last_time_; end = last_time_ + 3600000000; break;
            case sc::event_time::kind::absolute_range:
                start = e.time.usecs;
                end = e.time.end_usecs;
                break;
            case sc::event_time::kind::relative_range:
                start = last_time_ + e.time.usecs;
                end = last_time_ + e.time.end_usecs;
                break;
        }
        if (const auto* s = std::get_if<sc::segment_spec>(&e.action); s && !s->inbound) {
            expect_outbound(line, *s, start, end, any);
            return;
        }
        if (start < now_ - tolerance_)
            fail(line, "event time " + secs(start) + " is before the current time " + secs(now_));
        advance_to(start);
        if (ep_ && !sent_.empty()) {
            const auto& s = sent_.front();
            fail(line, "unexpected outbound segment " + describe_actual(s.seg) + " at " + secs(s.at_usecs) +
                           " (before this line, at " + secs(start) + ")");
        }
        last_time_ = start;
        if (const auto* s = std::get_if<sc::segment_spec>(&e.action)) {
            inbound(line, *s);
        } else if (const auto* c = std::get_if<sc::call_spec>(&e.action)) {
            call(line, *c);
        } else if (const auto* cmd = std::get_if<sc::command_spec>(&e.action)) {
            command(line, cmd->text);
        } else if (const auto* st = std::get_if<sc::state_check>(&e.action)) {
            check_state(line, st->expected);
        }
    }

    // `%{ assert tcpi_state == TCP_... }%`: the endpoint's state now (CLOSED before any socket call
    // made one). The listener and the connection are one endpoint here, so a passive open in
    // SYN-RECEIVED shows TCP_SYN_RECV, where Linux's listening socket would still show TCP_LISTEN.
    void check_state(int line, const std::string& expected) {
        const state now = ep_ ? ep_->current_state() : state::CLOSED;
        const std::string_view got = sc::tcpi_state_names[static_cast<std::size_t>(now)];
        if (got != expected) fail(line, "tcpi_state is " + std::string(got) + ", expected " + expected);
    }

    // ---- segments ---------------------------------------------------------------------------------

    void inbound(int line, const sc::segment_spec& s) {
        segment seg;
        seg.flags = s.flags;
        seg.seq = R0 + s.start;
        seg.ack = (s.flags & ACK) ? local_base() + s.ack : 0;
        seg.wnd = s.win.value_or(0);
        seg.len = s.len;
        seg.opts = s.options;
        // packetdrill writes the script's TS ecr as the TS val the local side really sent
        if (!seg.opts.empty()) map_inbound_ecr(seg.opts);
        auto& e = ep(line);
        in_segment_ = true;
        e.handle_segment(seg, at(now_));
        ++segments_;
        drain();
        in_segment_ = false;
    }

    void map_inbound_ecr(option_bytes& b) {
        option_values o;
        parse_options(b, o);
        if (!o.has_timestamps) return;
        const auto hit = ts_map_.find(o.ts_ecr);
        if (hit == ts_map_.end()) return;
        option_bytes out;
        visit_options(b.data(), b.size(), [&](const option& op) {
            if (op.kind == opt_timestamps && op.valid) out.timestamps(op.value, hit->second);
            else out.append(b.data() + op.offset, op.size);
        });
        b = out;
    }

    void expect_outbound(int line, const sc::segment_spec& x, std::int64_t start, std::int64_t end, bool any) {
        const std::string want = describe_expected(x);
        if (!ep_) fail(line, "expected outbound " + want + " but no socket exists");
        // Let time run to the end of the allowed interval until the endpoint sends something.
        const std::int64_t deadline = end + (any ? 0 : tolerance_);
        while (sent_.empty()) {
            const auto due = ep_->next_timeout();
            if (!due || due->time_since_epoch().count() > deadline) break;
            advance_to(due->time_since_epoch().count());
        }
        if (sent_.empty()) {
            advance_to(std::max(now_, deadline));
            fail(line, "expected outbound " + want + " at " + secs(start) + (end != start && !any ? "~" + secs(end) : "") +
                           ", nothing was sent");
        }
        const sent_segment got = sent_.front();
        sent_.pop_front();
        const std::string actual = describe_actual(got.seg);
        if (!any && (got.at_usecs < start - tolerance_ || got.at_usecs > end + tolerance_))
            fail(line, "expected outbound " + want + " at " + secs(start) + (end != start ? "~" + secs(end) : "") +
                           " (tolerance " + std::to_string(tolerance_) + " us), sent at " + secs(got.at_usecs) + ": " + actual);
        std::string why;
        const segment& g = got.seg;
        if (g.flags != x.flags) why = "flags " + flags_text(g.flags) + ", expected " + flags_text(x.flags);
        else if (g.seq - local_base() != x.start)
            why = "sequence number " + std::to_string(g.seq - local_base()) + ", expected " + std::to_string(x.start);
        else if (g.len != x.len) why = "payload length " + std::to_string(g.len) + ", expected " + std::to_string(x.len);
        else if ((x.flags & ACK) && g.ack - R0 != x.ack)
            why = "ack " + std::to_string(g.ack - R0) + ", expected " + std::to_string(x.ack);
        else if (x.win && g.wnd != *x.win) why = "window " + std::to_string(g.wnd) + ", expected " + std::to_string(*x.win);
        else if (!x.any_options && !set_.ignore_options) why = compare_options(g.opts, x.options, got.at_usecs);
        if (!why.empty()) fail(line, "outbound segment: " + why + "\n    expected: " + want + "\n    actual:   " + actual);
        last_time_ = got.at_usecs;
    }

    // As packetdrill's verify_outbound_live_tcp_options: the same kinds in the same order and the
    // same bytes, except the TS val, which is checked only with --tcp_ts_tick_usecs and then within
    // the tolerance; each matched TS val is remembered so that inbound ecr values can be mapped.
    std::string compare_options(const option_bytes& actual, const option_bytes& want, std::int64_t at_usecs) {
        (void)at_usecs;
        std::vector<option> a, w;
        visit_options(actual.data(), actual.size(), [&](const option& o) { a.push_back(o); });
        visit_options(want.data(), want.size(), [&](const option& o) { w.push_back(o); });
        const std::string diff = "options <" + to_string(actual) + ">, expected <" + to_string(want) + ">";
        if (a.size() != w.size()) return diff;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].kind != w[i].kind || a[i].size != w[i].size) return diff;
            if (a[i].kind == opt_timestamps && a[i].valid && w[i].valid) {
                if (a[i].echo != w[i].echo) return diff;
                if (ts_tick_ > 0) {
                    const auto delta = static_cast<std::int64_t>(static_cast<std::int32_t>(a[i].value - w[i].value));
                    if ((delta < 0 ? -delta : delta) * ts_tick_ > tolerance_)
                        return "TS val " + std::to_string(a[i].value) + ", expected " + std::to_string(w[i].value) +
                               " (tick " + std::to_string(ts_tick_) + " us, tolerance " + std::to_string(tolerance_) + " us)";
                }
                ts_map_[w[i].value] = a[i].value;
                continue;
            }
            if (!std::equal(actual.data() + a[i].offset, actual.data() + a[i].offset + a[i].size, want.data() + w[i].offset))
                return diff;
        }
        return {};
    }

    // ---- socket calls ---------------------------------------------------------------------------

    struct fd_state {
        enum class kind : std::uint8_t { socket, listener, connection } what = kind::socket;
        bool nonblocking = false;
        bool open = true;
    };

    static std::optional<std::int64_t> integer_arg(const sc::call_spec& c, std::size_t i) {
        if (i >= c.args.size() || c.args[i].what != sc::expr::kind::integer) return std::nullopt;
        return c.args[i].value;
    }

    fd_state& fd_arg(int line, const sc::call_spec& c) {
        const auto fd = integer_arg(c, 0);
        if (!fd) fail(line, c.name + ": the first argument must be a file descriptor number");
        const auto it = fds_.find(*fd);
        if (it == fds_.end() || !it->second.open) {
            bad_fd_ = true;
            static fd_state none;
            none = fd_state{};
            return none;
        }
        return it->second;
    }

    void check_result(int line, const sc::call_spec& c, std::int64_t ret, const std::string& err) {
        const std::string got = std::to_string(ret) + (err.empty() ? "" : " " + err);
        std::string want;
        if (c.result.what == sc::expr::kind::integer) want = std::to_string(c.result.value);
        else if (c.result.what == sc::expr::kind::ellipsis) return;
        else if (c.result.what == sc::expr::kind::word) want = c.result.text;
        else fail(line, c.name + ": the expected result must be a number");
        if (!c.error.empty()) want += " " + c.error;
        bool same = c.result.what == sc::expr::kind::integer && c.result.value == ret;
        if (same && ret < 0) {
            const auto a = errno_numbers().find(c.error), b = errno_numbers().find(err);
            same = a != errno_numbers().end() && b != errno_numbers().end() && a->second == b->second;
        }
        if (!same) fail(line, c.name + "() returned " + got + ", expected " + want);
    }

    void call(int line, const sc::call_spec& c) {
        if (c.blocking_end) unsupported(line, "blocking system call with an end time ('..." + secs(c.end_usecs) + "')");
        bad_fd_ = false;
        call_refused_ = false;
        std::int64_t ret = 0;
        std::string err;
        auto error = [&](const char* name) {
            ret = -1;
            err = name;
        };
        const std::string& n = c.name;
        if (n == "socket") {
            const int fd = next_fd_++;
            fds_[fd] = fd_state{};
            ret = fd;
            ep(line);
        } else if (n == "bind") {
            fd_arg(line, c);
            if (bad_fd_) error("EBADF");
        } else if (n == "listen") {
            auto& f = fd_arg(line, c);
            if (bad_fd_) error("EBADF");
            else {
                f.what = fd_state::kind::listener;
                ep(line).open_passive(at(now_));
                drain();
            }
        } else if (n == "accept" || n == "accept4") {
            auto& f = fd_arg(line, c);
            const state st = ep(line).current_state();
            const bool ready = st != state::CLOSED && st != state::LISTEN && st != state::SYN_SENT && st != state::SYN_RECEIVED;
            if (bad_fd_) error("EBADF");
            else if (f.what != fd_state::kind::listener) error("EINVAL");
            else if (accepted_ || !ready) {
                if (!f.nonblocking) unsupported(line, "accept() would block (no established connection yet)");
                error("EAGAIN");
            } else {
                accepted_ = true;
                const int fd = next_fd_++;
                fds_[fd] = fd_state{fd_state::kind::connection, false, true};
                ret = fd;
            }
        } else if (n == "connect") {
            auto& f = fd_arg(line, c);
            if (bad_fd_) error("EBADF");
            else if (f.what != fd_state::kind::socket) error("EISCONN");
            else {
                if (!f.nonblocking) unsupported(line, "blocking connect(): make the socket non-blocking with fcntl first");
                f.what = fd_state::kind::connection;
                ep(line).open_active(at(now_));
                drain();
                error("EINPROGRESS");
            }
        } else if (n == "write" || n == "send") {
            auto& f = fd_arg(line, c);
            const auto bytes = integer_arg(c, 2);
            if (!bytes || *bytes < 0) fail(line, n + ": the third argument must be the byte count");
            if (bad_fd_) error("EBADF");
            else if (take_pending_error(ret, err)) {
            } else {
                const state st = ep(line).current_state();
                if (f.what != fd_state::kind::connection) error("EPIPE");
                else if (st == state::SYN_SENT || st == state::SYN_RECEIVED) error("EAGAIN");
                else if (st != state::ESTABLISHED && st != state::CLOSE_WAIT) error("EPIPE");
                else {
                    ep_->send(static_cast<std::uint32_t>(std::min<std::int64_t>(*bytes, 1 << 30)), at(now_));
                    drain();
                    ret = *bytes;
                }
            }
        } else if (n == "read" || n == "recv") {
            fd_arg(line, c);
            const auto bytes = integer_arg(c, 2);
            if (!bytes || *bytes < 0) fail(line, n + ": the third argument must be the byte count");
            if (bad_fd_) error("EBADF");
            else {
                const std::uint32_t avail = ep(line).tcb().rcv_unread;
                const auto want = static_cast<std::uint32_t>(std::min<std::int64_t>(*bytes, avail));
                if (want > 0) {
                    delivered_ = 0;
                    ep_->receive(want, at(now_));
                    drain();
                    ret = delivered_;
                } else if (take_pending_error(ret, err)) {
                } else if (peer_closed_ || ep_->current_state() == state::CLOSED) {
                    ret = 0;
                } else {
                    auto& f = fds_[static_cast<int>(*integer_arg(c, 0))];
                    if (!f.nonblocking) unsupported(line, "read() would block (no data has arrived)");
                    error("EAGAIN");
                }
            }
        } else if (n == "close") {
            auto& f = fd_arg(line, c);
            if (bad_fd_) error("EBADF");
            else {
                f.open = false;
                // the listener's close does not touch a connection already accepted
                if (!(f.what == fd_state::kind::listener && accepted_)) {
                    ep(line).close(at(now_));
                    drain();
                }
            }
        } else if (n == "shutdown") {
            fd_arg(line, c);
            const std::string how = c.args.size() > 1 && c.args[1].what == sc::expr::kind::word ? c.args[1].text : "";
            if (bad_fd_) error("EBADF");
            else if (how == "SHUT_WR" || how == "SHUT_RDWR") {
                ep(line).close(at(now_));
                drain();
            } else if (how != "SHUT_RD") {
                fail(line, "shutdown: the second argument must be SHUT_RD, SHUT_WR or SHUT_RDWR");
            }
        } else if (n == "fcntl") {
            auto& f = fd_arg(line, c);
            const std::string cmd = c.args.size() > 1 && c.args[1].what == sc::expr::kind::word ? c.args[1].text : "";
            if (bad_fd_) error("EBADF");
            else if (cmd == "F_SETFL") {
                const std::string flags = c.args.size() > 2 ? c.args[2].text : "";
                f.nonblocking = flags.find("O_NONBLOCK") != std::string::npos;
            } else if (cmd == "F_GETFL") {
                if (c.result.what == sc::expr::kind::word) {
                    const bool want_nb = c.result.text.find("O_NONBLOCK") != std::string::npos;
                    if (want_nb != f.nonblocking)
                        fail(line, std::string("fcntl(F_GETFL) returned ") + (f.nonblocking ? "O_RDWR|O_NONBLOCK" : "O_RDWR") +
                                       ", expected " + c.result.text);
                    return;
                }
            } else {
                unsupported(line, "fcntl command '" + cmd + "'");
            }
        } else if (n == "getsockopt") {
            fd_arg(line, c);
            const std::string opt = c.args.size() > 2 && c.args[2].what == sc::expr::kind::word ? c.args[2].text : "";
            if (opt != "SO_ERROR") unsupported(line, "getsockopt " + (opt.empty() ? std::string("option") : opt));
            if (bad_fd_) error("EBADF");
            else {
                const int e = pending_error_;
                pending_error_ = 0;
                if (c.args.size() > 3 && c.args[3].what == sc::expr::kind::list && c.args[3].items.size() == 1) {
                    const auto& v = c.args[3].items[0];
                    int want = -1;
                    if (v.what == sc::expr::kind::integer) want = static_cast<int>(v.value);
                    else if (v.what == sc::expr::kind::word && errno_numbers().count(v.text)) want = errno_numbers().at(v.text);
                    if (want < 0) fail(line, "getsockopt(SO_ERROR): expected value must be a number or an errno name");
                    if (want != e)
                        fail(line, "getsockopt(SO_ERROR) gave " + (e == 0 ? std::string("0") : errno_name(e)) + ", expected " +
                                       (want == 0 ? std::string("0") : errno_name(want)));
                }
            }
        } else if (n == "setsockopt") {
            fd_arg(line, c);
            const std::string opt = c.args.size() > 2 && c.args[2].what == sc::expr::kind::word ? c.args[2].text : "";
            // options that change nothing the endpoint models
            if (opt != "SO_REUSEADDR" && opt != "SO_REUSEPORT" && opt != "TCP_NODELAY")
                unsupported(line, "setsockopt " + (opt.empty() ? std::string("option") : opt));
            if (bad_fd_) error("EBADF");
        } else {
            unsupported(line, "system call '" + n + "'");
        }
        check_result(line, c, ret, err);
    }

    bool take_pending_error(std::int64_t& ret, std::string& err) {
        if (pending_error_ == 0) {
            if (reset_ && ep_ && ep_->current_state() == state::CLOSED) {
                ret = -1;
                err = "EPIPE";
                return true;
            }
            return false;
        }
        ret = -1;
        err = errno_name(pending_error_);
        pending_error_ = 0;
        return true;
    }

    // ---- shell commands: sysctls that change what the endpoint does --------------------------------

    void command(int line, const std::string& text) {
        // "sysctl -q net.ipv4.tcp_rfc1337=1", "sysctl -w a.b=c", "echo 1 > /proc/sys/net/ipv4/tcp_rfc1337"
        std::vector<std::string> words;
        std::string w;
        for (char ch : text + " ") {
            if (ch == ' ' || ch == '\t' || ch == ';' || ch == '\n') {
                if (!w.empty()) words.push_back(w);
                w.clear();
            } else {
                w += ch;
            }
        }
        for (std::size_t i = 0; i < words.size(); ++i) {
            std::string name, value;
            const auto eq = words[i].find('=');
            if (eq != std::string::npos) {
                name = words[i].substr(0, eq);
                value = words[i].substr(eq + 1);
            } else if (words[i] == "echo" && i + 3 < words.size() && words[i + 2] == ">") {
                value = words[i + 1];
                name = words[i + 3];
                i += 3;
            } else {
                continue;
            }
            if (name.rfind("/proc/sys/", 0) == 0) name = name.substr(10);
            std::replace(name.begin(), name.end(), '/', '.');
            apply_sysctl(line, name, value);
        }
    }

    void apply_sysctl(int line, const std::string& name, const std::string& value) {
        const bool on = std::atoll(value.c_str()) != 0;
        bool known = true;
        if (name == "net.ipv4.tcp_rfc1337") prof_.time_wait_ignores_rst = on;
        else if (name == "net.ipv4.tcp_timestamps") prof_.offer.timestamps = on;
        else if (name == "net.ipv4.tcp_window_scaling") prof_.offer.wscale = on;
        else if (name == "net.ipv4.tcp_sack") prof_.offer.sack_permitted = on;
        else if (name == "net.ipv4.tcp_challenge_ack_limit") challenge_limit_ = static_cast<std::uint32_t>(std::atoll(value.c_str()));
        else if (name == "net.inet.tcp.insecure_rst" || name == "net.inet.tcp.insecure_syn") prof_.challenge_acks = !on;
        else if (name == "net.inet.tcp.rfc1323") prof_.offer.wscale = prof_.offer.timestamps = on;
        else if (name == "net.inet.tcp.sack.enable") prof_.offer.sack_permitted = on;
        else known = false;
        if (known && ep_) unsupported(line, "sysctl " + name + " after the socket was created");
    }

    std::string file_;
    const settings& set_;
    profile prof_;
    std::uint32_t challenge_limit_ = config{}.challenge_ack_limit;
    std::optional<endpoint> ep_;
    std::deque<sent_segment> sent_;
    std::map<std::uint32_t, std::uint32_t> ts_map_;  // script TS val -> the TS val really sent
    std::map<std::int64_t, fd_state> fds_;
    int next_fd_ = 3;
    std::int64_t now_ = 0, last_time_ = 0;
    std::int64_t tolerance_ = default_tolerance_usecs, ts_tick_ = 0;
    int last_line_ = 0;
    int pending_error_ = 0;
    bool reset_ = false, peer_closed_ = false, accepted_ = false, in_segment_ = false;
    bool bad_fd_ = false, call_refused_ = false, local_isn_known_ = false;
    std::uint32_t delivered_ = 0;
    std::uint64_t segments_ = 0;
};

}  // namespace

outcome run(std::string_view file, std::string_view text, const settings& s) {
    const auto parsed = script::parse_script(text, s.defines);
    outcome out;
    if (parsed.error) {
        out.result = verdict::fail;
        out.line = parsed.error->at.line;
        out.message = script::format_diagnostic(file, text, *parsed.error);
        return out;
    }
    if (parsed.script->unsupported) {
        out.result = verdict::unsupported;
        out.line = parsed.script->unsupported_at.line;
        out.message = *parsed.script->unsupported;
        return out;
    }
    runner r(file, s);
    return r.run(*parsed.script);
}

totals run_files(const std::vector<std::string>& files, const settings& s, std::ostream& out) {
    totals t;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            out << "FAIL " << f << ": cannot read the file\n";
            ++t.failed;
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        const outcome o = run(f, text.str(), s);
        t.segments += o.segments;
        switch (o.result) {
            case verdict::pass:
                out << "PASS " << f << "\n";
                ++t.passed;
                break;
            case verdict::fail:
                // a syntax error's message is already a full "file:line:col: error:" diagnostic
                if (o.message.rfind(f + ":", 0) == 0) out << "FAIL " << o.message;
                else out << "FAIL " << f << ":" << o.line << ": " << o.message << "\n";
                ++t.failed;
                break;
            case verdict::unsupported:
                out << "UNSUPPORTED " << f << ":" << o.line << ": " << o.message << "\n";
                ++t.skipped;
                break;
        }
    }
    out << t.passed << " passed, " << t.failed << " failed, " << t.skipped << " skipped\n";
    return t;
}

}  // namespace tcprt::replay
