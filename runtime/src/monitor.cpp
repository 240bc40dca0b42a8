// The connection table of tcpfsm monitor: which connection a segment belongs to, which end sent it,
// when a connection ends, and its Zeek-style summary. What a segment means for an end is the
// observed_end's business (observer.cpp); this file only routes segments to the two ends.
#include "tcprt/monitor.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <vector>

#include "tcprt/options.hpp"

namespace tcprt::monitor {

std::string_view name(role r) noexcept { return r == role::client ? "client" : "server"; }

std::string_view name(release_reason r) noexcept {
    switch (r) {
        case release_reason::closed: return "closed";
        case release_reason::time_wait_over: return "time_wait_over";
        case release_reason::idle: return "idle";
        case release_reason::reused: return "reused";
        case release_reason::end_of_input: return "end_of_input";
    }
    return {};
}

std::string conn_name(const connection_report& r) {
    return capture::to_string(r.client) + "-" + capture::to_string(r.server);
}

namespace {

// The 4-tuple with its two ends in a fixed order, so that both directions find the same entry.
struct flow_key {
    capture::end_point lo, hi;
    friend bool operator==(const flow_key& a, const flow_key& b) noexcept { return a.lo == b.lo && a.hi == b.hi; }
};

// The addresses' bytes in order, then the port (the order --shard's hash depends on), compared a
// word at a time: this runs for every segment.
std::uint64_t big_endian_word(const std::uint8_t* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}
bool less(const capture::end_point& a, const capture::end_point& b) noexcept {
    if (a.addr.v6 != b.addr.v6) return a.addr.v6 < b.addr.v6;
    for (std::size_t at : {0, 8}) {
        const std::uint64_t x = big_endian_word(a.addr.bytes.data() + at), y = big_endian_word(b.addr.bytes.data() + at);
        if (x != y) return x < y;
    }
    return a.port < b.port;
}

flow_key key_of(const capture::end_point& a, const capture::end_point& b) noexcept {
    return less(a, b) ? flow_key{a, b} : flow_key{b, a};
}

// FNV-1a over the ordered 4-tuple: cheap, and the same on every machine (--shard splits must agree).
std::uint32_t hash_key(const flow_key& k) noexcept {
    std::uint32_t h = 2166136261u;
    auto mix = [&h](const capture::end_point& e) {
        const std::size_t n = e.addr.v6 ? 16 : 4;
        for (std::size_t i = 0; i < n; ++i) h = (h ^ e.addr.bytes[i]) * 16777619u;
        h = (h ^ (e.port >> 8)) * 16777619u;
        h = (h ^ (e.port & 0xFF)) * 16777619u;
    };
    mix(k.lo);
    mix(k.hi);
    return h;
}

// The table's hash: a multiply-xorshift mix of the 4-tuple's words, several times cheaper than the
// byte-wise FNV that --shard needs to be stable.
std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
    h ^= v * 0x9E3779B97F4A7C15ull;
    return (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull;
}
std::uint64_t words(const capture::end_point& e) noexcept {
    std::uint64_t a, b;
    std::memcpy(&a, e.addr.bytes.data(), 8);
    std::memcpy(&b, e.addr.bytes.data() + 8, 8);
    return a ^ (b * 31) ^ (std::uint64_t{e.port} << 48);
}
std::uint64_t table_hash(const flow_key& k) noexcept {
    const std::uint64_t h = mix(mix(0, words(k.lo)), words(k.hi));
    return h ^ (h >> 32);
}

constexpr int C = 0, S = 1;  // indices of client and server
constexpr std::size_t max_listed_anomalies = 64;  // per connection; all are counted

// Zeek's conn_state words from what each end was seen to send (docs/runtime.md has the table).
std::string_view zeek_conn_state(bool syn, bool syn_ack, const bool fin[2], const bool rst[2]) {
    if (rst[S]) {
        if (syn && !syn_ack) return "REJ";
        if (!syn && syn_ack) return "RSTRH";
        return "RSTR";
    }
    if (rst[C]) {
        if (syn && !syn_ack) return "RSTOS0";
        if (!syn && !syn_ack) return "OTH";
        return "RSTO";
    }
    if (fin[C] && fin[S]) return "SF";
    if (fin[C]) return syn && !syn_ack ? "SH" : "S2";
    if (fin[S]) return !syn && syn_ack ? "SHR" : "S3";
    if (syn && !syn_ack) return "S0";
    if (syn && syn_ack) return "S1";
    return "OTH";
}

enum class list_id : std::uint8_t { active, time_wait, closed };

}  // namespace

struct connection;

// The links of a connection in a queue threaded through the connections themselves: moving one to
// the back happens on every segment, and allocates nothing (a std::list would).
struct queue_link {
    connection* prev = nullptr;
    connection* next = nullptr;
    bool queued = false;
};

template <queue_link connection::*Link>
class intrusive_queue {
public:
    bool empty() const noexcept { return head_ == nullptr; }
    connection* front() const noexcept { return head_; }
    void push_back(connection* c) noexcept {
        queue_link& l = c->*Link;
        l.prev = tail_;
        l.next = nullptr;
        l.queued = true;
        if (tail_)
            (tail_->*Link).next = c;
        else
            head_ = c;
        tail_ = c;
    }
    void remove(connection* c) noexcept {
        queue_link& l = c->*Link;
        if (!l.queued) return;
        if (l.prev) (l.prev->*Link).next = l.next; else head_ = l.next;
        if (l.next) (l.next->*Link).prev = l.prev; else tail_ = l.prev;
        l = queue_link{};
    }
    void move_to_back(connection* c) noexcept {
        if (tail_ == c) return;
        remove(c);
        push_back(c);
    }

private:
    connection* head_ = nullptr;
    connection* tail_ = nullptr;
};

struct connection {
    flow_key key;
    observed_end end[2];
    connection_report report;
    // The server has not answered yet: whether it listens (SYN-ACK) or not (RST) is still open, so
    // the client's SYN waits here until its answer says which.
    bool server_waiting = false;
    segment waiting_syn{};
    instant waiting_since{};
    bool have_waiting_syn = false;
    // The last segment captured, on its way to its receiver: delivered when the next segment of the
    // connection shows whether the receiver had it (see segment_of), or max_in_flight after capture.
    bool has_in_flight = false;
    int in_flight_to = 0;
    segment in_flight{};
    instant in_flight_since{};
    // What each end was seen to send (for the summary) and the shift its SYN announced.
    bool sent_syn[2] = {false, false};
    seq_t syn_seq[2] = {0, 0};
    bool syn_ack_seen = false;
    bool fin[2] = {false, false};
    bool rst[2] = {false, false};
    int wscale[2] = {-1, -1};
    instant last_change[2]{};
    // Where it is kept for expiry: in one of the lists by list_id, and in the in-flight queue while
    // a segment is on its way.
    list_id list = list_id::active;
    queue_link life, flight;
    instant deadline{};  // time_wait list: when TIME-WAIT ends
    std::uint64_t hash = 0;  // of key, for the index
    // The first state changes wait here, in the connection's own memory, and go to the report's
    // vector when it is released: a vector per held connection was 12 MB of separately allocated,
    // page-faulted memory on the benchmark's capture. A whole connection has about 12.
    static constexpr std::size_t inline_transitions = 14;
    std::array<transition, inline_transitions> first_transitions;
    std::uint8_t first_count = 0;

