#include "cli/rules_loader.h"

#include <algorithm>

#include "transforms/registry.h"

namespace asyncfix::cli {

Expected<std::vector<RulePtr>> load_all_rules(const RuleOptions& options) {
  return rules::builtin_rules();
}

namespace {
bool selects(const std::string& sel, const RuleInfo& info) {
  if (sel == "ALL" || sel == "all") return true;
  if (sel == info.name) return true;
  return info.id.rfind(sel, 0) == 0;  // "AF1" selects AF101..AF108
}
}  // namespace

Expected<std::vector<RulePtr>> select_rules(std::vector<RulePtr> all, const RuleOptions& options) {
  for (const auto* list : {&options.select, &options.ignore}) {
    for (const auto& sel : *list) {
      bool known = std::any_of(all.begin(), all.end(), [&](const RulePtr& r) { return selects(sel, r->info()); });
      if (!known) return make_error(Error::Kind::Usage, "unknown rule selector '" + sel + "'");
    }
  }
  std::vector<RulePtr> out;
  for (auto& r : all) {
    bool in = options.select.empty() ||
              std::any_of(options.select.begin(), options.select.end(), [&](const auto& s) { return selects(s, r->info()); });
    bool out_ = std::any_of(options.ignore.begin(), options.ignore.end(), [&](const auto& s) { return selects(s, r->info()); });
    if (in && !out_) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace asyncfix::cli
