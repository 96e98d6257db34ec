// RAII owners for tree-sitter handles. Nothing outside engine/syntax/ deletes a ts handle.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/expected.h"
#include "engine/syntax/table.h"

namespace asyncfix::syntax {

// The tree-sitter-python language (checked against the core's ABI once).
const TSLanguage* python();

// The name of each public symbol of the language, read once, so that testing a node's kind
// is a length check and a memcmp on our own table rather than tree-sitter's alias and
// metadata lookups and a strncmp (syntax::is runs millions of times on a big project).
struct SymbolName {
  const char* name = "";
  uint32_t size = 0;
  bool named = false;
};
struct SymbolNames {
  std::vector<SymbolName> by_symbol;  // indexed by TSSymbol, for symbols below the count
  // Field ids by name, bucketed by length (field() is called with a name each time).
  std::vector<std::vector<std::pair<const char*, TSFieldId>>> fields_by_size;
  TSFieldId field_id(std::string_view name) const;
  // A number per distinct name of a named symbol (several symbols may share a name), 0 for
  // anonymous ones: kind_of_symbol[s] == kind_id("call") tests a kind with one compare.
  std::vector<uint16_t> kind_of_symbol;
  std::vector<std::string_view> kind_names;  // kind id -> name (kind_names[0] is "")
  // kNoKind for a name no named symbol has (it equals no node's kind id).
  static constexpr uint16_t kNoKind = UINT16_MAX;
  uint16_t kind_id(std::string_view name) const;
};
const SymbolNames& symbol_names();

// Parsing a file stops after this long; a file that takes longer is reported, not fixed.
// The largest real source files met (750 KB of generated code) parse in under 0.1 s; a 15 MB
// data literal takes 9 s and 1.4 GB. A run spends this at most once per file: the project
// index remembers the files it gave up on (ProjectIndex::gave_up_on) and the check skips them.
constexpr uint32_t kDefaultParseTimeoutMs = 2000;

class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* tree) : tree_(tree) {}
  ~Tree();
  Tree(Tree&& o) noexcept : tree_(std::exchange(o.tree_, nullptr)) {}
  Tree& operator=(Tree&& o) noexcept;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  TSNode root() const { return ts_tree_root_node(tree_); }
  TSTree* get() const { return tree_; }
  explicit operator bool() const { return tree_ != nullptr; }

 private:
  TSTree* tree_ = nullptr;
};

class Parser {
 public:
  Parser();
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses Python text. Fails (Error::Kind::Parse) when parsing takes longer than timeout_ms.
  Expected<Tree> parse(std::string_view text, uint32_t timeout_ms = kDefaultParseTimeoutMs);

 private:
  TSParser* parser_;
};

// A parser that remembers the trees of the last texts it parsed: the fix pipeline parses the
// same text more than once (a pass's fixed text, again to find the locals the fixes left
// unread, again at the start of the next pass, again to wrap the lines the fixes wrote), and a
// copy of a tree (ts_tree_copy) costs a reference count, not a parse. Texts that failed to
// parse are not remembered.
class ParseMemo {
 public:
  explicit ParseMemo(Parser& parser) : parser_(parser) {}
  Expected<Tree> parse(std::string_view text, uint32_t timeout_ms = kDefaultParseTimeoutMs);
  size_t parses() const { return parses_; }  // how many times the parser itself ran
  size_t hits() const { return hits_; }

 private:
  struct Entry {
    std::string text;
    Tree tree;
  };
  Parser& parser_;
  Entry entries_[2];
  size_t next_ = 0;  // the entry the next new text replaces
  size_t parses_ = 0, hits_ = 0;
};

// One step of a text predicate, as tree-sitter stores it: a capture or a string.
struct PredicateArg {
  bool is_capture = false;
  uint32_t capture = 0;     // when is_capture
  std::string_view text;    // when !is_capture
};
struct Predicate {
  std::string_view name;    // "eq?", "match?", "af-qualname?", ...
  std::vector<PredicateArg> args;
};

class Query {
 public:
  // Compiles a query. On failure the error's location is line:col inside source (the
  // caller adds the file).
  static Expected<Query> compile(std::string_view source);

  Query() = default;
  ~Query();
  Query(Query&& o) noexcept : query_(std::exchange(o.query_, nullptr)) {}
  Query& operator=(Query&& o) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  TSQuery* get() const { return query_; }
  uint32_t pattern_count() const { return ts_query_pattern_count(query_); }
  uint32_t capture_count() const { return ts_query_capture_count(query_); }
  std::string_view capture_name(uint32_t id) const;
  std::optional<uint32_t> capture_index(std::string_view name) const;
  // The text predicates of one pattern (the C core evaluates none of them).
  std::vector<Predicate> predicates(uint32_t pattern_index) const;
  // Byte offset where a pattern starts in the query source.
  uint32_t pattern_start(uint32_t pattern_index) const {
    return ts_query_start_byte_for_pattern(query_, pattern_index);
  }

 private:
  TSQuery* query_ = nullptr;
};

class QueryCursor {
 public:
  QueryCursor();
  ~QueryCursor();
  QueryCursor(const QueryCursor&) = delete;
  QueryCursor& operator=(const QueryCursor&) = delete;

  // Starts matching query over node's subtree. max_start_depth 0 matches only at node.
  void exec(const Query& query, TSNode node,
            uint32_t max_start_depth = UINT32_MAX);
  bool next_match(TSQueryMatch* match) { return ts_query_cursor_next_match(cursor_, match); }
  bool exceeded_match_limit() const { return ts_query_cursor_did_exceed_match_limit(cursor_); }

 private:
  TSQueryCursor* cursor_;
};

// Walks a subtree without recursion (files can nest thousands of levels deep). Over a tree
// with an installed NodeTable it steps through the table instead of tree-sitter's cursor.
class TreeCursor {
 public:
  explicit TreeCursor(TSNode node) { reset(node); }
  ~TreeCursor() {
    if (raw_) ts_tree_cursor_delete(&cursor_);
  }
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;

  TSNode node() const { return table_ ? table_->node(cur_) : ts_tree_cursor_current_node(&cursor_); }
  const char* field_name() const {
    if (!table_) return ts_tree_cursor_current_field_name(&cursor_);
    return cur_ == root_ ? nullptr : table_->field_name(cur_);
  }
  bool first_child() {
    if (!table_) return ts_tree_cursor_goto_first_child(&cursor_);
    if (table_->end(cur_) == cur_ + 1) return false;
    ++cur_;
    return true;
  }
  bool next_sibling() {
    if (!table_) return ts_tree_cursor_goto_next_sibling(&cursor_);
    if (cur_ == root_) return false;
    uint32_t next = table_->end(cur_);
    if (next >= table_->end(table_->parent(cur_))) return false;
    cur_ = next;
    return true;
  }
  bool parent() {
    if (!table_) return ts_tree_cursor_goto_parent(&cursor_);
    if (cur_ == root_) return false;
    cur_ = table_->parent(cur_);
    return true;
  }
  void reset(TSNode node);

 private:
  const NodeTable* table_ = nullptr;
  uint32_t root_ = 0, cur_ = 0;
  bool raw_ = false;  // cursor_ was made
  TSTreeCursor cursor_{};
};

}  // namespace asyncfix::syntax
