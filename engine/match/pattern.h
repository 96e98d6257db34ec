// Code patterns: Python with metavariables, as ast-grep users write them.
//
//   $X      one node (captured as X)          $_      one node, not captured
//   $$$X    zero or more nodes (captured)      $$$     zero or more nodes, not captured
//
// A pattern is parsed by tree-sitter (metavariables become placeholder identifiers) and
// turned into a PatternNode tree. Matching compares that tree with the code's tree:
// comments and commas are ignored, a `$$$` run may absorb any number of siblings, a
// repeated metavariable must capture the same tokens each time. Names the pattern *reads*
// (`time.sleep`, `open`, `requests`) are qualified names, matched through the file's
// imports (see SemanticModel::name_matches); other identifiers (attribute names, keyword
// names) are compared as written.
//
// Each pattern also compiles to a tree-sitter query that is a necessary condition for a match
// (kinds, fields, literal and qualified-name predicates): all rules' queries run in one walk
// of the file, and only the candidates they report go through the full match.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/expected.h"
#include "engine/match/match_input.h"

namespace asyncfix {

struct PatternNode {
  enum class Type : uint8_t {
    Node,          // a named node with children, compared child by child
    Leaf,          // a named node compared by kind and text (identifiers, numbers, strings)
    Token,         // an anonymous token compared by text (operators, keywords)
    QualName,      // a name the pattern reads: identifier or dotted chain, through imports
    Metavar,       // $X / $_
    MultiMetavar,  // $$$X / $$$
  };
  Type type = Type::Node;
  std::string kind;   // Node/Leaf: node kind
  std::string field;  // field under the parent, "" if none
  std::string text;   // Leaf/Token: text; QualName: dotted name; metavars: name ("" = anonymous)
  std::vector<PatternNode> children;
};

class Pattern {
 public:
  // Compiles pattern text. With `selector`, the pattern is the first node of that kind in the
  // parsed text (e.g. text `f(timeout=$T)`, selector `keyword_argument`). Errors give the
  // line:col inside the pattern text.
  static Expected<std::shared_ptr<const Pattern>> compile(std::string_view text, std::string_view selector = {});

  const PatternNode& root() const { return root_; }
  const std::string& text() const { return text_; }
  // Metavariable names used (without `$`), in order of first appearance.
  const std::vector<std::string>& metavariables() const { return metavars_; }
  // The tree-sitter query (necessary condition); its root capture is @_root.
  const std::string& query() const { return query_; }
  // The most selective literal a file must contain for a match ("" when none).
  const std::string& trigger() const { return trigger_; }

  // Does the pattern match `node`? Captures are added to env (which may already hold
  // captures that must agree).
  bool match(TSNode node, const MatchInput& in, MetaEnv& env) const;

 private:
  std::string text_;
  PatternNode root_;
  std::vector<std::string> metavars_;
  std::string query_;
  std::string trigger_;
};

// Replaces $X / $$$X / $_ / $$$ in pattern or template text by placeholder identifiers that
// tree-sitter parses as names; `mapping` receives (offset in result, offset in input) pairs so
// positions can be mapped back. Names: $ then [A-Z_][A-Z0-9_]*.
std::string encode_metavariables(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>* mapping);
// The metavariable a placeholder stands for: ("X", multi) or false when it is none.
bool decode_placeholder(std::string_view identifier, std::string* name, bool* multi);
// An offset in encoded text back to the original text.
uint32_t original_offset(const std::vector<std::pair<uint32_t, uint32_t>>& mapping, uint32_t encoded);

}  // namespace asyncfix
