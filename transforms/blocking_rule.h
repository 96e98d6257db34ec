// The shape shared by the rules that report a blocking call inside `async def` (AF102-AF107):
// one query filtered by the names of the rule's APIs, the catalogue lookup, the coroutine
// check, the finding; each rule then builds its own fix.
#pragma once

#include "engine/rule/rule.h"
#include "engine/source/triggers.h"
#include "transforms/blocking_catalog.h"

namespace asyncfix::rules {

class BlockingCallRule : public Rule {
 public:
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override;
  void on_match(const Match& match, FileContext& ctx) const override;
  // Receivers' types come from other modules too (a session factory of database.py, a class
  // attribute of models.py).
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {kAsyncDefTrigger}; }

 protected:
  // The triggers of the rule file, and the top-level modules of the user's library-model
  // entries (a file that calls `mysdk.fetch` or holds a session from `mysdk.session_scope` may
  // name neither requests nor Session).
  explicit BlockingCallRule(RuleInfo info);
  // Called for each blocking call of this rule inside a coroutine, after it is reported.
  virtual void add_fix(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& finding) const = 0;
  // A call of the catalogue that does not block where it is (default: none).
  virtual bool exempt(TSNode call, const BlockingHit& hit, FileContext& ctx) const { return false; }
  // The finding's message (default: "`api()` blocks the event loop inside `async def`").
  virtual std::string message(const BlockingHit& hit) const;

  RuleInfo info_;
};

}  // namespace asyncfix::rules
