// tcpfsm: runs the TCP machine generated from spec/tcp.fsm. `tcpfsm simulate` plays a scenario
// between two endpoints over the deterministic simulated network and prints what happened;
// `tcpfsm explore` tries every ordering of the same (runtime/src/explore.cpp);
// `tcpfsm replay` runs packetdrill scripts against one endpoint.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tcprt/explore.hpp"
#include "tcprt/monitor_output.hpp"
#include "tcprt/replay.hpp"
#include "tcprt/sim.hpp"
#include "tcprt/trail_replay.hpp"

namespace {
int run_explore(const std::string& scenario, const tcprt::explore::bounds& b, bool json, bool rows,
                const std::string& trace_out, const std::string& rows_out);
int run_trace(const std::string& file, bool json, bool internal);
int run_trail(const std::string& file, bool json, bool internal);
}  // namespace

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
    std::string profile_names;
    for (const auto& p : tcprt::known_profiles()) profile_names += (profile_names.empty() ? "" : ", ") + std::string(p.name);
    sim->add_option("--profile", prof, "P[,P...], applied left to right: " + profile_names);
    sim->add_flag("--json", json, "one JSON object per transition, then one summary per endpoint");
    sim->add_flag("--internal", internal, "also show rows that keep the state (internal transitions)");
    sim->add_flag("--list", list, "list the scenarios and exit");
    std::string trace_file;
    sim->add_option("--trace", trace_file, "replay a trace written by `tcpfsm explore` (a finding, or its trace)");
    std::string trail_file;
    sim->add_option("--trail", trail_file,
                    "replay a SPIN counterexample of the TCP composition (`fsmgen trail --json`) on the real endpoints; "
                    "exit 1 when they depart from it")
        ->excludes("--trace");

    auto* exp = cli.add_subcommand("explore", "every ordering of calls, deliveries, faults and timeouts between two endpoints");
    std::string exp_scenario = "all";
    tcprt::explore::bounds bounds;
    bool exp_json = false, exp_rows = false, exp_list = false, no_loss = false, no_dup = false, no_reorder = false;
    std::string exp_profile, trace_out;
    exp->add_option("--scenario", exp_scenario, "a scenario, a family (client-server) or all (see --list)")->capture_default_str();
    exp->add_option("--capacity", bounds.capacity, "segments in flight per direction")->check(CLI::Range(1, 8))->capture_default_str();
    exp->add_option("--faults", bounds.faults, "losses plus duplications per run")->capture_default_str();
    exp->add_flag("--no-loss", no_loss, "no segment is lost");
    exp->add_flag("--no-duplicate", no_dup, "no segment is duplicated");
    exp->add_flag("--no-reorder", no_reorder, "segments arrive in the order sent");
    exp->add_option("--max-retries", bounds.max_retries, "retransmissions before a connection gives up")->capture_default_str();
    exp->add_option("--send-bytes", bounds.send_bytes, "bytes per SEND")->check(CLI::Range(1, 1000))->capture_default_str();
    exp->add_option("--mss", bounds.mss, "largest segment")->check(CLI::Range(1, 1460))->capture_default_str();
    bool any_timer = false;
    exp->add_flag("--any-timer", any_timer, "either side's earliest timer may expire next, however far off its deadline");
    exp->add_option("--max-states", bounds.max_states, "stop a scenario after this many states (0: no limit)")->capture_default_str();
    exp->add_option("--profile", exp_profile, "rfc9293 (plain), rfc5961, rfc1337")
        ->check(CLI::IsMember({"rfc9293", "rfc5961", "rfc1337"}));
    exp->add_flag("--json", exp_json, "one JSON object: states, edges, depth, coverage, deadlocks, violations");
    exp->add_flag("--rows", exp_rows, "list every spec row with how often it fired");
    std::string rows_out;
    exp->add_option("--rows-out", rows_out, "write every spec row with how often it fired (index hits text per line)");
    exp->add_option("--trace-out", trace_out, "write the first deadlock or violation's trace here (for simulate --trace)");
    exp->add_flag("--list", exp_list, "list the scenarios and exit");

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
    mon_opts.threads = tcprt::monitor::default_threads();
    mon->add_option("--threads", mon_opts.threads,
                    "1: one thread; 2: read and decode the captures on a second thread (same output)")
        ->check(CLI::Range(1u, 2u))->capture_default_str();

    // tcpfsm replay: packetdrill scripts against one endpoint (docs/runtime.md, "tcpfsm replay").
    auto* rep = cli.add_subcommand("replay", "run packetdrill scripts against the endpoint on a virtual clock");
    std::vector<std::string> scripts;
    std::string replay_profile = "rfc9293";
    tcprt::replay::settings replay_settings;
    rep->add_option("scripts", scripts, "packetdrill scripts (.pkt)")->required();
    rep->add_option("--profile", replay_profile, "P[,P...], applied left to right: " + profile_names)
        ->capture_default_str();
    rep->add_option("--define", replay_settings.defines, "define NAME for #ifdef NAME (repeatable)");
    rep->add_flag("--ignore-options", replay_settings.ignore_options, "do not compare the options of outbound segments");

    // Usage errors exit with 2, as fsmgen's do (CLI11_PARSE would return CLI11's own codes, 104-106).
    try {
        cli.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        cli.exit(e);
        return 2;
    }

    if (rep->parsed()) {
        if (const auto err = tcprt::apply_profiles(replay_profile, replay_settings.prof)) {
            std::cerr << "tcpfsm: " << *err << "\n";
            return 2;
        }
        const auto totals = tcprt::replay::run_files(scripts, replay_settings, std::cout);
        return totals.failed == 0 ? 0 : 1;
    }

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
    if (exp->parsed()) {
        if (exp_list) {
            for (const auto& s : tcprt::explore::scenarios()) std::cout << s.name << "  " << s.description << "\n";
            return 0;
        }
        bounds.loss = !no_loss;
        bounds.duplicate = !no_dup;
        bounds.reorder = !no_reorder;
        if (any_timer) bounds.timers = tcprt::explore::bounds::timer_order::any;
        if (exp_profile == "rfc5961") bounds.prof = tcprt::profile::rfc5961();
        if (exp_profile == "rfc1337") bounds.prof = tcprt::profile::rfc1337();
        return run_explore(exp_scenario, bounds, exp_json, exp_rows, trace_out, rows_out);
    }
    if (!trace_file.empty()) return run_trace(trace_file, json, internal);
    if (!trail_file.empty()) return run_trail(trail_file, json, internal);

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
    if (!prof.empty()) {
        sc.prof = tcprt::profile::rfc9293();
        if (const auto err = tcprt::apply_profiles(prof, sc.prof)) {
            std::cerr << "tcpfsm: " << *err << "\n";
            return 2;
        }
    }
    const auto r = tcprt::sim::run(sc, seed);
    std::cout << (json ? tcprt::sim::render_json(r, internal) : tcprt::sim::render_text(sc, r, internal));
    // Non-zero when the run did not end where the scenario says it should.
    return r.final_a == sc.final_a && r.final_b == sc.final_b ? 0 : 1;
}

