// Long lines the fixes wrote, wrapped as black wraps them. A fix writes one statement on one
// line (`total = db.scalar(select(func.count()).select_from(q.subquery()))`); in a project
// formatted with black or ruff that line is longer than the project allows, and the diff is
// not one a maintainer would merge. This pass splits such a line the way black's line
// splitting does (right-hand split at the last bracket, trailers omitted while they fit,
// invisible parentheses around a right-hand side, one element per line at the strongest
// delimiter, trailing commas where black adds them, function definitions split at their
// first bracket), so `black --check` accepts the result:
//
//     total = db.scalar(select(func.count()).select_from(q.subquery()))  # 95 columns
//   ->
//     total = db.scalar(
//         select(func.count()).select_from(q.subquery())
//     )
//
// Only single-line statements (and compound statement headers) are split; a line the
// original file already had is never touched, nor is a line that cannot be split.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <unordered_set>

namespace asyncfix {

struct WrapOptions {
  int line_length = 88;
  std::string indent_unit = "    ";
  std::string newline = "\n";
  // Trailing commas after *args/**kwargs (Python 3.6+ syntax; black adds them only when the
  // file already uses such syntax).
  bool trailing_comma_after_unpacking = false;
  // Also lay out again a statement a fix touched that spans several lines (a chain rewritten
  // in place), as black would: for projects formatted by black or ruff. Else only the long
  // one-line statements are split, and a layout the user chose stays.
  bool relayout_multiline = false;
};

// `text` with every line that is longer than options.line_length and not among
// `original_lines` (the lines of the file before the fixes) split as black would. `root` is
// the tree of `text`. Returns `text` unchanged when nothing is to split.
std::string wrap_long_lines(std::string_view text, TSNode root, const std::unordered_set<std::string_view>& original_lines,
                            const WrapOptions& options);

// The line length a project's configuration sets for its formatter: `[tool.black]` or
// `[tool.ruff]` `line-length` in pyproject.toml text, else 88.
int formatter_line_length(std::string_view pyproject_toml);

}  // namespace asyncfix
