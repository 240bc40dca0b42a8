// Reading TCP segments out of capture files: libpcap opens pcap and pcapng files (or standard input),
// decode() takes one record apart (link layer, IPv4 or IPv6, TCP) without trusting any length in it.
// Damaged records are counted by kind and skipped; nothing here allocates per record.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "tcprt/segment.hpp"
#include "tcprt/timers.hpp"

namespace tcprt::capture {

// An IPv4 or IPv6 address; IPv4 uses the first four bytes.
struct address {
    std::array<std::uint8_t, 16> bytes{};
    bool v6 = false;
    // Compared for every segment (with the connection's ends): two words, not a call to memcmp.
    friend bool operator==(const address& a, const address& b) noexcept {
        std::uint64_t x[2], y[2];
        std::memcpy(x, a.bytes.data(), 16);
        std::memcpy(y, b.bytes.data(), 16);
        return a.v6 == b.v6 && x[0] == y[0] && x[1] == y[1];
    }
    friend bool operator!=(const address& a, const address& b) noexcept { return !(a == b); }
};

// One end of a TCP connection.
struct end_point {
    address addr;
    std::uint16_t port = 0;
    friend bool operator==(const end_point& a, const end_point& b) noexcept { return a.port == b.port && a.addr == b.addr; }
    friend bool operator!=(const end_point& a, const end_point& b) noexcept { return !(a == b); }
};

// "127.0.0.1:80", "[::1]:80".
std::string to_string(const address& a);
std::string to_string(const end_point& e);

enum class checksum : std::uint8_t {
    good,
    bad,
    unverified,  // the record was cut short (snap length), so the payload is not all there
};

// A decoded TCP segment. seg.wnd is the raw 16-bit window field (scaling is the connection's
// business) and seg.len the payload length the IP header announces, even where the capture kept
// fewer bytes.
struct tcp_packet {
    instant time{};
    end_point src, dst;
    segment seg;
    std::array<std::uint8_t, 40> options{};  // the TCP options as on the wire
    std::uint8_t options_len = 0;
    bool bad_ip_checksum = false;  // IPv4 header checksum
    checksum tcp_checksum = checksum::unverified;
};

// What decode() made of one record.
enum class decoded : std::uint8_t {
    tcp,           // a TCP segment: the packet is filled in
    truncated,     // the record ends before the end of the TCP header
    malformed,     // the headers contradict themselves (an IHL below 5, a data offset beyond the segment...)
    not_ip,        // ARP, LLDP...
    not_tcp,       // UDP, ICMP...
    fragment,      // an IP fragment: fragments are not reassembled
    unknown_link,  // a link type decode() does not know
};

// The link types decode() knows, as libpcap's pcap_datalink() reports them.
bool supported_link_type(int dlt) noexcept;

// Takes one record apart: data holds caplen bytes of a packet that was wire_len long. Checksums are
// computed when the record holds the whole IP packet.
decoded decode(int dlt, const std::uint8_t* data, std::uint32_t caplen, std::uint32_t wire_len, tcp_packet& out) noexcept;

// Counts kept by a reader over everything it has read.
struct counts {
    std::uint64_t records = 0;           // records libpcap returned
    std::uint64_t tcp = 0;               // TCP segments handed on
    std::uint64_t truncated = 0;         // records cut before the end of the TCP header
    std::uint64_t malformed = 0;
    std::uint64_t not_ip = 0;
    std::uint64_t not_tcp = 0;
    std::uint64_t fragments = 0;
    std::uint64_t unknown_link = 0;      // records of a file whose link type is not supported
    std::uint64_t bad_ip_checksum = 0;   // counted whether or not they are dropped
    std::uint64_t bad_tcp_checksum = 0;
    std::uint64_t unverified_checksum = 0;
    std::uint64_t dropped_checksum = 0;  // with verify_checksums: segments dropped for a bad checksum
    std::uint64_t files_cut_short = 0;   // files that ended in the middle of a record (or failed to read)
    counts& operator+=(const counts& o) noexcept;
};

// Reads one capture file. open() fails only when libpcap cannot open the file (missing, not a
// capture); everything after that is counted, never thrown.
class reader {
public:
    // path "-" is standard input.
    static std::unique_ptr<reader> open(const std::string& path, bool verify_checksums, std::string& error);
    // Takes ownership of an already open FILE (the fuzzer reads from memory this way).
    static std::unique_ptr<reader> open(std::FILE* file, bool verify_checksums, std::string& error);
    ~reader();
    reader(const reader&) = delete;
    reader& operator=(const reader&) = delete;

    // The next TCP segment; false at the end of the file, or where a read error ended it early
    // (counted in files_cut_short, described by stop_reason()).
    bool next(tcp_packet& out);

    int link_type() const noexcept { return dlt_; }
    const capture::counts& counts() const noexcept { return counts_; }
    const std::string& stop_reason() const noexcept { return stop_reason_; }

private:
    struct pcap_handle;
    // file_buffer: the stdio buffer set on file, if any, kept until the file is closed.
    static std::unique_ptr<reader> open(std::FILE* file, std::unique_ptr<char[]> file_buffer, bool verify_checksums,
                                        std::string& error);
    reader(pcap_handle* p, bool verify);
    pcap_handle* pcap_;
    int dlt_;
    bool verify_;
    bool done_ = false;
    capture::counts counts_{};
    std::string stop_reason_;
};

}  // namespace tcprt::capture