    connection(const options& o) : end{observed_end(o.prof, o.msl), observed_end(o.prof, o.msl)} {}
};

// Where connections live: slots in 8 MiB blocks aligned to 2 MiB, which the kernel may back with huge
// pages (madvise; "madvise" is Linux's default mode for transparent huge pages). A capture holds
// tens of thousands of connections (TIME-WAIT outlives most captures), and each fresh 4 KiB page of
// them was a page fault: a sixth of the monitor's time on a virtual machine. Released slots are
// reused; a block is only touched as far as it is handed out. Under AddressSanitizer they come from
// new and delete, so that a use after release is still found.
#if defined(__SANITIZE_ADDRESS__)
#define TCPRT_PLAIN_CONNECTIONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCPRT_PLAIN_CONNECTIONS 1
#endif
#endif

#ifdef TCPRT_PLAIN_CONNECTIONS
class connection_pool {
public:
    connection* make(const options& o) { return new connection(o); }
    void destroy(connection* c) noexcept { delete c; }
};
#else
class connection_pool {
public:
    connection_pool() = default;
    connection_pool(const connection_pool&) = delete;
    connection_pool& operator=(const connection_pool&) = delete;
    ~connection_pool() {
        for (const auto& b : blocks_) munmap(b.first, b.second);
    }

