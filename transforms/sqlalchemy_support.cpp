#include "transforms/sqlalchemy_support.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/run/context.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

SessionKind session_kind(FileContext& ctx, TSNode expr) {
  if (syntax::is_null(expr)) return SessionKind::None;
  auto t = ctx.types().type_of(expr);
  if (t) {
    if (*t == semantic::types::kSession) return SessionKind::Sync;
    if (*t == semantic::types::kAsyncSession) return SessionKind::Async;
    // A scoped_session is a factory that proxies a session: `db_session.query(...)`.
    if (*t == std::string(semantic::types::kFactoryPrefix) + std::string(semantic::types::kSession)) return SessionKind::Sync;
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
  static const std::set<std::string_view> kAwaited = {"commit", "refresh", "flush", "delete", "execute", "scalars",
                                                      "scalar", "get", "close", "rollback", "merge", "connection",
                                                      "stream", "stream_scalars", "get_one", "run_sync"};
  return kAwaited.count(method) > 0;
}

}  // namespace asyncfix::rules
