#!/usr/bin/env python3
"""Plants one bug at a time in spec/, generator/ and runtime/ and asks which tests notice.

Run by hand, not in CI (a build of the endpoint per mutant: about 20 to 40 minutes on 2 cores):

    python3 tests/mutation/run_mutants.py [--work DIR] [--only ID,ID] [--jobs N]

It copies the committed tree (git archive HEAD) to DIR/src, builds there (ccache helps), checks that
every test passes unmutated, then for each mutant below: applies it (the text must occur exactly
once), rebuilds, runs
  - the property and exploration tests: runtime_model_tests, runtime_network_property_tests,
    MsmDifferential (msm_tests), runtime_explore_tests, `tcpfsm explore` (all scenarios);
  - the example tests: runtime_endpoint_tests (three profiles), runtime_negotiation_tests,
    runtime_sim_tests, the MsmTcp tests of msm_tests and the packetdrill scripts (`tcpfsm replay`);
  - the earlier property test, runtime_property_tests;
and restores the file. RapidCheck runs with a fixed seed so that two runs agree. The table it
prints goes into docs/verification.md.
"""
import argparse
import os
import subprocess
import sys
import time

# (id, file, text, replacement, what the bug is)
MUTANTS = [
    # ---- runtime/ ----
    ("ack-plain-compare", "runtime/src/endpoint.cpp",
     "return seg && seg->has(ACK) && tcb.snd_una != tcb.snd_nxt && seq_between(tcb.snd_una + 1, seg->ack, tcb.snd_nxt);",
     "return seg && seg->has(ACK) && tcb.snd_una != tcb.snd_nxt && tcb.snd_una < seg->ack && seg->ack <= tcb.snd_nxt;",
     "ack_acceptable with plain < instead of modulo 2^32"),
    ("window-update-plain-compare", "runtime/src/endpoint.cpp",
     "if (seq_lt(tcb.snd_wl1, s.seq) || (tcb.snd_wl1 == s.seq && seq_le(tcb.snd_wl2, s.ack))) {",
     "if (tcb.snd_wl1 < s.seq || (tcb.snd_wl1 == s.seq && tcb.snd_wl2 <= s.ack)) {",
     "the window update test (SND.WL1/WL2) with plain comparisons"),
    ("trim-plain-compare", "runtime/src/segment_walk.hpp",
     "if (seq_lt(start, rcv_nxt)) {",
     "if (start < rcv_nxt) {",
     "trimming old text with plain < instead of modulo 2^32"),
    ("no-2msl-restart", "runtime/src/endpoint.cpp",
     "void restart_time_wait_timer(const E&) { start_time_wait_timer(); }",
     "void restart_time_wait_timer(const E&) {}",
     "a retransmitted FIN in TIME-WAIT does not restart 2MSL"),
    ("retransmit-from-snd-nxt", "runtime/src/endpoint.cpp",
     "segment s = ack_segment(tcb.snd_una, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));\n            s.len = n;\n            emit(s);\n        } else if",
     "segment s = ack_segment(tcb.snd_nxt, static_cast<std::uint8_t>(PSH | (fin ? FIN : 0)));\n            s.len = n;\n            emit(s);\n        } else if",
     "a retransmission starts at SND.NXT instead of SND.UNA"),
    ("no-rto-backoff", "runtime/src/endpoint.cpp",
     "tcb.rto = std::min(tcb.rto * 2, std::max(cfg.rto_max, duration{1}));",
     "tcb.rto = std::min(tcb.rto, std::max(cfg.rto_max, duration{1}));",
     "the RTO does not double on expiry"),
    ("fin-takes-no-sequence-number", "runtime/src/endpoint.cpp",
     "tcb.rcv_nxt += 1;\n        tell(notice_kind::connection_closing);",
     "tell(notice_kind::connection_closing);",
     "the peer's FIN does not advance RCV.NXT"),
    ("window-never-shrinks", "runtime/src/endpoint.cpp",
     "tcb.rcv_unread += text_len;\n        tcb.rcv_wnd = cfg.rcv_buffer - tcb.rcv_unread;",
     "tcb.rcv_unread += text_len;\n        tcb.rcv_wnd = cfg.rcv_buffer;",
     "unread data does not shrink the receive window"),
    ("no-zero-window-probe", "runtime/src/endpoint.cpp",
     "if (usable == 0 && flight == 0) usable = 1;",
     "",
     "a zero window is never probed"),
    ("duplicate-ack", "runtime/src/endpoint.cpp",
     "if (ack_owed && !ack_emitted) emit(ack_segment(tcb.snd_nxt, 0));",
     "if (ack_owed) emit(ack_segment(tcb.snd_nxt, 0));",
     "an ACK is sent even when a data segment already carried it"),
    ("fin-acked-by-snd-una", "runtime/src/endpoint.cpp",
     "return tcb.snd_una == tcb.snd_nxt || (seg && seg->has(ACK) && seg->ack == tcb.snd_nxt);",
     "return tcb.snd_una == tcb.snd_nxt || (seg && seg->has(ACK) && seg->ack == tcb.snd_una + 1);",
     "our FIN counts as acknowledged by an ACK of SND.UNA + 1"),
    ("rst-off-by-one", "runtime/src/endpoint.cpp",
     "if (seg) emit(segment{seg->ack, 0, RST, 0, 0});",
     "if (seg) emit(segment{seg->ack + 1, 0, RST, 0, 0});",
     "RST(a) carries SEG.ACK + 1"),
    ("gap-not-acked", "runtime/src/endpoint.cpp",
     "ack_owed = true;\n        if (out_of_order) return;",
     "if (out_of_order) return;\n        ack_owed = true;",
     "text beyond RCV.NXT is dropped without the ACK that asks for RCV.NXT"),
    ("table6-first-byte-only", "runtime/include/tcprt/seq.hpp",
     "return seq_in_window(seq, rcv_nxt, rcv_wnd) || seq_in_window(seq + seg_len - 1, rcv_nxt, rcv_wnd);",
     "return seq_in_window(seq, rcv_nxt, rcv_wnd);",
     "Table 6 checks the first byte only"),
    ("seq-between-open-top", "runtime/include/tcprt/seq.hpp",
     "return static_cast<std::uint32_t>(x - lo) <= static_cast<std::uint32_t>(hi - lo);",
     "return static_cast<std::uint32_t>(x - lo) < static_cast<std::uint32_t>(hi - lo);",
     "lo =< x =< hi loses its top: an ACK of everything sent is not acceptable"),
    ("data-delivered-off-by-one", "runtime/src/endpoint.cpp",
     "tcb.rcv_nxt += text_len;",
     "tcb.rcv_nxt += text_len + (text_len > 2 ? 1 : 0);",
     "RCV.NXT skips a byte after long text"),
    # ---- spec/ ----
    ("spec-close-wait-no-fin", "spec/tcp.fsm",
     "CLOSE_WAIT + close [!has_unread_data] / send_fin -> LAST_ACK",
     "CLOSE_WAIT + close [!has_unread_data] -> LAST_ACK",
     "CLOSE in CLOSE-WAIT sends no FIN"),
    ("spec-fin-wait-2-no-ack", "spec/tcp.fsm",
     "FIN_WAIT_2 + seg_fin / accept_fin, send_ack -> TIME_WAIT",
     "FIN_WAIT_2 + seg_fin / accept_fin -> TIME_WAIT",
     "the FIN in FIN-WAIT-2 is not acknowledged"),
    ("spec-last-ack-stays", "spec/tcp.fsm",
     "LAST_ACK + seg_ack [!ack_unacceptable && fin_acked] / process_ack -> CLOSED",
     "LAST_ACK + seg_ack [!ack_unacceptable && fin_acked] / process_ack",
     "LAST-ACK stays when its FIN is acknowledged"),
    ("spec-time-wait-no-restart", "spec/tcp.fsm",
     "TIME_WAIT + seg_unacceptable [retransmitted_fin] / send_ack, restart_time_wait_timer",
     "TIME_WAIT + seg_unacceptable [retransmitted_fin] / send_ack",
     "the spec forgets the 2MSL restart on a retransmitted FIN"),
    ("spec-syn-received-rst-closes", "spec/tcp.fsm",
     "SYN_RECEIVED + seg_rst [rst_acceptable && opened_passively] / flush_queues -> LISTEN",
     "SYN_RECEIVED + seg_rst [rst_acceptable && opened_passively] / report_refused -> CLOSED",
     "a passive SYN-RECEIVED reset goes to CLOSED, not back to LISTEN"),
    ("spec-established-fin-no-ack", "spec/tcp.fsm",
     "ESTABLISHED + seg_fin / accept_fin, send_ack -> CLOSE_WAIT",
     "ESTABLISHED + seg_fin / accept_fin -> CLOSE_WAIT",
     "the FIN in ESTABLISHED is not acknowledged"),
    ("spec-closing-ack-stays", "spec/tcp.fsm",
     "CLOSING + seg_ack [!ack_unacceptable && fin_acked] / process_ack -> TIME_WAIT",
     "CLOSING + seg_ack [!ack_unacceptable && fin_acked] / process_ack -> CLOSED",
     "CLOSING skips TIME-WAIT"),
    # ---- generator/ ----
    ("gen-guard-negation-lost", "generator/emit/msm.cpp",
     'terms.push_back(std::string(g.negated ? "!" : "") + "guard_"',
     'terms.push_back(std::string("") + "guard_"',
     "the MSM backend drops the ! of negated guards"),
    ("gen-internal-rows-reenter", "generator/emit/msm.cpp",
     'const std::string target = t.internal() ? "msmf::none" : state_type(m.states[*t.target].name);',
     'const std::string target = state_type(m.states[t.next()].name);',
     "the MSM backend runs internal rows as self-transitions (exit and entry again)"),
    ("gen-on-row-off-by-one", "generator/emit/msm.cpp",
     "&& row_fired<Fsm, Rows>(fsm)))...};",
     "&& row_fired<Fsm, Rows + 1>(fsm)))...};",
     "the MSM backend tells on_row the next row's number"),
]

