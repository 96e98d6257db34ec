// A Python source file as read from disk: the bytes are kept exactly, so every byte an edit
// does not touch is written back identical.
//
// Offsets used everywhere in the engine are byte offsets into text(), which is the file
// without its UTF-8 byte order mark (tree-sitter parses text(); the BOM is put back on write).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/expected.h"

namespace asyncfix {

// 1-based line and column; the column counts characters (code points), as editors do.
struct Position {
  uint32_t line = 1;
  uint32_t col = 1;
};

// Maps byte offsets to line:col and back. Lines end at '\n' (a "\r\n" ending belongs to the
// line it ends).
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  Position position(std::string_view text, uint32_t offset) const;
  uint32_t line_of(uint32_t offset) const;                // 1-based
  uint32_t line_start(uint32_t line) const;               // byte offset of a 1-based line
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  std::vector<uint32_t> starts_;
};

enum class LineEnding { Lf, CrLf };

class SourceFile {
 public:
  // Reads a file. Fails with Error::Kind::Io when it cannot be read, Decode when it is
  // binary (contains NUL bytes) or not valid UTF-8; the message says where.
  static Expected<SourceFile> load(const std::string& path);
  // Same checks over bytes already in memory.
  static Expected<SourceFile> from_bytes(std::string path, std::string bytes);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  bool has_bom() const { return bom_; }
  LineEnding line_ending() const { return line_ending_; }
  std::string_view newline() const { return line_ending_ == LineEnding::CrLf ? "\r\n" : "\n"; }
  // One level of indentation as the file writes it ("\t", "    ", "  ").
  const std::string& indent_unit() const { return indent_unit_; }
  const LineIndex& lines() const { return lines_; }

  Position position(uint32_t offset) const { return lines_.position(text_, offset); }
  // The whole file as it should be written: BOM (if it had one) + text.
  std::string bytes() const;
  // A new SourceFile with the same path, BOM and settings, holding new text.
  SourceFile with_text(std::string text) const;

 private:
  void analyse();

  std::string path_;
  std::string text_;
  bool bom_ = false;
  LineEnding line_ending_ = LineEnding::Lf;
  std::string indent_unit_ = "    ";
  LineIndex lines_;
};

// Returns the offset of the first byte that is not part of valid UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF), or npos when all of s is valid.
size_t find_invalid_utf8(std::string_view s);

// Number of code points in s (s is valid UTF-8).
uint32_t count_code_points(std::string_view s);

// The leading spaces and tabs of the line that contains offset.
std::string_view line_indent(std::string_view text, uint32_t offset);

}  // namespace asyncfix
