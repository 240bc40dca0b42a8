// The capture reader: every supported link type in IPv4 and IPv6, checksums, and each kind of
// damaged record or file, counted and skipped.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/capture_stream.hpp"
#include "tcprt/packet_builder.hpp"

using namespace tcprt;
using namespace tcprt::capture;

namespace {

end_point v4(std::uint8_t last, std::uint16_t port) {
    end_point e;
    e.addr.bytes[0] = 10;
    e.addr.bytes[3] = last;
    e.port = port;
    return e;
}

end_point v6(std::uint8_t last, std::uint16_t port) {
    end_point e;
    e.addr.v6 = true;
    e.addr.bytes[0] = 0x20;
    e.addr.bytes[1] = 0x01;
    e.addr.bytes[15] = last;
    e.port = port;
    return e;
}

packet_spec data_segment(bool ipv6) {
    packet_spec p;
    p.src = ipv6 ? v6(1, 40000) : v4(1, 40000);
    p.dst = ipv6 ? v6(2, 80) : v4(2, 80);
    p.seg = segment{1000, 2000, ACK | PSH, 512, 11};
    p.options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // nop, nop, timestamps
    return p;
}

decoded decode_all(int dlt, const std::vector<std::uint8_t>& b, tcp_packet& out) {
    return decode(dlt, b.data(), static_cast<std::uint32_t>(b.size()), static_cast<std::uint32_t>(b.size()), out);
}

// ctest runs the tests of this file as separate processes, two at a time: a file name shared by two
// tests (the Stream tests both write big.pcap) let one test read what the other was rewriting.
// The files are removed when the test program ends.
struct temp_files final : ::testing::Environment {
    std::vector<std::string> paths;
    void TearDown() override {
        for (const auto& p : paths) std::remove(p.c_str());
    }
};
temp_files* const made = static_cast<temp_files*>(::testing::AddGlobalTestEnvironment(new temp_files));

std::string temp_path(const std::string& name) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string unique = std::to_string(::getpid()) + "_" + test->test_suite_name() + "_" + test->name();
    for (char& c : unique)
        if (c == '/') c = '_';  // a parameterized test's name is "Suite/Name/0"
    made->paths.push_back(::testing::TempDir() + "capture_test_" + unique + "_" + name);
    return made->paths.back();
}

}  // namespace

struct link_case {
    int dlt;
    bool vlan;
    const char* name;
};

class LinkTypes : public ::testing::TestWithParam<std::tuple<link_case, bool>> {};

TEST_P(LinkTypes, DecodeTheSegmentWithItsAddressesNumbersAndOptions) {
    const auto [lc, ipv6] = GetParam();
    packet_spec spec = data_segment(ipv6);
    if (lc.vlan) spec.vlan = 42;
    std::vector<std::uint8_t> bytes;
    build_packet(lc.dlt, spec, bytes);
    tcp_packet p;
    ASSERT_EQ(decode_all(lc.dlt, bytes, p), decoded::tcp);
    EXPECT_EQ(p.src, spec.src);
    EXPECT_EQ(p.dst, spec.dst);
    EXPECT_EQ(p.seg, spec.seg);
    ASSERT_EQ(p.options_len, 12);
    EXPECT_EQ(p.options[2], 8);
    EXPECT_FALSE(p.bad_ip_checksum);
    EXPECT_EQ(p.tcp_checksum, checksum::good);
}

INSTANTIATE_TEST_SUITE_P(
    AllSupported, LinkTypes,
    ::testing::Combine(::testing::Values(link_case{DLT_EN10MB, false, "ethernet"}, link_case{DLT_EN10MB, true, "vlan"},
                                         link_case{DLT_LINUX_SLL, false, "sll"}, link_case{DLT_LINUX_SLL2, false, "sll2"},
                                         link_case{DLT_NULL, false, "null"}, link_case{DLT_LOOP, false, "loop"},
                                         link_case{DLT_RAW, false, "raw"}),
                       ::testing::Bool()),
    [](const auto& info) {
        return std::string(std::get<0>(info.param).name) + (std::get<1>(info.param) ? "_ipv6" : "_ipv4");
    });

