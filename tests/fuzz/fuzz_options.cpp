// Any bytes as the options of a TCP header: the decoder must stay within them, never crash or trip a
// sanitizer, and agree with itself: the options it reports lie inside the input, end where the next
// begins, and well-formed ones re-encode to the very bytes they came from.
#include "tcprt/options.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::size_t expect_at = 0;
    const auto st = tcprt::visit_options(data, size, [&](const tcprt::option& o) {
        if (o.offset != expect_at || o.size == 0 || o.offset + o.size > size) std::abort();
        expect_at = o.offset + o.size;
        if (!o.valid) return;
        tcprt::option_bytes again;
        bool known = true;
        switch (o.kind) {
            case tcprt::opt_eol: again.eol(); break;
            case tcprt::opt_nop: again.nop(); break;
            case tcprt::opt_mss: again.mss(static_cast<std::uint16_t>(o.value)); break;
            case tcprt::opt_wscale: again.wscale(static_cast<std::uint8_t>(o.value)); break;
            case tcprt::opt_sack_permitted: again.sack_permitted(); break;
            case tcprt::opt_timestamps: again.timestamps(o.value, o.echo); break;
            default: known = false; break;
        }
        if (known && (again.size() != o.size || std::memcmp(again.data(), data + o.offset, o.size) != 0)) std::abort();
    });
    if (!st.ok() && st.offset >= size) std::abort();
    tcprt::option_values parsed;
    const auto st2 = tcprt::parse_options(data, size, parsed);
    if (st2.error != st.error || st2.offset != st.offset) std::abort();
    if (parsed.sack_count > tcprt::max_sack_blocks) std::abort();
    (void)tcprt::options_to_string(data, size);
    tcprt::option_bytes b;
    if (b.assign(data, size) != (size <= tcprt::max_option_bytes)) std::abort();
    return 0;
}
