#include "engine/syntax/table.h"

#include <sys/mman.h>

#include <algorithm>
#include <vector>

#include "engine/syntax/ts.h"

namespace asyncfix::syntax {

namespace {
// Few tables live at once in a thread (the file being checked or summarised: a fix's
// re-parse for verification gets none), so a small vector searched from the back is the
// fastest registry.
thread_local std::vector<const NodeTable*> installed;

// The block of the last table this thread released, kept for the next table (a file's table
// follows another's all run long: mapping fresh pages costs a page fault each). Kept only up
// to a few MB, so that what a thread holds between files stays small.
constexpr size_t kSpareMaxBytes = size_t{4} << 20;
struct SpareBlock {
  void* block = nullptr;
  size_t bytes = 0;
  ~SpareBlock() {
    if (block) munmap(block, bytes);
  }
};
thread_local SpareBlock spare;

void* take_block(size_t bytes, size_t* got) {
  if (spare.block && spare.bytes >= bytes) {
    void* b = spare.block;
    *got = spare.bytes;
    spare.block = nullptr;
    spare.bytes = 0;
    return b;
  }
  *got = bytes;
  return mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void give_block(void* block, size_t bytes) {
  if (bytes <= kSpareMaxBytes && (!spare.block || spare.bytes < bytes)) {
    if (spare.block) munmap(spare.block, spare.bytes);
    spare.block = block;
    spare.bytes = bytes;
    return;
  }
  munmap(block, bytes);
}
}  // namespace

NodeTable::NodeTable(TSNode root) {
  if (ts_node_is_null(root) || ts_node_end_byte(root) > kMaxSourceBytes) return;
  tree_ = root.tree;
  // tree-sitter's own cursor: a TreeCursor would look for installed tables.
  TSTreeCursor c = ts_tree_cursor_new(root);
  uint32_t count = ts_node_descendant_count(root);  // the visible nodes, root included
  block_ = take_block(size_t{count} * (sizeof(Entry) + sizeof(TSFieldId)), &block_bytes_);
  // Without a table, walks use tree-sitter's cursor.
  auto give_up = [&] {
    if (block_ != MAP_FAILED) give_block(block_, block_bytes_);
    block_ = nullptr;
    tree_ = nullptr;
    size_ = 0;
    ts_tree_cursor_delete(&c);
  };
  if (block_ == MAP_FAILED) {
    give_up();
    return;
  }
  entries_ = static_cast<Entry*>(block_);
  fields_ = reinterpret_cast<TSFieldId*>(entries_ + count);
  std::vector<uint32_t> open;  // the current node's ancestors, innermost last
  for (;;) {
    if (size_ == count) {  // more nodes than tree-sitter counted: never seen
      give_up();
      return;
    }
    uint32_t i = size_++;
    TSNode n = ts_tree_cursor_current_node(&c);
    entries_[i] = Entry{{n.context[0], n.context[1], n.context[2], n.context[3]}, n.id, 0,
                        open.empty() ? kNone : open.back()};
    fields_[i] = i == 0 ? 0 : ts_tree_cursor_current_field_id(&c);
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
      entries_[open.back()].end = size_;
      open.pop_back();
    }
  }
}

NodeTable::~NodeTable() {
  auto it = std::find(installed.rbegin(), installed.rend(), this);
  if (it != installed.rend()) installed.erase(std::next(it).base());
  if (block_) give_block(block_, block_bytes_);
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
  const Entry* stop = entries_ + size_;
  const Entry* it = std::lower_bound(static_cast<const Entry*>(entries_), stop, s, [](const Entry& e, uint32_t b) { return e.context[0] < b; });
  for (; it != stop && it->context[0] == s; ++it) {
    if (it->id == n.id) return static_cast<uint32_t>(it - entries_);
  }
  return std::nullopt;
}

const char* NodeTable::field_name(uint32_t i) const {
  return fields_[i] == 0 ? nullptr : ts_language_field_name_for_id(python(), fields_[i]);
}

}  // namespace asyncfix::syntax
