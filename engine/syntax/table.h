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

namespace asyncfix::syntax {

class NodeTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  // Files larger than this are walked with tree-sitter's cursor: the table takes 34 bytes a
  // node (about 6 bytes per source byte on the stdlib), and peak memory matters more on such
  // rare files.
  static constexpr uint32_t kMaxSourceBytes = 1u << 20;

  explicit NodeTable(TSNode root);
  ~NodeTable();
  NodeTable(const NodeTable&) = delete;
  NodeTable& operator=(const NodeTable&) = delete;

  // The table installed in this thread for tree, or nullptr.
  static const NodeTable* find(const TSTree* tree);

  // n's index, when n belongs to this table's tree.
  std::optional<uint32_t> index_of(TSNode n) const;
  TSNode node(uint32_t i) const {
    const Entry& e = entries_[i];
    return TSNode{{e.context[0], e.context[1], e.context[2], e.context[3]}, e.id, tree_};
  }
  uint32_t end(uint32_t i) const { return entries_[i].end; }        // index just past i's subtree
  uint32_t parent(uint32_t i) const { return entries_[i].parent; }  // kNone for the root
  size_t size() const { return size_; }
  // The field under which node i sits in its parent (nullptr when none).
  const char* field_name(uint32_t i) const;
  TSFieldId field_id(uint32_t i) const { return fields_[i]; }

 private:
  // A TSNode without its tree pointer (the same for every node): context[0] is the start byte.
  struct Entry {
    uint32_t context[4];
    const void* id;
    uint32_t end;
    uint32_t parent;
  };
  const TSTree* tree_ = nullptr;
  // One block mapped for the table alone (released to the system when the table dies, not
  // left in the allocator's heap among tree-sitter's small allocations): the entries, then
  // the field ids.
  void* block_ = nullptr;
  size_t block_bytes_ = 0;
  Entry* entries_ = nullptr;
  TSFieldId* fields_ = nullptr;
  uint32_t size_ = 0;
};

}  // namespace asyncfix::syntax
