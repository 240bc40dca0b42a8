// Dispatch cost of the generated TCP machine (Boost.MSM) against a hand-written `switch` machine of
// the same table, on one fixed trace: active open, data, graceful close, TIME-WAIT; passive open,
// reset; open and abort; one unhandled event. Both do the same work per event besides dispatch: the
// guards ask the same oracle, the actions append their names to a log (what tcp::scripted_context
// does), so the ratio is that of the dispatch itself. Figures: docs/performance.md.
#include "tcp_fsm.hpp"
#include "tcp_trace.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <algorithm>
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

// Written from spec/tcp.fsm's rows (wildcards and sets expanded), grouped by state and event, in the
// style of a hand-written protocol machine: a switch on the state, then on the event.
class switch_machine {
public:
    enum class handled { no, yes, rejected };

    std::vector<std::string_view> actions;
    int unhandled_count = 0, rejected_count = 0;

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
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
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
                    if (ask("ack_acceptable", e)) {
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
                        log("send_reset");
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
                        s_ = state::ESTABLISHED;
                        return handled::yes;
                    }
                    if (!ask("ack_acceptable", e)) {
                        log("send_reset_for_ack");
                        return handled::yes;
                    }
                    return rejected(e);
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
                        log("send_reset");
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
                        log("send_reset");
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
                    if (ask("fin_acked", e)) {
                        log("accept_fin");
                        log("send_ack");
                        s_ = state::TIME_WAIT;
                        log("start_time_wait_timer");
                        return handled::yes;
                    }
                    if (!ask("fin_acked", e)) {
                        log("accept_fin");
                        log("send_ack");
                        s_ = state::CLOSING;
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
                        log("send_reset");
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
                case event_id::user_timeout:
                    {
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
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
                        log("send_reset");
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
                        log("send_reset");
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
                    if (ask("rst_acceptable", e)) {
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
                        log("send_reset");
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
                    if (!ask("rst_acceptable", e)) {
                        log("send_challenge_ack");
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
                    if (ask("challenge_syn", e)) {
                        log("send_challenge_ack");
                        return handled::yes;
                    }
                    if (!ask("challenge_syn", e)) {
                        log("stop_time_wait_timer");
                        log("send_reset");
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
                    {
                        return handled::yes;
                    }
                case event_id::seg_fin:
                    {
                        log("send_ack");
                        log("restart_time_wait_timer");
                        return handled::yes;
                    }
                case event_id::user_timeout:
                    {
                        log("stop_time_wait_timer");
                        log("report_timeout");
                        s_ = state::CLOSED;
                        log("delete_tcb");
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
    bool ask(std::string_view guard, event_id e) { return guards(guard, s_, e); }
    void log(std::string_view action) { actions.push_back(action); }
    handled unhandled(event_id) { ++unhandled_count; return handled::no; }
    handled rejected(event_id) { ++rejected_count; return handled::rejected; }

    state s_ = state::CLOSED;

public:
    tcp::scripted_context::guard_oracle guards = oracle;
};

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
    m.actions.reserve(1024);
    m.start();
    for (auto _ : st) {
        for (event_id e : trace) benchmark::DoNotOptimize(m.process(e));
        m.actions.clear();
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
            s.guards = answer;
            tcp::dispatch(m, tcp::transitions[step].event);
            s.process(tcp::transitions[step].event);
            if (tcp::current(m) != s.current() || ctx.log != s.actions) {
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
    return ctx.log == s.actions && static_cast<int>(ctx.unhandled.size()) == s.unhandled_count && s.unhandled_count == 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (!same_behaviour()) {
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
