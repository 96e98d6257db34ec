// Moving code to another indentation: the lines after the first of a piece of source lose the
// indentation of the line the piece starts on and gain a new one. Lines that start inside a
// multi-line string are left alone (re-indenting them would change the string).
//
//   source (piece = the `if`, starting on a line indented by 4):
//       if a:
//           b()
//   reindent(piece, new_base = "        ") ->
//   "if a:\n            b()"      (the second line: 8 - 4 + 8 = 12 spaces)
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>

namespace asyncfix {

// The text of [begin, end) of `text`, its later lines re-based from the indentation of the
// line holding `begin` to `new_base`. `root` is the tree of `text` (to find strings).
std::string reindent(std::string_view text, uint32_t begin, uint32_t end, std::string_view new_base, TSNode root);
// The same, re-based from old_base (a piece that starts inside a line: its lines after the
// first lose old_base, the indentation of the statement it is part of).
std::string reindent(std::string_view text, uint32_t begin, uint32_t end, std::string_view old_base,
                     std::string_view new_base, TSNode root);

}  // namespace asyncfix
