// What run to completion costs (docs/performance.md, "Run to completion"): the generated TCP machine
// on one fixed trace of 19 events (active open, data, graceful close through TIME-WAIT, passive open,
// reset, open and abort, one unhandled event) with the default context, which has the event queue,
// against the same context declaring `no_event_queue`; and the queue at work, with events raised
// from an action. The context is tcp::scripted_context in all three (guards ask an oracle, actions
// append their names to a log), so the differences are the machine's.
#include "tcp_fsm.hpp"
#include "tcp_fsm_scripted.hpp"
#include "tcp_trace.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace {

// The answers that take the trace along the paths above (as bench/dispatch_bench.cpp).
bool oracle(std::string_view guard, tcp::state, tcp::event_id) {
    switch (guard[0]) {
        case 'a':
        case 'r': return guard.size() == 14;
        case 'f':
        case 'o': return true;
        default: return false;
    }
}

constexpr std::int64_t trace_length = 19;


// The default: events raised while one is processed are queued (none is, here).
void BM_queue(benchmark::State& st) {
    tcp::scripted_context ctx(oracle);
    ctx.log.reserve(1024);
    tcp::machine<tcp::scripted_context> m{ctx};
    m.start();
    for (auto _ : st) {
        run_trace(m);
        ctx.log.clear();
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(st.iterations() * trace_length);
}
BENCHMARK(BM_queue);

// A context that opts out: no queue, a raised event would be an error.
struct unqueued_context : tcp::scripted_context {
    using tcp::scripted_context::scripted_context;
    using no_event_queue = int;
};

void BM_no_queue(benchmark::State& st) {
    unqueued_context ctx(oracle);
    ctx.log.reserve(1024);
    tcp::machine<unqueued_context> m{ctx};
    m.start();
    for (auto _ : st) {
        run_trace(m);
        ctx.log.clear();
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(st.iterations() * trace_length);
}
BENCHMARK(BM_no_queue);

// The queue at work: each `open_active` of the trace (two) raises `send` from its action `send_syn`;
// the machine queues it and processes it in SYN-SENT once the transition completed (queue_data).
void BM_queue_raising(benchmark::State& st) {
    tcp::scripted_context ctx(oracle);
    ctx.log.reserve(1024);
    tcp::machine<tcp::scripted_context> m{ctx};
    ctx.on_action = [&m](std::string_view action) {
        if (action == "send_syn") m.process_event(tcp::event::send{});
    };
    m.start();
    for (auto _ : st) {
        run_trace(m);
        ctx.log.clear();
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(st.iterations() * (trace_length + 2));
}
BENCHMARK(BM_queue_raising);

}  // namespace

BENCHMARK_MAIN();
