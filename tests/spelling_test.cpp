// The misspelling search: names one edit apart (a character added, removed, changed, or two adjacent
// ones swapped; case ignored), found through deletion neighbourhoods instead of comparing every pair.
#include "check/spelling.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace fsmgen {
namespace {

using Neighbours = std::vector<std::vector<std::size_t>>;

Neighbours neighbours(const std::vector<std::string>& names) {
    std::vector<std::string_view> views(names.begin(), names.end());
    return one_edit_neighbours(views);
}

TEST(OneEditNeighbours, EachKindOfEdit) {
    //                                  0        1         2        3         4         5        6
    std::vector<std::string> names = {"send", "sned", "sends", "senf", "SEND_x", "Send", "dens"};
    Neighbours n = neighbours(names);
    EXPECT_EQ(n[0], (std::vector<std::size_t>{1, 2, 3, 5}));  // swapped, added, changed, case only
    EXPECT_EQ(n[1], (std::vector<std::size_t>{0, 5}));
    EXPECT_EQ(n[2], (std::vector<std::size_t>{0, 5}));
    EXPECT_EQ(n[3], (std::vector<std::size_t>{0, 5}));
    EXPECT_EQ(n[4], (std::vector<std::size_t>{}));  // two added
    EXPECT_EQ(n[6], (std::vector<std::size_t>{}));  // two letters changed
}

TEST(OneEditNeighbours, SharedDeletionIsNotEnough) {
    // abc and bca both delete to bc, yet are two edits apart.
    EXPECT_EQ(neighbours({"abcd", "bcda"}), (Neighbours{{}, {}}));
    EXPECT_EQ(neighbours({}), Neighbours{});
    EXPECT_EQ(neighbours({"aab", "ab", "b"}), (Neighbours{{1}, {0, 2}, {1}}));
}

// The same pairs as comparing every name with every other, on names from a small alphabet (so that
// one-edit pairs, repeated letters and case differences are common).
RC_GTEST_PROP(OneEditNeighbours, SameAsComparingEveryPair, ()) {
    auto name = rc::gen::container<std::string>(rc::gen::elementOf(std::string("abAB_1")));
    auto names = *rc::gen::container<std::vector<std::string>>(name);
    Neighbours expected(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        for (std::size_t j = 0; j < names.size(); ++j)
            if (i != j && edit_distance(names[i], names[j], 1) <= 1) expected[i].push_back(j);
    RC_ASSERT(neighbours(names) == expected);
}

}  // namespace
}  // namespace fsmgen
