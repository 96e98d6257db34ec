#include "transforms/registry.h"

#include <algorithm>

#include "transforms/AF101_blocking_sleep.h"

namespace asyncfix::rules {

std::vector<RulePtr> builtin_transforms() {
  return {
      std::make_shared<BlockingSleep>(),
  };
}

std::vector<RulePtr> builtin_rules() {
  std::vector<RulePtr> all = builtin_transforms();
  std::stable_sort(all.begin(), all.end(),
                   [](const RulePtr& a, const RulePtr& b) { return a->info().id < b->info().id; });
  return all;
}

}  // namespace asyncfix::rules
