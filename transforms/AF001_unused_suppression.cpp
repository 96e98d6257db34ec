// AF001 unused-suppression: a suppression comment (`# noqa: AF101`, `# asyncfix: ignore[...]`)
// that suppresses nothing. Its findings are made by the engine itself (engine/run/suppress.h,
// which knows which suppressions were used) when the run asks for them
// (--report-unused-suppressions); this is its entry in the catalogue, for `rules`, `explain`,
// the docs and SARIF's rule table. It never makes a file be parsed on its own.
#include "engine/rule/context.h"
#include "transforms/registry.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

class UnusedSuppression : public Rule {
 public:
  UnusedSuppression() { info_ = builtin_info("AF001"); }
  const RuleInfo& info() const override { return info_; }
  bool may_fire(TSNode, std::string_view) const override { return false; }

 private:
  RuleInfo info_;
};

}  // namespace

RulePtr make_unused_suppression() { return std::make_unique<UnusedSuppression>(); }

}  // namespace asyncfix::rules
