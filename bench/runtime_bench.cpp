// Segments per second through the sans-I/O endpoint (classification, TCB update, machine dispatch,
// reply) on an established connection, against a baseline that only parses the same segments from
// memory; with timestamps on every segment (options:1) against none (options:0), in the same run;
// and packetdrill scripts replayed per second (tcpfsm replay over tests/packetdrill).
// Figures and the command: docs/performance.md, sections "Runtime" and "Replay".
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tcprt/endpoint.hpp"
#include "tcprt/replay.hpp"

namespace {

using namespace tcprt;

constexpr seq_t L = 1000, R = 5000;
constexpr std::uint32_t payload = 100;
constexpr std::size_t trace_len = 4096;

// A TCP header in network order, as a NIC would hand it over: 20 bytes, plus 12 of options
// (<nop,nop,TS val ecr>) when the data offset says 8 words.
struct wire_header {
    std::array<std::uint8_t, 32> b{};
};

wire_header encode(const segment& s) {
    wire_header h;
    auto put32 = [&](int at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) h.b[static_cast<std::size_t>(at + i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
    };
    put32(4, s.seq);
    put32(8, s.ack);
    h.b[12] = static_cast<std::uint8_t>((5 + s.opts.size() / 4) << 4);
    h.b[13] = s.flags;
    h.b[14] = static_cast<std::uint8_t>(s.wnd >> 8);
    h.b[15] = static_cast<std::uint8_t>(s.wnd);
    std::copy(s.opts.data(), s.opts.data() + s.opts.size(), h.b.begin() + 20);
    return h;
}

inline std::uint32_t get32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// The payload length comes from the IP layer; the trace stores it beside the header.
inline segment parse(const wire_header& h, std::uint32_t len) {
    segment s;
    s.seq = get32(&h.b[4]);
    s.ack = get32(&h.b[8]);
    s.flags = h.b[13] & 0x3F;
    s.wnd = std::uint32_t{h.b[14]} << 8 | h.b[15];
    s.len = len;
    const std::size_t opt_len = std::size_t{(h.b[12] >> 4) - 5u} * 4;
    if (opt_len > 0) s.opts.assign(&h.b[20], std::min<std::size_t>(opt_len, 12));
    return s;
}

// options: 0 = none negotiated (the peer's SYN-ACK has none), 1 = timestamps on both sides (the
// linux profile; every segment then carries <nop,nop,TS val ecr> both ways, and PAWS checks it).
endpoint established(bool timestamps) {
    config c;
    c.iss = fixed_iss(L);
    c.rcv_buffer = 60000;
    if (timestamps) apply_profiles("linux", c.prof);
    endpoint ep(c);
    const instant now{};
    ep.open_active(now);
    segment synack{R, L + 1, SYN | ACK, 60000, 0};
    if (timestamps) {
        synack.opts.mss(1460);
        synack.opts.nop();
        synack.opts.nop();
        synack.opts.timestamps(1, 0);
    }
    ep.handle_segment(synack, now);
    while (ep.poll_transmit()) {
    }
    return ep;
}

// In-order data segments (kind 0) or pure ACKs of our data (kind 1), rcv_nxt-relative.
struct trace {
    std::vector<wire_header> headers;
    std::vector<std::uint32_t> lens;
};

trace make_trace(int kind, seq_t rcv_nxt, seq_t snd_una, bool timestamps = false, std::uint32_t ts_base = 2) {
    trace t;
    for (std::size_t i = 0; i < trace_len; ++i) {
        const bool data = kind == 0;
        segment s{data ? static_cast<seq_t>(rcv_nxt + i * payload) : rcv_nxt,
                  data ? snd_una : static_cast<seq_t>(snd_una + i), ACK, 60000, data ? payload : 0};
        if (timestamps) {
            s.opts.nop();
            s.opts.nop();
            s.opts.timestamps(ts_base + static_cast<std::uint32_t>(i), 0);
        }
        t.headers.push_back(encode(s));
        t.lens.push_back(s.len);
    }
    return t;
}

void BM_ParseOnly(benchmark::State& st) {
    const trace t = make_trace(static_cast<int>(st.range(0)), R + 1, L + 1);
    std::uint64_t sum = 0;
    for (auto _ : st) {
        for (std::size_t i = 0; i < trace_len; ++i) {
            const segment s = parse(t.headers[i], t.lens[i]);
            sum += s.seq ^ s.ack ^ s.len;
        }
        benchmark::DoNotOptimize(sum);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_len));
}
BENCHMARK(BM_ParseOnly)->Arg(0)->Arg(1)->ArgName("pure_ack");

void BM_Endpoint(benchmark::State& st) {
    const int kind = static_cast<int>(st.range(0));
    const bool timestamps = st.range(1) != 0;
    endpoint ep = established(timestamps);
    const instant now{};
    std::uint32_t ts = 2;
    for (auto _ : st) {
        st.PauseTiming();
        // Fresh numbers for this pass: data continues at RCV.NXT; pure ACKs acknowledge data we
        // queue now (one ACK per byte of flight).
        ep.receive(trace_len * payload, now);  // the application reads everything
        if (kind == 1) {
            ep.send(trace_len, now);
            while (ep.poll_transmit()) {
            }
        }
        const trace t = make_trace(kind, ep.tcb().rcv_nxt, ep.tcb().snd_una + (kind == 1 ? 1 : 0), timestamps, ts);
        ts += trace_len;  // TSvals keep growing, so PAWS lets every segment through
        st.ResumeTiming();
        for (std::size_t i = 0; i < trace_len; ++i) {
            ep.handle_segment(parse(t.headers[i], t.lens[i]), now);
            // Drain what the segment produced: the ACK of data (and the delivered-data notice).
            while (auto s = ep.poll_transmit()) benchmark::DoNotOptimize(*s);
            while (auto n = ep.poll_notice()) benchmark::DoNotOptimize(*n);
        }
    }
    if (ep.current_state() != state::ESTABLISHED) st.SkipWithError("left ESTABLISHED");
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_len));
    const auto f = endpoint::memory_footprint();
    st.counters["tcb_bytes"] = static_cast<double>(f.tcb);
    st.counters["machine_bytes"] = static_cast<double>(f.machine);
    st.counters["endpoint_bytes"] = static_cast<double>(f.total);
}
BENCHMARK(BM_Endpoint)->ArgsProduct({{0, 1}, {0, 1}})->ArgNames({"pure_ack", "options"});

