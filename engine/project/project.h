// The project index: what every module of the run defines and calls, for the rules that
// look across files (a handler that calls a sync helper in another module that blocks; a
// coroutine of another module called without await; a function that must become async
// everywhere it is called).
//
// Built once per run before files are checked, then read-only (shared by all threads).
// Demand-driven: it summarizes the modules of files that contain a rule's seed triggers
// (`async def`, `await`, ...), then every project module their functions call,
// transitively; other files are never parsed for it. A module is summarized again only
// when an answer it got about another module's types has changed since.
#pragma once

#include <tree_sitter/api.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/base/hash.h"
#include "engine/semantic/types.h"
#include "engine/source/discovered_file.h"
#include "engine/source/source_file.h"

namespace asyncfix {

namespace semantic {
class SemanticModel;
struct CallFact;
}

struct CallRecord {
  std::string callee;     // qualified name of what is called ("app.crud.get_user", "requests.get")
  std::string caller;     // qualified name of the calling function ("" at module level)
  Position pos;
  bool awaited = false;
  bool in_async = false;  // the call sits in an async def's own body
  // The types of the arguments, where known: positional ones up to the first `*args`, and
  // keyword ones (for the parameter types inferred from call sites).
  std::vector<std::optional<std::string>> args;
  std::map<std::string, std::string> kwargs;
  bool splat = false;     // a `*args` or `**kwargs` may pass the others
  bool via_class = false; // `Class.method(...)`: no implicit self
  // A value use passed as an argument to a project function: that function, and where
  // ("0", "1"... for a positional argument, else the keyword's name).
  std::string passed_to;
  std::string passed_at;
};

struct BlockingRecord {
  std::string api;        // "requests.get", "time.sleep", "sqlalchemy.orm.Session.query"
  std::string rule_id;    // the rule that reports it inside async def (AF102, ...)
  Position pos;
};

struct FunctionSummary {
  std::string qualname;   // "app.crud.get_user", "app.repo.Repo.get"
  std::string module;
  std::string path;
  Position pos;           // of the name
  bool is_async = false;
  bool is_method = false;
  bool is_route_handler = false;
  bool sync_with_await = false;  // a plain def that contains `await` (AF202)
  std::vector<BlockingRecord> blocking;  // blocking calls in its own body
  std::vector<CallRecord> calls;         // calls in its own body that resolve to a name
  // `self.markets` where markets is a @property of the class: a call of it (followed for
  // blocking paths, never made async).
  std::vector<CallRecord> property_reads;
  bool is_property = false;              // decorated @property / @cached_property
  std::optional<std::string> result_type;
  // Its parameters in order (not *args / **kwargs), and how many a call binds implicitly
  // (1 for self/cls, 0 for a function or a staticmethod; classmethods bind cls even through
  // the class).
  std::vector<std::string> params;
  int implicit_first = 0;
  bool classmethod = false;
  bool abstract = false;  // its body is only `pass`, `...`, a docstring or `raise NotImplementedError`
  // A plain generator function (its own body yields, no decorator wraps it): a call only
  // makes the generator; its body runs as it is iterated.
  bool generator = false;
  // Why it cannot become async, when it cannot (a generator that returns a value): the
  // migration leaves it sync and reports the calls in it that cannot be awaited.
  std::string async_blocker;
  // The project functions decorating it, and the calls of its own parameters its body makes
  // (in a decorator: the wrapper's `f(session, *args, **kwargs)`, callee = the parameter).
  std::vector<std::string> decorators;
  std::vector<CallRecord> param_calls;
  // Blocking calls in the functions nested in it (a decorator's wrapper: `session.commit()`
  // after calling the function it wraps): a call of a function it decorates runs them.
  std::vector<BlockingRecord> nested_blocking;
  // A pytest fixture (decorated `@pytest.fixture`): the name tests request it by (its
  // `name=`, else the function's), and its parameters without a default (the fixtures it
  // requests; also a test function's).
  std::string fixture_name;
  std::vector<std::string> required_params;
  // The fixtures its required parameters request, where the project defines them (test
  // functions and fixtures of test modules; computed by the index from the modules loaded).
  std::vector<std::string> fixture_requests;
  // It enters a sync session (`with Session(engine) as s:`), or runs DDL or reflection on a
  // sync engine (`Base.metadata.create_all(engine)`, `inspect(engine)`): all become async
  // with the migration.
  bool enters_session = false;
  bool runs_ddl = false;
  // Decorated by something the library model says calls it synchronously (`sync-entry`: a
  // CLI command): it stays a plain function, and its callers are not made async with it.
  bool sync_entry = false;
  // Decorated by a wrapper with an async counterpart (`@contextmanager`), or by that
  // counterpart (`@asynccontextmanager`, what a run before this one wrote): a call gives what
  // the wrapper makes (a context manager), never a coroutine, once async.
  bool counterpart_decorated = false;
};

// `posts = relationship("Post", back_populates="author", lazy=...)` in a mapped class.
struct RelationshipInfo {
  std::string target;  // "Post"
  std::string lazy;    // the lazy= value as written ("" when absent), e.g. "\"dynamic\""
  Position pos;
};

struct ModuleSummary {
  std::string module;
  std::string path;
  std::map<std::string, FunctionSummary> functions;  // by local name: "get_user", "Repo.get"
  std::map<std::string, std::string> globals;        // module-level name -> type
  std::map<std::string, std::string> imports;        // module-level imported name -> qualname
  std::vector<std::string> star_imports;             // `from MODULE import *` at module level
  // Calls a library call makes of a function it is given (`run_in_threadpool(crud.get, db,
  // id)` calls crud.get(db, id)): evidence for parameter types, not calls of the caller (the
  // function runs in a thread, or after the response).
  std::vector<CallRecord> forwarded_calls;
  std::vector<CallRecord> module_calls;              // calls made at import time
  std::vector<CallRecord> value_uses;                // names used but not called (callbacks)
  // Calls in a lambda or in a plain def nested in a function: code that cannot await, and
  // that the plan does not make async (caller: the enclosing top-level function, if any).
  std::vector<CallRecord> lambda_calls, nested_calls;
  // class -> attribute -> relationship (SQLAlchemy mapped classes of this module)
  std::map<std::string, std::map<std::string, RelationshipInfo>> relationships;
  std::set<std::string> attribute_reads;  // `x.name` read anywhere in the module (names)
  std::set<std::string> schema_fields;    // annotated fields of pydantic models (names)
  std::set<std::string> classes;          // module-level classes
  std::map<std::string, std::vector<std::string>> class_bases;  // class -> its project base classes (qualified)
};

// What a rule decides about the whole project once per run, after the index is built, and
// reads in every file (Rule::prepare_project). The rule that made it owns it: two rules never
// share or overwrite each other's plans.
class ProjectIndex;

struct ProjectPlan {
  virtual ~ProjectPlan() = default;
  // Every file the plan's fixes edit (a fix in one needs the edits in the others), or nothing
  // when the plan cannot tell: a run over part of the project then applies none of its fixes.
  virtual std::optional<std::set<std::string>> edited_files(const ProjectIndex& index) const { return std::nullopt; }
};

// Functions the run makes `async def` (AF202 await-outside-async, AF602 migration), found by
// await propagation; see ProjectIndex::plan_async.
struct AsyncPlan : ProjectPlan {
  std::map<std::string, std::string> make_async;          // function -> why ("contains `await`")
  std::map<std::string, std::vector<std::string>> blocked;  // seed -> why it cannot be done
  // A caller that cannot await a function that becomes async (module-level code, a function
  // passed as a callback), when the plan goes ahead anyway (a migration).
  struct Stuck {
    std::string path;
    Position pos;
    std::string callee;     // the function that becomes async
    std::string caller;     // the function it sits in ("" at module level)
    bool value_use = false; // passed as a value (a callback), not called
    enum class Where { Module, Lambda, Nested, Value } where = Where::Module;
  };
  std::vector<Stuck> stuck;
  // Parameters ("pkg.mod.authenticate(get_user") that are given only functions that become
  // async and that their function calls: those calls are awaited.
  std::set<std::string> awaited_params;
  // Functions in make_async that are sync entry points (FunctionSummary::sync_entry): their
  // body becomes an async function that a plain one of the same name runs.
  std::set<std::string> sync_entries;
  bool has(std::string_view q) const { return make_async.count(std::string(q)) > 0; }
  // A migration edits more than the functions made async and their callers (sessions,
  // engines, queries everywhere): its files are not told.
  bool migration = false;
  // The files of the functions made async and of their callers.
  std::optional<std::set<std::string>> edited_files(const ProjectIndex& index) const override;
};

// Says whether a call blocks: (api name, rule id) or nothing. Supplied by the rules.
using BlockingClassifier = std::function<std::optional<std::pair<std::string, std::string>>(
    TSNode call, const semantic::SemanticModel& model, const semantic::TypeOracle& types)>;

class TriggerScanner;

// Where summaries made by an earlier run are kept (the run's cache, engine/run/cache.h): by
// key, the encodings (summary_io.h) of the summaries made for that key, each with the answers
// it was made with. Called from the index's worker threads.
class SummaryStore {
 public:
  virtual ~SummaryStore() = default;
  virtual std::vector<std::shared_ptr<const std::string>> get(const std::string& key) const = 0;
  // `bytes` was used for key (a summary of the file at path) in this run, made now or given by
  // get(): it is kept.
  virtual void put(const std::string& path, const std::string& key, std::shared_ptr<const std::string> bytes) = 0;
};

class ProjectIndex : public semantic::ProjectTypes {
 public:
  ProjectIndex(std::vector<DiscoveredFile> files, BlockingClassifier classifier);
  ~ProjectIndex() override;

