// tcpfsm monitor against the Linux kernel's own TCP. Each scenario opens real connections between
// sockets on the loopback interface of a private network namespace, captures them with tcpdump,
// takes `ss -tan` snapshots at quiet moments, and checks that the monitor's state of every end at
// each snapshot is the state the kernel reports, and that each end went through the states RFC 9293
// says (written here by hand).
//
// The live tests run with --live (ctest: tcpfsm_monitor.kernel_live) and need root (a network
// namespace, tcpdump on its loopback, tc). Not root: the run exits with 77, which ctest reports as
// skipped, with the reason. Root: whatever stops a live capture is a failure, never a pass that
// checked nothing (CI runs as root). The fixture tests run everywhere on captures and snapshots
// recorded by the live tests (TCPFSM_RECORD_FIXTURES=DIR; tests/captures/README.md).
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tcprt/capture.hpp"
#include "tcprt/monitor.hpp"

using namespace tcprt;
using namespace tcprt::monitor;
using S = tcprt::state;

namespace tcprt {
void PrintTo(state s, std::ostream* os) { *os << name(s); }
}  // namespace tcprt

namespace {

// ---- what the kernel says ------------------------------------------------------------------------

struct socket_state {
    std::string state, local, peer;  // as ss prints them
};

struct snapshot {
    std::string label;
    instant time{};
    std::vector<socket_state> sockets;  // listening sockets left out
};

instant wall_now() {
    return instant{std::chrono::duration_cast<tcprt::duration>(std::chrono::system_clock::now().time_since_epoch())};
}

std::vector<socket_state> run_ss() {
    std::vector<socket_state> out;
    FILE* p = popen("ss -tanH 2>/dev/null", "r");
    if (!p) return out;
    char line[512];
    while (std::fgets(line, sizeof line, p)) {
        std::istringstream in(line);
        socket_state s;
        std::string recvq, sendq;
        if (!(in >> s.state >> recvq >> sendq >> s.local >> s.peer)) continue;
        if (s.state != "LISTEN") out.push_back(s);
    }
    pclose(p);
    return out;
}

// ss's names for the kernel's states, in the spec's words. A socket ss does not list is CLOSED.
std::string spec_name(const std::string& ss_state) {
    static const std::map<std::string, std::string> names = {
        {"ESTAB", "ESTABLISHED"}, {"SYN-SENT", "SYN_SENT"},     {"SYN-RECV", "SYN_RECEIVED"},
        {"FIN-WAIT-1", "FIN_WAIT_1"}, {"FIN-WAIT-2", "FIN_WAIT_2"}, {"CLOSE-WAIT", "CLOSE_WAIT"},
        {"CLOSING", "CLOSING"},   {"LAST-ACK", "LAST_ACK"},     {"TIME-WAIT", "TIME_WAIT"},
        {"UNCONN", "CLOSED"},     {"CLOSE", "CLOSED"}};
    const auto it = names.find(ss_state);
    return it == names.end() ? "?" + ss_state : it->second;
}

// ---- the monitor's view ------------------------------------------------------------------------

std::vector<connection_report> monitor_capture(const std::string& path) {
    std::vector<connection_report> reports;
    std::string error;
    auto rd = capture::reader::open(path, false, error);
    EXPECT_TRUE(rd) << error;
    if (!rd) return reports;
    tracker track({}, [&](connection_report&& r) { reports.push_back(std::move(r)); });
    capture::tcp_packet p;
    while (rd->next(p)) track.add(p);
    track.finish();
    EXPECT_EQ(rd->counts().files_cut_short, 0u) << rd->stop_reason();
    return reports;
}

// An end's state at time t: where reporting began, then every change up to t.
state state_at(const connection_report& r, role side, instant t) {
    state s = side == role::client ? r.client_initial : r.server_initial;
    for (const auto& tr : r.transitions)
        if (tr.side == side && tr.time <= t) s = tr.to;
    return s;
}

std::vector<state> path(const connection_report& r, role side) {
    std::vector<state> p{side == role::client ? r.client_initial : r.server_initial};
    for (const auto& t : r.transitions)
        if (t.side == side) p.push_back(t.to);
    return p;
}

// What a scenario expects besides agreeing with the kernel.
struct expectation {
    std::size_t connections = 1;
    std::vector<state> client, server;  // the path of each end, when there is one connection
    std::string conn_state;             // of every connection
};

void check(const std::string& pcap, const std::vector<snapshot>& snaps, const expectation& want) {
    const auto reports = monitor_capture(pcap);
    ASSERT_EQ(reports.size(), want.connections);
    for (const auto& r : reports) {
        EXPECT_TRUE(r.start_seen) << conn_name(r);
        EXPECT_EQ(r.conn_state, want.conn_state) << conn_name(r);
        for (auto n : r.anomaly_counts) EXPECT_EQ(n, 0u) << conn_name(r);
    }
    if (want.connections == 1) {
        if (!want.client.empty()) {
            EXPECT_EQ(path(reports[0], role::client), want.client);
        }
        if (!want.server.empty()) {
            EXPECT_EQ(path(reports[0], role::server), want.server);
        }
    }
    for (const auto& snap : snaps) {
        std::size_t matched = 0;
        for (const auto& r : reports) {
            for (role side : {role::client, role::server}) {
                const std::string local = capture::to_string(side == role::client ? r.client : r.server);
                const std::string peer = capture::to_string(side == role::client ? r.server : r.client);
                std::string kernel = "CLOSED";
                for (const auto& s : snap.sockets)
                    if (s.local == local && s.peer == peer) {
                        kernel = spec_name(s.state);
                        ++matched;
                    }
                state mine = state_at(r, side, snap.time);
                if (mine == S::LISTEN) mine = S::CLOSED;  // the listener remains; this connection has no socket
                EXPECT_EQ(std::string(name(mine)), kernel)
                    << "at '" << snap.label << "', " << name(side) << " " << local << " of " << conn_name(r);
            }
        }
        if (matched != snap.sockets.size()) {
            std::string all;
            for (const auto& k : snap.sockets) all += "\n  " + k.state + " " + k.local + " " + k.peer;
            ADD_FAILURE() << "at '" << snap.label << "' ss lists sockets the capture does not show:" << all;
        }
    }
}

// ---- sockets -------------------------------------------------------------------------------------

sockaddr_storage loopback(int family, std::uint16_t port) {
    sockaddr_storage a{};
    if (family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&a);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&a);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        in6->sin6_addr = in6addr_loopback;
    }
    return a;
}
socklen_t addr_len(int family) { return family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6); }

