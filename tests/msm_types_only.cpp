// The light header on its own: what a translation unit that does not run the machine may use (names,
// ids, transitions[]), and scripted_context's header after it, for the compile checks and the no-Boost
// check of generated/CMakeLists.txt. The checks are static_asserts, so the compile check is the test.
#include "tcp_fsm_types.hpp"
#include "tcp_fsm_types.hpp"  // the include guard
#include "tcp_fsm_scripted.hpp"
#include "tcp_fsm_scripted.hpp"  // its include guard

#include <cstddef>
#include <iterator>
#include <string_view>

namespace {

// Every row names valid states and events, and its target is its source exactly when it is internal
// or a self-transition: the table is usable without the machine.
constexpr bool rows_are_well_formed() {
    for (const tcp::transition_row& row : tcp::transitions) {
        if (static_cast<std::size_t>(row.source) >= tcp::state_count) return false;
        if (static_cast<std::size_t>(row.target) >= tcp::state_count) return false;
        if (static_cast<std::size_t>(row.event) >= tcp::event_count) return false;
        if (tcp::name(row.source).empty() || tcp::name(row.event).empty()) return false;
        if (row.internal && row.target != row.source) return false;
    }
    return true;
}

static_assert(std::size(tcp::transitions) > 0);
static_assert(rows_are_well_formed());
static_assert(tcp::name(tcp::state::SYN_SENT) == "SYN_SENT");
static_assert(tcp::name(tcp::event_id::open_active) == "open_active");
static_assert(tcp::id_of<tcp::event::seg_ack> == tcp::event_id::seg_ack);
static_assert(!tcp::name(static_cast<tcp::state>(tcp::state_count - 1)).empty());  // the counts match the enums
static_assert(!tcp::name(static_cast<tcp::event_id>(tcp::event_count - 1)).empty());

}  // namespace

int main() {
    // scripted_context needs no machine either: its hooks record what they are told.
    tcp::scripted_context ctx;
    ctx.on_unhandled(tcp::state::CLOSED, tcp::event_id::send);
    return ctx.unhandled.size() == 1 && ctx.unhandled[0].event == tcp::event_id::send ? 0 : 1;
}
