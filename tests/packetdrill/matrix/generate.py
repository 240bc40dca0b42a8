#!/usr/bin/env python3
"""Writes the state x segment matrix of packetdrill scripts: each of the 11 states of RFC 9293 x SYN,
SYN-ACK, ACK, FIN, FIN-ACK, RST, RST-ACK, SYN-FIN and data, each at the receive window's left edge,
right edge, just below it and just beyond it, under the rfc9293 and rfc5961 profiles. Each script ends
with the state the connection must be in, as a packetdrill python assertion on tcpi_state.

The expected segments are derived here from RFC 9293 section 3.10.7 (and RFC 5961 sections 3 and 4),
independently of the endpoint's code: this file is the oracle. Run it from anywhere:
    python3 tests/packetdrill/matrix/generate.py
and commit the scripts it writes (tests/packetdrill/matrix/rfc9293/, .../rfc5961/).
"""
import os

WND = 65535          # our receive window (nothing unread)
MOD = 1 << 32

def u32(x):
    return x % MOD

# ---- how each state is reached (packetdrill lines; the script plays the peer) ----------------------
LISTEN = ["0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
          "+0   bind(3, ..., ...) = 0",
          "+0   listen(3, 1) = 0"]
SYN_RECEIVED = LISTEN + ["+0   < S 0:0(0) win 32792 <mss 1460>",
                         "+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>"]
ESTABLISHED = SYN_RECEIVED + ["+0   < . 1:1(0) ack 1 win 32792",
                              "+0   accept(3, ..., ...) = 4"]
FIN_WAIT_1 = ESTABLISHED + ["+0   close(4) = 0",
                            "+0   > F. 1:1(0) ack 1 win 65535"]
FIN_WAIT_2 = FIN_WAIT_1 + ["+0   < . 1:1(0) ack 2 win 32792"]
CLOSE_WAIT = ESTABLISHED + ["+0   < F. 1:1(0) ack 1 win 32792",
                            "+0   > . 1:1(0) ack 2 win 65535"]
CLOSING = FIN_WAIT_1 + ["+0   < F. 1:1(0) ack 1 win 32792",
                        "+0   > . 2:2(0) ack 2 win 65535"]
LAST_ACK = CLOSE_WAIT + ["+0   close(4) = 0",
                         "+0   > F. 1:1(0) ack 2 win 65535"]
TIME_WAIT = FIN_WAIT_2 + ["+0   < F. 1:1(0) ack 2 win 32792",
                          "+0   > . 2:2(0) ack 2 win 65535"]
CLOSED = ["0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3"]
SYN_SENT = ["0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
            "+0   fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
            "+0   connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
            "+0   > S 0:0(0) win 65535 <mss 1460>"]

# state: (setup, RCV.NXT, SND.NXT, SND.UNA), relative to each side's ISN
STATES = {
    "closed": (CLOSED, 0, None, None),
    "listen": (LISTEN, 0, None, None),
    "syn-sent": (SYN_SENT, 0, 1, 0),
    "syn-received": (SYN_RECEIVED, 1, 1, 0),
    "established": (ESTABLISHED, 1, 1, 1),
    "fin-wait-1": (FIN_WAIT_1, 1, 2, 1),
    "fin-wait-2": (FIN_WAIT_2, 1, 2, 2),
    "close-wait": (CLOSE_WAIT, 2, 1, 1),
    "closing": (CLOSING, 2, 2, 1),
    "last-ack": (LAST_ACK, 2, 2, 1),
    "time-wait": (TIME_WAIT, 2, 2, 2),
}

# The state after the segment, by the name packetdrill's python blocks give Linux's tcpi_state.
TCPI_STATE = {
    "closed": "TCP_CLOSE", "listen": "TCP_LISTEN", "syn-sent": "TCP_SYN_SENT", "syn-received": "TCP_SYN_RECV",
    "established": "TCP_ESTABLISHED", "fin-wait-1": "TCP_FIN_WAIT1", "fin-wait-2": "TCP_FIN_WAIT2",
    "close-wait": "TCP_CLOSE_WAIT", "closing": "TCP_CLOSING", "last-ack": "TCP_LAST_ACK", "time-wait": "TCP_TIME_WAIT",
}

