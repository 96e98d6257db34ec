// The rule language end to end: a rule file's text in, findings and fixed code out.
#include <gtest/gtest.h>

#include "engine/yaml/yaml_rule.h"
#include "engine/run/pipeline.h"

namespace asyncfix {
namespace {

struct Outcome {
  std::vector<Finding> findings;
  std::string fixed;
  std::vector<Note> notes;
  std::vector<uint32_t> lines() const {
    std::vector<uint32_t> out;
    for (const auto& f : findings) out.push_back(f.start_pos.line);
    return out;
  }
};

std::shared_ptr<const YamlRule> load(const std::string& body) {
  std::string text = "id: T001\nname: test-rule\nmessage: found $X\n" + body;
  auto r = load_rule_text("t.yml", text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? *r : nullptr;
}

Outcome run(const std::string& rule_body, const std::string& code, FixMode mode = FixMode::Unsafe) {
  auto rule = load(rule_body);
  if (!rule) return {};
  auto engine = Engine::create({rule}, RuleSettings{});
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().to_string());
  syntax::Parser parser;
  FileOptions fo;
  fo.fix_mode = mode;
  auto r = (*engine)->process(*SourceFile::from_bytes("code.py", code), fo, parser);
  return Outcome{r.findings, r.fixed, r.notes};
}

Error load_error(const std::string& text) {
  auto r = load_rule_text("bad.yml", text);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

using Lines = std::vector<uint32_t>;

// --- patterns ---------------------------------------------------------------------------------

TEST(Patterns, SingleAndMultiMetavariables) {
  EXPECT_EQ(run("rule:\n  pattern: f($X)\n", "f(1)\nf(1, 2)\nf()\n").lines(), Lines({1}));
  EXPECT_EQ(run("rule:\n  pattern: f($$$A)\n", "f(1)\nf(1, 2)\nf()\ng()\n").lines(), Lines({1, 2, 3}));
  EXPECT_EQ(run("rule:\n  pattern: f($A, $$$REST)\n", "f()\nf(1)\nf(1, k=2)\n").lines(), Lines({2, 3}));
  EXPECT_EQ(run("rule:\n  pattern: f($$$A, $LAST)\n", "f()\nf(1)\nf(1, 2)\n").lines(), Lines({2, 3}));
  EXPECT_EQ(run("rule:\n  pattern: f($_, $_)\n", "f(1, 2)\nf(1)\n").lines(), Lines({1}));
}

TEST(Patterns, RepeatedMetavariableMustAgree) {
  EXPECT_EQ(run("rule:\n  pattern: $X == $X\n", "a == a\na == b\nf(x) == f( x )\n").lines(), Lines({1, 3}));
}

TEST(Patterns, CommentsAndTrailingCommasDoNotMatter) {
  EXPECT_EQ(run("rule:\n  pattern: f(a, b)\n", "f(a,  # first\n  b,)\n").lines(), Lines({1}));
}

TEST(Patterns, KeywordsAndOperatorsAreCompared) {
  EXPECT_EQ(run("rule:\n  pattern: a + $X\n", "a + 1\na - 1\n").lines(), Lines({1}));
  EXPECT_EQ(run("rule:\n  pattern: f(timeout=$T)\n", "f(timeout=3)\nf(retries=3)\n").lines(), Lines({1}));
  // `def` does not match `async def`.
  EXPECT_EQ(run("rule:\n  pattern: |\n    def $F():\n        $$$B\n", "def a():\n    pass\nasync def b():\n    pass\n").lines(),
            Lines({1}));
}

TEST(Patterns, StatementPatternWithBody) {
  auto o = run("rule:\n  pattern: |\n    with open($P) as $F:\n        $$$BODY\n",
               "def g():\n    with open(p) as f:\n        a = f.read()\n        b = 1\n    with x() as y:\n        pass\n");
  EXPECT_EQ(o.lines(), Lines({2}));
}

TEST(Patterns, ContextAndSelector) {
  EXPECT_EQ(run("rule:\n  pattern:\n    context: f(timeout=$T)\n    selector: keyword_argument\n",
                "g(1, timeout=None)\nh(timeout=2)\ng(retries=1)\n")
                .lines(),
            Lines({1, 2}));
}

// --- names through imports ----------------------------------------------------------------

TEST(ImportAwareMatching, AliasesAndFromImports) {
  std::string code =
      "import time as t\nfrom time import sleep\nfrom time import sleep as nap\n"
      "t.sleep(1)\nsleep(2)\nnap(3)\n";
  EXPECT_EQ(run("rule:\n  pattern: time.sleep($S)\n", code).lines(), Lines({4, 5, 6}));
}

TEST(ImportAwareMatching, LocalVariablesAreNotModules) {
  EXPECT_EQ(run("rule:\n  pattern: time.sleep($S)\n", "import time\ndef f(time):\n    time.sleep(1)\ntime.sleep(2)\n").lines(),
            Lines({4}));
  EXPECT_EQ(run("rule:\n  pattern: time.sleep($S)\n", "time = Clock()\ntime.sleep(1)\n").lines(), Lines({}));
  // Unbound names match as written (a snippet, a star import, a builtin).
  EXPECT_EQ(run("rule:\n  pattern: time.sleep($S)\n", "time.sleep(1)\n").lines(), Lines({1}));
  EXPECT_EQ(run("rule:\n  pattern: open($P)\n", "open(p)\ndef f(open):\n    open(p)\n").lines(), Lines({1}));
}

// --- atomic: kind, regex, query ------------------------------------------------------------

TEST(Atomic, KindAndRegex) {
  EXPECT_EQ(run("rule:\n  kind: string\n  regex: ^.password\n", "a = 'password1'\nb = 'user'\n").lines(), Lines({1}));
}

TEST(Atomic, RawQueryWithPredicates) {
  auto o = run("rule:\n  query: |\n    ((call function: (identifier) @fn arguments: (argument_list (_) @X)) @match\n"
               "     (#match? @fn \"^(eval|exec)$\"))\n",
               "eval(s)\nprint(s)\nexec(t)\n");
  EXPECT_EQ(o.lines(), Lines({1, 3}));
  ASSERT_EQ(o.findings.size(), 2u);
  EXPECT_EQ(o.findings[0].message, "found s");  // a capture is a metavariable
}

// --- relational --------------------------------------------------------------------------------

TEST(Relational, InsideNeighborEndAndStopBy) {
  std::string code = "def f():\n    x(1)\n    if c:\n        x(2)\n";
  EXPECT_EQ(run("rule:\n  pattern: x($A)\n  inside:\n    kind: function_definition\n", code).lines(), Lines({}));
  EXPECT_EQ(run("rule:\n  pattern: x($A)\n  inside:\n    kind: function_definition\n    stopBy: end\n", code).lines(),
            Lines({2, 4}));
  EXPECT_EQ(run("rule:\n  pattern: x($A)\n  inside:\n    kind: function_definition\n    stopBy:\n      kind: if_statement\n",
                code)
                .lines(),
            Lines({2}));
}

TEST(Relational, InsideWithField) {
  std::string code = "if x(1):\n    x(2)\n";
  EXPECT_EQ(run("rule:\n  pattern: x($A)\n  inside:\n    kind: if_statement\n    field: condition\n    stopBy: end\n", code)
                .lines(),
            Lines({1}));
}

TEST(Relational, HasNeighborEndAndField) {
  std::string code = "def f():\n    await g()\nasync def h():\n    return [await g() for _ in y]\n";
  EXPECT_EQ(run("rule:\n  kind: function_definition\n  has:\n    kind: await\n    stopBy: end\n", code).lines(),
            Lines({1, 3}));
  EXPECT_EQ(run("rule:\n  kind: function_definition\n  has:\n    kind: block\n", code).lines(), Lines({1, 3}));
  EXPECT_EQ(run("rule:\n  kind: function_definition\n  has:\n    field: name\n    regex: ^h$\n", code).lines(), Lines({3}));
}

TEST(Relational, FollowsAndPrecedes) {
  std::string code = "a = open(p)\nuse(a)\nclose(a)\n";
  EXPECT_EQ(run("rule:\n  kind: expression_statement\n  follows:\n    pattern: a = open($P)\n", code).lines(), Lines({2}));
  EXPECT_EQ(run("rule:\n  kind: expression_statement\n  follows:\n    pattern: a = open($P)\n    stopBy: end\n", code)
                .lines(),
            Lines({2, 3}));
  EXPECT_EQ(run("rule:\n  kind: expression_statement\n  precedes:\n    pattern: close($X)\n", code).lines(), Lines({2}));
}

// --- composite -------------------------------------------------------------------------------

TEST(Composite, AllAnyNot) {
  std::string code = "f(1)\ng(1)\nh(1)\nf('s')\n";
  EXPECT_EQ(run("rule:\n  any:\n    - pattern: f($X)\n    - pattern: g($X)\n", code).lines(), Lines({1, 2, 4}));
  EXPECT_EQ(run("rule:\n  all:\n    - pattern: f($X)\n    - has:\n        kind: integer\n        stopBy: end\n", code).lines(),
            Lines({1}));
  EXPECT_EQ(run("rule:\n  pattern: $F($X)\n  not:\n    pattern: h($Y)\n", code).lines(), Lines({1, 2, 4}));
}

// --- semantic conditions ----------------------------------------------------------------------

TEST(Semantic, InsideAsyncAndSyncDef) {
  std::string code = "async def a():\n    w()\n    lambda: w()\ndef s():\n    w()\nw()\n";
  EXPECT_EQ(run("rule:\n  pattern: w()\n  inside-async: true\n", code).lines(), Lines({2}));
  EXPECT_EQ(run("rule:\n  pattern: w()\n  inside-sync-def: true\n", code).lines(), Lines({5}));
  EXPECT_EQ(run("rule:\n  pattern: w()\n  inside-async: false\n", code).lines(), Lines({3, 5, 6}));
}

TEST(Semantic, RouteHandlersAwaitAndUnusedResults) {
  std::string code =
      "@router.get('/x')\nasync def h():\n    w()\n    y = await w()\n    await w()\n"
      "async def helper():\n    w()\n";
  EXPECT_EQ(run("rule:\n  pattern: w()\n  in-route-handler: true\n", code).lines(), Lines({3, 4, 5}));
  EXPECT_EQ(run("rule:\n  pattern: w()\n  not-awaited: true\n", code).lines(), Lines({3, 7}));
  EXPECT_EQ(run("rule:\n  pattern: w()\n  result-unused: true\n", code).lines(), Lines({3, 7}));
}

TEST(Constraints, RegexKindAndNot) {
  std::string code = "requests.get(u)\nrequests.post(u)\nrequests.foo(u)\n";
  EXPECT_EQ(run("rule:\n  pattern: requests.$VERB($$$A)\nconstraints:\n  VERB:\n    regex: ^(get|post)$\n", code).lines(),
            Lines({1, 2}));
  EXPECT_EQ(run("rule:\n  pattern: f($X)\nconstraints:\n  X:\n    kind: string\n", "f('a')\nf(1)\n").lines(), Lines({1}));
  EXPECT_EQ(run("rule:\n  pattern: f($X)\nconstraints:\n  X:\n    not:\n      kind: string\n", "f('a')\nf(1)\n").lines(),
            Lines({2}));
}

// --- fixes ---------------------------------------------------------------------------------------

TEST(Fixes, MultiKeepsSeparatorsAndComments) {
  auto o = run("rule:\n  pattern: old($$$A)\nfix: new($$$A)\n", "old(a,  # keep\n    b=2)\n");
  EXPECT_EQ(o.fixed, "new(a,  # keep\n    b=2)\n");
}

TEST(Fixes, EmptyMultiDropsItsSeparator) {
  EXPECT_EQ(run("rule:\n  pattern: f($A, $$$R)\nfix: g($A, $$$R)\n", "f(1)\n").fixed, "g(1)\n");
  EXPECT_EQ(run("rule:\n  pattern: f($$$R)\nfix: g($$$R, 0)\n", "f()\n").fixed, "g(0)\n");
}

TEST(Fixes, ParenthesesWherePrecedenceNeedsThem) {
  EXPECT_EQ(run("rule:\n  pattern: get($X)\nfix: $X.value\n", "get(a + b)\nget(c)\n").fixed, "(a + b).value\nc.value\n");
  EXPECT_EQ(run("rule:\n  pattern: f($X)\nfix: await $X\n", "async def h():\n    f(x).y\n    z = f(x)\n").fixed,
            "async def h():\n    (await x).y\n    z = await x\n");
  EXPECT_EQ(run("rule:\n  pattern: neg($X)\nfix: -$X\n", "neg(a * b) ** 2\n").fixed, "(-(a * b)) ** 2\n");
}

TEST(Fixes, MultiLineTemplateIsReindented) {
  std::string rule =
      "rule:\n  pattern: |\n    with open($P) as $F:\n        $$$BODY\n"
      "fix: |\n  async with aiofiles.open($P) as $F:\n    $$$BODY\n";
  std::string code = "async def g():\n    if c:\n        with open(p) as f:\n            a = f.read()\n            if a:\n                b = 1\n";
  EXPECT_EQ(run(rule, code).fixed,
            "async def g():\n    if c:\n        async with aiofiles.open(p) as f:\n            a = f.read()\n"
            "            if a:\n                b = 1\n");
  // A tab-indented file gets tabs.
  std::string tabs = "async def g():\n\twith open(p) as f:\n\t\ta = f.read()\n\t\tb = 2\n";
  EXPECT_EQ(run(rule, tabs).fixed, "async def g():\n\tasync with aiofiles.open(p) as f:\n\t\ta = f.read()\n\t\tb = 2\n");
}

TEST(Fixes, CaptureMovedToAnotherDepthIsReindented) {
  std::string rule = "rule:\n  pattern: run($X)\nfix: |\n  if enabled:\n      go($X)\n";
  EXPECT_EQ(run(rule, "run(f(a,\n      b))\n").fixed, "if enabled:\n    go(f(a,\n          b))\n");
}

TEST(Fixes, MultiLineStringsAreNotReindented) {
  std::string rule = "rule:\n  pattern: run($X)\nfix: |\n  if enabled:\n      go($X)\n";
  EXPECT_EQ(run(rule, "run('''a\nb''')\n").fixed, "if enabled:\n    go('''a\nb''')\n");
}

TEST(Fixes, DroppedCommentMakesTheFixUnsafe) {
  std::string rule = "rule:\n  pattern: f($A, $B)\nfix: g($A)\n";
  std::string code = "f(a,  # why b matters\n  b)\n";
  auto safe = run(rule, code, FixMode::Safe);
  EXPECT_EQ(safe.fixed, code);
  ASSERT_EQ(safe.findings.size(), 1u);
  EXPECT_EQ(safe.findings[0].fix->applicability, Applicability::Unsafe);
  EXPECT_NE(safe.findings[0].note.find("drop a comment"), std::string::npos);
  EXPECT_EQ(run(rule, code, FixMode::Unsafe).fixed, "g(a)\n");
}

TEST(Fixes, ImportsAreEnsuredAndSpelledAsTheFileHasThem) {
  std::string rule = "rule:\n  pattern: pause($X)\nfix: await asyncio.sleep($X)\nimports:\n  add: [asyncio]\n";
  EXPECT_EQ(run(rule, "import os\nasync def f():\n    pause(1)\n").fixed,
            "import asyncio\nimport os\nasync def f():\n    await asyncio.sleep(1)\n");
  EXPECT_EQ(run(rule, "import asyncio as aio\nasync def f():\n    pause(1)\n").fixed,
            "import asyncio as aio\nasync def f():\n    await aio.sleep(1)\n");
  std::string from = "rule:\n  pattern: cm($X)\nfix: asynccontextmanager($X)\nimports:\n  add: [from contextlib import asynccontextmanager]\n";
  EXPECT_EQ(run(from, "import contextlib\ncm(f)\n").fixed, "import contextlib\ncontextlib.asynccontextmanager(f)\n");
  EXPECT_EQ(run(from, "cm(f)\n").fixed, "from contextlib import asynccontextmanager\n\nasynccontextmanager(f)\n");
  // ensured even when the template does not name it
  EXPECT_EQ(run("rule:\n  pattern: print($$$A)\nfix: logger.info($$$A)\nimports:\n  add: [logging]\n", "print(1)\n").fixed,
            "import logging\n\nlogger.info(1)\n");
}

TEST(Fixes, RemoveIfUnused) {
  std::string rule = "rule:\n  pattern: time.sleep($X)\nfix: wait($X)\nimports:\n  remove-if-unused: [time]\n";
  EXPECT_EQ(run(rule, "import time\ntime.sleep(1)\n").fixed, "wait(1)\n");
  EXPECT_EQ(run(rule, "import time\ntime.sleep(1)\ntime.time()\n").fixed, "import time\nwait(1)\ntime.time()\n");
}

TEST(Fixes, MessageSubstitutesMetavariables) {
  auto o = run("rule:\n  pattern: f($X)\n", "f(some.value)\n");
  ASSERT_EQ(o.findings.size(), 1u);
  EXPECT_EQ(o.findings[0].message, "found some.value");
}

TEST(Triggers, DerivedFromThePattern) {
  auto r = load("rule:\n  pattern: asyncio.get_event_loop()\n");
  EXPECT_EQ(r->info().triggers, std::vector<std::string>({"get_event_loop"}));
  EXPECT_EQ(load("rule:\n  pattern: requests.get($U)\n")->info().triggers, std::vector<std::string>({"requests"}));
  auto any = load("rule:\n  any:\n    - pattern: requests.get($U)\n    - pattern: urlopen($U)\n");
  EXPECT_EQ(any->info().triggers, std::vector<std::string>({"requests", "urlopen"}));
  auto kind = load("rule:\n  kind: call\n");
  EXPECT_TRUE(kind->info().triggers.empty());
  auto explicit_ = load("rule:\n  kind: call\ntriggers: [boto3]\n");
  EXPECT_EQ(explicit_->info().triggers, std::vector<std::string>({"boto3"}));
}

// --- errors: file:line:col and what is wrong -------------------------------------------------------

void expect_error(const std::string& text, uint32_t line, uint32_t col, const std::string& what) {
  Error e = load_error(text);
  EXPECT_EQ(e.location.path, "bad.yml");
  EXPECT_EQ(e.location.line, line) << e.to_string();
  EXPECT_EQ(e.location.col, col) << e.to_string();
  EXPECT_NE(e.message.find(what), std::string::npos) << e.to_string();
}

const std::string kHead = "id: X001\nname: x-rule\nmessage: m\n";

TEST(RuleErrors, BadYaml) { expect_error(kHead + "rule: {pattern: [unclosed\n", 5, 1, "invalid YAML"); }
TEST(RuleErrors, UnknownField) {
  expect_error(kHead + "rule:\n  pattern: f()\nseverty: P1\n", 6, 1, "unknown field `severty`");
  expect_error(kHead + "rule:\n  pattern: f()\n  insde: {kind: call}\n", 6, 3, "unknown field `insde` in rule");
  expect_error(kHead + "rule:\n  pattern: f()\ndocs:\n  why: x\n", 7, 3, "unknown field `why` in docs");
}
TEST(RuleErrors, PatternThatIsNotPython) {
  expect_error(kHead + "rule:\n  pattern: f(a b)\n", 5, 16, "pattern is not valid Python");
  expect_error(kHead + "rule:\n  pattern: |\n    with open($P) as $F:\n        x = (\n", 7, 13, "pattern is not valid Python");
}
TEST(RuleErrors, UnknownMetavariableInFix) {
  expect_error(kHead + "rule:\n  pattern: f($A)\nfix: g($A, $B)\n", 6, 12, "fix uses $B, which the rule never captures");
}
TEST(RuleErrors, RegexRe2Refuses) {
  expect_error(kHead + "rule:\n  pattern: f($A)\n  regex: \"(?<=x)y\"\n", 6, 10, "regex refused by RE2");
  expect_error(kHead + "rule:\n  pattern: f($A)\nconstraints:\n  A: {regex: \"a{2,1}\"}\n", 7, 14, "regex refused by RE2");
}
TEST(RuleErrors, MissingFieldsKindsQueriesMatchers) {
  expect_error("id: X001\nname: x\nrule:\n  pattern: f()\n", 1, 1, "missing required field `message`");
  expect_error(kHead + "rule:\n  kind: function_call\n", 5, 9, "unknown node kind `function_call`");
  expect_error(kHead + "rule:\n  query: \"(call function: (identifer))\"\n", 5, 28, "unknown node type in query");
  expect_error(kHead + "rule:\n  regex: foo\n", 5, 3, "no positive matcher");
  expect_error(kHead + "rule:\n  pattern: f($A)\nconstraints:\n  B: {kind: string}\n", 7, 3, "never captures");
  expect_error(kHead + "severity: P9\nrule:\n  pattern: f()\n", 4, 11, "severity must be P1, P2 or P3");
  expect_error(kHead + "rule:\n  pattern: f()\n  inside:\n    kind: call\n    stopBy: far\n", 8, 13, "stopBy must be");
  expect_error(kHead + "rule:\n  pattern: f()\napplicability: maybe\n", 6, 16, "applicability must be");
  expect_error(kHead + "rule:\n  pattern: f()\nimports:\n  add: [\"from x\"]\n", 7, 8, "expected `from MODULE import NAME`");
}

}  // namespace
}  // namespace asyncfix
