// Any bytes as a capture file: libpcap's reader, the link/IP/TCP decoder, the connection tracking
// and both output forms must never crash or trip a sanitizer, and every reported connection must be
// consistent: each end's transitions chain (each starts where the last ended) up to its final state.
// Seeds: the real captures in tests/captures/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/monitor.hpp"
#include "tcprt/monitor_output.hpp"

using namespace tcprt;

namespace {

void check(const monitor::connection_report& r) {
    state at[2] = {r.client_initial, r.server_initial};
    for (const auto& t : r.transitions) {
        state& s = at[t.side == monitor::role::client ? 0 : 1];
        if (t.from != s || t.from == t.to) std::abort();
        s = t.to;
    }
    if (at[0] != r.client_state || at[1] != r.server_state) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> copy(data, data + size);
    std::FILE* f = fmemopen(copy.data(), copy.size(), "rb");
    if (!f) return 0;
    std::string error;
    auto rd = capture::reader::open(f, size % 2 == 0, error);  // closes f whether it opens or not
    if (!rd) return 0;
    std::string out;
    monitor::tracker track({}, [&](monitor::connection_report&& r) {
        check(r);
        out.clear();
        monitor::append_text(out, r, instant{}, true);
        monitor::append_json(out, r, true);
    });
    capture::tcp_packet p;
    while (rd->next(p)) track.add(p);
    track.finish();
    return 0;
}
