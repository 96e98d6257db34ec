// AF602 async-session-migration: a sync SQLAlchemy + FastAPI app -> AsyncSession, across the
// project (asyncfix migrate async-sqlalchemy).
//
// The plan is made once for the whole project (prepare_project): the functions that use a
// session (a query, a commit, a close...) must become async; so must every function that
// calls one of them, up to the route handlers (await propagation, see
// ProjectIndex::plan_async). Then each file gets its part:
//
//   create_engine(URL, ...)         -> create_async_engine(<async driver URL>, ...)
//   sessionmaker(...)               -> async_sessionmaker(..., expire_on_commit=False)   (2.0)
//                                      sessionmaker(..., class_=AsyncSession, expire_on_commit=False) (1.4)
//   db: Session                     -> db: AsyncSession
//   db.commit() / db.get(...) / ... -> await db.commit() / await db.get(...)
//   with SessionLocal() as db:      -> async with SessionLocal() as db:
//   def f(...) (in the plan)        -> async def f(...), and every call f(...) -> await f(...)
//   Base.metadata.create_all(...)   -> a startup handler (FastAPI < 0.93) or lifespan that runs
//                                      it with `await conn.run_sync(...)`
//   relationship(...) read later    -> relationship(..., lazy="selectin")
// Callers that cannot become async (module-level code, callbacks) are reported where they are.
#include <algorithm>
#include <map>
#include <set>

#include "engine/match/rule_tree.h"
#include "engine/rewrite/imports.h"
#include "engine/rewrite/indent.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/source/triggers.h"
#include "engine/project/project.h"
#include "engine/syntax/node.h"
#include "engine/rewrite/edit_list.h"
#include "engine/semantic/library_model.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/sqlalchemy_support.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

// The migration's plan (prepare_project), or an empty one when the run made none.
const AsyncPlan& plan_of(const FileContext& ctx) {
  static const AsyncPlan kNone;
  const AsyncPlan* p = ctx.plan_as<AsyncPlan>();
  return p ? *p : kNone;
}

using syntax::field;
using syntax::is;
using syntax::text;

// Sync database URL prefixes and their async drivers, most specific first: the one table
// for a literal URL (async_url) and for the helper a computed URL goes through (url_helper).
const std::pair<const char*, const char*> kAsyncDrivers[] = {
    {"sqlite+pysqlite://", "sqlite+aiosqlite://"},  {"sqlite://", "sqlite+aiosqlite://"},
    {"postgresql+psycopg2://", "postgresql+asyncpg://"}, {"postgresql://", "postgresql+asyncpg://"},
    {"postgres://", "postgresql+asyncpg://"},       {"mysql+pymysql://", "mysql+aiomysql://"},
    {"mysql+mysqldb://", "mysql+aiomysql://"},      {"mysql://", "mysql+aiomysql://"},
};

// The async driver for a sync database URL, as a literal rewrite.
std::optional<std::string> async_url(std::string_view url) {
  for (const auto& [from, to] : kAsyncDrivers) {
    if (url.rfind(from, 0) == 0) return std::string(to) + std::string(url.substr(std::string_view(from).size()));
  }
  return std::nullopt;
}

// The function the migration adds where the URL is computed (settings, the environment).
const std::string& url_helper() {
  static const std::string text = [] {
    std::string t =
        "def _async_database_url(url):\n"
        "    \"\"\"The database URL with its async driver (added by asyncfix migrate async-sqlalchemy).\"\"\"\n"
        "    url = str(url)\n"
        "    for sync, async_ in (\n";
    for (const auto& [from, to] : kAsyncDrivers) t += std::string("        (\"") + from + "\", \"" + to + "\"),\n";
    t += "    ):\n"
         "        if url.startswith(sync):\n"
         "            return async_ + url[len(sync) :]\n"
         "    return url\n";
    return t;
  }();
  return text;
}


