#include "engine/diff/unified.h"

#include <filesystem>

#include <dtl/dtl.hpp>

#include <algorithm>
#include <vector>

namespace asyncfix {

std::string diff_label(std::string_view prefix, std::string_view path) {
  namespace fs = std::filesystem;
  fs::path p{std::string(path)};
  fs::path n = p.lexically_normal();
  if (p.is_absolute() || (!n.empty() && *n.begin() == "..")) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (!ec) n = abs.lexically_normal();
  }
  std::string s = n.generic_string();
  size_t b = s.find_first_not_of('/');
  return std::string(prefix) + (b == std::string::npos ? std::string() : s.substr(b));
}

namespace {

// Lines with their terminators: "a\r\n", "b\n", "c" (a last line without one).
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t nl = s.find('\n', b);
    size_t e = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(b, e - b));
    b = e;
  }
  return out;
}

enum class Op : uint8_t { Common, Delete, Add };
struct Step {
  Op op;
  size_t old_line;  // 0-based index into old lines (Common/Delete)
  size_t new_line;  // 0-based index into new lines (Common/Add)
};

void append_line(std::string& out, char prefix, std::string_view line) {
  out += prefix;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(size_t start, size_t count) {
  // GNU diff: "N" for one line, "N,M" otherwise; an empty range names the line before it.
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

// The line-level edit script from a to b: common lines, deletions, additions; within a run
// of changes, deletions before additions.
std::vector<Step> diff_steps(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  // Equal head and tail lines need no LCS (edits are usually a few lines of a large file).
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;

  std::vector<Step> steps;
  steps.reserve(a.size() + b.size());
  for (size_t i = 0; i < head; ++i) steps.push_back({Op::Common, i, i});
  std::vector<std::string_view> ma(a.begin() + static_cast<long>(head), a.end() - static_cast<long>(tail));
  std::vector<std::string_view> mb(b.begin() + static_cast<long>(head), b.end() - static_cast<long>(tail));
  if (ma.empty()) {
    for (size_t j = 0; j < mb.size(); ++j) steps.push_back({Op::Add, 0, head + j});
  } else if (mb.empty()) {
    for (size_t i = 0; i < ma.size(); ++i) steps.push_back({Op::Delete, head + i, 0});
  } else {
    dtl::Diff<std::string_view, std::vector<std::string_view>> d(ma, mb);
    d.onHuge();
    d.compose();
    for (const auto& e : d.getSes().getSequence()) {
      const auto& info = e.second;
      switch (info.type) {
        case dtl::SES_COMMON:
          steps.push_back({Op::Common, head + static_cast<size_t>(info.beforeIdx) - 1,
                           head + static_cast<size_t>(info.afterIdx) - 1});
          break;
        case dtl::SES_DELETE:
          steps.push_back({Op::Delete, head + static_cast<size_t>(info.beforeIdx) - 1, 0});
          break;
        case dtl::SES_ADD:
          steps.push_back({Op::Add, 0, head + static_cast<size_t>(info.afterIdx) - 1});
          break;
      }
    }
  }
  for (size_t i = 0; i < tail; ++i)
    steps.push_back({Op::Common, a.size() - tail + i, b.size() - tail + i});

  // Within a run of changes, deletions come before additions (as diff -u prints them).
  for (size_t i = 0; i < steps.size();) {
    if (steps[i].op == Op::Common) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < steps.size() && steps[j].op != Op::Common) ++j;
    std::stable_partition(steps.begin() + static_cast<long>(i), steps.begin() + static_cast<long>(j),
                          [](const Step& s) { return s.op == Op::Delete; });
    i = j;
  }
  return steps;
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context) {
  if (old_text == new_text) return {};
  std::vector<std::string_view> a = split_lines(old_text), b = split_lines(new_text);
  std::vector<Step> steps = diff_steps(a, b);

  // Keep every step within `context` steps of a change; runs of kept steps are hunks (so
  // changes separated by at most 2*context common lines share one hunk, as in diff -u).
  std::vector<bool> keep(steps.size(), false);
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].op == Op::Common) continue;
    size_t lo = i >= static_cast<size_t>(context) ? i - static_cast<size_t>(context) : 0;
    size_t hi = std::min(steps.size(), i + static_cast<size_t>(context) + 1);
    for (size_t k = lo; k < hi; ++k) keep[k] = true;
  }

  std::string out;
  out += "--- ";
  out.append(old_label);
  out += "\n+++ ";
  out.append(new_label);
  out += "\n";
  // Running line counters let an empty side name the line before it.
  size_t old_pos = 0, new_pos = 0;
  size_t i = 0;
  while (i < steps.size()) {
    if (!keep[i]) {
      if (steps[i].op != Op::Add) ++old_pos;
      if (steps[i].op != Op::Delete) ++new_pos;
      ++i;
      continue;
    }
    size_t j = i;
    size_t old_count = 0, new_count = 0;
    while (j < steps.size() && keep[j]) {
      if (steps[j].op != Op::Add) ++old_count;
      if (steps[j].op != Op::Delete) ++new_count;
      ++j;
    }
    out += "@@ -" + range(old_pos, old_count) + " +" + range(new_pos, new_count) + " @@\n";
    for (size_t k = i; k < j; ++k) {
      const Step& s = steps[k];
      switch (s.op) {
        case Op::Common: append_line(out, ' ', a[s.old_line]); break;
        case Op::Delete: append_line(out, '-', a[s.old_line]); break;
        case Op::Add: append_line(out, '+', b[s.new_line]); break;
      }
    }
    old_pos += old_count;
    new_pos += new_count;
    i = j;
  }
  return out;
}

std::vector<LineEdit> line_edits(std::string_view old_text, std::string_view new_text) {
  std::vector<LineEdit> out;
  if (old_text == new_text) return out;
  std::vector<std::string_view> a = split_lines(old_text), b = split_lines(new_text);
  std::vector<Step> steps = diff_steps(a, b);
  // Byte offsets of old lines.
  std::vector<uint32_t> start(a.size() + 1, 0);
  for (size_t i = 0; i < a.size(); ++i) start[i + 1] = start[i] + static_cast<uint32_t>(a[i].size());
  size_t old_pos = 0;
  for (size_t i = 0; i < steps.size();) {
    if (steps[i].op == Op::Common) {
      old_pos = steps[i].old_line + 1;
      ++i;
      continue;
    }
    LineEdit e;
    size_t first_old = old_pos, deleted = 0;
    for (; i < steps.size() && steps[i].op != Op::Common; ++i) {
      if (steps[i].op == Op::Delete) {
        if (deleted == 0) first_old = steps[i].old_line;
        ++deleted;
      } else {
        e.text.append(b[steps[i].new_line]);
      }
    }
    e.begin = start[first_old];
    e.end = start[first_old + deleted];
    old_pos = first_old + deleted;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace asyncfix