TARGETS = ["tcpfsm", "runtime_model_tests", "runtime_network_property_tests", "runtime_explore_tests",
           "runtime_endpoint_tests", "runtime_negotiation_tests", "runtime_sim_tests", "runtime_property_tests",
           "msm_tests"]


def run(cmd, cwd, timeout=900, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, env=env)
        return p.returncode == 0, p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return False, "timed out"


def suites(build, src):
    rt = os.path.join(build, "runtime")
    msm = os.path.join(build, "generated", "msm_tests")
    env = dict(os.environ, RC_PARAMS="seed=20261202")
    # The property tests with the iterations CTest gives them (runtime/CMakeLists.txt, generated/CMakeLists.txt).
    prop = [[os.path.join(rt, "runtime_model_tests"), "RC_PARAMS=seed=20261202 max_success=1000"],
            [os.path.join(rt, "runtime_network_property_tests"), "RC_PARAMS=seed=20261202 max_success=2000"],
            [msm, "--gtest_filter=MsmDifferential.*", "RC_PARAMS=seed=20261202 max_success=300"],
            [os.path.join(rt, "runtime_explore_tests")], [os.path.join(rt, "tcpfsm"), "explore"]]
    example = [[os.path.join(rt, "runtime_endpoint_tests"), "--profile=" + p] for p in ("rfc9293", "rfc5961", "rfc1337")]
    example.append([os.path.join(rt, "runtime_negotiation_tests")])
    example.append([os.path.join(rt, "runtime_sim_tests")])
    example.append([msm, "--gtest_filter=MsmTcp.*"])
    pkt = os.path.join(src, "tests", "packetdrill")
    for d in ("rfc9293", "linux", "freebsd", "matrix/rfc9293", "matrix/rfc5961"):
        scripts = sorted(os.path.join(pkt, d, f) for f in os.listdir(os.path.join(pkt, d)) if f.endswith(".pkt"))
        example.append([os.path.join(rt, "tcpfsm"), "replay", "--profile", os.path.basename(d)] + scripts)
    old = [[os.path.join(rt, "runtime_property_tests")]]
    result = {}
    for name, cmds in (("property+explore", prop), ("example", example), ("old property", old)):
        result[name] = None
        for c in cmds:
            e = env
            if c[-1].startswith("RC_PARAMS="):
                e = dict(env, RC_PARAMS=c[-1][len("RC_PARAMS="):])
                c = c[:-1]
            ok, _ = run(c, build, env=e)
            if not ok:
                result[name] = os.path.basename(c[0]) + (" " + c[1] if len(c) > 1 else "")
                break
    return result  # suite -> first failing command, or None (all passed: the mutant survived)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/fsmgen-mutation")
    ap.add_argument("--only", default="")
    ap.add_argument("--jobs", default="2")
    args = ap.parse_args()
    top = subprocess.check_output(["git", "rev-parse", "--show-toplevel"]).decode().strip()
    src, build = os.path.join(args.work, "src"), os.path.join(args.work, "build")
    os.makedirs(src, exist_ok=True)
    # -m: the files get the time of extraction, not of the commit, so that a work directory used
    # before (where a mutant was written and restored later than the commit) rebuilds them.
    subprocess.check_call("git archive HEAD | tar -x -m -C " + src, shell=True, cwd=top)
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        subprocess.check_call(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"],
                              stdout=subprocess.DEVNULL)
    build_cmd = ["cmake", "--build", build, "-j", args.jobs, "--target"] + TARGETS
    ok, out = run(build_cmd, src, timeout=3600)
    if not ok:
        sys.exit("the unmutated tree does not build:\n" + out[-3000:])
    base = suites(build, src)
    if any(base.values()):
        sys.exit("unmutated, some tests fail: %s" % base)
    only = set(filter(None, args.only.split(",")))
    rows = []
    for mid, path, text, repl, what in MUTANTS:
        if only and mid not in only:
            continue
        f = os.path.join(src, path)
        original = open(f).read()
        if original.count(text) != 1:
            rows.append((mid, what, "stale (text not found once)", None))
            continue
        open(f, "w").write(original.replace(text, repl))
        t0 = time.time()
        try:
            ok, out = run(build_cmd, src, timeout=3600)
            if not ok:
                rows.append((mid, what, "does not compile", None))
                continue
            rows.append((mid, what, "ok", suites(build, src)))
        finally:
            open(f, "w").write(original)
        print("%-32s %5.0f s  %s" % (mid, time.time() - t0, rows[-1][3] if rows[-1][3] else rows[-1][2]), flush=True)
    counted = [r for r in rows if r[3] is not None]
    def killed(suite):
        return sum(1 for r in counted if r[3][suite])
    print()
    print("| mutant | bug | property + explore | example tests | old property test |")
    print("|---|---|---|---|---|")
    for mid, what, status, res in rows:
        if res is None:
            print("| %s | %s | %s | | |" % (mid, what, status))
            continue
        cell = lambda s: ("killed (%s)" % res[s]) if res[s] else "**survived**"
        print("| %s | %s | %s | %s | %s |" % (mid, what, cell("property+explore"), cell("example"), cell("old property")))
    n = len(counted)
    if n:
        only_prop = sum(1 for r in counted if r[3]["property+explore"] and not r[3]["example"])
        print()
        print("property + explore kill %d of %d (%.0f%%); example tests %d of %d; old property test %d of %d; "
              "killed by property + explore and missed by the example tests: %d"
              % (killed("property+explore"), n, 100.0 * killed("property+explore") / n, killed("example"), n,
                 killed("old property"), n, only_prop))


if __name__ == "__main__":
    main()
