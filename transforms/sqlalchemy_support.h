// What the SQLAlchemy rules (AF601, AF602, AF303) share: knowing a session when they see one,
// and which session methods must be awaited on an AsyncSession.
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>

namespace asyncfix {
class FileContext;

namespace rules {

enum class SessionKind { None, Sync, Async };

// Is `expr` a SQLAlchemy session (sync or async)? From its inferred type, or from the names
// configured as sessions ([tool.asyncfix] session-names) when nothing types it.
SessionKind session_kind(FileContext& ctx, TSNode expr);

// Will calls on this session be awaited after the run (an AsyncSession, or a sync session
// that `migrate async-sqlalchemy` turns into one)?
bool session_is_async_target(FileContext& ctx, SessionKind kind);

// Session methods that are coroutines on an AsyncSession.
bool is_awaited_session_method(std::string_view method);

// Whether method, called on an instance of the library class cls (a canonical name), is a
// coroutine once cls is replaced by its async counterpart (the library model's counterparts:
// a scoped_session's remove() is async_scoped_session's coroutine, its commit() the
// AsyncSession's it delegates to).
bool becomes_coroutine(std::string_view cls, std::string_view method);

}  // namespace rules
}  // namespace asyncfix

namespace asyncfix::rules {

// A FastAPI session dependency: a plain generator function that makes a session from a
// factory and yields it.
struct SessionDependency {
  TSNode fn{};         // the function_definition
  TSNode factory{};    // the factory call (`SessionLocal()`)
  std::string var;     // the yielded name ("db")
  // The usual shape, rewritten whole: `v = F(); try: yield v; finally: v.close()`, or
  // `with F() as v: yield v`.
  bool canonical = false;
};
std::optional<SessionDependency> session_dependency(FileContext& ctx, TSNode fn);

}  // namespace asyncfix::rules
