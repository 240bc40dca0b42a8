// The endpoint tests' main: `--profile=rfc9293|rfc5961|rfc1337` picks the profile of every test that
// does not pin one, so that CTest runs the RFC table suite once per profile.
#include <gtest/gtest.h>

#include <iostream>
#include <string_view>

#include "tcprt/endpoint.hpp"

namespace tcprt {
profile& default_profile();  // runtime_endpoint_test.cpp
}

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.substr(0, 10) != "--profile=") continue;
        const std::string_view p = arg.substr(10);
        if (p == "rfc9293")
            tcprt::default_profile() = tcprt::profile::rfc9293();
        else if (p == "rfc5961")
            tcprt::default_profile() = tcprt::profile::rfc5961();
        else if (p == "rfc1337")
            tcprt::default_profile() = tcprt::profile::rfc1337();
        else {
            std::cerr << "unknown profile " << p << " (rfc9293, rfc5961, rfc1337)\n";
            return 2;
        }
    }
    return RUN_ALL_TESTS();
}
