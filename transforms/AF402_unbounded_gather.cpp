// AF402 unbounded-gather: asyncio.gather over a collection of any size runs all of it at once.
//
//   await asyncio.gather(*[fetch(i) for i in ids])
//     -> await _bounded_gather(10, *[fetch(i) for i in ids])
//
// with, once per module, a helper that runs at most `limit` of the awaitables at a time
// through an asyncio.Semaphore and returns the results in order (as gather does). Found: a
// splatted list comprehension, generator expression or map(), and a local list built from
// a comprehension or by .append() in a loop, then splatted.
#include "engine/rewrite/imports.h"
#include "engine/rule/context.h"
#include "engine/semantic/model.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class UnboundedGather : public Rule {
 public:
  explicit UnboundedGather(const RuleSettings& settings) : limit_(settings.gather_limit) {
    info_ = builtin_info("AF402");
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override {
    registry.add_calls(CallPattern{CallPattern::Names::Both, {"gather"}});
  }

  void on_match(const Match& match, FileContext& ctx) const override {
    TSNode call = match.capture("call");
    const auto& model = ctx.model();
    std::string_view src = ctx.text();
    auto q = model.qualified_name(field(call, "function"));
    if (!q || (*q != "asyncio.gather" && *q != "asyncio.tasks.gather")) return;
    TSNode fn = model.enclosing_function(call);
    if (is(fn, "function_definition") && text(field(fn, "body"), src).find(kHelperMarker) != std::string_view::npos) return;
    TSNode splat{};
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "list_splat")) {
        if (!syntax::is_null(splat)) return;  // several splats: leave it
        splat = a;
      }
    }
    if (syntax::is_null(splat)) return;
    TSNode xs = ts_node_named_child(splat, 0);
    while (is(xs, "parenthesized_expression") && ts_node_named_child_count(xs) == 1) xs = ts_node_named_child(xs, 0);
    // What the collection holds: the comprehension's element, or the appended value.
    TSNode element{};
    bool sized = false;
    if (is(xs, "list_comprehension") || is(xs, "generator_expression") || is(xs, "set_comprehension")) {
      element = field(xs, "body");
      sized = true;
    } else if (is(xs, "call") && model.qualified_name(field(xs, "function")).value_or("") == "map") {
      sized = true;
    } else if (is(xs, "identifier")) {
      sized = built_in_function(ctx, xs, call, &element);
    }
    if (!sized) return;
    if (!syntax::is_null(element) && is(element, "call")) {
      if (already_bounded(ctx, element)) return;
      auto eq = model.qualified_name(field(element, "function"));
      bool task = (eq && (*eq == "asyncio.create_task" || *eq == "asyncio.ensure_future")) ||
                  (is(field(element, "function"), "attribute") &&
                   text(field(field(element, "function"), "attribute"), src) == "create_task");
      if (task) {
        Finding& f = ctx.report(call);
        f.note = "the tasks are created (and running) before gather() sees them: bound their creation with a semaphore instead";
        return;
      }
    }
    Finding& f = ctx.report(call);
    std::string helper = helper_name(ctx, "_bounded_gather", "Semaphore");
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Unsafe;
    TSNode callee = field(call, "function");
    fix.edits.push_back(Edit{ts_node_start_byte(callee), ts_node_end_byte(callee), helper});
    TSNode args = field(call, "arguments");
    fix.edits.push_back(Edit{ts_node_start_byte(args) + 1, ts_node_start_byte(args) + 1, std::to_string(limit_) + ", "});
    if (!model.scope(0).bindings.count(helper)) {
      auto asyncio = ctx.imports().module("asyncio", ctx.root());
      fix.imports = asyncio.needs;
      const std::string& a = asyncio.text;
      fix.helpers.push_back(HelperNeed{
          helper,
          "async def " + helper + "(limit, *aws, return_exceptions=False):\n"
          "    \"\"\"asyncio.gather() with at most `limit` of the awaitables running at once; the\n"
          "    results in the same order " + std::string(kHelperMarker) + ".\"\"\"\n"
          "    semaphore = " + a + ".Semaphore(limit)\n\n"
          "    async def bounded(aw):\n"
          "        async with semaphore:\n"
          "            return await aw\n\n"
          "    return await " + a + ".gather(*[bounded(aw) for aw in aws], return_exceptions=return_exceptions)\n"});
    }
    f.fix = std::move(fix);
  }

 private:
  // `xs` is a local list built in this function before the gather: `xs = [f(x) for ...]`,
  // or `xs = []` and `xs.append(f(x))` in a loop; and used for nothing else.
  static bool built_in_function(FileContext& ctx, TSNode xs, TSNode call, TSNode* element) {
    const auto& model = ctx.model();
    std::string_view src = ctx.text();
    std::string_view name = text(xs, src);
    const semantic::Binding* b = model.resolve(name, xs);
    if (!b || b->kind != semantic::BindingKind::Assignment) return false;
    if (model.scope(model.scope_of(b->name)).kind != semantic::ScopeKind::Function) return false;
    TSNode asg = syntax::parent(b->name);
    if (!is(asg, "assignment") || !syntax::same(field(asg, "left"), b->name)) return false;
    TSNode value = field(asg, "right");
    bool appended = false;
    if (is(value, "list_comprehension") || is(value, "generator_expression")) {
      *element = field(value, "body");
    } else if (is(value, "list") && ts_node_named_child_count(value) == 0) {
      appended = true;
    } else {
      return false;
    }
    // Every other use of the name: `xs.append(...)` inside a loop (for the empty list), and
    // the splat itself.
    TSNode fn = model.enclosing_function(call);
    int uses = 0;
    bool ok = true;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (!ok) return false;
      if (!is(n, "identifier") || text(n, src) != name || syntax::same(n, b->name)) return true;
      if (syntax::same(n, xs)) return true;
      const semantic::Binding* rb = model.resolve(name, n);
      if (!rb || !syntax::same(rb->name, b->name)) {
        ok = false;  // rebound, or another variable of that name
        return false;
      }
      TSNode p = syntax::parent(n);
      TSNode pp = syntax::parent(p);
      bool append = appended && is(p, "attribute") && text(field(p, "attribute"), src) == "append" &&
                    is(pp, "call") && !syntax::is_null(syntax::ancestor(n, "for_statement"));
      if (!append) {
        ok = false;
        return false;
      }
      ++uses;
      auto args = syntax::code_children(field(pp, "arguments"));
      if (args.size() == 1) *element = args[0];
      return true;
    });
    return ok && (!appended || uses > 0);
  }

  // The element is a call to a function of this file that already takes a semaphore.
  static bool already_bounded(FileContext& ctx, TSNode element) {
    const auto& model = ctx.model();
    TSNode callee = field(element, "function");
    if (!is(callee, "identifier")) return false;
    const semantic::Binding* b = model.resolve(text(callee, ctx.text()), callee);
    if (!b || b->kind != semantic::BindingKind::FunctionDef) return false;
    TSNode def = syntax::parent(b->name);
    std::string_view body = text(field(def, "body"), ctx.text());
    return body.find("emaphore") != std::string_view::npos || body.find("async with sem") != std::string_view::npos ||
           body.find("CapacityLimiter") != std::string_view::npos;
  }

  int limit_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_unbounded_gather(const RuleSettings& settings) { return std::make_shared<UnboundedGather>(settings); }

}  // namespace asyncfix::rules
