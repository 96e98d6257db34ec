#include "engine/rewrite/indent.h"

#include <algorithm>
#include <vector>

#include "engine/source/source_file.h"
#include "engine/syntax/node.h"

namespace asyncfix {

namespace {
// Byte ranges of strings spanning lines inside [b, e).
std::vector<std::pair<uint32_t, uint32_t>> multiline_strings(TSNode root, uint32_t b, uint32_t e, std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  syntax::walk(root, [&](TSNode n) {
    if (ts_node_end_byte(n) <= b || ts_node_start_byte(n) >= e) return false;
    if (syntax::is(n, "string")) {
      if (syntax::text(n, text).find('\n') != std::string_view::npos)
        out.emplace_back(ts_node_start_byte(n), ts_node_end_byte(n));
      return false;
    }
    return true;
  });
  return out;
}
}  // namespace

std::string reindent(std::string_view text, uint32_t begin, uint32_t end, std::string_view new_base, TSNode root) {
  return reindent(text, begin, end, line_indent(text, begin), new_base, root);
}

std::string reindent(std::string_view text, uint32_t begin, uint32_t end, std::string_view old_base,
                     std::string_view new_base, TSNode root) {
  std::string_view piece = text.substr(begin, end - begin);
  if (piece.find('\n') == std::string_view::npos) return std::string(piece);
  auto strings = multiline_strings(root, begin, end, text);
  std::string out;
  out.reserve(piece.size() + 32);
  for (size_t i = 0; i < piece.size(); ++i) {
    out += piece[i];
    if (piece[i] != '\n' || i + 1 >= piece.size()) continue;
    uint32_t next = begin + static_cast<uint32_t>(i) + 1;
    bool in_string = std::any_of(strings.begin(), strings.end(),
                                 [&](const auto& r) { return r.first < next && next < r.second; });
    if (in_string) continue;
    size_t strip = 0;
    while (strip < old_base.size() && i + 1 + strip < piece.size() && piece[i + 1 + strip] == old_base[strip]) ++strip;
    char after = i + 1 + strip < piece.size() ? piece[i + 1 + strip] : '\n';
    bool blank = after == '\n' || after == '\r';
    if (!blank) out.append(new_base);
    i += strip;
  }
  return out;
}

}  // namespace asyncfix