  // Summaries are taken from `store` where one was made from the same bytes of the same module
  // with the same answers from the index, and kept there. Set before build().
  void use_store(SummaryStore* store);
  // What the rules can learn from the index, as one hash: every summary, what was loaded or
  // tried, the files of the project. Two runs with the same digest (and the same rules and
  // settings) give each file the same findings. Zero unless a store is used.
  Hash128 digest() const;
  size_t summaries_from_store() const { return from_store_; }

  // Summarizes the modules of files containing any seed literal, then the project modules
  // their functions call, transitively (on `jobs` threads).
  void build(const std::vector<std::string>& seed_literals, int jobs);
  // Also summarizes files containing any of these literals (and what they call).
  void load_containing(const std::vector<std::string>& literals, int jobs);

  // A file whose parse the index gave up on (it took longer than the parse time limit): the
  // check skips it with this reason rather than spend the time again.
  std::optional<std::string> gave_up_on(const std::string& path) const;

  bool is_project_module(std::string_view module) const;
  // A module pytest imports by its path: test_*.py, *_test.py, conftest.py, or under a
  // tests/ or test/ directory.
  static bool is_test_path(std::string_view path);
  // The parameter of g an argument given at `at` ("0", "1"..., or a keyword) binds, or "".
  static std::string parameter_at(const FunctionSummary& g, const std::string& at);
  // Where ref is an argument of a call ("0", "1"... positional, before any keyword or splat;
  // else the keyword's name), with that call in *call; "" when it is not one.
  static std::string argument_slot(TSNode ref, std::string_view src, TSNode* call);
  // The conftest.py modules whose fixtures a module at `path` sees, nearest first.
  std::vector<const ModuleSummary*> conftests_above(std::string_view path) const;
  const ModuleSummary* module(std::string_view module) const;
  // A project function by qualified name (following re-exports such as
  // `from .crud import get_user` in a package's __init__).
  const FunctionSummary* function(std::string_view qualname) const;
  const std::map<std::string, ModuleSummary, std::less<>>& modules() const { return modules_; }
  // How many summaries were made, in all (a module summarized again counts twice).
  size_t summaries_made() const { return summaries_made_; }

