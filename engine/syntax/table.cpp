#include "engine/syntax/table.h"

#include <algorithm>

#include "engine/syntax/ts.h"

namespace asyncfix::syntax {

namespace {
// Few tables live at once in a thread (one per file being checked, plus one while a fix is
// verified), so a small vector searched from the back is the fastest registry.
thread_local std::vector<const NodeTable*> installed;
}  // namespace

NodeTable::NodeTable(TSNode root) {
  if (ts_node_is_null(root) || ts_node_end_byte(root) > kMaxSourceBytes) return;
  tree_ = root.tree;
  // tree-sitter's own cursor: a TreeCursor would look for installed tables.
  TSTreeCursor c = ts_tree_cursor_new(root);
  std::vector<uint32_t> open;  // the current node's ancestors, innermost last
  for (;;) {
    uint32_t i = static_cast<uint32_t>(entries_.size());
    TSNode n = ts_tree_cursor_current_node(&c);
    entries_.push_back(Entry{n, 0, open.empty() ? kNone : open.back()});
    starts_.push_back(ts_node_start_byte(n));
    fields_.push_back(i == 0 ? 0 : ts_tree_cursor_current_field_id(&c));
    if (ts_tree_cursor_goto_first_child(&c)) {
      open.push_back(i);
      continue;
    }
    entries_[i].end = i + 1;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&c)) break;
      if (!ts_tree_cursor_goto_parent(&c)) {
        ts_tree_cursor_delete(&c);
        installed.push_back(this);
        return;
      }
      entries_[open.back()].end = static_cast<uint32_t>(entries_.size());
      open.pop_back();
    }
  }
}

NodeTable::~NodeTable() {
  auto it = std::find(installed.rbegin(), installed.rend(), this);
  if (it != installed.rend()) installed.erase(std::next(it).base());
}

const NodeTable* NodeTable::find(const TSTree* tree) {
  for (auto it = installed.rbegin(); it != installed.rend(); ++it) {
    if ((*it)->tree_ == tree) return *it;
  }
  return nullptr;
}

std::optional<uint32_t> NodeTable::index_of(TSNode n) const {
  if (n.tree != tree_ || ts_node_is_null(n)) return std::nullopt;
  // Pre-order lists nodes by start byte; nodes that start together (a statement, its
  // call, the call's callee) are told apart by identity.
  uint32_t s = ts_node_start_byte(n);
  auto it = std::lower_bound(starts_.begin(), starts_.end(), s);
  for (; it != starts_.end() && *it == s; ++it) {
    uint32_t i = static_cast<uint32_t>(it - starts_.begin());
    if (entries_[i].node.id == n.id) return i;
  }
  return std::nullopt;
}

const char* NodeTable::field_name(uint32_t i) const {
  return fields_[i] == 0 ? nullptr : ts_language_field_name_for_id(python(), fields_[i]);
}

}  // namespace asyncfix::syntax
