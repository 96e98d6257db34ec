// What a rule sees of one match of a query it registered, and where it registers its
// queries. The run compiles every rule's queries into one (run/matcher_set.h); a Match
// names its captures through that query.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/syntax/ts.h"

namespace asyncfix {

// One query pattern a rule registered, and the captures of one match of it.
class Match {
 public:
  Match(const TSQueryMatch& m, uint32_t local_id, const syntax::Query& query)
      : m_(m), id_(local_id), query_(query) {}
  // The id the rule gave this query when it registered it.
  uint32_t id() const { return id_; }
  // The node captured under `name` (the first, for a quantified capture), or a null node.
  TSNode capture(std::string_view name) const;
  // Every node captured under `name`, in order.
  std::vector<TSNode> captures(std::string_view name) const;
  // Every capture of the match with its name.
  std::vector<std::pair<std::string_view, TSNode>> all_captures() const;
  const TSQueryMatch& raw() const { return m_; }

 private:
  const TSQueryMatch& m_;
  uint32_t id_;
  const syntax::Query& query_;  // the query the match is of (its capture names)
};

// Where a rule registers what it wants matched.
class MatcherRegistry {
 public:
  virtual ~MatcherRegistry() = default;
  // A tree-sitter query (one or more patterns). Engine predicates are available:
  // #eq? #not-eq? #match? #not-match? #any-of? #not-any-of? (text), and
  // (#af-qualname? @cap "time.sleep" ...) the capture's qualified name through imports.
  // All patterns of the query report `local_id`.
  virtual void add_query(std::string query_source, uint32_t local_id = 0) = 0;
};

}  // namespace asyncfix
