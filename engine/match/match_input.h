// What matching may look at besides the node: the file's text and its semantic model, built
// on first use (most candidates are rejected before a model is needed).
#pragma once

#include <tree_sitter/api.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix {

namespace semantic {
class SemanticModel;
}

struct MatchInput {
  std::string_view text;
  std::function<const semantic::SemanticModel&()> model;
};

// What a metavariable captured: one node ($X), or a run of sibling nodes ($$$X; possibly
// empty). [begin, end) is the source range of the run, separators included.
struct Capture {
  std::vector<TSNode> nodes;
  uint32_t begin = 0, end = 0;
  bool multi = false;
};

using MetaEnv = std::map<std::string, Capture, std::less<>>;

// Do two subtrees hold the same tokens (whitespace and comments aside)?
bool same_tokens(TSNode a, TSNode b, std::string_view text);

}  // namespace asyncfix
