#pragma once

#include "engine/rule/rule.h"

namespace asyncfix::rules {

// AF101 blocking-sleep: `time.sleep(...)` inside `async def` -> `await asyncio.sleep(...)`.
class BlockingSleep : public Rule {
 public:
  BlockingSleep();
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override;
  void on_match(const Match& match, FileContext& ctx) const override;

 private:
  RuleInfo info_;
};

}  // namespace asyncfix::rules
