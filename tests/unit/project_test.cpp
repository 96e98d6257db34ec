// The project index on a small package written to a temporary directory: re-exports,
// blocking paths across modules, callers, cross-module types, await propagation.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/project/project.h"
#include "test_util.h"
#include "transforms/blocking_catalog.h"

namespace asyncfix {
namespace {

using testing::TempDir;

// One module of the test project: its file (relative to the project's directory) and text.
struct ModuleFile {
  const char* rel;
  const char* module;
  const char* text;
};

// The package `app`: a re-export in __init__, a sync helper that calls requests.get and the
// crud function that calls it, an async handler calling the crud function through the
// re-export, a class with a method and a module-level instance of it, and plain defs holding
// `await` with their callers (module level, a callback, a sync chain, a lambda and a nested
// def).
const ModuleFile kModules[] = {
    {"app/__init__.py", "app", "from .crud import get_user\n"},
    {"app/clients.py", "app.clients",
     "import requests\n"
     "\n"
     "def fetch(url):\n"
     "    return requests.get(url)\n"},
    {"app/crud.py", "app.crud",
     "from app.clients import fetch\n"
     "\n"
     "def get_user(uid):\n"
     "    return fetch(\"/users/\" + str(uid))\n"},
    {"app/api.py", "app.api",
     "from app import get_user\n"
     "from app.repo import repo, make_repo\n"
     "\n"
     "async def handler(uid):\n"
     "    return get_user(uid)\n"
     "\n"
     "async def lookup(uid):\n"
     "    r = make_repo()\n"
     "    return r.get(uid)\n"},
    {"app/repo.py", "app.repo",
     "class Repo:\n"
     "    def get(self, uid):\n"
     "        return uid\n"
     "\n"
     "repo = Repo()\n"
     "\n"
     "def make_repo() -> Repo:\n"
     "    return Repo()\n"},
    {"app/util.py", "app.util",
     "async def fetch_data():\n"
     "    return 1\n"
     "\n"
     "def load():\n"
     "    return await fetch_data()\n"},
    {"app/jobs.py", "app.jobs",
     "from app.util import load\n"
     "\n"
     "def run():\n"
     "    return load()\n"
     "\n"
     "async def handle():\n"
     "    return load()\n"},
    {"app/cli.py", "app.cli",
     "from app.jobs import run\n"
     "\n"
     "run()\n"},
    {"app/tasks.py", "app.tasks",
     "from fastapi import Depends\n"
     "\n"
     "async def produce():\n"
     "    return 1\n"
     "\n"
     "def compute():\n"
     "    return await produce()\n"
     "\n"
     "def submit_it(executor):\n"
     "    executor.submit(compute)\n"
     "\n"
     "async def route(value=Depends(compute)):\n"
     "    return value\n"},
    {"app/clean.py", "app.clean",
     "async def source():\n"
     "    return 1\n"
     "\n"
     "def step():\n"
     "    return await source()\n"
     "\n"
     "def outer():\n"
     "    return step()\n"
     "\n"
     "async def top():\n"
     "    return outer()\n"},
    {"app/nested.py", "app.nested",
     "async def source():\n"
     "    return 1\n"
     "\n"
     "def seed():\n"
     "    return await source()\n"
     "\n"
     "def wrapper():\n"
     "    callback = lambda: seed()\n"
     "    def inner():\n"
     "        return seed()\n"
     "    return callback, inner\n"},
};

class ProjectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const ModuleFile& m : kModules) {
      files_.push_back(DiscoveredFile{dir_.write(m.rel, m.text), m.module,
                                      std::string(m.rel).find("__init__.py") != std::string::npos});
    }
  }

  // An index over the project's files, built from `seeds`.
  std::unique_ptr<ProjectIndex> index(const std::vector<std::string>& seeds) const {
    auto idx = std::make_unique<ProjectIndex>(files_, rules::index_classifier(RuleSettings{}));
    idx->build(seeds, 1);
    return idx;
  }

  // "app/cli.py" as the index names it (the absolute path of the written file).
  std::string path_of(const std::string& rel) const { return dir_.at(rel); }

  TempDir dir_;
  std::vector<DiscoveredFile> files_;
};

