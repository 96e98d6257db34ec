#include "transforms/blocking_rule.h"

#include <algorithm>
#include <set>

#include "engine/rule/context.h"
#include "engine/semantic/library_model.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

BlockingCallRule::BlockingCallRule(RuleInfo info) : info_(std::move(info)) {
  const auto& current = semantic::LibraryModel::current();
  const auto& builtin = semantic::LibraryModel::builtin();
  if (&current == &builtin) return;
  for (const auto& root : current.modules_not_in(builtin)) {
    if (std::find(info_.triggers.begin(), info_.triggers.end(), root) == info_.triggers.end()) info_.triggers.push_back(root);
  }
}

// Attribute calls are filtered by the method name (add_calls); plain names are not (an
// import alias such as `from os.path import exists as path_exists` hides the name).
void BlockingCallRule::register_matchers(MatcherRegistry& registry) const {
  CallPattern calls;
  calls.filter = CallPattern::Names::AttributesOnly;
  for (const auto& n : blocking_call_names(info_.id)) calls.names.push_back(n);
  registry.add_calls(std::move(calls));
}

std::string BlockingCallRule::message(const BlockingHit& hit) const {
  return "`" + hit.api + "()` blocks the event loop inside `async def`";
}

void BlockingCallRule::on_match(const Match& match, FileContext& ctx) const {
  TSNode call = match.capture("call");
  if (!ctx.model().inside_async(call)) return;
  auto hit = classify_blocking(call, ctx.model(), ctx.types(), &ctx.settings());
  if (!hit || hit->rule != info_.id || exempt(call, *hit, ctx)) return;
  Finding& f = ctx.report(call, message(*hit));
  add_fix(call, *hit, ctx, f);
}

}  // namespace asyncfix::rules
