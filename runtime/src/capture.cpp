// libpcap reading and the decoding of link, IP and TCP headers. Every length read from a record is
// checked against the bytes actually captured before anything behind it is touched.
#include "tcprt/capture.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tcprt::capture {

namespace {

std::uint16_t be16(const std::uint8_t* p) noexcept { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t be32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

constexpr std::uint16_t ethertype_ipv4 = 0x0800, ethertype_ipv6 = 0x86DD;
constexpr std::uint8_t proto_tcp = 6;

// The ones' complement sum of RFC 1071, added to acc (a sum of big-endian 16-bit values, folded to
// 16 bits at the end). RFC 1071 2(B): the sum does not depend on byte order, so the bytes are summed
// as native 16-bit words and the folded result is swapped to big-endian once; an odd last byte is
// padded with zero. Every payload byte passes here. 32 bytes a step: eight 32-bit lanes (GCC and
// Clang vector types) each gather the two 16-bit words of their 32 bits, under 2^17 a step, so n
// must stay below 1 MiB (an IP packet is at most 64 KiB); the rest, under 32 bytes, as native
// 64-bit words with the carries added back. On x86-64 the function is built twice, for AVX2 (one
// 32-byte step is 6 instructions) and for the baseline (two SSE2 halves), and the loader picks one
// (target_clones). The old loop of 64-bit words added 16 bytes in 9 instructions; a vector loop
// of SSE2 alone was no better in instructions (docs/performance.md).
// The loader runs a clone's resolver before ThreadSanitizer (or MemorySanitizer) is set up, and
// the resolver, instrumented, crashes: no clones under those two.
#if defined(__SANITIZE_THREAD__)
#define TCPRT_NO_CLONES 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TCPRT_NO_CLONES 1
#endif
#endif
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(TCPRT_NO_CLONES)
__attribute__((target_clones("avx2", "default")))
#endif
std::uint64_t sum_bytes(const std::uint8_t* p, std::size_t n, std::uint64_t acc) noexcept {
    std::uint64_t a = 0, b = 0, carries = 0;
#if defined(__GNUC__) || defined(__clang__)
    if (n >= 32) {
        using lanes = std::uint32_t __attribute__((vector_size(32)));
        lanes x{};
        while (n >= 32) {
            lanes v;
            std::memcpy(&v, p, 32);
            x += (v & 0xFFFF) + (v >> 16);
            p += 32;
            n -= 32;
        }
        for (int i = 0; i < 8; ++i) a += x[i];
    }
#endif
    auto add = [&carries](std::uint64_t& sum, std::uint64_t w) {
        sum += w;
        carries += sum < w;
    };
    while (n >= 16) {  // two independent sums
        std::uint64_t w1, w2;
        std::memcpy(&w1, p, 8);
        std::memcpy(&w2, p + 8, 8);
        add(a, w1);
        add(b, w2);
        p += 16;
        n -= 16;
    }
    // The rest, under 16 bytes, in pieces of 8, 4, 2 and 1 (each at an even offset, so each is
    // whole 16-bit words but the last byte, padded with zero): copies of a known size, not a call.
    if (n & 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        add(a, w);
        p += 8;
    }
    if (n & 4) {
        std::uint32_t w;
        std::memcpy(&w, p, 4);
        add(b, w);
        p += 4;
    }
    if (n & 2) {
        std::uint16_t w;
        std::memcpy(&w, p, 2);
        add(b, w);
        p += 2;
    }
    if (n & 1) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        add(b, p[0]);
#else
        add(b, std::uint64_t{p[0]} << 8);
#endif
    }
    // Each carry was worth 2^64, which is 1 modulo 2^16 - 1.
    std::uint64_t s = (a & 0xFFFFFFFFu) + (a >> 32) + (b & 0xFFFFFFFFu) + (b >> 32) + carries;
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s = ((s & 0xFF) << 8) | (s >> 8);
#endif
    return acc + s;
}

// sum_bytes() of a header: n a multiple of 4, at most 60 (an IPv4 header, the addresses of a
// pseudo-header). Its 32-bit words cannot carry out of 64 bits, and it stays inline: the IPv4
// header and the pseudo-header are two of the three sums of every segment, and through sum_bytes
// (a call through the loader's choice of clone, the vector loop's setup, the tail) they cost more
// than the bytes they sum.
inline std::uint64_t sum_header(const std::uint8_t* p, std::size_t n, std::uint64_t acc) noexcept {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < n; i += 4) {
        std::uint32_t w;
        std::memcpy(&w, p + i, 4);
        s += w;
    }
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s = ((s & 0xFF) << 8) | (s >> 8);
#endif
    return acc + s;
}

