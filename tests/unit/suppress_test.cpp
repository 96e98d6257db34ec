// Suppression comments (docs/configuration.md, "Suppression comments"): which comments
// suppress what, and which suppressions are reported as suppressing nothing (AF001).
#include <gtest/gtest.h>

#include "engine/run/suppress.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using testing::parse;
using Strings = std::vector<std::string>;

// A finding of `rule` on lines first..last.
Finding finding(const std::string& rule, uint32_t first, uint32_t last = 0) {
  Finding f;
  f.rule_id = rule;
  f.start_pos = Position{first, 1};
  f.end_pos = Position{last ? last : first, 1};
  return f;
}

// The rule ids (with their first line) of the findings that survive the suppressions of `code`.
Strings kept(const std::string& code, std::vector<Finding> findings) {
  auto p = parse(code);
  auto sups = parse_suppressions(p->root(), p->source);
  apply_suppressions(sups, findings);
  Strings out;
  for (const auto& f : findings) out.push_back(f.rule_id + "@" + std::to_string(f.start_pos.line));
  return out;
}

TEST(Suppress, ParsesAsyncfixIgnore) {
  std::string code = "import time\ntime.sleep(1)  # asyncfix: ignore[AF101, AF403]\n";
  auto p = parse(code);
  auto sups = parse_suppressions(p->root(), p->source);
  ASSERT_EQ(sups.size(), 1u);
  const Suppression& s = sups[0];
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(code.substr(s.begin, s.end - s.begin), "# asyncfix: ignore[AF101, AF403]");
  EXPECT_EQ(s.codes, (Strings{"AF101", "AF403"}));
  EXPECT_FALSE(s.all || s.file || s.noqa);
  EXPECT_EQ(s.used, (std::vector<bool>{false, false}));

  auto bare = parse("x = 1  # asyncfix: ignore\n");
  auto b = parse_suppressions(bare->root(), bare->source);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(b[0].all);
  EXPECT_TRUE(b[0].codes.empty());
}

TEST(Suppress, ParsesNoqa) {
  auto p = parse("a = 1  # noqa: AF101, E501\nb = 2  # NOQA:AF2\nc = 3  # noqa\nd = 4  # type: ignore  # noqa\n");
  auto sups = parse_suppressions(p->root(), p->source);
  ASSERT_EQ(sups.size(), 4u);
  EXPECT_TRUE(sups[0].noqa);
  EXPECT_EQ(sups[0].codes, Strings{"AF101"});
  EXPECT_EQ(sups[0].others, Strings{"E501"});  // another tool's code: kept, never judged
  EXPECT_FALSE(sups[0].all);
  EXPECT_EQ(sups[1].codes, Strings{"AF2"});
  EXPECT_EQ(sups[1].line, 2u);
  EXPECT_TRUE(sups[2].noqa && sups[2].all);
  EXPECT_TRUE(sups[3].noqa && sups[3].all);
  EXPECT_EQ(sups[3].line, 4u);
}

TEST(Suppress, OtherToolsNoqaIsNotOurs) {
  auto p = parse("x = 1  # noqa: E501, W291\n");
  EXPECT_TRUE(parse_suppressions(p->root(), p->source).empty());
  EXPECT_EQ(kept("import time\ntime.sleep(1)  # noqa: E501\n", {finding("AF101", 2)}), Strings{"AF101@2"});
}

TEST(Suppress, ParsesIgnoreFile) {
  auto p = parse("x = 1\n# asyncfix: ignore-file\n# asyncfix: ignore-file[AF403]\n");
  auto sups = parse_suppressions(p->root(), p->source);
  ASSERT_EQ(sups.size(), 2u);
  EXPECT_TRUE(sups[0].file && sups[0].all);
  EXPECT_TRUE(sups[1].file);
  EXPECT_EQ(sups[1].codes, Strings{"AF403"});
}

TEST(Suppress, TextInStringsIsNotAComment) {
  auto p = parse("a = \"# noqa\"\nb = '# asyncfix: ignore'\nc = \"\"\"\n# asyncfix: ignore-file\n\"\"\"\n");
  EXPECT_TRUE(parse_suppressions(p->root(), p->source).empty());
  EXPECT_EQ(kept("x = \"# asyncfix: ignore\"\n", {finding("AF101", 1)}), Strings{"AF101@1"});
}

TEST(Suppress, LineSuppressionCoversItsCodesOnItsLine) {
  std::string code = "a()  # asyncfix: ignore[AF101]\nb()\n";
  EXPECT_EQ(kept(code, {finding("AF101", 1), finding("AF102", 1), finding("AF101", 2)}),
            (Strings{"AF102@1", "AF101@2"}));
  // Several codes; a prefix covers every rule it starts.
  EXPECT_EQ(kept("a()  # asyncfix: ignore[AF1, AF403]\n",
                 {finding("AF101", 1), finding("AF108", 1), finding("AF403", 1), finding("AF201", 1)}),
            Strings{"AF201@1"});
  // No codes: every rule.
  EXPECT_EQ(kept("a()  # asyncfix: ignore\nb()\n", {finding("AF101", 1), finding("AF403", 1), finding("AF101", 2)}),
            Strings{"AF101@2"});
}

TEST(Suppress, NoqaIsTheSameAsAsyncfixIgnore) {
  EXPECT_EQ(kept("a()  # noqa: AF101\n", {finding("AF101", 1), finding("AF102", 1)}), Strings{"AF102@1"});
  EXPECT_EQ(kept("a()  # noqa: E501, AF1\n", {finding("AF101", 1), finding("AF403", 1)}), Strings{"AF403@1"});
  EXPECT_EQ(kept("a()  # noqa\nb()\n", {finding("AF101", 1), finding("AF403", 1), finding("AF101", 2)}),
            Strings{"AF101@2"});
}