namespace {

int run_explore(const std::string& scenario, const tcprt::explore::bounds& b, bool json, bool rows,
                const std::string& trace_out, const std::string& rows_out) {
    const auto scs = tcprt::explore::find_scenarios(scenario);
    if (scs.empty()) {
        std::cerr << "tcpfsm: no scenario '" << scenario << "' (tcpfsm explore --list)\n";
        return 2;
    }
    std::function<void(const tcprt::explore::progress&)> tell;
    if (isatty(2)) {
        tell = [](const tcprt::explore::progress& p) {
            std::fprintf(stderr, "\r%-28.*s %10llu states %9llu frontier depth %3llu %8.0f states/s   ",
                         static_cast<int>(p.scenario.size()), p.scenario.data(), static_cast<unsigned long long>(p.states),
                         static_cast<unsigned long long>(p.frontier), static_cast<unsigned long long>(p.depth),
                         p.seconds > 0 ? static_cast<double>(p.states) / p.seconds : 0.0);
        };
    }
    const auto r = tcprt::explore::run(scs, b, tell);
    if (tell) std::fprintf(stderr, "\r%100s\r", "");
    std::cout << (json ? tcprt::explore::render_json(r) : tcprt::explore::render_text(r, rows));
    if (!json) {
        struct rusage u {};
        getrusage(RUSAGE_SELF, &u);
        std::cout << "peak memory (max RSS): " << u.ru_maxrss / 1024 << " MiB\n";
    }
    if (!rows_out.empty()) {
        std::ofstream out(rows_out);
        for (std::size_t k = 0; k < r.row_hits.size(); ++k)
            out << k << " " << r.row_hits[k] << " " << tcprt::explore::describe_row(k) << "\n";
        if (!out) {
            std::cerr << "tcpfsm: cannot write " << rows_out << "\n";
            return 2;
        }
    }
    const bool bad = !r.deadlocks.empty() || !r.violations.empty();
    if (!trace_out.empty() && bad) {
        const auto& f = !r.violations.empty() ? r.violations.front() : r.deadlocks.front();
        std::ofstream out(trace_out);
        out << tcprt::explore::trace_json(f.path) << "\n";
        if (!out) {
            std::cerr << "tcpfsm: cannot write " << trace_out << "\n";
            return 2;
        }
    }
    return bad ? 1 : 0;
}

// A trace or trail file whole, or nothing (said on stderr) when it cannot be read.
std::optional<std::string> read_whole(const std::string& file) {
    std::ifstream in(file);
    if (!in) {
        std::cerr << "tcpfsm: cannot read " << file << "\n";
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

int run_trace(const std::string& file, bool json, bool internal) {
    const auto text = read_whole(file);
    if (!text) return 2;
    std::string error;
    const auto t = tcprt::explore::parse_trace(*text, error);
    if (!t) {
        std::cerr << file << ": error: not a trace: " << error << "\n";
        return 2;
    }
    const auto r = tcprt::explore::replay(*t, error);
    if (!r) {
        std::cerr << file << ": error: " << error << "\n";
        return 2;
    }
    tcprt::sim::scenario sc;
    sc.name = t->sc.name + " (trace, " + std::to_string(t->moves.size()) + " moves)";
    sc.description = t->sc.description;
    std::cout << (json ? tcprt::sim::render_json(*r, internal) : tcprt::sim::render_text(sc, *r, internal));
    return 0;
}

int run_trail(const std::string& file, bool json, bool internal) {
    const auto text = read_whole(file);
    if (!text) return 2;
    std::string error;
    const auto t = tcprt::trail::parse(*text, error);
    if (!t) {
        std::cerr << file << ": error: not a trail of `fsmgen trail --json`: " << error << "\n";
        return 2;
    }
    const auto r = tcprt::trail::replay(*t);
    const bool all = r.departure.empty();
    if (json) {
        std::cout << tcprt::sim::render_json(r.run, internal);
        nlohmann::ordered_json summary = {{"trail_steps", r.machine_steps},
                                          {"followed", r.followed},
                                          {"departure", all ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.departure)},
                                          {"violated", t->violated}};
        std::cout << summary.dump() << "\n";
    } else {
        tcprt::sim::scenario sc;
        sc.name = "trail " + file;
        sc.description = (t->violated.empty() ? std::string("a SPIN trail") : "a SPIN counterexample to: " + t->violated) +
                         ", on the real endpoints";
        std::cout << tcprt::sim::render_text(sc, r.run, internal) << "\n";
        std::cout << "followed " << r.followed << " of the trail's " << r.machine_steps << " steps";
        if (all) std::cout << ": the real endpoints do what the trail says" << (t->cycle_start ? " (one pass of its cycle)" : "");
        else std::cout << "; they depart at\n" << r.departure;
        std::cout << "\n";
    }
    return all ? 0 : 1;
}

}  // namespace
