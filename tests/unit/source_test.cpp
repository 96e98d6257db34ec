#include <gtest/gtest.h>

#include "engine/source/source_file.h"

namespace asyncfix {
namespace {

TEST(LineIndex, MapsOffsetsToLineAndCharacterColumn) {
  std::string text = "ab\n\xC3\xA9x\r\ny";  // "é" is 2 bytes, one character
  LineIndex li(text);
  EXPECT_EQ(li.line_count(), 3u);
  EXPECT_EQ(li.position(text, 0).line, 1u);
  EXPECT_EQ(li.position(text, 1).col, 2u);
  Position p = li.position(text, 5);  // 'x' after 'é'
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.col, 2u);
  Position q = li.position(text, 8);  // 'y'
  EXPECT_EQ(q.line, 3u);
  EXPECT_EQ(q.col, 1u);
  EXPECT_EQ(li.line_start(3), 8u);
}

TEST(SourceFile, StripsAndRestoresTheBom) {
  auto f = SourceFile::from_bytes("x.py", "\xEF\xBB\xBFimport os\n");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->has_bom());
  EXPECT_EQ(f->text(), "import os\n");
  EXPECT_EQ(f->bytes(), "\xEF\xBB\xBFimport os\n");
}

TEST(SourceFile, DetectsCrlfAndIndentation) {
  auto f = SourceFile::from_bytes("x.py", "def f():\r\n  return 1\r\n");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->line_ending(), LineEnding::CrLf);
  EXPECT_EQ(f->newline(), "\r\n");
  EXPECT_EQ(f->indent_unit(), "  ");
  auto t = SourceFile::from_bytes("x.py", "def f():\n\treturn 1\n");
  EXPECT_EQ(t->indent_unit(), "\t");
}

TEST(SourceFile, IndentationIgnoresTextInStrings) {
  // A docstring's "Flow:" followed by a line indented two spaces opens no block.
  auto f = SourceFile::from_bytes("x.py",
                                  "\"\"\"Proxy.\n\nFlow:\n  a -> b\n\"\"\"\nX = '''\nnote:\n   y'''\n\n"
                                  "def f():\n    return 1\n");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->indent_unit(), "    ");
  // A line that opens a string and ends in ':' inside it opens nothing either.
  auto g = SourceFile::from_bytes("x.py", "s = \"\"\"usage:\n  run\n\"\"\"\nif s:\n\tpass\n");
  EXPECT_EQ(g->indent_unit(), "\t");
}

TEST(SourceFile, RejectsInvalidUtf8WithPosition) {
  auto f = SourceFile::from_bytes("bad.py", "x = 1\ny = '\xFF'\n");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, Error::Kind::Decode);
  EXPECT_EQ(f.error().location.line, 2u);
  EXPECT_EQ(f.error().location.col, 6u);
  EXPECT_NE(f.error().message.find("not valid UTF-8"), std::string::npos);
}

TEST(SourceFile, RejectsBinary) {
  auto f = SourceFile::from_bytes("bin.py", std::string("x = 1\n\0\0", 8));
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("binary"), std::string::npos);
}

TEST(Utf8, RejectsOverlongAndSurrogates) {
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);           // overlong '/'
  EXPECT_EQ(find_invalid_utf8("a\xED\xA0\x80"), 1u);      // surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);   // > U+10FFFF
  EXPECT_EQ(find_invalid_utf8("ok \xE2\x82\xAC"), std::string_view::npos);
}

}  // namespace
}  // namespace asyncfix
