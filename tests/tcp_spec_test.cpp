// spec/tcp.fsm must check clean, with no warning, and encode the 11 states of RFC 9293.
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

namespace fsmgen {
namespace {

TEST(TcpSpec, ChecksCleanWithWarningsAsErrors) {
    auto run = testing::run_spec(testing::read_file(testing::source_path("spec/tcp.fsm")), /*werror=*/true, "spec/tcp.fsm");
    EXPECT_EQ(run.diagnostics, "");
    ASSERT_TRUE(run.model.has_value());
    std::vector<std::string> states;
    for (const auto& s : run.model->states) states.push_back(s.name);
    EXPECT_EQ(states, (std::vector<std::string>{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
                                                "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}));
    EXPECT_EQ(run.model->states[run.model->initial].name, "CLOSED");
}

}  // namespace
}  // namespace fsmgen
