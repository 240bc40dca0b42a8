// The generated header on its own (self-contained, no macro needed), and scripted_context's after it,
// for the compile checks of generated/CMakeLists.txt under other compilers and standards.
#include "tcp_fsm.hpp"
#include "tcp_fsm.hpp"  // the include guard
#include "tcp_fsm_scripted.hpp"
#include "tcp_fsm_scripted.hpp"  // its include guard

int main() {
    tcp::scripted_context ctx;
    tcp::machine<tcp::scripted_context> m{ctx};
    m.start();
    m.process_event(tcp::event::open_active{});
    return tcp::current(m) == tcp::state::SYN_SENT ? 0 : 1;
}
