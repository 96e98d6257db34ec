// AF202 await-outside-async: `await` in a plain `def` -> make it `async def`, and propagate:
// its callers await it and become async in turn, across the project.
#include "engine/match/rule_tree.h"
#include "engine/project/project.h"
#include "engine/rule/context.h"
#include "engine/syntax/compile_check.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class AwaitOutsideAsync : public Rule {
 public:
  AwaitOutsideAsync() {
    info_ = builtin_info("AF202");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {"await"}; }

  std::shared_ptr<const ProjectPlan> prepare_project(ProjectIndex& index, int jobs) const override {
    std::vector<std::string> seeds;
    for (const auto& [mname, m] : index.modules()) {
      for (const auto& [fname, f] : m.functions) {
        if (f.sync_with_await) seeds.push_back(f.qualname);
      }
    }
    return std::make_shared<AsyncPlan>(index.plan_async(seeds, jobs));
  }

  std::vector<std::string> project_triggers(const ProjectIndex& index, const ProjectPlan* plan) const override {
    std::vector<std::string> names;
    const auto* async_plan = dynamic_cast<const AsyncPlan*>(plan);
    if (!async_plan) return names;
    for (const auto& [q, why] : async_plan->make_async) names.push_back(q.substr(q.rfind('.') + 1));
    return names;
  }

  void check_file(FileContext& ctx) const override {
    const ProjectIndex* index = ctx.project();
    const AsyncPlan* plan = index ? ctx.plan_as<AsyncPlan>() : nullptr;
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    // What Python refuses: an `await`, `async with`, `async for` or async comprehension
    // outside an `async def` (an `await` in a generator expression is fine anywhere).
    for (const auto& e : ctx.compile_errors()) {
      if (!e.is_async_outside_async()) continue;
      Finding& f = ctx.report_range(e.begin, e.end, message_of(e));
      TSNode fn = e.where;
      if (!is(fn, "function_definition")) {
        f.note = "only a function can be made async here";
        continue;
      }
      std::string q = ProjectIndex::function_qualname(ctx.module_name(), fn, src);
      if (plan && plan->has(q)) {
        f.fix = make_async_fix(fn, "Make `" + std::string(text(field(fn, "name"), src)) + "` async");
      } else if (plan && plan->blocked.count(q)) {
        f.note = "it cannot become async: ";
        for (const auto& r : plan->blocked.at(q)) f.trace.push_back(r);
        f.note += "a caller cannot await it (see below)";
      }
    }
    if (!plan || plan->make_async.empty()) return;
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (is(n, "function_definition") && !syntax::is_async_def(n)) {
        std::string q = ProjectIndex::function_qualname(ctx.module_name(), n, src);
        auto it = plan->make_async.find(q);
        const FunctionSummary* s = index->function(q);
        if (it != plan->make_async.end() && s && !s->sync_with_await) {
          Finding& f = ctx.report(field(n, "name"), "`" + std::string(text(field(n, "name"), src)) +
                                                        "` must become async: it " + it->second);
          f.fix = make_async_fix(n, "Make `" + std::string(text(field(n, "name"), src)) + "` async");
        }
        return true;
      }
      if (is(n, "call") && !is_awaited(n)) {
        std::string q = ProjectIndex::resolve_callee(n, model, &ctx.types());
        if (q.empty()) return true;
        const FunctionSummary* s = index->function(q);
        if (!s || !plan->has(s->qualname)) return true;
        TSNode fn = model.enclosing_function(n);
        if (!is(fn, "function_definition")) return true;
        std::string caller = ProjectIndex::function_qualname(ctx.module_name(), fn, src);
        if (!syntax::is_async_def(fn) && !plan->has(caller)) return true;
        if (model.context_at(n) == semantic::Context::Lambda) return true;
        Finding& f = ctx.report(n, "`" + std::string(text(field(n, "function"), src)) +
                                       "()` becomes a coroutine: the call must be awaited");
        f.fix = await_fix(ctx, n, "Await the call", Applicability::Safe);
      }
      return true;
    });
  }

 private:
  static std::string message_of(const syntax::CompileError& e) {
    using K = syntax::CompileError::Kind;
    switch (e.kind) {
      case K::AwaitOutsideAsync: return {};  // the rule's message
      case K::AwaitOutsideFunction: return "`await` outside a function is a SyntaxError";
      case K::AsyncWithOutsideAsync: return "`async with` outside an `async def` is a SyntaxError";
      case K::AsyncForOutsideAsync: return "`async for` outside an `async def` is a SyntaxError";
      default: return "an asynchronous comprehension outside an `async def` is a SyntaxError";
    }
  }
  Fix make_async_fix(TSNode fn, std::string title) const {
    Fix fix;
    fix.title = std::move(title);
    fix.applicability = Applicability::Safe;
    fix.edits.push_back(Edit{ts_node_start_byte(fn), ts_node_start_byte(fn), "async "});
    return fix;
  }
  RuleInfo info_;
};

}  // namespace

RulePtr make_await_outside_async() { return std::make_shared<AwaitOutsideAsync>(); }

}  // namespace asyncfix::rules