// The callers (qualified names, "" for module level) of the calls recorded for `qualname`.
std::vector<std::string> caller_names(const ProjectIndex& idx, const std::string& qualname) {
  std::vector<std::string> out;
  for (const CallRecord* c : idx.callers_of(qualname)) out.push_back(c->caller);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> keys(const std::map<std::string, std::string>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

TEST_F(ProjectTest, WholeProgramBuildSummarizesEveryModule) {
  auto idx = index({""});
  EXPECT_EQ(idx->modules().size(), std::size(kModules));
  // One summary each: app.api asks about app.repo's types, and app.repo, which app.api
  // imports, is summarized first (in one wave, app.api was summarized again once the answers
  // were known).
  EXPECT_EQ(idx->summaries_made(), std::size(kModules));
  EXPECT_TRUE(idx->is_project_module("app.crud"));
  EXPECT_TRUE(idx->is_project_module("app"));
  EXPECT_FALSE(idx->is_project_module("requests"));
  ASSERT_NE(idx->module("app.crud"), nullptr);
  EXPECT_EQ(idx->module("app.crud")->path, path_of("app/crud.py"));
  EXPECT_EQ(idx->module("app.crud")->imports.at("fetch"), "app.clients.fetch");
  // A relative import in a package's __init__ names the module it is in.
  EXPECT_EQ(idx->module("app")->imports.at("get_user"), "app.crud.get_user");
}

TEST_F(ProjectTest, FunctionFollowsReexports) {
  auto idx = index({""});
  const FunctionSummary* f = idx->function("app.get_user");  // from .crud import get_user
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->qualname, "app.crud.get_user");
  EXPECT_EQ(f->path, path_of("app/crud.py"));
  EXPECT_EQ(f->pos.line, 3u);
  EXPECT_FALSE(f->is_async);
  // Two hops: app.api imports it from app, which re-exports it from app.crud.
  ASSERT_NE(idx->function("app.api.get_user"), nullptr);
  EXPECT_EQ(idx->function("app.api.get_user")->qualname, "app.crud.get_user");
  // A method, by Class.method.
  ASSERT_NE(idx->function("app.repo.Repo.get"), nullptr);
  EXPECT_TRUE(idx->function("app.repo.Repo.get")->is_method);
  EXPECT_FALSE(idx->function("app.repo.make_repo")->is_method);
  EXPECT_TRUE(idx->function("app.api.handler")->is_async);
  EXPECT_TRUE(idx->function("app.util.load")->sync_with_await);
  EXPECT_FALSE(idx->function("app.jobs.run")->sync_with_await);
  EXPECT_EQ(idx->function("app.crud.missing"), nullptr);
  EXPECT_EQ(idx->function("requests.get"), nullptr);
}

TEST_F(ProjectTest, BlockingPathGoesThroughSyncHelpers) {
  auto idx = index({""});
  std::vector<std::string> chain{"app.crud.get_user", "app.clients.fetch", "requests.get"};
  EXPECT_EQ(idx->blocking_path("app.crud.get_user"), chain);
  EXPECT_EQ(idx->blocking_path("app.get_user"), chain);  // through the re-export
  EXPECT_EQ(idx->blocking_path("app.clients.fetch"),
            (std::vector<std::string>{"app.clients.fetch", "requests.get"}));
  // The handler is async: the chain starts at the sync function it calls.
  EXPECT_TRUE(idx->blocking_path("app.api.handler").empty());
  EXPECT_TRUE(idx->blocking_path("app.repo.make_repo").empty());
  const BlockingRecord* leaf = idx->blocking_leaf("app.get_user");
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(leaf->api, "requests.get");
  EXPECT_EQ(leaf->rule_id, "AF102");
  EXPECT_EQ(leaf->pos.line, 4u);
  EXPECT_EQ(idx->blocking_leaf("app.repo.make_repo"), nullptr);
  ASSERT_EQ(idx->function("app.clients.fetch")->blocking.size(), 1u);
  EXPECT_TRUE(idx->function("app.crud.get_user")->blocking.empty());
}

TEST_F(ProjectTest, CallersOf) {
  auto idx = index({""});
  EXPECT_EQ(caller_names(*idx, "app.crud.get_user"), std::vector<std::string>{"app.api.handler"});
  EXPECT_EQ(caller_names(*idx, "app.get_user"), std::vector<std::string>{"app.api.handler"});
  auto calls = idx->callers_of("app.crud.get_user");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]->callee, "app.get_user");  // as written, through the import
  EXPECT_EQ(calls[0]->pos.line, 5u);
  EXPECT_TRUE(calls[0]->in_async);
  EXPECT_FALSE(calls[0]->awaited);
  // Module-level code calls run (caller "").
  EXPECT_EQ(caller_names(*idx, "app.jobs.run"), std::vector<std::string>{""});
  // r.get(uid) with r an instance of the project class Repo (make_repo's return type).
  EXPECT_EQ(caller_names(*idx, "app.repo.Repo.get"), std::vector<std::string>{"app.api.lookup"});
  EXPECT_EQ(caller_names(*idx, "app.util.load"), (std::vector<std::string>{"app.jobs.handle", "app.jobs.run"}));
  EXPECT_TRUE(idx->callers_of("app.api.handler").empty());
}

