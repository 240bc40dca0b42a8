// Golden files, compared byte for byte (protobuf's bootstrap test does the same). Run the tests with
// FSMGEN_REFRESH_GOLDEN=1 to rewrite the files, then review the change with `git diff` before committing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace fsmgen::testing {

inline std::string source_path(const std::string& relative) { return std::string(FSMGEN_SOURCE_DIR) + "/" + relative; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// `relative` is the golden file's path from the repository root, e.g. "tests/golden/door.json".
inline void expect_golden(const std::string& relative, const std::string& actual) {
    std::string path = source_path(relative);
    if (const char* refresh = std::getenv("FSMGEN_REFRESH_GOLDEN"); refresh && std::string(refresh) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::string expected = read_file(path);
    EXPECT_TRUE(expected == actual) << relative << " differs from the generated output.\n"
                                    << "If the change is intended, refresh the golden files and review them:\n"
                                    << "  FSMGEN_REFRESH_GOLDEN=1 ctest --test-dir build -R Golden && git diff " << relative;
}

}  // namespace fsmgen::testing