  // The shortest chain of sync project functions from `qualname` down to a blocking call,
  // e.g. {"app.crud.get_user", "app.clients.fetch", "requests.get"}; empty when it does not
  // block (or is async).
  std::vector<std::string> blocking_path(std::string_view qualname) const;
  // The blocking record at the end of blocking_path (where it is).
  const BlockingRecord* blocking_leaf(std::string_view qualname) const;

  // The relationship `attr` of mapped class `cls` (its plain name), if some module maps it.
  const RelationshipInfo* relationship(std::string_view cls, std::string_view attr) const;
  // Mapped classes that have a relationship named `attr`.
  std::vector<std::string> classes_with_relationship(std::string_view attr) const;
  // Some mapped class has a `lazy="dynamic"` relationship named `attr` (a set lookup).
  const std::set<std::string>& dynamic_relationships() const { return dynamic_relationships_; }
  bool is_dynamic_relationship(std::string_view attr) const {
    return dynamic_relationships_.count(std::string(attr)) > 0;
  }
  // Is `name` read as an attribute somewhere, or a field of a pydantic model (a response
  // model reads the ORM attribute of that name)?
  bool attribute_used(std::string_view name) const;
  // Module globals whose type has one of literals as a dotted part (`client =
  // httpx.Client()` for "httpx" or "Client"). A file that imports such a name may use the
  // type without ever writing the literal, so these names are prefilter triggers too; so are
  // module-level functions whose result has such a type (`db = create_session()`).
  std::vector<std::string> names_typed_with(const std::vector<std::string>& literals) const;
  // The same names, for the types `wanted` accepts (it is asked the type, and the class
  // whose methods an instance of it has).
  std::vector<std::string> names_typed_with(const std::function<bool(std::string_view type)>& wanted) const;
  // Does the project class cls (or one of its project bases) define an `async def` method
  // called by name (not a dunder: `__aenter__` is reached through `async with`)?
  bool has_async_methods(std::string_view cls) const;

