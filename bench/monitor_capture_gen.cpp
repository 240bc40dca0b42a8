// Writes a realistic capture for the tcpfsm monitor benchmark: many overlapping connections between
// a few hundred clients and a few servers, each with a handshake (MSS, window scale, SACK-permitted
// and timestamps on both SYNs), request/response exchanges cut into MSS-sized segments with delayed
// ACKs, and a close (either end first; a few are refused or aborted). Ethernet, IPv4 (one in eight
// connections IPv6), correct checksums, whole packets. Deterministic for a seed.
//
//   monitor_capture_gen OUT.pcap [SEGMENTS (default 1000000)] [SEED]
#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/packet_builder.hpp"

using namespace tcprt;
using namespace tcprt::capture;

namespace {

struct packet {
    duration at;  // since the connection began
    bool from_client;
    segment seg;
    bool syn_options;
};

// One connection's segments, in the order its two ends send them.
struct connection_plan {
    end_point client, server;
    std::vector<packet> packets;
};

class planner {
public:
    explicit planner(std::uint64_t seed) : rng_(seed) {}

    connection_plan plan(std::uint32_t id) {
        connection_plan c;
        const bool v6 = id % 8 == 7;
        c.client = host(v6, 1 + static_cast<std::uint8_t>(uniform(0, 199)), static_cast<std::uint16_t>(32768 + id % 28000));
        c.server = host(v6, 250 + static_cast<std::uint8_t>(uniform(0, 3)), uniform(0, 1) ? 443 : 80);
        const duration rtt{uniform(200, 40000)};  // 0.2 to 40 ms
        duration t{0};
        seq_t cs = static_cast<seq_t>(rng_()), ss = static_cast<seq_t>(rng_());
        const std::uint32_t mss = v6 ? 1428 : 1448;
        auto add = [&](bool from_client, segment s, bool opts = false) { c.packets.push_back({t, from_client, s, opts}); };

        add(true, {cs, 0, SYN, 64240, 0}, true);
        const int kind = uniform(0, 99);
        if (kind < 3) {  // refused
            t += rtt;
            add(false, {0, cs + 1, RST | ACK, 0, 0});
            return c;
        }
        t += rtt / 2;
        add(false, {ss, cs + 1, SYN | ACK, 65160, 0}, true);
        t += rtt / 2;
        ++cs;
        ++ss;
        add(true, {cs, ss, ACK, 502, 0});
        const int exchanges = uniform(1, 6);
        for (int e = 0; e < exchanges; ++e) {
            // The request, then the response, each in MSS-sized segments; the receiver ACKs every
            // second segment and the last one.
            for (int dir = 0; dir < 2; ++dir) {
                const bool client_sends = dir == 0;
                std::uint32_t left = client_sends ? static_cast<std::uint32_t>(uniform(40, 900))
                                                  : static_cast<std::uint32_t>(uniform(100, 12000));
                seq_t& snd = client_sends ? cs : ss;
                seq_t& rcv = client_sends ? ss : cs;
                int unacked = 0;
                t += rtt / 2;
                while (left > 0) {
                    const std::uint32_t n = std::min(left, mss);
                    add(client_sends, {snd, rcv, PSH | ACK, client_sends ? 502u : 509u, n});
                    snd += n;
                    left -= n;
                    t += duration{uniform(5, 60)};
                    if (++unacked == 2 || left == 0) {
                        add(!client_sends, {rcv, snd, ACK, client_sends ? 509u : 502u, 0});
                        unacked = 0;
                    }
                }
            }
            t += duration{uniform(100, 200000)};  // think time
        }
        if (kind < 5) {  // aborted by the client
            add(true, {cs, ss, RST | ACK, 0, 0});
            return c;
        }
        const bool client_first = uniform(0, 1) == 0;
        seq_t& a = client_first ? cs : ss;
        seq_t& b = client_first ? ss : cs;
        add(client_first, {a, b, FIN | ACK, 502, 0});
        ++a;
        t += rtt / 2;
        add(!client_first, {b, a, ACK, 502, 0});
        t += duration{uniform(10, 2000)};
        add(!client_first, {b, a, FIN | ACK, 502, 0});
        ++b;
        t += rtt / 2;
        add(client_first, {a, b, ACK, 502, 0});
        return c;
    }

private:
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    static end_point host(bool v6, std::uint8_t n, std::uint16_t port) {
        end_point e;
        e.addr.v6 = v6;
        if (v6) {
            e.addr.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n};
        } else {
            e.addr.bytes[0] = 10;
            e.addr.bytes[1] = 1;
            e.addr.bytes[3] = n;
        }
        e.port = port;
        return e;
    }
    std::mt19937_64 rng_;
};

