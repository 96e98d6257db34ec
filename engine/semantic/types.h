// What kind of object an expression holds, as far as the rules need to know: a sync or async
// SQLAlchemy session, an HTTP client, a session factory. Inferred from annotations
// (`db: Session`), constructor and factory calls (`SessionLocal()` where
// `SessionLocal = sessionmaker(...)`), `with ... as x`, attributes set in `__init__`
// (`self.db = db`), and, through the project index, names and dependencies from other
// modules (`Depends(get_db)` yields what get_db yields).
#pragma once

#include <tree_sitter/api.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace asyncfix::semantic {

class SemanticModel;
struct Binding;
class LibraryModel;
struct TypeExpr;

// Canonical type names the rules test for.
namespace types {
inline constexpr std::string_view kSession = "sqlalchemy.orm.Session";
inline constexpr std::string_view kAsyncSession = "sqlalchemy.ext.asyncio.AsyncSession";
inline constexpr std::string_view kHttpxClient = "httpx.Client";
inline constexpr std::string_view kHttpxAsyncClient = "httpx.AsyncClient";
inline constexpr std::string_view kRequestsSession = "requests.Session";
inline constexpr std::string_view kAiohttpSession = "aiohttp.ClientSession";
inline constexpr std::string_view kEngine = "sqlalchemy.engine.Engine";
inline constexpr std::string_view kAsyncEngine = "sqlalchemy.ext.asyncio.AsyncEngine";
inline constexpr std::string_view kPath = "pathlib.Path";
// A callable whose calls produce T: "factory:" + T.
inline constexpr std::string_view kFactoryPrefix = "factory:";
// A name bound to the type T itself (a type alias, `SessionDep = Annotated[Session, ...]`):
// "alias:" + T. Used in an annotation it means T; called, it makes a T.
inline constexpr std::string_view kAliasPrefix = "alias:";
}  // namespace types

// What the project knows about other modules (implemented by ProjectIndex).
class ProjectTypes {
 public:
  virtual ~ProjectTypes() = default;
  // The type of a module-level name of a project module ("app.database.SessionLocal").
  virtual std::optional<std::string> global_type(std::string_view qualname) const = 0;
  // What a project function returns (for a generator: what it yields).
  virtual std::optional<std::string> return_type(std::string_view qualname) const = 0;
  // The class a name refers to, when it is a class of the project ("app.repo.Repo", also
  // through re-exports): its defining qualified name.
  virtual std::optional<std::string> class_type(std::string_view qualname) const {
    (void)qualname;
    return std::nullopt;
  }
  // What a project decorator's wrapper passes as the k-th positional argument (0-based) of the
  // function it decorates (`f(session, *args, **kwargs)` passes a Session first).
  virtual std::optional<std::string> decorator_argument_type(std::string_view decorator, size_t k) const {
    (void)decorator;
    (void)k;
    return std::nullopt;
  }
  // The type of an unannotated parameter of a project function, from its call sites.
  virtual std::optional<std::string> parameter_type(std::string_view function, std::string_view param) const {
    (void)function;
    (void)param;
    return std::nullopt;
  }
};

class TypeOracle {
 public:
  TypeOracle(const SemanticModel& model, const ProjectTypes* project = nullptr);

  // The type of an expression, when it can be told: a canonical qualified class name, or
  // "factory:<T>" for session factories.
  std::optional<std::string> type_of(TSNode expr) const;
  // The type an annotation names (`Session`, `"Session"`, `Optional[Session]`,
  // `Generator[Session, None, None]` gives Session).
  std::optional<std::string> annotation_type(TSNode type) const;
  // What a function returns or yields, from its annotation or its return/yield statements.
  std::optional<std::string> function_result_type(TSNode function_definition) const;

  // The project class a class reference (`Repo`, `repo.Repo`) names; instances of it have
  // that type, and their method calls resolve to its methods.
  std::optional<std::string> project_class(TSNode ref) const;
  bool is_project_class(std::string_view type) const;

