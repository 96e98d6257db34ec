// Unified diffs as `diff -u` writes them, for `check --diff` and interactive review.
#pragma once

#include <string>
#include <string_view>

namespace asyncfix {

// The unified diff from old_text to new_text: "--- a/PATH" / "+++ b/PATH" headers (labels as
// given), `context` lines around each change, hunks merged when their contexts touch,
// "\ No newline at end of file" where a side ends without one, line endings (CRLF) kept
// byte for byte. Empty when the texts are equal. `git apply` and `patch -p1` accept it.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context = 3);

}  // namespace asyncfix
