// The baseline of the tcpfsm monitor benchmark: read every record of a capture with libpcap and do
// nothing else (touch the bytes' length so that the loop is not optimized away).
//
//   pcap_read_loop FILE
#include <pcap/pcap.h>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: pcap_read_loop FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(argv[1], err);
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
