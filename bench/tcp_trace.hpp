// The event trace both dispatch benchmarks run (dispatch_bench, queue_bench): an active open with
// data and a close through TIME-WAIT, a passive open reset by the peer, and an abort, written with
// the event types known at compile time, as a user of the header writes them.
#pragma once

#include "tcp_fsm.hpp"

template <class Machine>
void run_trace(Machine& m) {
    namespace ev = tcp::event;
    m.process_event(ev::open_active{});
    m.process_event(ev::seg_syn_ack{});
    m.process_event(ev::send{});
    m.process_event(ev::seg_ack{});
    m.process_event(ev::send{});
    m.process_event(ev::seg_ack{});
    m.process_event(ev::receive{});
    m.process_event(ev::close{});
    m.process_event(ev::seg_ack{});
    m.process_event(ev::seg_fin{});
    m.process_event(ev::time_wait_timeout{});
    m.process_event(ev::open_passive{});
    m.process_event(ev::seg_syn{});
    m.process_event(ev::seg_ack{});
    m.process_event(ev::receive{});
    m.process_event(ev::seg_rst{});
    m.process_event(ev::open_active{});
    m.process_event(ev::abort{});
    m.process_event(ev::time_wait_timeout{});
}
