// RAII owners for tree-sitter handles. Nothing outside engine/syntax/ deletes a ts handle.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/expected.h"

namespace asyncfix::syntax {

// The tree-sitter-python language (checked against the core's ABI once).
const TSLanguage* python();

// Parsing a file stops after this long; a file that takes longer is reported, not fixed.
constexpr uint32_t kDefaultParseTimeoutMs = 10000;

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

// Walks a subtree without recursion (files can nest thousands of levels deep).
class TreeCursor {
 public:
  explicit TreeCursor(TSNode node) : cursor_(ts_tree_cursor_new(node)) {}
  ~TreeCursor() { ts_tree_cursor_delete(&cursor_); }
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;

  TSNode node() const { return ts_tree_cursor_current_node(&cursor_); }
  const char* field_name() const { return ts_tree_cursor_current_field_name(&cursor_); }
  bool first_child() { return ts_tree_cursor_goto_first_child(&cursor_); }
  bool next_sibling() { return ts_tree_cursor_goto_next_sibling(&cursor_); }
  bool parent() { return ts_tree_cursor_goto_parent(&cursor_); }
  void reset(TSNode node) { ts_tree_cursor_reset(&cursor_, node); }

 private:
  TSTreeCursor cursor_;
};

}  // namespace asyncfix::syntax
