// Every enabled rule's node patterns, matched by node symbol in one walk of a file's node
// table, and its queries compiled into ONE tree-sitter query, run only when an active rule
// has one (tree-sitter's query cursor costs about as much as the parse on a big file); plus
// the text predicates the C core leaves to us, and the literal prefilter that decides which
// files are worth parsing at all.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/expected.h"
#include "engine/match/match_input.h"
#include "engine/match/predicates.h"
#include "engine/rule/rule.h"
#include "engine/syntax/ts.h"

namespace asyncfix {

using PredicateInput = MatchInput;

class MatcherSet {
 public:
  // Compiles the queries of `rules` (in order). A query that does not compile is an error
  // naming the rule and the place in its query.
  static Expected<std::unique_ptr<MatcherSet>> build(const std::vector<RulePtr>& rules);
  ~MatcherSet();

  const syntax::Query& query() const { return query_; }
  const std::vector<RulePtr>& rules() const { return rules_; }

  struct Entry {
    uint32_t rule = 0;      // index into rules()
    uint32_t local_id = 0;  // the id the rule registered the query with
  };
  const Entry& entry(uint32_t pattern_index) const { return entries_[pattern_index]; }

  // Do the text predicates of this match hold?
  bool predicates_hold(const TSQueryMatch& m, const PredicateInput& in) const;

  // Node patterns: what add_calls registered, and the queries that are only a node kind and
  // a capture (`((call) @call)`, a rule file's `kind:`). They are matched in one walk of the
  // file's nodes, by symbol, not by the query cursor.
  struct NodePattern {
    uint32_t rule = 0, local_id = 0;
    std::string capture;
    bool is_call = false;  // a CallPattern (else any node of the kind)
    CallPattern call;
  };
  // The node patterns for nodes of this symbol (in registration order), or null.
  const std::vector<uint32_t>* node_patterns(TSSymbol symbol) const {
    return symbol < by_symbol_.size() && !by_symbol_[symbol].empty() ? &by_symbol_[symbol] : nullptr;
  }
  const NodePattern& node_pattern(uint32_t i) const { return node_patterns_[i]; }
  bool has_node_patterns() const { return !node_patterns_.empty(); }
  // Does node (of its pattern's kind) match node pattern i?
  bool node_pattern_matches(uint32_t i, TSNode node, std::string_view text) const;
  // Does the query hold a pattern of an active rule (else it need not run)?
  bool query_needed(const std::vector<bool>& active) const;

  // Adds prefilter literals to rule `rule` (an index into rules()). With whole_words, a
  // literal counts only as a whole word (a project name: `client` is not in `httpclient`).
  Status add_triggers(uint32_t rule, const std::vector<std::string>& literals, bool whole_words = false);

  // Which rules can fire on this text: active[i] for rules()[i]. A rule without triggers is
  // always active. Returns false when none is (the file need not be parsed).
  bool active_rules(std::string_view text, std::vector<bool>* active) const;

 private:
  struct TriggerSet;  // an RE2::Set (a nested class: it cannot be forward-declared)
  MatcherSet() = default;

  syntax::Query query_;
  std::vector<RulePtr> rules_;
  std::vector<Entry> entries_;
  std::vector<NodePattern> node_patterns_;
  std::vector<std::vector<uint32_t>> by_symbol_;  // TSSymbol -> node patterns
  QueryPredicates predicates_;
  // Prefilter: one RE2::Set over every distinct trigger literal.
  std::unique_ptr<TriggerSet> trigger_set_;
  std::vector<std::vector<uint32_t>> trigger_rules_;  // trigger index -> rules it activates
  std::vector<std::string> trigger_literals_;         // trigger index -> its literal
  std::vector<bool> always_active_;
  // every trigger literal -> rules; a whole-word literal is kept as kWholeWord + the word
  std::map<std::string, std::vector<uint32_t>> literals_;
  static constexpr char kWholeWord = '\x01';
  std::vector<std::vector<std::string>> required_;           // per rule: literals it needs all of
  Status compile_triggers();
};

}  // namespace asyncfix
