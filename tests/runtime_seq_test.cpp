// Sequence arithmetic (RFC 9293 section 3.4), the acceptability test of Table 6 and segment printing.
#include <gtest/gtest.h>

#include "tcprt/segment.hpp"
#include "tcprt/seq.hpp"

namespace tcprt {
namespace {

TEST(Seq, ComparesAcrossTheWrap) {
    EXPECT_TRUE(seq_lt(0xFFFFFFF0u, 0x10u));
    EXPECT_TRUE(seq_gt(0x10u, 0xFFFFFFF0u));
    EXPECT_TRUE(seq_le(5u, 5u));
    EXPECT_TRUE(seq_ge(5u, 5u));
    EXPECT_FALSE(seq_lt(5u, 5u));
    EXPECT_EQ(seq_diff(0x10u, 0xFFFFFFF0u), 0x20);
    EXPECT_EQ(seq_diff(0xFFFFFFF0u, 0x10u), -0x20);
    EXPECT_EQ(seq_max(0xFFFFFFF0u, 0x10u), 0x10u);
}

TEST(Seq, HalfTheSpaceApartIsTheLimit) {
    EXPECT_TRUE(seq_lt(0u, 0x7FFFFFFFu));
    EXPECT_TRUE(seq_gt(0u, 0x80000001u));  // further than 2^31 ahead reads as behind
}

TEST(Seq, WindowMembershipWraps) {
    EXPECT_TRUE(seq_in_window(0xFFFFFFFFu, 0xFFFFFFF0u, 0x20));
    EXPECT_TRUE(seq_in_window(0x0Fu, 0xFFFFFFF0u, 0x20));
    EXPECT_FALSE(seq_in_window(0x10u, 0xFFFFFFF0u, 0x20));  // RCV.NXT + RCV.WND itself is outside
    EXPECT_FALSE(seq_in_window(0xFFFFFFEFu, 0xFFFFFFF0u, 0x20));
    EXPECT_FALSE(seq_in_window(7u, 7u, 0));
}

TEST(Seq, BetweenIsUnambiguousHalfTheSpaceAway) {
    EXPECT_TRUE(seq_between(10u, 10u, 20u));
    EXPECT_TRUE(seq_between(10u, 20u, 20u));
    EXPECT_FALSE(seq_between(10u, 21u, 20u));
    EXPECT_TRUE(seq_between(0xFFFFFFF0u, 0x5u, 0x10u));
    // 2^31 away from both ends: the two-comparison form says yes, seq_between says no.
    EXPECT_TRUE(seq_lt(10u, 10u + 0x80000000u) && seq_le(10u + 0x80000000u, 10u));
    EXPECT_FALSE(seq_between(10u, 10u + 0x80000000u, 10u));
}

// RFC 9293 Table 6, one case per line of the table and its edges.
TEST(Table6, EmptySegmentZeroWindowOnlyAtRcvNxt) {
    EXPECT_TRUE(segment_acceptable(1000, 0, 1000, 0));
    EXPECT_FALSE(segment_acceptable(1001, 0, 1000, 0));
    EXPECT_FALSE(segment_acceptable(999, 0, 1000, 0));
}

TEST(Table6, EmptySegmentOpenWindow) {
    EXPECT_TRUE(segment_acceptable(1000, 0, 1000, 100));
    EXPECT_TRUE(segment_acceptable(1099, 0, 1000, 100));
    EXPECT_FALSE(segment_acceptable(1100, 0, 1000, 100));
    EXPECT_FALSE(segment_acceptable(999, 0, 1000, 100));
}

TEST(Table6, TextIntoAZeroWindowIsNeverAcceptable) {
    EXPECT_FALSE(segment_acceptable(1000, 1, 1000, 0));
    EXPECT_FALSE(segment_acceptable(1000, 500, 1000, 0));
}

TEST(Table6, TextAcceptableWhenEitherEndIsInTheWindow) {
    EXPECT_TRUE(segment_acceptable(1000, 10, 1000, 100));   // starts at RCV.NXT
    EXPECT_TRUE(segment_acceptable(990, 20, 1000, 100));    // old start, new end
    EXPECT_TRUE(segment_acceptable(1090, 50, 1000, 100));   // starts in, ends beyond
    EXPECT_FALSE(segment_acceptable(990, 10, 1000, 100));   // ends at RCV.NXT - 1: a duplicate
    EXPECT_FALSE(segment_acceptable(1100, 10, 1000, 100));  // starts at the right edge
}

TEST(Table6, WrapsAroundZero) {
    EXPECT_TRUE(segment_acceptable(0x5u, 10, 0xFFFFFFFAu, 100));
    EXPECT_TRUE(segment_acceptable(0xFFFFFFF0u, 20, 0xFFFFFFFAu, 100));
    EXPECT_FALSE(segment_acceptable(0xFFFFFFF0u, 10, 0xFFFFFFFAu, 100));
}

TEST(Segment, SegLenCountsSynAndFin) {
    EXPECT_EQ((segment{0, 0, SYN, 0, 0}.seg_len()), 1u);
    EXPECT_EQ((segment{0, 0, SYN | FIN, 0, 10}.seg_len()), 12u);
    EXPECT_EQ((segment{0, 0, ACK, 0, 0xFFFFFFFFu}.seg_len()), 0xFFFFFFFFull);
    EXPECT_EQ((segment{0, 0, FIN | ACK, 0, 0xFFFFFFFFu}.seg_len()), 0x100000000ull);
}

TEST(Segment, PrintsInRfcNotation) {
    EXPECT_EQ(to_string(segment{100, 301, SYN | ACK, 8, 0}), "<SEQ=100><ACK=301><CTL=SYN,ACK> wnd=8 len=0");
    EXPECT_EQ(to_string(segment{0, 7, RST | ACK, 0, 0}), "<SEQ=0><ACK=7><CTL=RST,ACK> wnd=0 len=0");
    EXPECT_EQ(to_string(segment{5, 9, RST, 0, 0}), "<SEQ=5><CTL=RST> wnd=0 len=0");
}

}  // namespace
}  // namespace tcprt