TEST_F(ProjectTest, TypesAcrossModules) {
  auto idx = index({""});
  EXPECT_EQ(idx->global_type("app.repo.repo").value_or("?"), "app.repo.Repo");
  EXPECT_EQ(idx->global_type("app.api.repo").value_or("?"), "app.repo.Repo");  // through the import
  EXPECT_EQ(idx->return_type("app.repo.make_repo").value_or("?"), "app.repo.Repo");
  EXPECT_EQ(idx->return_type("app.api.make_repo").value_or("?"), "app.repo.Repo");
  EXPECT_EQ(idx->class_type("app.repo.Repo").value_or("?"), "app.repo.Repo");
  EXPECT_EQ(idx->global_type("app.repo.missing"), std::nullopt);
  EXPECT_EQ(idx->global_type("app.repo.make_repo"), std::nullopt);  // a function, not a global
  EXPECT_EQ(idx->return_type("app.repo.missing"), std::nullopt);
  EXPECT_EQ(idx->class_type("app.repo.repo"), std::nullopt);
  // The global, and the module-level function whose result is one (`r = make_repo()` in a
  // module that never writes `Repo`).
  EXPECT_EQ(idx->names_typed_with({"Repo"}), (std::vector<std::string>{"make_repo", "repo"}));
  EXPECT_TRUE(idx->names_typed_with({"Client"}).empty());
}

TEST_F(ProjectTest, SeedBuildSummarizesOnlyWhatAsyncCodeReaches) {
  auto idx = index({"async def"});
  EXPECT_NE(idx->module("app.api"), nullptr);    // holds async def
  EXPECT_NE(idx->module("app.util"), nullptr);   // holds async def
  EXPECT_NE(idx->module("app.repo"), nullptr);   // called from async code (make_repo)
  EXPECT_EQ(idx->module("app.cli"), nullptr);    // no seed, called by nobody
  EXPECT_TRUE(idx->is_project_module("app.cli"));
  EXPECT_LT(idx->modules().size(), std::size(kModules));
}

TEST_F(ProjectTest, SecondBuildOfUnchangedFilesMakesNoSummaries) {
  auto idx = index({"async def"});
  size_t first = idx->summaries_made();
  EXPECT_GT(first, 0u);
  idx->build({"async def"}, 1);
  EXPECT_EQ(idx->summaries_made(), first);
  idx->build({""}, 1);  // the rest of the project
  size_t whole = idx->summaries_made();
  EXPECT_GT(whole, first);
  EXPECT_EQ(idx->modules().size(), std::size(kModules));
  idx->build({""}, 1);
  EXPECT_EQ(idx->summaries_made(), whole);
}

