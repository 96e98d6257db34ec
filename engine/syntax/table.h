// A tree's visible nodes flattened once into pre-order, so that the many walks of one file
// (the semantic model, the index summary, each rule's own pass) and parent lookups cost an
// array scan instead of tree-sitter's cursor steps and root-down parent searches.
//
// A NodeTable is installed for the current thread while it lives: syntax::walk, parent,
// children and TreeCursor use it for nodes of its tree and fall back to tree-sitter for
// any other tree.
// It must not outlive the tree it was built from (declare it after the syntax::Tree).
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace asyncfix::syntax {

class NodeTable {
 public:
  struct Entry {
    TSNode node;
    uint32_t end;     // index just past the node's subtree
    uint32_t parent;  // index of the parent, kNone for the root
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  // Files larger than this are walked with tree-sitter's cursor: the table takes about 15
  // bytes per source byte, and peak memory matters more on such rare files.
  static constexpr uint32_t kMaxSourceBytes = 1u << 20;

  explicit NodeTable(TSNode root);
  ~NodeTable();
  NodeTable(const NodeTable&) = delete;
  NodeTable& operator=(const NodeTable&) = delete;

  // The table installed in this thread for tree, or nullptr.
  static const NodeTable* find(const TSTree* tree);

  // n's index, when n belongs to this table's tree.
  std::optional<uint32_t> index_of(TSNode n) const;
  const Entry& operator[](uint32_t i) const { return entries_[i]; }
  size_t size() const { return entries_.size(); }
  // The field under which node i sits in its parent (nullptr when none).
  const char* field_name(uint32_t i) const;

 private:
  const TSTree* tree_ = nullptr;
  std::vector<Entry> entries_;
  std::vector<uint32_t> starts_;  // start byte of each entry, for index_of's binary search
  std::vector<TSFieldId> fields_;
};

}  // namespace asyncfix::syntax
