#include <gtest/gtest.h>

#include "test_util.h"

namespace asyncfix {
namespace {

using testing::parse;

TEST(QualifiedName, ResolvesImportsAndAliases) {
  auto p = parse(
      "import time as t\nfrom time import sleep as nap\nimport os.path\n"
      "t.sleep(1)\nnap(2)\nos.path.join('a')\nopen('x')\n");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "t.sleep")), "time.sleep");
  EXPECT_EQ(p->model->qualified_name(p->find("identifier", "nap")), "time.sleep");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "os.path.join")), "os.path.join");
  EXPECT_EQ(p->model->qualified_name(p->find("identifier", "open")), "open");  // unbound: builtin
}

TEST(QualifiedName, LocalNamesAreNotModules) {
  auto p = parse("import time\n\ndef f(time):\n    time.sleep(1)\n\ntime = 3\n");
  TSNode call_attr = p->find("attribute", "time.sleep");
  EXPECT_FALSE(p->model->qualified_name(call_attr).has_value());
}

TEST(QualifiedName, RelativeImportsUseTheModuleName) {
  auto p = parse("from . import crud\nfrom ..core import db as d\ncrud.get()\nd.x\n", "app.api.users");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "crud.get")), "app.api.crud.get");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "d.x")), "app.core.db.x");
}

TEST(Context, AsyncDefStopsAtNestedDefLambdaAndClass) {
  auto p = parse(
      "async def a():\n    x1()\n    def b():\n        x2()\n    f = lambda: x3()\n"
      "    class C:\n        x4()\n    [x5() for _ in y]\n\ndef s():\n    x6()\n");
  auto ctx = [&](const char* name) { return p->model->context_at(p->find("identifier", name)); };
  EXPECT_EQ(ctx("x1"), semantic::Context::AsyncFunction);
  EXPECT_EQ(ctx("x2"), semantic::Context::SyncFunction);
  EXPECT_EQ(ctx("x3"), semantic::Context::Lambda);
  EXPECT_EQ(ctx("x4"), semantic::Context::ClassBody);
  EXPECT_EQ(ctx("x5"), semantic::Context::AsyncFunction);  // comprehensions are looked through
  EXPECT_EQ(ctx("x6"), semantic::Context::SyncFunction);
}

TEST(Context, DecoratorsAndDefaultsBelongToTheEnclosingScope) {
  auto p = parse("async def a():\n    @deco(x1())\n    def b(p=x2()):\n        pass\n");
  EXPECT_EQ(p->model->context_at(p->find("identifier", "x1")), semantic::Context::AsyncFunction);
  EXPECT_EQ(p->model->context_at(p->find("identifier", "x2")), semantic::Context::AsyncFunction);
}

TEST(Bindings, ClassScopeIsInvisibleToMethods) {
  auto p = parse("import json\nclass C:\n    json = None\n    def m(self):\n        return json.dumps(1)\n");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "json.dumps")), "json.dumps");
}

TEST(Bindings, GlobalRedirectsToModule) {
  auto p = parse("def f():\n    global time\n    import time\n\ndef g():\n    time.sleep(1)\n");
  EXPECT_EQ(p->model->qualified_name(p->find("attribute", "time.sleep")), "time.sleep");
}

TEST(Bindings, CountsReferences) {
  auto p = parse("import time\nimport os\nx = time.time()\n");
  const auto& mod = p->model->scope(0);
  EXPECT_EQ(p->model->count_references(mod.bindings.at("time")[0]), 1u);
  EXPECT_EQ(p->model->count_references(mod.bindings.at("os")[0]), 0u);
}

TEST(RouteHandlers, RecognisesPathDecorators) {
  auto p = parse("@router.get('/users/{id}')\nasync def h(): pass\n@cache('x')\nasync def k(): pass\n");
  EXPECT_TRUE(p->model->is_route_handler(p->find("function_definition", "")));
  TSNode second{};
  syntax::walk(p->root(), [&](TSNode n) {
    if (syntax::is(n, "function_definition")) second = n;
    return true;
  });
  EXPECT_FALSE(p->model->is_route_handler(second));
}

}  // namespace
}  // namespace asyncfix

namespace asyncfix {
namespace {
TEST(Bindings, AttributeAndSubscriptTargetsBindNothing) {
  auto p = testing::parse("class C:\n    def m(self, x):\n        self.db = x\n        a[i] = x\n        for self.k in y:\n            pass\n");
  int s = p->model->scope_of(p->find("assignment"));
  const auto& b = p->model->scope(s).bindings;
  EXPECT_EQ(b.count("db"), 0u);
  EXPECT_EQ(b.at("self").size(), 1u);  // the parameter only
  EXPECT_EQ(b.count("a"), 0u);
  EXPECT_EQ(b.count("k"), 0u);
}
}  // namespace
}  // namespace asyncfix