  // Every recorded call to `qualname` in the loaded modules (re-exports resolved).
  std::vector<const CallRecord*> callers_of(std::string_view qualname) const;
  // The files of the loaded modules that call it (or pass it as a value).
  std::set<std::string> caller_paths(std::string_view qualname) const;

  std::optional<std::string> global_type(std::string_view qualname) const override;
  std::optional<std::string> return_type(std::string_view qualname) const override;
  std::optional<std::string> class_type(std::string_view qualname) const override;
  // A parameter's type from the call sites: every call of the function in the loaded modules
  // passes the same known type (a decorator's wrapper passing a session counts as the call).
  std::optional<std::string> parameter_type(std::string_view function, std::string_view param) const override;
  std::optional<std::string> decorator_argument_type(std::string_view decorator, size_t k) const override;

  // Qualified name of a function definition node in a file of module `module`.
  static std::string function_qualname(const std::string& module, TSNode fn, std::string_view src);
  // The qualified name a call's callee resolves to: through imports, a module-level function of
  // the same module, or `self.method` in a method. Empty when it cannot be told.
  // With `types`, also `obj.method(...)` where obj is an instance of a project class.
  // What the library model knows of a call: its function's facts, else its method's (by the
  // receiver's type).
  static const semantic::CallFact* library_fact(TSNode call, const semantic::SemanticModel& model,
                                                const semantic::TypeOracle& types, std::string_view src);
  // A function passed to a library that calls it itself and awaits it when it is async
  // (`awaits: $k`, `awaits-items` in the library model): `Depends(get_db)`,
  // `app.dependency_overrides[get_db] = override_get_db`. Becoming async is fine there.
  static bool awaited_by_library(TSNode ref, const semantic::SemanticModel& model, const semantic::TypeOracle& types,
                                 std::string_view src);
  static std::string resolve_callee(TSNode call, const semantic::SemanticModel& model,
                                    const semantic::TypeOracle* types = nullptr);
  // The same for an expression that names a function without calling it (`crud.get` in
  // `run_in_threadpool(crud.get, db)`).
  static std::string resolve_function_ref(TSNode expr, const semantic::SemanticModel& model,
                                          const semantic::TypeOracle* types = nullptr);