    connection* make(const options& o) {
        slot* s = free_;
        if (s) {
            free_ = s->next;
        } else {
            if (next_ == end_) grow();
            s = next_++;
        }
        return new (s->bytes) connection(o);
    }

    void destroy(connection* c) noexcept {
        c->~connection();
        slot* s = new (c) slot;
        s->next = free_;
        free_ = s;
    }

private:
    union slot {
        slot* next;
        alignas(connection) unsigned char bytes[sizeof(connection)];
    };
    static constexpr std::size_t huge_page = std::size_t{2} << 20, block = std::size_t{8} << 20;

    void grow() {
        const std::size_t size = block + huge_page;  // room to align the block to a huge page
        void* raw = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) throw std::bad_alloc();
        blocks_.emplace_back(raw, size);
        const auto at = (reinterpret_cast<std::uintptr_t>(raw) + huge_page - 1) & ~(huge_page - 1);
        void* base = reinterpret_cast<void*>(at);
#ifdef MADV_HUGEPAGE
        madvise(base, block, MADV_HUGEPAGE);  // advice: without huge pages it is only slower
#endif
        next_ = static_cast<slot*>(base);
        end_ = next_ + block / sizeof(slot);
    }

    std::vector<std::pair<void*, std::size_t>> blocks_;
    slot* free_ = nullptr;
    slot* next_ = nullptr;
    slot* end_ = nullptr;
};
#endif

// Connections by 4-tuple: open addressing with linear probing over 16-byte slots (the hash and the
// connection), so that a lookup reads one slot line and then the connection it needs anyway; a
// std::unordered_map of whole connections read a bucket, then a node of several hundred bytes.
// Erasing shifts the following slots back (no tombstones), so lookups never slow down over time.
class connection_index {
public:
    connection_index() : slots_(1024) {}

    connection* find(const flow_key& k, std::uint64_t h) const noexcept {
        for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
            const slot& s = slots_[i];
            if (!s.conn) return nullptr;
            if (s.hash == h && s.conn->key == k) return s.conn;
        }
    }

    void insert(connection* c, std::uint64_t h) {
        if (2 * (count_ + 1) > slots_.size()) grow();
        place(c, h);
        ++count_;
    }

    void erase(const connection* c, std::uint64_t h) noexcept {
        std::size_t i = h & mask();
        while (slots_[i].conn != c) i = (i + 1) & mask();
        slots_[i] = slot{};
        --count_;
        // Move back every following slot that would otherwise no longer be found from its home.
        for (std::size_t j = (i + 1) & mask(); slots_[j].conn; j = (j + 1) & mask()) {
            const std::size_t home = slots_[j].hash & mask();
            const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (stays) continue;
            slots_[i] = slots_[j];
            slots_[j] = slot{};
            i = j;
        }
    }

    std::size_t size() const noexcept { return count_; }
    template <class F>
    void for_each(F&& f) const {
        for (const slot& s : slots_)
            if (s.conn) f(s.conn);
    }