TEST_F(ProjectTest, PlanAsyncMakesTheSyncChainAsync) {
  auto idx = index({"async def"});
  AsyncPlan plan = idx->plan_async({"app.clean.step"}, 1);
  EXPECT_EQ(keys(plan.make_async), (std::vector<std::string>{"app.clean.outer", "app.clean.step"}));
  EXPECT_EQ(plan.make_async["app.clean.step"], "contains `await`");
  EXPECT_EQ(plan.make_async["app.clean.outer"], "calls `app.clean.step`, which becomes async");
  EXPECT_TRUE(plan.has("app.clean.outer"));
  EXPECT_FALSE(plan.has("app.clean.top"));  // already async: its call gets `await`
  EXPECT_TRUE(plan.blocked.empty());
  EXPECT_TRUE(plan.stuck.empty());
  AsyncPlan why = idx->plan_async({"app.clean.step"}, 1, true, "the migration says so");
  EXPECT_EQ(why.make_async["app.clean.step"], "the migration says so");
}

TEST_F(ProjectTest, PlanAsyncModuleLevelCallerBlocksTheSeed) {
  auto idx = index({"async def"});
  // app.cli (no seed literal) is loaded by the plan: it mentions `run`.
  AsyncPlan plan = idx->plan_async({"app.util.load"}, 1, /*stop_at_blockers=*/true);
  EXPECT_NE(idx->module("app.cli"), nullptr);
  EXPECT_TRUE(plan.make_async.empty());
  ASSERT_EQ(plan.blocked.count("app.util.load"), 1u);
  EXPECT_EQ(plan.blocked["app.util.load"],
            std::vector<std::string>{path_of("app/cli.py") + ":3: called at import time by module code, which cannot await"});
  EXPECT_TRUE(plan.stuck.empty());
}

TEST_F(ProjectTest, PlanAsyncMigrationListsStuckCallers) {
  auto idx = index({"async def"});
  AsyncPlan plan = idx->plan_async({"app.util.load"}, 1, /*stop_at_blockers=*/false);
  EXPECT_EQ(keys(plan.make_async), (std::vector<std::string>{"app.jobs.run", "app.util.load"}));
  EXPECT_EQ(plan.make_async["app.jobs.run"], "calls `app.util.load`, which becomes async");
  EXPECT_TRUE(plan.blocked.empty());
  ASSERT_EQ(plan.stuck.size(), 1u);
  const AsyncPlan::Stuck& s = plan.stuck[0];
  EXPECT_EQ(s.path, path_of("app/cli.py"));
  EXPECT_EQ(s.pos.line, 3u);
  EXPECT_EQ(s.pos.col, 1u);
  EXPECT_EQ(s.callee, "app.jobs.run");
  EXPECT_EQ(s.caller, "");
  EXPECT_FALSE(s.value_use);
  EXPECT_EQ(s.where, AsyncPlan::Stuck::Where::Module);
}

