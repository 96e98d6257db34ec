#include <gtest/gtest.h>

#include "engine/rewrite/imports.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using testing::parse;

// Applies the import edits needed to use `module` at the node `at_text`.
std::string with_module(const std::string& code, const std::string& module, std::string* spelled = nullptr) {
  auto p = parse(code);
  ImportPlanner planner(p->source, p->root(), *p->model);
  TSNode at = p->find("identifier", "here");
  auto ref = planner.module(module, at);
  if (spelled) *spelled = ref.text;
  return apply_edits(p->source.text(), planner.insertion_edits(ref.needs, {}));
}

TEST(ImportService, InsertsAfterDocstringFutureAndExistingImports) {
  EXPECT_EQ(with_module("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\n\nhere\n", "asyncio"),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\nimport asyncio\n\nhere\n");
  EXPECT_EQ(with_module("\"\"\"Doc.\"\"\"\n\nhere\n", "asyncio"), "\"\"\"Doc.\"\"\"\nimport asyncio\n\nhere\n");
  EXPECT_EQ(with_module("here\n", "asyncio"), "import asyncio\n\nhere\n");
  EXPECT_EQ(with_module("#!/usr/bin/env python\n# comment\nhere\n", "asyncio"),
            "#!/usr/bin/env python\n# comment\nimport asyncio\n\nhere\n");
  EXPECT_EQ(with_module("import os", "asyncio"), "import os\nimport asyncio\n");  // no final newline
}

TEST(ImportService, ReusesExistingImportsAndAliases) {
  std::string spelled;
  EXPECT_EQ(with_module("import asyncio\nhere\n", "asyncio", &spelled), "import asyncio\nhere\n");
  EXPECT_EQ(spelled, "asyncio");
  EXPECT_EQ(with_module("import asyncio as aio\nhere\n", "asyncio", &spelled), "import asyncio as aio\nhere\n");
  EXPECT_EQ(spelled, "aio");
}

TEST(ImportService, AvoidsShadowedNames) {
  std::string spelled;
  std::string out = with_module("def f(asyncio):\n    here\n", "asyncio", &spelled);
  EXPECT_EQ(spelled, "_asyncio");
  EXPECT_EQ(out, "import asyncio as _asyncio\n\ndef f(asyncio):\n    here\n");
}

TEST(ImportService, FromImportJoinsExistingStatement) {
  auto p = parse("from contextlib import contextmanager\nhere\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  auto ref = planner.name("contextlib", "asynccontextmanager", p->find("identifier", "here"));
  EXPECT_EQ(ref.text, "asynccontextmanager");
  EXPECT_EQ(apply_edits(p->source.text(), planner.insertion_edits(ref.needs, {})),
            "from contextlib import contextmanager, asynccontextmanager\nhere\n");
}

TEST(ImportService, NeverDuplicatesAcrossFixes) {
  auto p = parse("import os\nhere\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  std::vector<ImportNeed> needs = {{"asyncio", "", ""}, {"asyncio", "", ""}, {"os", "", ""}};
  EXPECT_EQ(apply_edits(p->source.text(), planner.insertion_edits(needs, {})), "import os\nimport asyncio\nhere\n");
}

TEST(ImportService, RemovesOnlyUnusedImports) {
  auto p = parse("import os, time\nfrom time import sleep, monotonic\nimport json\nx = monotonic()\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  std::string out = apply_edits(p->source.text(), planner.removal_edits({"time", "time.sleep", "json"}));
  EXPECT_EQ(out, "import os\nfrom time import monotonic\nx = monotonic()\n");
}

TEST(ImportService, KeepsReExports) {
  auto p = parse("import json as json\n__all__ = ['time']\nimport time\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  EXPECT_TRUE(planner.removal_edits({"json", "time"}).empty());
}

TEST(FreshName, SkipsTakenNames) {
  auto p = parse("_tasks = 1\n_tasks_1 = 2\nprint(_tasks_2)\n");
  EXPECT_EQ(fresh_name(*p->model, "_tasks"), "_tasks_3");
  EXPECT_EQ(fresh_name(*p->model, "sem"), "sem");
}

}  // namespace
}  // namespace asyncfix
