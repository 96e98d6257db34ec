#include <gtest/gtest.h>

#include "engine/rewrite/edit.h"

namespace asyncfix {
namespace {

// The worked examples of engine/rewrite/edit.h, one by one.
TEST(EditConflicts, WorkedExamples) {
  EXPECT_TRUE(edits_conflict({1, 3, "X"}, {2, 4, "Y"}));    // overlap
  EXPECT_FALSE(edits_conflict({1, 3, "X"}, {3, 5, "Y"}));   // adjacent
  EXPECT_EQ(apply_edits("abcdef", {{1, 3, "X"}, {3, 5, "Y"}}), "aXYf");
  EXPECT_TRUE(edits_conflict({2, 2, "X"}, {2, 2, "Y"}));    // two insertions at one offset
  EXPECT_FALSE(edits_conflict({2, 2, "X"}, {2, 2, "X"}));   // identical
  EXPECT_EQ(apply_edits("abcdef", {{2, 2, "X"}, {2, 2, "X"}}), "abXcdef");
  EXPECT_FALSE(edits_conflict({1, 3, "X"}, {1, 3, "X"}));
  EXPECT_EQ(apply_edits("abcdef", {{1, 3, "X"}, {1, 3, "X"}}), "aXdef");
  EXPECT_FALSE(edits_conflict({1, 1, "X"}, {1, 3, "Y"}));   // insertion at a start
  EXPECT_EQ(apply_edits("abcdef", {{1, 3, "Y"}, {1, 1, "X"}}), "aXYdef");
  EXPECT_FALSE(edits_conflict({3, 3, "X"}, {1, 3, "Y"}));   // insertion at an end
  EXPECT_EQ(apply_edits("abcdef", {{3, 3, "X"}, {1, 3, "Y"}}), "aYXdef");
  EXPECT_TRUE(edits_conflict({2, 2, "X"}, {1, 3, "Y"}));    // insertion inside
  EXPECT_TRUE(edits_conflict({1, 3, "X"}, {1, 3, "Z"}));    // same range, other text
}

TEST(ApplyEdits, ConvertsNewlinesForCrlfFiles) {
  EXPECT_EQ(apply_edits("a\r\nb\r\n", {{3, 3, "x\ny\n"}}, "\r\n"), "a\r\nx\r\ny\r\nb\r\n");
  EXPECT_EQ(apply_edits("a\r\n", {{0, 0, "q\r\n"}}, "\r\n"), "q\r\na\r\n");  // no "\r\r\n"
}

TEST(MapOffset, FollowsEdits) {
  std::vector<Edit> e = {{1, 1, "XX"}, {3, 5, "Y"}};
  normalize_edits(e);
  EXPECT_EQ(map_offset(e, 0), 0u);
  EXPECT_EQ(map_offset(e, 1), 3u);  // after the insertion
  EXPECT_EQ(map_offset(e, 4), 5u);  // inside the replaced range: its start
  EXPECT_EQ(map_offset(e, 5), 6u);
  auto r = new_ranges(e);
  EXPECT_EQ(r[0], std::make_pair(1u, 3u));
  EXPECT_EQ(r[1], std::make_pair(5u, 6u));
}

}  // namespace
}  // namespace asyncfix