  // The types of a class's attributes: `self.x = ...` in its methods, `x: T` and `x = ...` in
  // its body (nothing: an attribute whose type cannot be told).
  const std::map<std::string, std::optional<std::string>, std::less<>>& class_attributes(TSNode class_definition,
                                                                                         int depth = 0) const;

  // The type a module-level value names when it is a type (a type alias: `SessionType =
  // scoped_session[Session]`), as annotation_type reads it; only known classes count.
  std::optional<std::string> type_alias(TSNode value) const;
  // The qualified name of a module-level function or a method of a module-level class
  // ("app.crud.get", "app.repo.Repo.get"); empty for other functions or without a module name.
  std::string function_qualname(TSNode function_definition) const;

  bool has_type(TSNode expr, std::string_view type) const {
    auto t = type_of(expr);
    return t && *t == type;
  }

  // A call's argument by position ("1") or keyword name; null when absent (or after a splat).
  TSNode argument(TSNode call, std::string_view which) const;

 private:
  std::optional<std::string> type_of(TSNode expr, int depth) const;
  std::optional<std::string> call_type(TSNode call, int depth) const;
  // What calling fn gives (call: the call, for the arguments a library fact reads; may be null).
  std::optional<std::string> product_of(TSNode fn, TSNode call, int depth) const;
  std::optional<std::string> named_callable_result(TSNode fn, const std::string& q, TSNode call, int depth) const;
  std::optional<std::string> method_result(TSNode fn, TSNode call, int depth) const;
  std::optional<std::string> result_type_uncached(TSNode fn, int depth) const;
  std::optional<std::string> result_type(TSNode function_definition, int depth) const;
  std::optional<std::string> evaluate(const TypeExpr& e, TSNode call, int depth) const;
  std::optional<std::string> name_type(TSNode identifier, int depth) const;
  std::optional<std::string> name_type_of_binding(const Binding& b, TSNode identifier, int depth) const;
  // The type of a parameter: its annotation's, or what its `Depends(...)` default yields.
  std::optional<std::string> parameter_type(const Binding& parameter) const;
  // What the dependency of a `Depends(dep)` call yields.
  std::optional<std::string> dependency_type(TSNode depends_call) const;
  // The type of a name bound by assignment `x: T = ...` / `x = <expr>` (identifier: the use).
  std::optional<std::string> assignment_type(const Binding& b, TSNode identifier, int depth) const;
  // The type of the target of `with <expr> as x`.
  std::optional<std::string> with_target_type(const Binding& b, int depth) const;
  std::optional<std::string> self_attribute_type(TSNode attribute, int depth) const;
  std::optional<std::string> alias_annotation(TSNode ref) const;
  std::optional<std::string> decorated_parameter_type(TSNode function_definition, TSNode name) const;
  // `Cls.attr` where Cls is a class of this file.
  std::optional<std::string> local_class_attribute(TSNode class_ref, std::string_view attr, int depth) const;

  const SemanticModel& model_;
  const ProjectTypes* project_;
  const LibraryModel& lib_;
  // self.<attr> types per class (class node id -> attr -> type or nothing), computed once.
  mutable std::map<const void*, std::map<std::string, std::optional<std::string>, std::less<>>> class_attrs_;
  mutable int alias_depth_ = 0;  // aliases of aliases followed so far
  // result_type's answers by function node: the type, and the depth it was looked for at (an
  // answer found holds at any depth; "unknown" only for a depth at least as deep).
  struct ResultMemo {
    std::optional<std::string> type;
    int depth = 0;
  };
  mutable std::unordered_map<const void*, ResultMemo> results_;
};

// Canonical name of a class qualname ("sqlalchemy.orm.session.Session" -> kSession).
std::string canonical_type(std::string_view qualname);

// The qualified name of a function definition in module `module`: "app.crud.get_user", or
// "app.repo.Repo.get" for a method.
std::string function_qualname(const std::string& module, TSNode fn, std::string_view src);
// A module-level function, or a method of a module-level class (decorated or not): the
// functions the project index summarizes.
bool is_module_level_function(TSNode fn);

}  // namespace asyncfix::semantic
