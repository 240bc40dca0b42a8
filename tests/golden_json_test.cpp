// The json target on the example spec that uses every construct, against a reviewed golden file.
#include "emit/emit.hpp"
#include "golden.hpp"
#include "run_spec.hpp"

#include <gtest/gtest.h>

namespace fsmgen {
namespace {

TEST(GoldenJson, DoorSpec) {
    auto run = testing::run_spec(testing::read_file(testing::source_path("tests/specs/door.fsm")), false, "tests/specs/door.fsm");
    ASSERT_TRUE(run.model) << run.diagnostics;
    EXPECT_EQ(run.diagnostics, "");
    MemorySink sink;
    find_backend("json")->emit(*run.model, {}, sink);
    ASSERT_EQ(sink.files.size(), 1u);
    testing::expect_golden("tests/golden/door.json", sink.files[""]);
}

}  // namespace
}  // namespace fsmgen
