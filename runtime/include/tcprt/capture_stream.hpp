// Captures read one after the other as one stream: each file opened, its TCP segments, its end. On
// one thread, or split in two: a reading thread runs libpcap and decode() (link, IP and TCP headers,
// checksums) and hands the segments over in batches through a bounded queue to the calling thread,
// which sees the same calls in the same order. tcpfsm monitor uses the second where there are two
// cores: reading and decoding is about half of its work (docs/performance.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tcprt/capture.hpp"

namespace tcprt::capture {

// What happens to a stream of captures, in order. Every call is made on the thread that called
// read_stream(), whichever thread read the file.
class stream_events {
public:
    virtual ~stream_events() = default;
    // The capture was opened; its records follow.
    virtual void opened(const std::string& path, int link_type) = 0;
    // The next n segments of it, in capture order.
    virtual void segments(const tcp_packet* p, std::size_t n) = 0;
    // The capture ended (c: its counts; files_cut_short when a read error ended it, with the reason).
    virtual void ended(const std::string& path, const counts& c, const std::string& stop_reason) = 0;
    // The capture could not be opened: the stream stops here.
    virtual void failed(const std::string& path, const std::string& error) = 0;
};

// Reads paths in order ("-": standard input) into to; threads 1: on this thread; 2: libpcap and
// decoding on a thread of its own. An exception thrown by a call of to stops the reading thread and
// goes on to the caller.
void read_stream(const std::vector<std::string>& paths, bool verify_checksums, stream_events& to, unsigned threads);

}  // namespace tcprt::capture
