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
      : m_(&m), id_(local_id), query_(&query) {}
  // A match of a node pattern (MatcherRegistry::add_calls, or a query that is only a node
  // kind and a capture): the one node, captured under `capture_name`.
  Match(TSNode node, std::string_view capture_name, uint32_t local_id)
      : id_(local_id), node_(node), node_capture_(capture_name) {}
  // The id the rule gave this query when it registered it.
  uint32_t id() const { return id_; }
  // The node captured under `name` (the first, for a quantified capture), or a null node.
  TSNode capture(std::string_view name) const;
  // Every node captured under `name`, in order.
  std::vector<TSNode> captures(std::string_view name) const;
  // Every capture of the match with its name.
  std::vector<std::pair<std::string_view, TSNode>> all_captures() const;

 private:
  const TSQueryMatch* m_ = nullptr;  // null for a node pattern's match
  uint32_t id_;
  const syntax::Query* query_ = nullptr;  // the query the match is of (its capture names)
  TSNode node_{};                  // a node pattern's node...
  std::string_view node_capture_;  // ...and its capture name
};

// What add_calls matches: call nodes, chosen by the name they call. The name of a call is
// the callee when it is a plain name (`sleep(...)`), or the attribute when it is an
// attribute (`time.sleep(...)`, `self.client.get(...)`); other callees (`f()()`, `xs[0]()`)
// have none.
struct CallPattern {
  enum class Names {
    Any,             // every call, whatever its callee
    AttributesOnly,  // a plain-name callee always matches (an import alias hides the name);
                     // an attribute callee matches when its name is in `names`
    Both,            // a plain-name or attribute callee whose name is in `names`
  };
  Names filter = Names::Any;
  std::vector<std::string> names;
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
  // Call nodes, captured as "call", chosen by name (CallPattern): matched in the engine's one
  // walk of the file's node table by the node's symbol, without tree-sitter's query cursor
  // (which costs as much as the parse on a big file). `((call) @call)` as a query means the
  // same, and is run the same way.
  virtual void add_calls(CallPattern pattern, uint32_t local_id = 0) = 0;
};

}  // namespace asyncfix
