// A packetdrill script (https://github.com/google/packetdrill, lexer.l and parser.y) as data: the
// `--name=value` options at its top, then events, each a time and an action (an inbound or expected
// outbound TCP segment, a socket call with its expected result, a shell command, a code block).
// parse_script() reads the text; it never throws on bad input: the first syntax error comes back as
// a diagnostic, and constructs the replayer does not model are recorded as "unsupported".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tcprt/options.hpp"

namespace tcprt::script {

struct position {
    int line = 0;
    int col = 0;
};

// When an event happens: `0.1` (absolute), `+0.1` (after the previous event), `*` (any time, outbound
// segments only), `a~b` or `+a~+b` (a range, outbound segments only). Microseconds.
struct event_time {
    enum class kind : std::uint8_t { absolute, relative, any, absolute_range, relative_range } what = kind::absolute;
    std::int64_t usecs = 0;
    std::int64_t end_usecs = 0;  // ranges only
};

// `< S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 7>` and the like. Sequence numbers are relative
// to the ISN of the side that sends the segment, acknowledgments to the other side's.
struct segment_spec {
    bool inbound = true;
    std::string flags_text;   // as written, for messages: "S.", "F.", "R", "."
    std::uint8_t flags = 0;   // tcprt::flag bits
    std::uint32_t start = 0;  // start:end(len)
    std::uint32_t len = 0;
    std::uint32_t ack = 0;    // `ack N`, 0 when absent (as packetdrill)
    std::optional<std::uint32_t> win;  // `win N`; required inbound, not checked outbound when absent
    bool any_options = false;         // `<...>`: options not checked
    option_bytes options;             // `<mss 1460,...>`; empty when absent
};

// An argument or a result of a socket call. Only what the replayer reads is kept apart; the rest of
// packetdrill's expression language (sockaddrs, msghdrs, iovecs...) parses into `other`.
struct expr {
    enum class kind : std::uint8_t { integer, word, string, ellipsis, list, other } what = kind::other;
    std::int64_t value = 0;     // integer
    std::string text;           // word or string; for `A|B` the words joined by '|'
    std::vector<expr> items;    // list `[...]`
};

// `+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)`
struct call_spec {
    std::string name;
    std::vector<expr> args;
    expr result;
    std::string error;  // the errno name, empty when none
    bool blocking_end = false;  // `...0.1 accept(...)`: the call returns later
    std::int64_t end_usecs = 0;
};

// A backtick line: a shell command (sysctl and the like).
struct command_spec {
    std::string text;
};

// `%{ assert tcpi_state == TCP_CLOSE_WAIT }%`: the one form of packetdrill's python blocks that the
// replayer runs, the socket's state by the Linux name packetdrill gives its tcp_info (TCP_ESTABLISHED,
// TCP_SYN_RECV, TCP_CLOSE...). Any other code block makes the script unsupported.
struct state_check {
    std::string expected;  // "TCP_CLOSE_WAIT"
};

struct event {
    position at;
    event_time time;
    std::variant<segment_spec, call_spec, command_spec, state_check> action;
};

struct option_setting {
    position at;
    std::string name;   // without the leading "--"
    std::string value;  // empty when the option has none
};

struct parsed {
    std::vector<option_setting> settings;
    std::vector<event> events;
    // Set when the script uses something the replayer does not model; the first such thing wins.
    std::optional<std::string> unsupported;
    position unsupported_at;
};

struct diagnostic {
    position at;
    std::string message;
};

// `#ifdef NAME` / `#ifndef NAME` / `#else` / `#endif` are resolved first, line by line, against
// defines (the `--define NAME` of the command line and of the script's own options).
struct parse_result {
    std::optional<parsed> script;
    std::optional<diagnostic> error;
};
parse_result parse_script(std::string_view text, const std::vector<std::string>& defines = {});

// "file:line:col: error: message", the source line, and a caret under the column.
std::string format_diagnostic(std::string_view file, std::string_view text, const diagnostic& d);

// The Linux tcpi_state names, in the order of tcprt::state (CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED,
// ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT).
inline constexpr std::string_view tcpi_state_names[] = {
    "TCP_CLOSE",     "TCP_LISTEN",     "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_ESTABLISHED", "TCP_FIN_WAIT1",
    "TCP_FIN_WAIT2", "TCP_CLOSE_WAIT", "TCP_CLOSING",  "TCP_LAST_ACK", "TCP_TIME_WAIT"};

}  // namespace tcprt::script
