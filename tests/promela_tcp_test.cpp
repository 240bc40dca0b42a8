// SPIN on the two-endpoint TCP composition that spec/tcp.fsm declares: the safety run (assertions,
// invalid end states) and the liveness run (acceptance cycles under weak fairness) find nothing, and
// two deliberately broken variants of the spec are caught, their trails read back in spec terms.
// Budgets: FSM_CALLS=2 user calls per endpoint, FSM_MESSAGES=3 segments per direction (about 170 000
// states per run; docs/verification.md has the figures for larger budgets).
#include "emit/emit.hpp"
#include "emit/promela_trail.hpp"
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace fsmgen {
namespace {

struct Command {
    int status = 0;
    std::string output;
};

Command run(const std::string& command) {
    Command c;
    if (FILE* p = popen((command + " 2>&1").c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) c.output.append(buf, n);
        c.status = pclose(p);
    }
    return c;
}

// A model of `spec_text` in a fresh directory, with pan compiled for a safety run (-DNOCLAIM) or for
// the liveness claim.
class SpinRun {
public:
    SpinRun(const std::string& spec_text, bool liveness) {
        char tmpl[] = "/tmp/fsmgen_spin_XXXXXX";
        if (const char* d = mkdtemp(tmpl)) dir_ = d;
        auto spec = testing::run_spec(spec_text, true, "tcp.fsm");
        EXPECT_TRUE(spec.model) << spec.diagnostics;
        if (!spec.model || dir_.empty()) return;
        model_ = *spec.model;
        MemorySink sink;
        find_backend("promela")->emit(model_, {}, sink);
        std::ofstream(dir_ + "/tcp.pml") << sink.files[""];
        auto gen = run(cd() + FSMGEN_SPIN + budgets + " -a tcp.pml");
        EXPECT_EQ(gen.status, 0) << gen.output;
        EXPECT_EQ(gen.output.find("rror"), std::string::npos) << gen.output;  // SPIN reports some errors with status 0
        auto cc = run(cd() + "cc -O0 -w " + (liveness ? "" : "-DNOCLAIM ") + "-o pan pan.c");
        EXPECT_EQ(cc.status, 0) << cc.output;
        pan_ = run(cd() + "./pan -w18 " + (liveness ? "-a -f" : "")).output;
    }
    ~SpinRun() {
        if (!dir_.empty()) run("rm -rf " + dir_);
    }

    const std::string& pan() const { return pan_; }
    const std::string& dir() const { return dir_; }
    const model::Model& model() const { return model_; }
    std::size_t errors() const {
        auto at = pan_.find("errors: ");
        return at == std::string::npos ? 999 : std::stoul(pan_.substr(at + 8));
    }
    promela::Trail trail() const {
        std::istringstream in(run(cd() + FSMGEN_SPIN + budgets + " -t tcp.pml").output);
        return promela::read_trail(model_, in);
    }

private:
    std::string cd() const { return "cd " + dir_ + " && "; }
    static constexpr const char* budgets = " -DFSM_CALLS=2 -DFSM_MESSAGES=3";
    std::string dir_;
    model::Model model_;
    std::string pan_;
};

std::string tcp_spec() { return testing::read_file(testing::source_path("spec/tcp.fsm")); }

// Replaces one whole line of the spec; the test fails if the line is not there.
std::string with_line(std::string spec, const std::string& line, const std::string& replacement) {
    auto at = spec.find("\n" + line + "\n");
    EXPECT_NE(at, std::string::npos) << "spec/tcp.fsm has no line: " << line;
    if (at != std::string::npos) spec.replace(at + 1, line.size(), replacement);
    return spec;
}

TEST(PromelaTcp, SafetyRunIsClean) {
    SpinRun spin(tcp_spec(), false);
    EXPECT_EQ(spin.errors(), 0u) << spin.pan();
    EXPECT_NE(spin.pan().find("assertion violations\t+"), std::string::npos) << spin.pan();
    EXPECT_NE(spin.pan().find("invalid end states\t+"), std::string::npos) << spin.pan();
}

TEST(PromelaTcp, LivenessRunWithFairnessIsClean) {
    SpinRun spin(tcp_spec(), true);
    EXPECT_EQ(spin.errors(), 0u) << spin.pan();
    EXPECT_NE(spin.pan().find("acceptance   cycles \t+ (fairness enabled)"), std::string::npos) << spin.pan();
}

// ABORT in SYN-SENT that forgets to close: the old attempt's SYN-ACK then establishes a connection
// that never chose a new ISS.
TEST(PromelaTcp, BrokenAbortViolatesTheSafetyProperty) {
    SpinRun spin(with_line(tcp_spec(), "{LISTEN, SYN_SENT} + abort / report_reset_to_pending -> CLOSED",
                           "LISTEN + abort / report_reset_to_pending -> CLOSED\nSYN_SENT + abort / report_reset_to_pending"),
                 false);
    EXPECT_EQ(spin.errors(), 1u) << spin.pan();
    auto trail = spin.trail();
    EXPECT_TRUE(trail.violation) << trail.text;
    EXPECT_EQ(trail.unreadable, 0u);
    EXPECT_NE(trail.text.find("SYN_SENT abort / report_reset_to_pending\n"), std::string::npos) << trail.text;
    EXPECT_NE(trail.text.find("SYN_SENT seg_syn_ack [ack_acceptable] -> ESTABLISHED / accept_syn, process_ack, send_ack\n"),
              std::string::npos) << trail.text;
    EXPECT_NE(trail.text.find(": assert never ESTABLISHED after abort without choose_iss  (spec line "), std::string::npos)
        << trail.text;

    // The real endpoints (built from the unbroken spec) cannot follow it to the violation: a real ABORT
    // in SYN-SENT closes. They may depart earlier, where SPIN chose a guard answer freely (a first
    // retransmission timeout that exhausts the retries, say); runtime_trail_test pins the departures.
    const std::string json = spin.dir() + "/trail.json";
    std::ofstream(json) << promela::trail_json(spin.model(), trail);
    const auto real = run(std::string(FSMGEN_TCPFSM) + " simulate --trail " + json);
    EXPECT_EQ(WEXITSTATUS(real.status), 1) << real.output;
    EXPECT_NE(real.output.find("; they depart at\nstep "), std::string::npos) << real.output;
}

// A TIME-WAIT whose timers only restart it leaves that side stuck forever (the user timeout does not
// run in TIME-WAIT, so nothing else leaves it).
TEST(PromelaTcp, StuckTimeWaitViolatesTheLivenessProperty) {
    std::string spec = with_line(tcp_spec(), "TIME_WAIT + time_wait_timeout -> CLOSED",
                                 "TIME_WAIT + time_wait_timeout / restart_time_wait_timer");
    SpinRun spin(spec, true);
    EXPECT_EQ(spin.errors(), 1u) << spin.pan();
    EXPECT_NE(spin.pan().find("acceptance cycle"), std::string::npos) << spin.pan();
    auto trail = spin.trail();
    EXPECT_TRUE(trail.violation) << trail.text;
    const auto cycle = trail.text.find("-- from here the run repeats forever --");
    ASSERT_NE(cycle, std::string::npos) << trail.text;
    EXPECT_NE(trail.text.find("TIME_WAIT time_wait_timeout / restart_time_wait_timer\n", cycle), std::string::npos) << trail.text;
    EXPECT_NE(trail.text.find("VIOLATED: assert from TIME_WAIT eventually CLOSED  (spec line "), std::string::npos) << trail.text;

    // The real endpoints do not share the livelock: their 2MSL timer closes. Where they depart depends
    // on the path SPIN took to TIME-WAIT (its guards are free choices); that they depart does not.
    const std::string json = spin.dir() + "/trail.json";
    std::ofstream(json) << promela::trail_json(spin.model(), trail);
    const auto real = run(std::string(FSMGEN_TCPFSM) + " simulate --trail " + json);
    EXPECT_EQ(WEXITSTATUS(real.status), 1) << real.output;
    EXPECT_NE(real.output.find("; they depart at\nstep "), std::string::npos) << real.output;
}

}  // namespace
}  // namespace fsmgen
