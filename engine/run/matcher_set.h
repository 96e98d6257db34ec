// Every enabled rule's queries compiled into ONE tree-sitter query, so a file is matched by
// all rules in a single walk; plus the text predicates the C core leaves to us, and the
// literal prefilter that decides which files are worth parsing at all.
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
