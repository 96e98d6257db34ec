#include "engine/syntax/node.h"

namespace asyncfix::syntax {

std::vector<TSNode> children(TSNode n, bool named_only) {
  std::vector<TSNode> out;
  if (is_null(n)) return out;
  if (const NodeTable* t = NodeTable::find(n.tree)) {
    if (auto i = t->index_of(n)) {
      for (uint32_t k = *i + 1, stop = t->end(*i); k < stop; k = t->end(k)) {
        if (!named_only || ts_node_is_named(t->node(k))) out.push_back(t->node(k));
      }
      return out;
    }
  }
  TreeCursor c(n);
  if (!c.first_child()) return out;
  do {
    TSNode k = c.node();
    if (!named_only || ts_node_is_named(k)) out.push_back(k);
  } while (c.next_sibling());
  return out;
}

std::vector<TSNode> code_children(TSNode n) {
  std::vector<TSNode> out;
  for (TSNode k : children(n, true)) {
    if (kind(k) != "comment") out.push_back(k);
  }
  return out;
}

TSNode child_of_kind(TSNode n, std::string_view k) {
  if (!is_null(n)) {
    TreeCursor c(n);
    if (c.first_child()) {
      do {
        if (kind(c.node()) == k) return c.node();
      } while (c.next_sibling());
    }
  }
  return TSNode{};
}

const char* field_of(TSNode parent_node, TSNode child) {
  TreeCursor c(parent_node);
  if (!c.first_child()) return nullptr;
  do {
    if (same(c.node(), child)) return c.field_name();
  } while (c.next_sibling());
  return nullptr;
}

TSNode ancestor(TSNode n, std::string_view k) {
  for (TSNode p = parent(n); !is_null(p); p = parent(p)) {
    if (kind(p) == k) return p;
  }
  return TSNode{};
}

TSNode enclosing_statement(TSNode n) {
  for (TSNode cur = n; !is_null(cur);) {
    TSNode p = parent(cur);
    if (is_null(p)) return cur;
    std::string_view pk = kind(p);
    if (pk == "block" || pk == "module") return cur;
    cur = p;
  }
  return n;
}

bool is_async_def(TSNode fn) {
  if (!is(fn, "function_definition")) return false;
  TSNode first = ts_node_child(fn, 0);
  return !is_null(first) && kind(first) == "async";
}

}  // namespace asyncfix::syntax

namespace asyncfix {

bool is_awaited(TSNode node) {
  TSNode p = syntax::parent(node);
  while (syntax::is(p, "parenthesized_expression")) p = syntax::parent(p);
  return syntax::is(p, "await");
}

bool is_result_unused(TSNode node) {
  TSNode cur = node;
  TSNode p = syntax::parent(cur);
  while (syntax::is(p, "parenthesized_expression")) {
    cur = p;
    p = syntax::parent(p);
  }
  if (!syntax::is(p, "expression_statement")) return false;
  auto kids = syntax::code_children(p);
  return kids.size() == 1;
}

}  // namespace asyncfix
