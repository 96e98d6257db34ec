// AF303 sync-session-dependency: `def get_db(): db = SessionLocal(); try: yield db ...` feeding
// async handlers -> an async generator over an async session factory.
#include "engine/rewrite/imports.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "engine/project/project.h"
#include "transforms/sqlalchemy_support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class SyncSessionDependency : public Rule {
 public:
  explicit SyncSessionDependency(const RuleSettings& settings) : migrate_(settings.migrate_async_sqlalchemy) {
    info_ = builtin_info("AF303");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {"sessionmaker"}; }
  std::vector<std::string> project_triggers(const ProjectIndex& index, const ProjectPlan*) const override {
    // Session factories the project defines (`make_db = sessionmaker(...)`), by name.
    std::vector<std::string> names;
    for (const auto& [mname, m] : index.modules()) {
      for (const auto& [g, t] : m.globals) {
        if (t.find("Session") != std::string::npos) names.push_back(g);
      }
    }
    return names;
  }

  void check_file(FileContext& ctx) const override {
    std::string_view src = ctx.text();
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (!is(n, "function_definition")) return true;
      auto dep = session_dependency(ctx, n);
      if (!dep) return true;
      Finding& f = ctx.report(field(n, "name"));
      if (!migrate_) {
        f.note = "`asyncfix migrate async-sqlalchemy` converts it with the session factory and its users";
        return true;
      }
      if (!dep->canonical) {
        f.note = "made `async def` with its session calls awaited (AF602)";
        return true;
      }
      // async def get_db() -> AsyncGenerator[AsyncSession, None]:
      //     async with SessionLocal() as db:
      //         yield db
      TSNode body = field(n, "body");
      std::string indent(line_indent(src, ts_node_start_byte(body)));
      const std::string& unit = ctx.source().indent_unit();
      std::string new_body = "async with " + std::string(text(dep->factory, src)) + " as " + dep->var + ":\n" + indent +
                             unit + "yield " + dep->var;
      Fix fix;
      fix.title = info_.fix_title;
      fix.applicability = Applicability::Safe;
      fix.edits.push_back(Edit{ts_node_start_byte(n), ts_node_start_byte(n), "async "});
      auto stmts = syntax::code_children(body);
      TSNode first = stmts.front();
      if (is(first, "expression_statement") && is(ts_node_named_child(first, 0), "string") && stmts.size() > 1)
        first = stmts[1];  // keep the docstring
      fix.edits.push_back(Edit{ts_node_start_byte(first), ts_node_end_byte(stmts.back()), new_body});
      // Generator[Session, None, None] / Iterator[Session] -> AsyncGenerator[AsyncSession, None]
      TSNode ret = field(n, "return_type");
      if (!syntax::is_null(ret)) {
        auto gen = ctx.imports().name("typing", "AsyncGenerator", n);
        auto sess = ctx.imports().name("sqlalchemy.ext.asyncio", "AsyncSession", n);
        fix.edits.push_back(Edit{ts_node_start_byte(ret), ts_node_end_byte(ret), gen.text + "[" + sess.text + ", None]"});
        fix.imports.insert(fix.imports.end(), gen.needs.begin(), gen.needs.end());
        fix.imports.insert(fix.imports.end(), sess.needs.begin(), sess.needs.end());
        fix.remove_if_unused = {"typing.Generator", "typing.Iterator", "collections.abc.Generator",
                                "collections.abc.Iterator", "sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session"};
      }
      f.fix = std::move(fix);
      return true;
    });
  }

 private:
  RuleInfo info_;
  bool migrate_;
};

}  // namespace

RulePtr make_sync_session_dependency(const RuleSettings& settings) {
  return std::make_shared<SyncSessionDependency>(settings);
}

}  // namespace asyncfix::rules
