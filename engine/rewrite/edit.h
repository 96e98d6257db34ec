// Edits and fixes, and the rules for which edits can be applied together.
//
// An Edit replaces the bytes [begin, end) of the text with `text` (begin == end inserts).
// Two edits CONFLICT when applying both has no single obvious result:
//
//   text "abcdef" (offsets 0..6)
//   [1,3)->"X"  with [2,4)->"Y"   overlap                       -> conflict
//   [1,3)->"X"  with [3,5)->"Y"   adjacent                      -> fine: "aXYf"
//   @2 "X"      with @2 "Y"       two insertions at one offset  -> conflict (order unknown)
//   @2 "X"      with @2 "X"       identical                     -> merged: "abXcdef"
//   [1,3)->"X"  with [1,3)->"X"   identical                     -> merged: "aXdef"
//   @1 "X"      with [1,3)->"Y"   insertion at a start          -> fine, insertion first: "aXYdef"
//   @3 "X"      with [1,3)->"Y"   insertion at an end           -> fine: "aYXdef"
//   @2 "X"      with [1,3)->"Y"   insertion inside a replacement -> conflict
//
// A Fix is a set of edits that applies whole or not at all, with an applicability and a
// title. Edits that belong elsewhere in the file (an import, a helper defined once per
// module) are not written as raw edits: a fix asks for them (`imports`, `helpers`) and the
// pipeline merges identical requests from all fixes of a pass into one edit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix {

struct Edit {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;

  bool is_insertion() const { return begin == end; }
  bool operator==(const Edit& o) const {
    return begin == o.begin && end == o.end && text == o.text;
  }
};

// Do a and b conflict (see the table above)? Identical edits do not.
bool edits_conflict(const Edit& a, const Edit& b);

enum class Applicability { Safe, Unsafe, DisplayOnly };
const char* to_string(Applicability a);

// `import module [as alias]` (name empty) or `from module import name [as alias]`.
struct ImportNeed {
  std::string module;
  std::string name;
  std::string alias;
  bool operator==(const ImportNeed& o) const {
    return module == o.module && name == o.name && alias == o.alias;
  }
  std::string statement() const;  // "import asyncio", "from x import y as z"
};

// A module-level definition a fix relies on (e.g. a set that keeps background tasks alive),
// inserted once after the imports. Requests with the same key are the same helper.
struct HelperNeed {
  std::string key;
  std::string code;  // full statement(s), ending with a newline
  bool operator==(const HelperNeed& o) const { return key == o.key && code == o.code; }
};

struct Fix {
  std::string title;
  Applicability applicability = Applicability::Safe;
  std::vector<Edit> edits;
  std::vector<ImportNeed> imports;
  // Imports added even when the edits do not write their name (a rule file's `imports: add:`
  // says so explicitly); `imports` keeps only those the edits use.
  std::vector<ImportNeed> explicit_imports;
  // Qualified names ("time", "time.sleep") whose import is removed when the fix leaves it
  // unused.
  std::vector<std::string> remove_if_unused;
  std::vector<HelperNeed> helpers;
  // The fix moves the code it replaces (into a function of its own, say): it yields to every
  // other fix of its pass that overlaps it, and is made again in a later pass, on that code as
  // they leave it (which may then refuse to move).
  bool moves_code = false;
  // The edits with the import and helper insertions they need, on the text they were found
  // in (filled on request, for reports that show a fix whole: SARIF, review, JSON).
  std::vector<Edit> resolved_edits;
};

// Applies non-conflicting edits (any order) to text. '\n' in edit texts becomes `newline`
// (so a fix written with '\n' keeps a CRLF file CRLF). Edits must not conflict.
std::string apply_edits(std::string_view text, std::vector<Edit> edits,
                        std::string_view newline = "\n");

// Sorts edits by position (insertions before a replacement at the same offset) and drops
// exact duplicates.
void normalize_edits(std::vector<Edit>& edits);

// Where the bytes at old offset `offset` are after applying sorted, non-conflicting edits.
// An offset inside a replaced range maps to the start of the replacement.
uint32_t map_offset(const std::vector<Edit>& sorted_edits, uint32_t offset,
                    std::string_view newline = "\n");

// The new range covered by each edit after applying them all (sorted, non-conflicting).
std::vector<std::pair<uint32_t, uint32_t>> new_ranges(const std::vector<Edit>& sorted_edits,
                                                      std::string_view newline = "\n");

}  // namespace asyncfix