# kind: (flags as packetdrill writes them, payload length)
KINDS = {
    "syn": ("S", 0), "syn-ack": ("S.", 0), "ack": (".", 0), "fin": ("F", 0), "fin-ack": ("F.", 0),
    "rst": ("R", 0), "rst-ack": ("R.", 0), "syn-fin": ("SF", 0), "data": ("P.", 10),
}

def seg_len(flags, n):
    return n + ("S" in flags) + ("F" in flags)

def position(name, rcv_nxt, flags, n):
    if name == "left-edge":
        return rcv_nxt
    if name == "right-edge":
        return rcv_nxt + WND - 1
    if name == "below-window":  # the whole segment ends just before RCV.NXT
        return rcv_nxt - max(seg_len(flags, n), 1)
    return rcv_nxt + WND      # beyond-window

POSITIONS = ["left-edge", "right-edge", "below-window", "beyond-window"]

def acceptable(seq, slen, rcv_nxt):
    """RFC 9293 Table 6 with RCV.WND > 0."""
    def inside(x):
        return u32(x - rcv_nxt) < WND
    if slen == 0:
        return inside(seq)
    return inside(seq) or inside(seq + slen - 1)

def ack_line(snd_nxt, rcv_nxt, win=WND):
    return f"+0   > . {u32(snd_nxt)}:{u32(snd_nxt)}(0) ack {u32(rcv_nxt)} win {win}"

def expect(state, flags, n, seq, profile):
    """The segments RFC 9293 3.10.7 (and RFC 5961 for rfc5961) say we send, why, and the state after."""
    _, rcv_nxt, snd_nxt, snd_una = STATES[state]
    syn, fin, rst, ack = "S" in flags, "F" in flags, "R" in flags, "." in flags
    slen = seg_len(flags, n)
    peer_ack = 1 if state in ("closed", "listen") else snd_nxt  # what the segment acknowledges
    if state == "closed":  # 3.10.7.1
        if rst:
            return [], "CLOSED: a RST is dropped (3.10.7.1)", "closed"
        if ack:
            return [f"+0   > R {peer_ack}:{peer_ack}(0)"], "CLOSED: <SEQ=SEG.ACK><CTL=RST> (3.10.7.1)", "closed"
        return [f"+0   > R. 0:0(0) ack {u32(seq + slen)}"], "CLOSED: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (3.10.7.1)", "closed"
    if state == "listen":  # 3.10.7.2
        if rst:
            return [], "LISTEN: a RST is ignored (3.10.7.2)", "listen"
        if ack:
            return [f"+0   > R {peer_ack}:{peer_ack}(0)"], "LISTEN: an ACK gets <SEQ=SEG.ACK><CTL=RST> (3.10.7.2)", "listen"
        if syn:
            return [f"+0   > S. 0:0(0) ack {u32(seq + 1)} win 65535 <mss 1460>"], \
                "LISTEN: a SYN moves to SYN-RECEIVED with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (3.10.7.2)", "syn-received"
        return [], "LISTEN: any other segment is dropped (3.10.7.2)", "listen"
    if state == "syn-sent":  # 3.10.7.3; the segment's ACK, when set, acknowledges our SYN
        if rst:
            if ack:  # SEG.ACK = ISS + 1 is acceptable
                return [], "SYN-SENT: a RST with an acceptable ACK resets the connection (3.10.7.3)", "closed"
            return [], "SYN-SENT: a RST without an ACK is dropped (3.10.7.3)", "syn-sent"
        if syn and ack:
            return [ack_line(1, seq + 1)], "SYN-SENT: an acceptable SYN-ACK establishes; <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (3.10.7.3)", "established"
        if syn:
            return [f"+0   > S. 0:0(0) ack {u32(seq + 1)} win 65535 <mss 1460>"], \
                "SYN-SENT: a SYN (simultaneous open) moves to SYN-RECEIVED with a SYN-ACK (3.10.7.3)", "syn-received"
        return [], "SYN-SENT: neither SYN nor RST: dropped (3.10.7.3)", "syn-sent"
    # synchronized states: 3.10.7.4, step by step
    if not acceptable(seq, slen, rcv_nxt):
        if rst:
            return [], "first (sequence check, Table 6): unacceptable, a RST is dropped", state
        return [ack_line(snd_nxt, rcv_nxt)], "first (sequence check, Table 6): unacceptable, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>", state
    if rst:
        if profile == "rfc5961" and u32(seq) != u32(rcv_nxt):
            return [ack_line(snd_nxt, rcv_nxt)], "second (RST): in the window but not at RCV.NXT: a challenge ACK (RFC 5961 3.2)", state
        if state == "syn-received":
            return [], "second (RST): a passive SYN-RECEIVED returns to LISTEN; nothing is sent", "listen"
        return [], "second (RST): the connection is reset; nothing is sent", "closed"
    if syn:
        if state == "syn-received":
            return [], "third (SYN): a passive SYN-RECEIVED returns to LISTEN", "listen"
        if profile == "rfc5961":
            return [ack_line(snd_nxt, rcv_nxt)], "third (SYN): a challenge ACK (RFC 5961 4.2)", state
        return [f"+0   > R {snd_nxt}:{snd_nxt}(0)"], "third (SYN): in the window, an error: reset (RFC 793), <SEQ=SND.NXT><CTL=RST>", "closed"
    if not ack:
        return [], "fourth: the ACK bit is off: dropped", state
    # fourth: the ACK acknowledges SND.NXT, which is acceptable everywhere
    after = {"syn-received": "established", "fin-wait-1": "fin-wait-2", "closing": "time-wait"}.get(state, state)
    if state == "last-ack":
        return [], "fourth (ACK): our FIN is acknowledged: LAST-ACK goes to CLOSED", "closed"
    why = f"fourth (ACK): {state} -> {after}" if after != state else "fourth (ACK): accepted"
    start = seq
    owed, win = False, WND
    if u32(start - rcv_nxt) == 0:
        if n > 0:
            if after in ("established", "fin-wait-1", "fin-wait-2"):
                rcv_nxt += n
                win = WND - n
                owed = True
                why += "; seventh (text): taken, acknowledged"
            else:
                why += "; seventh (text): ignored after the peer's FIN"
        if fin:
            if after in ("established", "fin-wait-2", "time-wait"):
                if after != "time-wait":
                    rcv_nxt += 1
                owed = True
                why += "; eighth (FIN): acknowledged"
                after = {"established": "close-wait", "fin-wait-2": "time-wait"}.get(after, after)
            else:
                why += "; eighth (FIN): remain"
    elif n > 0 or fin:
        if after in ("established", "fin-wait-1", "fin-wait-2"):
            owed = True
            why += "; text beyond RCV.NXT: an immediate duplicate ACK (RFC 5681 4.2)"
        else:
            why += "; text beyond RCV.NXT, after the peer's FIN: ignored"
    return ([ack_line(snd_nxt, rcv_nxt, win)] if owed else []), why, after