TEST_F(ProjectTest, FunctionPassedAsCallbackBlocksTheSeed) {
  auto idx = index({"async def"});
  // executor.submit(compute) is a value use; Depends(compute) is not (FastAPI awaits it).
  const ModuleSummary* tasks = idx->module("app.tasks");
  ASSERT_NE(tasks, nullptr);
  ASSERT_EQ(tasks->value_uses.size(), 1u);
  EXPECT_EQ(tasks->value_uses[0].callee, "app.tasks.compute");
  EXPECT_EQ(tasks->value_uses[0].caller, "app.tasks.submit_it");

  AsyncPlan plan = idx->plan_async({"app.tasks.compute"}, 1, true);
  EXPECT_TRUE(plan.make_async.empty());
  EXPECT_EQ(plan.blocked["app.tasks.compute"],
            std::vector<std::string>{path_of("app/tasks.py") +
                                     ":10: `compute` is passed as a value (a callback that will not be awaited)"});

  AsyncPlan migration = idx->plan_async({"app.tasks.compute"}, 1, false);
  EXPECT_EQ(keys(migration.make_async), std::vector<std::string>{"app.tasks.compute"});
  ASSERT_EQ(migration.stuck.size(), 1u);
  EXPECT_EQ(migration.stuck[0].path, path_of("app/tasks.py"));
  EXPECT_EQ(migration.stuck[0].pos.line, 10u);
  EXPECT_EQ(migration.stuck[0].callee, "app.tasks.compute");
  EXPECT_EQ(migration.stuck[0].caller, "app.tasks.submit_it");
  EXPECT_TRUE(migration.stuck[0].value_use);
  EXPECT_EQ(migration.stuck[0].where, AsyncPlan::Stuck::Where::Value);
}

TEST_F(ProjectTest, CallsInLambdasAndNestedDefsCannotAwait) {
  auto idx = index({"async def"});
  AsyncPlan plan = idx->plan_async({"app.nested.seed"}, 1, true);
  EXPECT_TRUE(plan.make_async.empty());
  std::string nested = path_of("app/nested.py");
  EXPECT_EQ(plan.blocked["app.nested.seed"],
            (std::vector<std::string>{nested + ":8: called in a lambda, which cannot await",
                                      nested + ":10: called in a nested function, which cannot await"}));

  AsyncPlan migration = idx->plan_async({"app.nested.seed"}, 1, false);
  // wrapper's own body does not call seed: it does not become async.
  EXPECT_EQ(keys(migration.make_async), std::vector<std::string>{"app.nested.seed"});
  ASSERT_EQ(migration.stuck.size(), 2u);
  EXPECT_EQ(migration.stuck[0].where, AsyncPlan::Stuck::Where::Lambda);
  EXPECT_EQ(migration.stuck[0].pos.line, 8u);
  EXPECT_EQ(migration.stuck[0].caller, "app.nested.wrapper");
  EXPECT_EQ(migration.stuck[1].where, AsyncPlan::Stuck::Where::Nested);
  EXPECT_EQ(migration.stuck[1].pos.line, 10u);
  EXPECT_EQ(migration.stuck[1].caller, "app.nested.wrapper");
  EXPECT_FALSE(migration.stuck[1].value_use);
}

// A seed build follows the handler's calls into the modules that define them (imported
// from the defining module), and the helpers those call, but never opens unrelated files.
TEST(ProjectSeedBuild, FollowsCallsIntoOtherModules) {
  TempDir dir;
  std::vector<DiscoveredFile> files{
      {dir.write("svc/__init__.py", ""), "svc", true},
      {dir.write("svc/clients.py", "import time\n\ndef wait():\n    time.sleep(1)\n"), "svc.clients", false},
      {dir.write("svc/crud.py", "from svc.clients import wait\n\ndef get():\n    wait()\n"), "svc.crud", false},
      {dir.write("svc/api.py", "from svc.crud import get\n\nasync def handler():\n    get()\n"), "svc.api", false},
      {dir.write("svc/other.py", "def unrelated():\n    pass\n"), "svc.other", false},
  };
  ProjectIndex idx(files, rules::index_classifier(RuleSettings{}));
  idx.build({"async def"}, 1);
  EXPECT_NE(idx.module("svc.crud"), nullptr);
  EXPECT_NE(idx.module("svc.clients"), nullptr);
  EXPECT_EQ(idx.module("svc.other"), nullptr);
  EXPECT_EQ(idx.blocking_path("svc.crud.get"),
            (std::vector<std::string>{"svc.crud.get", "svc.clients.wait", "time.sleep"}));
  ASSERT_NE(idx.blocking_leaf("svc.crud.get"), nullptr);
  EXPECT_EQ(idx.blocking_leaf("svc.crud.get")->rule_id, "AF101");
  EXPECT_EQ(idx.summaries_made(), 3u);  // api (the seed), then crud, then clients
}