std::uint16_t port_of(int fd) {
    sockaddr_storage a{};
    socklen_t n = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    return ntohs(a.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port
                                        : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
}

int bound_socket(int family, std::uint16_t port = 0) {
    const int fd = socket(family, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const auto a = loopback(family, port);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&a), addr_len(family)) != 0) ADD_FAILURE() << "bind: " << std::strerror(errno);
    return fd;
}

int listener(int family) {
    const int fd = bound_socket(family);
    listen(fd, 128);
    return fd;
}

int connect_to(int family, std::uint16_t port) {
    const int fd = socket(family, SOCK_STREAM, 0);
    const auto a = loopback(family, port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&a), addr_len(family)) != 0)
        ADD_FAILURE() << "connect: " << std::strerror(errno);
    return fd;
}

int accept_one(int l) { return accept(l, nullptr, nullptr); }

void send_bytes(int fd, std::size_t n) {
    const std::string data(n, 'x');
    std::size_t done = 0;
    while (done < n) {
        const ssize_t k = send(fd, data.data() + done, n - done, 0);
        if (k <= 0) {
            ADD_FAILURE() << "send: " << std::strerror(errno);
            return;
        }
        done += static_cast<std::size_t>(k);
    }
}

// Reads exactly n bytes, or until end of file when n is 0; returns the count.
std::size_t read_bytes(int fd, std::size_t n) {
    char buf[4096];
    std::size_t got = 0;
    while (n == 0 || got < n) {
        const std::size_t want = n == 0 ? sizeof buf : std::min(sizeof buf, n - got);
        const ssize_t k = recv(fd, buf, want, 0);
        if (k <= 0) break;
        got += static_cast<std::size_t>(k);
    }
    return got;
}

