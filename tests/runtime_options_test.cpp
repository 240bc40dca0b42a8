// TCP options on the wire: the layouts of RFC 9293 section 3.2, RFC 7323 sections 2.2 and 3.2,
// RFC 2018 sections 2 and 3, byte for byte, and the decoder's answer to every malformed shape.
#include <gtest/gtest.h>

#include <vector>

#include "tcprt/options.hpp"

namespace tcprt {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes wire(const option_bytes& b) { return bytes(b.data(), b.data() + b.size()); }

option_status parse(const bytes& b, option_values& out) { return parse_options(b.data(), b.size(), out); }

TEST(OptionWriter, EachKindHasItsRfcLayout) {
    option_bytes b;
    ASSERT_TRUE(b.mss(1460));  // RFC 9293 3.2: kind 2, length 4, 16 bits
    EXPECT_EQ(wire(b), (bytes{2, 4, 0x05, 0xB4}));
    b.clear();
    ASSERT_TRUE(b.wscale(7));  // RFC 7323 2.2: kind 3, length 3, shift.cnt
    EXPECT_EQ(wire(b), (bytes{3, 3, 7}));
    b.clear();
    ASSERT_TRUE(b.sack_permitted());  // RFC 2018 2: kind 4, length 2
    EXPECT_EQ(wire(b), (bytes{4, 2}));
    b.clear();
    ASSERT_TRUE(b.timestamps(0x01020304, 0xA0B0C0D0));  // RFC 7323 3.2: kind 8, length 10
    EXPECT_EQ(wire(b), (bytes{8, 10, 1, 2, 3, 4, 0xA0, 0xB0, 0xC0, 0xD0}));
    b.clear();
    const sack_block blocks[] = {{1, 2}, {0xFFFFFFFF, 0x10}};
    ASSERT_TRUE(b.sack(blocks, 2));  // RFC 2018 3: kind 5, length 2 + 8n
    EXPECT_EQ(wire(b), (bytes{5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x10}));
    b.clear();
    ASSERT_TRUE(b.nop());
    ASSERT_TRUE(b.eol());
    EXPECT_EQ(wire(b), (bytes{1, 0}));
}

TEST(OptionWriter, RefusesWhatDoesNotFitInFortyBytes) {
    option_bytes b;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(b.timestamps(1, 2));
    EXPECT_EQ(b.size(), 40u);
    EXPECT_FALSE(b.nop());
    EXPECT_EQ(b.size(), 40u);
    b.clear();
    for (int i = 0; i < 38; ++i) ASSERT_TRUE(b.nop());
    EXPECT_FALSE(b.mss(1));
    EXPECT_FALSE(b.wscale(1));
    EXPECT_TRUE(b.sack_permitted());
    const sack_block blk[5] = {};
    b.clear();
    EXPECT_FALSE(b.sack(blk, 5));  // at most 4 blocks
    EXPECT_FALSE(b.sack(blk, 0));
    EXPECT_TRUE(b.empty());
    std::uint8_t raw[41] = {};
    EXPECT_FALSE(b.assign(raw, 41));
    EXPECT_TRUE(b.assign(raw, 40));
}

TEST(OptionParser, ReadsALinuxSyn) {
    // <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>, as Linux sends its SYN.
    option_bytes b;
    b.mss(1460);
    b.sack_permitted();
    b.timestamps(100, 0);
    b.nop();
    b.wscale(7);
    option_values o;
    EXPECT_TRUE(parse_options(b, o).ok());
    EXPECT_TRUE(o.has_mss);
    EXPECT_EQ(o.mss, 1460);
    EXPECT_TRUE(o.sack_permitted);
    EXPECT_TRUE(o.has_timestamps);
    EXPECT_EQ(o.ts_val, 100u);
    EXPECT_EQ(o.ts_ecr, 0u);
    EXPECT_TRUE(o.has_wscale);
    EXPECT_EQ(o.wscale, 7);
    EXPECT_EQ(to_string(b), "mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7");
}

TEST(OptionParser, ReadsSackBlocks) {
    option_bytes b;
    b.nop();
    b.nop();
    const sack_block blocks[] = {{1000, 2000}, {3000, 4000}, {5, 6}};
    b.sack(blocks, 3);
    option_values o;
    EXPECT_TRUE(parse_options(b, o).ok());
    EXPECT_EQ(o.sack_count, 3);
    EXPECT_EQ(o.sack[0], (sack_block{1000, 2000}));
    EXPECT_EQ(o.sack[2], (sack_block{5, 6}));
    EXPECT_EQ(to_string(b), "nop,nop,sack 1000:2000 3000:4000 5:6");
}

TEST(OptionParser, EolEndsTheListAndWhatFollowsIsPadding) {
    option_values o;
    EXPECT_TRUE(parse(bytes{2, 4, 1, 0, 0, 3, 3, 9}, o).ok());
    EXPECT_TRUE(o.has_mss);
    EXPECT_EQ(o.mss, 256);
    EXPECT_FALSE(o.has_wscale);  // after EOL
    option_bytes b;
    b.assign(bytes{2, 4, 1, 0, 0, 3, 3, 9}.data(), 8);
    EXPECT_EQ(to_string(b), "mss 256,eol");
}

TEST(OptionParser, UnknownKindsAreSkippedByTheirLength) {
    option_values o;
    // kind 30 (MPTCP), length 4, then an MSS.
    EXPECT_TRUE(parse(bytes{30, 4, 0xAA, 0xBB, 2, 4, 0, 100}, o).ok());
    EXPECT_EQ(o.mss, 100);
    option_bytes b;
    b.assign(bytes{30, 4, 0xAA, 0xBB, 2, 4, 0, 100}.data(), 8);
    EXPECT_EQ(to_string(b), "kind 30 len 4,mss 100");
}

TEST(OptionParser, AKindWithoutItsLengthByteIsTruncated) {
    option_values o;
    const auto st = parse(bytes{1, 1, 2}, o);
    EXPECT_EQ(st.error, option_error::truncated);
    EXPECT_EQ(st.offset, 2);
}

TEST(OptionParser, ALengthBelowTwoOrPastTheEndStopsTheWalk) {
    option_values o;
    auto st = parse(bytes{2, 4, 0, 50, 99, 1, 3, 3, 7}, o);  // length 1 would loop forever
    EXPECT_EQ(st.error, option_error::bad_length);
    EXPECT_EQ(st.offset, 4);
    EXPECT_EQ(o.mss, 50);          // decoded before the error
    EXPECT_FALSE(o.has_wscale);    // not trusted after it
    st = parse(bytes{99, 0}, o);   // length 0
    EXPECT_EQ(st.error, option_error::bad_length);
    st = parse(bytes{8, 10, 0, 0, 0, 1}, o);  // runs past the end
    EXPECT_EQ(st.error, option_error::bad_length);
    EXPECT_FALSE(o.has_timestamps);
}

TEST(OptionParser, AKnownKindWithTheWrongLengthIsSkippedAndReported) {
    option_values o;
    // MSS of length 3, then a good window scale.
    auto st = parse(bytes{2, 3, 5, 3, 3, 2}, o);
    EXPECT_EQ(st.error, option_error::wrong_length);
    EXPECT_EQ(st.offset, 0);
    EXPECT_FALSE(o.has_mss);
    EXPECT_TRUE(o.has_wscale);
    EXPECT_EQ(o.wscale, 2);
    st = parse(bytes{5, 2}, o);  // a SACK with no block
    EXPECT_EQ(st.error, option_error::wrong_length);
    st = parse(bytes{5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}, o);  // not 2 + 8n
    EXPECT_EQ(st.error, option_error::wrong_length);
    EXPECT_EQ(o.sack_count, 0);
    option_bytes b;
    b.assign(bytes{2, 3, 5}.data(), 3);
    EXPECT_EQ(to_string(b), "kind 2 len 3");
}

TEST(OptionParser, EveryPrefixOfEveryOptionIsReportedNotRead) {
    option_bytes full;
    full.mss(1460);
    full.sack_permitted();
    full.timestamps(7, 8);
    full.nop();
    full.wscale(7);
    for (std::size_t n = 0; n <= full.size(); ++n) {
        option_values o;
        const auto st = parse_options(full.data(), n, o);
        // Prefixes that end between options are fine; the others are reported, never read past n.
        const bool boundary = n == 0 || n == 4 || n == 6 || n == 16 || n == 17 || n == 20;
        EXPECT_EQ(st.ok(), boundary) << "prefix of " << n << " bytes";
    }
}

TEST(OptionParser, EmptyOptionsSayNothing) {
    option_values o;
    o.has_mss = true;
    EXPECT_TRUE(parse_options(nullptr, 0, o).ok());
    EXPECT_FALSE(o.has_mss);  // reset
    EXPECT_EQ(to_string(option_bytes{}), "");
}

}  // namespace
}  // namespace tcprt
