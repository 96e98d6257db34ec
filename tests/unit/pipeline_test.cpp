// The fix pipeline with small rules made up for the test: conflicts, rollback, fixed point.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "engine/run/pipeline.h"
#include "engine/syntax/node.h"

namespace asyncfix {
namespace {

// Replaces every identifier spelled `from` with `to`, optionally also replacing its whole
// statement, or asking for an import.
class Rename : public Rule {
 public:
  Rename(std::string id, std::string from, std::string to, bool whole_statement = false,
         std::string import_module = {})
      : from_(std::move(from)), to_(std::move(to)), whole_(whole_statement), import_(std::move(import_module)) {
    info_.id = std::move(id);
    info_.name = "rename-" + from_;
    info_.severity = Severity::P2;
    info_.message = "rename " + from_;
    info_.fixable = true;
    info_.origin = "test";
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& reg) const override {
    reg.add_query("((identifier) @id (#eq? @id \"" + from_ + "\"))");
  }
  void on_match(const Match& m, FileContext& ctx) const override {
    TSNode id = m.capture("id");
    Finding& f = ctx.report(id);
    Fix fix;
    fix.title = "rename";
    if (whole_) {
      TSNode stmt = syntax::enclosing_statement(id);
      std::string t(syntax::text(stmt, ctx.text()));
      size_t at = t.find(from_);
      t.replace(at, from_.size(), to_);
      fix.edits.push_back(Edit{syntax::start(stmt), syntax::end(stmt), t});
    } else {
      fix.edits.push_back(Edit{syntax::start(id), syntax::end(id), to_});
    }
    if (!import_.empty()) fix.imports.push_back(ImportNeed{import_, "", ""});
    f.fix = std::move(fix);
  }

 private:
  std::string from_, to_;
  bool whole_;
  std::string import_;
  RuleInfo info_;
};

FileResult run(std::vector<RulePtr> rules, const std::string& code, FixMode mode = FixMode::Safe) {
  auto engine = Engine::create(std::move(rules), RuleSettings{});
  EXPECT_TRUE(engine.ok());
  auto src = SourceFile::from_bytes("t.py", code);
  syntax::Parser parser;
  FileOptions fo;
  fo.fix_mode = mode;
  return (*engine)->process(*src, fo, parser);
}

TEST(Pipeline, OverlappingFixIsRetriedOnTheNextPass) {
  // AF901 rewrites the whole statement `x = a + b` (a -> c); AF902 renames `b` inside it.
  // The first (by position) wins; the second is retried on the next pass and applies.
  auto r = run({std::make_shared<Rename>("AF901", "a", "c", true), std::make_shared<Rename>("AF902", "b", "d")},
               "x = a + b\n");
  EXPECT_EQ(r.fixed, "x = c + d\n");
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[0].pass, 1);
  EXPECT_EQ(r.applied[1].pass, 2);
  EXPECT_TRUE(r.remaining.empty());
}

TEST(Pipeline, SkippedFixSaysWhy) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "c", true), std::make_shared<Rename>("AF902", "b", "d")},
               "y = 1\nx = a + b\n");
  EXPECT_EQ(r.fixed, "y = 1\nx = c + d\n");
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].rule_id, "AF902");
  EXPECT_EQ(r.notes[0].message, "fix not applied in pass 1: overlaps AF901 at 2:5");
  EXPECT_TRUE(r.notes[0].verbose);  // it applied on pass 2: informational only
}

TEST(Pipeline, FixThatNeverGetsItsTurnIsAWarning) {
  // AF901 keeps rewriting the statement (a -> a, forever) so AF902 never applies; the loop
  // stops at the pass limit, and AF902's skip is reported as a warning, not just info.
  auto r = run({std::make_shared<Rename>("AF901", "a", "a ", true), std::make_shared<Rename>("AF902", "b", "d")},
               "x = a + b\n");
  bool warned = false;
  for (const auto& n : r.notes) warned |= n.rule_id == "AF902" && !n.verbose && n.message.find("overlaps AF901") != std::string::npos;
  EXPECT_TRUE(warned);
  EXPECT_TRUE(r.has_internal_error());  // no fixed point
}

TEST(Pipeline, FixThatBreaksSyntaxIsRolledBackAlone) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "(("), std::make_shared<Rename>("AF902", "b", "d")},
               "x = a\ny = b\n");
  EXPECT_EQ(r.fixed, "x = a\ny = d\n");
  ASSERT_FALSE(r.notes.empty());
  EXPECT_TRUE(r.notes[0].internal_error);
  EXPECT_EQ(r.notes[0].rule_id, "AF901");
  EXPECT_NE(r.notes[0].message.find("rolled back"), std::string::npos);
}

