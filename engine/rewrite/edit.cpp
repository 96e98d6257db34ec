#include "engine/rewrite/edit.h"

#include <algorithm>

namespace asyncfix {

bool edits_conflict(const Edit& a, const Edit& b) {
  if (a == b) return false;
  if (a.is_insertion() && b.is_insertion()) return a.begin == b.begin;
  if (a.is_insertion()) return a.begin > b.begin && a.begin < b.end;
  if (b.is_insertion()) return b.begin > a.begin && b.begin < a.end;
  return a.begin < b.end && b.begin < a.end;
}

const char* to_string(Applicability a) {
  switch (a) {
    case Applicability::Safe: return "safe";
    case Applicability::Unsafe: return "unsafe";
    case Applicability::DisplayOnly: return "display-only";
  }
  return "?";
}

std::string ImportNeed::statement() const {
  std::string s;
  if (name.empty()) {
    s = "import " + module;
  } else {
    s = "from " + module + " import " + name;
  }
  if (!alias.empty()) s += " as " + alias;
  return s;
}

void normalize_edits(std::vector<Edit>& edits) {
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.is_insertion() && !b.is_insertion();
  });
  edits.erase(std::unique(edits.begin(), edits.end()), edits.end());
}

namespace {
std::string convert_newlines(std::string_view s, std::string_view newline) {
  if (newline == "\n" || s.find('\n') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) {
      out += newline;
    } else {
      out += s[i];
    }
  }
  return out;
}
}  // namespace

std::string apply_edits(std::string_view text, std::vector<Edit> edits, std::string_view newline) {
  normalize_edits(edits);
  std::string out;
  out.reserve(text.size() + 64);
  uint32_t pos = 0;
  for (const Edit& e : edits) {
    uint32_t b = std::min<uint32_t>(e.begin, static_cast<uint32_t>(text.size()));
    uint32_t en = std::min<uint32_t>(e.end, static_cast<uint32_t>(text.size()));
    if (b < pos) b = pos;  // cannot happen for non-conflicting edits; stay safe
    out.append(text.substr(pos, b - pos));
    out += convert_newlines(e.text, newline);
    pos = std::max(pos, en);
  }
  out.append(text.substr(std::min<size_t>(pos, text.size())));
  return out;
}

uint32_t map_offset(const std::vector<Edit>& edits, uint32_t offset, std::string_view newline) {
  int64_t delta = 0;
  for (const Edit& e : edits) {
    int64_t len = static_cast<int64_t>(convert_newlines(e.text, newline).size());
    if (e.is_insertion()) {
      if (e.begin > offset) break;
      delta += len;  // an insertion at `offset` lands before the byte that was there
    } else if (e.end <= offset) {
      delta += len - static_cast<int64_t>(e.end - e.begin);
    } else if (e.begin < offset) {
      return static_cast<uint32_t>(e.begin + delta);  // inside a replaced range
    } else {
      break;
    }
  }
  return static_cast<uint32_t>(offset + delta);
}

std::vector<std::pair<uint32_t, uint32_t>> new_ranges(const std::vector<Edit>& edits,
                                                      std::string_view newline) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  int64_t delta = 0;
  for (const Edit& e : edits) {
    int64_t len = static_cast<int64_t>(convert_newlines(e.text, newline).size());
    uint32_t b = static_cast<uint32_t>(e.begin + delta);
    out.emplace_back(b, static_cast<uint32_t>(b + len));
    delta += len - static_cast<int64_t>(e.end - e.begin);
  }
  return out;
}

}  // namespace asyncfix