private:
    struct slot {
        std::uint64_t hash = 0;
        connection* conn = nullptr;
    };
    std::size_t mask() const noexcept { return slots_.size() - 1; }
    void place(connection* c, std::uint64_t h) noexcept {
        std::size_t i = h & mask();
        while (slots_[i].conn) i = (i + 1) & mask();
        slots_[i] = {h, c};
    }
    void grow() {
        std::vector<slot> old(slots_.size() * 2);
        old.swap(slots_);
        for (const slot& s : old)
            if (s.conn) place(s.conn, s.hash);
    }
    std::vector<slot> slots_;
    std::size_t count_ = 0;
};

struct tracker::impl {
    options opts;
    sink on_release;
    tracker_stats st{};
    connection_pool pool;    // declared before the table, so that it goes after it
    connection_index table;  // owns the connections
    connection* last_ = nullptr;  // the connection of the last segment
    using life_queue = intrusive_queue<&connection::life>;
    life_queue lists[3];  // by list_id: each in the order its entries expire
    intrusive_queue<&connection::flight> in_flight;  // connections with a segment in flight, oldest first

    impl(options o, sink s) : opts(o), on_release(std::move(s)) {}
    ~impl() {
        table.for_each([this](connection* c) { pool.destroy(c); });
    }
    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;

    life_queue& list_of(list_id id) { return lists[static_cast<int>(id)]; }

    // ---- recording what the ends did ----------------------------------------------------------

    // Two outcomes a segment, nearly all of them rows that change no state (from == to) and no
    // anomaly: the loop that skips them is all that runs inline; a state change and anomalies are
    // recorded out of line.
    void record(connection& c, int who, const observed_end::outcome& o, instant t, const segment* seg, int sender) {
        for (std::uint8_t i = 0; i < o.count; ++i)
            if (o.rows[i].from != o.rows[i].to) record_change(c, who, o.rows[i], t);
        if (o.anomalies != 0 && seg) record_anomalies(c, who, o, t, *seg, sender);
    }

    [[gnu::noinline]] void record_change(connection& c, int who, const observed_end::outcome::row& r, instant t) {
        // Each end's times never go back, even where the capture's do, so that sorting by time
        // (below, for the server's rows dated back to the SYN it answered) keeps each end's order.
        const instant at = std::max(t, c.last_change[who]);
        c.last_change[who] = at;
        const transition tr{at, r.event(), static_cast<role>(who), r.from, r.to};
        if (c.first_count < connection::inline_transitions)
            c.first_transitions[c.first_count++] = tr;
        else
            c.report.transitions.push_back(tr);
    }

    [[gnu::noinline]] void record_anomalies(connection& c, int who, const observed_end::outcome& o, instant t,
                                            const segment& seg, int sender) {
        for (std::size_t k = 0; k < anomaly_count; ++k) {
            const auto a = static_cast<anomaly>(k);
            if (!o.has(a)) continue;
            ++c.report.anomaly_counts[k];
            if (c.report.anomalies.size() < max_listed_anomalies)
                c.report.anomalies.push_back({t, static_cast<role>(who), static_cast<role>(sender), a, seg});
        }
    }

    void sent(connection& c, int who, const segment& s, instant t) {
        record(c, who, c.end[who].sent(s, t), t, &s, who);
    }
    void received(connection& c, int who, const segment& s, instant t) {
        record(c, who, c.end[who].received(s, t), t, &s, 1 - who);
    }

    // ---- connection lifetime ----------------------------------------------------------------------

    connection& start(const flow_key& k, const capture::end_point& client, const capture::end_point& server, instant t) {
        connection* made = pool.make(opts);
        connection& c = *made;
        c.key = k;
        c.hash = table_hash(k);
        table.insert(made, c.hash);
        c.report.client = client;
        c.report.server = server;
        c.report.first = c.report.last = t;
        c.list = list_id::active;
        list_of(list_id::active).push_back(&c);
        ++st.connections;
        st.live = table.size();
        st.peak_live = std::max(st.peak_live, st.live);
        return c;
    }

