// The order in which the project index summarizes a wave: imports read from the text, made
// absolute, and the levels of the import graph (cycles together).
#include <gtest/gtest.h>

#include "engine/project/import_order.h"

namespace asyncfix::project {
namespace {

using Names = std::vector<std::string>;

TEST(ImportOrder, ImportedNamesAsWritten) {
  EXPECT_EQ(imported_names("import os\nimport a.b as c, d\n"), (Names{"os", "a.b", "d"}));
  EXPECT_EQ(imported_names("from ..x import y, z as w\n"), (Names{"..x", "..x.y", "..x.z"}));
  EXPECT_EQ(imported_names("from . import y\n"), (Names{".", ".y"}));
  EXPECT_EQ(imported_names("from .m import *\n"), (Names{".m"}));
  // Indented, parenthesized over lines with comments, continued with a backslash.
  EXPECT_EQ(imported_names("if TYPE_CHECKING:\n    from app.models import (  # the models\n"
                           "        User,\n        Item,\n    )\nx = 1\n"),
            (Names{"app.models", "app.models.User", "app.models.Item"}));
  EXPECT_EQ(imported_names("from app \\\n    import db\n"), (Names{"app", "app.db"}));
  EXPECT_EQ(imported_names("import a; import b\n"), (Names{"a"}));  // a guess: the first only
  // Not imports: names that start with the keywords, and a comment.
  EXPECT_TRUE(imported_names("important = 1\nfromage()\n# import x\nx = 'from y import z'\n").empty());
  EXPECT_TRUE(imported_names("from").empty());
  EXPECT_TRUE(imported_names("from x").empty());
  EXPECT_TRUE(imported_names("").empty());
}

TEST(ImportOrder, AbsoluteImport) {
  EXPECT_EQ(absolute_import("os.path", "app.api", false), "os.path");
  EXPECT_EQ(absolute_import(".crud", "app.api", false), "app.crud");
  EXPECT_EQ(absolute_import(".crud", "app", true), "app.crud");  // in app/__init__.py
  EXPECT_EQ(absolute_import("..db.models", "app.api.users", false), "app.db.models");
  EXPECT_EQ(absolute_import(".", "app.api", false), "app");
  EXPECT_EQ(absolute_import(".", "app", true), "app");
  EXPECT_EQ(absolute_import("...x", "app.api", false), "");  // above the top
}

TEST(ImportOrder, LevelsPutImportsFirstAndCyclesTogether) {
  // 0 imports 1, 1 imports 2; 3 and 4 import each other and 2; 5 stands alone.
  std::vector<std::vector<size_t>> deps = {{1}, {2}, {}, {4, 2}, {3}, {}};
  auto levels = dependency_levels(deps);
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[0], (std::vector<size_t>{2, 5}));
  EXPECT_EQ(levels[1], (std::vector<size_t>{1, 3, 4}));
  EXPECT_EQ(levels[2], (std::vector<size_t>{0}));
  // Self-imports and out-of-range names are ignored; nothing is lost.
  auto one = dependency_levels({{0, 7}});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], (std::vector<size_t>{0}));
  EXPECT_TRUE(dependency_levels({}).empty());
  // A long chain (no recursion: a deep import chain does not overflow the stack).
  std::vector<std::vector<size_t>> chain(100000);
  for (size_t i = 0; i + 1 < chain.size(); ++i) chain[i].push_back(i + 1);
  auto deep = dependency_levels(chain);
  ASSERT_EQ(deep.size(), chain.size());
  EXPECT_EQ(deep.front(), (std::vector<size_t>{chain.size() - 1}));
  EXPECT_EQ(deep.back(), (std::vector<size_t>{0}));
}

}  // namespace
}  // namespace asyncfix::project
