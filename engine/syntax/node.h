// Small helpers over TSNode, so rule code reads like the grammar it inspects.
#pragma once

#include <tree_sitter/api.h>

#include <cstring>
#include <string_view>
#include <vector>

#include "engine/syntax/table.h"
#include "engine/syntax/ts.h"

namespace asyncfix::syntax {

inline bool is_null(TSNode n) { return ts_node_is_null(n); }
inline std::string_view kind(TSNode n) { return is_null(n) ? std::string_view() : ts_node_type(n); }
// The kind of a named node as a number (SymbolNames::kind_id; 0 for an anonymous or null
// node, and for ERROR): walks that test many kinds per node read the symbol once.
inline uint16_t kind_id(TSNode n) {
  if (is_null(n)) return 0;
  TSSymbol sym = ts_node_symbol(n);
  const auto& kinds = symbol_names().kind_of_symbol;
  return sym < kinds.size() ? kinds[sym] : 0;
}
inline uint16_t kind_id(std::string_view name) { return symbol_names().kind_id(name); }
// The kind of a named node ("" for an anonymous one: keywords share names with constructs).
inline std::string_view named_kind(TSNode n) {
  if (is_null(n)) return {};
  TSSymbol sym = ts_node_symbol(n);
  const auto& names = symbol_names().by_symbol;
  if (sym < names.size()) return names[sym].named ? std::string_view(names[sym].name, names[sym].size) : std::string_view();
  return ts_node_is_named(n) ? std::string_view(ts_node_type(n)) : std::string_view();
}
// A named node of kind k (keywords like `lambda` or `await` are anonymous nodes with the
// same type name as the construct: use kind() to test those).
inline bool is(TSNode n, std::string_view k) { return !k.empty() && named_kind(n) == k; }
// A null node (a field that error recovery left out) is empty at 0: its text is "", it
// contains nothing and nothing contains it (tree-sitter's own accessors crash on it).
inline uint32_t start(TSNode n) { return is_null(n) ? 0 : ts_node_start_byte(n); }
inline uint32_t end(TSNode n) { return is_null(n) ? 0 : ts_node_end_byte(n); }
inline bool same(TSNode a, TSNode b) { return ts_node_eq(a, b); }
inline std::string_view text(TSNode n, std::string_view src) {
  return src.substr(start(n), end(n) - start(n));
}
inline TSNode field(TSNode n, const char* name) {
  TSFieldId id = symbol_names().field_id(name);
  return id ? ts_node_child_by_field_id(n, id) : TSNode{};
}
inline TSNode parent(TSNode n) {
  if (is_null(n)) return TSNode{};  // (ts_node_parent would read the tree of a null node)
  if (const NodeTable* t = NodeTable::find(n.tree)) {
    if (auto i = t->index_of(n)) {
      uint32_t p = t->parent(*i);
      return p == NodeTable::kNone ? TSNode{} : t->node(p);
    }
  }
  return ts_node_parent(n);
}
inline bool contains(TSNode outer, TSNode inner) {
  return !is_null(outer) && !is_null(inner) && start(outer) <= start(inner) && end(inner) <= end(outer);
}

// Children in order (named only when named_only). Uses a cursor: indexed access to children
// is linear per call in tree-sitter.
std::vector<TSNode> children(TSNode n, bool named_only = true);
// Children except comments, named only.
std::vector<TSNode> code_children(TSNode n);
// The first child whose kind is k, or a null node.
TSNode child_of_kind(TSNode n, std::string_view k);
// The field name under which child sits in parent (nullptr when none).
const char* field_of(TSNode parent, TSNode child);

// Nearest ancestor (not n itself) of kind k, or a null node.
TSNode ancestor(TSNode n, std::string_view k);

// The statement that contains n (the nearest ancestor whose parent is a block or module).
TSNode enclosing_statement(TSNode n);

// True for `async def`.
bool is_async_def(TSNode function_definition);

// True when the subtree has a syntax error or a node tree-sitter had to invent.
inline bool has_error(TSNode n) { return ts_node_has_error(n); }

// Pre-order walk without recursion. visit(node) returns false to skip the node's children.
template <class Visit>
void walk(TSNode root, Visit&& visit) {
  if (const NodeTable* t = NodeTable::find(root.tree)) {
    if (auto i = t->index_of(root)) {
      for (uint32_t k = *i, stop = t->end(*i); k < stop;) k = visit(t->node(k)) ? k + 1 : t->end(k);
      return;
    }
  }
  TreeCursor c(root);
  for (;;) {
    bool descend = visit(c.node());
    if (descend && c.first_child()) continue;
    for (;;) {
      if (c.next_sibling()) break;
      if (!c.parent()) return;
    }
  }
}

}  // namespace asyncfix::syntax

namespace asyncfix {

// Is `node` inside an `await` (looking through parentheses)?
bool is_awaited(TSNode node);
// Is `node`'s value dropped (it is a whole expression statement)?
bool is_result_unused(TSNode node);

}  // namespace asyncfix
