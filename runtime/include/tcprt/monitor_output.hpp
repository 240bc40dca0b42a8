// What `tcpfsm monitor` prints: the text and JSON forms of a released connection, and the command
// itself (read every capture in order, track, print, report damage on stderr).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/monitor.hpp"

namespace tcprt::monitor {

// Text: the 4-tuple, both ends' state changes with their time since origin, then a final line.
void append_text(std::string& out, const connection_report& r, instant origin, bool anomalies);
// JSON lines: one object per state change, one per anomaly (if asked), then the final object.
void append_json(std::string& out, const connection_report& r, bool anomalies);

struct run_options {
    options track{};
    bool json = false;
    bool anomalies = false;
    bool verify_checksums = false;
    // 1: read, decode, track and print on one thread; 2: read and decode on a thread of their own
    // (capture_stream.hpp). The output is the same byte for byte.
    unsigned threads = 1;
};

// Two where the machine has two cores or more, else one: tcpfsm monitor's default --threads.
unsigned default_threads() noexcept;

// Reads the captures ("-": standard input) one after the other as one stream, prints every
// connection to out and the counts of what was skipped or damaged to err. Returns 0, or 1 when a
// capture cannot be opened (nothing is read then).
int run(const std::vector<std::string>& captures, const run_options& opts, std::FILE* out, std::FILE* err);

}  // namespace tcprt::monitor