TEST(Decode, QinQTagsAreSkipped) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_EN10MB, data_segment(false), b);
    // Insert an 802.1ad outer tag and an 802.1Q inner tag before the ethertype.
    b.insert(b.begin() + 12, {0x88, 0xA8, 0x00, 0x07, 0x81, 0x00, 0x00, 0x2A});
    tcp_packet p;
    EXPECT_EQ(decode_all(DLT_EN10MB, b, p), decoded::tcp);
}

TEST(Decode, DltNullInTheOtherByteOrderAndLinuxInet6) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_RAW, data_segment(true), b);
    std::vector<std::uint8_t> big = {0, 0, 0, 10};  // AF_INET6 on Linux, big-endian host
    big.insert(big.end(), b.begin(), b.end());
    tcp_packet p;
    EXPECT_EQ(decode_all(DLT_NULL, big, p), decoded::tcp);
    std::vector<std::uint8_t> other = {7, 0, 0, 0};  // not an IP family
    other.insert(other.end(), b.begin(), b.end());
    EXPECT_EQ(decode_all(DLT_NULL, other, p), decoded::not_ip);
}

TEST(Decode, BadChecksumsAreFoundAndCountedApart) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_RAW, data_segment(false), b);
    tcp_packet p;
    auto payload = b;
    payload.back() ^= 0x01;
    ASSERT_EQ(decode_all(DLT_RAW, payload, p), decoded::tcp);
    EXPECT_EQ(p.tcp_checksum, checksum::bad);
    EXPECT_FALSE(p.bad_ip_checksum);
    auto header = b;
    header[8] ^= 0x01;  // the TTL: only the IP header checksum covers it
    ASSERT_EQ(decode_all(DLT_RAW, header, p), decoded::tcp);
    EXPECT_TRUE(p.bad_ip_checksum);
    EXPECT_EQ(p.tcp_checksum, checksum::good);
}

// The reader sums 16 bytes at a time in the machine's byte order; the builder sums 16-bit big-endian
// words (packet_builder.cpp). Every payload length up to six of those blocks and beyond, odd and
// even, in IPv4 and IPv6, with every bit of the payload and the TCP header flipped in turn; then
// long payloads up to the largest an IPv4 packet holds, with a bit flipped every 97 bytes.
TEST(Decode, ChecksumsAgreeWithTheBuilderAtEveryLengthAndCatchEveryFlippedBit) {
    for (bool ipv6 : {false, true}) {
        for (std::uint32_t len = 0; len <= 100; ++len) {
            packet_spec spec = data_segment(ipv6);
            spec.seg.len = len;
            std::vector<std::uint8_t> b;
            build_packet(DLT_RAW, spec, b);
            tcp_packet p;
            ASSERT_EQ(decode_all(DLT_RAW, b, p), decoded::tcp);
            EXPECT_EQ(p.tcp_checksum, checksum::good) << "payload of " << len << (ipv6 ? " (IPv6)" : "");
            const std::size_t tcp_at = ipv6 ? 40 : 20;
            for (std::size_t i = tcp_at; i < b.size(); ++i)
                for (int bit = 0; bit < 8; ++bit) {
                    auto flipped = b;
                    flipped[i] ^= static_cast<std::uint8_t>(1u << bit);
                    if (decode_all(DLT_RAW, flipped, p) != decoded::tcp) continue;  // a header field made it unreadable
                    EXPECT_EQ(p.tcp_checksum, checksum::bad) << "byte " << i << " bit " << bit << " of " << b.size();
                }
        }
    }
}

