// tcpfsm: runs the TCP machine generated from spec/tcp.fsm. `tcpfsm simulate` plays a scenario
// between two endpoints over the deterministic simulated network and prints what happened.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tcprt/monitor_output.hpp"
#include "tcprt/sim.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"tcpfsm: the RFC 9293 TCP machine generated from spec/tcp.fsm, driven by a sans-I/O endpoint"};
    cli.require_subcommand(1);

    auto* sim = cli.add_subcommand("simulate", "run a scenario between endpoints a and b over a simulated network");
    std::string scenario_name = tcprt::sim::scenarios().front().name;
    std::uint64_t seed = 1;
    double loss = -1;
    bool json = false, internal = false, list = false;
    std::string names;
    for (const auto& s : tcprt::sim::scenarios()) names += (names.empty() ? "" : ", ") + s.name;
    sim->add_option("--scenario", scenario_name, "one of: " + names)->capture_default_str();
    sim->add_option("--seed", seed, "seed of the network's randomness (loss, jitter, ISS)")->capture_default_str();
    sim->add_option("--loss", loss, "probability that a segment is lost (default: the scenario's)")
        ->check(CLI::Range(0.0, 0.95));
    std::string prof;
    sim->add_option("--profile", prof, "rfc9293 (plain), rfc5961 (challenge ACKs), rfc1337 (TIME-WAIT ignores RST)")
        ->check(CLI::IsMember({"rfc9293", "rfc5961", "rfc1337"}));
    sim->add_flag("--json", json, "one JSON object per transition, then one summary per endpoint");
    sim->add_flag("--internal", internal, "also show rows that keep the state (internal transitions)");
    sim->add_flag("--list", list, "list the scenarios and exit");

    // tcpfsm monitor: both ends of every connection of captures (docs/runtime.md).
    auto* mon = cli.add_subcommand("monitor", "follow every TCP connection of pcap/pcapng captures from both ends");
    std::vector<std::string> captures;
    tcprt::monitor::run_options mon_opts;
    double msl_s = 30, idle_s = 300;
    std::string mon_prof, shard;
    mon->add_option("CAPTURE", captures, "pcap or pcapng files, read in order as one stream; - for standard input")
        ->required();
    mon->add_flag("--json", mon_opts.json, "one JSON object per state change, then one per connection");
    mon->add_flag("--anomalies", mon_opts.anomalies, "list the segments an end's state does not allow");
    mon->add_flag("--verify-checksums", mon_opts.verify_checksums, "drop segments with a bad IPv4 or TCP checksum");
    mon->add_option("--profile", mon_prof, "rfc9293 (plain), rfc5961 (challenge ACKs, as Linux), rfc1337")
        ->check(CLI::IsMember({"rfc9293", "rfc5961", "rfc1337"}));
    mon->add_option("--msl", msl_s, "maximum segment lifetime in seconds: TIME-WAIT lasts 2 MSL")
        ->check(CLI::Range(0.0, 3600.0))->capture_default_str();
    mon->add_option("--idle-timeout", idle_s, "seconds without a segment after which a connection is released")
        ->check(CLI::Range(1.0, 1e6))->capture_default_str();
    mon->add_option("--shard", shard, "i/n: only the connections whose flow hash is i modulo n (0 <= i < n)");

    CLI11_PARSE(cli, argc, argv);

    if (mon->parsed()) {
        auto& t = mon_opts.track;
        if (mon_prof == "rfc5961") t.prof = tcprt::profile::rfc5961();
        if (mon_prof == "rfc1337") t.prof = tcprt::profile::rfc1337();
        t.msl = tcprt::duration(static_cast<std::int64_t>(msl_s * 1e6));
        t.idle_timeout = tcprt::duration(static_cast<std::int64_t>(idle_s * 1e6));
        if (!shard.empty()) {
            unsigned i = 0, n = 0;
            char extra = 0;
            if (std::sscanf(shard.c_str(), "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || i >= n) {
                std::cerr << "tcpfsm monitor: --shard wants i/n with 0 <= i < n, not '" << shard << "'\n";
                return 2;
            }
            t.shard_index = i;
            t.shard_count = n;
        }
        return tcprt::monitor::run(captures, mon_opts, stdout, stderr);
    }

    if (list) {
        for (const auto& s : tcprt::sim::scenarios()) std::cout << s.name << "  " << s.description << "\n";
        return 0;
    }
    const auto* found = tcprt::sim::find_scenario(scenario_name);
    if (!found) {
        std::cerr << "tcpfsm: no scenario '" << scenario_name << "' (known: " << names << ")\n";
        return 2;
    }
    tcprt::sim::scenario sc = *found;
    if (loss >= 0) sc.net.loss = loss;
    if (prof == "rfc9293") sc.prof = tcprt::profile::rfc9293();
    if (prof == "rfc5961") sc.prof = tcprt::profile::rfc5961();
    if (prof == "rfc1337") sc.prof = tcprt::profile::rfc1337();
    const auto r = tcprt::sim::run(sc, seed);
    std::cout << (json ? tcprt::sim::render_json(r, internal) : tcprt::sim::render_text(sc, r, internal));
    // Non-zero when the run did not end where the scenario says it should.
    return r.final_a == sc.final_a && r.final_b == sc.final_b ? 0 : 1;
}
