// AF107 blocking-input: `input()` and known CPU-heavy calls inside `async def`.
#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "transforms/blocking_rule.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

RuleInfo make_info(const RuleSettings& settings) {
  RuleInfo i = builtin_info("AF107");
  for (const auto& extra : settings.extra_blocking_calls) {
    std::string last = extra.substr(extra.rfind('.') == std::string::npos ? 0 : extra.rfind('.') + 1);
  }
  return i;
}

class BlockingInput : public BlockingCallRule {
 public:
  explicit BlockingInput(const RuleSettings& settings) : BlockingCallRule(make_info(settings)), settings_(settings) {}
  void register_matchers(MatcherRegistry& registry) const override {
    CallPattern calls;
    calls.filter = CallPattern::Names::AttributesOnly;
    for (const auto& n : blocking_call_names("AF107", &settings_)) calls.names.push_back(n);
    registry.add_calls(std::move(calls));
  }

 protected:
  std::string message(const BlockingHit& hit) const override {
    bool io = hit.api == "input" || hit.api == "getpass.getpass";
    return "`" + hit.api + "()` " + (io ? "waits for input" : "is CPU-heavy") + " and blocks the event loop inside `async def`";
  }
  void add_fix(TSNode call, const BlockingHit&, FileContext& ctx, Finding& f) const override {
    if (inside_generator_expression(call)) return;
    f.fix = to_thread_fix(ctx, call, info_.fix_title, Applicability::Safe);
  }

 private:
  RuleSettings settings_;
};

}  // namespace

RulePtr make_blocking_input(const RuleSettings& settings) { return std::make_shared<BlockingInput>(settings); }

}  // namespace asyncfix::rules
