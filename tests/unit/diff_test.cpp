#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/diff/unified.h"
#include "engine/base/files.h"

namespace asyncfix {
namespace {

namespace fs = std::filesystem;

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(unified_diff("a\n", "a\n", "a/x", "b/x"), ""); }

TEST(UnifiedDiff, OneChangeWithContext) {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string b = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
  EXPECT_EQ(unified_diff(a, b, "a/x.py", "b/x.py"),
            "--- a/x.py\n+++ b/x.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, MergesHunksWhoseContextsTouch) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 3 || i == 9 ? "x" : std::to_string(i)) + "\n";
  }
  // 3 and 9 are 5 lines apart (<= 2*3 context): one hunk.
  auto hunks = [](const std::string& d) {
    size_t n = 0;
    for (size_t at = d.find("\n@@ -"); at != std::string::npos; at = d.find("\n@@ -", at + 1)) ++n;
    return n;
  };
  std::string d = unified_diff(a, b, "a/f", "b/f");
  EXPECT_EQ(hunks(d), 1u);
  EXPECT_NE(d.find("@@ -1,12 +1,12 @@"), std::string::npos);
  // 3 and 15 are far apart: two hunks.
  std::string b2;
  for (int i = 1; i <= 20; ++i) b2 += (i == 3 || i == 15 ? "x" : std::to_string(i)) + "\n";
  std::string d2 = unified_diff(a, b2, "a/f", "b/f");
  EXPECT_EQ(hunks(d2), 2u);
  EXPECT_NE(d2.find("@@ -1,6 +1,6 @@"), std::string::npos);
  EXPECT_NE(d2.find("@@ -12,7 +12,7 @@"), std::string::npos);
}

TEST(UnifiedDiff, MarksMissingFinalNewline) {
  EXPECT_EQ(unified_diff("a\nb", "a\nc", "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
  EXPECT_EQ(unified_diff("a\nb", "a\nb\n", "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

TEST(UnifiedDiff, InsertionIntoEmptyAndDeletion) {
  EXPECT_EQ(unified_diff("", "a\n", "a/f", "b/f"), "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n");
  EXPECT_EQ(unified_diff("a\nb\n", "b\n", "a/f", "b/f"), "--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n-a\n b\n");
}

TEST(UnifiedDiff, KeepsCrlf) {
  EXPECT_EQ(unified_diff("a\r\nb\r\n", "a\r\nc\r\n", "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
}

std::string read(const fs::path& p) {
  auto text = read_whole_file(p.string());
  return text ? *text : std::string();
}
void write(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

// git apply and patch -p1 must accept the diff and produce exactly the new text.
void expect_tools_apply(const std::string& a, const std::string& b) {
  fs::path dir = fs::temp_directory_path() / ("asyncfix-diff-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "pkg");
  write(dir / "pkg/m.py", a);
  write(dir / "fix.patch", unified_diff(a, b, "a/pkg/m.py", "b/pkg/m.py"));
  std::string cd = "cd '" + dir.string() + "' && ";
  EXPECT_EQ(std::system((cd + "git apply --check fix.patch").c_str()), 0);
  EXPECT_EQ(std::system((cd + "patch -p1 --dry-run -s < fix.patch >/dev/null").c_str()), 0);
  EXPECT_EQ(std::system((cd + "git apply fix.patch").c_str()), 0);
  EXPECT_EQ(read(dir / "pkg/m.py"), b);
  write(dir / "pkg/m.py", a);
  EXPECT_EQ(std::system((cd + "patch -p1 -s < fix.patch").c_str()), 0);
  EXPECT_EQ(read(dir / "pkg/m.py"), b);
  fs::remove_all(dir);
}

TEST(UnifiedDiff, GitApplyAndPatchAccept) {
  expect_tools_apply("import time\n\nasync def f():\n    time.sleep(1)\n",
                     "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n");
  expect_tools_apply("a\nb", "a\nc");                              // no final newline
  expect_tools_apply("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n");  // CRLF
  std::string big, big2;
  for (int i = 0; i < 200; ++i) {
    big += "line " + std::to_string(i) + "\n";
    big2 += (i % 37 == 0 ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  expect_tools_apply(big, big2);
}

}  // namespace
}  // namespace asyncfix
