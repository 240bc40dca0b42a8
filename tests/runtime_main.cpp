// The endpoint tests' main: `--profile=rfc9293|rfc5961|rfc1337` picks the profile of every test that
// does not pin one, so that CTest runs the RFC table suite once per profile.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

#include "tcprt/endpoint.hpp"

namespace tcprt {
profile& default_profile();  // runtime_endpoint_test.cpp

// The spec rows the suite fired (every Host's observer reports here), for --rows-out=FILE: the
// coverage test (tests/explore/row_coverage.cmake) adds them to those `tcpfsm explore` fires.
std::set<std::size_t>& fired_rows() {
    static std::set<std::size_t> rows;
    return rows;
}
void note_fired_row(std::size_t row) { fired_rows().insert(row); }
}  // namespace tcprt

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    std::string rows_out;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.substr(0, 11) == "--rows-out=") rows_out = std::string(arg.substr(11));
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
    const int status = RUN_ALL_TESTS();
    if (!rows_out.empty()) {
        std::ofstream out(rows_out);
        for (std::size_t row : tcprt::fired_rows())
            if (row != tcprt::endpoint::no_row) out << row << "\n";
        if (!out) {
            std::cerr << "cannot write " << rows_out << "\n";
            return 2;
        }
    }
    return status;
}
