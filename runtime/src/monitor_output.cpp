// The text and JSON of tcpfsm monitor, and its main loop. Names of states, events, anomalies and
// addresses never need JSON escaping, so the objects are written directly.
#include "tcprt/monitor_output.hpp"

#include <pcap/pcap.h>

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <future>
#include <initializer_list>
#include <memory>
#include <thread>

#include "tcprt/capture_stream.hpp"

namespace tcprt::monitor {
namespace {
struct epoch_seconds {
    std::int64_t s, us;
};
}  // namespace
}  // namespace tcprt::monitor

template <>
struct fmt::formatter<tcprt::monitor::epoch_seconds> : fmt::formatter<std::string_view> {
    template <class Ctx>
    auto format(const tcprt::monitor::epoch_seconds& e, Ctx& ctx) const {
        return fmt::format_to(ctx.out(), FMT_COMPILE("{}.{:06}"), e.s, e.us);
    }
};

namespace tcprt::monitor {

namespace {

// Seconds since the epoch with the capture's microseconds, exact (a double would round them),
// formatted straight into the output.
epoch_seconds seconds(instant t) {
    const auto us = t.time_since_epoch().count();
    const auto s = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    return {s, us - s * 1000000};
}

// "{}.{:06}" of whole and fraction (0 <= fraction < 10^6), by hand: fmt's compiled format was about
// 280 instructions a time, and every line of the output has one.
struct number_text {
    char text[32];
    std::size_t size;
    std::string_view view() const { return {text, size}; }
};
template <class Whole>
number_text decimal_text(std::string_view sign, Whole whole, std::uint32_t fraction) {
    number_text n;
    char* p = std::copy(sign.begin(), sign.end(), n.text);
    const fmt::format_int digits(whole);
    p = std::copy(digits.data(), digits.data() + digits.size(), p);
    *p++ = '.';
    for (int i = 5; i >= 0; --i) {
        p[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
    }
    n.size = static_cast<std::size_t>(p + 6 - n.text);
    return n;
}

// seconds(t) as text, for the lines written piece by piece.
number_text epoch_text(instant t) {
    const epoch_seconds e = seconds(t);
    return decimal_text("", e.s, static_cast<std::uint32_t>(e.us));
}

// The pieces one after the other, gathered on the stack and appended in one step (per piece,
// appending to a string or a fmt buffer checked and grew it; resizing the string first filled it).
void append_pieces(std::string& out, std::initializer_list<std::string_view> pieces) {
    std::size_t size = 0;
    for (std::string_view p : pieces) size += p.size();
    char small[512];
    std::string large;
    char* const start = size <= sizeof small ? small : (large.resize(size), large.data());
    char* to = start;
    for (std::string_view p : pieces) to = std::copy(p.begin(), p.end(), to);
    out.append(start, size);
}

// t - origin in seconds with six decimals, as "{:.6f}" prints the double, from the integer
// microseconds (formatting a double took a tenth of the monitor's time).
number_text since(instant t, instant origin) {
    const auto us = (t - origin).count();
    const std::uint64_t mag = us < 0 ? 0 - static_cast<std::uint64_t>(us) : static_cast<std::uint64_t>(us);
    return decimal_text(us < 0 ? "-" : "", mag / 1000000, static_cast<std::uint32_t>(mag % 1000000));
}

// A line of fields, each padded to its width with spaces (left-aligned, or right-aligned for the
// time) and preceded by its separator, gathered on the stack and appended in one step. The names
// and times are ASCII: fmt's padding measured every string's display width, code point by code point.
struct field {
    std::string_view before, text;
    std::size_t width;
    bool right;
};
template <std::size_t N>
void append_line(std::string& out, const field (&fields)[N]) {
    std::size_t size = 1;  // the newline
    for (const field& f : fields) size += f.before.size() + std::max(f.width, f.text.size());
    char small[256];
    std::string large;
    char* const start = size <= sizeof small ? small : (large.resize(size), large.data());
    char* p = start;
    for (const field& f : fields) {
        p = std::copy(f.before.begin(), f.before.end(), p);
        const std::size_t fill = f.width > f.text.size() ? f.width - f.text.size() : 0;
        if (f.right) p = std::fill_n(p, fill, ' ');
        p = std::copy(f.text.begin(), f.text.end(), p);
        if (!f.right) p = std::fill_n(p, fill, ' ');
    }
    *p = '\n';
    out.append(start, size);
}

// ---- text, written in place ------------------------------------------------------------------
// A connection's lines go straight into the output string: it grows once by an upper bound of
// their size, the pieces are copied in (fixed-size copies where the size is known) and it shrinks
// back to what was written. Formatting them piece by piece (fmt's padding, a std::string per
// address, a resize per piece of the final line) was about 12,000 instructions a connection.

// Room for n bytes at the end of out; returns where they start. done() gives the rest back.
char* grow(std::string& out, std::size_t n) {
    const std::size_t at = out.size();
    out.resize(at + n);
    return out.data() + at;
}
void done(std::string& out, const char* end) { out.resize(static_cast<std::size_t>(end - out.data())); }

template <std::size_t N>
char* put(char* p, const char (&text)[N]) {
    std::memcpy(p, text, N - 1);
    return p + N - 1;
}
char* put(char* p, std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
}
char* put_number(char* p, std::uint64_t v) {
    const fmt::format_int digits(v);
    return put(p, std::string_view(digits.data(), digits.size()));
}
// A decimal byte of an address, 1 to 3 digits.
char* put_byte(char* p, unsigned v) {
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
    *p++ = static_cast<char>('0' + v % 10);
    return p;
}
constexpr std::size_t max_end_point = 48;  // "[" 39 "]:" 5
// capture::to_string(e), without making a string for IPv4.
char* put_end_point(char* p, const capture::end_point& e) {
    if (e.addr.v6) return put(p, capture::to_string(e));
    for (int i = 0; i < 4; ++i) {
        p = put_byte(p, e.addr.bytes[i]);
        *p++ = i < 3 ? '.' : ':';
    }
    return put_number(p, e.port);
}
// conn_name(r): "a:p-b:q", client first.
char* put_conn(char* p, const connection_report& r) {
    p = put_end_point(p, r.client);
    *p++ = '-';
    return put_end_point(p, r.server);
}

// The names of the states and of the two sides, each padded with spaces to 16 bytes, so that a
// padded field is one 16-byte copy; fits says whether every name fits its field (12 and 6).
struct padded_names {
    std::array<std::array<char, 16>, 256> state{};
    std::array<std::array<char, 16>, 2> side{};
    bool fits = true;
    std::size_t longest = 0;  // the longest name of a state or a side
    padded_names() {
        auto pad = [this](std::array<char, 16>& to, std::string_view name, std::size_t width) {
            to.fill(' ');
            longest = std::max(longest, name.size());
            if (name.size() > width) {
                fits = false;
                return;
            }
            std::copy(name.begin(), name.end(), to.begin());
        };
        for (unsigned s = 0; s < 256; ++s) pad(state[s], name(static_cast<tcprt::state>(s)), 12);
        for (role r : {role::client, role::server}) pad(side[static_cast<int>(r)], name(r), 6);
    }
};
const padded_names& names() {
    static const padded_names n;
    return n;
}

// t - origin in seconds with six decimals ("{:.6f}" of the double), right-aligned in 12 columns
// as the last 12 of to's 32 bytes; returns how many the text took (more than 12: it did not fit).
std::size_t time_field(char (&to)[32], instant t, instant origin) {
    std::memset(to, ' ', sizeof to);
    const auto us = (t - origin).count();
    std::uint64_t mag = us < 0 ? 0 - static_cast<std::uint64_t>(us) : static_cast<std::uint64_t>(us);
    char* p = to + sizeof to;
    for (int i = 0; i < 6; ++i) {
        *--p = static_cast<char>('0' + mag % 10);
        mag /= 10;
    }
    *--p = '.';
    do {
        *--p = static_cast<char>('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    if (us < 0) *--p = '-';
    return static_cast<std::size_t>(to + sizeof to - p);
}

// "  {:>12}  {:<6}  {:<12} -> {:<12}  {}\n" of one transition: the columns at fixed places when
// every field fits its width, else through append_line's general padding. Needs 57 + the event's
// size bytes of room at p (the last state's 16-byte copy goes past its 12 columns).
char* put_transition(char* p, const transition& t, instant origin, const padded_names& n) {
    char time[32];
    const std::size_t time_size = time_field(time, t.time, origin);
    if (!n.fits || time_size > 12) {
        std::string line;
        append_line(line, {{"  ", std::string_view(time + sizeof time - time_size, time_size), 12, true},
                           {"  ", name(t.side), 6, false},
                           {"  ", name(t.from), 12, false},
                           {" -> ", name(t.to), 12, false},
                           {"  ", t.event, 0, false}});
        return put(p, line);
    }
    std::memcpy(p, time + sizeof time - 14, 14);  // two spaces and the time
    std::memcpy(p + 14, "  ", 2);
    std::memcpy(p + 16, n.side[static_cast<int>(t.side)].data(), 16);
    std::memcpy(p + 22, "  ", 2);
    std::memcpy(p + 24, n.state[static_cast<int>(t.from)].data(), 16);
    std::memcpy(p + 36, " -> ", 4);
    std::memcpy(p + 40, n.state[static_cast<int>(t.to)].data(), 16);
    std::memcpy(p + 52, "  ", 2);
    p = put(p + 54, t.event);
    *p++ = '\n';
    return p;
}

}  // namespace

void append_text(std::string& out, const connection_report& r, instant origin, bool anomalies) {
    const padded_names& n = names();
    // Room: the first line, then each transition (its general form at most 75 bytes and the
    // names), then the final line (numbers of 20 digits at most).
    std::size_t room = 2 * max_end_point + 64 + 2 * n.longest;
    for (const auto& t : r.transitions) room += 80 + 3 * n.longest + t.event.size();
    char* const start = grow(out, room);
    char* p = put_conn(start, r);
    if (r.start_seen) {
        p = put(p, "  (start seen)\n");
    } else {
        p = put(p, "  (picked up mid-stream: client ");
        p = put(p, name(r.client_initial));
        p = put(p, ", server ");
        p = put(p, name(r.server_initial));
        p = put(p, ")\n");
    }
    for (const auto& t : r.transitions) p = put_transition(p, t, origin, n);
    done(out, p);

    std::uint64_t total = 0;
    for (auto k : r.anomaly_counts) total += k;
    if (anomalies) {
        auto o = std::back_inserter(out);
        for (const auto& a : r.anomalies)
            fmt::format_to(o, "  {:>12}  {:<6}  anomaly {}: {} sent {}\n", since(a.time, origin).view(), name(a.side),
                           name(a.kind), name(a.sender), to_string(a.seg));
    }
    // "  final: client {}, server {}; {}; client sent {} bytes in {} segments, server {} bytes in {}
    // segments; {} anomalies; released: {}\n"
    const std::string_view reason = name(r.reason);
    p = grow(out, 160 + 5 * 20 + 2 * n.longest + r.conn_state.size() + reason.size());
    p = put(p, "  final: client ");
    p = put(p, name(r.client_state));
    p = put(p, ", server ");
    p = put(p, name(r.server_state));
    p = put(p, "; ");
    p = put(p, r.conn_state);
    p = put(p, "; client sent ");
    p = put_number(p, r.bytes[0]);
    p = put(p, " bytes in ");
    p = put_number(p, r.segments[0]);
    p = put(p, " segments, server ");
    p = put_number(p, r.bytes[1]);
    p = put(p, " bytes in ");
    p = put_number(p, r.segments[1]);
    p = put(p, " segments; ");
    p = put_number(p, total);
    p = put(p, " anomalies; released: ");
    p = put(p, reason);
    *p++ = '\n';
    done(out, p);
}

void append_json(std::string& out, const connection_report& r, bool anomalies) {
    // The transition lines, most of the output, piece by piece (formatting them, through a
    // back_inserter into the string, fmt resized and zero-filled it for every piece); the rest is
    // formatted into fmt's buffer and appended once.
    char conn_text[2 * max_end_point + 1];
    const std::string_view conn(conn_text, static_cast<std::size_t>(put_conn(conn_text, r) - conn_text));
    for (const auto& t : r.transitions)
        append_pieces(out, {R"({"conn":")", conn, R"(","side":")", name(t.side), R"(","from":")", name(t.from),
                            R"(","to":")", name(t.to), R"(","event":")", t.event, R"(","time":)",
                            epoch_text(t.time).view(), "}\n"});
    fmt::memory_buffer lines;
    auto o = std::back_inserter(lines);
    if (anomalies)
        for (const auto& a : r.anomalies)
            fmt::format_to(o,
                           R"({{"conn":"{}","anomaly":"{}","side":"{}","sender":"{}","segment":"{}","time":{}}})"
                           "\n",
                           conn, name(a.kind), name(a.side), name(a.sender), to_string(a.seg), seconds(a.time));
    std::uint64_t total = 0;
    for (auto n : r.anomaly_counts) total += n;
    fmt::format_to(o,
                   FMT_COMPILE(R"({{"conn":"{}","client":"{}","server":"{}","start_seen":{},"conn_state":"{}",)"
                               R"("bytes_client_to_server":{},"bytes_server_to_client":{},)"
                               R"("segments_client_to_server":{},"segments_server_to_client":{},"anomalies":{},)"
                               R"("first":{},"last":{},"released":"{}"}})" "\n"),
                   conn, name(r.client_state), name(r.server_state), r.start_seen, r.conn_state, r.bytes[0],
                   r.bytes[1], r.segments[0], r.segments[1], total, seconds(r.first), seconds(r.last),
                   name(r.reason));
    out.append(lines.data(), lines.size());
}

namespace {

void report_counts(std::FILE* err, const capture::counts& c, const tracker_stats& s, std::size_t files) {
    std::string line = fmt::format(
        "tcpfsm monitor: {} capture{}, {} records, {} TCP segments, {} connections ({} picked up mid-stream), "
        "peak {} live",
        files, files == 1 ? "" : "s", c.records, c.tcp, s.connections, s.mid_stream, s.peak_live);
    if (s.other_shard) line += fmt::format(", {} segments left to other shards", s.other_shard);
    fmt::print(err, "{}\n", line);
    std::string skipped;
    auto item = [&skipped](std::uint64_t n, const char* what) {
        if (n) skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", n, what);
    };
    item(c.not_ip, "not IP");
    item(c.not_tcp, "not TCP");
    item(c.fragments, "IP fragments (not reassembled)");
    item(c.truncated, "truncated records");
    item(c.malformed, "malformed headers");
    item(c.unknown_link, "records of an unsupported link type");
    item(c.dropped_checksum, "dropped for a bad checksum");
    if (!skipped.empty()) fmt::print(err, "tcpfsm monitor: skipped {}\n", skipped);
    if (c.bad_ip_checksum || c.bad_tcp_checksum)
        fmt::print(err, "tcpfsm monitor: bad checksums: {} IPv4 headers, {} TCP segments{}\n", c.bad_ip_checksum,
                   c.bad_tcp_checksum,
                   c.dropped_checksum ? "" : " (kept: captures on the sending host often hold checksums the NIC fills in; --verify-checksums drops them)");
    if (c.unverified_checksum)
        fmt::print(err, "tcpfsm monitor: {} TCP checksums not verified (record shorter than the packet)\n",
                   c.unverified_checksum);
}

}  // namespace

// Reports formatted at once by the other thread in finish(): about 0.3 MB of reports and 0.5 MB of
// text, twice (one chunk there, one here).
constexpr std::size_t finish_chunk = 512;

int run(const std::vector<std::string>& captures, const run_options& opts, std::FILE* out, std::FILE* err) {
    // Every file must open before anything is printed.
    for (const auto& path : captures) {
        if (path == "-") continue;
        std::string error;
        if (!capture::reader::open(path, false, error)) {
            fmt::print(err, "tcpfsm monitor: {}: {}\n", path, error);
            return 1;
        }
    }
    // What the stream of captures does to the tracker and the output, on this thread whichever
    // thread reads.
    class printer final : public capture::stream_events {
    public:
        printer(const run_options& opts, std::FILE* out, std::FILE* err)
            : opts_(opts), out_(out), err_(err), track_(opts.track, [this](connection_report&& r) {
                  if (finishing_) {
                      held_.push_back(std::move(r));
                      if (held_.size() == finish_chunk) hand_on(false);
                      return;
                  }
                  format(buf_, r);
                  flush(false);
              }) {}

        void opened(const std::string& path, int link_type) override {
            if (!capture::supported_link_type(link_type)) {
                const char* dlt_name = pcap_datalink_val_to_name(link_type);
                fmt::print(err_, "tcpfsm monitor: {}: link type {} ({}) is not supported; its records are skipped\n",
                           path, link_type, dlt_name ? dlt_name : "unknown");
            }
        }
        void segments(const capture::tcp_packet* p, std::size_t n) override {
            if (n > 0 && !have_origin_) {
                origin_ = p->time;
                have_origin_ = true;
            }
            for (std::size_t i = 0; i < n; ++i) track_.add(p[i]);
        }
        void ended(const std::string& path, const capture::counts& c, const std::string& stop_reason) override {
            if (c.files_cut_short) fmt::print(err_, "tcpfsm monitor: {}: reading stopped early: {}\n", path, stop_reason);
            total_ += c;
        }
        void failed(const std::string& path, const std::string& error) override {  // standard input that is not a capture
            fmt::print(err_, "tcpfsm monitor: {}: {}\n", path, error);
            failed_ = true;
        }

        int finish(std::size_t files) {
            if (failed_) return 1;
            // The connections still held at the end (on a long capture, most of them: TIME-WAIT
            // outlasts it) are released after the reading thread is done; with two threads, a second
            // thread formats every other chunk of them meanwhile, and the chunks go out in order.
            finishing_ = opts_.threads >= 2;
            track_.finish();
            if (finishing_) hand_on(true);
            finishing_ = false;
            flush(true);
            std::fflush(out_);
            report_counts(err_, total_, track_.stats(), files);
            return 0;
        }

    private:
        void format(std::string& to, const connection_report& r) const {
            if (opts_.json)
                append_json(to, r, opts_.anomalies);
            else
                append_text(to, r, origin_, opts_.anomalies);
        }

        // The reports held so far, a chunk (or the rest, last): if the other thread is free, it takes
        // them; otherwise this thread formats them, then writes the other thread's chunk, which came
        // first, and its own. At most one chunk is being formatted elsewhere and one held here.
        void hand_on(bool last) {
            std::vector<connection_report> chunk;
            chunk.swap(held_);
            held_.reserve(finish_chunk);
            if (!chunk.empty() && !elsewhere_.valid()) {
                elsewhere_ = std::async(std::launch::async, [this, c = std::move(chunk)] {
                    std::string text;
                    text.reserve(c.size() * 1024);
                    for (const auto& r : c) format(text, r);
                    return text;
                });
                if (!last) return;
                chunk.clear();
            }
            mine_.clear();
            for (const auto& r : chunk) format(mine_, r);
            if (elsewhere_.valid()) write(elsewhere_.get());
            write(mine_);
        }

        // Text formatted in one piece, after what the buffer holds.
        void write(const std::string& text) {
            flush(true);
            std::fwrite(text.data(), 1, text.size(), out_);
        }

        void flush(bool all) {
            if (buf_.size() >= (all ? 1 : 1u << 16)) {
                std::fwrite(buf_.data(), 1, buf_.size(), out_);
                buf_.clear();
            }
        }
        const run_options& opts_;
        std::FILE* out_;
        std::FILE* err_;
        std::string buf_;
        bool have_origin_ = false;
        instant origin_{};
        tracker track_;
        capture::counts total_{};
        bool failed_ = false;
        // finish() with two threads: the reports released and not yet formatted, and the chunk the
        // other thread is formatting (last: its destructor waits for it, before anything it reads goes).
        bool finishing_ = false;
        std::vector<connection_report> held_;
        std::string mine_;
        std::future<std::string> elsewhere_;
    } print(opts, out, err);
    capture::read_stream(captures, opts.verify_checksums, print, opts.threads);
    return print.finish(captures.size());
}

unsigned default_threads() noexcept { return std::thread::hardware_concurrency() >= 2 ? 2 : 1; }

}  // namespace tcprt::monitor