// A decimal number, or nothing when `text` is not one (an option such as --help is no count).
std::optional<std::uint64_t> number(const char* text) {
    const std::string_view digits(text);
    if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return std::strtoull(text, nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
    const auto target = argc > 2 ? number(argv[2]) : std::optional<std::uint64_t>(1000000);
    const auto seed = argc > 3 ? number(argv[3]) : std::optional<std::uint64_t>(1);
    // An OUT that starts with '-' is an option mistaken for a file name (--help wrote a capture of that name).
    if (argc < 2 || argc > 4 || argv[1][0] == '-' || !target || !seed) {
        std::fprintf(stderr, "usage: monitor_capture_gen OUT.pcap [SEGMENTS (1000000)] [SEED (1)]\n");
        return 2;
    }
    const std::uint64_t segments = *target;
    planner plans(*seed);
    pcap_writer out(argv[1], DLT_EN10MB);
    const std::vector<std::uint8_t> syn_opts = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    const std::vector<std::uint8_t> ts_opts = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1};

    // Connections start every millisecond on average, so dozens overlap; their packets are
    // merged in time order.
    struct next {
        instant at;
        std::size_t conn, index;
        bool operator>(const next& o) const { return at > o.at; }
    };
    std::priority_queue<next, std::vector<next>, std::greater<next>> heap;
    std::vector<connection_plan> live;
    std::vector<instant> began;
    std::vector<std::size_t> free_slots;
    std::uint64_t written = 0, connections = 0, pending = 0;  // pending: planned, not yet written
    instant clock{std::chrono::seconds(1700000000)};
    std::mt19937_64 gaps(*seed + 1);
    std::vector<std::uint8_t> buf;
    while (true) {
        // Start connections until the next one would begin after the earliest pending packet.
        if (written + pending < segments && (heap.empty() || clock <= heap.top().at)) {
            connection_plan p = plans.plan(static_cast<std::uint32_t>(connections++));
            std::size_t slot;
            if (!free_slots.empty()) {
                slot = free_slots.back();
                free_slots.pop_back();
                live[slot] = std::move(p);
                began[slot] = clock;
            } else {
                slot = live.size();
                live.push_back(std::move(p));
                began.push_back(clock);
            }
            pending += live[slot].packets.size();
            heap.push({clock + live[slot].packets[0].at, slot, 0});
            clock += duration{std::uniform_int_distribution<int>(0, 2000)(gaps)};
            continue;
        }
        if (heap.empty()) break;
        const next n = heap.top();
        heap.pop();
        const connection_plan& c = live[n.conn];
        const packet& pk = c.packets[n.index];
        packet_spec spec;
        spec.src = pk.from_client ? c.client : c.server;
        spec.dst = pk.from_client ? c.server : c.client;
        spec.seg = pk.seg;
        spec.options = pk.syn_options ? syn_opts : (pk.seg.has(RST) ? std::vector<std::uint8_t>{} : ts_opts);
        buf.clear();
        build_packet(DLT_EN10MB, spec, buf);
        out.write(n.at, buf);
        ++written;
        --pending;
        if (n.index + 1 < c.packets.size())
            heap.push({began[n.conn] + c.packets[n.index + 1].at, n.conn, n.index + 1});
        else
            free_slots.push_back(n.conn);
    }
    out.close();
    std::fprintf(stderr, "monitor_capture_gen: %llu segments in %llu connections -> %s\n",
                 static_cast<unsigned long long>(written), static_cast<unsigned long long>(connections), argv[1]);
    return 0;
}
