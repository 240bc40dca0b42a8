// `tcpfsm replay`: runs a packetdrill script (tcprt/script.hpp) against one sans-I/O endpoint on a
// virtual clock. Inbound segments are handed to the endpoint at their script time; the segments it
// sends are matched, in order, against the script's expected outbound segments (flags, relative
// sequence and acknowledgment numbers, length, window when given, options as packetdrill compares
// them) and their time against the tolerance; socket calls map to the endpoint's user calls and
// their results and errno are checked.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tcprt/endpoint.hpp"

namespace tcprt::replay {

struct settings {
    profile prof = profile::rfc9293();
    std::vector<std::string> defines;  // --define NAME, for #ifdef
    bool ignore_options = false;       // --ignore-options: outbound options are not compared
};

enum class verdict : std::uint8_t { pass, fail, unsupported };

struct outcome {
    verdict result = verdict::pass;
    int line = 0;         // the script line of the failed expectation or unsupported construct
    std::string message;  // what was expected and what happened, or why the script is unsupported
    std::uint64_t segments = 0;  // segments that went through the endpoint, both ways
};

// file is used in messages only. Syntax errors are failures whose message is the full
// "file:line:col: error: ..." diagnostic with the source line and a caret.
outcome run(std::string_view file, std::string_view text, const settings& s);

// `tcpfsm replay FILE...`: one line per script ("PASS f", "FAIL f:line: ...", "UNSUPPORTED f:line:
// ..."), then "N passed, N failed, N skipped". An unreadable file counts as failed. Returns the
// number of failed scripts.
struct totals {
    std::size_t passed = 0, failed = 0, skipped = 0;
    std::uint64_t segments = 0;
};
totals run_files(const std::vector<std::string>& files, const settings& s, std::ostream& out);

}  // namespace tcprt::replay
