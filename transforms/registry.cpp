#include "transforms/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "engine/yaml/yaml_rule.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

const RuleSidecar& builtin_sidecar(std::string_view id) {
  static const std::map<std::string, RuleSidecar, std::less<>> sidecars = [] {
    std::map<std::string, RuleSidecar, std::less<>> m;
    for (const EmbeddedFile& f : embedded_sidecars()) {
      auto sc = load_sidecar_text(std::string(f.path), f.content);
      if (!sc) {
        std::fprintf(stderr, "asyncfix: internal error: %s\n", sc.error().to_string().c_str());
        std::abort();
      }
      std::string key = sc->info.id;
      m.emplace(std::move(key), std::move(sc).value());
    }
    return m;
  }();
  auto it = sidecars.find(id);
  if (it == sidecars.end()) {
    std::fprintf(stderr, "asyncfix: internal error: no sidecar transforms/%.*s_*.yml\n", static_cast<int>(id.size()), id.data());
    std::abort();
  }
  return it->second;
}

// The C++ transforms, one per rule that needs code (see ARCHITECTURE.md's catalogue). Rules
// the rule language can say live in patterns/ instead.
std::vector<RulePtr> builtin_transforms(const RuleSettings& settings) {
  return {
      make_syntax_error(),
      make_unused_suppression(),
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
    auto r = load_rule_text(std::string(f.path), f.content, "built-in");
    if (!r) return r.error();
    all.push_back(std::move(r).value());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RulePtr& a, const RulePtr& b) { return a->info().id < b->info().id; });
  return all;
}

}  // namespace asyncfix::rules
