// Records as a capture holds them, for tests, fuzz seeds and the benchmark's captures.
#include "tcprt/packet_builder.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <stdexcept>

namespace tcprt::capture {

namespace {

void put16(std::vector<std::uint8_t>& v, std::uint32_t x) {
    v.push_back(static_cast<std::uint8_t>(x >> 8));
    v.push_back(static_cast<std::uint8_t>(x));
}
void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
    put16(v, x >> 16);
    put16(v, x & 0xFFFF);
}
void set16(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x) {
    v[at] = static_cast<std::uint8_t>(x >> 8);
    v[at + 1] = static_cast<std::uint8_t>(x);
}

std::uint32_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t acc) {
    for (std::size_t i = 0; i + 1 < n; i += 2) acc += std::uint32_t{p[i]} << 8 | p[i + 1];
    if (n % 2) acc += std::uint32_t{p[n - 1]} << 8;
    return acc;
}
std::uint16_t finish(std::uint32_t acc) {
    while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
    return static_cast<std::uint16_t>(~acc);
}

void put_le32(std::FILE* f, std::uint32_t x) {
    const std::uint8_t b[4] = {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(x >> 8),
                               static_cast<std::uint8_t>(x >> 16), static_cast<std::uint8_t>(x >> 24)};
    std::fwrite(b, 1, 4, f);
}

}  // namespace

void build_packet(int dlt, const packet_spec& spec, std::vector<std::uint8_t>& out) {
    const bool v6 = spec.src.addr.v6;
    const std::uint16_t ethertype = v6 ? 0x86DD : 0x0800;
    switch (dlt) {
        case DLT_EN10MB:
            out.insert(out.end(), {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1});
            if (spec.vlan) {
                put16(out, 0x8100);
                put16(out, spec.vlan & 0x0FFF);
            }
            put16(out, ethertype);
            break;
        case DLT_LINUX_SLL:
            put16(out, 0);    // sent to us
            put16(out, 772);  // ARPHRD_LOOPBACK
            put16(out, 6);
            out.insert(out.end(), 8, 0);
            put16(out, ethertype);
            break;
        case DLT_LINUX_SLL2:
            put16(out, ethertype);
            put16(out, 0);
            put32(out, 1);    // interface index
            put16(out, 772);
            out.push_back(0);
            out.push_back(6);
            out.insert(out.end(), 8, 0);
            break;
        case DLT_NULL: {  // host byte order: this builder writes little-endian, as x86 captures are
            const std::uint32_t family = v6 ? 30 : 2;
            out.insert(out.end(), {static_cast<std::uint8_t>(family), 0, 0, 0});
            break;
        }
        case DLT_LOOP:
            put32(out, v6 ? 24 : 2);
            break;
        case DLT_RAW:
            break;
        default:
            throw std::invalid_argument("build_packet: unsupported link type " + std::to_string(dlt));
    }

    std::vector<std::uint8_t> opts = spec.options;
    while (opts.size() % 4) opts.push_back(0);  // EOL pads
    const std::size_t tcp_len = 20 + opts.size() + spec.seg.len;
    const std::size_t ip_at = out.size();
    std::uint32_t pseudo = 0;
    if (!v6) {
        out.insert(out.end(), {0x45, 0});
        put16(out, static_cast<std::uint32_t>(20 + tcp_len));
        out.insert(out.end(), {0, 0, 0x40, 0, 64, 6, 0, 0});
        out.insert(out.end(), spec.src.addr.bytes.begin(), spec.src.addr.bytes.begin() + 4);
        out.insert(out.end(), spec.dst.addr.bytes.begin(), spec.dst.addr.bytes.begin() + 4);
        set16(out, ip_at + 10, finish(sum16(out.data() + ip_at, 20, 0)));
        pseudo = sum16(out.data() + ip_at + 12, 8, 0);
    } else {
        put32(out, 0x60000000);
        put16(out, static_cast<std::uint32_t>(tcp_len));
        out.insert(out.end(), {6, 64});
        out.insert(out.end(), spec.src.addr.bytes.begin(), spec.src.addr.bytes.end());
        out.insert(out.end(), spec.dst.addr.bytes.begin(), spec.dst.addr.bytes.end());
        pseudo = sum16(out.data() + ip_at + 8, 32, 0);
    }
    pseudo += 6 + static_cast<std::uint32_t>(tcp_len);

    const std::size_t tcp_at = out.size();
    put16(out, spec.src.port);
    put16(out, spec.dst.port);
    put32(out, spec.seg.seq);
    put32(out, spec.seg.ack);
    out.push_back(static_cast<std::uint8_t>((20 + opts.size()) / 4 << 4));
    out.push_back(spec.seg.flags);
    put16(out, spec.seg.wnd & 0xFFFF);
    put16(out, 0);  // checksum, below
    put16(out, 0);
    out.insert(out.end(), opts.begin(), opts.end());
    for (std::uint32_t i = 0; i < spec.seg.len; ++i) out.push_back(static_cast<std::uint8_t>('a' + (spec.seg.seq + i) % 26));
    set16(out, tcp_at + 16, finish(sum16(out.data() + tcp_at, tcp_len, pseudo)));
}

pcap_writer::pcap_writer(const std::string& path, int dlt, std::uint32_t snaplen)
    : f_(std::fopen(path.c_str(), "wb")), snaplen_(snaplen) {
    if (!f_) throw std::runtime_error("cannot create " + path);
    // The file holds LINKTYPE_ values; they equal the DLT_ values except for raw IP.
    const std::uint32_t linktype = dlt == DLT_RAW ? 101 : static_cast<std::uint32_t>(dlt);
    put_le32(f_, 0xa1b2c3d4);
    const std::uint8_t version[4] = {2, 0, 4, 0};
    std::fwrite(version, 1, 4, f_);
    put_le32(f_, 0);
    put_le32(f_, 0);
    put_le32(f_, snaplen);
    put_le32(f_, linktype);
}

pcap_writer::~pcap_writer() { close(); }

void pcap_writer::close() {
    if (f_) std::fclose(f_);
    f_ = nullptr;
}

void pcap_writer::write(instant time, const std::vector<std::uint8_t>& data, std::uint32_t caplen) {
    const auto us = time.time_since_epoch().count();
    const auto size = static_cast<std::uint32_t>(data.size());
    const std::uint32_t incl = std::min({caplen, size, snaplen_});
    put_le32(f_, static_cast<std::uint32_t>(us / 1000000));
    put_le32(f_, static_cast<std::uint32_t>(us % 1000000));
    put_le32(f_, incl);
    put_le32(f_, size);
    std::fwrite(data.data(), 1, incl, f_);
}

}  // namespace tcprt::capture
