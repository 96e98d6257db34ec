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
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport asyncio\nimport os\n\nhere\n");
  EXPECT_EQ(with_module("\"\"\"Doc.\"\"\"\n\nhere\n", "asyncio"), "\"\"\"Doc.\"\"\"\nimport asyncio\n\nhere\n");
  EXPECT_EQ(with_module("here\n", "asyncio"), "import asyncio\n\nhere\n");
  EXPECT_EQ(with_module("#!/usr/bin/env python\n# comment\nhere\n", "asyncio"),
            "#!/usr/bin/env python\n# comment\nimport asyncio\n\nhere\n");
  EXPECT_EQ(with_module("import os", "asyncio"), "import asyncio\nimport os");  // no final newline
}

// New imports go where isort would put them: beside their package, in sorted place in their
// section (stdlib, third-party, first-party), or as a new section in section order.
TEST(ImportService, PlacesNewImportsInTheirSection) {
  auto add = [](const std::string& src, std::vector<ImportNeed> needs) {
    auto p = parse(src, "app.crud");
    ImportPlanner planner(p->source, p->root(), *p->model);
    return apply_edits(p->source.text(), planner.insertion_edits(needs, {}));
  };
  std::string file =
      "import os\nfrom typing import List\n\nfrom fastapi import Depends\nfrom sqlalchemy.orm import Session\n\n"
      "from .. import models\n\n\nx = 1\n";
  // Beside its package, sorted: sqlalchemy.ext.asyncio before sqlalchemy.orm.
  EXPECT_EQ(add(file, {{"sqlalchemy.ext.asyncio", "AsyncSession", ""}}),
            "import os\nfrom typing import List\n\nfrom fastapi import Depends\n"
            "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.orm import Session\n\n"
            "from .. import models\n\n\nx = 1\n");
  // Stdlib: `import x` lines first, sorted.
  EXPECT_EQ(add(file, {{"asyncio", "", ""}}),
            "import asyncio\nimport os\nfrom typing import List\n\nfrom fastapi import Depends\n"
            "from sqlalchemy.orm import Session\n\nfrom .. import models\n\n\nx = 1\n");
  // Third-party, no package of its own yet: sorted among the section's from-imports. Names
  // from one module make one statement.
  EXPECT_EQ(add(file, {{"httpx", "AsyncClient", ""}, {"httpx", "Timeout", ""}}),
            "import os\nfrom typing import List\n\nfrom fastapi import Depends\n"
            "from httpx import AsyncClient, Timeout\nfrom sqlalchemy.orm import Session\n\n"
            "from .. import models\n\n\nx = 1\n");
  // A section the file lacks goes before the later sections.
  EXPECT_EQ(add("from fastapi import Depends\n\nfrom . import models\n\nx = 1\n", {{"asyncio", "", ""}}),
            "import asyncio\n\nfrom fastapi import Depends\n\nfrom . import models\n\nx = 1\n");
  EXPECT_EQ(add("import os\n\nfrom . import models\n\nx = 1\n", {{"aiofiles", "", ""}}),
            "import os\n\nimport aiofiles\n\nfrom . import models\n\nx = 1\n");
  // ...or after the last one.
  EXPECT_EQ(add("import os\n\nx = 1\n", {{"httpx", "", ""}}), "import os\n\nimport httpx\n\nx = 1\n");
  // The project's own package is first-party.
  EXPECT_EQ(add("import os\n\nimport httpx\n\nx = 1\n", {{"app.models", "User", ""}}),
            "import os\n\nimport httpx\n\nfrom app.models import User\n\nx = 1\n");
}

TEST(ImportService, HelpersGetTwoBlankLinesAround) {
  auto p = parse("import os\n\nx = 1\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  EXPECT_EQ(apply_edits(p->source.text(), planner.insertion_edits({}, {HelperNeed{"_h", "def _h():\n    pass\n"}})),
            "import os\n\n\ndef _h():\n    pass\n\n\nx = 1\n");
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
  EXPECT_EQ(out, "import asyncio as _asyncio\n\n\ndef f(asyncio):\n    here\n");
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
  EXPECT_EQ(apply_edits(p->source.text(), planner.insertion_edits(needs, {})), "import asyncio\nimport os\nhere\n");
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

TEST(ImportService, ALocalImportAsItselfIsNoReExport) {
  auto p = parse("def f():\n    import json as json\n    return 1\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  EXPECT_EQ(apply_edits(p->source.text(), planner.removal_edits({"json"})), "def f():\n    return 1\n");
}

TEST(ImportService, AnImportFirstInABlockTakesTheBlankLinesAfterIt) {
  // black allows no blank line at the top of a block.
  auto p = parse("def f():\n    import json as json\n\n    return 1\n\n\ndef g():\n    x = 1\n    import os\n\n    return x\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  EXPECT_EQ(apply_edits(p->source.text(), planner.removal_edits({"json", "os"})),
            "def f():\n    return 1\n\n\ndef g():\n    x = 1\n\n    return x\n");
}

TEST(ImportService, KeepsWhatAStringAnnotationNames) {
  auto p = parse("from m import Session, Other\n\ndef f() -> \"list[Session]\":\n    pass\n");
  ImportPlanner planner(p->source, p->root(), *p->model);
  EXPECT_EQ(apply_edits(p->source.text(), planner.removal_edits({"m.Session", "m.Other"})),
            "from m import Session\n\ndef f() -> \"list[Session]\":\n    pass\n");
}

TEST(FreshName, SkipsTakenNames) {
  auto p = parse("_tasks = 1\n_tasks_1 = 2\nprint(_tasks_2)\n");
  EXPECT_EQ(fresh_name(*p->model, "_tasks"), "_tasks_3");
  EXPECT_EQ(fresh_name(*p->model, "sem"), "sem");
}

}  // namespace
}  // namespace asyncfix
