// What asyncfix knows about libraries, as data: which calls block the event loop inside
// `async def` (and which rule reports them), what calls and methods return, which methods are
// coroutines, which classes are other names of one class. Read from library-model files
// (YAML, schema `asyncfix-library-model: 1`, documented in docs/library-model.md): the
// built-in ones (library/*.yml, embedded in the binary), then a user's own
// (`library-model = [...]` in `[tool.asyncfix]`, `--library-model FILE`), later entries adding
// to or replacing earlier ones.
//
// A type is a canonical qualified class name ("sqlalchemy.orm.Session"), or "factory:<T>" for
// a callable whose calls give a T (a sessionmaker). A result is written as a type expression:
//   T                    an instance of T
//   factory(E)           a callable whose calls give E
//   instance($k)         an instance of the class that argument k names (typing.cast)
//   type($k)             the type of argument k's value
//   product($k)          what calling argument k gives (a function: what it returns or yields)
// where k is 1, 2, ... (positional) or a keyword name. `returns` may list several expressions:
// the first that can be told wins.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/expected.h"

namespace asyncfix::semantic {

struct TypeExpr {
  enum class Kind : uint8_t { Named, Factory, Instance, TypeOf, Product } kind = Kind::Named;
  std::string name;                 // Named: the type; Instance/TypeOf/Product: the argument ("1", "class_")
  std::shared_ptr<TypeExpr> inner;  // Factory
  static Expected<TypeExpr> parse(std::string_view text);
  std::string str() const;
};

// A function or method the model knows.
struct CallFact {
  std::string rule;                  // the rule that reports it inside async def ("AF106"), "" if it does not block
  std::string instead;               // what to use instead, as the rule shows it ("AsyncSession.commit")
  std::vector<TypeExpr> returns;     // what a call gives: the first that can be told
  bool coroutine = false;            // calling it makes a coroutine (to be awaited)
  // `runs: $k`: a call runs its k-th positional argument (1-based), passing it the positional
  // arguments after it and the keyword arguments (run_in_threadpool(f, db, x) calls f(db, x),
  // in a thread). 0 when it runs nothing.
  int runs = 0;
  // `awaits: $k`: a call keeps its k-th argument (1-based), a callable the library calls
  // later itself, awaiting it when it is async (FastAPI's `Depends(get_db)`): an async
  // function is fine there. 0 when it keeps none.
  int awaits = 0;
  // `sync-entry: true`: a function decorated with it (`@click.command`) or with a call of it
  // (`@cli.command()`) is called by the library synchronously (a CLI command): it must stay a
  // plain function.
  bool sync_entry = false;
  // `pure: true`: a call has no effect but its result (`asyncio.get_running_loop()`): a
  // variable that holds it and that a fix leaves unread goes with the fix.
  bool pure = false;
};

struct ClassFact {
  std::string name;                             // canonical
  std::map<std::string, CallFact, std::less<>> methods;
  std::map<std::string, std::string, std::less<>> attributes;  // attribute -> type
  std::map<std::string, std::string, std::less<>> operators;   // "/" -> type of `x / y`
  std::string call_returns;  // calling an instance gives
  std::string delegates_to;  // methods not its own are this class's (a proxy)
  std::string items;         // `x[k]` and `x.name` (not a method) give
  // `awaits-items: true`: a mapping whose keys and values are callables the library calls
  // itself, awaiting the async ones (FastAPI's `app.dependency_overrides[get_db] = f`).
  bool awaits_items = false;
};

class LibraryModel {
 public:
  // Parses one library-model file; errors name origin:line:col.
  static Expected<LibraryModel> parse(std::string_view yaml, const std::string& origin);
  // Adds another model's facts (its entries win).
  void merge(const LibraryModel& other);

  // The built-in model (library/*.yml).
  static const LibraryModel& builtin();
  // The model the run reads: the built-in one, with the user's files when set_current was called.
  static const LibraryModel& current();
  static void set_current(LibraryModel model);

  // The canonical name of a class or function name ("sqlmodel.Session" -> "sqlalchemy.orm.Session").
  std::string canonical(std::string_view qualname) const;
  const CallFact* function(std::string_view qualname) const;  // by canonical name
  const ClassFact* class_fact(std::string_view type) const;
  // A method of a class, following delegates-to (a scoped_session has a Session's methods).
  const CallFact* method(std::string_view type, std::string_view name) const;
  // The class whose methods an instance of type has (type itself, or what it delegates to).
  std::string receiver_class(std::string_view type) const;
  // Every method name some class has a blocking entry for (a cheap first test).
  bool is_blocking_method_name(std::string_view name) const { return blocking_methods_.count(name) > 0; }
  bool is_coroutine_method_name(std::string_view name) const { return coroutine_methods_.count(name) > 0; }
  bool is_runner_method_name(std::string_view name) const { return runner_methods_.count(name) > 0; }
  // Last parts of the names of the calls rule reports ("exists", "query").
  std::vector<std::string> blocking_names(std::string_view rule) const;
  // The whole names of the functions and methods rule reports ("os.path.exists",
  // "sqlalchemy.orm.Session.query").
  std::set<std::string> blocking_apis(std::string_view rule) const;
  // The top-level modules of the functions and classes this model has and base has not
  // ("mysdk" for a user's mysdk.fetch_report): a file that uses them names the module.
  std::set<std::string> modules_not_in(const LibraryModel& base) const;
  // The async counterpart of a sync function or class, by the name it is imported as
  // (`counterparts:`): what the migration writes in its place ("sqlmodel.Session" ->
  // "sqlmodel.ext.asyncio.session.AsyncSession"); nullptr when it has none.
  const std::string* async_counterpart(std::string_view qualname) const {
    auto it = counterparts_.find(qualname);
    return it == counterparts_.end() ? nullptr : &it->second;
  }
  // Whether qualname is what some sync name is replaced by (`contextlib.asynccontextmanager`).
  bool is_async_counterpart(std::string_view qualname) const {
    for (const auto& [sync, async_name] : counterparts_)
      if (async_name == qualname) return true;
    return false;
  }
  const std::map<std::string, CallFact, std::less<>>& functions() const { return functions_; }
  const std::map<std::string, ClassFact, std::less<>>& classes() const { return classes_; }

 private:
  friend class LibraryReader;
  void index();
  std::map<std::string, std::string, std::less<>> aliases_;  // alias -> canonical
  std::map<std::string, CallFact, std::less<>> functions_;
  std::map<std::string, ClassFact, std::less<>> classes_;
  std::map<std::string, std::string, std::less<>> counterparts_;
  std::set<std::string, std::less<>> blocking_methods_, coroutine_methods_, runner_methods_;
};

// The rules a library-model entry may name under `blocks:` (the ones that report direct calls).
bool is_blocking_rule(std::string_view rule);

}  // namespace asyncfix::semantic