    void deliver(connection& c) {
        if (!c.has_in_flight) return;
        c.has_in_flight = false;
        in_flight.remove(&c);
        received(c, c.in_flight_to, c.in_flight, c.in_flight_since);
    }

    void release(connection& c, release_reason why) {
        deliver(c);
        connection_report& r = c.report;
        r.reason = why;
        r.client_state = c.end[C].current_state();
        r.server_state = c.end[S].current_state();
        r.bytes[C] = c.end[C].bytes_sent();
        r.bytes[S] = c.end[S].bytes_sent();
        r.conn_state = zeek_conn_state(c.sent_syn[C], c.syn_ack_seen, c.fin, c.rst);
        r.transitions.insert(r.transitions.begin(), c.first_transitions.begin(),
                             c.first_transitions.begin() + c.first_count);
        // The server's rows for a SYN that waited for its answer carry the SYN's time.
        std::stable_sort(r.transitions.begin(), r.transitions.end(),
                         [](const transition& a, const transition& b) { return a.time < b.time; });
        list_of(c.list).remove(&c);
        in_flight.remove(&c);
        connection_report out = std::move(r);
        if (last_ == &c) last_ = nullptr;
        table.erase(&c, c.hash);
        pool.destroy(&c);
        st.live = table.size();
        if (on_release) on_release(std::move(out));
    }

    // Which list the connection belongs in now, and its place at the back of it.
    void file(connection& c) {
        const state a = c.end[C].current_state(), b = c.end[S].current_state();
        list_id id = list_id::active;
        instant deadline{};
        if (a == state::CLOSED && b == state::CLOSED && !c.server_waiting) {
            id = list_id::closed;
        } else {
            for (const auto& e : c.end)
                if (auto d = e.time_wait_deadline()) {
                    id = list_id::time_wait;
                    deadline = std::max(deadline, *d);
                }
        }
        if (id == list_id::time_wait && c.list == id && c.deadline == deadline) return;  // keeps its place
        if (id == c.list) {
            list_of(id).move_to_back(&c);
        } else {
            list_of(c.list).remove(&c);
            list_of(id).push_back(&c);
        }
        c.list = id;
        c.deadline = deadline;
    }

    // Releases what expired by now: TIME-WAIT run out, closed connections past their linger, idle ones.
    void expire(instant now) {
        while (!in_flight.empty() && in_flight.front()->in_flight_since + opts.max_in_flight <= now) {
            connection& c = *in_flight.front();
            deliver(c);
            file(c);
        }
        auto& tw = list_of(list_id::time_wait);
        while (!tw.empty() && tw.front()->deadline <= now) {
            connection& c = *tw.front();
            deliver(c);
            for (int who : {C, S}) {
                if (auto d = c.end[who].time_wait_deadline(); d && *d <= now)
                    record(c, who, c.end[who].advance(now), *d, nullptr, who);
            }
            if (c.end[C].current_state() == state::CLOSED && c.end[S].current_state() == state::CLOSED)
                release(c, release_reason::time_wait_over);
            else
                file(c);
        }
        auto& closed = list_of(list_id::closed);
        while (!closed.empty() && closed.front()->report.last + opts.linger <= now)
            release(*closed.front(), release_reason::closed);
        auto& active = list_of(list_id::active);
        while (!active.empty() && active.front()->report.last + opts.idle_timeout <= now)
            release(*active.front(), release_reason::idle);
    }

    // ---- segments -----------------------------------------------------------------------------------

    void note_syn_options(connection& c, int who, const capture::tcp_packet& p) {
        tcprt::option_values o;
        parse_options(p.options.data(), p.options_len, o);
        c.wscale[who] = o.has_wscale ? std::min<int>(o.wscale, max_wscale) : -1;
        // RFC 7323 section 2.2: scaling applies only when both SYNs offered it.
        if (c.sent_syn[C] && c.syn_ack_seen) {
            const bool on = c.wscale[C] >= 0 && c.wscale[S] >= 0;
            const auto own = [&](int w) { return static_cast<std::uint8_t>(on ? c.wscale[w] : 0); };
            c.end[C].set_window_shifts(own(C), own(S));
            c.end[S].set_window_shifts(own(S), own(C));
        }
    }

