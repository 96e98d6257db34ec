// AF601 query-to-select: SQLAlchemy 1.x `session.query(...)` chains -> 2.0 `select()` style,
// sync or async (shared/data/sqlalchemy_query_to_select.tsv is the specification).
//
// A chain is read from the inside out: `db.query(User).filter(c).order_by(o).first()` is the
// root `db.query(User)`, the steps `filter`, `order_by`, and the terminal `first`. The steps
// build the statement (`select(User).where(c).order_by(o)`), the terminal says how the
// session runs it (`db.scalars(stmt.limit(1)).first()`, or awaited:
// `(await db.scalars(stmt.limit(1))).first()`). A query kept in a variable (`q =
// db.query(User)`, `q = q.filter(...)`, later `q.all()`) is followed through the function.
// Anything the table does not cover is reported, not guessed.
#include <map>
#include <optional>
#include <set>

#include "engine/rewrite/imports.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/project/project.h"
#include "engine/syntax/node.h"
#include "engine/rewrite/edit_list.h"
#include "transforms/rules.h"
#include "transforms/sqlalchemy_support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

const std::set<std::string>& terminals() {
  static const std::set<std::string> s = {"all", "first", "one", "one_or_none", "scalar", "count", "get",
                                          "exists", "delete", "update", "subquery", "statement"};
  return s;
}
// Steps that map one to one onto Select methods.
const std::set<std::string>& same_name_steps() {
  static const std::set<std::string> s = {"order_by", "limit", "offset", "group_by", "having", "distinct",
                                          "with_for_update", "execution_options", "correlate", "options",
                                          "join", "outerjoin", "filter_by", "from_statement", "params"};
  return s;
}

struct Step {
  std::string name;
  TSNode call{};  // the call node (null for an attribute step such as `.statement`)
  TSNode args{};  // its argument_list
};

struct Chain {
  TSNode root{};     // `db.query(...)` call, or the query variable
  TSNode outer{};    // the outermost node of the chain
  std::vector<Step> steps;
  TSNode slice{};    // `[a:b]` on the chain
};

struct QueryOrigin {
  std::string session;              // the session's text
  std::vector<TSNode> entities;     // arguments of query(...)
  SessionKind kind = SessionKind::None;
  std::string statement;            // a dynamic relationship: `user.addresses` -> its .statement
  bool unique = false;              // its rows need .unique() (joins, joined eager loads)
};

class QueryToSelect : public Rule {
 public:
  QueryToSelect() {
    info_.id = "AF601";
    info_.name = "query-to-select";
    info_.severity = Severity::P2;
    info_.message = "legacy `session.query()` API: use `select()`";
    info_.fix_title = "Rewrite with `select()`";
    info_.applicability = Applicability::Safe;
    info_.fixable = true;
    // `session.query(...)`; chains rooted at a `lazy="dynamic"` relationship add the
    // relationship's name (project_triggers).
    info_.triggers = {"query ("};
    info_.origin = "built-in";
    info_.docs.what_it_does =
        "Checks for SQLAlchemy 1.x `session.query(...)` chains and rewrites them in the 2.0 `select()` "
        "style: every form of `shared/data/sqlalchemy_query_to_select.tsv`. Chains of any length and "
        "order of `filter`/`filter_by`/`join`/`outerjoin`/`options`/`order_by`/`limit`/`offset`/"
        "`group_by`/`having`/`distinct`/`with_for_update`/`with_entities`/`populate_existing`/"
        "`yield_per`/`with_parent`/`from_statement`; terminals `all`/`first`/`one`/`one_or_none`/"
        "`scalar`/`count`/`get`/`exists`/`delete`/`update`/`subquery`/slices; iteration over a query; "
        "a query kept in a variable and refined later in the function. The session is known from an "
        "annotation (`db: Session`), a `Depends(get_db)` parameter, a session factory, an attribute "
        "set in `__init__` (`self.db`), or the names listed in `[tool.asyncfix] session-names`.";
    info_.docs.why_bad =
        "`Query` is the legacy API: it is not available on an `AsyncSession` at all, so sync code that "
        "uses it cannot move to async SQLAlchemy, and SQLAlchemy 2.0 marks it legacy. `select()` "
        "statements work with both sessions and make the execution explicit.";
    info_.docs.example =
        "```python\ndef get_user_by_email(db: Session, email: str):\n"
        "    return db.query(User).filter(User.email == email).first()\n```";
    info_.docs.use_instead =
        "```python\ndef get_user_by_email(db: Session, email: str):\n"
        "    return db.scalars(select(User).where(User.email == email).limit(1)).first()\n```\n\n"
        "and with an `AsyncSession`:\n\n"
        "```python\nasync def get_user_by_email(db: AsyncSession, email: str):\n"
        "    return (await db.scalars(select(User).where(User.email == email).limit(1))).first()\n```";
    info_.docs.fix_safety =
        "The fix keeps what the legacy `Query` did implicitly: `first()` gets `.limit(1)`, `count()` "
        "counts a subquery of the filtered statement, bulk `update()`/`delete()` return `.rowcount`, "
        "a query of one entity that joins (or eager-loads a collection with a join) gets `.unique()`, "
        "because the legacy `Query` returned each entity once where `select()` repeats it per joined "
        "row (the table omits this for row 14; tests run every row against SQLite to check the "
        "results are the same), `== None` becomes `.is_(None)`, string "
        "relationship names (`join(\"addresses\")`) become attributes, and `DISTINCT` with `ORDER BY` "
        "on another entity's column adds that column to the select list. It is safe. With an "
        "`AsyncSession` (or under `asyncfix migrate async-sqlalchemy`) the statement is awaited; in a "
        "plain `def` that cannot await, the finding is reported without a fix. `Query.get()` becomes "
        "`Session.get()` (not `get_one()`, which would change the exception a caller sees). A form "
        "the table does not cover (a chain method it does not know, a query object passed to other "
        "code) is reported without a fix.";
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {"relationship("}; }
  std::vector<std::string> project_triggers(const ProjectIndex& index, const ProjectPlan*) const override {
    const auto& names = index.dynamic_relationships();
    return {names.begin(), names.end()};
  }

