// Dispatch cost of the generated TCP machine (Boost.MSM) against a hand-written `switch` machine of
// the same table, on one fixed trace: active open, data, graceful close, TIME-WAIT; passive open,
// reset; open and abort; one unhandled event. Both do the same work per event besides dispatch: the
// guards ask the same oracle, the actions append their names to a log (what tcp::scripted_context
// does), so the ratio is that of the dispatch itself. Figures: docs/performance.md.
#include "tcp_fsm.hpp"
#include "tcp_fsm_scripted.hpp"
#include "tcp_trace.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <random>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using tcp::event_id;
using tcp::state;

// The answers that take the trace along the paths above: ack_acceptable, fin_acked, rst_acceptable and
// opened_passively are true, every other guard false. Decided on the first letter and the length
// (ack_acceptable, rst_acceptable: 14; ack_unacceptable, retries_exhausted, retransmitted_fin: 16,
// 17) to keep the guards' own cost small beside dispatch.
bool oracle(std::string_view guard, state, event_id) {
    switch (guard[0]) {
        case 'a':
        case 'r': return guard.size() == 14;
        case 'f':
        case 'o': return true;
        default: return false;
    }
}

// Written from spec/tcp.fsm's rows (wildcards and sets expanded, as `fsmgen emit -t json` lists them),
// grouped by state and event, in the style of a hand-written protocol machine: a switch on the state,
// then on the event. A changed spec makes same_table() below fail: write it again from the new rows.
// Work is what the guards and actions do: heavy_work (below) as tcp::scripted_context does,
// trivial_work for the trivial-context variant.
template <class Work>
class basic_switch_machine {
public:
    enum class handled { no, yes, rejected };

    Work work;
    std::uint64_t unhandled_count = 0, rejected_count = 0;  // 64 bits: the benchmark loops count millions

    void start() { s_ = state::CLOSED; log("delete_tcb"); }
    state current() const { return s_; }

