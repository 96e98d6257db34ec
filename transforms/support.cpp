#include "transforms/support.h"

#include <set>

#include "engine/project/project.h"
#include "engine/rewrite/imports.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

using syntax::field;
using syntax::is;
using syntax::text;

bool package_available(FileContext& ctx, std::string_view package) {
  if (ctx.settings().project_packages.count(std::string(package))) return true;
  for (const auto& st : ctx.model().imports()) {
    for (const auto& b : st.bindings) {
      std::string_view q = b.qualname;
      if (q.substr(0, q.find('.')) == package) return true;
    }
  }
  return false;
}

std::string call_arguments(FileContext& ctx, TSNode call) {
  TSNode args = field(call, "arguments");
  if (is(args, "generator_expression")) return std::string(text(args, ctx.text()));
  std::string_view t = text(args, ctx.text());
  if (t.size() < 2) return {};
  std::string inner(t.substr(1, t.size() - 2));
  // Trim the outer whitespace; keep what is inside (comments, line breaks) as written.
  size_t b = inner.find_first_not_of(" \t\r\n");
  size_t e = inner.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  inner = inner.substr(b, e - b + 1);
  if (!inner.empty() && inner.back() == ',') inner.pop_back();
  return inner;
}

bool inside_generator_expression(TSNode node) {
  for (TSNode p = syntax::parent(node); !syntax::is_null(p); p = syntax::parent(p)) {
    if (is(p, "generator_expression")) return true;
    if (is(p, "function_definition") || is(p, "lambda")) return false;
  }
  return false;
}

Fix to_thread_fix(FileContext& ctx, TSNode call, std::string title, Applicability applicability) {
  std::string func(text(field(call, "function"), ctx.text()));
  std::string args = call_arguments(ctx, call);
  return await_in_thread_fix(ctx, call, func + (args.empty() ? "" : ", " + args), std::move(title), applicability);
}

Fix await_in_thread_fix(FileContext& ctx, TSNode call, const std::string& thread_args, std::string title,
                        Applicability applicability) {
  auto asyncio = ctx.imports().module("asyncio", call);
  std::string replacement = "await " + asyncio.text + ".to_thread(" + thread_args + ")";
  if (needs_parens(call, ctx.text(), "await")) replacement = "(" + replacement + ")";
  Fix fix;
  fix.title = std::move(title);
  fix.applicability = applicability;
  fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_end_byte(call), replacement});
  fix.imports = asyncio.needs;
  return fix;
}

Fix await_fix(FileContext& ctx, TSNode call, std::string title, Applicability applicability) {
  bool parens = needs_parens(call, ctx.text(), "await");
  Fix fix;
  fix.title = std::move(title);
  fix.applicability = applicability;
  fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_start_byte(call), parens ? "(await " : "await "});
  if (parens) fix.edits.push_back(Edit{ts_node_end_byte(call), ts_node_end_byte(call), ")"});
  return fix;
}

bool passed_to_coroutine_runner(FileContext& ctx, TSNode call) {
  TSNode p = syntax::parent(call);
  while (syntax::is(p, "parenthesized_expression")) p = syntax::parent(p);
  if (!syntax::is(p, "argument_list")) return false;
  TSNode outer = syntax::parent(p);
  if (!syntax::is(outer, "call")) return false;
  TSNode fn = syntax::field(outer, "function");
  if (auto q = ctx.model().qualified_name(fn)) {
    static const char* const kRunners[] = {"asyncio.run", "asyncio.create_task", "asyncio.ensure_future",
                                           "asyncio.gather", "asyncio.wait_for", "asyncio.shield",
                                           "asyncio.wait", "asyncio.run_coroutine_threadsafe",
                                           "asyncio.timeout", "anyio.from_thread.run"};
    for (const char* r : kRunners) {
      if (*q == r) return true;
    }
  }
  if (syntax::is(fn, "attribute")) {
    std::string_view m = syntax::text(syntax::field(fn, "attribute"), ctx.text());
    return m == "run_until_complete" || m == "create_task" || m == "start_soon";
  }
  return false;
}