TEST(Decode, ChecksumsOfLongPayloads) {
    for (bool ipv6 : {false, true}) {
        for (std::uint32_t len : {127u, 128u, 129u, 1447u, 1448u, 9001u, 65483u - (ipv6 ? 20u : 0u)}) {
            packet_spec spec = data_segment(ipv6);
            spec.seg.len = len;
            std::vector<std::uint8_t> b;
            build_packet(DLT_RAW, spec, b);
            tcp_packet p;
            ASSERT_EQ(decode_all(DLT_RAW, b, p), decoded::tcp) << len;
            EXPECT_EQ(p.tcp_checksum, checksum::good) << "payload of " << len << (ipv6 ? " (IPv6)" : "");
            for (std::size_t i = ipv6 ? 40 : 20; i < b.size(); i += 97) {
                auto flipped = b;
                flipped[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
                if (decode_all(DLT_RAW, flipped, p) != decoded::tcp) continue;
                EXPECT_EQ(p.tcp_checksum, checksum::bad) << "byte " << i << " of " << b.size();
            }
        }
    }
}

TEST(Decode, ShortRecordsAreTruncatedOrUnverified) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_EN10MB, data_segment(false), b);
    tcp_packet p;
    const auto wire = static_cast<std::uint32_t>(b.size());
    // Cut inside the payload (a snap length): the segment is there, its checksum cannot be checked.
    ASSERT_EQ(decode(DLT_EN10MB, b.data(), wire - 5, wire, p), decoded::tcp);
    EXPECT_EQ(p.seg.len, 11u);
    EXPECT_EQ(p.tcp_checksum, checksum::unverified);
    // Cut inside the TCP header, the IP header, the link header.
    for (std::uint32_t cut : {14u + 20u + 25u, 14u + 20u + 10u, 14u + 10u, 14u + 2u, 8u, 0u})
        EXPECT_EQ(decode(DLT_EN10MB, b.data(), cut, wire, p), decoded::truncated) << cut;
}

TEST(Decode, NonTcpFragmentsAndMalformedHeaders) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_RAW, data_segment(false), b);
    tcp_packet p;
    auto udp = b;
    udp[9] = 17;
    EXPECT_EQ(decode_all(DLT_RAW, udp, p), decoded::not_tcp);
    auto frag = b;
    frag[6] |= 0x20;  // more fragments
    EXPECT_EQ(decode_all(DLT_RAW, frag, p), decoded::fragment);
    auto ihl = b;
    ihl[0] = 0x44;
    EXPECT_EQ(decode_all(DLT_RAW, ihl, p), decoded::malformed);
    auto doff = b;
    doff[20 + 12] = 0x40;  // data offset 4 words
    EXPECT_EQ(decode_all(DLT_RAW, doff, p), decoded::malformed);
    auto beyond = b;
    beyond[20 + 12] = 0xF0;  // 60 bytes of header in a 43-byte segment
    EXPECT_EQ(decode_all(DLT_RAW, beyond, p), decoded::malformed);
    auto longer = b;
    longer[3] += 100;  // the IP header claims more than the record holds
    EXPECT_EQ(decode_all(DLT_RAW, longer, p), decoded::malformed);
    auto version = b;
    version[0] = 0x55;
    EXPECT_EQ(decode_all(DLT_RAW, version, p), decoded::malformed);

    std::vector<std::uint8_t> arp;
    build_packet(DLT_EN10MB, data_segment(false), arp);
    arp[12] = 0x08;
    arp[13] = 0x06;
    EXPECT_EQ(decode_all(DLT_EN10MB, arp, p), decoded::not_ip);
    EXPECT_EQ(decode_all(147, b, p), decoded::unknown_link);  // DLT_USER0
    EXPECT_FALSE(supported_link_type(147));
}

