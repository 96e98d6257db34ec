#include "cli/rules_loader.h"

#include <algorithm>
#include <map>

#include "engine/run/rule_selectors.h"
#include "engine/yaml/yaml_rule.h"
#include "transforms/registry.h"

namespace asyncfix::cli {

Expected<std::vector<RulePtr>> load_all_rules(const RuleOptions& options, const RuleSettings& settings) {
  auto builtin = rules::builtin_rules(settings);
  if (!builtin) return builtin.error();
  std::vector<RulePtr> all = std::move(builtin).value();
  for (const auto& dir : options.rules_dirs) {
    auto loaded = load_rule_dir(dir);
    if (!loaded) return loaded.error();
    for (auto& r : *loaded) all.push_back(r);
  }
  // Ids and names are unique: a rule file cannot silently shadow another.
  std::map<std::string, const RuleInfo*> ids, names;
  for (const auto& r : all) {
    const RuleInfo& i = r->info();
    if (auto it = ids.find(i.id); it != ids.end()) {
      return make_error(Error::Kind::Rule, "rule id " + i.id + " is already used by " + it->second->origin,
                        {i.origin});
    }
    if (auto it = names.find(i.name); it != names.end()) {
      return make_error(Error::Kind::Rule, "rule name " + i.name + " is already used by " + it->second->id + " (" +
                                               it->second->origin + ")",
                        {i.origin});
    }
    ids[i.id] = &i;
    names[i.name] = &i;
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RulePtr& a, const RulePtr& b) { return a->info().id < b->info().id; });
  return all;
}

Expected<std::vector<RulePtr>> select_rules(std::vector<RulePtr> all, const RuleOptions& options) {
  for (const auto* list : {&options.select, &options.ignore}) {
    for (const auto& sel : *list) {
      bool known = std::any_of(all.begin(), all.end(), [&](const RulePtr& r) { return selects(sel, r->info()); });
      if (!known) return make_error(Error::Kind::Usage, "unknown rule selector '" + sel + "'");
    }
  }
  std::vector<RulePtr> out;
  for (auto& r : all) {
    bool in = options.select.empty() || r->info().always_selected ||
              std::any_of(options.select.begin(), options.select.end(), [&](const auto& s) { return selects(s, r->info()); });
    bool out_ = std::any_of(options.ignore.begin(), options.ignore.end(), [&](const auto& s) { return selects(s, r->info()); });
    if (in && !out_) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace asyncfix::cli
