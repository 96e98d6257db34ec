// AF108 blocking-via-helper: an async def calls a sync function of the project that blocks,
// directly or through further sync calls, in any module.
#include <set>

#include "engine/source/triggers.h"
#include "engine/project/project.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;

std::string short_name(const std::string& q, const std::string& module) {
  // app.crud.get_user -> crud.get_user (module's last part + name) for readable paths.
  size_t dot = q.rfind('.');
  if (dot == std::string::npos) return q;
  size_t dot2 = q.rfind('.', dot - 1);
  (void)module;
  return dot2 == std::string::npos ? q : q.substr(dot2 + 1);
}

class BlockingViaHelper : public Rule {
 public:
  BlockingViaHelper() {
    info_ = builtin_info("AF108");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {kAsyncDefTrigger}; }
  void register_matchers(MatcherRegistry& registry) const override { registry.add_calls(CallPattern{}); }

  void on_match(const Match& match, FileContext& ctx) const override {
    const ProjectIndex* index = ctx.project();
    if (!index) return;
    TSNode call = match.capture("call");
    if (!ctx.model().inside_async(call)) return;
    std::string q = ProjectIndex::resolve_callee(call, ctx.model(), &ctx.types());
    if (q.empty()) return;
    const FunctionSummary* f = index->function(q);
    if (!f || f->is_async) return;
    // `StreamingResponse(iter_file(path))`: calling a generator function runs none of its
    // body; iterating it here does (`for chunk in iter_file(path)`, `list(...)`).
    if (f->generator && !iterated_where_called(call, ctx.text())) return;
    auto path = index->blocking_path(f->qualname);
    if (path.size() < 2) return;

    TSNode fn = ctx.model().enclosing_function(call);
    std::string caller = syntax::is(fn, "function_definition")
                             ? std::string(syntax::text(field(fn, "name"), ctx.text()))
                             : std::string("<coroutine>");
    std::string chain = caller;
    for (size_t i = 0; i + 1 < path.size(); ++i) chain += " -> " + short_name(path[i], f->module);
    chain += " -> " + path.back();
    Finding& finding = ctx.report(call, "`" + std::string(syntax::text(field(call, "function"), ctx.text())) +
                                            "()` blocks the event loop: it calls `" + path.back() + "` (" + chain + ")");
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      const FunctionSummary* step = index->function(path[i]);
      if (step) {
        finding.trace.push_back(step->path + ":" + std::to_string(step->pos.line) + ": " + step->qualname +
                                (i + 2 == path.size() ? " calls " + path.back() : ""));
      }
    }
    if (const BlockingRecord* leaf = index->blocking_leaf(f->qualname)) {
      const FunctionSummary* last = index->function(path[path.size() - 2]);
      if (last && !finding.trace.empty()) {
        finding.trace.back() = last->path + ":" + std::to_string(leaf->pos.line) + ": " + last->qualname + " calls " +
                               path.back() + " (" + leaf->rule_id + ")";
      }
    }
    if (f->generator) {
      // to_thread(gen, ...) would only make the generator in the thread: no rewrite.
      finding.note = "a generator: its body runs as it is iterated here; consume it in a thread, e.g. "
                     "`await asyncio.to_thread(list, " + std::string(syntax::text(call, ctx.text())) + ")`";
      return;
    }
    if (inside_generator_expression(call)) return;
    // What the helper returns is used here in a way a thread cannot carry: entered as a
    // context manager (its __enter__ would still run on the loop: to_thread only moves the
    // call), or awaited (it returns an awaitable; `await (await asyncio.to_thread(...))`
    // works but hides the design problem). Report with the way out, no rewrite.
    TSNode use = syntax::parent(call);
    while (syntax::is(use, "parenthesized_expression")) use = syntax::parent(use);
    if (syntax::is(use, "as_pattern")) use = syntax::parent(use);
    if (syntax::is(use, "with_item")) {
      finding.note = "its result is entered with `with` here, so a thread call would not cover `__enter__`; "
                     "enter it in the thread too (a sync function that does the whole `with` block), or make "
                     "the helper an async context manager";
      return;
    }
    if (syntax::is(use, "await")) {
      finding.note = "its result is awaited: it blocks before it returns an awaitable; make it `async def` and "
                     "await the blocking part in a thread there";
      return;
    }
    finding.fix = to_thread_fix(ctx, call, info_.fix_title, Applicability::Unsafe);
  }

 private:
  // Whether the value of call is iterated on the spot: the iterable of a `for` or of a
  // comprehension, or the argument of a builtin that consumes it.
  static bool iterated_where_called(TSNode call, std::string_view src) {
    TSNode p = syntax::parent(call);
    if (syntax::is(p, "for_statement") || syntax::is(p, "for_in_clause")) return syntax::same(field(p, "right"), call);
    if (!syntax::is(p, "argument_list")) return false;
    TSNode outer = syntax::parent(p);
    static const std::set<std::string_view> consumers = {"list", "tuple", "set", "frozenset", "dict", "sorted",
                                                         "sum", "min", "max", "any", "all", "next"};
    static const std::set<std::string_view> lazy = {"enumerate", "zip", "map", "filter", "iter", "reversed"};
    TSNode fn = field(outer, "function");
    if (syntax::is(fn, "identifier")) {
      if (lazy.count(syntax::text(fn, src))) return iterated_where_called(outer, src);  // for i, x in enumerate(g())
      return consumers.count(syntax::text(fn, src)) > 0;
    }
    // "".join(gen()), b"".join(...)
    return syntax::is(fn, "attribute") && syntax::text(field(fn, "attribute"), src) == "join";
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_blocking_via_helper(const RuleSettings&) { return std::make_shared<BlockingViaHelper>(); }

}  // namespace asyncfix::rules
