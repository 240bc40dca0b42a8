// Building capture records: a TCP segment in IPv4 or IPv6 behind any link header capture.hpp
// decodes, with correct checksums, and a pcap file writer. The tests, the fuzzer's seeds and the
// benchmark's capture generator make their captures with it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/segment.hpp"
#include "tcprt/timers.hpp"

namespace tcprt::capture {

struct packet_spec {
    end_point src, dst;
    segment seg;                        // seg.len bytes of payload follow the header (filled with a pattern)
    std::vector<std::uint8_t> options;  // TCP options, padded with NOPs... to a multiple of 4 by the builder
    std::uint16_t vlan = 0;             // Ethernet only: one 802.1Q tag when non-zero
};

// The record for link type dlt (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP, DLT_RAW).
// Appends to out so that a caller can reuse one buffer.
void build_packet(int dlt, const packet_spec& spec, std::vector<std::uint8_t>& out);

// Writes a classic pcap file (microsecond timestamps) record by record.
class pcap_writer {
public:
    // Throws std::runtime_error if the file cannot be created.
    pcap_writer(const std::string& path, int dlt, std::uint32_t snaplen = 262144);
    ~pcap_writer();
    pcap_writer(const pcap_writer&) = delete;
    pcap_writer& operator=(const pcap_writer&) = delete;
    // A record of the first min(caplen, size) bytes of data; wire_len defaults to the size.
    void write(instant time, const std::vector<std::uint8_t>& data, std::uint32_t caplen = UINT32_MAX);
    void close();

private:
    std::FILE* f_;
    std::uint32_t snaplen_;
};

}  // namespace tcprt::capture