class AsyncSessionMigration : public Rule {
 public:
  explicit AsyncSessionMigration(const RuleSettings& settings) : settings_(settings) {
    info_ = builtin_info("AF602");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override {
    // A migration is a whole-program change: index every module.
    if (settings_.migrate_async_sqlalchemy) return {""};
    // The factory, and the async route handlers that make it a problem (report_factory asks
    // the index for them: without this seed, `--select AF602` alone never saw one).
    return {"sessionmaker", kAsyncDefTrigger};
  }

  std::shared_ptr<const ProjectPlan> prepare_project(ProjectIndex& index, int jobs) const override {
    if (!settings_.migrate_async_sqlalchemy) return nullptr;
    std::vector<std::string> seeds;
    for (const auto& [mname, m] : index.modules()) {
      for (const auto& [fname, f] : m.functions) {
        bool uses = std::any_of(f.blocking.begin(), f.blocking.end(), [](const BlockingRecord& b) {
          size_t dot = b.api.rfind('.');
          if (dot == std::string::npos) return false;
          std::string cls = b.api.substr(0, dot), method = b.api.substr(dot + 1);
          // query() has no AsyncSession counterpart: AF601 rewrites it into an awaited select.
          return (cls == semantic::types::kSession && method == "query") || becomes_coroutine(cls, method);
        });
        if ((uses || f.enters_session || f.runs_ddl) && !f.is_async && f.async_blocker.empty()) seeds.push_back(f.qualname);
      }
    }
    auto plan = std::make_shared<AsyncPlan>(
        index.plan_async(seeds, jobs, /*stop_at_blockers=*/false, "uses the session, whose calls are now awaited"));
    plan->migration = true;
    return plan;
  }

  std::vector<std::string> project_triggers(const ProjectIndex& index, const ProjectPlan* plan) const override {
    std::vector<std::string> names;
    const auto* async_plan = dynamic_cast<const AsyncPlan*>(plan);
    if (!async_plan) return names;
    std::set<std::string> unique;
    for (const auto& [q, why] : async_plan->make_async) unique.insert(q.substr(q.rfind('.') + 1));
    // And the project's async functions: what this run finds async is what it reports where it
    // cannot be awaited (a second run reports what the first made async and left so).
    for (const auto& [mname, m] : index.modules()) {
      for (const auto& [fname, f] : m.functions) {
        if (f.is_async) unique.insert(f.qualname.substr(f.qualname.rfind('.') + 1));
      }
    }
    names.assign(unique.begin(), unique.end());
    return names;
  }

  void check_file(FileContext& ctx) const override {
    if (!settings_.migrate_async_sqlalchemy) {
      report_factory(ctx);
      return;
    }
    const ProjectIndex* index = ctx.project();
    const auto& model = ctx.model();
    std::string_view src = ctx.text();
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (is(n, "call")) {
        auto q = model.qualified_name(field(n, "function"));
        const std::string* async_q = q ? semantic::LibraryModel::current().async_counterpart(*q) : nullptr;
        if (async_q && *async_q == "sqlalchemy.ext.asyncio.create_async_engine") engine_fix(ctx, n, *q, *async_q);
        else if (async_q && semantic::canonical_type(*q) == semantic::types::kSession) session_class_fix(ctx, n, *q, *async_q);
        else if (q && *q == "sqlalchemy.orm.sessionmaker") factory_fix(ctx, n);
        else if (async_q && semantic::LibraryModel::current().canonical(*q) == "sqlalchemy.orm.scoped_session")
          scoped_session_fix(ctx, n, *q, *async_q);
        else if (q && (*q == "sqlalchemy.inspect" || *q == "sqlalchemy.inspection.inspect")) inspect_report(ctx, n);
        else if (q && (*q == "sqlalchemy.orm.relationship" || *q == "sqlalchemy.orm.relation")) relationship_fix(ctx, n);
        else if (!is_awaited(n)) {
          session_call_fix(ctx, n);
          if (index) plan_call_fix(ctx, *index, n);
        }
        return true;
      }
      if (is(n, "function_definition")) {
        // The usual session dependency is AF303's, rewritten whole.
        if (auto dep = session_dependency(ctx, n); dep && dep->canonical) return false;
      }
      if (is(n, "function_definition") && index) {
        std::string q = ProjectIndex::function_qualname(ctx.module_name(), n, src);
        auto it = plan_of(ctx).make_async.find(q);
        if (it != plan_of(ctx).make_async.end() && !syntax::is_async_def(n) && plan_of(ctx).sync_entries.count(q)) {
          sync_entry_fix(ctx, n, it->second);
          return true;
        }
        if (it != plan_of(ctx).make_async.end() && !syntax::is_async_def(n)) {
          Finding& f = ctx.report(field(n, "name"), "`" + std::string(text(field(n, "name"), src)) + "` becomes async: it " + it->second);
          Fix fix;
          fix.title = "Make it `async def`";
          fix.edits.push_back(Edit{ts_node_start_byte(n), ts_node_start_byte(n), "async "});
          test_marker_fix(ctx, *index, n, q, fix);
          decorator_counterpart_fix(ctx, n, fix);
          f.fix = std::move(fix);
          generator_annotation_fix(ctx, n);
          yield_from_fix(ctx, *index, n);
        }
        return true;
      }
      if (is(n, "type")) {
        annotation_fix(ctx, n);
        return false;
      }
      if (is(n, "identifier") || is(n, "attribute")) class_check_fix(ctx, n);
      if ((is(n, "identifier") || is(n, "attribute")) && index) value_use(ctx, *index, n);
      if (is(n, "with_statement")) {
        with_fix(ctx, n);
        return true;
      }
      if (is(n, "expression_statement")) {
        create_all_fix(ctx, n);
        return true;
      }
      return true;
    });
  }

 private:
  // check (not migrate): one finding at the session factory of a project with async code.
  void report_factory(FileContext& ctx) const {
    if (ctx.text().find("sessionmaker") == std::string_view::npos) return;
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (!is(n, "call")) return true;
      auto q = ctx.model().qualified_name(field(n, "function"));
      if (!q || *q != "sqlalchemy.orm.sessionmaker") return true;
      for (TSNode a : syntax::code_children(field(n, "arguments"))) {
        if (is(a, "keyword_argument") && text(field(a, "name"), ctx.text()) == "class_") return true;  // async already
      }
      const ProjectIndex* index = ctx.project();
      bool async_code = false;
      if (index) {
        for (const auto& [mname, m] : index->modules()) {
          for (const auto& [fname, f] : m.functions) async_code |= f.is_async && f.is_route_handler;
        }
      }
      if (!async_code) return true;
      Finding& f = ctx.report(n, "sync SQLAlchemy session factory in an app with async route handlers");
      f.note = "run `asyncfix migrate async-sqlalchemy` to move the whole app to AsyncSession as one diff";
      return true;
    });
  }

  Version target_sqlalchemy() const { return settings_.target_sqlalchemy; }

  // The name to write for a library qualname (`pkg.mod.Name`), and its import.
  static ImportPlanner::Reference library_name(FileContext& ctx, const std::string& qualname, TSNode at) {
    size_t dot = qualname.rfind('.');
    return ctx.imports().name(qualname.substr(0, dot), qualname.substr(dot + 1), at);
  }

  // A fix that writes `ref` over node n, whose old name `removed` may leave its import unused.
  static Fix rename_fix(FileContext& ctx, TSNode n, const ImportPlanner::Reference& ref, std::string title,
                        const std::string& removed) {
    Fix fix;
    fix.title = std::move(title);
    fix.edits.push_back(Edit{ts_node_start_byte(n), ts_node_end_byte(n), ref.text});
    fix.imports = ref.needs;
    fix.remove_if_unused = {removed};
    add_root_import(ctx, n, fix.remove_if_unused);  // `sqlalchemy.orm.Session` after `import sqlalchemy.orm`
    return fix;
  }

  // What replaces the sync session class q: its counterpart (SQLModel's AsyncSession for
  // SQLModel's Session), else SQLAlchemy's AsyncSession.
  static ImportPlanner::Reference async_session_name(FileContext& ctx, const std::string& q, TSNode at) {
    const std::string* async_q = semantic::LibraryModel::current().async_counterpart(q);
    return library_name(ctx, async_q ? *async_q : std::string(semantic::types::kAsyncSession), at);
  }

  // Session(engine) -> AsyncSession(engine): the engine is async now. (SQLModel's Session has
  // SQLModel's AsyncSession, with exec(): the library model's counterparts.)
  void session_class_fix(FileContext& ctx, TSNode call, const std::string& q, const std::string& async_q) const {
    TSNode callee = field(call, "function");
    auto cls = library_name(ctx, async_q, call);
    Finding& f = ctx.report(call, "a sync session on an engine that is async now: make it `" + cls.text + "`");
    if (ctx.model().context_at(call) == semantic::Context::Lambda) return;
    Fix fix = rename_fix(ctx, callee, cls, "Make it `" + cls.text + "`", q);
    // As the factory gets: an object read after commit() is not reloaded (async code cannot
    // lazy-load an expired attribute).
    TSNode args = field(call, "arguments");
    if (is(callee, "identifier") || is(callee, "attribute")) {
      bool has_expire = false, splat = false;
      auto kids = syntax::code_children(args);
      for (TSNode a : kids) {
        has_expire |= is(a, "keyword_argument") && text(field(a, "name"), ctx.text()) == "expire_on_commit";
        splat |= is(a, "dictionary_splat");
      }
      if (!has_expire && !splat) {
        if (kids.empty()) fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, "expire_on_commit=False"});
        else fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", expire_on_commit=False"});
      }
    }
    add_root_import(ctx, callee, fix.remove_if_unused);
    f.fix = std::move(fix);
  }

  // `engine = create_engine(...)` held by a local name that never leaves its function (not
  // returned, yielded, stored on an object or declared global): only that function uses it.
  static bool stays_local(FileContext& ctx, TSNode call) {
    TSNode asg = syntax::parent(call);
    if (!is(asg, "assignment") || !is(field(asg, "left"), "identifier")) return false;
    std::string_view src = ctx.text();
    TSNode name = field(asg, "left");
    std::string_view id = text(name, src);
    const semantic::Binding* b = ctx.model().resolve(id, name);
    if (!b) return false;
    int scope = ctx.model().resolving_scope(id, name);
    if (scope < 0 || ctx.model().scope(scope).kind != semantic::ScopeKind::Function) return false;
    for (TSNode ref : ctx.model().references()) {
      if (text(ref, src) != id || ctx.model().resolving_scope(id, ref) != scope) continue;
      TSNode p = syntax::parent(ref);
      while (is(p, "parenthesized_expression") || is(p, "expression_list")) p = syntax::parent(p);
      if (is(p, "return_statement") || is(p, "yield")) return false;
      if (is(p, "assignment") && syntax::same(field(p, "right"), ref)) return false;  // x.engine = engine
    }
    return true;
  }

  void engine_fix(FileContext& ctx, TSNode call, const std::string& sync_q, const std::string& async_q) const {
    std::string_view src = ctx.text();
    auto args = syntax::code_children(field(call, "arguments"));
    if (args.empty() || is(args[0], "keyword_argument")) return;
    // An engine made inside a function the migration keeps sync serves that function's own
    // sync work (`with engine.connect()`, `pandas.read_sql(q, engine)`): an async engine
    // would break it.
    TSNode maker = ctx.model().enclosing_function(call);
    if (is(maker, "function_definition") && !syntax::is_async_def(maker) && ctx.project() &&
        !plan_of(ctx).has(ProjectIndex::function_qualname(ctx.module_name(), maker, src)) && stays_local(ctx, call))
      return;
    Finding& f = ctx.report(call, "sync engine: use `create_async_engine` with an async driver");
    auto fn = library_name(ctx, async_q, call);
    Fix fix;
    fix.title = "Use `create_async_engine`";
    fix.edits.push_back(Edit{ts_node_start_byte(field(call, "function")), ts_node_end_byte(field(call, "function")), fn.text});
    fix.imports = fn.needs;
    TSNode url = args[0];
    std::string_view ut = text(url, src);
    if (is(url, "string") && ut.size() >= 2 && ut.find('{') == std::string_view::npos) {
      char q = ut[0] == 'r' || ut[0] == 'b' ? ut[1] : ut[0];
      size_t open = ut.find(q);
      std::string_view body = ut.substr(open + 1, ut.size() - open - 2);
      if (auto mapped = async_url(body)) {
        fix.edits.push_back(Edit{ts_node_start_byte(url), ts_node_end_byte(url), std::string(ut.substr(0, open + 1)) + *mapped + q});
      } else {
        f.note = "its driver is not one asyncfix maps to an async one: change the URL and the call by hand";
        return;
      }
    } else {
      // A URL from configuration: map it when the program runs.
      fix.edits.push_back(Edit{ts_node_start_byte(url), ts_node_start_byte(url), "_async_database_url("});
      fix.edits.push_back(Edit{ts_node_end_byte(url), ts_node_end_byte(url), ")"});
      fix.helpers.push_back(HelperNeed{"_async_database_url", url_helper()});
    }
    fix.remove_if_unused = {sync_q};
    add_root_import(ctx, field(call, "function"), fix.remove_if_unused);
    f.fix = std::move(fix);
  }

  // scoped_session(factory) -> async_scoped_session(factory, scopefunc=current_task): the
  // factory becomes async with the migration, and an async scoped session has no default
  // scope (a thread is no scope for the tasks of one event loop). A scopefunc the code gives
  // is kept.
  void scoped_session_fix(FileContext& ctx, TSNode call, const std::string& sync_q, const std::string& async_q) const {
    std::string_view src = ctx.text();
    TSNode args = field(call, "arguments");
    auto kids = syntax::code_children(args);
    bool has_scope = std::any_of(kids.begin(), kids.end(), [&](TSNode a) {
      return is(a, "keyword_argument") && text(field(a, "name"), src) == "scopefunc";
    });
    Finding& f = ctx.report(call, "a scoped_session of a factory that becomes async: make it an async_scoped_session");
    if (kids.empty() || is(kids.front(), "list_splat") || is(kids.front(), "dictionary_splat")) {
      f.note = "give async_scoped_session the async factory and `scopefunc=asyncio.current_task`";
      return;
    }
    auto ref = library_name(ctx, async_q, call);
    Fix fix = rename_fix(ctx, field(call, "function"), ref, "Use async_scoped_session", sync_q);
    if (!has_scope) {
      TSNode asg = syntax::parent(call);
      std::string held = is(asg, "assignment") && is(field(asg, "left"), "identifier") ? std::string(text(field(asg, "left"), src))
                                                                                      : "the scoped session";
      f.note = "each task's session stays open until `await " + held +
               ".remove()`: call it when a request ends (in a middleware, or the dependency that uses it)";
      auto task = ctx.imports().name("asyncio", "current_task", call);
      fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", scopefunc=" + task.text});
      fix.imports.insert(fix.imports.end(), task.needs.begin(), task.needs.end());
    }
    f.fix = std::move(fix);
  }

  void factory_fix(FileContext& ctx, TSNode call) const {
    std::string_view src = ctx.text();
    TSNode args = field(call, "arguments");
    bool has_class = false, has_expire = false;
    TSNode autocommit{};
    for (TSNode a : syntax::code_children(args)) {
      if (!is(a, "keyword_argument")) continue;
      std::string_view k = text(field(a, "name"), src);
      has_class |= k == "class_";
      has_expire |= k == "expire_on_commit";
      if (k == "autocommit") autocommit = a;
    }
    if (has_class) return;  // already an async (or custom) session class
    Finding& f = ctx.report(call, "sync session factory: make it produce AsyncSession");
    Fix fix;
    fix.title = "Produce AsyncSession";
    EditList edits;
    std::vector<ImportNeed> needs;
    std::string extra;
    if (target_sqlalchemy() >= Version{2, 0}) {
      auto fn = ctx.imports().name("sqlalchemy.ext.asyncio", "async_sessionmaker", call);
      needs = fn.needs;
      edits.replace(ts_node_start_byte(field(call, "function")), ts_node_end_byte(field(call, "function")), fn.text);
      if (!syntax::is_null(autocommit)) remove_argument(autocommit, src, edits);  // no autocommit in 2.0
    } else {
      auto cls = ctx.imports().name("sqlalchemy.ext.asyncio", "AsyncSession", call);
      needs = cls.needs;
      extra += "class_=" + cls.text;
    }
    if (!has_expire) extra += std::string(extra.empty() ? "" : ", ") + "expire_on_commit=False";
    if (!extra.empty()) {
      auto kids = syntax::code_children(args);
      if (kids.empty()) edits.insert(ts_node_end_byte(args) - 1, extra);
      else edits.insert(ts_node_end_byte(kids.back()), ", " + extra);
    }
    fix.edits = edits.take();
    fix.imports = needs;
    fix.remove_if_unused = {"sqlalchemy.orm.sessionmaker"};
    if (target_sqlalchemy() >= Version{2, 0}) add_root_import(ctx, field(call, "function"), fix.remove_if_unused);
    f.fix = std::move(fix);
  }

  // `sa.create_engine` replaced: `import sqlalchemy as sa` may be left unused.
  static void add_root_import(FileContext& ctx, TSNode callee, std::vector<std::string>& out) {
    if (!is(callee, "attribute")) return;
    TSNode root = callee;
    while (is(root, "attribute")) root = field(root, "object");
    if (!is(root, "identifier")) return;
    const semantic::Binding* b = ctx.model().resolve(text(root, ctx.text()), root);
    if (b && b->is_import()) out.push_back(b->qualname);
  }

  // db.commit() -> await db.commit()   (not .query: AF601 rewrites those)
  void session_call_fix(FileContext& ctx, TSNode call) const {
    TSNode callee = field(call, "function");
    if (!is(callee, "attribute")) return;
    std::string method(text(field(callee, "attribute"), ctx.text()));
    TSNode receiver = field(callee, "object");
    std::string on = "an AsyncSession";
    if (!is_awaited_session_method(method)) {
      // `db_session.remove()` on a scoped_session: a coroutine of async_scoped_session.
      const semantic::LibraryModel& lib = semantic::LibraryModel::current();
      auto t = ctx.types().type_of(receiver);
      std::string cls = t ? lib.canonical(*t) : "";
      if (!t || !becomes_coroutine(cls, method)) return;
      const std::string& async_cls = *lib.async_counterpart(cls);
      on = "an " + async_cls.substr(async_cls.rfind('.') + 1);
    }
    SessionKind kind = session_kind(ctx, receiver);
    if (kind == SessionKind::None) return;
    if (method == "execute" || method == "scalar" || method == "scalars") raw_sql_fix(ctx, call);
    if (ctx.model().context_at(call) == semantic::Context::Lambda) return;
    Finding& f = ctx.report(call, "`" + method + "()` is a coroutine on " + on + ": await it");
    if (!can_await_at(ctx, call)) {
      f.note = stays_sync_note(ctx, call);
      return;
    }
    f.fix = await_fix(ctx, call, "Await it", Applicability::Safe);
  }

  // db.execute("select ...") -> db.execute(text("select ...")): SQLAlchemy 2.0 executes no
  // plain string, nor does an AsyncConnection on 1.4 (an AsyncSession on 1.4 only warns);
  // text() is right on both. Bound parameters in the DBAPI's style (`%s`, `?`, a tuple of
  // values) are not text()'s `:name`: that is reported.
  void raw_sql_fix(FileContext& ctx, TSNode call) const {
    std::string_view src = ctx.text();
    auto args = syntax::code_children(field(call, "arguments"));
    if (args.empty() || (!is(args[0], "string") && !is(args[0], "concatenated_string"))) return;
    TSNode sql = args[0];
    Finding& f = ctx.report(sql, "a SQL string: SQLAlchemy 2.0 executes it only as `text()`");
    std::string_view body = text(sql, src);
    bool dbapi_params = body.find("%s") != std::string_view::npos || body.find("%(") != std::string_view::npos ||
                        body.find('?') != std::string_view::npos ||
                        (args.size() > 1 && !is(args[1], "keyword_argument") && !is(args[1], "dictionary"));
    if (dbapi_params) {
      f.note = "its parameters are the driver's (`%s`, `?`, a tuple): write them as `:name` with a dict, in `text()`";
      return;
    }
    auto fn = ctx.imports().name("sqlalchemy", "text", call);
    Fix fix;
    fix.title = "Wrap it in `text()`";
    fix.applicability = Applicability::Safe;
    fix.edits.push_back(Edit{ts_node_start_byte(sql), ts_node_start_byte(sql), fn.text + "("});
    fix.edits.push_back(Edit{ts_node_end_byte(sql), ts_node_end_byte(sql), ")"});
    fix.imports = fn.needs;
    f.fix = std::move(fix);
  }

  // f(...) where f becomes async -> await f(...)
  void plan_call_fix(FileContext& ctx, const ProjectIndex& index, TSNode call) const {
    if (parameter_call_fix(ctx, call)) return;
    std::string q = ProjectIndex::resolve_callee(call, ctx.model(), &ctx.types());
    if (q.empty()) return;
    const FunctionSummary* s = index.function(q);
    if (s && !plan_of(ctx).has(s->qualname) && s->is_async && s->generator) {
      // An async generator already (a run before this one made it so, or it always was):
      // iterated synchronously is what a run before reported, and still is.
      async_generator_call(ctx, call, "is", can_await_at(ctx, call));
      return;
    }
    if (s && !plan_of(ctx).has(s->qualname) && s->is_async && !s->generator) {
      // Async already (a run before this one made it so): where nothing can await it, it is
      // what that run reported, and still is (every run reports every residue). An
      // `@asynccontextmanager` function gives a context manager, not a coroutine: the `with`
      // that enters it is with_fix's.
      if (s->counterpart_decorated) {
        context_manager_call(ctx, call);
        return;
      }
      TSNode fn = ctx.model().enclosing_function(call);
      if (passed_to_coroutine_runner(ctx, call)) return;
      if (!is(fn, "function_definition") || (is_nested_function(fn) && !syntax::is_async_def(fn))) {
        stuck_call(ctx, call, s->qualname);
        return;
      }
      // In a function the plan could not make async (a generator that returns a value).
      const FunctionSummary* in = syntax::is_async_def(fn) ? nullptr
                                  : index.function(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text()));
      if (in && !in->async_blocker.empty()) {
        Finding& f = ctx.report(call, "`" + std::string(text(field(call, "function"), ctx.text())) +
                                          "()` is a coroutine but is called where nothing can await it");
        f.note = stays_sync_note(ctx, call);
      }
      return;
    }
    if (!s || !plan_of(ctx).has(s->qualname)) return;
    if (plan_of(ctx).sync_entries.count(s->qualname)) {
      // The command stays a plain function that runs its async body with asyncio.run():
      // fine from sync code, an error where an event loop already runs.
      if (can_await_at(ctx, call)) entry_call_fix(ctx, index, call, *s);
      return;
    }
    if (s->counterpart_decorated) {
      context_manager_call(ctx, call);
      return;
    }
    TSNode fn = ctx.model().enclosing_function(call);
    bool can_await = is(fn, "function_definition") &&
                     (syntax::is_async_def(fn) || plan_of(ctx).has(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text())));
    if (!can_await) {
      // Every top-level function and method that calls it is in the plan, but one that
      // cannot become async; what is left is module code, a lambda or a nested def.
      if (passed_to_coroutine_runner(ctx, call)) return;
      if (s->generator) {
        // Not a coroutine: asyncio.run() cannot run it; handed on, it is fine.
        async_generator_call(ctx, call, "becomes", false);
        return;
      }
      if (!is(fn, "function_definition") || is_nested_function(fn)) {
        stuck_call(ctx, call, s->qualname);
      } else {
        Finding& f = ctx.report(call, "`" + std::string(text(field(call, "function"), ctx.text())) +
                                          (s->generator ? "()` becomes an async generator but is used where nothing can `async for`"
                                                        : "()` becomes a coroutine but is called where nothing can await it"));
        f.note = stays_sync_note(ctx, call);
      }
      return;
    }
    std::string callee(text(field(call, "function"), ctx.text()));
    if (s->generator) {
      // An async generator: iterated with `async for`, never awaited.
      TSNode loop = syntax::parent(call);
      if (is(loop, "yield") && syntax::kind(ts_node_child(loop, 1)) == "from" && is(syntax::parent(loop), "expression_statement") &&
          !syntax::is_async_def(fn) && plan_of(ctx).has(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text())))
        return;  // `yield from g()` in a generator that becomes async: yield_from_fix
      async_generator_call(ctx, call, "becomes", true);
      return;
    }
    Finding& f = ctx.report(call, "`" + callee + "()` becomes a coroutine: await it");
    f.fix = await_fix(ctx, call, "Await it", Applicability::Safe);
  }

  // `yield from g()` in a generator that becomes async (an async generator has no
  // `yield from`) -> a loop that yields what g gives: `async for` when g is an async
  // generator too. (A `yield from` whose value is used keeps the function sync: the plan's
  // async_blocker.)
  void yield_from_fix(FileContext& ctx, const ProjectIndex& index, TSNode fn) const {
    std::string_view src = ctx.text();
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (!is(n, "yield") || syntax::kind(ts_node_child(n, 1)) != "from" || !is(syntax::parent(n), "expression_statement"))
        return true;
      TSNode stmt = syntax::parent(n);
      TSNode value = ts_node_named_child(n, 0);
      Finding& f = ctx.report(n, "an async generator has no `yield from`: yield what it gives in a loop");
      std::string base(line_indent(src, ts_node_start_byte(stmt)));
      if (syntax::is_null(value) || line_start(src, ts_node_start_byte(stmt)) + base.size() != ts_node_start_byte(stmt) ||
          ts_node_named_child_count(stmt) != 1) {
        f.note = "write it as `for item in ...: yield item` (`async for` over an async generator)";
        return false;
      }
      bool async_source = false;
      if (is(value, "call")) {
        const FunctionSummary* g = index.function(ProjectIndex::resolve_callee(value, ctx.model(), &ctx.types()));
        async_source = g && g->generator && (g->is_async || plan_of(ctx).has(g->qualname));
      }
      std::string item = fresh_name(ctx.model(), "item");
      Fix fix;
      fix.title = async_source ? "Yield what it gives with `async for`" : "Yield what it gives in a `for` loop";
      fix.edits.push_back(Edit{ts_node_start_byte(stmt), ts_node_end_byte(stmt),
                               std::string(async_source ? "async " : "") + "for " + item + " in " +
                                   std::string(text(value, src)) +
                                   ":\n" + base + ctx.source().indent_unit() + "yield " + item});
      f.fix = std::move(fix);
      return false;
    });
  }

  // @contextmanager on a generator that becomes async -> @asynccontextmanager (the library
  // model's counterparts).
  void decorator_counterpart_fix(FileContext& ctx, TSNode fn, Fix& fix) const {
    TSNode dd = syntax::parent(fn);
    if (!is(dd, "decorated_definition")) return;
    for (TSNode d : syntax::code_children(dd)) {
      if (!is(d, "decorator")) continue;
      TSNode e = ts_node_named_child(d, 0);
      if (!is(e, "identifier") && !is(e, "attribute")) continue;
      auto q = ctx.model().qualified_name(e);
      const std::string* async_q = q ? semantic::LibraryModel::current().async_counterpart(*q) : nullptr;
      if (!async_q) continue;
      auto ref = library_name(ctx, *async_q, e);
      fix.edits.push_back(Edit{ts_node_start_byte(e), ts_node_end_byte(e), ref.text});
      fix.imports.insert(fix.imports.end(), ref.needs.begin(), ref.needs.end());
      fix.remove_if_unused.push_back(*q);
    }
  }

  // contextmanager(get_session) where get_session becomes async -> asynccontextmanager(...).
  bool wrapper_counterpart_fix(FileContext& ctx, TSNode ref, const std::string& name) const {
    TSNode args = syntax::parent(ref);
    if (!is(args, "argument_list") || !is(syntax::parent(args), "call")) return false;
    auto kids = syntax::code_children(args);
    if (kids.empty() || !syntax::same(kids[0], ref)) return false;
    TSNode callee = field(syntax::parent(args), "function");
    auto q = ctx.model().qualified_name(callee);
    const std::string* async_q = q ? semantic::LibraryModel::current().async_counterpart(*q) : nullptr;
    if (!async_q || semantic::canonical_type(*q) == semantic::types::kSession) return false;
    auto w = library_name(ctx, *async_q, callee);
    Finding& f = ctx.report(callee, "`" + name + "` becomes an async generator: wrap it with `" + w.text + "`");
    f.fix = rename_fix(ctx, callee, w, "Wrap it with `" + w.text + "`", *q);
    return true;
  }

  // The name of the async function a sync entry point's body becomes: `_name` (with a suffix
  // while its module binds that name), the same in every file.
  static std::string entry_impl_name(const ProjectIndex& index, const FunctionSummary& s) {
    std::string local = s.qualname.substr(s.qualname.rfind('.') + 1);
    std::string name = "_" + local;
    const ModuleSummary* m = index.module(s.module);
    auto binds = [&](const std::string& n) {
      return m && (m->functions.count(n) || m->classes.count(n) || m->imports.count(n) || m->globals.count(n));
    };
    for (int k = 2; binds(name); ++k) name = "_" + local + "_" + std::to_string(k);
    return name;
  }

  // add_player(...) in code that can await, where add_player is a sync entry point: the
  // wrapper's asyncio.run() would fail under the running loop, so the body is awaited:
  // await _add_player(...).
  void entry_call_fix(FileContext& ctx, const ProjectIndex& index, TSNode call, const FunctionSummary& s) const {
    std::string_view src = ctx.text();
    TSNode callee = field(call, "function");
    std::string impl = entry_impl_name(index, s);
    Finding& f = ctx.report(call, "`" + std::string(text(callee, src)) +
                                      "()` runs its body with `asyncio.run()`, which fails where an event loop runs: await `" + impl + "()`");
    Fix fix;
    fix.title = "Await `" + impl + "()`";
    std::string head;
    if (is(callee, "identifier")) {
      const semantic::Binding* b = ctx.model().resolve(text(callee, src), callee);
      if (b && b->is_import()) {
        auto ref = ctx.imports().name(s.module, impl, call);
        head = ref.text;
        fix.imports = ref.needs;
        fix.remove_if_unused = {b->qualname};
      } else {
        head = impl;  // the same module
      }
    } else if (is(callee, "attribute")) {
      head = std::string(text(field(callee, "object"), src)) + "." + impl;
    } else {
      f.note = "await `" + impl + "(...)` here instead";
      return;
    }
    bool parens = needs_parens(call, src, "await");
    fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_end_byte(callee), (parens ? "(await " : "await ") + head});
    if (parens) fix.edits.push_back(Edit{ts_node_end_byte(call), ts_node_end_byte(call), ")"});
    f.fix = std::move(fix);
  }

  // A CLI command (a sync entry point: the framework calls it) whose body the migration makes
  // async keeps its name, decorators and signature, and runs the body, now its own async
  // function, with asyncio.run():
  //   @cli.command()
  //   def create_user(username: str):
  //       """Create user"""
  //       return asyncio.run(_create_user(username=username))
  //
  //
  //   async def _create_user(username: str):
  //       ...the body, awaiting...
  void sync_entry_fix(FileContext& ctx, TSNode fn, const std::string& why) const {
    std::string_view src = ctx.text();
    std::string name(text(field(fn, "name"), src));
    TSNode dd = syntax::parent(fn);
    auto body = syntax::code_children(field(fn, "body"));
    if (runs_with_asyncio_run(ctx, body)) return;  // done: the wrapper the fix writes
    Finding& f = ctx.report(field(fn, "name"), "`" + name + "` is called synchronously by its framework, and its body becomes async: it " + why);
    if (!is(dd, "decorated_definition") || !is(syntax::parent(dd), "module") || body.empty() ||
        ts_node_start_point(body[0]).row == ts_node_start_point(fn).row) {
      f.note = "make it run its body with `asyncio.run()` by hand";
      return;
    }
    auto args = forwarded_arguments(field(fn, "parameters"), src);
    if (!args) {
      f.note = "its parameters cannot be forwarded as written: make it run its body with `asyncio.run()` by hand";
      return;
    }
    const ProjectIndex* index = ctx.project();
    const FunctionSummary* summary = index ? index->function(ProjectIndex::function_qualname(ctx.module_name(), fn, src)) : nullptr;
    std::string impl = summary ? entry_impl_name(*index, *summary) : fresh_name(ctx.model(), "_" + name);
    uint32_t bls = line_start(src, ts_node_start_byte(body[0]));
    std::string bi(src.substr(bls, ts_node_start_byte(body[0]) - bls));
    TSNode ret = field(fn, "return_type");
    std::string wrapper = "def " + name + std::string(text(field(fn, "parameters"), src)) +
                          (syntax::is_null(ret) ? "" : " -> " + std::string(text(ret, src))) + ":\n";
    TSNode first = body[0];
    if (is(first, "expression_statement") && is(ts_node_named_child(first, 0), "string"))
      wrapper += bi + std::string(text(first, src)) + "\n";
    auto asyncio = ctx.imports().module("asyncio", fn);
    wrapper += bi + "return " + asyncio.text + ".run(" + impl + "(" + *args + "))\n\n\nasync def " + impl;
    Fix fix;
    fix.title = "Run its body, now `async def " + impl + "`, with `asyncio.run()`";
    fix.edits.push_back(Edit{ts_node_start_byte(fn), ts_node_end_byte(field(fn, "name")), wrapper});
    fix.imports = asyncio.needs;
    f.fix = std::move(fix);
  }

  // A body that is `return asyncio.run(...)`, after a docstring or not.
  static bool runs_with_asyncio_run(FileContext& ctx, const std::vector<TSNode>& body) {
    size_t i = 0;
    if (!body.empty() && is(body[0], "expression_statement") && is(ts_node_named_child(body[0], 0), "string")) ++i;
    if (body.size() != i + 1 || !is(body[i], "return_statement")) return false;
    TSNode call = ts_node_named_child(body[i], 0);
    if (!is(call, "call")) return false;
    auto q = ctx.model().qualified_name(field(call, "function"));
    return q && *q == "asyncio.run";
  }

  // The arguments that pass a function's parameters on as they came (`a, b=b, *args,
  // **kwargs`), or nothing when one cannot be (a tuple parameter).
  static std::optional<std::string> forwarded_arguments(TSNode params, std::string_view src) {
    auto kids = syntax::code_children(params);
    bool has_slash = std::any_of(kids.begin(), kids.end(), [](TSNode k) { return is(k, "positional_separator"); });
    bool positional = has_slash;
    std::string out;
    auto add = [&](const std::string& a) { out += (out.empty() ? "" : ", ") + a; };
    for (TSNode p : kids) {
      if (is(p, "positional_separator")) {
        positional = false;
        continue;
      }
      if (is(p, "keyword_separator")) continue;
      TSNode inner = is(p, "typed_parameter") ? ts_node_named_child(p, 0) : p;
      if (is(inner, "list_splat_pattern")) {
        add("*" + std::string(text(ts_node_named_child(inner, 0), src)));
        continue;
      }
      if (is(inner, "dictionary_splat_pattern")) {
        add("**" + std::string(text(ts_node_named_child(inner, 0), src)));
        continue;
      }
      TSNode name = is(p, "identifier") ? p : is(p, "typed_parameter") ? inner : field(p, "name");
      if (!is(name, "identifier")) return std::nullopt;
      std::string n(text(name, src));
      add(positional ? n : n + "=" + n);
    }
    return out;
  }

  // get_user(username) where get_user is a parameter given only functions that become async.
  bool parameter_call_fix(FileContext& ctx, TSNode call) const {
    TSNode callee = field(call, "function");
    if (!is(callee, "identifier")) return false;
    std::string_view name = text(callee, ctx.text());
    const semantic::Binding* b = ctx.model().resolve(name, callee);
    if (!b || b->kind != semantic::BindingKind::Parameter) return false;
    TSNode fn = syntax::ancestor(b->name, "function_definition");
    if (syntax::is_null(fn) || !syntax::same(fn, ctx.model().enclosing_function(call))) return false;
    std::string key = ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text()) + "(" + std::string(name);
    if (!plan_of(ctx).awaited_params.count(key)) return false;
    Finding& f = ctx.report(call, "`" + std::string(name) + "` is given functions that become async: await its call");
    f.fix = await_fix(ctx, call, "Await it", Applicability::Safe);
    return true;
  }

  // An argument whose parameter the plan awaits (`authenticate(get_user, ...)`).
  bool passed_to_awaited_parameter(FileContext& ctx, const ProjectIndex& index, TSNode ref) const {
    TSNode call{};
    std::string at = ProjectIndex::argument_slot(ref, ctx.text(), &call);
    if (at.empty()) return false;
    const FunctionSummary* g = index.function(ProjectIndex::resolve_callee(call, ctx.model(), &ctx.types()));
    if (!g) return false;
    std::string param = ProjectIndex::parameter_at(*g, at);
    if (plan_of(ctx).awaited_params.count(g->qualname + "(" + param)) return true;
    // An async function that awaits it already (what a run before this one made of it).
    return g->is_async && std::any_of(g->param_calls.begin(), g->param_calls.end(),
                                      [&](const CallRecord& c) { return c.callee == param && c.awaited; });
  }

  // db: Session -> db: AsyncSession (anywhere in an annotation)
  void annotation_fix(FileContext& ctx, TSNode type) const {
    syntax::walk(type, [&](TSNode n) {
      if (!is(n, "identifier") && !is(n, "attribute")) return true;
      auto q = ctx.model().qualified_name(n);
      if (!q || semantic::canonical_type(*q) != semantic::types::kSession) return !is(n, "attribute");
      Finding& f = ctx.report(n, "the session is an AsyncSession now");
      f.fix = rename_fix(ctx, n, async_session_name(ctx, *q, n), "Annotate it `AsyncSession`", *q);
      return false;
    });
  }

  // inspect(engine) on an engine that is async now raises NoInspectionAvailable: the inspector
  // works on a sync connection, inside run_sync. The statement that inspects and the ones
  // after it that read its inspector move into a sync function run there:
  //   insp = inspect(engine)                def inspect_schema(conn):
  //   assert insp.has_table("hero")   ->        insp = inspect(conn)
  //                                              assert insp.has_table("hero")
  //                                          async with engine.connect() as conn:
  //                                              await conn.run_sync(inspect_schema)
  // when that changes nothing else: the moved code binds nothing read outside it, and holds
  // nothing that leaves it (yield, await, break; return only as its last statement, which
  // becomes `return await conn.run_sync(...)`). Otherwise it is reported.
  void inspect_report(FileContext& ctx, TSNode call) const {
    auto args = syntax::code_children(field(call, "arguments"));
    if (args.size() != 1) return;
    auto t = ctx.types().type_of(args[0]);
    if (!t || (*t != semantic::types::kEngine && *t != semantic::types::kAsyncEngine)) return;
    Finding& f = ctx.report(call, "`inspect()` cannot inspect an AsyncEngine");
    const char* manual = "inspect a connection inside run_sync: `async with engine.connect() as conn: await conn.run_sync(lambda c: inspect(c).has_table(...))`";
    if (!can_await_at(ctx, call) || (!is(args[0], "identifier") && !is(args[0], "attribute"))) {
      f.note = manual;
      return;
    }
    auto span = inspector_span(ctx, call);
    if (!span) {
      f.note = std::string(manual) + "; the code that reads the inspector could not be moved there as it is";
      return;
    }
    std::string_view src = ctx.text();
    auto [first, last, returns] = *span;
    uint32_t b = ts_node_start_byte(first), e = ts_node_end_byte(last);
    std::string base(line_indent(src, b));
    if (line_start(src, b) + base.size() != b) {
      f.note = manual;
      return;
    }
    const std::string& unit = ctx.source().indent_unit();
    std::string conn = fresh_name(ctx.model(), "conn");
    std::string name = fresh_name(ctx.model(), "inspect_schema");
    uint32_t ab = ts_node_start_byte(args[0]), ae = ts_node_end_byte(args[0]);
    std::string inner = base + unit;
    // A comment that ends the last line moves with it.
    size_t eol = src.find('\n', e);
    if (eol == std::string_view::npos) eol = src.size();
    std::string_view tail = src.substr(e, eol - e);
    size_t hash = tail.find_first_not_of(" \t");
    if (hash != std::string_view::npos && tail[hash] == '#') e = static_cast<uint32_t>(eol > e && src[eol - 1] == '\r' ? eol - 1 : eol);
    std::string body = reindent(src, b, ab, base, inner, ctx.root()) + conn + reindent(src, ae, e, base, inner, ctx.root());
    Fix fix;
    fix.title = "Inspect a connection inside `run_sync`";
    fix.moves_code = true;
    // A blank line before the new function unless it opens its block, as black has it.
    TSNode prev = ts_node_prev_named_sibling(first);
    bool own_line_comment = is(prev, "comment") && line_start(src, ts_node_start_byte(prev)) + line_indent(src, ts_node_start_byte(prev)).size() == ts_node_start_byte(prev);
    bool opens = syntax::is_null(prev) || own_line_comment || count_blank_lines(src, line_start(src, b), -1) > 0;
    uint32_t from = opens ? b : line_start(src, b);
    fix.edits.push_back(Edit{from, e,
                             (opens ? "" : "\n" + base) + "def " + name + "(" + conn + "):\n" + inner + body + "\n\n" + base + "async with " +
                                 std::string(text(args[0], src)) + ".connect() as " + conn + ":\n" + inner + (returns ? "return await " : "await ") +
                                 conn + ".run_sync(" + name + ")"});
    f.fix = std::move(fix);
  }

  // The statements that move with `inspect(engine)` into the function run_sync runs: the
  // statement holding the call and, when it binds the inspector to a name, the statements
  // after it in the same block up to the last that reads the name or a name the moved
  // statements bind. None when moving them would change what the code does.
  struct InspectorSpan {
    TSNode first, last;
    bool returns = false;  // the last is `return ...`: the new function returns it, and so does its caller
  };
  std::optional<InspectorSpan> inspector_span(FileContext& ctx, TSNode call) const {
    std::string_view src = ctx.text();
    TSNode stmt = call;
    while (!syntax::is_null(stmt) && !is(syntax::parent(stmt), "block")) stmt = syntax::parent(stmt);
    if (syntax::is_null(stmt)) return std::nullopt;
    TSNode fn = ctx.model().enclosing_function(stmt);
    if (!is(fn, "function_definition") || !syntax::contains(field(fn, "body"), stmt)) return std::nullopt;
    auto siblings = syntax::code_children(syntax::parent(stmt));
    size_t first = 0;
    while (!syntax::same(siblings[first], stmt)) ++first;
    // The names the moved code binds, and whether anything in it leaves it.
    std::set<std::string> names;
    bool returns = false;
    // `return x`, last of what moves, is returned by the new function and by its caller.
    auto take = [&](TSNode n) {
      if (!is(n, "return_statement")) return moved_bindings(n, src, names);
      returns = true;
      for (TSNode c : syntax::code_children(n))
        if (!moved_bindings(c, src, names)) return false;
      return true;
    };
    if (!take(stmt)) return std::nullopt;
    // `insp = inspect(engine)` / `insp: Inspector = inspect(engine)`: its readers come along.
    TSNode expr = is(stmt, "expression_statement") ? ts_node_named_child(stmt, 0) : TSNode{};
    size_t last = first;
    if (is(expr, "assignment") && is(field(expr, "left"), "identifier") && syntax::same(field(expr, "right"), call)) {
      for (size_t i = first + 1; i < siblings.size() && !returns; ++i) {
        if (!reads_any(siblings[i], names, src)) continue;
        for (size_t j = last + 1; j <= i; ++j)
          if (!take(siblings[j])) return std::nullopt;
        last = i;
      }
    }
    uint32_t b = ts_node_start_byte(stmt), e = ts_node_end_byte(siblings[last]);
    // Those names are local to the new function: nothing else in this one may use them.
    bool clash = false;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (clash || (ts_node_start_byte(n) >= b && ts_node_end_byte(n) <= e)) return false;
      if (is(n, "identifier") && names.count(std::string(text(n, src))) && is_name_use(n)) clash = true;
      return true;
    });
    for (TSNode p : syntax::code_children(field(fn, "parameters"))) {
      TSNode id = is(p, "identifier") ? p : field(p, "name");
      if (is(id, "identifier") && names.count(std::string(text(id, src)))) clash = true;
    }
    // An async generator cannot return a value: `return await ...` in one does not compile.
    if (returns) {
      syntax::walk(field(fn, "body"), [&](TSNode n) {
        if (clash || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
        if (is(n, "yield")) clash = true;
        return !clash;
      });
    }
    if (clash) return std::nullopt;
    return InspectorSpan{stmt, siblings[last], returns};
  }

  // Adds the names statement s binds to `names`; false when s holds what cannot move into a
  // function of its own (return, yield, await, async for/with, global, an import, a break
  // out of a loop that does not move with it).
  static bool moved_bindings(TSNode s, std::string_view src, std::set<std::string>& names) {
    bool ok = true;
    syntax::walk(s, [&](TSNode n) {
      std::string_view k = syntax::kind(n);
      if (k == "return_statement" || k == "yield" || k == "await" || k == "global_statement" ||
          k == "nonlocal_statement" || k == "import_statement" || k == "import_from_statement" ||
          k == "future_import_statement") {
        ok = false;
      }
      if ((k == "for_statement" || k == "with_statement") && src.substr(ts_node_start_byte(n), 6) == "async ") ok = false;
      if (k == "break_statement" || k == "continue_statement") {
        TSNode loop = n;
        while (!syntax::is_null(loop) && !is(loop, "for_statement") && !is(loop, "while_statement")) loop = syntax::parent(loop);
        if (syntax::is_null(loop) || !syntax::contains(s, loop)) ok = false;
      }
      if (k == "function_definition" || k == "class_definition") {
        names.emplace(text(field(n, "name"), src));
        return false;  // their own scopes
      }
      if (k == "lambda" || k == "list_comprehension" || k == "set_comprehension" || k == "dictionary_comprehension" ||
          k == "generator_expression")
        return false;  // their own scopes (a walrus in one binds outside it: rare, and a read below catches it)
      if (k == "assignment" || k == "augmented_assignment" || k == "for_statement") bind_targets(field(n, "left"), src, names);
      if (k == "named_expression") names.emplace(text(field(n, "name"), src));
      if (k == "as_pattern") bind_targets(field(n, "alias"), src, names);
      return ok;
    });
    return ok;
  }

  // A use of a name (not `x.name`, not `f(name=...)`).
  static bool is_name_use(TSNode id) {
    TSNode p = syntax::parent(id);
    return !(is(p, "attribute") && syntax::same(field(p, "attribute"), id)) &&
           !(is(p, "keyword_argument") && syntax::same(field(p, "name"), id));
  }

  // Does statement s use one of `names`?
  static bool reads_any(TSNode s, const std::set<std::string>& names, std::string_view src) {
    bool found = false;
    syntax::walk(s, [&](TSNode n) {
      if (found) return false;
      if (is(n, "identifier") && names.count(std::string(text(n, src))) && is_name_use(n)) found = true;
      return true;
    });
    return found;
  }

  // The names an assignment target binds: `a`, `a, b`, `[a, *b]`; not `a.b` or `a[i]`.
  static void bind_targets(TSNode target, std::string_view src, std::set<std::string>& out) {
    if (syntax::is_null(target)) return;
    syntax::walk(target, [&](TSNode n) {
      if (is(n, "attribute") || is(n, "subscript")) return false;
      if (is(n, "identifier")) out.emplace(text(n, src));
      return true;
    });
  }

  // isinstance(s, Session) -> isinstance(s, AsyncSession): the sessions are async now.
  void class_check_fix(FileContext& ctx, TSNode ref) const {
    TSNode args = syntax::parent(ref);
    if (is(args, "tuple")) args = syntax::parent(args);
    if (!is(args, "argument_list")) return;
    TSNode call = syntax::parent(args);
    auto kids = syntax::code_children(args);
    if (kids.size() != 2 || !syntax::contains(kids[1], ref)) return;
    TSNode fn = field(call, "function");
    std::string_view fname = text(fn, ctx.text());
    if (!is(fn, "identifier") || (fname != "isinstance" && fname != "issubclass") || ctx.model().resolve(fname, fn)) return;
    auto q = ctx.model().qualified_name(ref);
    if (!q || semantic::canonical_type(*q) != semantic::types::kSession) return;
    auto cls = async_session_name(ctx, *q, ref);
    Finding& f = ctx.report(ref, "the session is an AsyncSession now");
    f.fix = rename_fix(ctx, ref, cls, "Check for `" + cls.text + "`", *q);
  }

  // A generator that becomes async: Generator[X, None, None] -> AsyncGenerator[X, None].
  void generator_annotation_fix(FileContext& ctx, TSNode fn) const {
    TSNode ret = field(fn, "return_type");
    if (syntax::is_null(ret)) return;
    TSNode g = ts_node_named_child(ret, 0);
    if (!is(g, "generic_type") && !is(g, "subscript")) return;
    TSNode head = is(g, "subscript") ? field(g, "value") : ts_node_named_child(g, 0);
    auto q = ctx.model().qualified_name(head);
    if (!q) return;
    std::string last = q->substr(q->rfind('.') + 1);
    if (last != "Generator" && last != "Iterator" && last != "Iterable") return;
    auto dep = session_dependency(ctx, fn);
    if (dep && dep->canonical) return;  // AF303 writes the whole signature
    auto params = is(g, "subscript") ? std::vector<TSNode>{field(g, "subscript")} : syntax::code_children(syntax::child_of_kind(g, "type_parameter"));
    if (params.empty()) return;
    std::string yielded(text(params[0], ctx.text()));
    std::string async_name = last == "Generator" ? "AsyncGenerator" : last == "Iterator" ? "AsyncIterator" : "AsyncIterable";
    auto ref = ctx.imports().name("typing", async_name, fn);
    Finding& f = ctx.report(ret, "an async generator is annotated `" + async_name + "`");
    Fix fix;
    fix.title = "Annotate it `" + async_name + "`";
    fix.edits.push_back(Edit{ts_node_start_byte(g), ts_node_end_byte(g),
                             ref.text + "[" + yielded + (last == "Generator" ? ", None]" : "]")});
    fix.imports = ref.needs;
    fix.remove_if_unused = {*q};
    f.fix = std::move(fix);
  }

  // The call is what a `with` item enters (`with f() as x:` / `with f():`).
  static bool in_with_item(TSNode call) {
    TSNode p = syntax::parent(call);
    if (is(p, "as_pattern")) p = syntax::parent(p);
    return is(p, "with_item");
  }

  // A call of a project function that becomes async and is decorated @contextmanager.
  bool enters_async_context_manager(FileContext& ctx, TSNode v) const {
    if (!is(v, "call") || !ctx.project()) return false;
    const FunctionSummary* s = ctx.project()->function(ProjectIndex::resolve_callee(v, ctx.model(), &ctx.types()));
    return s && s->counterpart_decorated && (plan_of(ctx).has(s->qualname) || s->is_async);
  }

  // `session_scope()` of an @contextmanager function that becomes (or is) an
  // @asynccontextmanager: entered with `async with` (with_fix), else reported.
  void context_manager_call(FileContext& ctx, TSNode call) const {
    if (in_with_item(call)) return;
    Finding& f = ctx.report(call, "`" + std::string(text(field(call, "function"), ctx.text())) +
                                      "()` gives an async context manager now");
    f.note = "enter it with `async with`";
  }

  // A call of an async generator function: `for x in g()` -> `async for` where the loop can
  // be async; a use that iterates, awaits or drops it is reported; one that hands it on
  // (`StreamingResponse(g())`, `return g()`, `async for` over the variable it is stored in)
  // is fine.
  void async_generator_call(FileContext& ctx, TSNode call, const char* verb, bool can_async_for) const {
    TSNode where{};
    AsyncIterUse use = async_iter_use(ctx, call, &where);
    if (use == AsyncIterUse::Fine) return;
    std::string callee(text(field(call, "function"), ctx.text()));
    Finding& f = ctx.report(call, "`" + callee + "()` " + verb + " an async generator: iterate it with `async for`");
    if (use == AsyncIterUse::SyncLoop && can_async_for) {
      Fix fix;
      fix.title = "Iterate it with `async for`";
      fix.edits.push_back(Edit{ts_node_start_byte(where), ts_node_start_byte(where), "async "});
      f.fix = std::move(fix);
      return;
    }
    if (use == AsyncIterUse::SyncLoop) {
      f.note = "`async for` cannot be written here: " + stays_sync_note(ctx, call);
      return;
    }
    bool elsewhere = !syntax::same(where, call);
    f.note = "an async generator cannot be awaited, consumed or iterated with `for`" +
             (elsewhere ? std::string(" (as at line ") + std::to_string(ctx.source().position(ts_node_start_byte(where)).line) + ")"
                        : std::string()) +
             ": use `async for`, or `await anext(...)`";
  }

  // with SessionLocal() as db: -> async with ...
  void with_fix(FileContext& ctx, TSNode w) const {
    if (syntax::kind(ts_node_child(w, 0)) == "async") return;
    if (ctx.model().context_at(w) == semantic::Context::Lambda) return;
    auto items = syntax::code_children(syntax::child_of_kind(w, "with_clause"));
    bool any_session = false, all_session = true;
    TSNode first_session{};
    for (TSNode item : items) {
      TSNode v = ts_node_named_child(item, 0);
      if (is(v, "as_pattern")) v = ts_node_named_child(v, 0);
      auto t = ctx.types().type_of(v);
      // `with SessionLocal.begin() as db`: a session in a transaction.
      if (!t && is(v, "call") && is(field(v, "function"), "attribute") &&
          text(field(field(v, "function"), "attribute"), ctx.text()) == "begin") {
        auto ft = ctx.types().type_of(field(field(v, "function"), "object"));
        if (ft && ft->rfind(semantic::types::kFactoryPrefix, 0) == 0) t = ft->substr(semantic::types::kFactoryPrefix.size());
      }
      bool s = (t && (*t == semantic::types::kSession || *t == semantic::types::kAsyncSession)) || enters_async_context_manager(ctx, v);
      if (s && !any_session) first_session = v;
      any_session |= s;
      all_session &= s;
    }
    if (!any_session) return;
    if (!all_session) {
      // At the session's item: what must be entered with `async with` is there.
      Finding& f = ctx.report(first_session, "an AsyncSession is entered with `async with`");
      f.note = "the `with` also enters something that is not async: split it";
      return;
    }
    Finding& f = ctx.report(w, "an AsyncSession is entered with `async with`");
    if (!can_await_at(ctx, w)) {
      f.note = syntax::is_null(ctx.model().enclosing_function(w))
                   ? "at import time, where nothing can await: open the session in async code"
                   : "the function it is in stays sync (it is nested, or a callback): make it `async def`, or keep a sync session here";
      return;
    }
    Fix fix;
    fix.title = "Use `async with`";
    fix.edits.push_back(Edit{ts_node_start_byte(w), ts_node_start_byte(w), "async "});
    f.fix = std::move(fix);
  }

  // relationship(...) whose attribute is read after its query -> lazy="selectin"
  void relationship_fix(FileContext& ctx, TSNode call) const {
    const ProjectIndex* index = ctx.project();
    TSNode asg = syntax::parent(call);
    if (!is(asg, "assignment") || !is(field(asg, "left"), "identifier") || !index) return;
    std::string attr(text(field(asg, "left"), ctx.text()));
    std::string_view src = ctx.text();
    TSNode lazy{};
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "lazy") lazy = field(a, "value");
    }
    std::string lz = syntax::is_null(lazy) ? "" : std::string(text(lazy, src));
    if (lz.find("dynamic") != std::string::npos) {
      Finding& f = ctx.report(call, "`lazy=\"dynamic\"` relationships do not work with AsyncSession");
      f.note = "query it with `select(...).where(with_parent(obj, Cls." + attr + "))` instead";
      return;
    }
    if (!index->attribute_used(attr)) return;
    if (!lz.empty() && lz.find("select") == std::string::npos) return;  // joined, subquery, raise...: leave them
    if (lz.find("selectin") != std::string::npos) return;
    Finding& f = ctx.report(call, "`" + attr + "` is read after its query: load it eagerly (async code cannot lazy-load)");
    Fix fix;
    fix.title = "Load it with `lazy=\"selectin\"`";
    if (!syntax::is_null(lazy)) {
      fix.edits.push_back(Edit{ts_node_start_byte(lazy), ts_node_end_byte(lazy), "\"selectin\""});
    } else {
      TSNode args = field(call, "arguments");
      auto kids = syntax::code_children(args);
      if (kids.empty()) fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, "lazy=\"selectin\""});
      else fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", lazy=\"selectin\""});
    }
    f.fix = std::move(fix);
  }

  // A module's FastAPI (or Starlette) app, as module_app finds it.
  struct ModuleApp {
    TSNode stmt{};              // `app = FastAPI(...)`, the last one (null: none)
    std::string name;           // its name
    bool has_on_event = false;  // some definition is decorated with `.on_event(...)`
  };

  static ModuleApp module_app(FileContext& ctx) {
    std::string_view src = ctx.text();
    ModuleApp found;
    for (TSNode st : syntax::code_children(ctx.root())) {
      TSNode a = is(st, "expression_statement") ? ts_node_named_child(st, 0) : TSNode{};
      if (is(a, "assignment") && is(field(a, "right"), "call") && is(field(a, "left"), "identifier")) {
        auto q = ctx.model().qualified_name(field(field(a, "right"), "function"));
        if (q && (*q == "fastapi.FastAPI" || *q == "starlette.applications.Starlette")) {
          found.stmt = st;
          found.name = std::string(text(field(a, "left"), src));
        }
      }
      if (is(st, "decorated_definition") && text(st, src).find(".on_event(") != std::string_view::npos) found.has_on_event = true;
    }
    return found;
  }

  // A pytest module or conftest (by its path): imported by pytest, where no event loop runs.
  static bool is_test_module(std::string_view path) { return ProjectIndex::is_test_path(path); }

  // A test function or fixture of a test module, by its summary.
  static bool is_test_or_fixture(const FunctionSummary& s) {
    if (!ProjectIndex::is_test_path(s.path)) return false;
    if (!s.fixture_name.empty()) return true;
    std::string_view local = std::string_view(s.qualname).substr(s.module.empty() ? 0 : s.module.size() + 1);
    size_t dot = local.find('.');
    std::string_view name = dot == std::string_view::npos ? local : local.substr(dot + 1);
    return name.rfind("test", 0) == 0 && (dot == std::string_view::npos || local.rfind("Test", 0) == 0);
  }

  // Does a module at `path` see an `anyio_backend` fixture, or get one from this migration
  // (a conftest above it with a test or fixture that becomes async)?
  bool sees_anyio_backend(FileContext& ctx, const ProjectIndex& index) const {
    const ModuleSummary* own = index.module(ctx.module_name());
    auto defines = [](const ModuleSummary& m) {
      return std::any_of(m.functions.begin(), m.functions.end(), [](const auto& kv) { return kv.second.fixture_name == "anyio_backend"; });
    };
    if (own && defines(*own)) return true;
    for (const ModuleSummary* c : index.conftests_above(ctx.source().path())) {
      if (defines(*c)) return true;
      for (const auto& [fname, f] : c->functions) {
        if (plan_of(ctx).has(f.qualname) && is_test_or_fixture(f)) return true;
      }
    }
    return false;
  }

  // A test that becomes async runs on anyio's pytest plugin (installed with FastAPI, which
  // depends on anyio): `@pytest.mark.anyio`, and an `anyio_backend` fixture that picks asyncio
  // (anyio 3 runs every backend by default), session-wide so module-scoped async fixtures can
  // use it. A fixture that becomes async needs only the backend fixture.
  void test_marker_fix(FileContext& ctx, const ProjectIndex& index, TSNode fn, const std::string& q, Fix& fix) const {
    const FunctionSummary* s = index.function(q);
    if (!s || !is_test_or_fixture(*s)) return;
    auto pytest = ctx.imports().module("pytest", fn);
    fix.imports.insert(fix.imports.end(), pytest.needs.begin(), pytest.needs.end());
    if (s->fixture_name.empty()) {
      TSNode top = is(syntax::parent(fn), "decorated_definition") ? syntax::parent(fn) : fn;
      std::string_view src = ctx.text();
      uint32_t ls = line_start(src, ts_node_start_byte(top));
      std::string indent(src.substr(ls, ts_node_start_byte(top) - ls));
      std::string mark = "@" + pytest.text + ".mark.anyio\n" + indent;
      // Over the `def` keyword, not inserted before it: an import the fix adds to a module
      // with none goes to the same offset, and must come first.
      if (syntax::same(top, fn)) fix.edits.front() = Edit{ts_node_start_byte(fn), ts_node_start_byte(fn) + 3, mark + "async def"};
      else fix.edits.push_back(Edit{ts_node_start_byte(top), ts_node_start_byte(top), mark});
    }
    if (!sees_anyio_backend(ctx, index)) {
      fix.helpers.push_back(HelperNeed{"anyio_backend", "@" + pytest.text + ".fixture(scope=\"session\")\ndef anyio_backend():\n" +
                                                            ctx.source().indent_unit() + "return \"asyncio\"\n"});
    }
  }

  // create_all at import in a test module (a test engine, no app): the tables are made there
  // and then, on an event loop of their own, whose pooled connections go with it (the app's
  // requests run on TestClient's loop):
  //
  //   async def _create_tables():
  //       async with engine.begin() as conn:
  //           await conn.run_sync(Base.metadata.create_all)
  //       await engine.dispose()
  //
  //
  //   asyncio.run(_create_tables())
  void create_all_at_import(FileContext& ctx, Finding& f, TSNode stmt, TSNode bind, TSNode metadata) const {
    std::string_view src = ctx.text();
    const std::string& unit = ctx.source().indent_unit();
    std::string name = fresh_name(ctx.model(), "_create_tables");
    std::string engine(text(bind, src));
    auto asyncio = ctx.imports().module("asyncio", stmt);
    // Two blank lines before the new function, as PEP 8 has them around a top-level def.
    std::string def = blank_lines_to_two(count_blank_lines(src, line_start(src, ts_node_start_byte(stmt)), -1)) +
                      "async def " + name + "():\n" + unit + "async with " + engine + ".begin() as conn:\n" + unit + unit +
                      "await conn.run_sync(" + std::string(text(metadata, src)) + ".create_all)\n" + unit + "await " +
                      engine + ".dispose()  # no pooled connection outlives this event loop\n\n\n" + asyncio.text + ".run(" +
                      name + "())";
    Fix fix;
    fix.title = "Create the tables at import, on an event loop of their own";
    fix.imports = asyncio.needs;
    fix.edits.push_back(Edit{ts_node_start_byte(stmt), ts_node_end_byte(stmt), def});
    f.fix = std::move(fix);
  }

  // Does the function that holds n await, once migrated (async already, or in the plan)?
  // Why the function around n stays sync, for a note.
  std::string stays_sync_note(FileContext& ctx, TSNode n) const {
    TSNode fn = ctx.model().enclosing_function(n);
    if (!is(fn, "function_definition"))
      return syntax::is_null(fn) ? "at import time, where nothing can await: do this in async code"
                                 : "in a lambda, which cannot await: do this in async code";
    std::string name(text(field(fn, "name"), ctx.text()));
    const ProjectIndex* index = ctx.project();
    const FunctionSummary* s = index ? index->function(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text())) : nullptr;
    if (s && !s->async_blocker.empty())
      return "`" + name + "` stays sync: it " + s->async_blocker + "; rewrite it as an async generator by hand, or keep a sync session for it";
    if (is_nested_function(fn)) return "`" + name + "` is a plain function nested in another, which stays sync: make it `async def` and await its calls, or keep a sync session for it";
    return "`" + name + "` stays sync: make it `async def`, or keep a sync session for it";
  }

  bool can_await_at(FileContext& ctx, TSNode n) const {
    TSNode fn = ctx.model().enclosing_function(n);
    if (!is(fn, "function_definition")) return false;
    return syntax::is_async_def(fn) ||
           plan_of(ctx).has(ProjectIndex::function_qualname(ctx.module_name(), fn, ctx.text()));
  }

  // Base.metadata.create_all(engine) / drop_all(bind=engine) in a function, on the engine
  // that is async now:
  //   async with engine.begin() as conn:
  //       await conn.run_sync(Base.metadata.create_all)
  void ddl_in_function_fix(FileContext& ctx, TSNode stmt) const {
    std::string_view src = ctx.text();
    TSNode call = ts_node_named_child(stmt, 0);
    if (!is(call, "call") || ts_node_named_child_count(stmt) != 1) return;
    TSNode callee = field(call, "function");
    if (!is(callee, "attribute")) return;
    std::string_view method = text(field(callee, "attribute"), src);
    if (method != "create_all" && method != "drop_all") return;
    TSNode bind{};
    std::vector<std::string> rest;
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "bind") bind = field(a, "value");
      else if (!is(a, "keyword_argument") && syntax::is_null(bind)) bind = a;
      else if (is(a, "keyword_argument")) rest.emplace_back(text(a, src));
      else return;  // a second positional argument (tables): leave it
    }
    if (syntax::is_null(bind)) return;
    // The engine that becomes async, or one that is (what a run before this one left where
    // nothing can await: still a residue).
    auto t = ctx.types().type_of(bind);
    if (!t || (*t != semantic::types::kEngine && *t != semantic::types::kAsyncEngine)) return;
    Finding& f = ctx.report(call, "`" + std::string(method) + "()` on an async engine runs through `run_sync`");
    if (!can_await_at(ctx, stmt)) {
      f.note = "the function it is in stays sync: run it from async code (async with engine.begin() as conn: await conn.run_sync(...))";
      return;
    }
    const std::string& unit = ctx.source().indent_unit();
    uint32_t ls = line_start(src, ts_node_start_byte(stmt));
    std::string indent(src.substr(ls, ts_node_start_byte(stmt) - ls));
    if (indent.find_first_not_of(" \t") != std::string::npos) return;  // `x; create_all(...)` on one line
    std::string conn = fresh_name(ctx.model(), "conn");
    std::string args = std::string(text(field(callee, "object"), src)) + "." + std::string(method);
    for (const auto& r : rest) args += ", " + r;
    Fix fix;
    fix.title = "Run it with `await conn.run_sync(...)`";
    fix.edits.push_back(Edit{ts_node_start_byte(stmt), ts_node_end_byte(stmt),
                             "async with " + std::string(text(bind, src)) + ".begin() as " + conn + ":\n" + indent + unit +
                                 "await " + conn + ".run_sync(" + args + ")"});
    f.fix = std::move(fix);
  }

  // Base.metadata.create_all(bind=engine) at import time -> run it at startup.
  void create_all_fix(FileContext& ctx, TSNode stmt) const {
    std::string_view src = ctx.text();
    if (!is(syntax::parent(stmt), "module")) {
      ddl_in_function_fix(ctx, stmt);
      return;
    }
    TSNode call = ts_node_named_child(stmt, 0);
    if (!is(call, "call")) return;
    TSNode callee = field(call, "function");
    if (!is(callee, "attribute") || text(field(callee, "attribute"), src) != "create_all") return;
    TSNode metadata = field(callee, "object");
    TSNode bind{};
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "bind") bind = field(a, "value");
      else if (!is(a, "keyword_argument") && syntax::is_null(bind)) bind = a;
    }
    if (syntax::is_null(bind)) return;
    Finding& f = ctx.report(call, "`create_all()` on an async engine runs at startup, through `run_sync`");
    // The FastAPI app of this module.
    ModuleApp module = module_app(ctx);
    TSNode app_stmt = module.stmt;
    const std::string& app = module.name;
    bool has_on_event = module.has_on_event;
    if (syntax::is_null(app_stmt)) {
      if (is_test_module(ctx.source().path())) {
        create_all_at_import(ctx, f, stmt, bind, metadata);
        return;
      }
      f.note = "this module has no FastAPI app: run `create_all` from the app's startup (async with engine.begin() as conn: await conn.run_sync(Base.metadata.create_all))";
      return;
    }
    const std::string& unit = ctx.source().indent_unit();
    std::string name = fresh_name(ctx.model(), "create_tables");
    std::string run = "async with " + std::string(text(bind, src)) + ".begin() as conn:\n" + unit + unit +
                      "await conn.run_sync(" + std::string(text(metadata, src)) + ".create_all)\n";
    Fix fix;
    fix.title = "Create the tables at startup";
    // The statement goes, with its line.
    uint32_t b = ts_node_start_byte(stmt), e = ts_node_end_byte(stmt);
    size_t nl = src.find('\n', e);
    uint32_t le = nl == std::string_view::npos ? e : static_cast<uint32_t>(nl + 1);
    // and the blank lines after it
    while (le < src.size() && (src[le] == '\n' || (src[le] == '\r' && le + 1 < src.size() && src[le + 1] == '\n')))
      le += src[le] == '\r' ? 2 : 1;
    fix.edits.push_back(Edit{b, le, ""});
    bool lifespan = settings_.target_fastapi >= Version{0, 93} && !has_on_event;
    // Blank lines around the new top-level function, as PEP 8 has them (two), counted in the
    // text as it will be: the `create_all` line and its blank lines are gone.
    auto blank_before = [&](uint32_t at) {
      if (at == le) at = line_start(src, b);
      return count_blank_lines(src, at, -1);
    };
    auto blank_after = [&](uint32_t at) {
      if (at == line_start(src, b)) at = le;
      return count_blank_lines(src, at, +1);
    };
    auto pad = [](int have) { return blank_lines_to_two(have); };
    if (lifespan) {
      TSNode ctor = field(ts_node_named_child(app_stmt, 0), "right");
      TSNode args = field(ctor, "arguments");
      for (TSNode a : syntax::code_children(args)) {
        if (is(a, "keyword_argument") && text(field(a, "name"), src) == "lifespan") {
          f.note = "the app has a lifespan already: add `await conn.run_sync(" + std::string(text(metadata, src)) + ".create_all)` to it";
          return;
        }
      }
      auto acm = ctx.imports().name("contextlib", "asynccontextmanager", call);
      fix.imports = acm.needs;
      std::string ls = fresh_name(ctx.model(), "lifespan");
      uint32_t at = line_start(src, ts_node_start_byte(app_stmt));
      std::string def = pad(blank_before(at)) + "@" + acm.text + "\nasync def " + ls + "(app):\n" + unit + run + unit +
                        "yield\n\n\n";
      fix.edits.push_back(Edit{at, at, def});
      auto kids = syntax::code_children(args);
      if (kids.empty()) fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, "lifespan=" + ls});
      else fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", lifespan=" + ls});
    } else {
      // After the app's paragraph: `app = FastAPI()` and the simple statements right below it
      // (`app.include_router(...)`, `app.add_middleware(...)`).
      TSNode last = app_stmt;
      for (TSNode next = ts_node_next_named_sibling(app_stmt); !syntax::is_null(next); next = ts_node_next_named_sibling(next)) {
        if (!is(next, "expression_statement") || syntax::same(next, stmt)) break;
        if (ts_node_start_point(next).row != ts_node_end_point(last).row + 1) break;
        last = next;
      }
      size_t anl = src.find('\n', ts_node_end_byte(last));
      uint32_t at = anl == std::string_view::npos ? static_cast<uint32_t>(src.size()) : static_cast<uint32_t>(anl + 1);
      std::string def = pad(blank_before(at)) + "@" + app + ".on_event(\"startup\")\nasync def " + name + "():\n" + unit + run;
      if (at < src.size()) def += pad(blank_after(at));
      fix.edits.push_back(Edit{at, at, def});
    }
    f.fix = std::move(fix);
  }

  // A call to a function that becomes async, where nothing can await it: code run at import
  // time, a lambda, a plain function nested in another. Under `if __name__ == "__main__":`
  // it is run with asyncio.run(); elsewhere it is reported.
  void stuck_call(FileContext& ctx, TSNode call, const std::string& callee_q) const {
    std::string_view src = ctx.text();
    std::string callee = callee_q.substr(callee_q.rfind('.') + 1);
    TSNode fn = ctx.model().enclosing_function(call);
    // In `if __name__ == "__main__":` (module level: no event loop runs there).
    TSNode iff = syntax::ancestor(call, "if_statement");
    while (!syntax::is_null(iff) && !is(syntax::parent(iff), "module")) iff = syntax::ancestor(iff, "if_statement");
    bool main_guard = syntax::is_null(fn) && !syntax::is_null(iff) &&
                      text(field(iff, "condition"), src).find("__main__") != std::string_view::npos &&
                      syntax::contains(field(iff, "consequence"), call);
    if (main_guard) {
      Finding& f = ctx.report(call, "`" + callee + "()` becomes a coroutine: run it with `asyncio.run()`");
      auto asyncio = ctx.imports().module("asyncio", call);
      Fix fix;
      fix.title = "Run it with `asyncio.run()`";
      fix.edits.push_back(Edit{ts_node_start_byte(call), ts_node_start_byte(call), asyncio.text + ".run("});
      fix.edits.push_back(Edit{ts_node_end_byte(call), ts_node_end_byte(call), ")"});
      fix.imports = asyncio.needs;
      f.fix = std::move(fix);
      return;
    }
    std::string where = syntax::is_null(fn)   ? "at import time, where nothing can await"
                        : is(fn, "lambda")     ? "in a lambda, which cannot await"
                                               : "in a nested plain function, which cannot await";
    bool planned = plan_of(ctx).has(callee_q);
    Finding& f = ctx.report(call, "`" + callee + "()` " + (planned ? "becomes a coroutine" : "makes a coroutine") + " but is called " + where);
    f.note = syntax::is_null(fn)
                 ? "call it from async code (the app's lifespan or startup), or under `asyncio.run(...)` where no event loop is running"
                 : "make the enclosing function `async def` and await it, or call it from async code";
  }

  // A function that becomes async, passed as a value: a sync callback (atexit.register(f),
  // Thread(target=f), a list of jobs) will call it and drop the coroutine.
  void value_use(FileContext& ctx, const ProjectIndex& index, TSNode ref) const {
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    TSNode p = syntax::parent(ref);
    if (is(p, "call") && syntax::same(field(p, "function"), ref)) return;                 // a call
    if (is(p, "attribute") && syntax::same(field(p, "object"), ref)) return;              // part of a.b
    if (is(ref, "identifier") && is(p, "attribute")) return;                               // the .b of a.b
    if (is(p, "function_definition") || is(p, "class_definition") || is(p, "parameters") ||
        is(p, "typed_parameter") || (is(p, "default_parameter") && syntax::same(field(p, "name"), ref)) ||
        (is(p, "keyword_argument") && syntax::same(field(p, "name"), ref)))
      return;
    if (!syntax::is_null(syntax::ancestor(ref, "import_from_statement")) || !syntax::is_null(syntax::ancestor(ref, "import_statement")))
      return;
    if (is(p, "assignment") && syntax::same(field(p, "left"), ref)) return;
    // Only tested (`assert session_fixture`, `if f is None`): nothing calls it.
    if (is(p, "assert_statement") || is(p, "not_operator") || is(p, "comparison_operator") ||
        (is(p, "if_statement") && syntax::same(field(p, "condition"), ref)))
      return;
    // Depends(f), app.dependency_overrides[f] = g: FastAPI awaits async dependencies.
    if (ProjectIndex::awaited_by_library(ref, model, ctx.types(), src)) return;
    if (passed_to_awaited_parameter(ctx, index, ref)) return;
    std::optional<std::string> q;
    if (is(ref, "identifier")) {
      const semantic::Binding* b = model.resolve(text(ref, src), ref);
      if (!b) return;
      if (b->is_import()) q = b->qualname;
      else if (b->kind == semantic::BindingKind::FunctionDef && model.scope_of(b->name) == 0)
        q = ctx.module_name() + "." + std::string(text(ref, src));
    } else {
      q = model.qualified_name(ref);
    }
    if (!q) return;
    const FunctionSummary* s = index.function(*q);
    // In the plan, or async already (a run before this one made it so: still a residue).
    bool async_now = plan_of(ctx).has(s ? s->qualname : "") || (s && s->is_async);
    if (!s || !async_now || plan_of(ctx).sync_entries.count(s->qualname)) return;
    std::string name = s->qualname.substr(s->qualname.rfind('.') + 1);
    if (plan_of(ctx).has(s->qualname) && wrapper_counterpart_fix(ctx, ref, name)) return;
    Finding& f = ctx.report(ref, "`" + name + "` " + (plan_of(ctx).has(s->qualname) ? "becomes" : "is") +
                                     " async but is passed as a value here: a sync callback will not await it");
    f.note = "give the sync caller a wrapper (`lambda *args: asyncio.run(" + name +
             "(*args))`, where no event loop runs), or keep a sync session for this code path";
  }

  RuleSettings settings_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_async_session_migration(const RuleSettings& settings) {
  return std::make_shared<AsyncSessionMigration>(settings);
}

}  // namespace asyncfix::rules