TEST(Suppress, StatementOverSeveralLinesIsSuppressedOnItsFirstLine) {
  std::string first = "x = [  # asyncfix: ignore[AF402]\n    1,\n    2,\n]\n";
  EXPECT_TRUE(kept(first, {finding("AF402", 1, 4)}).empty());
  std::string middle = "x = [\n    1,  # asyncfix: ignore[AF402]\n    2,\n]\n";
  EXPECT_EQ(kept(middle, {finding("AF402", 1, 4)}), Strings{"AF402@1"});
}

TEST(Suppress, FileSuppressionAnywhereInTheFile) {
  std::string code = "a()\nb()\nc()\n# asyncfix: ignore-file\n";
  EXPECT_TRUE(kept(code, {finding("AF101", 1), finding("AF403", 3)}).empty());
  std::string one = "a()\n# asyncfix: ignore-file[AF403]\nb()\n";
  EXPECT_EQ(kept(one, {finding("AF403", 1), finding("AF101", 1), finding("AF403", 3)}), Strings{"AF101@1"});
}

TEST(Suppress, UsedFlags) {
  auto p = parse("a()  # asyncfix: ignore[AF101, AF403]\nb()  # asyncfix: ignore\nc()  # asyncfix: ignore\n");
  auto sups = parse_suppressions(p->root(), p->source);
  std::vector<Finding> findings{finding("AF101", 1), finding("AF201", 2)};
  apply_suppressions(sups, findings);
  EXPECT_TRUE(findings.empty());
  ASSERT_EQ(sups.size(), 3u);
  EXPECT_EQ(sups[0].used, (std::vector<bool>{true, false}));
  EXPECT_TRUE(sups[1].used_all);
  EXPECT_FALSE(sups[2].used_all);
}

// The AF001 findings for `code` after suppressing `findings`.
std::vector<Finding> unused(const std::string& code, std::vector<Finding> findings) {
  auto p = parse(code);
  auto sups = parse_suppressions(p->root(), p->source);
  apply_suppressions(sups, findings);
  return unused_suppressions(sups, p->source);
}

// `code` with the edits of `f`'s fix applied (from the last edit back).
std::string fixed(std::string code, const Finding& f) {
  EXPECT_TRUE(f.fix.has_value());
  if (!f.fix) return code;
  auto edits = f.fix->edits;
  for (auto it = edits.rbegin(); it != edits.rend(); ++it) code.replace(it->begin, it->end - it->begin, it->text);
  return code;
}

TEST(Suppress, UnusedSuppressionIsReportedWithAFix) {
  std::string code = "import time\nasync def f():\n    g()  # asyncfix: ignore[AF101]\n";
  auto out = unused(code, {});
  ASSERT_EQ(out.size(), 1u);
  const Finding& f = out[0];
  EXPECT_EQ(f.rule_id, "AF001");
  EXPECT_EQ(f.severity, Severity::P3);
  EXPECT_EQ(f.message, "suppression of AF101 suppresses nothing here");
  EXPECT_EQ(f.start_pos.line, 3u);
  EXPECT_EQ(f.start_pos.col, 10u);
  EXPECT_EQ(code.substr(f.begin, f.end - f.begin), "# asyncfix: ignore[AF101]");
  ASSERT_TRUE(f.fix.has_value());
  EXPECT_EQ(f.fix->title, "Remove the suppression comment");
  EXPECT_EQ(fixed(code, f), "import time\nasync def f():\n    g()\n");

  // A comment on a line of its own goes with its line.
  std::string own = "a = 1\n# noqa: AF403\nb = 2\n";
  auto own_out = unused(own, {});
  ASSERT_EQ(own_out.size(), 1u);
  EXPECT_EQ(fixed(own, own_out[0]), "a = 1\nb = 2\n");
}

TEST(Suppress, UsedSuppressionIsNotReported) {
  EXPECT_TRUE(unused("a()  # asyncfix: ignore[AF101]\n", {finding("AF101", 1)}).empty());
  EXPECT_TRUE(unused("a()  # asyncfix: ignore\n", {finding("AF403", 1)}).empty());
  EXPECT_TRUE(unused("a()  # noqa: AF1\n", {finding("AF101", 1)}).empty());
  EXPECT_TRUE(unused("a()\n# asyncfix: ignore-file[AF403]\n", {finding("AF403", 1)}).empty());
}

TEST(Suppress, PartlyUnusedSuppressionNamesTheUnusedCodes) {
  auto out = unused("a()  # asyncfix: ignore[AF101, AF403, AF2]\n", {finding("AF101", 1)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "suppression of AF403, AF2 suppresses nothing here");
  EXPECT_FALSE(out[0].fix.has_value());  // the comment still suppresses AF101
}

TEST(Suppress, UnusedBareAndFileSuppressions) {
  auto bare = unused("a()  # asyncfix: ignore\n", {});
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0].message, "this suppression comment suppresses nothing");
  EXPECT_TRUE(bare[0].fix.has_value());
  auto file = unused("a()\n# asyncfix: ignore-file[AF403]\n", {finding("AF101", 1)});
  ASSERT_EQ(file.size(), 1u);
  EXPECT_EQ(file[0].message, "suppression of AF403 suppresses nothing here");
  EXPECT_EQ(file[0].start_pos.line, 2u);
}

TEST(Suppress, OtherToolsCodesAreLeftToThem) {
  // The asyncfix code is reported, but the comment stays: E501 belongs to another tool.
  auto out = unused("a()  # noqa: E501, AF101\n", {});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "suppression of AF101 suppresses nothing here");
  EXPECT_FALSE(out[0].fix.has_value());
}

}  // namespace
}  // namespace asyncfix