  // Await propagation, worked example. Seeds: functions that must become async (a plain def
  // holding `await`). For `load` (a seed) in app/util.py:
  //   app.api.handler (async)  calls load   -> the call gets `await`
  //   app.jobs.run (def)       calls load   -> run becomes async too, and its callers in turn
  //   app.cli (module level)   calls run    -> cannot become async: `load` is blocked, and
  //                                            nothing of its chain changes (reported instead)
  //   Depends(load)                         -> fine: FastAPI awaits async dependencies
  //   executor.submit(load)                 -> a sync callback: blocked
  // Loads the files that mention each name it needs (to find every caller) as it goes.
  // With stop_at_blockers false (a migration), every function of a chain becomes async and
  // the callers that cannot follow are listed in plan().stuck instead.
  AsyncPlan plan_async(const std::vector<std::string>& seeds, int jobs, bool stop_at_blockers = true,
                       const std::string& seed_reason = "contains `await`");

  // What a summary asked the index about other modules, and the answers it got: when the
  // answers are the same later, summarizing again would give the same summary.
  struct TypeQuery {
    char kind;  // 'g' global_type, 'r' return_type, 'c' class_type, 'p' parameter_type ("fn(param")
    std::string qualname;
    std::optional<std::string> answer;
    // "" when the module's own code needs the answer; a function's qualified name when only
    // the inference of that function's result does (the answer's module is then loaded only
    // once someone asks what the function returns).
    std::string context;
    bool operator<(const TypeQuery& o) const { return std::tie(kind, qualname) < std::tie(o.kind, o.qualname); }
  };
 private:
  std::optional<ModuleSummary> summarize(const DiscoveredFile& f, std::set<TypeQuery>* asked = nullptr,
                                         Hash128* hash = nullptr) const;
  // A summary of f's bytes from the store whose answers are still the ones the index gives.
  std::optional<ModuleSummary> stored_summary(const std::string& path, const std::string& key,
                                              std::set<TypeQuery>* asked, Hash128* hash) const;
  bool still_answered(const std::set<TypeQuery>& questions) const;
  bool answers_changed(const std::set<TypeQuery>& asked) const;
  // Summarizes the modules of wave, in the order of their imports (a level at a time).
  void load_wave(std::vector<const DiscoveredFile*> wave, int jobs);
  // Summarizes the modules of one level on `jobs` threads, then adds them to the index.
  void load_level(std::vector<const DiscoveredFile*> wave, int jobs);
  void close_over_calls(int jobs);
  std::set<std::string> demanded_results() const;
  // The names whose modules a module on the async call graph needs read: its decorators, the
  // functions it hands to run_in_threadpool, the types it asked about (demanded: the
  // functions whose results are asked for).
  std::vector<std::string> modules_wanted_by(const ModuleSummary& m, const std::set<std::string>& demanded) const;
  void compute_blocking_paths();
  void blocking_path_from(const std::string& function);
  bool find_dispatches();
  // The project decorator of f whose wrapper (which calls f) blocks, if any.
  const FunctionSummary* blocking_wrapper(const FunctionSummary& f) const;
  void compute_parameter_types();
  // pytest's fixtures: which fixture each test function's and fixture's parameters request
  // (FunctionSummary::fixture_requests), and the type of what it gives (a parameter type).
  void compute_fixtures();
  void load_implementations(int jobs);
  std::string resolve_alias(std::string_view qualname) const;
  std::string resolve_alias_uncached(std::string_view qualname) const;
  // The loaded module that holds qualname (its longest dotted prefix that is one), and in
  // *rest what follows it ("Class.method").
  const ModuleSummary* loaded_module_of(std::string_view qualname, std::string* rest) const;
  const FunctionSummary* function_uncached(std::string_view qualname) const;
  // The loaded module that m's star imports (followed transitively) take `name` from, if any.
  const ModuleSummary* star_source(const ModuleSummary& m, const std::string& name, int depth = 0) const;
  // The modules not loaded yet that the loaded module of qualname star-imports, when the name
  // is not bound there otherwise: where it may come from.
  void unloaded_star_sources(std::string_view qualname, std::vector<std::string>* out) const;
  std::optional<std::string> inherited_attribute(const ModuleSummary& m, const std::string& name) const;
  const FunctionSummary* inherited_method(const ModuleSummary& m, const std::string& name) const;
  const FunctionSummary* instance_method(const ModuleSummary& m, const std::string& name) const;
  // The project overrides of a method (in subclasses of its class, loaded modules only).
  std::vector<std::string> overrides_of(const std::string& method,
                                        const std::map<std::string, std::vector<std::string>>& subclasses) const;
  std::map<std::string, std::vector<std::string>> subclass_map() const;

