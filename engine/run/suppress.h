// Suppression comments: `# asyncfix: ignore[AF101, AF2]` or `# noqa: AF101` on a line
// silences those rules there (`# asyncfix: ignore` / a bare `# noqa`: every rule);
// `# asyncfix: ignore-file` (optionally `[codes]`) anywhere in the file silences the file.
// Codes are rule ids, id prefixes or rule names (`ignore[blocking-sleep]`). Codes of other
// tools in a `noqa` (E501) are left alone.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <vector>

#include "engine/rule/rule.h"
#include "engine/source/source_file.h"

namespace asyncfix {

struct Suppression {
  uint32_t line = 0;                // the line it sits on (1-based)
  uint32_t begin = 0, end = 0;      // the comment's bytes
  // The directive's bytes within the comment: from its `#` to the next ` #` or the end
  // (`# type: ignore  # noqa: AF101` holds another tool's comment before it).
  uint32_t directive_begin = 0, directive_end = 0;
  bool file = false;                // ignore-file
  bool noqa = false;                // written as `# noqa`
  bool all = false;                 // no codes: every rule
  std::vector<std::string> codes;   // asyncfix codes (AF...)
  std::vector<std::string> others;  // other tools' codes in a noqa (kept, never judged)
  std::vector<bool> used;           // per code
  bool used_all = false;
};

std::vector<Suppression> parse_suppressions(TSNode root, const SourceFile& src);
// Can the text hold one (`asyncfix` or `noqa` somewhere)? A quick scan, no parse.
bool may_hold_suppressions(std::string_view text);

// Drops the findings a suppression covers (on the finding's first or last line, or the
// whole file), marking the suppressions used.
void apply_suppressions(std::vector<Suppression>& sups, std::vector<Finding>& findings);

// AF001 findings for suppressions that suppressed nothing (asyncfix codes only; a bare
// `# noqa` belongs to every tool and is never reported). A comment whose every code is
// unused gets a fix that removes it.
std::vector<Finding> unused_suppressions(const std::vector<Suppression>& sups, const SourceFile& src);

}  // namespace asyncfix
