// AF201 missing-await: a coroutine is created and dropped, so it never runs.
#include "engine/source/triggers.h"
#include <set>

#include "engine/match/rule_tree.h"
#include "engine/project/project.h"
#include "engine/semantic/library_model.h"
#include "engine/semantic/types.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

// Where the call's value goes nowhere useful for a coroutine: dropped, or tested for truth.
bool value_is_lost(TSNode call) {
  if (is_result_unused(call)) return true;
  TSNode cur = call, p = syntax::parent(call);
  while (is(p, "parenthesized_expression")) {
    cur = p;
    p = syntax::parent(p);
  }
  if ((is(p, "if_statement") || is(p, "while_statement") || is(p, "elif_clause")) &&
      syntax::same(field(p, "condition"), cur))
    return true;
  if (is(p, "not_operator") || is(p, "boolean_operator") || is(p, "assert_statement")) return true;
  return false;
}

// Is the async def a method `name` of the class around `fn`?
bool class_method_is_async(TSNode fn, std::string_view name, std::string_view src) {
  TSNode cls = syntax::ancestor(fn, "class_definition");
  if (syntax::is_null(cls)) return false;
  for (TSNode st : syntax::code_children(field(cls, "body"))) {
    TSNode def = is(st, "decorated_definition") ? field(st, "definition") : st;
    if (is(def, "function_definition") && text(field(def, "name"), src) == name) return syntax::is_async_def(def);
  }
  return false;
}

class MissingAwait : public Rule {
 public:
  MissingAwait() {
    info_ = builtin_info("AF201");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {kAsyncDefTrigger}; }
  void register_matchers(MatcherRegistry& registry) const override { registry.add_calls(CallPattern{}); }
  // An object reached from another module matters only when it has coroutine methods (an
  // AsyncSession, an httpx.AsyncClient, a project class with `async def` methods), or makes
  // such objects (a session factory): a global typed with some other asyncio class (a
  // Future, a Timeout) gives no call to await.
  std::vector<std::string> typed_triggers(const ProjectIndex& index) const override {
    const semantic::LibraryModel& lib = semantic::LibraryModel::current();
    return index.names_typed_with([&](std::string_view type) {
      for (bool stripped = true; stripped;) {
        stripped = false;
        for (std::string_view prefix : {semantic::types::kFactoryPrefix, semantic::types::kAliasPrefix}) {
          if (type.substr(0, prefix.size()) == prefix) {
            type.remove_prefix(prefix.size());
            stripped = true;
          }
        }
      }
      if (const semantic::ClassFact* c = lib.class_fact(lib.canonical(type))) {
        for (const auto& [name, m] : c->methods) {
          if (m.coroutine) return true;
        }
      }
      return index.has_async_methods(type);
    });
  }

  void on_match(const Match& match, FileContext& ctx) const override {
    TSNode call = match.capture("call");
    if (is_awaited(call) || !value_is_lost(call)) return;
    std::string what = coroutine_call(call, ctx);
    if (what.empty()) return;
    Finding& f = ctx.report(call, "coroutine `" + what + "()` is created but never awaited: it never runs");
    if (ctx.model().inside_async(call)) {
      f.fix = await_fix(ctx, call, info_.fix_title, Applicability::Safe);
    } else {
      f.note = "the enclosing function is not `async def`: make it async and await the call, or run it with "
               "`asyncio.run()` / `asyncio.create_task()`";
    }
  }

 private:
  // The callee's name when the call makes a coroutine, else "".
  static std::string coroutine_call(TSNode call, FileContext& ctx) {
    std::string_view src = ctx.text();
    TSNode callee = field(call, "function");
    std::string shown(text(callee, src));
    // Coroutine functions and methods are library-model facts (library/*.yml).
    const semantic::LibraryModel& lib = semantic::LibraryModel::current();
    if (auto q = ctx.model().qualified_name(callee)) {
      if (const semantic::CallFact* f = lib.function(lib.canonical(*q)); f && f->coroutine) return shown;
    }
    if (is(callee, "attribute")) {
      std::string method(text(field(callee, "attribute"), src));
      TSNode recv = field(callee, "object");
      if (lib.is_coroutine_method_name(method)) {
        auto t = ctx.types().type_of(recv);
        const semantic::CallFact* m = t ? lib.method(*t, method) : nullptr;
        if (m && m->coroutine) return shown;
      }
      if (is(recv, "identifier") && (text(recv, src) == "self" || text(recv, src) == "cls")) {
        TSNode fn = ctx.model().enclosing_function(call);
        if (is(fn, "function_definition") && class_method_is_async(fn, method, src)) return shown;
      }
    }
    if (is(callee, "identifier")) {
      const semantic::Binding* b = ctx.model().resolve(text(callee, src), callee);
      if (b && b->kind == semantic::BindingKind::FunctionDef) {
        TSNode def = syntax::parent(b->name);
        if (syntax::is_async_def(def)) return shown;
        return {};
      }
    }
    if (const ProjectIndex* index = ctx.project()) {
      std::string q = ProjectIndex::resolve_callee(call, ctx.model(), &ctx.types());
      if (!q.empty()) {
        const FunctionSummary* s = index->function(q);
        if (s && s->is_async) return shown;
      }
    }
    return {};
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_missing_await() { return std::make_shared<MissingAwait>(); }

}  // namespace asyncfix::rules