    handled process(event_id e) {
        switch (s_) {
        case state::CLOSED:
            switch (e) {
                case event_id::open_passive:
                    {
                        log("remember_passive_open");
                        s_ = state::LISTEN;
                        return handled::yes;
                    }
                case event_id::open_active:
                    {
                        log("choose_iss");
                        log("send_syn");
                        s_ = state::SYN_SENT;
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_does_not_exist");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("report_does_not_exist");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_does_not_exist");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("report_does_not_exist");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                case event_id::seg_syn_ack:
                    {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                case event_id::seg_syn:
                    {
                        log("send_reset_for_seq");
                        return handled::yes;
                    }
                case event_id::seg_no_ack:
                    {
                        log("send_reset_for_seq");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::LISTEN:
            switch (e) {
                case event_id::open_active:
                    {
                        log("remember_active_open");
                        log("choose_iss");
                        log("send_syn");
                        s_ = state::SYN_SENT;
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("remember_active_open");
                        log("choose_iss");
                        log("queue_data");
                        log("send_syn");
                        s_ = state::SYN_SENT;
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("queue_receive");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                case event_id::seg_syn_ack:
                    {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                case event_id::seg_syn:
                    {
                        log("choose_iss");
                        log("accept_syn");
                        log("send_syn_ack");
                        s_ = state::SYN_RECEIVED;
                        return handled::yes;
                    }
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::SYN_SENT:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("queue_data");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("queue_receive");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (!ask("ack_acceptable", e)) {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                    if (ask("ack_acceptable", e)) {
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn_ack:
                    if (!ask("ack_acceptable", e)) {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                    if (ask("ack_acceptable", e)) {
                        log("accept_syn");
                        log("process_ack");
                        log("send_ack");
                        s_ = state::ESTABLISHED;
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    {
                        log("accept_syn");
                        log("send_syn_ack");
                        s_ = state::SYN_RECEIVED;
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (ask("ack_acceptable", e) && ask("rst_refuses", e)) {
                        log("report_refused");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (ask("ack_acceptable", e) && !ask("rst_refuses", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (!ask("ack_acceptable", e)) {
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::SYN_RECEIVED:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("queue_data");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("queue_receive");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("send_fin");
                        s_ = state::FIN_WAIT_1;
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && ask("opened_passively", e)) {
                        log("flush_queues");
                        s_ = state::LISTEN;
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && !ask("opened_passively", e)) {
                        log("report_refused");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("opened_passively", e)) {
                        log("flush_queues");
                        s_ = state::LISTEN;
                        return handled::yes;
                    }
                    if (!ask("opened_passively", e) && ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("opened_passively", e) && !ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_acceptable", e)) {
                        log("process_ack");
                        log("accept_syn_text");
                        s_ = state::ESTABLISHED;
                        return handled::yes;
                    }
                    if (!ask("ack_acceptable", e)) {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::ESTABLISHED:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("queue_data");
                        log("send_data");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("deliver_data");
                        return handled::yes;
                    }
                case event_id::close:
                    if (ask("has_unread_data", e)) {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (!ask("has_unread_data", e)) {
                        log("send_fin");
                        s_ = state::FIN_WAIT_1;
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::abort:
                    {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        log("accept_data");
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        log("accept_fin");
                        log("send_ack");
                        s_ = state::CLOSE_WAIT;
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::FIN_WAIT_1:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("deliver_data");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && ask("fin_acked", e)) {
                        log("process_ack");
                        s_ = state::FIN_WAIT_2;
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && !ask("fin_acked", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        log("accept_data");
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        log("accept_fin");
                        log("send_ack");
                        s_ = state::CLOSING;
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::FIN_WAIT_2:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("deliver_data");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        log("accept_data");
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        log("accept_fin");
                        log("send_ack");
                        s_ = state::TIME_WAIT;
                        log("start_time_wait_timer");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::CLOSE_WAIT:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("queue_data");
                        log("send_data");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("deliver_data");
                        return handled::yes;
                    }
                case event_id::close:
                    if (ask("has_unread_data", e)) {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (!ask("has_unread_data", e)) {
                        log("send_fin");
                        s_ = state::LAST_ACK;
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::abort:
                    {
                        log("send_reset");
                        log("report_reset_to_pending");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::CLOSING:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    if (ask("closing_resends_fin", e)) {
                        log("resend_fin");
                        return handled::yes;
                    }
                    if (!ask("closing_resends_fin", e)) {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && ask("late_rst_reported", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && !ask("late_rst_reported", e)) {
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && ask("fin_acked", e)) {
                        log("process_ack");
                        s_ = state::TIME_WAIT;
                        log("start_time_wait_timer");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && !ask("fin_acked", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::LAST_ACK:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && ask("late_rst_reported", e)) {
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && !ask("late_rst_reported", e)) {
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    if (ask("ack_unacceptable", e)) {
                        log("send_ack_and_drop");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && ask("fin_acked", e)) {
                        log("process_ack");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (!ask("ack_unacceptable", e) && !ask("fin_acked", e)) {
                        log("process_ack");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_data:
                    {
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        return handled::yes;
                    }
                case event_id::retransmission_timeout:
                    if (!ask("retries_exhausted", e)) {
                        log("retransmit_oldest");
                        return handled::yes;
                    }
                    if (ask("retries_exhausted", e)) {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        case state::TIME_WAIT:
            switch (e) {
                case event_id::open_active:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::open_passive:
                    {
                        log("report_already_exists");
                        return handled::yes;
                    }
                case event_id::send:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::receive:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::close:
                    {
                        log("report_closing");
                        return handled::yes;
                    }
                case event_id::abort:
                    {
                        log("stop_time_wait_timer");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                case event_id::seg_unacceptable:
                    if (ask("retransmitted_fin", e)) {
                        log("send_ack");
                        log("restart_time_wait_timer");
                        return handled::yes;
                    }
                    if (!ask("retransmitted_fin", e)) {
                        log("send_ack_unless_rst");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_rst:
                    if (!ask("rst_acceptable", e) && !ask("ignore_rst_in_time_wait", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("rst_acceptable", e) && ask("ignore_rst_in_time_wait", e)) {
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && !ask("ignore_rst_in_time_wait", e)) {
                        log("stop_time_wait_timer");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    if (ask("rst_acceptable", e) && ask("ignore_rst_in_time_wait", e)) {
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_syn:
                    if (ask("new_syn_reopens", e)) {
                        log("stop_time_wait_timer");
                        log("reopen_from_time_wait");
                        log("accept_syn");
                        log("send_syn_ack");
                        s_ = state::SYN_RECEIVED;
                        return handled::yes;
                    }
                    if (!ask("new_syn_reopens", e) && ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("new_syn_reopens", e) && !ask("challenge_syn", e)) {
                        log("stop_time_wait_timer");
                        log("send_reset_for_syn");
                        log("report_reset");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_no_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_ack:
                    {
                        return handled::yes;
                    }
                case event_id::seg_data:
                    if (ask("time_wait_acks_data", e)) {
                        log("send_ack");
                        return handled::yes;
                    }
                    if (!ask("time_wait_acks_data", e)) {
                        return handled::yes;
                    }
                    return rejected(e);
                case event_id::seg_fin:
                    {
                        log("send_ack");
                        log("restart_time_wait_timer");
                        return handled::yes;
                    }
                case event_id::time_wait_timeout:
                    {
                        log("stop_time_wait_timer");
                        s_ = state::CLOSED;
                        log("delete_tcb");
                        return handled::yes;
                    }
                default: return unhandled(e);
            }
        }
        return unhandled(e);
    }

private:
    bool ask(std::string_view guard, event_id e) { return work.guard(guard, s_, e); }
    void log(std::string_view action) { work.action(action); }
    handled unhandled(event_id) { ++unhandled_count; return handled::no; }
    handled rejected(event_id) { ++rejected_count; return handled::rejected; }

    state s_ = state::CLOSED;
};

// What tcp::scripted_context does: guards ask an oracle through std::function, actions append, both
// out of line as there.
struct heavy_work {
    std::vector<std::string_view> actions;
    tcp::scripted_context::guard_oracle guards = oracle;
    [[gnu::noinline]] bool guard(std::string_view g, state s, event_id e) { return guards(g, s, e); }
    [[gnu::noinline]] void action(std::string_view a) { actions.push_back(a); }
};
using switch_machine = basic_switch_machine<heavy_work>;

constexpr event_id trace[] = {
    event_id::open_active, event_id::seg_syn_ack, event_id::send, event_id::seg_ack, event_id::send,
    event_id::seg_ack, event_id::receive, event_id::close, event_id::seg_ack, event_id::seg_fin,
    event_id::time_wait_timeout, event_id::open_passive, event_id::seg_syn, event_id::seg_ack,
    event_id::receive, event_id::seg_rst, event_id::open_active, event_id::abort, event_id::time_wait_timeout,
};
constexpr std::size_t trace_length = std::size(trace);

// The same trace with the event types known at compile time (tcp_trace.hpp).

void BM_msm(benchmark::State& st) {
    tcp::scripted_context ctx(oracle);
    ctx.log.reserve(1024);
    tcp::machine<tcp::scripted_context> m{ctx};
    m.start();
    for (auto _ : st) {
        run_trace(m);
        ctx.log.clear();
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_length));
}
BENCHMARK(BM_msm);

// Runtime event ids through tcp::dispatch: the switch on the id comes first.
void BM_msm_dispatch_by_id(benchmark::State& st) {
    tcp::scripted_context ctx(oracle);
    ctx.log.reserve(1024);
    tcp::machine<tcp::scripted_context> m{ctx};
    m.start();
    for (auto _ : st) {
        for (event_id e : trace) tcp::dispatch(m, e);
        ctx.log.clear();
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_length));
}
BENCHMARK(BM_msm_dispatch_by_id);

void BM_switch(benchmark::State& st) {
    switch_machine m;
    m.work.actions.reserve(1024);
    m.start();
    for (auto _ : st) {
        for (event_id e : trace) benchmark::DoNotOptimize(m.process(e));
        m.work.actions.clear();
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_length));
}
BENCHMARK(BM_switch);

// The context's share of the cost: the same guard calls (through the same std::function) and log
// appends as one trace of the machine, without any dispatch. Machine minus this is dispatch.
void BM_context_work_only(benchmark::State& st) {
    struct query {
        std::string_view guard;
        state source;
        event_id event;
    };
    std::vector<query> queries;
    tcp::scripted_context recorder([&](std::string_view g, state s, event_id e) {
        queries.push_back({g, s, e});
        return oracle(g, s, e);
    });
    tcp::machine<tcp::scripted_context> m{recorder};
    m.start();
    recorder.log.clear();
    run_trace(m);
    const std::vector<std::string_view> actions = recorder.log;

    const tcp::scripted_context::guard_oracle ask = oracle;
    std::vector<std::string_view> log;
    log.reserve(1024);
    for (auto _ : st) {
        for (const auto& q : queries) benchmark::DoNotOptimize(ask(q.guard, q.source, q.event));
        for (auto a : actions) log.push_back(a);
        log.clear();
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * trace_length));
}
BENCHMARK(BM_context_work_only);

// Both machines must run the same table, or the comparison means nothing: every row of
// tcp::transitions is fired in both (reached by a path of rows from CLOSED, its guard literals
// answered true), and then the trace; states and action logs must agree throughout.
std::string row_text(std::size_t i) {
    const auto& r = tcp::transitions[i];
    return "row " + std::to_string(i) + " (" + std::string(tcp::name(r.source)) + " + " + std::string(tcp::name(r.event)) + " [" +
           std::string(r.guard) + "])";
}

bool literal_holds(std::string_view guard_text, std::string_view guard) {
    // "a && !b": a -> true, b -> false; guards not in the row answer true.
    for (std::size_t at = 0; at <= guard_text.size();) {
        const std::size_t end = std::min(guard_text.find(" && ", at), guard_text.size());
        const std::string_view term = guard_text.substr(at, end - at);
        if (term == guard) return true;
        if (!term.empty() && term[0] == '!' && term.substr(1) == guard) return false;
        at = end + 4;
    }
    return true;
}

bool same_table() {
    std::vector<std::vector<std::size_t>> path(tcp::state_count);
    std::vector<bool> reached(tcp::state_count, false);
    reached[static_cast<std::size_t>(state::CLOSED)] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (std::size_t i = 0; i < std::size(tcp::transitions); ++i) {
            const auto& r = tcp::transitions[i];
            const auto src = static_cast<std::size_t>(r.source), dst = static_cast<std::size_t>(r.target);
            if (!reached[src] || reached[dst]) continue;
            path[dst] = path[src];
            path[dst].push_back(i);
            reached[dst] = grew = true;
        }
    }
    for (std::size_t i = 0; i < std::size(tcp::transitions); ++i) {
        tcp::scripted_context ctx;
        tcp::machine<tcp::scripted_context> m{ctx};
        m.start();
        switch_machine s;
        s.start();
        auto steps = path[static_cast<std::size_t>(tcp::transitions[i].source)];
        steps.push_back(i);
        for (std::size_t step : steps) {
            const std::string_view guard_text = tcp::transitions[step].guard;
            auto answer = [guard_text](std::string_view g, state, event_id) { return literal_holds(guard_text, g); };
            ctx.set_oracle(answer);
            s.work.guards = answer;
            tcp::dispatch(m, tcp::transitions[step].event);
            s.process(tcp::transitions[step].event);
            if (tcp::current(m) != s.current() || ctx.log != s.work.actions) {
                std::fprintf(stderr, "%s: the switch machine differs from the generated one\n", row_text(i).c_str());
                return false;
            }
        }
    }
    return true;
}

bool same_behaviour() {
    if (!same_table()) return false;
    tcp::scripted_context ctx(oracle);
    tcp::machine<tcp::scripted_context> m{ctx};
    m.start();
    switch_machine s;
    s.start();
    for (event_id e : trace) {
        tcp::dispatch(m, e);
        s.process(e);
        if (tcp::current(m) != s.current()) {
            std::fprintf(stderr, "after %s: msm in %s, switch in %s\n", std::string(tcp::name(e)).c_str(),
                         std::string(tcp::name(tcp::current(m))).c_str(), std::string(tcp::name(s.current())).c_str());
            return false;
        }
    }
    return ctx.log == s.work.actions && static_cast<std::uint64_t>(ctx.unhandled.size()) == s.unhandled_count && s.unhandled_count == 1;
}

// ---- the trivial-context variant -----------------------------------------------------------------
//
// The context's work made as small as a real one's can be: a guard reads one bit of a word, an action
// or entry/exit action increments a counter, a report increments another. Then the machine's own
// dispatch is most of the time. The events are a random walk over the TCP machine (4096 events drawn
// uniformly from all 17, a fresh random word of guard bits per event, fixed seed), replayed by the
// generated machine through tcp::dispatch and by the hand-written switch above with the same work.
// Guard G reads bit strlen(G) % 32 in both, a constant once inlined.

struct trivial_work {
    std::uint32_t bits = 0;
    std::uint64_t count = 0;
    bool guard(std::string_view g, state, event_id) const { return ((bits >> (g.size() % 32)) & 1u) != 0; }
    void action(std::string_view) { ++count; }
};

// The same work reached through a pointer, as the generated machine reaches its context (it holds a
// Context*): the switch above with this Work is the hand-written machine laid out like the generated
// one, which tells the cost of the layout from the cost of the indirection.
struct trivial_work_by_pointer {
    trivial_work* work = nullptr;
    bool guard(std::string_view g, state s, event_id e) const { return work->guard(g, s, e); }
    void action(std::string_view a) { work->action(a); }
};

class trivial_context {
public:
    std::uint32_t bits = 0;
    std::uint64_t count = 0, unhandled = 0, rejected = 0;

    void on_unhandled(state, event_id) { ++unhandled; }
    void on_rejected(state, event_id) { ++rejected; }
    template <class E>
    bool ack_acceptable(const E&) const { return bit(sizeof("ack_acceptable") - 1); }
    template <class E>
    bool ack_unacceptable(const E&) const { return bit(sizeof("ack_unacceptable") - 1); }
    template <class E>
    bool challenge_syn(const E&) const { return bit(sizeof("challenge_syn") - 1); }
    template <class E>
    bool new_syn_reopens(const E&) const { return bit(sizeof("new_syn_reopens") - 1); }
    template <class E>
    bool fin_acked(const E&) const { return bit(sizeof("fin_acked") - 1); }
    template <class E>
    bool has_unread_data(const E&) const { return bit(sizeof("has_unread_data") - 1); }
    template <class E>
    bool closing_resends_fin(const E&) const { return bit(sizeof("closing_resends_fin") - 1); }
    template <class E>
    bool late_rst_reported(const E&) const { return bit(sizeof("late_rst_reported") - 1); }
    template <class E>
    bool rst_refuses(const E&) const { return bit(sizeof("rst_refuses") - 1); }
    template <class E>
    bool time_wait_acks_data(const E&) const { return bit(sizeof("time_wait_acks_data") - 1); }
    template <class E>
    bool ignore_rst_in_time_wait(const E&) const { return bit(sizeof("ignore_rst_in_time_wait") - 1); }
    template <class E>
    bool opened_passively(const E&) const { return bit(sizeof("opened_passively") - 1); }
    template <class E>
    bool retransmitted_fin(const E&) const { return bit(sizeof("retransmitted_fin") - 1); }
    template <class E>
    bool retries_exhausted(const E&) const { return bit(sizeof("retries_exhausted") - 1); }
    template <class E>
    bool rst_acceptable(const E&) const { return bit(sizeof("rst_acceptable") - 1); }
    template <class E>
    void accept_data(const E&) { ++count; }
    template <class E>
    void accept_syn_text(const E&) { ++count; }
    template <class E>
    void resend_fin(const E&) { ++count; }
    template <class E>
    void send_reset_for_syn(const E&) { ++count; }
    template <class E>
    void accept_fin(const E&) { ++count; }
    template <class E>
    void accept_syn(const E&) { ++count; }
    template <class E>
    void reopen_from_time_wait(const E&) { ++count; }
    template <class E>
    void choose_iss(const E&) { ++count; }
    template <class E>
    void deliver_data(const E&) { ++count; }
    template <class E>
    void flush_queues(const E&) { ++count; }
    template <class E>
    void process_ack(const E&) { ++count; }
    template <class E>
    void queue_data(const E&) { ++count; }
    template <class E>
    void queue_receive(const E&) { ++count; }
    template <class E>
    void remember_active_open(const E&) { ++count; }
    template <class E>
    void remember_passive_open(const E&) { ++count; }
    template <class E>
    void report_already_exists(const E&) { ++count; }
    template <class E>
    void report_closing(const E&) { ++count; }
    template <class E>
    void report_closing_to_pending(const E&) { ++count; }
    template <class E>
    void report_does_not_exist(const E&) { ++count; }
    template <class E>
    void report_refused(const E&) { ++count; }
    template <class E>
    void report_reset(const E&) { ++count; }
    template <class E>
    void report_reset_to_pending(const E&) { ++count; }
    template <class E>
    void report_timeout(const E&) { ++count; }
    template <class E>
    void restart_time_wait_timer(const E&) { ++count; }
    template <class E>
    void retransmit_oldest(const E&) { ++count; }
    template <class E>
    void send_ack(const E&) { ++count; }
    template <class E>
    void send_ack_and_drop(const E&) { ++count; }
    template <class E>
    void send_ack_unless_rst(const E&) { ++count; }
    template <class E>
    void send_challenge_ack(const E&) { ++count; }
    template <class E>
    void send_data(const E&) { ++count; }
    template <class E>
    void send_fin(const E&) { ++count; }
    template <class E>
    void send_reset(const E&) { ++count; }
    template <class E>
    void send_reset_for_ack(const E&) { ++count; }
    template <class E>
    void send_reset_for_seq(const E&) { ++count; }
    template <class E>
    void send_syn(const E&) { ++count; }
    template <class E>
    void send_syn_ack(const E&) { ++count; }
    void delete_tcb() { ++count; }
    void start_time_wait_timer() { ++count; }
    void stop_time_wait_timer() { ++count; }

private:
    bool bit(std::size_t n) const { return ((bits >> (n % 32)) & 1u) != 0; }
};

struct walk_step {
    event_id event;
    std::uint32_t bits;
};

const std::vector<walk_step>& random_walk() {
    static const std::vector<walk_step> walk = [] {
        std::mt19937 random(20261202);
        std::uniform_int_distribution<int> event(0, static_cast<int>(tcp::event_count) - 1);
        std::vector<walk_step> steps(4096);
        for (auto& step : steps) step = {static_cast<event_id>(event(random)), static_cast<std::uint32_t>(random())};
        return steps;
    }();
    return walk;
}

void BM_trivial_machine(benchmark::State& st) {
    const auto& walk = random_walk();
    trivial_context ctx;
    tcp::machine<trivial_context> m{ctx};
    m.start();
    for (auto _ : st) {
        for (const auto& step : walk) {
            ctx.bits = step.bits;
            benchmark::DoNotOptimize(tcp::dispatch(m, step.event));
        }
    }
    benchmark::DoNotOptimize(ctx.count);
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * walk.size()));
}
BENCHMARK(BM_trivial_machine);

void BM_trivial_switch(benchmark::State& st) {
    const auto& walk = random_walk();
    basic_switch_machine<trivial_work> m;
    m.start();
    for (auto _ : st) {
        for (const auto& step : walk) {
            m.work.bits = step.bits;
            benchmark::DoNotOptimize(m.process(step.event));
        }
    }
    benchmark::DoNotOptimize(m.work.count);
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * walk.size()));
}
BENCHMARK(BM_trivial_switch);

void BM_trivial_switch_context_by_pointer(benchmark::State& st) {
    const auto& walk = random_walk();
    trivial_work work;
    basic_switch_machine<trivial_work_by_pointer> m;
    m.work.work = &work;
    benchmark::DoNotOptimize(m.work.work);  // the pointer is not known to point at `work`
    m.start();
    for (auto _ : st) {
        for (const auto& step : walk) {
            m.work.work->bits = step.bits;
            benchmark::DoNotOptimize(m.process(step.event));
        }
    }
    benchmark::DoNotOptimize(work.count);
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * walk.size()));
}
BENCHMARK(BM_trivial_switch_context_by_pointer);

// The walk, once, through both: the same states, work and reports after every event.
bool same_trivial_behaviour() {
    trivial_context ctx;
    tcp::machine<trivial_context> m{ctx};
    m.start();
    basic_switch_machine<trivial_work> s;
    s.start();
    for (const auto& step : random_walk()) {
        ctx.bits = s.work.bits = step.bits;
        tcp::dispatch(m, step.event);
        s.process(step.event);
        if (tcp::current(m) != s.current() || ctx.count != s.work.count ||
            ctx.unhandled != s.unhandled_count || ctx.rejected != s.rejected_count)
            return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (!same_behaviour() || !same_trivial_behaviour()) {
        std::fprintf(stderr, "dispatch_bench: the switch machine and the generated machine disagree (spec/tcp.fsm changed? "
                             "rewrite switch_machine from the new rows)\n");
        return 1;
    }
    std::printf("sizeof(tcp::machine<tcp::scripted_context>) = %zu bytes, sizeof(switch_machine) = %zu bytes\n",
                sizeof(tcp::machine<tcp::scripted_context>), sizeof(switch_machine));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
