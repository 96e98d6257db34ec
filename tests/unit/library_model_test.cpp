// The library model (engine/semantic/library_model.h): the built-in files parse, a user's file
// adds facts, and a bad file is an error that says where. What the type oracle makes of the
// facts: tests/unit/types_test.cpp (Types.FromTheLibraryModel).
#include <gtest/gtest.h>

#include "engine/semantic/library_model.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using semantic::LibraryModel;

TEST(LibraryModel, BuiltinFacts) {
  const LibraryModel& m = LibraryModel::builtin();
  EXPECT_EQ(m.canonical("sqlmodel.Session"), "sqlalchemy.orm.Session");
  EXPECT_EQ(m.canonical("sqlmodel.ext.asyncio.session.AsyncSession"), "sqlalchemy.ext.asyncio.AsyncSession");
  ASSERT_NE(m.function("time.sleep"), nullptr);
  EXPECT_EQ(m.function("time.sleep")->rule, "AF101");
  ASSERT_NE(m.method("sqlalchemy.orm.scoped_session", "commit"), nullptr);  // delegates to Session
  EXPECT_EQ(m.method("sqlalchemy.orm.scoped_session", "commit")->rule, "AF106");
  EXPECT_EQ(m.receiver_class("sqlalchemy.orm.scoped_session"), "sqlalchemy.orm.Session");
  ASSERT_NE(m.method("sqlalchemy.ext.asyncio.AsyncSession", "execute"), nullptr);
  EXPECT_TRUE(m.method("sqlalchemy.ext.asyncio.AsyncSession", "execute")->coroutine);
  EXPECT_TRUE(m.is_blocking_method_name("exec"));  // sqlmodel's Session.exec
  EXPECT_EQ(m.method("sqlalchemy.orm.Session", "no_such"), nullptr);
  // Calls that run the function they are given, and what they give back.
  ASSERT_NE(m.function(m.canonical("fastapi.concurrency.run_in_threadpool")), nullptr);
  EXPECT_EQ(m.function(m.canonical("fastapi.concurrency.run_in_threadpool"))->runs, 1);
  EXPECT_EQ(m.function("asyncio.to_thread")->returns.at(0).str(), "product($1)");
  ASSERT_NE(m.method(m.canonical("fastapi.BackgroundTasks"), "add_task"), nullptr);
  EXPECT_EQ(m.method(m.canonical("fastapi.BackgroundTasks"), "add_task")->runs, 1);
  EXPECT_EQ(m.method("asyncio.AbstractEventLoop", "run_in_executor")->runs, 2);
  EXPECT_TRUE(m.is_runner_method_name("submit"));
  // Calls and mappings that keep a function and await it when it is async (FastAPI's).
  EXPECT_EQ(m.function(m.canonical("fastapi.Depends"))->awaits, 1);
  EXPECT_EQ(m.function(m.canonical("fastapi.Security"))->awaits, 1);
  EXPECT_EQ(m.method(m.canonical("fastapi.BackgroundTasks"), "add_task")->awaits, 1);
  const semantic::ClassFact* app = m.class_fact(m.canonical("fastapi.FastAPI"));
  ASSERT_NE(app, nullptr);
  ASSERT_TRUE(app->attributes.count("dependency_overrides"));
  const semantic::ClassFact* overrides = m.class_fact(app->attributes.at("dependency_overrides"));
  ASSERT_NE(overrides, nullptr);
  EXPECT_TRUE(overrides->awaits_items);
}

TEST(LibraryModel, AUsersFileAddsFacts) {
  auto user = LibraryModel::parse(
      "asyncfix-library-model: 1\n"
      "functions:\n"
      "  - {name: mysdk.fetch_report, blocks: AF102, instead: mysdk.aio.fetch_report}\n"
      "  - {name: mysdk.db.session_scope, returns: \"factory(sqlalchemy.orm.Session)\"}\n"
      "classes:\n"
      "  - name: mysdk.Client\n"
      "    methods: {get: {blocks: AF102}, aget: {returns: mysdk.Client}, later: {runs: $2}}\n"
      "    coroutines: [aclose]\n",
      "mysdk.yml");
  ASSERT_TRUE(user.ok()) << user.error().to_string();
  LibraryModel m = LibraryModel::builtin();
  m.merge(*user);
  EXPECT_EQ(m.function("mysdk.fetch_report")->rule, "AF102");
  EXPECT_EQ(m.function("mysdk.db.session_scope")->returns.at(0).str(), "factory(sqlalchemy.orm.Session)");
  EXPECT_EQ(m.method("mysdk.Client", "get")->rule, "AF102");
  EXPECT_TRUE(m.method("mysdk.Client", "aclose")->coroutine);
  EXPECT_EQ(m.method("mysdk.Client", "later")->runs, 2);
  EXPECT_NE(m.function("time.sleep"), nullptr);  // the built-in facts stay
  EXPECT_EQ(m.blocking_apis("AF102").count("mysdk.Client.get"), 1u);
}