std::uint16_t fold(std::uint64_t acc) noexcept {
    while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
    return static_cast<std::uint16_t>(acc);
}

// Where the IP packet starts, and which version it announces, for each link type.
struct ip_start {
    decoded result = decoded::tcp;  // tcp: found an IP packet at offset
    std::uint32_t offset = 0;
};

ip_start from_ethertype(std::uint16_t type, std::uint32_t offset) noexcept {
    if (type == ethertype_ipv4 || type == ethertype_ipv6) return {decoded::tcp, offset};
    return {decoded::not_ip, 0};
}

inline ip_start link_layer(int dlt, const std::uint8_t* d, std::uint32_t caplen) noexcept {
    switch (dlt) {
        case DLT_EN10MB: {
            std::uint32_t off = 12;
            if (caplen < off + 2) return {decoded::truncated, 0};
            std::uint16_t type = be16(d + off);
            // 802.1Q, 802.1ad and the old QinQ tag: four bytes each, as many as there are.
            while (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
                off += 4;
                if (caplen < off + 2) return {decoded::truncated, 0};
                type = be16(d + off);
            }
            return from_ethertype(type, off + 2);
        }
        case DLT_LINUX_SLL:
            if (caplen < 16) return {decoded::truncated, 0};
            return from_ethertype(be16(d + 14), 16);
        case DLT_LINUX_SLL2:
            if (caplen < 20) return {decoded::truncated, 0};
            return from_ethertype(be16(d), 20);
        case DLT_NULL:
        case DLT_LOOP: {
            if (caplen < 4) return {decoded::truncated, 0};
            // The address family in the byte order of the capturing host (NULL) or big-endian
            // (LOOP); a family is small, so whichever end holds the non-zero bytes tells.
            std::uint32_t family = be32(d);
            if (family > 0xFFFF) family = d[0] | d[1] << 8;
            // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (the BSDs, macOS).
            if (family == 2) return {decoded::tcp, 4};
            if (family == 10 || family == 24 || family == 28 || family == 30) return {decoded::tcp, 4};
            return {decoded::not_ip, 0};
        }
        case DLT_RAW:
#ifdef DLT_IPV4
        case DLT_IPV4:
        case DLT_IPV6:
#endif
            return {decoded::tcp, 0};
        default:
            return {decoded::unknown_link, 0};
    }
}

}  // namespace

bool supported_link_type(int dlt) noexcept {
    std::uint8_t probe[32]{};
    return link_layer(dlt, probe, sizeof probe).result != decoded::unknown_link;
}

