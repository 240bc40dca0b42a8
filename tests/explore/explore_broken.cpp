// `tcpfsm explore` and `tcpfsm simulate --trace`, reduced to what the planted-bug test needs, linked
// against the endpoint built from broken_spec/tcp.fsm (tcpfsm itself also links the monitor, which
// brings the real endpoint along).
//   explore_broken SCENARIO TRACE_OUT   explore; write the first finding's trace; exit 1 if any
//   explore_broken --replay TRACE       the trace as a sequence chart
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tcprt/explore.hpp"

int main(int argc, char** argv) {
    using namespace tcprt;
    if (argc != 3) {
        std::cerr << "usage: explore_broken SCENARIO TRACE_OUT | explore_broken --replay TRACE\n";
        return 2;
    }
    const std::string first = argv[1];
    if (first == "--replay") {
        std::ifstream in(argv[2]);
        std::stringstream text;
        text << in.rdbuf();
        std::string error;
        const auto t = explore::parse_trace(text.str(), error);
        const auto r = t ? explore::replay(*t, error) : std::nullopt;
        if (!r) {
            std::cerr << argv[2] << ": error: " << error << "\n";
            return 2;
        }
        sim::scenario sc;
        sc.name = t->sc.name + " (trace)";
        std::cout << sim::render_text(sc, *r, false);
        return 0;
    }
    const auto r = explore::run(explore::find_scenarios(first), explore::bounds{});
    std::cout << explore::render_text(r, false);
    if (r.deadlocks.empty() && r.violations.empty()) return 0;
    std::ofstream out(argv[2]);
    out << explore::trace_json(!r.deadlocks.empty() ? r.deadlocks.front().path : r.violations.front().path) << "\n";
    return 1;
}
