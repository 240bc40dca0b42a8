// The packetdrill script reader (tcprt/script.hpp) and the replayer (tcprt/replay.hpp): what each
// construct of packetdrill's grammar parses to, the diagnostics of malformed lines (whole text,
// as ninja's parser tests do), and replay verdicts naming the script line.
#include <gtest/gtest.h>

#include <variant>

#include "tcprt/replay.hpp"
#include "tcprt/script.hpp"
#include "tcprt/segment.hpp"

namespace tcprt {
namespace {

using namespace script;

parsed parse_ok(std::string_view text, const std::vector<std::string>& defines = {}) {
    auto r = parse_script(text, defines);
    EXPECT_FALSE(r.error) << (r.error ? r.error->message : "");
    return r.script ? *r.script : parsed{};
}

std::string parse_error(std::string_view text) {
    auto r = parse_script(text);
    EXPECT_TRUE(r.error);
    return r.error ? format_diagnostic("t.pkt", text, *r.error) : "";
}

TEST(ScriptParser, OptionsAtTheTop) {
    const auto p = parse_ok("--tolerance_usecs=1000\n--ip_version=ipv4\n--define=X=1\n--verbose\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    ASSERT_EQ(p.settings.size(), 4u);
    EXPECT_EQ(p.settings[0].name, "tolerance_usecs");
    EXPECT_EQ(p.settings[0].value, "1000");
    EXPECT_EQ(p.settings[2].value, "X=1");
    EXPECT_EQ(p.settings[3].value, "");
}

TEST(ScriptParser, TimesAbsoluteRelativeAnyAndRanges) {
    const auto p = parse_ok("0.1 > S 0:0(0)\n+.25 > . 1:1(0) ack 1\n* > . 1:1(0) ack 1\n1~2 > . 1:1(0) ack 1\n+0.1~+0.3 > . 1:1(0) ack 1\n2 < . 1:1(0) ack 1 win 10\n");
    ASSERT_EQ(p.events.size(), 6u);
    EXPECT_EQ(p.events[0].time.what, event_time::kind::absolute);
    EXPECT_EQ(p.events[0].time.usecs, 100000);
    EXPECT_EQ(p.events[1].time.what, event_time::kind::relative);
    EXPECT_EQ(p.events[1].time.usecs, 250000);
    EXPECT_EQ(p.events[2].time.what, event_time::kind::any);
    EXPECT_EQ(p.events[3].time.what, event_time::kind::absolute_range);
    EXPECT_EQ(p.events[3].time.end_usecs, 2000000);
    EXPECT_EQ(p.events[4].time.what, event_time::kind::relative_range);
    EXPECT_EQ(p.events[4].time.end_usecs, 300000);
    EXPECT_EQ(p.events[5].at.line, 6);
}

TEST(ScriptParser, SegmentsWithFlagsNumbersAndOptions) {
    const auto p = parse_ok(
        "0 < S 0:0(0) win 32792 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
        "+0 > S. 0:0(0) ack 1 <...>\n"
        "+0 < FP. 1:11(10) ack 1 win 257\n"
        "+0 > R 1:1(0)\n"
        "+0 < SF 5:5(0) win 1 <nop,nop,sack 1:2 3:4,eol>\n"
        "+0 < - 1:1(0) win 9\n");
    ASSERT_EQ(p.events.size(), 6u);
    const auto& syn = std::get<segment_spec>(p.events[0].action);
    EXPECT_TRUE(syn.inbound);
    EXPECT_EQ(syn.flags, SYN);
    EXPECT_EQ(*syn.win, 32792u);
    EXPECT_EQ(to_string(syn.options), "mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7");
    const auto& synack = std::get<segment_spec>(p.events[1].action);
    EXPECT_FALSE(synack.inbound);
    EXPECT_EQ(synack.flags, SYN | ACK);
    EXPECT_EQ(synack.ack, 1u);
    EXPECT_TRUE(synack.any_options);
    const auto& data = std::get<segment_spec>(p.events[2].action);
    EXPECT_EQ(data.flags, FIN | PSH | ACK);
    EXPECT_EQ(data.start, 1u);
    EXPECT_EQ(data.len, 10u);
    EXPECT_EQ(std::get<segment_spec>(p.events[3].action).flags, RST);
    EXPECT_EQ(to_string(std::get<segment_spec>(p.events[4].action).options), "nop,nop,sack 1:2 3:4,eol");
    EXPECT_EQ(std::get<segment_spec>(p.events[5].action).flags, 0);
}

TEST(ScriptParser, SystemCallsWithResultsAndErrno) {
    const auto p = parse_ok(
        "0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
        "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n"
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0\n"
        "+0...0.5 accept(3, ..., ...) = 4\n");
    ASSERT_EQ(p.events.size(), 5u);
    const auto& c = std::get<call_spec>(p.events[0].action);
    EXPECT_EQ(c.name, "connect");
    EXPECT_EQ(c.result.value, -1);
    EXPECT_EQ(c.error, "EINPROGRESS");
    const auto& g = std::get<call_spec>(p.events[1].action);
    ASSERT_EQ(g.args[3].what, expr::kind::list);
    EXPECT_EQ(g.args[3].items[0].text, "ECONNREFUSED");
    EXPECT_EQ(std::get<call_spec>(p.events[2].action).args[2].text, "O_RDWR|O_NONBLOCK");
    EXPECT_TRUE(std::get<call_spec>(p.events[4].action).blocking_end);
}

TEST(ScriptParser, CommentsCommandsAndStatementsAcrossLines) {
    const auto p = parse_ok("`sysctl -q net.ipv4.tcp_rfc1337=1`\n// a comment\n0 socket(..., /* c */ SOCK_STREAM,\n   IPPROTO_TCP) = 3\n+0 `echo hi`\n");
    ASSERT_EQ(p.events.size(), 3u);
    EXPECT_EQ(std::get<command_spec>(p.events[0].action).text, "sysctl -q net.ipv4.tcp_rfc1337=1");
    EXPECT_EQ(std::get<call_spec>(p.events[1].action).name, "socket");
}

TEST(ScriptParser, IfdefElseEndifWithDefinesFromTheCommandLineAndTheScript) {
    const char* text = "#ifdef LINUX\n0 > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>\n#else\n0 > S 0:0(0) <mss 1460>\n#endif\n";
    EXPECT_EQ(to_string(std::get<segment_spec>(parse_ok(text, {"LINUX"}).events.at(0).action).options),
              "mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7");
    const auto plain = parse_ok(text);
    ASSERT_EQ(plain.events.size(), 1u);
    EXPECT_EQ(plain.events[0].at.line, 4);  // lines keep their numbers
    EXPECT_EQ(parse_ok(std::string("--define=LINUX\n") + text).events.at(0).at.line, 3);
    EXPECT_EQ(parse_ok("#ifndef X\n0 > S 0:0(0)\n#endif\n").events.size(), 1u);
}

TEST(ScriptParser, UnsupportedConstructsAreRecordedNotRejected) {
    auto p = parse_ok("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ print(1) }%\n");
    ASSERT_TRUE(p.unsupported);
    EXPECT_EQ(p.unsupported_at.line, 2);
    p = parse_ok("0 < udp (10)\n");
    ASSERT_TRUE(p.unsupported);
    p = parse_ok("0 < S 0:0(0) win 10 <md5 abc>\n");
    ASSERT_TRUE(p.unsupported);
    // only `assert tcpi_state == TCP_...` is run; any other assertion is python like the rest
    for (const char* code : {"assert tcpi_state != TCP_CLOSE", "assert tcpi_state == TCP_CLOSED",
                             "assert tcpi_ca_state == TCP_CA_Open", "assert tcpi_state == TCP_CLOSE or True"}) {
        p = parse_ok(std::string("0 %{ ") + code + " }%\n");
        EXPECT_TRUE(p.unsupported) << code;
    }
}

TEST(ScriptParser, TcpiStateAssertionsAreStateChecks) {
    const auto p = parse_ok("0 %{ assert tcpi_state == TCP_CLOSE }%\n+0 %{\n  assert tcpi_state == TCP_SYN_RECV, tcpi_state\n}%\n");
    EXPECT_FALSE(p.unsupported);
    ASSERT_EQ(p.events.size(), 2u);
    EXPECT_EQ(std::get<state_check>(p.events[0].action).expected, "TCP_CLOSE");
    EXPECT_EQ(std::get<state_check>(p.events[1].action).expected, "TCP_SYN_RECV");
}

TEST(ScriptParser, MalformedLinesGetFileLineColumnAndACaret) {
    EXPECT_EQ(parse_error("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:10(5) win 1\n"),
              "t.pkt:2:13: error: inconsistent TCP sequence numbers and payload size\n"
              "+0 < S 0:10(5) win 1\n"
              "            ^\n");
    EXPECT_EQ(parse_error("0 < S 0:0(0)\n"),
              "t.pkt:1:3: error: window must be specified for inbound packets ('win N')\n"
              "0 < S 0:0(0)\n"
              "  ^\n");
    EXPECT_EQ(parse_error("0 > S 0:0(0) <mss 1460,bogus 3>\n"),
              "t.pkt:1:24: error: unknown TCP option 'bogus'\n"
              "0 > S 0:0(0) <mss 1460,bogus 3>\n"
              "                       ^\n");
    EXPECT_NE(parse_error("0 > Q 0:0(0)\n").find("1:5: error: unknown TCP flag 'Q' in 'Q'"), std::string::npos);
    EXPECT_NE(parse_error("0 < S 0:0(0) win 10 <...>\n").find("<...> for TCP options can only be used with outbound"),
              std::string::npos);
    EXPECT_NE(parse_error("* < S 0:0(0) win 1\n").find("can only be used with outbound packets"), std::string::npos);
    EXPECT_NE(parse_error("-1 socket() = 3\n").find("negative time"), std::string::npos);
    EXPECT_NE(parse_error("0 read(3, ..., 10 = 10\n").find("expected ')'"), std::string::npos);
    EXPECT_NE(parse_error("0 > S 0:0(0) <mss 99999>\n").find("mss value out of range"), std::string::npos);
    EXPECT_NE(parse_error("0 write(3, \"abc").find("string without its closing"), std::string::npos);
    EXPECT_NE(parse_error("0 x() = 1 /* open").find("comment '/*' without"), std::string::npos);
    EXPECT_NE(parse_error("#ifdef A\n0 x() = 1\n").find("1:1: error: #ifdef without #endif"), std::string::npos);
    EXPECT_NE(parse_error("#endif\n").find("#endif without #ifdef"), std::string::npos);
    EXPECT_NE(parse_error("#include <x>\n").find("unknown directive '#include'"), std::string::npos);
    EXPECT_NE(parse_error("0 > S 0:0(0) <nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
                          "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop>\n")
                  .find("TCP option list too long"),
              std::string::npos);
    EXPECT_NE(parse_error("0 \x01\n").find("unexpected byte 0x01"), std::string::npos);
    EXPECT_NE(parse_error("0 x(99999999999999999999) = 1\n").find("number too large"), std::string::npos);
}

// ---- the replayer --------------------------------------------------------------------------------

const char* const handshake =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+0 < S 0:0(0) win 32792 <mss 1000>\n"
    "+0 > S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
    "+.1 < . 1:1(0) ack 1 win 32792\n"
    "+0 accept(3, ..., ...) = 4\n";

replay::outcome replay_text(const std::string& text, const char* profile = "rfc9293", bool ignore_options = false) {
    replay::settings s;
    apply_profiles(profile, s.prof);
    s.ignore_options = ignore_options;
    return replay::run("t.pkt", text, s);
}

TEST(Replay, AHandshakePasses) {
    const auto o = replay_text(handshake);
    EXPECT_EQ(o.result, replay::verdict::pass) << o.message;
    EXPECT_EQ(o.segments, 3u);
}

TEST(Replay, AWrongFieldFailsAtItsLineShowingExpectedAndActual) {
    std::string text = handshake;
    text += "+0 < P. 1:11(10) ack 1 win 32792\n+0 > . 1:1(0) ack 12 win 65525\n";
    const auto o = replay_text(text);
    EXPECT_EQ(o.result, replay::verdict::fail);
    EXPECT_EQ(o.line, 9);
    EXPECT_EQ(o.message,
              "outbound segment: ack 11, expected 12\n"
              "    expected: . 1:1(0) ack 12 win 65525\n"
              "    actual:   . 1:1(0) ack 11 win 65525");
}

TEST(Replay, OptionsAreComparedUnlessIgnored) {
    std::string text = handshake;
    text.replace(text.find("<mss 1460>"), 10, "<mss 1000>");
    EXPECT_EQ(replay_text(text).result, replay::verdict::fail);
    EXPECT_EQ(replay_text(text, "rfc9293", true).result, replay::verdict::pass);
}

TEST(Replay, ASegmentSentAtTheWrongTimeFails) {
    const std::string text =
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n+0 > S 0:0(0) <...>\n";
    EXPECT_EQ(replay_text(text + "+1 > S 0:0(0) <...>\n").result, replay::verdict::pass);
    EXPECT_EQ(replay_text(text + "+0.9~+1.1 > S 0:0(0) <...>\n").result, replay::verdict::pass);
    const auto early = replay_text(text + "+2 > S 0:0(0) <...>\n");
    EXPECT_EQ(early.result, replay::verdict::fail);
    EXPECT_EQ(early.line, 5);
    EXPECT_NE(early.message.find("sent at 1"), std::string::npos) << early.message;
    // a retransmission nobody expected, before the next line
    const auto extra = replay_text(text + "+2 < R 0:0(0) win 0\n");
    EXPECT_EQ(extra.result, replay::verdict::fail);
    EXPECT_NE(extra.message.find("unexpected outbound segment S 0:0(0)"), std::string::npos) << extra.message;
}

TEST(Replay, SysctlsThatTheEndpointHasChangeIt) {
    // net.ipv4.tcp_timestamps and tcp_sack turn the linux profile's offer down
    const std::string text =
        "`sysctl -q net.ipv4.tcp_timestamps=0; sysctl -q net.ipv4.tcp_sack=0`\n"
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n+0 > S 0:0(0) <mss 1460,nop,wscale 7>\n";
    const auto o = replay_text(text, "linux");
    EXPECT_EQ(o.result, replay::verdict::pass) << o.message;
}

TEST(Replay, TheStateAssertionComparesTheEndpointsState) {
    EXPECT_EQ(replay_text("0 %{ assert tcpi_state == TCP_CLOSE }%\n").result, replay::verdict::pass);
    EXPECT_EQ(replay_text(std::string(handshake) + "+0 %{ assert tcpi_state == TCP_ESTABLISHED }%\n").result,
              replay::verdict::pass);
    const auto o = replay_text(std::string(handshake) + "+0 %{ assert tcpi_state == TCP_CLOSE_WAIT }%\n");
    EXPECT_EQ(o.result, replay::verdict::fail);
    EXPECT_EQ(o.line, 8);
    EXPECT_EQ(o.message, "tcpi_state is TCP_ESTABLISHED, expected TCP_CLOSE_WAIT");
}

TEST(Replay, UnsupportedCallsSkipTheScript) {
    const auto o = replay_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 poll([{fd=3, events=POLLIN}], 1, 0) = 0\n");
    EXPECT_EQ(o.result, replay::verdict::unsupported);
    EXPECT_EQ(o.line, 2);
}

}  // namespace
}  // namespace tcprt
