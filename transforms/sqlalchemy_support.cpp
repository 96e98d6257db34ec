#include "transforms/sqlalchemy_support.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/rule/context.h"
#include "engine/semantic/library_model.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

SessionKind session_kind(FileContext& ctx, TSNode expr) {
  if (syntax::is_null(expr)) return SessionKind::None;
  auto t = ctx.types().type_of(expr);
  if (t) {
    // A scoped_session proxies a session (`db_session.query(...)`): the library model's
    // delegates-to.
    std::string c = semantic::LibraryModel::current().receiver_class(*t);
    if (c == semantic::types::kSession) return SessionKind::Sync;
    if (c == semantic::types::kAsyncSession) return SessionKind::Async;
  }
  std::string_view text = syntax::text(expr, ctx.text());
  const auto& names = ctx.settings().session_names;
  if (std::find(names.begin(), names.end(), text) != names.end()) return SessionKind::Sync;
  // request.state.db / request.state.session (a session kept on the request by middleware).
  if (syntax::is(expr, "attribute")) {
    TSNode obj = syntax::field(expr, "object");
    std::string_view attr = syntax::text(syntax::field(expr, "attribute"), ctx.text());
    if (syntax::is(obj, "attribute") && syntax::text(syntax::field(obj, "attribute"), ctx.text()) == "state" &&
        (attr == "db" || attr == "session"))
      return SessionKind::Sync;
  }
  return SessionKind::None;
}

bool session_is_async_target(FileContext& ctx, SessionKind kind) {
  return kind == SessionKind::Async || (kind == SessionKind::Sync && ctx.settings().migrate_async_sqlalchemy);
}

bool is_awaited_session_method(std::string_view method) {
  // The library model's coroutines of AsyncSession (SQLModel's adds exec()).
  const semantic::CallFact* m = semantic::LibraryModel::current().method(semantic::types::kAsyncSession, method);
  return m && m->coroutine;
}

bool becomes_coroutine(std::string_view cls, std::string_view method) {
  const semantic::LibraryModel& lib = semantic::LibraryModel::current();
  const std::string* async_cls = lib.async_counterpart(cls);
  if (!async_cls) return false;
  const semantic::CallFact* m = lib.method(lib.canonical(*async_cls), method);
  return m && m->coroutine;
}

}  // namespace asyncfix::rules

namespace asyncfix::rules {

namespace {
bool yields_name(TSNode stmt, std::string_view var, std::string_view src) {
  if (!syntax::is(stmt, "expression_statement")) return false;
  TSNode y = ts_node_named_child(stmt, 0);
  if (!syntax::is(y, "yield")) return false;
  TSNode v = ts_node_named_child(y, 0);
  return syntax::is(v, "identifier") && syntax::text(v, src) == var;
}
}  // namespace

std::optional<SessionDependency> session_dependency(FileContext& ctx, TSNode fn) {
  using syntax::field;
  using syntax::is;
  std::string_view src = ctx.text();
  if (!is(fn, "function_definition") || syntax::is_async_def(fn)) return std::nullopt;
  // `@contextmanager def session_scope()`: a context manager, not a dependency (AF602 makes
  // it an `@asynccontextmanager` with the migration).
  if (TSNode dd = syntax::parent(fn); is(dd, "decorated_definition")) {
    for (TSNode d : syntax::code_children(dd)) {
      if (!is(d, "decorator")) continue;
      TSNode e = ts_node_named_child(d, 0);
      auto q = is(e, "identifier") || is(e, "attribute") ? ctx.model().qualified_name(e) : std::nullopt;
      if (q && semantic::LibraryModel::current().async_counterpart(*q)) return std::nullopt;
    }
  }
  TSNode body = field(fn, "body");
  if (syntax::text(body, src).find("yield") == std::string_view::npos) return std::nullopt;  // cheap first
  auto stmts = syntax::code_children(body);
  // Skip a docstring.
  if (!stmts.empty() && is(stmts[0], "expression_statement") && is(ts_node_named_child(stmts[0], 0), "string"))
    stmts.erase(stmts.begin());
  SessionDependency d;
  d.fn = fn;
  auto is_session_call = [&](TSNode call) {
    if (!is(call, "call")) return false;
    auto t = ctx.types().type_of(call);
    return t && (*t == semantic::types::kSession || *t == semantic::types::kAsyncSession);
  };
  // with F() as v: yield v
  if (stmts.size() == 1 && is(stmts[0], "with_statement")) {
    TSNode clause = syntax::child_of_kind(stmts[0], "with_clause");
    auto items = syntax::code_children(clause);
    if (items.size() == 1) {
      TSNode as = ts_node_named_child(items[0], 0);
      if (is(as, "as_pattern")) {
        TSNode call = ts_node_named_child(as, 0);
        TSNode target = ts_node_named_child(field(as, "alias"), 0);
        if (is_session_call(call) && is(target, "identifier")) {
          d.factory = call;
          d.var = std::string(syntax::text(target, src));
          auto inner = syntax::code_children(field(stmts[0], "body"));
          d.canonical = inner.size() == 1 && yields_name(inner[0], d.var, src);
          return d;
        }
      }
    }
  }
  // v = F() ... yield v
  for (TSNode st : stmts) {
    TSNode a = is(st, "expression_statement") ? ts_node_named_child(st, 0) : TSNode{};
    if (is(a, "assignment") && is(field(a, "left"), "identifier") && is_session_call(field(a, "right"))) {
      d.factory = field(a, "right");
      d.var = std::string(syntax::text(field(a, "left"), src));
      break;
    }
  }
  if (d.var.empty()) return std::nullopt;
  bool yields = false;
  syntax::walk(body, [&](TSNode n) {
    if (is(n, "function_definition") || is(n, "lambda")) return false;
    if (is(n, "yield")) yields = true;
    return !yields;
  });
  if (!yields) return std::nullopt;
  // The canonical shape: v = F(); try: yield v; finally: v.close()
  if (stmts.size() == 2 && is(stmts[1], "try_statement")) {
    TSNode tr = stmts[1];
    auto body_stmts = syntax::code_children(field(tr, "body"));
    TSNode fin = syntax::child_of_kind(tr, "finally_clause");
    bool only_finally = syntax::is_null(syntax::child_of_kind(tr, "except_clause")) && !syntax::is_null(fin) &&
                        syntax::is_null(syntax::child_of_kind(tr, "else_clause"));
    if (only_finally && body_stmts.size() == 1 && yields_name(body_stmts[0], d.var, src)) {
      auto fin_stmts = syntax::code_children(syntax::child_of_kind(fin, "block"));
      d.canonical = fin_stmts.size() == 1 && syntax::text(fin_stmts[0], src) == d.var + ".close()";
    }
  }
  return d;
}

}  // namespace asyncfix::rules