decoded decode(int dlt, const std::uint8_t* data, std::uint32_t caplen, std::uint32_t wire_len, tcp_packet& out) noexcept {
    const ip_start link = link_layer(dlt, data, caplen);
    if (link.result != decoded::tcp) return link.result;
    const std::uint8_t* ip = data + link.offset;
    const std::uint32_t ip_cap = caplen - link.offset;
    // Bytes of the IP packet the wire carried (libpcap's len counts the link header too).
    const std::uint32_t ip_wire = wire_len > link.offset ? wire_len - link.offset : 0;
    if (ip_cap < 1) return decoded::truncated;

    std::uint32_t tcp_off = 0;   // offset of the TCP header from ip
    std::uint32_t tcp_total = 0; // TCP header and payload, per the IP header
    std::uint64_t pseudo = 0;    // pseudo-header sum for the TCP checksum
    out.bad_ip_checksum = false;
    const unsigned version = ip[0] >> 4;
    if (version == 4) {
        if (ip_cap < 20) return decoded::truncated;
        const std::uint32_t ihl = (ip[0] & 0x0F) * 4u;
        const std::uint32_t total = be16(ip + 2);
        if (ihl < 20 || total < ihl) return decoded::malformed;
        if (ip_cap < ihl) return decoded::truncated;
        // Ethernet pads short frames: the IP total length, not the record, says where the packet ends.
        if (total > ip_wire && ip_wire != 0) return decoded::malformed;
        const std::uint16_t frag = be16(ip + 6);
        if ((frag & 0x3FFF) != 0) return decoded::fragment;  // MF set or a non-zero offset
        if (ip[9] != proto_tcp) return decoded::not_tcp;
        out.bad_ip_checksum = fold(sum_header(ip, ihl, 0)) != 0xFFFF;
        out.src.addr = address{};
        out.dst.addr = address{};
        std::memcpy(out.src.addr.bytes.data(), ip + 12, 4);
        std::memcpy(out.dst.addr.bytes.data(), ip + 16, 4);
        tcp_off = ihl;
        tcp_total = total - ihl;
        pseudo = sum_header(ip + 12, 8, 0) + proto_tcp + tcp_total;
    } else if (version == 6) {
        if (ip_cap < 40) return decoded::truncated;
        const std::uint32_t payload = be16(ip + 4);
        if (payload == 0) return decoded::malformed;  // a jumbogram (RFC 2675) is not decoded
        if (40 + payload > ip_wire && ip_wire != 0) return decoded::malformed;
        std::uint8_t next = ip[6];
        std::uint32_t off = 40;
        // Extension headers before TCP: hop-by-hop, routing, destination options (8-octet units
        // after the first 8), the fragment header and AH (4-octet units plus 2).
        for (int hops = 0; next != proto_tcp; ++hops) {
            if (hops == 8) return decoded::malformed;
            if (next == 44) return decoded::fragment;
            if (next != 0 && next != 43 && next != 60 && next != 51) return decoded::not_tcp;
            if (ip_cap < off + 2) return decoded::truncated;
            const std::uint32_t len = next == 51 ? (ip[off + 1] + 2u) * 4u : (ip[off + 1] + 1u) * 8u;
            next = ip[off];
            off += len;
            if (off > 40 + payload) return decoded::malformed;
        }
        out.src.addr.v6 = out.dst.addr.v6 = true;
        std::memcpy(out.src.addr.bytes.data(), ip + 8, 16);
        std::memcpy(out.dst.addr.bytes.data(), ip + 24, 16);
        tcp_off = off;
        tcp_total = 40 + payload - off;
        pseudo = sum_header(ip + 8, 32, 0) + proto_tcp + tcp_total;
    } else {
        return decoded::malformed;
    }
    out.src.addr.v6 = out.dst.addr.v6 = version == 6;

    if (tcp_total < 20) return decoded::malformed;
    if (ip_cap < tcp_off + 20) return decoded::truncated;
    const std::uint8_t* tcp = ip + tcp_off;
    const std::uint32_t doff = (tcp[12] >> 4) * 4u;
    if (doff < 20 || doff > tcp_total) return decoded::malformed;
    if (ip_cap < tcp_off + doff) return decoded::truncated;

    out.src.port = be16(tcp);
    out.dst.port = be16(tcp + 2);
    out.seg.seq = be32(tcp + 4);
    out.seg.ack = be32(tcp + 8);
    out.seg.flags = tcp[13] & (FIN | SYN | RST | PSH | ACK | URG);
    out.seg.wnd = be16(tcp + 14);
    out.seg.len = tcp_total - doff;
    out.options_len = static_cast<std::uint8_t>(doff - 20);
    // All 40 bytes where the record holds them (a copy of known size, not a call); the bytes past
    // options_len are not the segment's, as before, when they were the last segment's.
    if (ip_cap >= tcp_off + 20 + max_option_bytes)
        std::memcpy(out.options.data(), tcp + 20, max_option_bytes);
    else
        std::memcpy(out.options.data(), tcp + 20, out.options_len);
    if (ip_cap >= tcp_off + tcp_total)
        out.tcp_checksum = fold(sum_bytes(tcp, tcp_total, pseudo)) == 0xFFFF ? checksum::good : checksum::bad;
    else
        out.tcp_checksum = checksum::unverified;
    return decoded::tcp;
}

// Addresses are formatted for every connection reported: fmt's compiled formats, not snprintf.
std::string to_string(const address& a) {
    if (!a.v6) return fmt::format(FMT_COMPILE("{}.{}.{}.{}"), a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
    // RFC 5952: lower case, leading zeros dropped, the longest run (two or more) of zero groups as "::".
    std::uint16_t g[8];
    for (int i = 0; i < 8; ++i) g[i] = be16(a.bytes.data() + 2 * i);
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    std::string s;
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            s += "::";
            i += best_len - 1;
            continue;
        }
        if (!s.empty() && s.back() != ':') s += ':';
        fmt::format_to(std::back_inserter(s), FMT_COMPILE("{:x}"), g[i]);
    }
    return s;
}

std::string to_string(const end_point& e) {
    if (e.addr.v6) return fmt::format(FMT_COMPILE("[{}]:{}"), to_string(e.addr), e.port);
    return fmt::format(FMT_COMPILE("{}.{}.{}.{}:{}"), e.addr.bytes[0], e.addr.bytes[1], e.addr.bytes[2], e.addr.bytes[3],
                       e.port);
}