def script(state, kind, pos, profile):
    setup, rcv_nxt, snd_nxt, _ = STATES[state]
    flags, n = KINDS[kind]
    seq = position(pos, rcv_nxt, flags, n)
    lines, why, end = expect(state, flags, n, seq, profile)
    ack_no = 1 if state in ("closed", "listen") else snd_nxt
    ack_part = f" ack {ack_no}" if "." in flags else ""
    win = 0 if "R" in flags else 32792
    seg = f"+.1  < {flags} {u32(seq)}:{u32(seq + n)}({n}){ack_part} win {win}"
    head = [f"// Generated by tests/packetdrill/matrix/generate.py; do not edit.",
            f"// {state.upper()} + {kind.upper()} at the {pos.replace('-', ' ')}, profile {profile}:",
            f"// {why}; then {end.upper()}."]
    check = f"+0   %{{ assert tcpi_state == {TCPI_STATE[end]} }}%"
    return "\n".join(head + [""] + setup + [seg] + lines + [check]) + "\n"

def main():
    root = os.path.dirname(os.path.abspath(__file__))
    for profile in ("rfc9293", "rfc5961"):
        out = os.path.join(root, profile)
        os.makedirs(out, exist_ok=True)
        for old in os.listdir(out):
            if old.endswith(".pkt"):
                os.remove(os.path.join(out, old))
        for state in STATES:
            for kind in KINDS:
                for pos in POSITIONS:
                    with open(os.path.join(out, f"{state}-{kind}-{pos}.pkt"), "w") as f:
                        f.write(script(state, kind, pos, profile))

if __name__ == "__main__":
    main()