TEST(Decode, Ipv6ExtensionHeadersBeforeTcp) {
    std::vector<std::uint8_t> b;
    build_packet(DLT_RAW, data_segment(true), b);
    // A hop-by-hop header of 8 bytes (next: TCP) after the fixed header.
    std::vector<std::uint8_t> hbh = {6, 0, 1, 4, 0, 0, 0, 0};
    b[6] = 0;
    b.insert(b.begin() + 40, hbh.begin(), hbh.end());
    const std::uint32_t plen = (b[4] << 8 | b[5]) + 8;
    b[4] = static_cast<std::uint8_t>(plen >> 8);
    b[5] = static_cast<std::uint8_t>(plen);
    tcp_packet p;
    ASSERT_EQ(decode_all(DLT_RAW, b, p), decoded::tcp);
    EXPECT_EQ(p.seg.seq, 1000u);
    EXPECT_EQ(p.tcp_checksum, checksum::good);  // the pseudo-header counts only the TCP length
    b[40] = 17;  // next header UDP
    EXPECT_EQ(decode_all(DLT_RAW, b, p), decoded::not_tcp);
    b[40] = 44;  // a fragment header
    b[6] = 44;
    EXPECT_EQ(decode_all(DLT_RAW, b, p), decoded::fragment);
}

TEST(Addresses, PrintedAsUsual) {
    EXPECT_EQ(to_string(v4(1, 80)), "10.0.0.1:80");
    end_point loop6;
    loop6.addr.v6 = true;
    loop6.addr.bytes[15] = 1;
    loop6.port = 443;
    EXPECT_EQ(to_string(loop6), "[::1]:443");
    EXPECT_EQ(to_string(v6(2, 80)), "[2001::2]:80");
    end_point mid = v6(0, 1);
    mid.addr.bytes[5] = 1;  // 2001:0:1:0:0:0:0:0 -> the longer zero run is compressed
    EXPECT_EQ(to_string(mid), "[2001:0:1::]:1");
}

TEST(Reader, ReadsBackWhatWasWrittenAndCountsTheRest) {
    const std::string path = temp_path("mixed.pcap");
    {
        pcap_writer w(path, DLT_EN10MB);
        std::vector<std::uint8_t> b;
        build_packet(DLT_EN10MB, data_segment(false), b);
        w.write(instant{std::chrono::seconds(100)}, b);
        auto bad = b;
        bad.back() ^= 1;
        w.write(instant{std::chrono::seconds(101)}, bad);
        auto arp = b;
        arp[13] = 0x06;
        w.write(instant{std::chrono::seconds(102)}, arp);
        w.write(instant{std::chrono::seconds(103)}, b, 30);  // cut in the IP header
        w.write(instant{std::chrono::seconds(104) + std::chrono::microseconds(5)}, b);
    }
    for (bool verify : {false, true}) {
        std::string error;
        auto r = reader::open(path, verify, error);
        ASSERT_TRUE(r) << error;
        std::vector<tcp_packet> got;
        tcp_packet p;
        while (r->next(p)) got.push_back(p);
        EXPECT_EQ(got.size(), verify ? 2u : 3u);
        EXPECT_EQ(got.back().time.time_since_epoch().count(), 104000005);
        const counts& c = r->counts();
        EXPECT_EQ(c.records, 5u);
        EXPECT_EQ(c.not_ip, 1u);
        EXPECT_EQ(c.truncated, 1u);
        EXPECT_EQ(c.bad_tcp_checksum, 1u);
        EXPECT_EQ(c.dropped_checksum, verify ? 1u : 0u);
        EXPECT_EQ(c.files_cut_short, 0u);
    }
}

TEST(Reader, ATruncatedFileStopsAfterItsLastWholeRecord) {
    const std::string path = temp_path("cut.pcap");
    std::vector<std::uint8_t> b;
    build_packet(DLT_RAW, data_segment(false), b);
    {
        pcap_writer w(path, DLT_RAW);
        for (int i = 0; i < 3; ++i) w.write(instant{std::chrono::seconds(i)}, b);
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<char> all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t cut : {all.size() - 3, all.size() - b.size() - 10}) {
        const std::string cut_path = temp_path("cut2.pcap");
        std::ofstream(cut_path, std::ios::binary).write(all.data(), static_cast<std::streamsize>(cut));
        std::string error;
        auto r = reader::open(cut_path, false, error);
        ASSERT_TRUE(r) << error;
        tcp_packet p;
        int n = 0;
        while (r->next(p)) ++n;
        EXPECT_EQ(n, 2);
        EXPECT_EQ(r->counts().files_cut_short, 1u);
        EXPECT_FALSE(r->stop_reason().empty());
    }
}