TEST(Pipeline, FixThatPythonWouldRefuseIsRolledBack) {
  // Both results parse; one has an `await` in a plain def (a SyntaxError when the module is
  // compiled), the other an `await` in an async def. An `await` that was there before the
  // fixes is not theirs.
  auto r = run({std::make_shared<Rename>("AF901", "a", "await z"), std::make_shared<Rename>("AF902", "b", "await y")},
               "def f():\n    return a\n\nasync def g():\n    return b\n\ndef h():\n    return await c\n");
  EXPECT_EQ(r.fixed, "def f():\n    return a\n\nasync def g():\n    return await y\n\ndef h():\n    return await c\n");
  ASSERT_FALSE(r.notes.empty());
  EXPECT_TRUE(r.notes[0].internal_error);
  EXPECT_EQ(r.notes[0].rule_id, "AF901");
  EXPECT_NE(r.notes[0].message.find("Python refuses to compile: 'await' outside async function (line 2"),
            std::string::npos)
      << r.notes[0].message;
}

TEST(Pipeline, NonConvergenceNamesTheRules) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "b"), std::make_shared<Rename>("AF902", "b", "a")},
               "x = a\n");
  bool found = false;
  for (const auto& n : r.notes) {
    found |= n.internal_error && n.message.find("did not settle") != std::string::npos &&
             n.message.find("AF901") != std::string::npos && n.message.find("AF902") != std::string::npos;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(r.has_internal_error());
}

TEST(Pipeline, IdenticalImportsFromSeveralFixesAreMerged) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "asyncio.x", false, "asyncio"),
                std::make_shared<Rename>("AF902", "b", "asyncio.y", false, "asyncio")},
               "import os\n\nf(a, b)\n");
  EXPECT_EQ(r.fixed, "import asyncio\nimport os\n\nf(asyncio.x, asyncio.y)\n");
}

TEST(Pipeline, ErrorRegionsAreNeverRewritten) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "b")}, "x = a\ndef (:\n    a\n");
  EXPECT_EQ(r.fixed.substr(0, 6), "x = b\n");
  EXPECT_NE(r.fixed.find("    a"), std::string::npos);
}

TEST(Pipeline, CheckModeChangesNothing) {
  auto r = run({std::make_shared<Rename>("AF901", "a", "b")}, "x = a\n", FixMode::None);
  EXPECT_FALSE(r.changed());
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.remaining.size(), 1u);
}

TEST(Pipeline, PrefilterSkipsFilesWithoutTriggers) {
  auto rule = std::make_shared<Rename>("AF901", "a", "b");
  const_cast<RuleInfo&>(rule->info()).triggers = {"zzz"};
  auto r = run({rule}, "x = a\n");
  EXPECT_TRUE(r.skipped_no_trigger);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Pipeline, RequiredTriggerGatesTheRule) {
  auto rule = std::make_shared<Rename>("AF901", "a", "b");
  const_cast<RuleInfo&>(rule->info()).required_triggers = {kAsyncDefTrigger};
  // `asyncio` and `async_mode` contain the word, not an `async def`.
  EXPECT_TRUE(run({rule}, "import asyncio\nasync_mode = a\n").skipped_no_trigger);
  auto r = run({rule}, "async def f():\n    return a\n", FixMode::None);
  EXPECT_FALSE(r.skipped_no_trigger);
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(Pipeline, WholeWordTriggersMatchOnlyTheWord) {
  auto rule = std::make_shared<Rename>("AF901", "a", "b");
  const_cast<RuleInfo&>(rule->info()).triggers = {"httpx"};
  auto engine = Engine::create({rule}, RuleSettings{});
  ASSERT_TRUE(engine.ok());
  std::vector<std::string> names = {"client"};
  ASSERT_TRUE((*engine)->add_triggers(*rule, names, /*whole_words=*/true));
  auto skipped = [&](const std::string& code) {
    auto src = SourceFile::from_bytes("t.py", code);
    syntax::Parser parser;
    return (*engine)->process(*src, FileOptions{}, parser).skipped_no_trigger;
  };
  EXPECT_FALSE(skipped("from app.deps import client\nclient.get(a)\n"));
  EXPECT_FALSE(skipped("from app import deps\ndeps.client.get(a)\n"));
  EXPECT_FALSE(skipped("import httpx\n"));  // the rule's own literal still counts
  EXPECT_TRUE(skipped("httpclient = clients = a\n"));
}

// Reports every call it is given, registered as a node pattern (add_calls) or as a query.
class ReportCalls : public Rule {
 public:
  ReportCalls(std::string id, std::optional<CallPattern> calls, std::string query)
      : calls_(std::move(calls)), query_(std::move(query)) {
    info_.id = std::move(id);
    info_.name = "calls-" + info_.id;
    info_.message = "call";
    info_.origin = "test";
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& reg) const override {
    if (calls_) reg.add_calls(*calls_);
    else reg.add_query(query_);
  }
  void on_match(const Match& m, FileContext& ctx) const override { ctx.report(m.capture("call")); }

 private:
  std::optional<CallPattern> calls_;
  std::string query_;
  RuleInfo info_;
};

// The calls each rule of a run reported, as text, in order.
std::map<std::string, std::vector<std::string>> reported_calls(std::vector<RulePtr> rules, const std::string& code) {
  auto r = run(std::move(rules), code, FixMode::None);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& f : r.remaining) out[f.rule_id].push_back(code.substr(f.begin, f.end - f.begin));
  return out;
}

