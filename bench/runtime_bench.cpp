// Segments per second through the sans-I/O endpoint (classification, TCB update, machine dispatch,
// reply) on an established connection, against a baseline that only parses the same segments from
// memory. Figures and the command: docs/performance.md, section "Runtime".
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tcprt/endpoint.hpp"

namespace {

using namespace tcprt;

constexpr seq_t L = 1000, R = 5000;
constexpr std::uint32_t payload = 100;
constexpr std::size_t trace_len = 4096;

// A 20-byte TCP header in network order, as a NIC would hand it over.
struct wire_header {
    std::array<std::uint8_t, 20> b{};
};

wire_header encode(const segment& s) {
    wire_header h;
    auto put32 = [&](int at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) h.b[static_cast<std::size_t>(at + i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
    };
    put32(4, s.seq);
    put32(8, s.ack);
    h.b[12] = 5 << 4;
    h.b[13] = s.flags;
    h.b[14] = static_cast<std::uint8_t>(s.wnd >> 8);
    h.b[15] = static_cast<std::uint8_t>(s.wnd);
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
    return s;
}

endpoint established() {
    config c;
    c.iss = fixed_iss(L);
    c.rcv_buffer = 60000;
    endpoint ep(c);
    const instant now{};
    ep.open_active(now);
    ep.handle_segment(segment{R, L + 1, SYN | ACK, 60000, 0}, now);
    while (ep.poll_transmit()) {
    }
    return ep;
}

// In-order data segments (kind 0) or pure ACKs of our data (kind 1), rcv_nxt-relative.
struct trace {
    std::vector<wire_header> headers;
    std::vector<std::uint32_t> lens;
};

trace make_trace(int kind, seq_t rcv_nxt, seq_t snd_una) {
    trace t;
    for (std::size_t i = 0; i < trace_len; ++i) {
        const bool data = kind == 0;
        segment s{data ? static_cast<seq_t>(rcv_nxt + i * payload) : rcv_nxt,
                  data ? snd_una : static_cast<seq_t>(snd_una + i), ACK, 60000, data ? payload : 0};
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
    endpoint ep = established();
    const instant now{};
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
        const trace t = make_trace(kind, ep.tcb().rcv_nxt, ep.tcb().snd_una + (kind == 1 ? 1 : 0));
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
BENCHMARK(BM_Endpoint)->Arg(0)->Arg(1)->ArgName("pure_ack");

}  // namespace

BENCHMARK_MAIN();