TEST(Reader, NotACaptureCannotBeOpened) {
    const std::string path = temp_path("text.pcap");
    std::ofstream(path) << "this is not a capture\n";
    std::string error;
    EXPECT_FALSE(reader::open(path, false, error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(reader::open(temp_path("missing.pcap"), false, error));
}

namespace {
void le32(std::vector<std::uint8_t>& v, std::uint32_t x) {
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}
}  // namespace

// pcapng (section header, interface description, enhanced packet blocks), written by hand: libpcap
// reads it but does not write it.
TEST(Reader, Pcapng) {
    std::vector<std::uint8_t> pkt;
    build_packet(DLT_LINUX_SLL2, data_segment(true), pkt);
    std::vector<std::uint8_t> f;
    le32(f, 0x0A0D0D0A);
    le32(f, 28);
    le32(f, 0x1A2B3C4D);
    f.insert(f.end(), {1, 0, 0, 0});
    le32(f, 0xFFFFFFFF);
    le32(f, 0xFFFFFFFF);
    le32(f, 28);
    le32(f, 1);
    le32(f, 20);
    f.insert(f.end(), {static_cast<std::uint8_t>(DLT_LINUX_SLL2 & 0xFF), static_cast<std::uint8_t>(DLT_LINUX_SLL2 >> 8), 0, 0});
    le32(f, 262144);
    le32(f, 20);
    const std::uint32_t padded = static_cast<std::uint32_t>((pkt.size() + 3) / 4 * 4);
    const std::uint64_t ts = 1'700'000'000'000'123ull;  // microseconds
    le32(f, 6);
    le32(f, 32 + padded);
    le32(f, 0);
    le32(f, static_cast<std::uint32_t>(ts >> 32));
    le32(f, static_cast<std::uint32_t>(ts));
    le32(f, static_cast<std::uint32_t>(pkt.size()));
    le32(f, static_cast<std::uint32_t>(pkt.size()));
    f.insert(f.end(), pkt.begin(), pkt.end());
    f.insert(f.end(), padded - pkt.size(), 0);
    le32(f, 32 + padded);
    const std::string path = temp_path("one.pcapng");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
    std::string error;
    auto r = reader::open(path, false, error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->link_type(), DLT_LINUX_SLL2);
    tcp_packet p;
    ASSERT_TRUE(r->next(p));
    EXPECT_EQ(p.time.time_since_epoch().count(), static_cast<std::int64_t>(ts));
    EXPECT_TRUE(p.src.addr.v6);
    EXPECT_EQ(p.seg.seq, 1000u);
    EXPECT_FALSE(r->next(p));
}

// ---- the stream of captures, on one thread and on two ---------------------------------------------

namespace {

// Every call, as text, in order.
struct recorder final : stream_events {
    std::vector<std::string> calls;
    std::size_t throw_after = SIZE_MAX;  // segments() throws once this many segments were seen
    std::size_t seen = 0;
    void opened(const std::string& path, int link_type) override {
        calls.push_back("opened " + path + " " + std::to_string(link_type));
    }
    void segments(const tcp_packet* p, std::size_t n) override {
        for (std::size_t i = 0; i < n; ++i) {
            if (++seen > throw_after) throw std::runtime_error("stop");
            // Every field the reading thread hands over (the options as far as options_len).
            const tcp_packet& q = p[i];
            std::string options(q.options.begin(), q.options.begin() + q.options_len);
            calls.push_back("segment " + to_string(q.src) + " " + to_string(q.dst) + " " + tcprt::to_string(q.seg) + " " +
                            std::to_string(q.time.time_since_epoch().count()) + " options " + options + " ip " +
                            (q.bad_ip_checksum ? "bad" : "good") + " tcp " +
                            std::to_string(static_cast<int>(q.tcp_checksum)));
        }
    }
    void ended(const std::string& path, const counts& c, const std::string& stop_reason) override {
        calls.push_back("ended " + path + " " + std::to_string(c.records) + " " + std::to_string(c.tcp) + " " +
                        std::to_string(c.malformed) + " " + std::to_string(c.files_cut_short) + " " + stop_reason);
    }
    void failed(const std::string& path, const std::string&) override { calls.push_back("failed " + path); }
};

// n segments (every seventh malformed: an IHL of 4), then, if cut, half a record. They differ in
// every field the reading thread hands over: IPv4 and IPv6 (every third), ends, numbers, flags,
// options of 0 to 40 bytes, a bad IPv4 or TCP checksum now and then, records cut short.
std::string stream_capture(const std::string& name, std::uint32_t n, bool cut) {
    const std::string path = temp_path(name);
    {
        pcap_writer w(path, DLT_EN10MB);
        for (std::uint32_t i = 0; i < n; ++i) {
            packet_spec p = data_segment(i % 3 == 0);
            p.seg.seq = i;
            p.seg.ack = 7 * i + 1;
            p.seg.wnd = (i * 37) & 0xFFFF;
            p.seg.len = i % 11;
            p.seg.flags = static_cast<std::uint8_t>(i % 64);
            p.src.port = static_cast<std::uint16_t>(1000 + i % 5);
            p.dst.addr.bytes[3] = static_cast<std::uint8_t>(i % 4);
            p.options.assign(i % 41, 1);
            if (!p.options.empty()) p.options[0] = static_cast<std::uint8_t>(i);
            std::vector<std::uint8_t> b;
            build_packet(DLT_EN10MB, p, b);
            if (i % 7 == 6 && i % 3 != 0) b[14] = 0x44;
            if (i % 13 == 5) b.back() ^= 1;  // the TCP checksum (or, without payload, the header) is off
            if (i % 17 == 4 && i % 3 != 0) b[14 + 10] ^= 1;  // the IPv4 header checksum
            w.write(instant{duration{1000 + i}}, b, i % 19 == 3 && i % 11 != 0 ? static_cast<std::uint32_t>(b.size() - 1) : UINT32_MAX);
        }
    }
    if (cut) {
        std::FILE* f = std::fopen(path.c_str(), "ab");
        const unsigned char half[10] = {1, 2, 3, 4, 5, 6, 7, 8, 200, 0};
        std::fwrite(half, 1, sizeof half, f);
        std::fclose(f);
    }
    return path;
}

}  // namespace

TEST(Stream, TwoThreadsMakeTheSameCallsInTheSameOrderAsOne) {
    // More than two batches of the reading thread (16,384), an empty file, a file cut short, and one
    // that is not a capture, which ends the stream.
    const std::string big = stream_capture("big.pcap", 35000, false), empty = stream_capture("empty.pcap", 0, false),
                      cut = stream_capture("cut.pcap", 1030, true), text = temp_path("text.pcap");
    std::ofstream(text) << "not a capture\n";
    for (const auto& paths : std::vector<std::vector<std::string>>{{big, empty, cut, big}, {cut, text, big}, {empty}}) {
        recorder one, two;
        read_stream(paths, false, one, 1);
        read_stream(paths, false, two, 2);
        EXPECT_EQ(one.calls, two.calls);
        EXPECT_GE(one.calls.size(), paths.size());
    }
    recorder counted;  // 1,030 records: 98 malformed (i % 7 == 6, i % 3 != 0), then the half record
    read_stream({cut}, false, counted, 2);
    EXPECT_EQ(counted.calls.back().rfind("ended " + cut + " 1030 932 98 1 ", 0), 0u) << counted.calls.back();
}

TEST(Stream, AnExceptionOfTheTrackingSideStopsTheReadingThreadAndGoesOn) {
    const std::string big = stream_capture("big.pcap", 35000, false);
    for (std::size_t at : {0u, 1u, 16383u, 16384u, 34999u}) {
        recorder r;
        r.throw_after = at;
        EXPECT_THROW(read_stream({big, big, big}, false, r, 2), std::runtime_error) << at;
        EXPECT_EQ(r.seen, at + 1);
    }
}