TEST(Pipeline, NodePatternsMatchWhatTheEquivalentQueryMatches) {
  const std::string code =
      "import time\n"
      "sleep(1)\n"
      "time.sleep(2)\n"
      "self.client.get(url)\n"
      "gather(*xs)\n"
      "asyncio.gather(a(), b())\n"
      "f()()\n"
      "xs[0](1)\n"
      "(g)(3)\n"
      "obj.sleep.other(4)\n";
  const std::string alternatives = "[(identifier) (attribute attribute: (identifier) @name)]";
  struct Case {
    CallPattern pattern;
    std::string query;
  };
  std::vector<Case> cases = {
      {CallPattern{}, "((call) @call)"},
      {CallPattern{CallPattern::Names::AttributesOnly, {"sleep", "get"}},
       "((call function: " + alternatives + ") @call (#any-of? @name \"sleep\" \"get\"))"},
      {CallPattern{CallPattern::Names::Both, {"gather", "sleep"}},
       "((call function: [(attribute attribute: (identifier) @m) (identifier) @m]) @call"
       " (#any-of? @m \"gather\" \"sleep\"))"},
  };
  for (const Case& c : cases) {
    auto got = reported_calls({std::make_shared<ReportCalls>("AF901", c.pattern, ""),
                               std::make_shared<ReportCalls>("AF902", std::nullopt, c.query)},
                              code);
    EXPECT_EQ(got["AF901"], got["AF902"]) << c.query;
    EXPECT_FALSE(got["AF901"].empty()) << c.query;
  }
  // A query that is only a kind and a capture is run as a node pattern: the same calls.
  auto simple = reported_calls({std::make_shared<ReportCalls>("AF903", std::nullopt, "((call) @call)")}, code);
  EXPECT_EQ(simple["AF903"].size(), 12u);
  auto named = reported_calls({std::make_shared<ReportCalls>("AF904", CallPattern{CallPattern::Names::Both, {"sleep"}}, "")}, code);
  EXPECT_EQ(named["AF904"], (std::vector<std::string>{"sleep(1)", "time.sleep(2)"}));
}

TEST(Triggers, SpaceMatchesAnyWhitespaceAndContinuations) {
  TriggerScanner async_def({kAsyncDefTrigger});
  EXPECT_TRUE(async_def.any("async def f(): pass"));
  EXPECT_TRUE(async_def.any("async  def f(): pass"));
  EXPECT_TRUE(async_def.any("async\tdef f(): pass"));
  EXPECT_TRUE(async_def.any("async \\\n    def f(): pass"));
  EXPECT_TRUE(async_def.any("x = 1\r\nasync def f():\r\n  pass"));
  EXPECT_FALSE(async_def.any("import asyncio\nasync_mode = True  # async is a word\n"));
  EXPECT_FALSE(async_def.any("def f(): pass"));

  TriggerScanner query({"query ("});
  EXPECT_TRUE(query.any("db.query(User)"));
  EXPECT_TRUE(query.any("db.query (User)"));
  EXPECT_TRUE(query.any("db.query\\\n    (User)"));
  EXPECT_FALSE(query.any("parse.query"));
  EXPECT_FALSE(query.any("url.query = q"));

  // Regex syntax in a trigger is literal text.
  TriggerScanner meta({"a.b*"});
  EXPECT_TRUE(meta.any("x = a.b*c"));
  EXPECT_FALSE(meta.any("x = aXbbb"));
  EXPECT_EQ(trigger_regex("async def"), "async[ \\t\\f\\r\\n\\\\]*def");

  TriggerScanner none({});
  EXPECT_FALSE(none.any("anything"));
}

}  // namespace
}  // namespace asyncfix