// Classes with `async def` methods called by name, through project bases; and the globals
// typed with them, for the types a rule asks for (AF201's typed triggers).
TEST(ProjectTypedNames, AsyncMethodsAndTypedGlobals) {
  TempDir dir;
  std::vector<DiscoveredFile> files{
      {dir.write("svc/__init__.py", ""), "svc", true},
      {dir.write("svc/bus.py",
                 "class Base:\n    async def publish(self):\n        pass\n\n"
                 "class Bus(Base):\n    def later(self):\n        pass\n\n"
                 "class Ticker:\n    async def __aenter__(self):\n        return self\n\n"
                 "class Plain:\n    def run(self):\n        pass\n\n"
                 "bus = Bus()\nticker = Ticker()\nplain = Plain()\n"),
       "svc.bus", false},
  };
  ProjectIndex idx(files, rules::index_classifier(RuleSettings{}));
  idx.build({""}, 1);
  EXPECT_TRUE(idx.has_async_methods("svc.bus.Base"));
  EXPECT_TRUE(idx.has_async_methods("svc.bus.Bus"));      // inherited from Base
  EXPECT_FALSE(idx.has_async_methods("svc.bus.Ticker"));  // only a dunder
  EXPECT_FALSE(idx.has_async_methods("svc.bus.Plain"));
  EXPECT_FALSE(idx.has_async_methods("svc.bus.missing"));
  auto async_typed = idx.names_typed_with([&](std::string_view t) { return idx.has_async_methods(t); });
  EXPECT_EQ(async_typed, std::vector<std::string>{"bus"});
  EXPECT_EQ(idx.names_typed_with({"Plain"}), std::vector<std::string>{"plain"});
}

// The overrides of an abstract method called from async code are looked for in the modules
// whose class statements name its class among their bases: a later base, a dotted one, a
// generic one over several lines with a comment; not a module that only mentions the class.
TEST(ProjectSeedBuild, LoadsSubclassesNamedInClassStatements) {
  TempDir dir;
  std::vector<DiscoveredFile> files{
      {dir.write("svc/__init__.py", ""), "svc", true},
      {dir.write("svc/base.py", "class Store:\n    def save(self):\n        raise NotImplementedError\n"), "svc.base", false},
      {dir.write("svc/multi.py",
                 "import time\nfrom svc import base\n\nclass Mixin:\n    pass\n\n"
                 "class SlowStore(Mixin,\n                base.Store):  # the second base\n"
                 "    def save(self):\n        time.sleep(1)\n"),
       "svc.multi", false},
      {dir.write("svc/generic.py",
                 "import time\nfrom svc.base import Store\n\nclass Meta(type):\n    pass\n\n"
                 "class GenericStore(\n    Store[  # a generic base (x)\n        int\n    ],\n    metaclass=Meta,\n):\n"
                 "    def save(self):\n        time.sleep(2)\n"),
       "svc.generic", false},
      {dir.write("svc/other.py", "from svc.base import Store\n\ndef check(x):\n    return isinstance(x, Store)\n"),
       "svc.other", false},
      {dir.write("svc/api.py", "from svc.base import Store\n\nasync def handler(store: Store):\n    store.save()\n"),
       "svc.api", false},
  };
  ProjectIndex idx(files, rules::index_classifier(RuleSettings{}));
  idx.build({"async def"}, 2);
  EXPECT_NE(idx.module("svc.multi"), nullptr);
  EXPECT_NE(idx.module("svc.generic"), nullptr);
  EXPECT_EQ(idx.module("svc.other"), nullptr);
  ASSERT_NE(idx.blocking_leaf("svc.base.Store.save"), nullptr);
  EXPECT_EQ(idx.blocking_leaf("svc.base.Store.save")->api, "time.sleep");
}

}  // namespace
}  // namespace asyncfix
