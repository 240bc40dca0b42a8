// The baseline of the tcpfsm monitor benchmark: read every record of a capture with libpcap and do
// nothing else (touch the bytes' length so that the loop is not optimized away).
//
//   pcap_read_loop FILE [STDIO_BUFFER_BYTES]
//
// By default the file is read through the same 1 MiB stdio buffer as tcpfsm monitor's reader
// (capture.cpp), so that the two pay the same for the kernel's reads; STDIO_BUFFER_BYTES 0 opens it
// with pcap_open_offline(), libpcap's default (4 KiB per read() with glibc).
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: pcap_read_loop FILE [STDIO_BUFFER_BYTES]\n");
        return 2;
    }
    const std::size_t buffer_size = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : std::size_t{1} << 20;
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = nullptr;
    std::unique_ptr<char[]> buffer;
    if (buffer_size == 0) {
        p = pcap_open_offline(argv[1], err);
    } else {
        std::FILE* f = std::fopen(argv[1], "rb");
        if (!f) {
            std::perror("pcap_read_loop");
            return 1;
        }
        // glibc ignores setvbuf's size unless it is given the buffer.
        buffer = std::make_unique<char[]>(buffer_size);
        std::setvbuf(f, buffer.get(), _IOFBF, buffer_size);
        p = pcap_fopen_offline(f, err);
    }
    if (!p) {
        std::fprintf(stderr, "pcap_read_loop: %s\n", err);
        return 1;
    }
    pcap_pkthdr* h;
    const u_char* data;
    unsigned long long records = 0, bytes = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        ++records;
        bytes += h->caplen + (h->caplen ? data[0] : 0);
    }
    pcap_close(p);
    std::printf("%llu records, %llu bytes\n", records, bytes);
    return 0;
}