std::string helper_name(FileContext& ctx, const std::string& base, std::string_view needle) {
  std::string_view src = ctx.text();
  for (TSNode st : syntax::code_children(ctx.root())) {
    if (!syntax::is(st, "function_definition")) continue;
    std::string_view name = syntax::text(syntax::field(st, "name"), src);
    if (name.substr(0, base.size()) != base) continue;
    std::string_view body = syntax::text(syntax::field(st, "body"), src);
    if (body.find(kHelperMarker) != std::string_view::npos && body.find(needle) != std::string_view::npos)
      return std::string(name);
  }
  return fresh_name(ctx.model(), base);
}

namespace {
// Builtins that iterate or consume what they are given, synchronously.
bool consumes_synchronously(FileContext& ctx, TSNode callee) {
  static const std::set<std::string_view> kConsumers = {"list", "tuple", "set", "frozenset", "dict", "sorted", "next",
                                                        "len", "enumerate", "zip", "iter", "sum", "any", "all",
                                                        "min", "max", "map", "filter", "reversed"};
  if (!syntax::is(callee, "identifier")) return false;
  std::string_view name = syntax::text(callee, ctx.text());
  return kConsumers.count(name) && !ctx.model().resolve(name, callee);
}

// The use of v (the call, or a read of the variable it was stored in) by its parent.
AsyncIterUse use_by_parent(FileContext& ctx, TSNode v, bool is_call, TSNode* where) {
  TSNode p = syntax::parent(v);
  while (syntax::is(p, "parenthesized_expression")) {
    v = p;
    p = syntax::parent(p);
  }
  *where = v;
  if ((syntax::is(p, "for_statement") || syntax::is(p, "for_in_clause")) && syntax::same(syntax::field(p, "right"), v)) {
    if (syntax::kind(ts_node_child(p, 0)) == "async") return AsyncIterUse::Fine;
    *where = p;
    return is_call ? AsyncIterUse::SyncLoop : AsyncIterUse::Wrong;
  }
  if (syntax::is(p, "keyword_argument")) p = syntax::parent(p);
  if (syntax::is(p, "list_splat") || syntax::is(p, "dictionary_splat")) return AsyncIterUse::Wrong;  // *g(): iterated
  if (syntax::is(p, "argument_list")) {
    TSNode call = syntax::parent(p);
    return consumes_synchronously(ctx, syntax::field(call, "function")) ? AsyncIterUse::Wrong : AsyncIterUse::Fine;
  }
  if (syntax::is(p, "yield") && syntax::kind(ts_node_child(p, 1)) == "from") return AsyncIterUse::Wrong;
  if (syntax::is(p, "return_statement") || syntax::is(p, "yield") || syntax::is(p, "lambda") || syntax::is(p, "list") ||
      syntax::is(p, "tuple") || syntax::is(p, "set") || syntax::is(p, "pair") || syntax::is(p, "expression_list"))
    return AsyncIterUse::Fine;
  if (syntax::is(p, "attribute") && syntax::same(syntax::field(p, "object"), v)) {
    std::string_view a = syntax::text(syntax::field(p, "attribute"), ctx.text());
    return a == "__anext__" || a == "__aiter__" || a == "asend" || a == "athrow" || a == "aclose" ? AsyncIterUse::Fine
                                                                                                  : AsyncIterUse::Wrong;
  }
  if (is_call && syntax::is(p, "assignment") && syntax::same(syntax::field(p, "right"), v) &&
      syntax::is(syntax::field(p, "left"), "identifier")) {
    // g = gen(...): how g is used after it, in the same function.
    TSNode target = syntax::field(p, "left");
    std::string_view name = syntax::text(target, ctx.text());
    const semantic::Binding* b = ctx.model().resolve(name, target);
    TSNode fn = ctx.model().enclosing_function(p);
    uint32_t end = syntax::is_null(fn) ? ts_node_end_byte(ctx.root()) : ts_node_end_byte(fn);
    for (TSNode ref : ctx.model().references()) {
      if (ts_node_start_byte(ref) <= ts_node_end_byte(p) || ts_node_start_byte(ref) >= end) continue;
      if (syntax::text(ref, ctx.text()) != name) continue;
      const semantic::Binding* rb = ctx.model().resolve(name, ref);
      if (!rb || !b || !syntax::same(rb->name, b->name)) continue;
      TSNode at;
      if (use_by_parent(ctx, ref, false, &at) == AsyncIterUse::Wrong) {
        *where = at;
        return AsyncIterUse::Wrong;
      }
    }
    return AsyncIterUse::Fine;
  }
  if (!is_call) {
    // A read of the variable: compared, tested, printed... none of it iterates.
    return syntax::is(p, "await") ? AsyncIterUse::Wrong : AsyncIterUse::Fine;
  }
  return AsyncIterUse::Wrong;  // awaited, dropped (a bare statement), or anything else
}
}  // namespace

