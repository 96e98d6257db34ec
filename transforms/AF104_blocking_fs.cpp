// AF104 blocking-fs: file-system calls (os.path, os, shutil, glob, pathlib) inside `async def`.
#include "engine/source/triggers.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/blocking_catalog.h"
#include "transforms/blocking_rule.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

// APIs that return an iterator: to_thread would return it unconsumed and the reads would
// happen in the event loop as it is iterated, so the thread has to build the list.
bool returns_iterator(const std::string& api) {
  return api == "os.walk" || api == "glob.iglob" || api == "pathlib.Path.iterdir" || api == "pathlib.Path.glob" ||
         api == "pathlib.Path.rglob";
}

RuleInfo make_info() {
  RuleInfo i = builtin_info("AF104");
  return i;
}

class BlockingFs : public BlockingCallRule {
 public:
  BlockingFs() : BlockingCallRule(make_info()) {}

 protected:
  // `os.walk(p)` only makes a generator; handed to `asyncio.to_thread(list, ...)` it is read
  // in the thread.
  bool exempt(TSNode call, const BlockingHit& hit, FileContext& ctx) const override {
    if (!returns_iterator(hit.api)) return false;
    TSNode args = syntax::parent(call);
    if (!syntax::is(args, "argument_list")) return false;
    TSNode callee = syntax::field(syntax::parent(args), "function");
    auto q = ctx.model().qualified_name(callee);
    if (q && *q == "asyncio.to_thread") return true;
    return syntax::is(callee, "attribute") && syntax::text(syntax::field(callee, "attribute"), ctx.text()) == "run_in_executor";
  }

  // A blocking file-system call of this rule (`Path(x).resolve()`, `p.exists()`)?
  static bool blocks_here(FileContext& ctx, TSNode call) {
    if (!syntax::is(call, "call")) return false;
    auto hit = classify_blocking(call, ctx.model(), ctx.types(), nullptr);
    return hit && hit->rule == "AF104";
  }

  // call -> `await asyncio.to_thread(<head><call>)`: the whole call, evaluated in the thread.
  static Fix whole_call_in_thread(FileContext& ctx, TSNode call, const std::string& head, std::string title,
                                  Applicability applicability) {
    return await_in_thread_fix(ctx, call, head + std::string(syntax::text(call, ctx.text())), std::move(title),
                               applicability);
  }

  void add_fix(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& f) const override {
    if (inside_generator_expression(call)) return;
    // `Path(x).resolve().exists()`: the whole chain goes to one thread call, made at its
    // outermost blocking call; the inner ones are part of it.
    TSNode up = syntax::parent(call);
    if (syntax::is(up, "attribute") && syntax::same(syntax::field(up, "object"), call) &&
        blocks_here(ctx, syntax::parent(up)) && syntax::same(syntax::field(syntax::parent(up), "function"), up)) {
      f.note = "it runs in the thread of the call made on its result";
      return;
    }
    TSNode inner = syntax::field(call, "function");
    bool chained = false;
    while (syntax::is(inner, "attribute")) {
      TSNode obj = syntax::field(inner, "object");
      if (blocks_here(ctx, obj)) chained = true;
      inner = syntax::is(obj, "call") ? syntax::field(obj, "function") : obj;
    }
    if (chained) {
      f.fix = whole_call_in_thread(ctx, call, "lambda: ", "Run the chain in a thread: `await asyncio.to_thread(lambda: ...)`",
                                   Applicability::Safe);
      return;
    }
    if (returns_iterator(hit.api)) {
      f.fix = whole_call_in_thread(ctx, call, "list, ", "Build the list in a thread: `await asyncio.to_thread(list, ...)`",
                                   Applicability::Unsafe);
      return;
    }
    if (hit.alternative.rfind("aiofiles.os", 0) == 0 && package_available(ctx, "aiofiles")) {
      // os.path.exists(p) -> await aiofiles.os.path.exists(p)
      auto mod = ctx.imports().module("aiofiles.os", call);
      std::string callee = mod.text + hit.alternative.substr(std::string("aiofiles.os").size());
      std::string args = call_arguments(ctx, call);
      std::string text = "await " + callee + "(" + args + ")";
      if (needs_parens(call, ctx.text(), "await")) text = "(" + text + ")";
      Fix fix;
      fix.title = "Use `await " + hit.alternative + "(...)`";
      fix.applicability = Applicability::Safe;
      fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_end_byte(call), text});
      fix.imports = mod.needs;
      fix.remove_if_unused = {hit.api};
      f.fix = std::move(fix);
      return;
    }
    f.fix = to_thread_fix(ctx, call, "Run it in a thread: `await asyncio.to_thread(...)`", Applicability::Safe);
    if (!hit.alternative.empty()) f.note = "with aiofiles in the project, `await " + hit.alternative + "(...)` does the same";
  }
};

}  // namespace

RulePtr make_blocking_fs() { return std::make_shared<BlockingFs>(); }

}  // namespace asyncfix::rules