  // What one read of a file tells, kept for the rest of the build: its size (a wave starts
  // with its biggest files, so that the threads finish together) and the base classes its
  // class statements name (load_implementations looks there for subclasses).
  struct FileFacts {
    bool read = false;
    size_t size = 0;
    std::vector<std::string> class_bases;  // the last part of each: `class R(base.Repo[T])` -> "Repo"
    std::vector<uint32_t> imports;         // the files of the project modules its imports name
  };
  // Reads, on `jobs` threads, the files of modules not loaded yet whose facts are not known
  // (all of them when scanner is set) and returns, in files_ order, those scanner finds a
  // literal in.
  std::vector<const DiscoveredFile*> scan_files(const TriggerScanner* scanner, int jobs);
  // Reads the files of todo (indexes in files_) on `jobs` threads: their facts where not
  // known, and, by position in todo, whether scanner (when set; else nothing is read again)
  // finds a literal in each.
  std::vector<char> read_facts(const std::vector<size_t>& todo, const TriggerScanner* scanner, int jobs);
  // The files of the project modules f's import statements name (read from its text).
  std::vector<uint32_t> imported_files(const DiscoveredFile& f, std::string_view bytes) const;

  std::vector<DiscoveredFile> files_;
  std::vector<FileFacts> facts_;  // by index in files_
  std::map<std::string, const DiscoveredFile*, std::less<>> by_module_;
  BlockingClassifier classifier_;
  std::map<std::string, ModuleSummary, std::less<>> modules_;
  // resolve_alias's answers, valid while modules_ does not change (generation_ names the
  // state; each thread keeps its own cache).
  uint64_t generation_ = 0;
  std::set<std::string> dynamic_relationships_;  // relationship names some class maps as dynamic
  std::set<std::string> relevant_;  // modules with async functions or functions reached from them
  bool whole_program_ = false;      // built with the empty seed: every module matters
  std::set<std::string> attempted_;  // modules loaded or failed
  std::set<std::string> searched_classes_;  // classes with abstract methods whose subclasses were looked for
  size_t summaries_made_ = 0;
  bool settled_ = false;  // load_containing has run its fixed point over the loaded modules
  std::map<std::string, std::set<TypeQuery>> asked_;  // per module: its summary's type queries
  std::map<std::string, std::vector<std::string>> blocking_paths_;
  std::map<std::string, std::string> dispatch_;  // abstract method -> an override (every one blocks)
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> parameter_types_;
  SummaryStore* store_ = nullptr;
  Hash128 universe_;                           // the project's files (with a store only)
  std::map<std::string, Hash128> summary_hash_;  // module -> its summary's encoding's hash
  mutable std::atomic<size_t> from_store_{0};
  mutable std::mutex gave_up_mu_;
  mutable std::map<std::string, std::string> gave_up_;  // path -> why (summaries run on worker threads)
};

}  // namespace asyncfix
