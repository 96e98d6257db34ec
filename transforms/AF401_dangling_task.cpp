// AF401 dangling-task: a task whose only reference is dropped. The event loop keeps weak
// references to tasks: a task nobody holds can be garbage-collected mid-flight, and its
// exception is lost.
//
//   asyncio.create_task(work())          ->  _keep_task(asyncio.create_task(work()))
//   t = asyncio.ensure_future(work())    ->  t = _keep_task(asyncio.ensure_future(work()))
//   (t never read again)
//
// with, once per module (fresh names, reused by later fixes):
//   _background_tasks = set()
//   def _keep_task(task): add it to the set, discard it when done, report its exception
#include <set>

#include "engine/match/rule_tree.h"
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

class DanglingTask : public Rule {
 public:
  DanglingTask() {
    info_ = builtin_info("AF401");
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override {
    // Any call: `from asyncio import create_task as spawn` is one too (the triggers keep
    // files without these names out).
    registry.add_calls(CallPattern{});
  }

  void on_match(const Match& match, FileContext& ctx) const override {
    TSNode call = match.capture("call");
    const auto& model = ctx.model();
    if (!is_task_spawn(ctx, call)) return;
    if (model.context_at(call) == semantic::Context::Lambda) return;  // the lambda returns it
    bool dropped = is_result_unused(call);
    if (!dropped && !stored_in_unused_local(ctx, call)) return;
    Finding& f = ctx.report(call);
    // The helper's names: those of a helper asyncfix added before, else fresh ones.
    std::string keep = helper_name(ctx, "_keep_task", "add_done_callback");
    Fix fix;
    fix.title = info_.fix_title;
    fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_start_byte(call), keep + "("});
    fix.edits.push_back(Edit{ts_node_end_byte(call), ts_node_end_byte(call), ")"});
    if (!model.scope(0).bindings.count(keep)) {
      std::string set_name = fresh_name(model, "_background_tasks");
      std::string done = fresh_name(model, "_background_task_done");
      std::string code = set_name + " = set()\n\n\n"
                         "def " + keep + "(task):\n"
                         "    \"\"\"Keeps a reference to a background task until it is done, and reports its\n"
                         "    exception instead of losing it " + std::string(kHelperMarker) + ".\"\"\"\n"
                         "    " + set_name + ".add(task)\n"
                         "    task.add_done_callback(" + done + ")\n"
                         "    return task\n\n\n"
                         "def " + done + "(task):\n"
                         "    " + set_name + ".discard(task)\n"
                         "    if not task.cancelled() and task.exception() is not None:\n"
                         "        task.get_loop().call_exception_handler(\n"
                         "            {\"message\": \"background task failed\", \"exception\": task.exception(), \"task\": task}\n"
                         "        )\n";
      fix.helpers.push_back(HelperNeed{keep, code});
    }
    f.fix = std::move(fix);
  }

 private:
  // asyncio.create_task / asyncio.ensure_future / <loop>.create_task
  static bool is_task_spawn(FileContext& ctx, TSNode call) {
    const auto& model = ctx.model();
    std::string_view src = ctx.text();
    TSNode fn = field(call, "function");
    if (auto q = model.qualified_name(fn)) {
      if (*q == "asyncio.create_task" || *q == "asyncio.ensure_future" || *q == "asyncio.tasks.create_task" ||
          *q == "asyncio.tasks.ensure_future")
        return true;
    }
    if (!is(fn, "attribute") || text(field(fn, "attribute"), src) != "create_task") return false;
    TSNode recv = field(fn, "object");
    // asyncio.get_running_loop().create_task(...)
    if (is(recv, "call")) {
      auto q = model.qualified_name(field(recv, "function"));
      return q && (*q == "asyncio.get_running_loop" || *q == "asyncio.get_event_loop" || *q == "asyncio.new_event_loop");
    }
    // loop.create_task / self._loop.create_task: a name that says it is a loop. (A TaskGroup
    // or a nursery holds its tasks.)
    std::string_view last = is(recv, "attribute") ? text(field(recv, "attribute"), src) : is(recv, "identifier") ? text(recv, src) : "";
    return last.find("loop") != std::string_view::npos;
  }

  // t = create_task(...) in a function, and t never read.
  static bool stored_in_unused_local(FileContext& ctx, TSNode call) {
    TSNode p = syntax::parent(call);
    if (!is(p, "assignment") || !syntax::same(field(p, "right"), call)) return false;
    // `task = other = create_task(...)`: kept when any of the names is.
    bool any = false;
    for (TSNode at = call; is(syntax::parent(at), "assignment") && syntax::same(field(syntax::parent(at), "right"), at);
         at = syntax::parent(at)) {
      if (!unused_local(ctx, field(syntax::parent(at), "left"))) return false;
      any = true;
    }
    return any;
  }

  // An identifier a function binds and never reads.
  static bool unused_local(FileContext& ctx, TSNode target) {
    const auto& model = ctx.model();
    if (!is(target, "identifier")) return false;
    std::string_view name = text(target, ctx.text());
    if (name == "_") return true;
    int s = model.scope_of(target);
    const semantic::Scope& sc = model.scope(s);
    if (sc.kind != semantic::ScopeKind::Function) return false;  // module globals are read from anywhere
    if (sc.globals.count(name) || sc.nonlocals.count(name)) return false;
    // Read anywhere in the function (under any of its bindings: `task = ...` in two branches,
    // then `return task`), or by a closure: kept.
    bool read = false;
    syntax::walk(sc.node, [&](TSNode n) {
      if (read) return false;
      if (!is(n, "identifier") || text(n, ctx.text()) != name || syntax::same(n, target)) return true;
      TSNode up = syntax::parent(n);
      if (is(up, "attribute") && syntax::same(field(up, "attribute"), n)) return true;
      if (is(up, "keyword_argument") && syntax::same(field(up, "name"), n)) return true;
      if (is(up, "assignment") && syntax::same(field(up, "left"), n)) return true;
      read = true;
      return false;
    });
    return !read;
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_dangling_task() { return std::make_shared<DanglingTask>(); }

}  // namespace asyncfix::rules
