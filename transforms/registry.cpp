#include "transforms/registry.h"

#include <algorithm>

#include "engine/yaml/yaml_rule.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

// The C++ transforms, one per rule that needs code (see ARCHITECTURE.md's catalogue). Rules
// the rule language can say live in patterns/ instead.
std::vector<RulePtr> builtin_transforms(const RuleSettings& settings) {
  return {
      make_blocking_http(),
      make_blocking_open(),
      make_blocking_fs(),
      make_blocking_subprocess(),
      make_sync_db_driver(),
      make_blocking_input(settings),
      make_blocking_via_helper(settings),
      make_missing_await(),
      make_await_outside_async(),
      make_query_to_select(),
      make_sync_session_dependency(settings),
      make_async_session_migration(settings),
      make_pool_acquire_leak(),
      make_client_without_timeout(settings),
      make_dangling_task(),
      make_unbounded_gather(settings),
      make_sequential_awaits(),
      make_swallowed_cancellation(),
      make_on_event_lifespan(settings),
      make_long_work_in_handler(settings),
  };
}

Expected<std::vector<RulePtr>> builtin_rules(const RuleSettings& settings) {
  std::vector<RulePtr> all = builtin_transforms(settings);
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
