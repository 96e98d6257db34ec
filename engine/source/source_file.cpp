#include "engine/source/source_file.h"
#include "engine/base/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace asyncfix {

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

uint32_t LineIndex::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<uint32_t>(it - starts_.begin());
}

uint32_t LineIndex::line_start(uint32_t line) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return starts_.back();
  return starts_[line - 1];
}

Position LineIndex::position(std::string_view text, uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  uint32_t line = line_of(offset);
  uint32_t start = starts_[line - 1];
  return Position{line, count_code_points(text.substr(start, offset - start)) + 1};
}

size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

uint32_t count_code_points(std::string_view s) {
  uint32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view line_indent(std::string_view text, uint32_t offset) {
  size_t start = offset == 0 ? 0 : text.rfind('\n', offset - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t end = start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return text.substr(start, end - start);
}

Expected<SourceFile> SourceFile::load(const std::string& path) {
  auto bytes = read_whole_file(path);
  if (!bytes) return bytes.error();
  return from_bytes(path, std::move(bytes).value());
}

Expected<SourceFile> SourceFile::from_bytes(std::string path, std::string bytes) {
  SourceFile f;
  f.path_ = std::move(path);
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    f.bom_ = true;
    bytes.erase(0, 3);
  }
  f.text_ = std::move(bytes);
  if (size_t nul = f.text_.find('\0'); nul != std::string::npos) {
    uint32_t line = LineIndex(f.text_).line_of(static_cast<uint32_t>(nul));
    return make_error(Error::Kind::Decode, "binary file (contains a NUL byte)",
                      {f.path_, line, 0});
  }
  if (size_t bad = find_invalid_utf8(f.text_); bad != std::string_view::npos) {
    LineIndex li(f.text_);
    uint32_t line = li.line_of(static_cast<uint32_t>(bad));
    uint32_t start = li.line_start(line);
    // The column is counted over the valid prefix of the line.
    uint32_t col = count_code_points(std::string_view(f.text_).substr(start, bad - start)) + 1;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(f.text_[bad]));
    return make_error(Error::Kind::Decode,
                      std::string("not valid UTF-8 (byte ") + hex + ")",
                      {f.path_, line, col});
  }
  f.analyse();
  return f;
}

namespace {

// For each line (1-based), whether it starts or ends inside a triple-quoted string: those
// lines are text, not code (a docstring's "Flow:" opens no block).
struct StringLines {
  std::vector<bool> starts_in, ends_in;
};

StringLines triple_string_lines(std::string_view t) {
  StringLines out;
  out.starts_in.push_back(false);  // line 0 (unused)
  out.ends_in.push_back(false);
  out.starts_in.push_back(false);  // line 1
  char quote = 0;                  // the quote of the open string, 0 outside
  bool triple = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\n') {
      if (quote && !triple) quote = 0;  // an unterminated one-line string ends with its line
      out.ends_in.push_back(quote != 0);
      out.starts_in.push_back(quote != 0);
      continue;
    }
    if (quote) {
      if (c == '\\') {
        if (i + 1 < t.size() && t[i + 1] != '\n') ++i;
        continue;
      }
      if (c != quote) continue;
      if (!triple) {
        quote = 0;
      } else if (i + 2 < t.size() && t[i + 1] == quote && t[i + 2] == quote) {
        quote = 0;
        i += 2;
      }
      continue;
    }
    if (c == '#') {
      while (i + 1 < t.size() && t[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      triple = i + 2 < t.size() && t[i + 1] == c && t[i + 2] == c;
      if (triple) i += 2;
    }
  }
  out.ends_in.push_back(quote != 0);
  return out;
}

}  // namespace

void SourceFile::analyse() {
  lines_ = LineIndex(text_);
  size_t crlf = 0, lf = 0;
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') (i > 0 && text_[i - 1] == '\r') ? ++crlf : ++lf;
  }
  line_ending_ = crlf > lf ? LineEnding::CrLf : LineEnding::Lf;

  // Indentation unit: what the first block adds to the line that opens it (a line ending
  // in ':'), so continuation lines of a long call do not count. Default: 4 spaces.
  std::string_view prev_indent;
  bool prev_opens = false;
  StringLines strings = triple_string_lines(text_);
  for (uint32_t l = 1; l <= lines_.line_count(); ++l) {
    uint32_t s = lines_.line_start(l);
    if (s >= text_.size()) break;
    if (l < strings.starts_in.size() && strings.starts_in[l]) continue;  // inside a string
    size_t e = text_.find('\n', s);
    if (e == std::string::npos) e = text_.size();
    std::string_view line = std::string_view(text_).substr(s, e - s);
    size_t code = line.find_first_not_of(" \t\r");
    if (code == std::string_view::npos || line[code] == '#') continue;  // blank or comment
    std::string_view indent = line.substr(0, code);
    if (prev_opens && indent.size() > prev_indent.size() && indent.substr(0, prev_indent.size()) == prev_indent) {
      std::string_view added = indent.substr(prev_indent.size());
      if (added.find('\t') != std::string_view::npos) {
        indent_unit_ = "\t";
      } else if (added.size() >= 1 && added.size() <= 8) {
        indent_unit_ = std::string(added);
      }
      break;
    }
    std::string_view body = line.substr(code);
    if (size_t hash = body.find(" #"); hash != std::string_view::npos) body = body.substr(0, hash);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\r' || body.back() == '\t')) body.remove_suffix(1);
    prev_opens = !body.empty() && body.back() == ':' && !(l < strings.ends_in.size() && strings.ends_in[l]);
    prev_indent = indent;
  }
}

std::string SourceFile::bytes() const {
  if (!bom_) return text_;
  return "\xEF\xBB\xBF" + text_;
}

SourceFile SourceFile::with_text(std::string text) const {
  SourceFile f;
  f.path_ = path_;
  f.bom_ = bom_;
  f.text_ = std::move(text);
  f.analyse();
  // Keep the original file's conventions: an edit must not flip them.
  f.line_ending_ = line_ending_;
  f.indent_unit_ = indent_unit_;
  return f;
}

}  // namespace asyncfix