  void check_file(FileContext& ctx) const override {
    State st{ctx, {}, {}, {}};
    // Roots: session.query(...) calls, and query variables.
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (!is(n, "call")) return true;
      TSNode callee = field(n, "function");
      if (!is(callee, "attribute") || text(field(callee, "attribute"), ctx.text()) != "query") return true;
      SessionKind kind = session_kind(ctx, field(callee, "object"));
      if (kind == SessionKind::None) return true;
      handle_root(st, n, kind);
      return true;
    });
    // Chains rooted at dynamic relationships (user.addresses.filter(...).all()).
    if (const ProjectIndex* index = ctx.project()) {
      syntax::walk(ctx.root(), [&](TSNode n) {
        if (!is(n, "attribute")) return true;
        TSNode obj = field(n, "object");
        std::string attr(text(field(n, "attribute"), ctx.text()));
        if (!index->is_dynamic_relationship(attr)) return true;
        if (!is(obj, "identifier") || std::isupper(static_cast<unsigned char>(text(obj, ctx.text())[0]))) return true;
        TSNode p = syntax::parent(n);
        if (!(is(p, "attribute") && syntax::same(field(p, "object"), n))) return true;
        if (text(field(p, "attribute"), ctx.text()) == "statement") return true;  // already a select()
        // A list (the other lazy strategies) has no .filter(): a query-like chain on a
        // relationship some class maps as dynamic is that one.
        auto owners = index->classes_with_relationship(attr);
        bool dynamic = std::any_of(owners.begin(), owners.end(), [&](const std::string& o) {
          const RelationshipInfo* r = index->relationship(o, attr);
          return r && r->lazy.find("dynamic") != std::string::npos;
        });
        if (!dynamic) return true;
        // The session: a parameter of the enclosing function that is one.
        TSNode fn = ctx.model().enclosing_function(n);
        if (!is(fn, "function_definition")) return true;
        for (TSNode prm : syntax::code_children(field(fn, "parameters"))) {
          TSNode id = is(prm, "identifier") ? prm : field(prm, "name");
          if (is(prm, "typed_parameter")) id = ts_node_named_child(prm, 0);
          if (!is(id, "identifier")) continue;
          SessionKind kind = session_kind(ctx, id);
          if (kind == SessionKind::None) continue;
          QueryOrigin o{std::string(text(id, ctx.text())), {n}, kind, std::string(text(n, ctx.text())) + ".statement"};
          Chain c = read_chain(n, ctx.text());
          convert(st, c, o, /*from_variable=*/true);
          break;
        }
        return true;
      });
    }

    // Chains rooted at query variables (q.filter(...).all()).
    for (TSNode r : ctx.model().references()) {
      auto origin = query_variable(st, r);
      if (!origin) continue;
      TSNode p = syntax::parent(r);
      bool used_in_chain = (is(p, "attribute") && syntax::same(field(p, "object"), r)) ||
                           (is(p, "subscript") && syntax::same(field(p, "value"), r)) ||
                           (is(p, "for_statement") && syntax::same(field(p, "right"), r));
      if (!used_in_chain) continue;
      Chain c = read_chain(r, ctx.text());
      convert(st, c, *origin, /*from_variable=*/true);
    }
  }

 private:
  // Per file (rules are shared by threads: nothing of a file lives in the rule).
  struct State {
    FileContext& ctx;
    std::map<std::pair<int, std::string>, std::optional<QueryOrigin>> vars;  // (scope, name) -> origin
    std::set<uint32_t> done;    // chain roots already handled
    std::vector<Edit> pending;  // extra edits of the fix being built
  };

  static Chain read_chain(TSNode root, std::string_view src) {
    Chain c;
    c.root = root;
    TSNode cur = root;
    for (;;) {
      TSNode p = syntax::parent(cur);
      if (is(p, "attribute") && syntax::same(field(p, "object"), cur)) {
        std::string name(text(field(p, "attribute"), src));
        TSNode pp = syntax::parent(p);
        if (is(pp, "call") && syntax::same(field(pp, "function"), p)) {
          c.steps.push_back(Step{name, pp, field(pp, "arguments")});
          cur = pp;
          if (terminals().count(name)) break;
          continue;
        }
        if (name == "statement") {
          c.steps.push_back(Step{name, TSNode{}, TSNode{}});
          cur = p;
        }
        break;
      }
      if (is(p, "subscript") && syntax::same(field(p, "value"), cur) && is(field(p, "subscript"), "slice")) {
        c.slice = field(p, "subscript");
        cur = p;
      }
      break;
    }
    c.outer = cur;
    return c;
  }

  // The origin of query variable `r`, when every assignment of it is a query chain and every
  // use of it a chain we convert.
  std::optional<QueryOrigin> query_variable(State& st, TSNode r) const {
    FileContext& ctx = st.ctx;
    std::string_view src = ctx.text();
    std::string name(text(r, src));
    int scope = ctx.model().resolving_scope(name, r);
    if (scope < 0) return std::nullopt;
    auto key = std::make_pair(scope, name);
    if (auto it = st.vars.find(key); it != st.vars.end()) return it->second;
    std::optional<QueryOrigin> origin;
    bool unique = false;
    st.vars[key] = std::nullopt;
    const auto& bindings = ctx.model().scope(scope).bindings.at(name);
    for (const auto& b : bindings) {
      if (b.kind != semantic::BindingKind::Assignment) return std::nullopt;
      TSNode asg = syntax::parent(b.name);
      if (!is(asg, "assignment") || !syntax::same(field(asg, "left"), b.name)) return std::nullopt;
      TSNode right = field(asg, "right");
      // q = db.query(...)...   or   q = q.<steps>
      TSNode base = right;
      while (is(base, "call") && is(field(base, "function"), "attribute")) {
        TSNode obj = field(field(base, "function"), "object");
        if (text(field(field(base, "function"), "attribute"), src) == "query" &&
            session_kind(ctx, obj) != SessionKind::None) {
          break;
        }
        base = obj;
      }
      if (is(base, "call")) {
        TSNode callee = field(base, "function");
        if (!is(callee, "attribute") || text(field(callee, "attribute"), src) != "query") return std::nullopt;
        SessionKind kind = session_kind(ctx, field(callee, "object"));
        if (kind == SessionKind::None || origin) return std::nullopt;  // one origin only
        origin = QueryOrigin{std::string(text(field(callee, "object"), src)), syntax::code_children(field(base, "arguments")), kind};
        // Steps that change what the query returns.
        for (const Step& step : read_chain(base, src).steps) {
          if (step.name == "with_entities" || step.name == "from_self") origin->entities = syntax::code_children(step.args);
        }
      } else if (!(is(base, "identifier") && text(base, src) == name)) {
        return std::nullopt;
      }
      // Joins and joined eager loads anywhere in its making: the rows need .unique().
      for (const Step& step : read_chain(base, src).steps) unique |= needs_unique(step, src);
    }
    if (!origin) return std::nullopt;
    origin->unique = unique;
    st.vars[key] = origin;
    return origin;
  }

  // Legacy Query returned each entity once when it selected one entity: a join (or a joined
  // eager load of a collection) repeats rows that select() would return repeated.
  static bool needs_unique(const Step& s, std::string_view src) {
    if (s.name == "join" || s.name == "outerjoin" || s.name == "from_self") return true;
    if (s.name == "options") {
      std::string_view raw = text(s.args, src);
      return raw.find("joinedload") != std::string_view::npos || raw.find("contains_eager") != std::string_view::npos;
    }
    return false;
  }

  void handle_root(State& st, TSNode query_call, SessionKind kind) const {
    FileContext& ctx = st.ctx;
    QueryOrigin o{std::string(text(field(field(query_call, "function"), "object"), ctx.text())),
                  syntax::code_children(field(query_call, "arguments")), kind};
    convert(st, read_chain(query_call, ctx.text()), o, false);
  }

  // --- entities ------------------------------------------------------------------------------

  static bool is_orm_entity(TSNode e, std::string_view src) {
    if (is(e, "call")) {
      std::string_view fn = text(field(e, "function"), src);
      return fn == "aliased" || (fn.size() > 8 && fn.substr(fn.size() - 8) == ".aliased");
    }
    if (is(e, "identifier")) return std::isupper(static_cast<unsigned char>(text(e, src)[0]));
    if (is(e, "attribute")) {
      std::string_view last = text(field(e, "attribute"), src);
      std::string_view obj = text(field(e, "object"), src);
      std::string_view obj_last = obj.substr(obj.rfind('.') == std::string_view::npos ? 0 : obj.rfind('.') + 1);
      return std::isupper(static_cast<unsigned char>(last[0])) && !std::isupper(static_cast<unsigned char>(obj_last[0]));
    }
    return false;
  }
  // One value per query: func.count(...), func.max(...), exists(...), q.exists() (through
  // method calls on them: `exists().where(...)`).
  static bool is_aggregate(TSNode e, std::string_view src) {
    while (is(e, "call")) {
      std::string_view fn = text(field(e, "function"), src);
      if (fn.rfind("func.", 0) == 0 || fn.find(".func.") != std::string_view::npos || fn == "exists" ||
          (fn.size() > 7 && fn.substr(fn.size() - 7) == ".exists"))
        return true;
      TSNode callee = field(e, "function");
      if (!is(callee, "attribute")) return false;
      e = field(callee, "object");
    }
    return false;
  }
  static std::string class_name(TSNode e, std::string_view src) {
    std::string_view t = text(e, src);
    return std::string(t.substr(t.rfind('.') == std::string_view::npos ? 0 : t.rfind('.') + 1));
  }
  static std::string class_prefix(TSNode e, std::string_view src) {
    std::string_view t = text(e, src);
    size_t dot = t.rfind('.');
    return dot == std::string_view::npos ? "" : std::string(t.substr(0, dot + 1));
  }

  // --- rewriting arguments (strings to attributes, == None to .is_(None)) --------------------

  struct ArgCtx {
    std::string entity_cls;     // the main entity's class name
    std::string entity_prefix;  // "models." when entities are written `models.User`
    std::string alias_of_cls;   // after join(..., aliased=True): criteria on this class use the alias
    std::string alias;
    std::map<std::string, std::string> columns;  // after from_self(): `Address.email` -> `subq.c.email`
    std::string query_target;   // the query's entity class, for with_parent("attr")
  };

  std::optional<std::string> rewrite_text(FileContext& ctx, TSNode node, const ArgCtx& ac, std::string* why) const {
    std::string_view src = ctx.text();
    uint32_t base = ts_node_start_byte(node);
    std::vector<Edit> edits;
    const ProjectIndex* index = ctx.project();
    bool ok = true;
    syntax::walk(node, [&](TSNode n) {
      if (!ok) return false;
      if (is(n, "comparison_operator") && none_comparison(n, src, base, edits)) return false;
      if (is(n, "call") && !relationship_strings(n, ac, index, src, base, edits, why)) {
        ok = false;
        return false;
      }
      return !attribute_rewritten(n, ac, src, base, edits);
    });
    if (!ok) return std::nullopt;
    return apply_edits(text(node, src), edits);
  }

  // x == None -> x.is_(None); x != None -> x.is_not(None). Returns whether `n` was one (the
  // edit, at offsets from `base`, is added).
  static bool none_comparison(TSNode n, std::string_view src, uint32_t base, std::vector<Edit>& edits) {
    auto kids = syntax::code_children(n);
    TSNode op = ts_node_child(n, 1);
    std::string_view ops = syntax::is_null(op) ? "" : text(op, src);
    if (kids.size() != 2 || !is(kids[1], "none") || (ops != "==" && ops != "!=")) return false;
    edits.push_back(Edit{ts_node_start_byte(kids[0]) - base, ts_node_end_byte(n) - base, ""});
    std::string left(text(kids[0], src));
    edits.back().text = left + (ops == "==" ? ".is_(None)" : ".is_not(None)");
    return true;
  }

  // joinedload("addresses") / with_parent(u, "addresses"): strings name relationships. Adds the
  // edits of call `n`'s string arguments; false (and *why) when a relationship's class is unknown.
  static bool relationship_strings(TSNode n, const ArgCtx& ac, const ProjectIndex* index, std::string_view src,
                                   uint32_t base, std::vector<Edit>& edits, std::string* why) {
    std::string fn(text(field(n, "function"), src));
    std::string last = fn.substr(fn.rfind('.') == std::string::npos ? 0 : fn.rfind('.') + 1);
    auto args = syntax::code_children(field(n, "arguments"));
    bool loader = last == "joinedload" || last == "selectinload" || last == "subqueryload" || last == "lazyload" ||
                  last == "contains_eager" || last == "noload" || last == "raiseload" || last == "defer" ||
                  last == "undefer" || last == "load_only";
    if (!loader && last != "with_parent") return true;
    for (size_t k = (last == "with_parent" ? 1 : 0); k < args.size(); ++k) {
      if (!is(args[k], "string")) continue;
      std::string_view lit = text(args[k], src);
      std::string attr(lit.substr(1, lit.size() - 2));
      std::string cls = ac.entity_cls;
      if (last == "with_parent") {
        auto owner = with_parent_owner(attr, ac, index, why);
        if (!owner) return false;
        cls = *owner;
      }
      edits.push_back(Edit{ts_node_start_byte(args[k]) - base, ts_node_end_byte(args[k]) - base,
                           ac.entity_prefix + cls + "." + attr});
    }
    return true;
  }

  // The one mapped class with relationship `attr` that with_parent(..., "attr") means; nullopt
  // (and *why) when there is not exactly one.
  static std::optional<std::string> with_parent_owner(const std::string& attr, const ArgCtx& ac,
                                                      const ProjectIndex* index, std::string* why) {
    auto owners = index ? index->classes_with_relationship(attr) : std::vector<std::string>{};
    // The relationship leads to the class being queried.
    if (owners.size() > 1 && !ac.query_target.empty()) {
      std::vector<std::string> keep;
      for (const auto& o : owners) {
        const RelationshipInfo* r = index->relationship(o, attr);
        if (r && r->target == ac.query_target) keep.push_back(o);
      }
      owners = keep;
    }
    if (owners.size() != 1) {
      *why = "`with_parent(..., \"" + attr + "\")`: cannot tell which mapped class has `" + attr + "`";
      return std::nullopt;
    }
    return owners[0];
  }

  // Attribute `n` read otherwise after from_self() or an aliased join. Returns whether `n` was
  // one (the edit, at offsets from `base`, is added).
  static bool attribute_rewritten(TSNode n, const ArgCtx& ac, std::string_view src, uint32_t base,
                                  std::vector<Edit>& edits) {
    if (!is(n, "attribute")) return false;
    // After from_self(), columns of the inner select are columns of the subquery.
    if (!ac.columns.empty()) {
      auto it = ac.columns.find(std::string(text(n, src)));
      if (it != ac.columns.end()) {
        edits.push_back(Edit{ts_node_start_byte(n) - base, ts_node_end_byte(n) - base, it->second});
        return true;
      }
    }
    // After an aliased join, criteria on the joined class mean the alias.
    if (!ac.alias.empty() && is(field(n, "object"), "identifier") && text(field(n, "object"), src) == ac.alias_of_cls) {
      TSNode obj = field(n, "object");
      edits.push_back(Edit{ts_node_start_byte(obj) - base, ts_node_end_byte(obj) - base, ac.alias});
      return true;
    }
    return false;
  }

  std::optional<std::string> args_text(FileContext& ctx, TSNode args, const ArgCtx& ac, std::string* why) const {
    if (syntax::is_null(args)) return std::string();
    std::string out;
    for (TSNode a : syntax::code_children(args)) {
      auto t = rewrite_text(ctx, a, ac, why);
      if (!t) return std::nullopt;
      out += (out.empty() ? "" : ", ") + *t;
    }
    return out;
  }

  // --- the conversion ------------------------------------------------------------------------

  // How a chain is rewritten, worked example (sync session, nothing restructured):
  //
  //   db.query(User)            -> root:     db.scalars(select(User)
  //     .filter(User.id == 5)   -> step:     .where(User.id == 5)   (only the name changes)
  //     .first()                -> terminal: .limit(1)).first()
  //
  // Each part is an edit of its own, so line breaks and comments between the parts stay as
  // they were. Forms that change the entities or the whole shape (get, with_entities,
  // from_self, select_entity_from, DISTINCT with ORDER BY on another entity) are replaced in
  // one piece.
  void convert(State& st, const Chain& c, const QueryOrigin& o, bool from_variable) const {
    FileContext& ctx = st.ctx;
    std::string_view src = ctx.text();
    if (!st.done.insert(ts_node_start_byte(c.root)).second) return;
    if (from_variable && o.statement.empty() && c.steps.empty() && syntax::is_null(c.slice) &&
        !is(syntax::parent(c.outer), "for_statement"))
      return;

    bool async_target = session_is_async_target(ctx, o.kind);
    std::string why;
    std::vector<std::string> preamble;  // statements to add before the one holding the chain
    std::vector<ImportNeed> needs;
    auto name = [&](const char* module, const char* n) {
      auto ref = ctx.imports().name(module, n, c.root);
      needs.insert(needs.end(), ref.needs.begin(), ref.needs.end());
      return ref.text;
    };

    std::vector<TSNode> entities = o.entities;
    if (entities.empty()) return;
    ArgCtx ac;
    ac.entity_cls = class_name(entities[0], src);
    ac.entity_prefix = class_prefix(entities[0], src);
    ac.query_target = ac.entity_cls;
    bool single_orm = (entities.size() == 1 && is_orm_entity(entities[0], src)) || !o.statement.empty();
    bool aggregate = entities.size() == 1 && is_aggregate(entities[0], src);
    std::string entities_text;
    {
      std::string out;
      for (TSNode e : entities) {
        auto t = rewrite_text(ctx, e, ac, &why);
        if (!t) return report(st, c, why);
        out += (out.empty() ? "" : ", ") + *t;
      }
      entities_text = out;
    }
    if (!o.statement.empty()) entities_text.clear();

    // The steps: their flat rendering (for whole replacements) and their in-place edits.
    EditList inplace;
    std::string stmt_tail;
    bool restructure = false;  // the entities change: replace the chain in one piece
    bool unique = false, has_criteria = false, yield_per = false, distinct = false;
    std::optional<Step> terminal;
    std::string extra_order_cols;
    std::string join_cls = ac.entity_cls;
    bool joined = o.unique;
    for (const Step& s : c.steps) joined |= needs_unique(s, src);
    std::vector<std::string> options_args;
    size_t n_steps = c.steps.size();
    auto whole_step = [&](const Step& s, const std::string& flat) {
      stmt_tail += flat;
      TSNode attr = field(s.call, "function");
      inplace.replace(ts_node_start_byte(field(attr, "attribute")), ts_node_end_byte(s.call), flat.substr(1));
    };
    for (size_t i = 0; i < n_steps; ++i) {
      const Step& s = c.steps[i];
      if (terminals().count(s.name)) {
        if (i + 1 != n_steps) return report(st, c, "`" + s.name + "()` is followed by more calls");
        terminal = s;
        break;
      }
      if (s.name == "join" || s.name == "outerjoin") {
        bool aliased = false;
        std::vector<TSNode> positional;
        std::string kwargs;
        for (TSNode a : syntax::code_children(s.args)) {
          if (is(a, "keyword_argument")) {
            if (text(field(a, "name"), src) == "aliased" && is(field(a, "value"), "true")) {
              aliased = true;
              continue;
            }
            kwargs += ", " + std::string(text(a, src));
            continue;
          }
          positional.push_back(a);
        }
        bool all_strings = !positional.empty() &&
                           std::all_of(positional.begin(), positional.end(), [](TSNode a) { return is(a, "string"); });
        if (all_strings) {
          // join("orders", "items") -> .join(User.orders).join(Order.items)
          std::string flat;
          for (TSNode a : positional) {
            std::string_view lit = text(a, src);
            std::string attr(lit.substr(1, lit.size() - 2));
            const RelationshipInfo* rel = ctx.project() ? ctx.project()->relationship(join_cls, attr) : nullptr;
            if (!rel) return report(st, c, "`" + s.name + "(\"" + attr + "\")`: no relationship `" + join_cls + "." + attr + "` is known");
            std::string target = ac.entity_prefix + join_cls + "." + attr;
            if (aliased) {
              std::string alias = fresh_name(ctx.model(), "n1");
              preamble.push_back(alias + " = " + name("sqlalchemy.orm", "aliased") + "(" + ac.entity_prefix + rel->target + ")");
              target += ".of_type(" + alias + ")";
              ac.alias = alias;
              ac.alias_of_cls = rel->target;
            }
            flat += "." + s.name + "(" + target + kwargs + ")";
            join_cls = rel->target;
          }
          whole_step(s, flat);
        } else {
          if (aliased) return report(st, c, "`aliased=True` with a non-string join target");
          if (!args_in_place(ctx, s, ac, inplace, stmt_tail, s.name, &why)) return report(st, c, why);
        }
        continue;
      }
      if (s.name == "filter") {
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, "where", &why)) return report(st, c, why);
        has_criteria = true;
      } else if (s.name == "filter_by") {
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, "filter_by", &why)) return report(st, c, why);
        has_criteria = true;
      } else if (s.name == "with_parent") {
        auto a = args_text(ctx, s.args, ac, &why);
        if (!a) return report(st, c, why);
        whole_step(s, ".where(" + name("sqlalchemy.orm", "with_parent") + "(" + *a + "))");
        has_criteria = true;
      } else if (s.name == "populate_existing") {
        whole_step(s, ".execution_options(populate_existing=True)");
      } else if (s.name == "yield_per") {
        auto a = args_text(ctx, s.args, ac, &why);
        if (!a) return report(st, c, why);
        whole_step(s, ".execution_options(yield_per=" + *a + ")");
        yield_per = true;
      } else if (s.name == "with_entities") {
        auto a = args_text(ctx, s.args, ac, &why);
        if (!a) return report(st, c, why);
        entities = syntax::code_children(s.args);
        entities_text = *a;
        single_orm = entities.size() == 1 && is_orm_entity(entities[0], src);
        aggregate = entities.size() == 1 && is_aggregate(entities[0], src);
        restructure = true;
      } else if (s.name == "options") {
        std::string_view raw = text(s.args, src);
        if (raw.find("joinedload") != std::string_view::npos || raw.find("contains_eager") != std::string_view::npos)
          unique = true;
        auto a = args_text(ctx, s.args, ac, &why);
        if (!a) return report(st, c, why);
        options_args.push_back(*a);
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, "options", &why)) return report(st, c, why);
      } else if (s.name == "distinct") {
        distinct = true;
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, "distinct", &why)) return report(st, c, why);
      } else if (s.name == "order_by") {
        // DISTINCT ... ORDER BY Other.col: Query added the column to the select list.
        if (distinct && single_orm) {
          for (TSNode a : syntax::code_children(s.args)) {
            if (is(a, "attribute") && class_name(field(a, "object"), src) != ac.entity_cls) {
              extra_order_cols += ", " + std::string(text(a, src));
              restructure = true;
            }
          }
        }
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, "order_by", &why)) return report(st, c, why);
      } else if (s.name == "from_self") {
        // query(E, X.col).<steps>.from_self(E).<more>:
        //   subq = select(E, X.col).<steps>.subquery(); ua = aliased(E, subq)
        //   select(ua).<more>, with X.col read as subq.c.col
        auto selves = syntax::code_children(s.args);
        if (from_variable || selves.size() != 1 || !is_orm_entity(selves[0], src))
          return report(st, c, "`from_self()` with other than one entity");
        std::string subq = fresh_name(ctx.model(), "subq"), ua = fresh_name(ctx.model(), "ua");
        preamble.push_back(subq + " = " + name("sqlalchemy", "select") + "(" + entities_text + ")" + stmt_tail + ".subquery()");
        preamble.push_back(ua + " = " + name("sqlalchemy.orm", "aliased") + "(" + std::string(text(selves[0], src)) + ", " + subq + ")");
        for (TSNode e : entities) {
          if (is(e, "attribute") && !is_orm_entity(e, src))
            ac.columns[std::string(text(e, src))] = subq + ".c." + std::string(text(field(e, "attribute"), src));
        }
        entities = selves;
        entities_text = ua;
        single_orm = true;
        stmt_tail.clear();
        restructure = true;
      } else if (s.name == "select_entity_from") {
        if (!single_orm) return report(st, c, "`select_entity_from()` on more than one entity");
        std::string ua = fresh_name(ctx.model(), "ua");
        TSNode arg0 = ts_node_named_child(s.args, 0);
        if (syntax::is_null(arg0)) return report(st, c, "`select_entity_from()` without an argument");
        auto inner = statement_of(ctx, arg0, &why);
        if (!inner) return report(st, c, why);
        preamble.push_back(ua + " = " + name("sqlalchemy.orm", "aliased") + "(" + entities_text + ", " + *inner + ")");
        entities_text = ua;
        restructure = true;
      } else if (same_name_steps().count(s.name)) {
        if (!args_in_place(ctx, s, ac, inplace, stmt_tail, s.name, &why)) return report(st, c, why);
      } else {
        return report(st, c, "`." + s.name + "()` is not in the table of forms asyncfix converts");
      }
    }
    if (!extra_order_cols.empty()) {
      entities_text += extra_order_cols;
      unique = true;  // rows of (entity, column): take the entities, uniquely
    }
    bool multi_with_extra = !extra_order_cols.empty();
    if (single_orm && joined) unique = true;
    const std::string& S = o.session;
    std::string sel_fn = name("sqlalchemy", "select");
    std::string base_stmt = !o.statement.empty() ? o.statement
                            : from_variable      ? std::string(text(c.root, src))
                                                 : sel_fn + "(" + entities_text + ")";

    // The run around the statement: open + statement + pre + close + after.
    std::string rows_fn = single_orm && !multi_with_extra ? "scalars" : "execute";
    std::string uniq = unique ? ".unique()" : "";
    std::string scalars_after = multi_with_extra ? ".scalars()" : "";
    auto R = [&](const std::string& fn) { return async_target ? "(await " + S + "." + fn + "(" : S + "." + fn + "("; };
    auto P = [&](const std::string& fn) { return std::string(async_target ? "await " : "") + S + "." + fn + "("; };
    std::string rclose = async_target ? "))" : ")";
    std::string open, pre, close, after;
    bool plain_await = false;
    bool keep_terminal = false;   // exists()/subquery(): the terminal stays as written
    bool whole = restructure;     // one replacement of the whole chain
    std::string whole_text;       // when the terminal itself restructures (get)
    TSNode for_stmt{};

    if (!syntax::is_null(c.slice)) {
      if (terminal) return report(st, c, "a slice after a terminal call");
      auto bounds = syntax::code_children(c.slice);
      std::string_view sl = text(c.slice, src);
      size_t colon = sl.find(':');
      if (sl.find(':', colon + 1) != std::string_view::npos) return report(st, c, "a stepped slice");
      std::string lo, hi;
      if (colon == 0) {
        lo = "0";
        if (bounds.size() == 1) hi = std::string(text(bounds[0], src));
      } else {
        if (!bounds.empty()) lo = std::string(text(bounds[0], src));
        if (bounds.size() == 2) hi = std::string(text(bounds[1], src));
      }
      if (lo.empty() || hi.empty()) return report(st, c, "an open slice");
      open = R(rows_fn);
      pre = ".slice(" + lo + ", " + hi + ")";
      close = rclose;
      after = scalars_after + uniq + ".all()";
    } else if (!terminal) {
      TSNode p = syntax::parent(c.outer);
      if (is(p, "for_statement") && syntax::same(field(p, "right"), c.outer)) {
        if (async_target && yield_per) {
          open = "await " + S + (rows_fn == "scalars" ? ".stream_scalars(" : ".stream(");
          close = ")";
          for_stmt = p;
        } else if (async_target) {
          open = unique ? "(await " + S + "." + rows_fn + "(" : "await " + S + "." + rows_fn + "(";
          close = unique ? "))" + uniq : ")";
        } else {
          open = S + "." + rows_fn + "(";
          close = ")" + uniq;
        }
      } else {
        bool assigned = is(p, "assignment") && syntax::same(field(p, "right"), c.outer) && is(field(p, "left"), "identifier");
        if (!assigned) return report(st, c, "the query object is used as a value here: convert this use by hand");
        if (!query_variable(st, field(p, "left"))) return report(st, c, "the query variable is used in ways asyncfix does not follow");
      }
    } else {
      const std::string& t = terminal->name;
      auto targs = args_text(ctx, terminal->args, ac, &why);
      if (!targs) return report(st, c, why);
      if (t == "all" || t == "one" || t == "one_or_none" || t == "first") {
        open = R(rows_fn);
        if (t == "first") pre = ".limit(1)";
        close = rclose;
        after = scalars_after + uniq + "." + t + "()";
      } else if (t == "scalar") {
        if (aggregate) {
          open = P("scalar");
          close = ")";
          plain_await = async_target;
        } else {
          open = R("execute");
          close = rclose;
          after = ".scalar_one_or_none()";
        }
      } else if (t == "count") {
        bool bare = !has_criteria && stmt_tail.empty() && !from_variable && single_orm && o.statement.empty() && !restructure;
        open = P("scalar") + sel_fn + "(" + name("sqlalchemy", "func") + ".count()).select_from(";
        if (bare) {
          whole = true;
          whole_text = open + entities_text + "))";
        }
        pre = ".subquery()";
        close = "))";
        plain_await = async_target;
      } else if (t == "get") {
        if (from_variable || !single_orm || !o.statement.empty()) return report(st, c, "`get()` on a query that is not a single entity");
        for (size_t i = 0; i + 1 < n_steps; ++i) {
          if (c.steps[i].name != "options") return report(st, c, "`get()` after `" + c.steps[i].name + "()`");
        }
        std::string opts;
        for (const auto& a : options_args) opts += (opts.empty() ? "" : ", ") + a;
        whole = true;
        whole_text = P("get") + entities_text + ", " + *targs + (opts.empty() ? "" : ", options=[" + opts + "]") + ")";
        plain_await = async_target;
      } else if (t == "exists" || t == "subquery") {
        keep_terminal = true;
      } else if (t == "statement") {
        // `.statement` (an attribute): dropped below
      } else if (t == "delete" || t == "update") {
        if (!single_orm || from_variable || !o.statement.empty())
          return report(st, c, "bulk `" + t + "()` on a query that is not a single entity");
        for (size_t i = 0; i + 1 < n_steps; ++i) {
          const auto& sn = c.steps[i].name;
          if (sn != "filter" && sn != "filter_by") return report(st, c, "bulk `" + t + "()` after `" + sn + "()`");
        }
        std::string exec_opts, values;
        for (TSNode a : syntax::code_children(terminal->args)) {
          if (is(a, "keyword_argument")) {
            std::string_view k = text(field(a, "name"), src);
            if (k == "synchronize_session") exec_opts = ".execution_options(" + std::string(text(a, src)) + ")";
            else if (k == "values" && t == "update") values = ".values(" + std::string(text(field(a, "value"), src)) + ")";
            else return report(st, c, "bulk `" + t + "()` with `" + std::string(k) + "=`");
            continue;
          }
          if (t == "delete") return report(st, c, "bulk `delete()` with positional arguments");
          values = ".values(" + dict_as_keywords(a, src) + ")";
        }
        if (t == "update" && values.empty()) return report(st, c, "bulk `update()` without values");
        // The statement starts with update(E)/delete(E) instead of select(E).
        base_stmt = name("sqlalchemy", t == "delete" ? "delete" : "update") + "(" + entities_text + ")";
        open = R("execute");
        pre = values + exec_opts;
        close = rclose;
        after = ".rowcount";
      } else {
        return report(st, c, "`" + t + "()` is not converted");
      }
    }

    // Assemble the edits.
    EditList edits;
    uint32_t root_b = ts_node_start_byte(c.root), root_e = ts_node_end_byte(c.root);
    uint32_t outer_e = ts_node_end_byte(c.outer);
    std::string stmt = base_stmt + stmt_tail;
    if (whole) {
      std::string text_ = !whole_text.empty() ? whole_text : open + stmt + pre + close + after;
      if (keep_terminal && terminal) text_ += "." + terminal->name + "(" + std::string(text(terminal->args, src)).substr(1);
      edits.replace(root_b, outer_e, text_);
    } else {
      if (from_variable && o.statement.empty()) edits.insert(root_b, open);
      else edits.replace(root_b, root_e, open + base_stmt);
      for (Edit& e : inplace.take()) {
        if (e.is_insertion()) edits.insert(e.begin, e.text);
        else edits.replace(e.begin, e.end, e.text);
      }
      if (!syntax::is_null(c.slice)) {
        TSNode sub = syntax::parent(c.slice);
        edits.replace(ts_node_end_byte(field(sub, "value")), ts_node_end_byte(sub), pre + close + after);
      } else if (terminal && !keep_terminal) {
        // From the terminal's `.` (what lies between the last step and it stays).
        TSNode attr = terminal->call.id ? field(terminal->call, "function") : syntax::parent(field(syntax::parent(c.outer), "attribute"));
        if (!terminal->call.id) attr = c.outer;
        TSNode dot = syntax::child_of_kind(attr, ".");
        uint32_t dot_b = ts_node_is_null(dot) ? ts_node_end_byte(field(attr, "object")) : ts_node_start_byte(dot);
        for (uint32_t k = ts_node_start_byte(attr); k < ts_node_end_byte(attr); ++k) {
          if (src[k] == '.' && k >= ts_node_end_byte(field(attr, "object"))) {
            dot_b = k;
            break;
          }
        }
        edits.replace(dot_b, outer_e, pre + close + after);
      } else if (!terminal) {
        if (!close.empty()) edits.insert(outer_e, close);
      }
    }
    if (!syntax::is_null(for_stmt) && syntax::kind(ts_node_child(for_stmt, 0)) != "async") {
      edits.insert(ts_node_start_byte(for_stmt), "async ");
    }
    // A plain `await x` needs parentheses where precedence asks for them.
    bool needs_await = async_target && (open.find("await") != std::string::npos || whole_text.find("await") != std::string::npos);
    if (plain_await && needs_parens(c.outer, src, "await")) {
      edits.insert(root_b, "(");
      edits.insert(outer_e, ")");
    }

    Finding& f = ctx.report(c.outer, "legacy `Query` API: use `select()`");
    if (needs_await && ctx.model().context_at(c.outer) != semantic::Context::AsyncFunction &&
        !ctx.settings().migrate_async_sqlalchemy) {
      f.note = "the session is an AsyncSession but the enclosing function is not `async def`: it cannot await";
      return;
    }
    if (needs_await && ctx.model().context_at(c.outer) == semantic::Context::Lambda) {
      f.note = "inside a lambda, which cannot await";
      return;
    }
    if (!preamble.empty()) {
      // Statements the rewrite needs first (an alias, a subquery), before the statement
      // that holds the chain, at its indentation.
      TSNode stmt_node = syntax::enclosing_statement(c.outer);
      std::string indent(line_indent(src, ts_node_start_byte(stmt_node)));
      std::string pre_text;
      for (const auto& p : preamble) pre_text += p + "\n" + indent;
      edits.insert(ts_node_start_byte(stmt_node), pre_text);
    }
    if (!edits.consistent()) return;
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Safe;
    fix.edits = edits.take();
    fix.imports = needs;
    f.fix = std::move(fix);
  }

  // {"fullname": "Foo Bar"} -> fullname="Foo Bar" (identifiers only); anything else as it is.
  static std::string dict_as_keywords(TSNode a, std::string_view src) {
    if (!is(a, "dictionary")) return std::string(text(a, src));
    std::string kw;
    for (TSNode pr : syntax::code_children(a)) {
      TSNode k = field(pr, "key");
      if (!is(pr, "pair") || !is(k, "string")) return std::string(text(a, src));
      std::string_view ks = text(k, src);
      std::string key(ks.substr(1, ks.size() - 2));
      bool ident = !key.empty() && (std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_') &&
                   std::all_of(key.begin(), key.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
      if (!ident) return std::string(text(a, src));
      kw += (kw.empty() ? "" : ", ") + key + "=" + std::string(text(field(pr, "value"), src));
    }
    return kw;
  }

  // A step whose arguments keep their place: rename the method if needed, rewrite only the
  // arguments that change (relationship strings, `== None`).
  bool args_in_place(FileContext& ctx, const Step& s, const ArgCtx& ac, EditList& edits, std::string& flat,
                     const std::string& new_name, std::string* why) const {
    std::string_view src = ctx.text();
    TSNode attr = field(s.call, "function");
    TSNode name_node = field(attr, "attribute");
    if (new_name != s.name) edits.replace(ts_node_start_byte(name_node), ts_node_end_byte(name_node), new_name);
    std::string joined;
    for (TSNode a : syntax::code_children(s.args)) {
      auto t = rewrite_text(ctx, a, ac, why);
      if (!t) return false;
      if (*t != text(a, src)) edits.replace(ts_node_start_byte(a), ts_node_end_byte(a), *t);
      joined += (joined.empty() ? "" : ", ") + *t;
    }
    flat += "." + new_name + "(" + joined + ")";
    return true;
  }

  // The select() statement of a query expression that is not run (an argument such as
  // `select_entity_from(session.query(User).filter(...).subquery())`).
  std::optional<std::string> statement_of(FileContext& ctx, TSNode expr, std::string* why) const {
    std::string_view src = ctx.text();
    TSNode base = expr;
    while (is(base, "call") && is(field(base, "function"), "attribute") &&
           text(field(field(base, "function"), "attribute"), src) != "query")
      base = field(field(base, "function"), "object");
    if (!is(base, "call") || session_kind(ctx, field(field(base, "function"), "object")) == SessionKind::None) {
      return std::string(text(expr, src));
    }
    Chain c = read_chain(base, src);
    auto ents = syntax::code_children(field(base, "arguments"));
    if (ents.empty()) return std::nullopt;
    ArgCtx ac;
    ac.entity_cls = class_name(ents[0], src);
    ac.entity_prefix = class_prefix(ents[0], src);
    std::string stmt = "select(" + std::string(text(field(base, "arguments"), src)).substr(1);
    stmt.pop_back();
    stmt += ")";
    for (const Step& s : c.steps) {
      auto a = args_text(ctx, s.args, ac, why);
      if (!a) return std::nullopt;
      if (s.name == "filter") stmt += ".where(" + *a + ")";
      else if (s.name == "subquery") stmt += ".subquery(" + *a + ")";
      else if (same_name_steps().count(s.name)) stmt += "." + s.name + "(" + *a + ")";
      else {
        *why = "`." + s.name + "()` inside `select_entity_from()`";
        return std::nullopt;
      }
    }
    return stmt;
  }

  static void report(State& st, const Chain& c, const std::string& why) {
    Finding& f = st.ctx.report(c.outer, "legacy `Query` API: use `select()`");
    f.note = why + " (not converted)";
    st.pending.clear();
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_query_to_select() { return std::make_shared<QueryToSelect>(); }

}  // namespace asyncfix::rules
