// Unified diffs as `diff -u` writes them, for `check --diff` and interactive review.
#pragma once

#include <string>
#include <string_view>
#include <vector>
#include <cstdint>

namespace asyncfix {

// The unified diff from old_text to new_text: "--- a/PATH" / "+++ b/PATH" headers (labels as
// given), `context` lines around each change, hunks merged when their contexts touch,
// "\ No newline at end of file" where a side ends without one, line endings (CRLF) kept
// byte for byte. Empty when the texts are equal. `git apply` and `patch -p1` accept it.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context = 3);

// "a/" + path with leading slashes dropped, so that an absolute path still makes a label
// `patch -p1` and `git apply` strip to the path ("a/tmp/x.py", not "a//tmp/x.py").
// A header path that `git apply` and `patch -p1` accept: a path under the working directory
// as it is (normalized: `./x.py` is `x.py`); one that leaves it (`../x.py`) or is absolute, as
// its absolute path, so the diff applies from `/`.
std::string diff_label(std::string_view prefix, std::string_view path);

// The change from old_text to new_text as replacements of whole lines of old_text (byte
// ranges, in order, not touching): what `--export-fixes` records.
struct LineEdit {
  uint32_t begin = 0, end = 0;
  std::string text;
};
std::vector<LineEdit> line_edits(std::string_view old_text, std::string_view new_text);

}  // namespace asyncfix