AsyncIterUse async_iter_use(FileContext& ctx, TSNode call, TSNode* where) { return use_by_parent(ctx, call, true, where); }

uint32_t line_start(std::string_view src, uint32_t offset) {
  size_t nl = offset == 0 ? std::string_view::npos : src.rfind('\n', offset - 1);
  return nl == std::string_view::npos ? 0 : static_cast<uint32_t>(nl + 1);
}

bool is_nested_function(TSNode fn) {
  TSNode p = syntax::parent(fn);
  if (syntax::is(p, "decorated_definition")) p = syntax::parent(p);
  if (syntax::is(p, "module")) return false;
  return !(syntax::is(p, "block") && syntax::is(syntax::parent(p), "class_definition") &&
           syntax::is(syntax::parent(syntax::parent(syntax::parent(p))), "module"));
}

bool migration_can_await_at(FileContext& ctx, TSNode n) {
  TSNode fn = ctx.model().enclosing_function(n);
  if (!syntax::is(fn, "function_definition")) return false;
  if (syntax::is_async_def(fn)) return true;
  if (is_nested_function(fn)) return false;
  const ProjectIndex* index = ctx.project();
  const FunctionSummary* s = index ? index->function(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text())) : nullptr;
  return !s || s->async_blocker.empty();
}

int count_blank_lines(std::string_view src, uint32_t at, int dir) {
  int n = 0;
  if (dir < 0) {
    if (at == 0) return 2;
    uint32_t end = at;  // just after the '\n' of the line above
    while (end > 0) {
      uint32_t start = line_start(src, end - 1);
      std::string_view line = src.substr(start, end - 1 - start);
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) return n;
      ++n;
      if (start == 0) return 2;
      end = start;
    }
    return n;
  }
  for (uint32_t i = at; i < src.size();) {
    size_t nl = src.find('\n', i);
    if (nl == std::string_view::npos) return n;
    std::string_view line = src.substr(i, nl - i);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) return n;
    ++n;
    i = static_cast<uint32_t>(nl + 1);
  }
  return n;
}

void remove_argument(TSNode arg, std::string_view src, EditList& edits) {
  uint32_t b = ts_node_start_byte(arg), e = ts_node_end_byte(arg);
  size_t next = src.find_first_not_of(" \t\r\n", e);
  if (next != std::string_view::npos && src[next] == ',') {
    size_t after = src.find_first_not_of(" \t", next + 1);
    edits.replace(b, static_cast<uint32_t>(after == std::string_view::npos ? next + 1 : after), "");
    return;
  }
  size_t prev = src.find_last_not_of(" \t\r\n", b == 0 ? 0 : b - 1);
  if (prev != std::string_view::npos && src[prev] == ',') edits.replace(static_cast<uint32_t>(prev), e, "");
  else edits.replace(b, e, "");
}

}  // namespace asyncfix::rules
