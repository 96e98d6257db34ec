#include "engine/run/rule_selectors.h"

#include <algorithm>

namespace asyncfix {

bool selects(const std::string& sel, const RuleInfo& info) {
  if (sel == "ALL" || sel == "all") return true;
  if (sel == info.name) return true;
  return info.id.rfind(sel, 0) == 0;  // "AF1" selects AF101..AF108
}

std::vector<std::string> expand_selectors(const std::vector<RulePtr>& rules, const std::vector<std::string>& selectors) {
  std::vector<std::string> out;
  for (const auto& r : rules) {
    if (std::any_of(selectors.begin(), selectors.end(), [&](const auto& s) { return selects(s, r->info()); }))
      out.push_back(r->info().id);
  }
  return out;
}

}  // namespace asyncfix