    // A connection whose first segments were not captured: made up from the first one seen, so that
    // both ends start from a state that can explain it. Nothing made up is reported.
    void pick_up(connection& c, int sender, const segment& s, instant t) {
        ++st.mid_stream;
        c.report.start_seen = false;
        for (auto& e : c.end) e.set_window_shifts(max_wscale, max_wscale);  // unknown: the largest
        const seq_t iss_client = sender == C ? s.seq - 1 : s.ack - 1;
        const seq_t iss_server = sender == C ? s.ack - 1 : s.seq - (s.has(SYN) ? 0 : 1);
        const segment syn{iss_client, 0, SYN, 0xFFFF, 0};
        const segment syn_ack{iss_server, iss_client + 1, SYN | ACK, 0xFFFF, 0};
        const segment ack{iss_client + 1, iss_server + 1, ACK, 0xFFFF, 0};
        c.end[C].sent(syn, t);
        c.end[S].open_passive(t);
        c.end[S].expect_iss(iss_server);
        c.end[S].received(syn, t);
        c.end[S].sent(syn_ack, t);
        if (s.has(SYN) && s.has(ACK)) return;  // the SYN-ACK itself follows: SYN-SENT and SYN-RECEIVED
        c.end[C].received(syn_ack, t);
        c.end[C].sent(ack, t);
        c.end[S].received(ack, t);
        for (auto& e : c.end) e.forget_window();
    }

    // The server answers for the first time: the SYN that waited reaches it, in the state the
    // answer shows (listening for a SYN-ACK, closed for a RST). True for a SYN: a simultaneous open,
    // where the server's SYN crossed the client's, which then reaches it after it sent its own.
    bool server_answers(connection& c, const segment& s, instant t) {
        c.server_waiting = false;
        if (!c.have_waiting_syn) return false;
        const segment& syn = c.waiting_syn;
        const instant when = c.waiting_since;
        if (s.has(SYN) && !s.has(ACK)) return true;
        c.have_waiting_syn = false;
        if (s.has(RST)) {
            received(c, S, syn, when);
            return false;
        }
        record(c, S, c.end[S].open_passive(when), when, nullptr, S);
        c.end[S].expect_iss(s.has(SYN) ? s.seq : s.seq - 1);
        received(c, S, syn, when);
        if (!s.has(SYN)) {
            // The SYN-ACK was not captured; the server's next segment shows that it went out.
            const segment syn_ack{s.seq - 1, syn.seq + 1, SYN | ACK, 0xFFFF, 0};
            sent(c, S, syn_ack, t);
            received(c, C, syn_ack, t);
            c.syn_ack_seen = true;
        }
        return false;
    }

    void add(const capture::tcp_packet& p) {
        ++st.segments;
        const flow_key k = key_of(p.src, p.dst);
        if (opts.shard_count > 1 && hash_key(k) % opts.shard_count != opts.shard_index) {
            ++st.other_shard;
            return;
        }
        const instant t = p.time;
        expire(t);
        const segment& s = p.seg;
        const bool bare_syn = s.has(SYN) && !s.has(ACK) && !s.has(RST);

        // Segments often come in runs of one connection: the last one is tried first.
        connection* c = last_ && last_->key == k ? last_ : nullptr;
        if (!c) c = table.find(k, table_hash(k));
        if (c && bare_syn) {
            const int who = p.src == c->report.client ? C : S;
            const bool again = c->sent_syn[who] && c->syn_seq[who] == s.seq;
            const bool crossing = who == S && c->server_waiting;
            if (!again && !crossing) {
                release(*c, release_reason::reused);
                c = nullptr;
            }
        }
        if (!c) {
            if (bare_syn) {
                c = &start(k, p.src, p.dst, t);
                c->report.start_seen = true;
                c->server_waiting = true;
            } else if (s.has(SYN) && s.has(ACK)) {
                c = &start(k, p.dst, p.src, t);  // the receiver of a SYN-ACK is the client
                pick_up(*c, S, s, t);
            } else {
                c = &start(k, p.src, p.dst, t);  // otherwise the sender of the first segment seen
                pick_up(*c, C, s, t);
            }
            c->report.client_initial = c->end[C].current_state();
            c->report.server_initial = c->end[S].current_state();
        }
        last_ = c;
        segment_of(*c, p);
        file(*c);
    }

