// gen_spec STATES TRANSITIONS [NAMESPACE]: prints a synthetic spec (see synthetic_spec.hpp), for the
// scripts that measure fsmgen and the generated code at sizes other than the TCP machine.
#include "synthetic_spec.hpp"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    if (argc < 3 || std::atol(argv[1]) <= 0 || std::atol(argv[2]) <= 0) {
        std::cerr << "usage: gen_spec STATES TRANSITIONS [NAMESPACE]\n";
        return 2;
    }
    std::cout << fsmgen::bench::synthetic_spec(std::strtoul(argv[1], nullptr, 10), std::strtoul(argv[2], nullptr, 10),
                                               argc > 3 ? argv[3] : "synthetic");
}
