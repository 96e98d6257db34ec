// asyncfix rules / asyncfix explain RULE
#include <fmt/core.h>

#include "cli/options.h"
#include "cli/rules_loader.h"
#include "engine/rule/docs.h"

namespace asyncfix::cli {

int run_rules(const RuleOptions& options) {
  auto all = load_all_rules(options);
  if (!all) {
    fmt::print(stderr, "asyncfix: error: {}\n", all.error().to_string());
    return 2;
  }
  auto rules = select_rules(std::move(all).value(), options);
  if (!rules) {
    fmt::print(stderr, "asyncfix: error: {}\n", rules.error().to_string());
    return 2;
  }
  for (const auto& r : *rules) {
    const RuleInfo& i = r->info();
    const char* fix = !i.fixable ? "   " : !i.fixed_by.empty() ? "mig" : i.applicability == Applicability::Safe ? "fix" : "fix*";
    fmt::print("{:<6} {:<30} {}  {:<4}  {}\n", i.id, i.name, to_string(i.severity), fix, i.message);
  }
  fmt::print("\nfix: has a safe fix; fix*: its fix is unsafe (--unsafe-fixes); mig: fixed only by `asyncfix migrate`.\n");
  return 0;
}

int run_explain(const ExplainOptions& options) {
  auto all = load_all_rules(options.rules);
  if (!all) {
    fmt::print(stderr, "asyncfix: error: {}\n", all.error().to_string());
    return 2;
  }
  for (const auto& r : *all) {
    if (r->info().id == options.rule || r->info().name == options.rule) {
      fmt::print("{}", render_rule_markdown(r->info()));
      return 0;
    }
  }
  fmt::print(stderr, "asyncfix: error: unknown rule '{}' (see `asyncfix rules`)\n", options.rule);
  return 2;
}

}  // namespace asyncfix::cli
