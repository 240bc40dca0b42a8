// Drives the machine generated from door.fsm through a short scenario and prints every step as
// "SOURCE + event -> TARGET: the hooks that ran".
#include "door_fsm.hpp"

#include <cstddef>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace {

// The context: every guard and action door.fsm names, plus the two hooks for events the machine does
// not take. Hooks only record what ran, so that the scenario below can print it in one line per step.
class Door {
public:
    explicit Door(std::string code) : code_(std::move(code)) {}

    // Events carry no data, so the code typed on the keypad is handed over before `unlock` is sent.
    void type(std::string code) { typed_ = std::move(code); }

    bool code_ok(const door::event::unlock&) const { return typed_ == code_; }

    void log_entry(const door::event::unlock&) { ran_.push_back("log_entry"); }
    void count_failure(const door::event::unlock&) {
        ran_.push_back("count_failure(" + std::to_string(++failures_) + ")");
    }
    void ring_bell(const door::event::knock&) { ran_.push_back("ring_bell"); }

    void light_on() { ran_.push_back("light_on"); }
    void light_off() { ran_.push_back("light_off"); }
    void engage_bolt() { ran_.push_back("engage_bolt"); }

    void on_unhandled(door::state s, door::event_id e) {
        ran_.push_back("unhandled " + std::string(door::name(e)) + " in " + std::string(door::name(s)));
    }
    void on_rejected(door::state s, door::event_id e) {
        ran_.push_back("rejected " + std::string(door::name(e)) + " in " + std::string(door::name(s)));
    }

    // The hooks run since the last call, comma-separated.
    std::string take_log() {
        std::string out;
        for (const auto& r : ran_) out += (out.empty() ? "" : ", ") + r;
        ran_.clear();
        return out;
    }

private:
    std::string code_, typed_;
    int failures_ = 0;
    std::vector<std::string> ran_;
};

template <class Event>
void step(door::machine<Door>& m, Door& ctx, Event e) {
    const door::state before = door::current(m);
    m.process_event(e);
    std::cout << door::name(before) << " + " << door::name(door::id_of<Event>) << " -> "
              << door::name(door::current(m)) << ": " << ctx.take_log() << '\n';
}

}  // namespace

int main() {
    std::cout << "door: " << door::state_count << " states, " << door::event_count << " events, "
              << std::size(door::transitions) << " rows\n";

    Door ctx{"1234"};
    door::machine<Door> m{ctx};
    m.start();
    std::cout << "start in " << door::name(door::current(m)) << '\n';

    step(m, ctx, door::event::knock{});
    step(m, ctx, door::event::open{});
    step(m, ctx, door::event::lock{});  // no row for lock in Open
    step(m, ctx, door::event::close{});
    step(m, ctx, door::event::lock{});
    ctx.type("0000");
    step(m, ctx, door::event::unlock{});
    ctx.type("1234");
    step(m, ctx, door::event::unlock{});
    step(m, ctx, door::event::open{});

    return door::current(m) == door::state::Open ? 0 : 1;
}
