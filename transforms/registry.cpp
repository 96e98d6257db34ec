#include "transforms/registry.h"

#include <algorithm>

#include "engine/rule/yaml_rule.h"

namespace asyncfix::rules {

// The C++ transforms, one per rule that needs code (see ARCHITECTURE.md's catalogue). Rules
// the rule language can say live in patterns/ instead.
std::vector<RulePtr> builtin_transforms() {
  return {};
}

Expected<std::vector<RulePtr>> builtin_rules() {
  std::vector<RulePtr> all = builtin_transforms();
  for (const EmbeddedFile& f : embedded_patterns()) {
    auto r = load_rule_text(std::string(f.path), f.content);
    if (!r) return r.error();
    all.push_back(std::move(r).value());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RulePtr& a, const RulePtr& b) { return a->info().id < b->info().id; });
  return all;
}

}  // namespace asyncfix::rules