void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(150)); }

// ---- the environment: a private network namespace and tcpdump --------------------------------------

// Empty when live tests can run, else why not.
const std::string& live_unavailable() {
    static const std::string why = [] () -> std::string {
        if (geteuid() != 0) return "not root: a private network namespace and tcpdump need CAP_SYS_ADMIN and CAP_NET_RAW";
        if (std::system("tcpdump --version >/dev/null 2>&1") != 0) return "tcpdump is not installed";
        if (std::system("ss -V >/dev/null 2>&1") != 0) return "ss (iproute2) is not installed";
        if (unshare(CLONE_NEWNET) != 0) return std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno);
        // The new namespace's loopback starts down.
        const int s = socket(AF_INET, SOCK_DGRAM, 0);
        ifreq ifr{};
        std::strcpy(ifr.ifr_name, "lo");
        ioctl(s, SIOCGIFFLAGS, &ifr);
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        const int rc = ioctl(s, SIOCSIFFLAGS, &ifr);
        close(s);
        if (rc != 0) return std::string("cannot bring up lo in the new namespace: ") + std::strerror(errno);
        return "";
    }();
    return why;
}

class tcpdump {
public:
    explicit tcpdump(const std::string& path) {
        int err[2];
        if (pipe(err) != 0) return;
        pid_ = fork();
        if (pid_ == 0) {
            dup2(err[1], 2);
            close(err[0]);
            // --immediate-mode: otherwise packets wait in the kernel for a full block or a second.
            // Headers are enough (-s 160: Ethernet, IPv6, TCP with 60 bytes of options), and
            // short frames let the ring hold the 100-connection burst.
            execlp("tcpdump", "tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode", "-s", "160", "-B", "32768", "-w", path.c_str(), "tcp",
                   static_cast<char*>(nullptr));
            _exit(127);
        }
        close(err[1]);
        err_ = err[0];
        // It is capturing once it says it is listening.
        while (log_.find("listening on") == std::string::npos && read_some(5000)) {
        }
        ready_ = log_.find("listening on") != std::string::npos;
    }
    bool ready() const { return ready_; }
    // Stops it and returns its report ("N packets captured ... 0 packets dropped by kernel").
    std::string stop() {
        settle();
        if (pid_ > 0) {
            kill(pid_, SIGINT);
            while (read_some(5000)) {
            }
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        if (err_ >= 0) close(err_);
        err_ = -1;
        return log_;
    }
    ~tcpdump() { stop(); }

private:
    bool read_some(int timeout_ms) {
        pollfd p{err_, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) return false;
        char buf[512];
        const ssize_t n = read(err_, buf, sizeof buf);
        if (n <= 0) return false;
        log_.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    pid_t pid_ = -1;
    int err_ = -1;
    bool ready_ = false;
    std::string log_;
};

// ---- the scenarios ---------------------------------------------------------------------------------

// Snapshots keep only the scenario's own sockets: those of earlier scenarios (TIME-WAIT lasts 60 s)
// were there before it began.
struct recorder {
    std::vector<socket_state> before = run_ss();
    std::vector<snapshot> snaps;
    void snap(const std::string& label) {
        settle();
        snapshot s;
        s.label = label;
        s.time = wall_now();
        for (auto& k : run_ss()) {
            bool old = false;
            for (const auto& b : before) old = old || (b.local == k.local && b.peer == k.peer);
            if (!old) s.sockets.push_back(std::move(k));
        }
        snaps.push_back(std::move(s));
    }
};

struct scenario {
    std::string name;
    std::function<void(recorder&)> run;
    expectation want;
};
void PrintTo(const scenario& sc, std::ostream* os) { *os << sc.name; }

const std::vector<S> active_close{S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT};
const std::vector<S> passive_close{S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED};

void normal_close(recorder& rec, int family, bool client_first) {
    const int l = listener(family);
    const int c = connect_to(family, port_of(l));
    const int s = accept_one(l);
    send_bytes(c, 100);
    read_bytes(s, 100);
    send_bytes(s, 200);
    read_bytes(c, 200);
    rec.snap("established, data exchanged");
    const int first = client_first ? c : s, second = client_first ? s : c;
    close(first);
    rec.snap("one end closed");
    EXPECT_EQ(read_bytes(second, 0), 0u);
    close(second);
    rec.snap("both closed");
    close(l);
}

const std::vector<scenario>& scenarios() {
    static const std::vector<scenario> all = {
        {"client-closes", [](recorder& r) { normal_close(r, AF_INET, true); }, {1, active_close, passive_close, "SF"}},
        {"server-closes-ipv6", [](recorder& r) { normal_close(r, AF_INET6, false); },
         {1,
          {S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED},
          {S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT},
          "SF"}},
        {"abort-rst",
         [](recorder& rec) {
             const int l = listener(AF_INET);
             const int c = connect_to(AF_INET, port_of(l));
             const int s = accept_one(l);
             send_bytes(c, 10);
             read_bytes(s, 10);
             rec.snap("established");
             const linger lg{1, 0};  // SO_LINGER with a zero timeout: close() aborts with a RST
             setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
             close(c);
             rec.snap("client aborted");
             close(s);
             close(l);
         },
         {1,
          {S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::CLOSED},
          {S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::CLOSED},
          "RSTO"}},
        {"refused",
         [](recorder& rec) {
             const int probe = bound_socket(AF_INET);  // a port nobody listens on
             const std::uint16_t port = port_of(probe);
             close(probe);
             const int c = socket(AF_INET, SOCK_STREAM, 0);
             const auto a = loopback(AF_INET, port);
             EXPECT_NE(connect(c, reinterpret_cast<const sockaddr*>(&a), addr_len(AF_INET)), 0);
             EXPECT_EQ(errno, ECONNREFUSED);
             rec.snap("refused");
             close(c);
         },
         {1, {S::CLOSED, S::SYN_SENT, S::CLOSED}, {S::CLOSED}, "REJ"}},
        {"half-close",
         [](recorder& rec) {
             const int l = listener(AF_INET);
             const int c = connect_to(AF_INET, port_of(l));
             const int s = accept_one(l);
             send_bytes(c, 50);
             shutdown(c, SHUT_WR);  // the client's FIN; it still reads
             EXPECT_EQ(read_bytes(s, 0), 50u);
             rec.snap("client sent its FIN");
             send_bytes(s, 3000);  // data after the client's FIN, from the end that has not closed
             EXPECT_EQ(read_bytes(c, 3000), 3000u);
             rec.snap("server sent data after the client's FIN");
             close(s);
             EXPECT_EQ(read_bytes(c, 0), 0u);
             rec.snap("server closed");
             close(c);
             close(l);
         },
         {1, active_close, passive_close, "SF"}},
        {"close-with-unread-data",
         [](recorder& rec) {
             const int l = listener(AF_INET);
             const int c = connect_to(AF_INET, port_of(l));
             const int s = accept_one(l);
             send_bytes(s, 100);
             rec.snap("data waits unread at the client");
             close(c);  // RFC 2525 section 2.17: unread data makes close() reset
             rec.snap("client closed");
             close(s);
             close(l);
         },
         {1,
          {S::CLOSED, S::SYN_SENT, S::ESTABLISHED, S::CLOSED},
          {S::CLOSED, S::LISTEN, S::SYN_RECEIVED, S::ESTABLISHED, S::CLOSED},
          "RSTO"}},
        {"simultaneous-open",
         [](recorder& rec) {
             // Two bound sockets connect to each other. Their SYNs must cross, so the loopback is
             // slowed with a token bucket (emptied by one datagram) until both are sent.
             ASSERT_EQ(std::system("tc qdisc add dev lo root tbf rate 8kbit burst 1600 latency 5s"), 0);
             const int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
             const auto ua = loopback(AF_INET, 0);
             bind(u2, reinterpret_cast<const sockaddr*>(&ua), addr_len(AF_INET));
             const auto ub = loopback(AF_INET, port_of(u2));
             const std::string filler(1500, 'f');
             sendto(u1, filler.data(), filler.size(), 0, reinterpret_cast<const sockaddr*>(&ub), addr_len(AF_INET));
             const int a = bound_socket(AF_INET), b = bound_socket(AF_INET);
             fcntl(a, F_SETFL, O_NONBLOCK);
             fcntl(b, F_SETFL, O_NONBLOCK);
             const auto to_b = loopback(AF_INET, port_of(b)), to_a = loopback(AF_INET, port_of(a));
             connect(a, reinterpret_cast<const sockaddr*>(&to_b), addr_len(AF_INET));
             connect(b, reinterpret_cast<const sockaddr*>(&to_a), addr_len(AF_INET));
             pollfd p[2] = {{a, POLLOUT, 0}, {b, POLLOUT, 0}};
             for (int i = 0; i < 100 && !((p[0].revents & POLLOUT) && (p[1].revents & POLLOUT)); ++i) {
                 poll(p, 2, 100);
                 std::this_thread::sleep_for(std::chrono::milliseconds(50));
             }
             std::this_thread::sleep_for(std::chrono::seconds(1));  // every queued segment through
             std::system("tc qdisc del dev lo root");
             close(u1);
             close(u2);
             int err = 0;
             socklen_t n = sizeof err;
             getsockopt(a, SOL_SOCKET, SO_ERROR, &err, &n);
             EXPECT_EQ(err, 0) << std::strerror(err);
             fcntl(a, F_SETFL, 0);
             fcntl(b, F_SETFL, 0);
             send_bytes(a, 10);
             read_bytes(b, 10);
             rec.snap("both open");
             close(a);
             EXPECT_EQ(read_bytes(b, 0), 0u);
             close(b);
             rec.snap("both closed");
         },
         {1,
          {S::CLOSED, S::SYN_SENT, S::SYN_RECEIVED, S::ESTABLISHED, S::FIN_WAIT_1, S::FIN_WAIT_2, S::TIME_WAIT},
          {S::CLOSED, S::SYN_SENT, S::SYN_RECEIVED, S::ESTABLISHED, S::CLOSE_WAIT, S::LAST_ACK, S::CLOSED},
          "SF"}},
        {"concurrent-100",
         [](recorder& rec) {
             const int l = listener(AF_INET);
             std::vector<int> cs, ss;
             for (int i = 0; i < 100; ++i) {
                 cs.push_back(connect_to(AF_INET, port_of(l)));
                 ss.push_back(accept_one(l));
             }
             for (int i = 0; i < 100; ++i) {
                 send_bytes(cs[i], 20);
                 read_bytes(ss[i], 20);
                 send_bytes(ss[i], 40);
                 read_bytes(cs[i], 40);
             }
             rec.snap("100 established");
             for (int i = 0; i < 100; ++i) close(i % 2 ? ss[i] : cs[i]);  // the client closes first on even ones
             rec.snap("one end of each closed");
             for (int i = 0; i < 100; ++i) {
                 const int other = i % 2 ? cs[i] : ss[i];
                 EXPECT_EQ(read_bytes(other, 0), 0u);
                 close(other);
             }
             rec.snap("all closed");
             close(l);
         },
         {100, {}, {}, "SF"}},
    };
    return all;
}

void write_snapshots(const std::string& path, const std::vector<snapshot>& snaps) {
    std::ofstream out(path);
    out << "# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER\n";
    for (const auto& s : snaps) {
        const auto us = s.time.time_since_epoch().count();
        out << "snapshot " << us / 1000000 << "." << std::string(6 - std::to_string(us % 1000000).size(), '0')
            << us % 1000000 << " " << s.label << "\n";
        for (const auto& k : s.sockets) out << k.state << " " << k.local << " " << k.peer << "\n";
    }
}

std::vector<snapshot> read_snapshots(const std::string& path) {
    std::vector<snapshot> snaps;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream l(line);
        std::string first;
        l >> first;
        if (first == "snapshot") {
            std::string secs;
            l >> secs;
            const auto dot = secs.find('.');
            snapshot s;
            s.time = instant{duration{std::stoll(secs.substr(0, dot)) * 1000000 + std::stoll(secs.substr(dot + 1))}};
            std::getline(l >> std::ws, s.label);
            snaps.push_back(s);
        } else if (!snaps.empty()) {
            socket_state k;
            k.state = first;
            l >> k.local >> k.peer;
            snaps.back().sockets.push_back(k);
        }
    }
    return snaps;
}

class Kernel : public ::testing::TestWithParam<scenario> {};

TEST_P(Kernel, LiveCaptureAgreesWithSs) {
    ASSERT_EQ(live_unavailable(), "") << "live capture not possible here";
    const scenario& sc = GetParam();
    if (sc.name == "simultaneous-open") {
        ASSERT_EQ(std::system("tc qdisc add dev lo root tbf rate 8kbit burst 1600 latency 5s && tc qdisc del dev lo root"), 0)
            << "tc cannot put a token bucket (sch_tbf) on the loopback, so the SYNs cannot be made to cross";
    }
    const std::string pcap = ::testing::TempDir() + "monitor_kernel_" + std::to_string(::getpid()) + "_" + sc.name + ".pcap";
    recorder rec;  // before the capture starts
    {
        tcpdump dump(pcap);
        ASSERT_TRUE(dump.ready()) << "tcpdump did not start";
        sc.run(rec);
        const std::string report = dump.stop();
        EXPECT_NE(report.find("\n0 packets dropped by kernel"), std::string::npos) << report;
    }
    check(pcap, rec.snaps, sc.want);
    if (const char* dir = std::getenv("TCPFSM_RECORD_FIXTURES")) {
        std::ifstream src(pcap, std::ios::binary);
        std::ofstream(std::string(dir) + "/" + sc.name + ".pcap", std::ios::binary) << src.rdbuf();
        write_snapshots(std::string(dir) + "/" + sc.name + ".ss", rec.snaps);
    }
    if (!HasFailure()) std::remove(pcap.c_str());  // a failed scenario's capture stays for a look
}

TEST_P(Kernel, RecordedCaptureAgreesWithSs) {
    const scenario& sc = GetParam();
    const std::string base = std::string(MONITOR_CAPTURES_DIR) + "/" + sc.name;
    std::ifstream probe(base + ".pcap");
    ASSERT_TRUE(probe) << base << ".pcap is missing: record it (tests/captures/README.md)";
    const auto snaps = read_snapshots(base + ".ss");
    ASSERT_FALSE(snaps.empty());
    check(base + ".pcap", snaps, sc.want);
}

INSTANTIATE_TEST_SUITE_P(Loopback, Kernel, ::testing::ValuesIn(scenarios()), [](const auto& info) {
    std::string n = info.param.name;
    for (auto& ch : n)
        if (ch == '-') ch = '_';
    return n;
});

}  // namespace

// --live: only the live scenarios; exit 77 (ctest: skipped) with the reason where not root.
int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    bool live = false;
    for (int i = 1; i < argc; ++i) live = live || std::string(argv[i]) == "--live";
    if (live) {
        if (geteuid() != 0) {
            std::printf("live capture not possible here: not root (a private network namespace, tcpdump and tc "
                        "need CAP_SYS_ADMIN, CAP_NET_RAW and CAP_NET_ADMIN); the recorded captures are checked "
                        "by Loopback/Kernel.RecordedCaptureAgreesWithSs/*\n");
            return 77;
        }
        GTEST_FLAG_SET(filter, "Loopback/Kernel.LiveCaptureAgreesWithSs/*");
    }
    return RUN_ALL_TESTS();
}