// Scripts per second through `tcpfsm replay`'s engine: every script of tests/packetdrill/rfc9293
// (handshakes, closes, retransmissions, zero window...) read from memory, parsed and replayed.
void BM_ReplayScripts(benchmark::State& st) {
    std::vector<std::pair<std::string, std::string>> scripts;
    for (const char* name : {"close-active", "close-passive", "handshake-active", "handshake-passive", "old-syn-trimmed",
                             "retransmission-data", "retransmission-syn", "simultaneous-close",
                             "simultaneous-open-syn-data", "simultaneous-open", "zero-window"}) {
        const std::string path = std::string(FSMGEN_SOURCE_DIR) + "/tests/packetdrill/rfc9293/" + name + ".pkt";
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        scripts.emplace_back(path, text.str());
    }
    replay::settings s;
    std::uint64_t segments = 0;
    for (auto _ : st) {
        for (const auto& [path, text] : scripts) {
            const auto o = replay::run(path, text, s);
            if (o.result != replay::verdict::pass) st.SkipWithError(("script failed: " + path).c_str());
            segments += o.segments;
        }
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * scripts.size()));
    st.counters["segments_per_script"] = static_cast<double>(segments) / static_cast<double>(st.iterations() * scripts.size());
}
BENCHMARK(BM_ReplayScripts);

// The state x segment matrix (tests/packetdrill/matrix/rfc9293, 396 generated scripts): short scripts
// that reach a state, send one segment and check what goes out and the state after.
void BM_ReplayMatrix(benchmark::State& st) {
    std::vector<std::pair<std::string, std::string>> scripts;
    const std::filesystem::path dir = std::filesystem::path(FSMGEN_SOURCE_DIR) / "tests/packetdrill/matrix/rfc9293";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".pkt") continue;
        std::ifstream in(entry.path());
        std::ostringstream text;
        text << in.rdbuf();
        scripts.emplace_back(entry.path().string(), text.str());
    }
    replay::settings s;
    for (auto _ : st) {
        for (const auto& [path, text] : scripts) {
            const auto o = replay::run(path, text, s);
            if (o.result != replay::verdict::pass) st.SkipWithError(("script failed: " + path).c_str());
        }
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * scripts.size()));
    st.counters["scripts"] = static_cast<double>(scripts.size());
}
BENCHMARK(BM_ReplayMatrix)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
