// Rule selectors, as --select, --ignore and a configuration's select, ignore and
// per-file-ignores write them: ids, id prefixes ("AF1") or names; ALL selects every rule.
#pragma once

#include <string>
#include <vector>

#include "engine/rule/rule.h"

namespace asyncfix {

// Does `selector` name the rule `info`?
bool selects(const std::string& selector, const RuleInfo& info);

// The ids of the rules that selectors (ids, prefixes, names) name among `rules`.
std::vector<std::string> expand_selectors(const std::vector<RulePtr>& rules, const std::vector<std::string>& selectors);

}  // namespace asyncfix