TEST(LibraryModel, CounterpartsAndSyncEntries) {
  const LibraryModel& b = LibraryModel::builtin();
  ASSERT_NE(b.async_counterpart("sqlmodel.Session"), nullptr);
  EXPECT_EQ(*b.async_counterpart("sqlmodel.Session"), "sqlmodel.ext.asyncio.session.AsyncSession");
  EXPECT_EQ(*b.async_counterpart("sqlalchemy.orm.Session"), "sqlalchemy.ext.asyncio.AsyncSession");
  EXPECT_EQ(*b.async_counterpart("sqlmodel.create_engine"), "sqlalchemy.ext.asyncio.create_async_engine");
  EXPECT_EQ(b.async_counterpart("sqlalchemy.ext.asyncio.AsyncSession"), nullptr);
  EXPECT_TRUE(b.method("typer.Typer", "command")->sync_entry);
  EXPECT_TRUE(b.function("click.command")->sync_entry);
  EXPECT_TRUE(b.method("sqlalchemy.ext.asyncio.AsyncSession", "exec")->coroutine);  // SQLModel's
  auto user = LibraryModel::parse(
      "asyncfix-library-model: 1\n"
      "functions:\n"
      "  - {name: mysdk.cli.command, sync-entry: true}\n"
      "  - {name: mysdk.current_context, pure: true}\n"
      "counterparts:\n"
      "  mysdk.db.Session: mysdk.db.aio.AsyncSession\n",
      "mysdk.yml");
  ASSERT_TRUE(user.ok()) << user.error().to_string();
  LibraryModel m = LibraryModel::builtin();
  m.merge(*user);
  EXPECT_TRUE(m.function("mysdk.cli.command")->sync_entry);
  EXPECT_TRUE(m.function("mysdk.current_context")->pure);
  EXPECT_TRUE(b.function("asyncio.get_running_loop")->pure);
  EXPECT_FALSE(b.function("asyncio.get_event_loop")->pure);  // may make and set a loop
  EXPECT_EQ(*m.async_counterpart("mysdk.db.Session"), "mysdk.db.aio.AsyncSession");
  EXPECT_NE(m.async_counterpart("sqlmodel.Session"), nullptr);  // the built-in ones stay
}

TEST(LibraryModel, BadFilesSayWhatAndWhere) {
  auto err = [](const std::string& text) {
    auto m = LibraryModel::parse(text, "lib.yml");
    return m.ok() ? std::string("ok") : m.error().to_string();
  };
  EXPECT_EQ(err("functions: []\n"), "lib.yml:1:1: missing `asyncfix-library-model: 1` (the schema version)");
  EXPECT_EQ(err("asyncfix-library-model: 2\n"),
            "lib.yml:1:25: schema version `2` is not supported by this asyncfix (it reads version 1)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, block: AF102}\n"),
            "lib.yml:3:17: unknown key `block` in a function (allowed: name, aliases, blocks, instead, returns, coroutine, runs, "
            "awaits, sync-entry, pure)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, awaits: yes}\n"),
            "lib.yml:3:25: `awaits: yes`: the argument it calls, `$1`, `$2`, ... (positional)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, sync-entry: maybe}\n"),
            "lib.yml:3:29: `sync-entry` is true or false");
  EXPECT_EQ(err("asyncfix-library-model: 1\ncounterparts: [x.y]\n"),
            "lib.yml:2:15: `counterparts` must be a mapping to a type");
  EXPECT_EQ(err("asyncfix-library-model: 1\nclasses:\n  - {name: x.Y, awaits-items: maybe}\n"),
            "lib.yml:3:31: `awaits-items` is true or false");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, runs: first}\n"),
            "lib.yml:3:23: `runs: first`: the argument it calls, `$1`, `$2`, ... (positional)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, runs: $0}\n"),
            "lib.yml:3:23: `runs: $0`: the argument it calls, `$1`, `$2`, ... (positional)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, blocks: AF401}\n"),
            "lib.yml:3:25: `blocks: AF401`: a call blocks under one of AF101-AF107");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: x.y, returns: \"fact(x)\"}\n"),
            "lib.yml:3:26: unknown type operator `fact` (factory, instance, type, product)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nfunctions:\n  - {name: \"x y\"}\n"),
            "lib.yml:3:12: `x y` is not a dotted Python name (name)");
  EXPECT_EQ(err("asyncfix-library-model: 1\nclasses:\n  - name: a.B\n    methods: [get]\n"),
            "lib.yml:4:14: `methods` must be a mapping of method name to facts");
  EXPECT_NE(err("asyncfix-library-model: 1\nfunctions: [\n"), "ok");  // a YAML syntax error, with its place
}

}  // namespace
}  // namespace asyncfix
