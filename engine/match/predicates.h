// The text predicates of a tree-sitter query, which the C core leaves to the host:
//   #eq? #not-eq? #match? #not-match? (RE2) #any-of? #not-any-of?   (any- prefixed variants:
//   any captured node may satisfy them), and ours:
//   (#af-qualname? @cap "time.sleep" ...)  the capture names one of these (through imports).
#pragma once

#include <memory>
#include <vector>

#include "engine/base/expected.h"
#include "engine/match/match_input.h"
#include "engine/syntax/ts.h"

namespace asyncfix {

class QueryPredicates {
 public:
  // Compiles the predicates of every pattern of `query`. Unknown predicates and regexes RE2
  // refuses are errors.
  static Expected<QueryPredicates> compile(const syntax::Query& query);
  QueryPredicates();
  ~QueryPredicates();
  QueryPredicates(QueryPredicates&&) noexcept;
  QueryPredicates& operator=(QueryPredicates&&) noexcept;

  bool hold(const syntax::Query& query, const TSQueryMatch& m, const MatchInput& in) const;

 private:
  struct Compiled;
  std::vector<std::vector<Compiled>> per_pattern_;
};

}  // namespace asyncfix