counts& counts::operator+=(const counts& o) noexcept {
    records += o.records;
    tcp += o.tcp;
    truncated += o.truncated;
    malformed += o.malformed;
    not_ip += o.not_ip;
    not_tcp += o.not_tcp;
    fragments += o.fragments;
    unknown_link += o.unknown_link;
    bad_ip_checksum += o.bad_ip_checksum;
    bad_tcp_checksum += o.bad_tcp_checksum;
    unverified_checksum += o.unverified_checksum;
    dropped_checksum += o.dropped_checksum;
    files_cut_short += o.files_cut_short;
    return *this;
}

// ---- reader ------------------------------------------------------------------------------------

struct reader::pcap_handle {
    pcap_t* p;
    // The stdio buffer of the file libpcap reads, freed after pcap_close() closed the file.
    std::unique_ptr<char[]> file_buffer;
};

reader::reader(pcap_handle* p, bool verify) : pcap_(p), dlt_(pcap_datalink(p->p)), verify_(verify) {}

reader::~reader() {
    pcap_close(pcap_->p);
    delete pcap_;
}

std::unique_ptr<reader> reader::open(const std::string& path, bool verify_checksums, std::string& error) {
    // Standard input keeps stdio's own buffer: libpcap does not close it, so a buffer owned here
    // would outlive the reader in its FILE.
    if (path == "-") return open(stdin, verify_checksums, error);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        error = std::strerror(errno);
        return nullptr;
    }
    // libpcap reads through stdio, 4 KiB per read() by default: a read() costs about as much in the
    // kernel as the monitor spends on the segments it brings. The buffer must be given: glibc
    // ignores setvbuf's size when it is to allocate the buffer itself.
    constexpr std::size_t buffer_size = std::size_t{1} << 20;
    std::unique_ptr<char[]> buffer(new char[buffer_size]);  // not zeroed: stdio fills it
    std::setvbuf(f, buffer.get(), _IOFBF, buffer_size);
    return open(f, std::move(buffer), verify_checksums, error);
}

std::unique_ptr<reader> reader::open(std::FILE* file, bool verify_checksums, std::string& error) {
    return open(file, nullptr, verify_checksums, error);
}

std::unique_ptr<reader> reader::open(std::FILE* file, std::unique_ptr<char[]> file_buffer, bool verify_checksums,
                                     std::string& error) {
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t* p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, err);
    if (!p) {
        error = err;
        std::fclose(file);
        return nullptr;
    }
    return std::unique_ptr<reader>(new reader(new pcap_handle{p, std::move(file_buffer)}, verify_checksums));
}

bool reader::next(tcp_packet& out) {
    while (!done_) {
        pcap_pkthdr* h = nullptr;
        const u_char* data = nullptr;
        const int rc = pcap_next_ex(pcap_->p, &h, &data);
        if (rc == PCAP_ERROR_BREAK) break;  // end of file
        if (rc != 1) {
            // A truncated file ends with a partial record; libpcap says so and reading stops.
            ++counts_.files_cut_short;
            stop_reason_ = pcap_geterr(pcap_->p);
            break;
        }
        ++counts_.records;
        switch (decode(dlt_, data, h->caplen, std::max(h->len, h->caplen), out)) {
            case decoded::tcp: break;
            case decoded::truncated: ++counts_.truncated; continue;
            case decoded::malformed: ++counts_.malformed; continue;
            case decoded::not_ip: ++counts_.not_ip; continue;
            case decoded::not_tcp: ++counts_.not_tcp; continue;
            case decoded::fragment: ++counts_.fragments; continue;
            case decoded::unknown_link: ++counts_.unknown_link; continue;
        }
        const bool bad = out.bad_ip_checksum || out.tcp_checksum == checksum::bad;
        counts_.bad_ip_checksum += out.bad_ip_checksum;
        counts_.bad_tcp_checksum += out.tcp_checksum == checksum::bad;
        counts_.unverified_checksum += out.tcp_checksum == checksum::unverified;
        if (bad && verify_) {
            ++counts_.dropped_checksum;
            continue;
        }
        out.time = instant{duration{std::int64_t{h->ts.tv_sec} * 1000000 + h->ts.tv_usec}};
        ++counts_.tcp;
        return true;
    }
    done_ = true;
    return false;
}

}  // namespace tcprt::capture
