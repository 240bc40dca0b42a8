// A damaged copy of a capture, the same for the same seed, for tests/monitor_output_test.sh: the
// first records left out (connections picked up mid-stream), and then, record by record, some
// dropped (segments the monitor never sees), cut short (truncated headers, unverifiable checksums),
// hit by a flipped bit (bad checksums, malformed headers, segments no state explains), sent twice
// (retransmissions) or swapped with the next one (reordering, time going back).
//
//   monitor_capture_damage IN.pcap OUT.pcap [SEED]
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "tcprt/packet_builder.hpp"

namespace {

// xorshift64*: the same numbers on every platform (the standard distributions are not).
struct rng {
    std::uint64_t s;
    std::uint64_t next() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return s * 0x2545F4914F6CDD1Dull;
    }
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
};

struct record {
    tcprt::instant time;
    std::vector<std::uint8_t> data;  // the bytes captured
    std::uint32_t caplen;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: monitor_capture_damage IN.pcap OUT.pcap [SEED]\n");
        return 2;
    }
    rng r{argc == 4 ? std::strtoull(argv[3], nullptr, 10) | 1 : 1};
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* in = pcap_open_offline(argv[1], err);
    if (!in) {
        std::fprintf(stderr, "monitor_capture_damage: %s\n", err);
        return 1;
    }
    tcprt::capture::pcap_writer out(argv[2], pcap_datalink(in));
    constexpr std::uint64_t skipped_at_start = 40;
    std::optional<record> held;  // waiting to be written after the next record
    auto write = [&out](const record& rec) { out.write(rec.time, rec.data, rec.caplen); };
    pcap_pkthdr* h;
    const u_char* bytes;
    for (std::uint64_t n = 0; pcap_next_ex(in, &h, &bytes) == 1; ++n) {
        if (n < skipped_at_start) continue;
        record rec{tcprt::instant{tcprt::duration{std::int64_t{h->ts.tv_sec} * 1000000 + h->ts.tv_usec}},
                   std::vector<std::uint8_t>(bytes, bytes + h->caplen), h->caplen};
        const std::uint32_t roll = r.below(100);
        if (roll < 2) continue;  // dropped
        if (roll < 6 && rec.caplen > 0) rec.caplen = r.below(rec.caplen);  // cut short
        if (roll >= 6 && roll < 11 && !rec.data.empty())                    // one bit flipped
            rec.data[r.below(static_cast<std::uint32_t>(rec.data.size()))] ^= static_cast<std::uint8_t>(1u << r.below(8));
        if (held) {
            write(rec);
            write(*held);
            held.reset();
            continue;
        }
        if (roll >= 11 && roll < 13) {  // swapped with the next record
            held = std::move(rec);
            continue;
        }
        write(rec);
        if (roll == 13) write(rec);  // sent twice
    }
    if (held) write(*held);
    pcap_close(in);
    return 0;
}
