// Loading the rule set a command runs with: built-ins, --rules directories, --select/--ignore.
#pragma once

#include <vector>

#include "cli/options.h"
#include "engine/base/expected.h"
#include "engine/rule/rule.h"
#include "engine/rule/settings.h"

namespace asyncfix::cli {

// All rules known (built-in C++ transforms, built-in patterns, the user's rule files), in id
// order. A broken rule file is an error naming file:line:col.
Expected<std::vector<RulePtr>> load_all_rules(const RuleOptions& options, const RuleSettings& settings = {});

// The rules to run: all, narrowed by --select, minus --ignore (ids, id prefixes like AF1, or
// names). An unknown selector is an error.
Expected<std::vector<RulePtr>> select_rules(std::vector<RulePtr> all, const RuleOptions& options);

}  // namespace asyncfix::cli