    void segment_of(connection& c, const capture::tcp_packet& p) {
        const segment& s = p.seg;
        const instant t = p.time;
        const int who = p.src == c.report.client ? C : S;
        const int peer = 1 - who;
        c.report.last = t;
        ++c.report.segments[who];
        if (s.has(SYN)) {
            if (!s.has(ACK) && !c.sent_syn[who]) {
                c.sent_syn[who] = true;
                c.syn_seq[who] = s.seq;
            }
            if (s.has(ACK) && who == S) c.syn_ack_seen = true;
            note_syn_options(c, who, p);
        }
        if (s.has(FIN)) c.fin[who] = true;
        if (s.has(RST)) c.rst[who] = true;

        // The segment in flight towards this sender: if this segment's ACK does not cover it, the
        // sender had not taken it yet (the two crossed, as in a simultaneous close), so it arrives
        // after this one is sent; otherwise it arrived first.
        bool crossed = false;
        if (c.has_in_flight) {
            const segment& f = c.in_flight;
            crossed = c.in_flight_to == who && f.seg_len() > 0 && s.has(ACK) &&
                      seq_lt(s.ack, static_cast<seq_t>(f.seq + f.seg_len()));
            if (!crossed) deliver(c);
        }
        const bool crossing_syn = who == S && c.server_waiting && server_answers(c, s, t);
        sent(c, who, s, t);
        if (crossing_syn) {
            c.have_waiting_syn = false;
            received(c, S, c.waiting_syn, t);
        }
        if (crossed) {
            c.has_in_flight = false;
            received(c, who, c.in_flight, t);
        }
        if (peer == S && c.server_waiting) {
            // Until the server answers, what reaches it waits: only the first SYN matters.
            if (s.has(SYN) && !s.has(ACK) && !c.have_waiting_syn) {
                c.waiting_syn = s;
                c.waiting_since = t;
                c.have_waiting_syn = true;
            }
            return;
        }
        c.has_in_flight = true;
        c.in_flight_to = peer;
        c.in_flight = s;
        c.in_flight_since = t;
        in_flight.move_to_back(&c);
    }

    // In the order the connections began, so that the output does not depend on the hash table.
    void finish() {
        std::vector<connection*> left;
        left.reserve(table.size());
        table.for_each([&left](connection* c) { left.push_back(c); });
        std::sort(left.begin(), left.end(), [](const connection* a, const connection* b) {
            if (a->report.first != b->report.first) return a->report.first < b->report.first;
            return less(a->report.client, b->report.client) ||
                   (a->report.client == b->report.client && less(a->report.server, b->report.server));
        });
        for (connection* c : left) release(*c, release_reason::end_of_input);
    }
};

std::uint32_t flow_hash(const capture::end_point& a, const capture::end_point& b) noexcept {
    return hash_key(key_of(a, b));
}

tracker::tracker(options opts, sink on_release) : impl_(std::make_unique<impl>(opts, std::move(on_release))) {}
tracker::~tracker() = default;
void tracker::add(const capture::tcp_packet& p) { impl_->add(p); }
void tracker::finish() { impl_->finish(); }
const tracker_stats& tracker::stats() const noexcept { return impl_->st; }

}  // namespace tcprt::monitor
