// Must NOT compile: a context without the spec's guards and actions. The ctest that compiles it
// passes only when the first error is the generated static_assert naming a missing guard.
#include "tcp_fsm.hpp"

struct empty_context {};

int main() {
    empty_context ctx;
    tcp::machine<empty_context> m{ctx};
    m.start();
    m.process_event(tcp::event::open_active{});
}
