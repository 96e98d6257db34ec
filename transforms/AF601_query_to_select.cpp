// AF601 query-to-select: SQLAlchemy 1.x `session.query(...)` chains -> 2.0 `select()` style,
// sync or async (docs/sqlalchemy-query-forms.md is the specification).
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
#include "engine/source/triggers.h"
#include "engine/project/project.h"
#include "engine/syntax/node.h"
#include "engine/rewrite/edit_list.h"
#include "transforms/support.h"
#include "transforms/registry.h"
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
    info_ = builtin_info("AF601");
  }
  const RuleInfo& info() const override { return info_; }
  bool needs_project() const override { return true; }
  std::vector<std::string> project_seeds() const override { return {"relationship(", kAsyncDefTrigger}; }
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

    variable_chains(st);
  }

 private:
  // Per file (rules are shared by threads: nothing of a file lives in the rule).
  struct State {
    FileContext& ctx;
    std::map<std::pair<int, std::string>, std::optional<QueryOrigin>> vars;  // (scope, name) -> origin
    std::set<uint32_t> done;    // chain roots already handled
    std::vector<Edit> pending;  // extra edits of the fix being built
    // A query built over several statements (`q = db.query(U)`, `q = q.filter(...)`,
    // `q.all()`) is one finding with one fix, at its first statement: the chains of one
    // query variable are all converted or none is (a select() left where a Query method is
    // still called would break).
    struct Group {
      Finding* finding = nullptr;
      EditList edits;
      std::vector<ImportNeed> imports;
      std::vector<uint32_t> lines;
      bool dead = false;  // a member is not converted: no fix for any of them
      std::string dead_note;
    };
    std::map<std::pair<int, std::string>, Group> groups;
  };

  // The query variable chain `c` belongs to: its root (`q.filter(...)`), or the variable its
  // value is assigned to (`q = db.query(User)...`).
  std::optional<std::pair<int, std::string>> group_key(State& st, const Chain& c, const QueryOrigin& o) const {
    if (!o.statement.empty()) return std::nullopt;  // a dynamic relationship's chain
    const auto& model = st.ctx.model();
    std::string_view src = st.ctx.text();
    auto key_of = [&](TSNode id) -> std::optional<std::pair<int, std::string>> {
      std::string name(text(id, src));
      int scope = model.resolving_scope(name, id);
      if (scope < 0) return std::nullopt;
      return std::make_pair(scope, name);
    };
    if (is(c.root, "identifier")) return key_of(c.root);
    TSNode p = syntax::parent(c.outer);
    // `q = db.query(User)`: q is a query variable; `n = db.query(User).count()` is a number.
    if (is(p, "assignment") && syntax::same(field(p, "right"), c.outer) && is(field(p, "left"), "identifier") &&
        query_variable(st, field(p, "left")))
      return key_of(field(p, "left"));
    return std::nullopt;
  }

  // A use of the query variable `key` that no chain conversion covers: none of its chains is
  // converted.
  static void mark_dead(State& st, const std::pair<int, std::string>& key, uint32_t line, const std::string& why) {
    State::Group& g = st.groups[key];
    if (g.dead) return;
    g.dead = true;
    g.dead_note = "line " + std::to_string(line) + ": " + why + " (not converted)";
    if (g.finding) {
      g.finding->fix.reset();
      g.finding->note = g.dead_note;
    }
  }

  // The finding of chain `c`: its own, or its query's. `fix` is its fix when it has one;
  // `note` why it has none.
  void emit(State& st, const Chain& c, const QueryOrigin& o, std::optional<Fix> fix, const std::string& note) const {
    auto key = group_key(st, c, o);
    uint32_t line = ts_node_start_point(c.outer).row + 1;
    if (!key) {
      Finding& f = st.ctx.report(c.outer, "legacy `Query` API: use `select()`");
      f.note = note;
      f.fix = std::move(fix);
      return;
    }
    State::Group& g = st.groups[*key];
    if (!g.finding) {
      g.finding = &st.ctx.report(c.outer, "legacy `Query` API: use `select()`");
      g.finding->note = g.dead ? g.dead_note : note;
    } else if (!g.dead && !fix) {
      g.finding->note = "line " + std::to_string(line) + ": " + note;
    }
    g.lines.push_back(line);
    if (!fix) g.dead = true;
    if (g.dead) {
      g.finding->fix.reset();
      return;
    }
    for (Edit& e : fix->edits) {
      if (e.is_insertion()) g.edits.insert(e.begin, e.text);
      else g.edits.replace(e.begin, e.end, e.text);
    }
    g.imports.insert(g.imports.end(), fix->imports.begin(), fix->imports.end());
    if (!g.edits.consistent()) {
      g.dead = true;
      g.finding->fix.reset();
      g.finding->note = "its statements' rewrites overlap (not converted)";
      return;
    }
    Fix merged = *fix;
    merged.edits = g.edits.edits();
    merged.imports = g.imports;
    g.finding->fix = std::move(merged);
    if (g.lines.size() > 1) {
      std::string where;
      for (uint32_t l : g.lines) where += (where.empty() ? "" : ", ") + std::to_string(l);
      g.finding->note = "the query is built and run over lines " + where + ": one fix rewrites them together";
    }
  }

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

  // Chains rooted at query variables (q.filter(...).all()).
  void variable_chains(State& st) const {
    FileContext& ctx = st.ctx;
    for (TSNode r : ctx.model().references()) {
      auto origin = query_variable(st, r);
      if (!origin) continue;
      TSNode p = syntax::parent(r);
      bool used_in_chain = (is(p, "attribute") && syntax::same(field(p, "object"), r)) ||
                           (is(p, "subscript") && syntax::same(field(p, "value"), r)) ||
                           (is(p, "for_statement") && syntax::same(field(p, "right"), r));
      if (!used_in_chain) {
        // Handed on as a value (`return q`, `paginate(q, page)`): whoever gets it expects a
        // Query. The assignment's own name is no use.
        bool assigned_name = is(p, "assignment") && syntax::same(field(p, "left"), r);
        if (!assigned_name && origin->statement.empty()) {
          auto key = std::make_pair(ctx.model().resolving_scope(std::string(text(r, ctx.text())), r),
                                    std::string(text(r, ctx.text())));
          bool tested = is(p, "not_operator") || is(p, "boolean_operator") ||
                        ((is(p, "if_statement") || is(p, "while_statement") || is(p, "elif_clause")) &&
                         syntax::same(field(p, "condition"), r));
          mark_dead(st, key, ts_node_start_point(r).row + 1,
                    tested ? "the query's truth is tested here: a `Query` is always true, a `select()` raises "
                             "TypeError; test the rows instead"
                           : "the query is passed on as a value here, and what receives it expects a `Query`: "
                             "convert it by hand");
        }
        continue;
      }
      Chain c = read_chain(r, ctx.text());
      convert(st, c, *origin, /*from_variable=*/true);
    }
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
      // `rows = db.query(X).all()`: what a terminal gives (a list, an object, a number) is no
      // query; iterating or reading it again is not rewritten.
      for (const Step& step : read_chain(base, src).steps)
        if (terminals().count(step.name)) return std::nullopt;
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

  // Is a query's entity an ORM class (rows are its objects: `scalars`), not a column? With a
  // model, a local name is followed to what it was assigned (`title = models.Title`), and
  // `self.model` (a generic CRUD base's class) is an entity.
  static bool is_orm_entity(TSNode e, std::string_view src, const semantic::SemanticModel* model = nullptr, int depth = 0) {
    if (is(e, "call")) {
      std::string_view fn = text(field(e, "function"), src);
      return fn == "aliased" || (fn.size() > 8 && fn.substr(fn.size() - 8) == ".aliased");
    }
    if (is(e, "identifier")) {
      if (model && depth < 3) {
        const semantic::Binding* b = model->resolve(text(e, src), e);
        TSNode st = b ? b->statement : TSNode{};
        if (is(st, "expression_statement")) st = ts_node_named_child(st, 0);
        if (is(st, "assignment") && is(field(st, "left"), "identifier") && !syntax::is_null(field(st, "right")))
          return is_orm_entity(field(st, "right"), src, model, depth + 1);
      }
      return std::isupper(static_cast<unsigned char>(text(e, src)[0]));
    }
    if (is(e, "attribute")) {
      std::string_view last = text(field(e, "attribute"), src);
      std::string_view obj = text(field(e, "object"), src);
      std::string_view obj_last = obj.substr(obj.rfind('.') == std::string_view::npos ? 0 : obj.rfind('.') + 1);
      if ((obj == "self" || obj == "cls") && last == "model") return true;
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
  //
  // convert() goes in phases: the entities, the steps (one handler per method, step_handlers()),
  // the terminal strategy (how the session runs the statement, terminal_handlers()), each of
  // which may refuse the chain (the reason is reported, nothing converted); then the finding,
  // the guards that need the run (an await where none can be), and only then the edits.

  // Why a chain is not converted (nullopt: it is).
  using Refusal = std::optional<std::string>;

  // One chain being converted: what the origin and the steps make of it, shared by the step
  // handlers, the terminal strategy and the edit assembly.
  struct Conversion {
    State& st;
    FileContext& ctx;
    const Chain& c;
    const QueryOrigin& o;
    bool from_variable = false;
    bool async_target = false;
    std::vector<std::string> preamble;  // statements to add before the one holding the chain
    std::vector<ImportNeed> needs;
    // The statement's entities, as the steps change them.
    std::vector<TSNode> entities;
    std::string entities_text;
    bool single_orm = false;
    bool aggregate = false;
    ArgCtx ac;
    // The steps: their flat rendering (for whole replacements) and their in-place edits.
    EditList inplace;
    std::string stmt_tail;
    bool restructure = false;  // the entities change: replace the chain in one piece
    bool unique = false, has_criteria = false, yield_per = false, distinct = false;
    std::optional<Step> terminal;
    std::string extra_order_cols;
    std::string join_cls;  // the class string joins start from: join("orders", "items")
    bool joined = false;   // a join or a joined eager load anywhere in the query's making
    std::vector<std::string> options_args;

    // `module.n` spelled at the chain, its imports added to the fix's.
    std::string name(const char* module, const char* n) {
      auto ref = ctx.imports().name(module, n, c.root);
      needs.insert(needs.end(), ref.needs.begin(), ref.needs.end());
      return ref.text;
    }
    // Step `s` rewritten in one piece (from its method's name to its end) as `flat`.
    void whole_step(const Step& s, const std::string& flat) {
      stmt_tail += flat;
      TSNode attr = field(s.call, "function");
      inplace.replace(ts_node_start_byte(field(attr, "attribute")), ts_node_end_byte(s.call), flat.substr(1));
    }
  };

  // How the session runs the statement: the chain becomes open + statement + pre + close +
  // after, or `whole_text` in one piece. The terminal strategy fills it in.
  struct Run {
    std::string session;
    bool async_target = false;
    std::string sel_fn;         // how `select` is spelled here
    std::string base_stmt;      // what the statement starts from: select(E), the variable...
    std::string rows_fn;        // "scalars" (one ORM entity) or "execute"
    std::string uniq;           // ".unique()" when rows repeat entities
    std::string scalars_after;  // ".scalars()" for rows of (entity, order column)
    std::string rclose;         // closes result_call()
    std::string open, pre, close, after;
    bool plain_await = false;
    bool keep_terminal = false;   // exists()/subquery(): the terminal stays as written
    bool whole = false;           // one replacement of the whole chain
    std::string whole_text;       // when the terminal itself restructures (get)
    TSNode for_stmt{};

    // Opens `session.fn(` whose result a method is called on: `(await db.fn(` when awaited.
    std::string result_call(const std::string& fn) const {
      return async_target ? "(await " + session + "." + fn + "(" : session + "." + fn + "(";
    }
    // Opens `session.fn(` whose result is the value: `await db.fn(` when awaited.
    std::string value_call(const std::string& fn) const {
      return std::string(async_target ? "await " : "") + session + "." + fn + "(";
    }
  };

  void convert(State& st, const Chain& c, const QueryOrigin& o, bool from_variable) const {
    FileContext& ctx = st.ctx;
    if (!st.done.insert(ts_node_start_byte(c.root)).second) return;
    if (from_variable && o.statement.empty() && c.steps.empty() && syntax::is_null(c.slice) &&
        !is(syntax::parent(c.outer), "for_statement"))
      return;
    if (o.entities.empty()) return;
    Conversion cv{st, ctx, c, o, from_variable, session_is_async_target(ctx, o.kind)};
    Run run;
    Refusal why = read_entities(cv);
    if (!why) why = read_steps(cv);
    if (!why) why = plan_run(cv, run);
    if (why) return report(st, c, o, *why);
    report_conversion(cv, run);
  }

  // The entities of the origin: their text, and what the arguments are read against.
  Refusal read_entities(Conversion& cv) const {
    std::string_view src = cv.ctx.text();
    const QueryOrigin& o = cv.o;
    cv.entities = o.entities;
    const std::vector<TSNode>& entities = cv.entities;
    cv.ac.entity_cls = class_name(entities[0], src);
    cv.ac.entity_prefix = class_prefix(entities[0], src);
    cv.ac.query_target = cv.ac.entity_cls;
    cv.single_orm = (entities.size() == 1 && is_orm_entity(entities[0], src, &cv.ctx.model())) || !o.statement.empty();
    cv.aggregate = entities.size() == 1 && is_aggregate(entities[0], src);
    std::string out, why;
    for (TSNode e : entities) {
      auto t = rewrite_text(cv.ctx, e, cv.ac, &why);
      if (!t) return why;
      out += (out.empty() ? "" : ", ") + *t;
    }
    cv.entities_text = out;
    if (!o.statement.empty()) cv.entities_text.clear();
    cv.join_cls = cv.ac.entity_cls;
    cv.joined = o.unique;
    for (const Step& s : cv.c.steps) cv.joined |= needs_unique(s, src);
    return std::nullopt;
  }

  // --- the steps -----------------------------------------------------------------------------

  using StepHandler = Refusal (QueryToSelect::*)(Conversion&, const Step&) const;

  // The handler of each step method the table converts.
  static const std::map<std::string, StepHandler>& step_handlers() {
    static const std::map<std::string, StepHandler> table = [] {
      std::map<std::string, StepHandler> t;
      for (const auto& n : same_name_steps()) t[n] = &QueryToSelect::step_same_name;
      t["join"] = t["outerjoin"] = &QueryToSelect::step_join;
      t["filter"] = t["where"] = &QueryToSelect::step_filter;  // Query.where(): filter()'s synonym (1.4)
      t["filter_by"] = &QueryToSelect::step_filter_by;
      t["with_parent"] = &QueryToSelect::step_with_parent;
      t["populate_existing"] = &QueryToSelect::step_populate_existing;
      t["yield_per"] = &QueryToSelect::step_yield_per;
      t["with_entities"] = &QueryToSelect::step_with_entities;
      t["options"] = &QueryToSelect::step_options;
      t["distinct"] = &QueryToSelect::step_distinct;
      t["order_by"] = &QueryToSelect::step_order_by;
      t["from_self"] = &QueryToSelect::step_from_self;
      t["select_entity_from"] = &QueryToSelect::step_select_entity_from;
      return t;
    }();
    return table;
  }

  // The steps in order, each through its handler, up to the terminal (kept for plan_run).
  Refusal read_steps(Conversion& cv) const {
    const std::vector<Step>& steps = cv.c.steps;
    size_t n_steps = steps.size();
    for (size_t i = 0; i < n_steps; ++i) {
      const Step& s = steps[i];
      if (terminals().count(s.name)) {
        if (i + 1 != n_steps) return "`" + s.name + "()` is followed by more calls";
        cv.terminal = s;
        break;
      }
      auto handler = step_handlers().find(s.name);
      if (handler == step_handlers().end())
        return "`." + s.name + "()` is not in the table of forms asyncfix converts";
      if (Refusal why = (this->*handler->second)(cv, s)) return why;
    }
    if (!cv.extra_order_cols.empty()) {
      cv.entities_text += cv.extra_order_cols;
      cv.unique = true;  // rows of (entity, column): take the entities, uniquely
    }
    if (cv.single_orm && cv.joined) cv.unique = true;
    return std::nullopt;
  }

  // Step `s` in place as `new_name(...)`, its arguments rewritten where they change.
  Refusal in_place(Conversion& cv, const Step& s, const std::string& new_name) const {
    std::string why;
    if (!args_in_place(cv.ctx, s, cv.ac, cv.inplace, cv.stmt_tail, new_name, &why)) return why;
    return std::nullopt;
  }

  Refusal step_same_name(Conversion& cv, const Step& s) const { return in_place(cv, s, s.name); }

  Refusal step_join(Conversion& cv, const Step& s) const {
    std::string_view src = cv.ctx.text();
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
    if (all_strings) return string_join(cv, s, positional, aliased, kwargs);
    if (aliased) return "`aliased=True` with a non-string join target";
    return in_place(cv, s, s.name);
  }

  // join("orders", "items") -> .join(User.orders).join(Order.items)
  Refusal string_join(Conversion& cv, const Step& s, const std::vector<TSNode>& positional, bool aliased,
                      const std::string& kwargs) const {
    FileContext& ctx = cv.ctx;
    std::string_view src = ctx.text();
    std::string flat;
    for (TSNode a : positional) {
      std::string_view lit = text(a, src);
      std::string attr(lit.substr(1, lit.size() - 2));
      const RelationshipInfo* rel = ctx.project() ? ctx.project()->relationship(cv.join_cls, attr) : nullptr;
      if (!rel) return "`" + s.name + "(\"" + attr + "\")`: no relationship `" + cv.join_cls + "." + attr + "` is known";
      std::string target = cv.ac.entity_prefix + cv.join_cls + "." + attr;
      if (aliased) {
        std::string alias = fresh_name(ctx.model(), "n1");
        cv.preamble.push_back(alias + " = " + cv.name("sqlalchemy.orm", "aliased") + "(" + cv.ac.entity_prefix + rel->target + ")");
        target += ".of_type(" + alias + ")";
        cv.ac.alias = alias;
        cv.ac.alias_of_cls = rel->target;
      }
      flat += "." + s.name + "(" + target + kwargs + ")";
      cv.join_cls = rel->target;
    }
    cv.whole_step(s, flat);
    return std::nullopt;
  }

  Refusal step_filter(Conversion& cv, const Step& s) const {
    if (Refusal why = in_place(cv, s, "where")) return why;
    cv.has_criteria = true;
    return std::nullopt;
  }

  Refusal step_filter_by(Conversion& cv, const Step& s) const {
    if (Refusal why = in_place(cv, s, "filter_by")) return why;
    cv.has_criteria = true;
    return std::nullopt;
  }

  Refusal step_with_parent(Conversion& cv, const Step& s) const {
    std::string why;
    auto a = args_text(cv.ctx, s.args, cv.ac, &why);
    if (!a) return why;
    cv.whole_step(s, ".where(" + cv.name("sqlalchemy.orm", "with_parent") + "(" + *a + "))");
    cv.has_criteria = true;
    return std::nullopt;
  }

  Refusal step_populate_existing(Conversion& cv, const Step& s) const {
    cv.whole_step(s, ".execution_options(populate_existing=True)");
    return std::nullopt;
  }

  Refusal step_yield_per(Conversion& cv, const Step& s) const {
    std::string why;
    auto a = args_text(cv.ctx, s.args, cv.ac, &why);
    if (!a) return why;
    cv.whole_step(s, ".execution_options(yield_per=" + *a + ")");
    cv.yield_per = true;
    return std::nullopt;
  }

  Refusal step_with_entities(Conversion& cv, const Step& s) const {
    std::string_view src = cv.ctx.text();
    std::string why;
    auto a = args_text(cv.ctx, s.args, cv.ac, &why);
    if (!a) return why;
    cv.entities = syntax::code_children(s.args);
    cv.entities_text = *a;
    cv.single_orm = cv.entities.size() == 1 && is_orm_entity(cv.entities[0], src, &cv.ctx.model());
    cv.aggregate = cv.entities.size() == 1 && is_aggregate(cv.entities[0], src);
    cv.restructure = true;
    return std::nullopt;
  }

  Refusal step_options(Conversion& cv, const Step& s) const {
    std::string_view raw = text(s.args, cv.ctx.text());
    if (raw.find("joinedload") != std::string_view::npos || raw.find("contains_eager") != std::string_view::npos)
      cv.unique = true;
    std::string why;
    auto a = args_text(cv.ctx, s.args, cv.ac, &why);
    if (!a) return why;
    cv.options_args.push_back(*a);
    return in_place(cv, s, "options");
  }

  Refusal step_distinct(Conversion& cv, const Step& s) const {
    cv.distinct = true;
    return in_place(cv, s, "distinct");
  }

  Refusal step_order_by(Conversion& cv, const Step& s) const {
    std::string_view src = cv.ctx.text();
    // DISTINCT ... ORDER BY Other.col: Query added the column to the select list.
    if (cv.distinct && cv.single_orm) {
      for (TSNode a : syntax::code_children(s.args)) {
        if (is(a, "attribute") && class_name(field(a, "object"), src) != cv.ac.entity_cls) {
          cv.extra_order_cols += ", " + std::string(text(a, src));
          cv.restructure = true;
        }
      }
    }
    return in_place(cv, s, "order_by");
  }

  Refusal step_from_self(Conversion& cv, const Step& s) const {
    FileContext& ctx = cv.ctx;
    std::string_view src = ctx.text();
    // query(E, X.col).<steps>.from_self(E).<more>:
    //   subq = select(E, X.col).<steps>.subquery(); ua = aliased(E, subq)
    //   select(ua).<more>, with X.col read as subq.c.col
    auto selves = syntax::code_children(s.args);
    if (cv.from_variable || selves.size() != 1 || !is_orm_entity(selves[0], src))
      return "`from_self()` with other than one entity";
    std::string subq = fresh_name(ctx.model(), "subq"), ua = fresh_name(ctx.model(), "ua");
    cv.preamble.push_back(subq + " = " + cv.name("sqlalchemy", "select") + "(" + cv.entities_text + ")" + cv.stmt_tail +
                          ".subquery()");
    cv.preamble.push_back(ua + " = " + cv.name("sqlalchemy.orm", "aliased") + "(" + std::string(text(selves[0], src)) +
                          ", " + subq + ")");
    for (TSNode e : cv.entities) {
      if (is(e, "attribute") && !is_orm_entity(e, src))
        cv.ac.columns[std::string(text(e, src))] = subq + ".c." + std::string(text(field(e, "attribute"), src));
    }
    cv.entities = selves;
    cv.entities_text = ua;
    cv.single_orm = true;
    cv.stmt_tail.clear();
    cv.restructure = true;
    return std::nullopt;
  }

  Refusal step_select_entity_from(Conversion& cv, const Step& s) const {
    if (!cv.single_orm) return "`select_entity_from()` on more than one entity";
    std::string ua = fresh_name(cv.ctx.model(), "ua");
    TSNode arg0 = ts_node_named_child(s.args, 0);
    if (syntax::is_null(arg0)) return "`select_entity_from()` without an argument";
    std::string why;
    auto inner = statement_of(cv.ctx, arg0, &why);
    if (!inner) return why;
    cv.preamble.push_back(ua + " = " + cv.name("sqlalchemy.orm", "aliased") + "(" + cv.entities_text + ", " + *inner + ")");
    cv.entities_text = ua;
    cv.restructure = true;
    return std::nullopt;
  }

  // --- the terminal strategy -----------------------------------------------------------------

  // How the statement is run: from a slice, a `for` over the query, an assignment that keeps
  // the query, or the terminal's handler.
  Refusal plan_run(Conversion& cv, Run& run) const {
    std::string_view src = cv.ctx.text();
    bool multi_with_extra = !cv.extra_order_cols.empty();
    run.session = cv.o.session;
    run.async_target = cv.async_target;
    run.sel_fn = cv.name("sqlalchemy", "select");
    run.base_stmt = !cv.o.statement.empty() ? cv.o.statement
                    : cv.from_variable      ? std::string(text(cv.c.root, src))
                                            : run.sel_fn + "(" + cv.entities_text + ")";
    run.rows_fn = cv.single_orm && !multi_with_extra ? "scalars" : "execute";
    run.uniq = cv.unique ? ".unique()" : "";
    run.scalars_after = multi_with_extra ? ".scalars()" : "";
    run.rclose = cv.async_target ? "))" : ")";
    run.whole = cv.restructure;
    if (!syntax::is_null(cv.c.slice)) return run_slice(cv, run);
    if (!cv.terminal) return run_unterminated(cv, run);
    std::string why;
    auto targs = args_text(cv.ctx, cv.terminal->args, cv.ac, &why);
    if (!targs) return why;
    auto handler = terminal_handlers().find(cv.terminal->name);
    if (handler == terminal_handlers().end()) return "`" + cv.terminal->name + "()` is not converted";
    return (this->*handler->second)(cv, run, *targs);
  }

  // q[a:b] -> .slice(a, b), all rows.
  Refusal run_slice(Conversion& cv, Run& run) const {
    std::string_view src = cv.ctx.text();
    const TSNode slice = cv.c.slice;
    if (cv.terminal) return "a slice after a terminal call";
    auto bounds = syntax::code_children(slice);
    std::string_view sl = text(slice, src);
    size_t colon = sl.find(':');
    if (sl.find(':', colon + 1) != std::string_view::npos) return "a stepped slice";
    std::string lo, hi;
    if (colon == 0) {
      lo = "0";
      if (bounds.size() == 1) hi = std::string(text(bounds[0], src));
    } else {
      if (!bounds.empty()) lo = std::string(text(bounds[0], src));
      if (bounds.size() == 2) hi = std::string(text(bounds[1], src));
    }
    if (lo.empty() || hi.empty()) return "an open slice";
    run.open = run.result_call(run.rows_fn);
    run.pre = ".slice(" + lo + ", " + hi + ")";
    run.close = run.rclose;
    run.after = run.scalars_after + run.uniq + ".all()";
    return std::nullopt;
  }

  // A chain without a terminal: iterated by a `for` (rows, streamed for yield_per on an
  // AsyncSession), or assigned to a query variable whose uses are followed.
  Refusal run_unterminated(Conversion& cv, Run& run) const {
    const Chain& c = cv.c;
    const std::string& S = run.session;
    TSNode p = syntax::parent(c.outer);
    if (is(p, "for_statement") && syntax::same(field(p, "right"), c.outer)) {
      if (cv.async_target && cv.yield_per) {
        run.open = "await " + S + (run.rows_fn == "scalars" ? ".stream_scalars(" : ".stream(");
        run.close = ")";
        run.for_stmt = p;
      } else if (cv.async_target) {
        run.open = cv.unique ? "(await " + S + "." + run.rows_fn + "(" : "await " + S + "." + run.rows_fn + "(";
        run.close = cv.unique ? "))" + run.uniq : ")";
      } else {
        run.open = S + "." + run.rows_fn + "(";
        run.close = ")" + run.uniq;
      }
      return std::nullopt;
    }
    bool assigned = is(p, "assignment") && syntax::same(field(p, "right"), c.outer) && is(field(p, "left"), "identifier");
    if (!assigned) return "the query object is used as a value here: convert this use by hand";
    if (!query_variable(cv.st, field(p, "left"))) return "the query variable is used in ways asyncfix does not follow";
    return std::nullopt;
  }

  // A terminal's handler, given the terminal's arguments as rewritten.
  using TerminalHandler = Refusal (QueryToSelect::*)(Conversion&, Run&, const std::string&) const;

  static const std::map<std::string, TerminalHandler>& terminal_handlers() {
    static const std::map<std::string, TerminalHandler> table = {
        {"all", &QueryToSelect::run_rows},        {"one", &QueryToSelect::run_rows},
        {"one_or_none", &QueryToSelect::run_rows}, {"first", &QueryToSelect::run_rows},
        {"scalar", &QueryToSelect::run_scalar},    {"count", &QueryToSelect::run_count},
        {"get", &QueryToSelect::run_get},          {"exists", &QueryToSelect::run_kept},
        {"subquery", &QueryToSelect::run_kept},    {"statement", &QueryToSelect::run_statement},
        {"delete", &QueryToSelect::run_bulk},      {"update", &QueryToSelect::run_bulk},
    };
    return table;
  }

  // all() / one() / one_or_none() / first(): the same method on the rows (first() limited).
  Refusal run_rows(Conversion& cv, Run& run, const std::string&) const {
    const std::string& t = cv.terminal->name;
    run.open = run.result_call(run.rows_fn);
    if (t == "first") run.pre = ".limit(1)";
    run.close = run.rclose;
    run.after = run.scalars_after + run.uniq + "." + t + "()";
    return std::nullopt;
  }

  Refusal run_scalar(Conversion& cv, Run& run, const std::string&) const {
    if (cv.aggregate) {
      run.open = run.value_call("scalar");
      run.close = ")";
      run.plain_await = cv.async_target;
    } else {
      run.open = run.result_call("execute");
      run.close = run.rclose;
      run.after = ".scalar_one_or_none()";
    }
    return std::nullopt;
  }

  Refusal run_count(Conversion& cv, Run& run, const std::string&) const {
    bool bare = !cv.has_criteria && cv.stmt_tail.empty() && !cv.from_variable && cv.single_orm && cv.o.statement.empty() &&
                !cv.restructure;
    run.open = run.value_call("scalar") + run.sel_fn + "(" + cv.name("sqlalchemy", "func") + ".count()).select_from(";
    if (bare) {
      run.whole = true;
      run.whole_text = run.open + cv.entities_text + "))";
    }
    run.pre = ".subquery()";
    run.close = "))";
    run.plain_await = cv.async_target;
    return std::nullopt;
  }

  Refusal run_get(Conversion& cv, Run& run, const std::string& targs) const {
    const std::vector<Step>& steps = cv.c.steps;
    if (cv.from_variable || !cv.single_orm || !cv.o.statement.empty())
      return "`get()` on a query that is not a single entity";
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
      if (steps[i].name != "options") return "`get()` after `" + steps[i].name + "()`";
    }
    std::string opts;
    for (const auto& a : cv.options_args) opts += (opts.empty() ? "" : ", ") + a;
    run.whole = true;
    run.whole_text = run.value_call("get") + cv.entities_text + ", " + targs + (opts.empty() ? "" : ", options=[" + opts + "]") + ")";
    run.plain_await = cv.async_target;
    return std::nullopt;
  }

  // exists() / subquery(): the terminal stays as written.
  Refusal run_kept(Conversion&, Run& run, const std::string&) const {
    run.keep_terminal = true;
    return std::nullopt;
  }

  // `.statement` (an attribute): dropped by the edit assembly.
  Refusal run_statement(Conversion&, Run&, const std::string&) const { return std::nullopt; }

  // Bulk delete() / update(): the statement starts with delete(E) / update(E), the rowcount.
  Refusal run_bulk(Conversion& cv, Run& run, const std::string&) const {
    const std::string& t = cv.terminal->name;
    const std::vector<Step>& steps = cv.c.steps;
    if (!cv.single_orm || cv.from_variable || !cv.o.statement.empty())
      return "bulk `" + t + "()` on a query that is not a single entity";
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
      const auto& sn = steps[i].name;
      if (sn != "filter" && sn != "filter_by" && sn != "where") return "bulk `" + t + "()` after `" + sn + "()`";
    }
    std::string exec_opts, values;
    if (Refusal why = bulk_arguments(cv, exec_opts, values)) return why;
    // The statement starts with update(E)/delete(E) instead of select(E).
    run.base_stmt = cv.name("sqlalchemy", t == "delete" ? "delete" : "update") + "(" + cv.entities_text + ")";
    run.pre = values + exec_opts;
    if (is(syntax::parent(cv.c.outer), "expression_statement")) {
      // The count is not used: no dangling `.rowcount` statement.
      run.open = run.value_call("execute");
      run.close = ")";
      return std::nullopt;
    }
    run.open = run.result_call("execute");
    run.close = run.rclose;
    run.after = ".rowcount";
    return std::nullopt;
  }

  // The arguments of bulk delete()/update(): synchronize_session= as execution options, the
  // values of update() (a dict or values=) as .values(...).
  Refusal bulk_arguments(Conversion& cv, std::string& exec_opts, std::string& values) const {
    std::string_view src = cv.ctx.text();
    const std::string& t = cv.terminal->name;
    for (TSNode a : syntax::code_children(cv.terminal->args)) {
      if (is(a, "keyword_argument")) {
        std::string_view k = text(field(a, "name"), src);
        if (k == "synchronize_session") exec_opts = ".execution_options(" + std::string(text(a, src)) + ")";
        else if (k == "values" && t == "update") values = ".values(" + std::string(text(field(a, "value"), src)) + ")";
        else return "bulk `" + t + "()` with `" + std::string(k) + "=`";
        continue;
      }
      if (t == "delete") return "bulk `delete()` with positional arguments";
      values = ".values(" + dict_as_keywords(a, src) + ")";
    }
    if (t == "update" && values.empty()) return "bulk `update()` without values";
    return std::nullopt;
  }

  // --- the finding and the edits -------------------------------------------------------------

  // The finding of a chain every guard let through; its fix unless it would await where
  // nothing can.
  void report_conversion(Conversion& cv, const Run& run) const {
    FileContext& ctx = cv.ctx;
    const Chain& c = cv.c;
    std::string_view src = ctx.text();
    bool needs_await = cv.async_target && (run.open.find("await") != std::string::npos ||
                                           run.whole_text.find("await") != std::string::npos);
    if (needs_await && ctx.model().context_at(c.outer) != semantic::Context::AsyncFunction &&
        !ctx.settings().migrate_async_sqlalchemy) {
      return emit(cv.st, c, cv.o, std::nullopt,
                  "the session is an AsyncSession but the enclosing function is not `async def`: it cannot await");
    }
    if (needs_await && ctx.model().context_at(c.outer) == semantic::Context::Lambda) {
      return emit(cv.st, c, cv.o, std::nullopt, "inside a lambda, which cannot await");
    }
    // The migration makes async the functions and methods that use a session, but not a
    // plain function nested in another, code at import time, or a generator that returns a
    // value (AF602 says why).
    if (needs_await && ctx.settings().migrate_async_sqlalchemy && !migration_can_await_at(ctx, c.outer)) {
      return emit(cv.st, c, cv.o, std::nullopt,
                  "the session is an AsyncSession but the code around it stays sync, where nothing can await");
    }
    EditList edits = chain_edits(cv, run);
    if (!cv.preamble.empty()) {
      // Statements the rewrite needs first (an alias, a subquery), before the statement
      // that holds the chain, at its indentation.
      TSNode stmt_node = syntax::enclosing_statement(c.outer);
      std::string indent(line_indent(src, ts_node_start_byte(stmt_node)));
      std::string pre_text;
      for (const auto& p : cv.preamble) pre_text += p + "\n" + indent;
      edits.insert(ts_node_start_byte(stmt_node), pre_text);
    }
    if (!edits.consistent()) return emit(cv.st, c, cv.o, std::nullopt, "its rewrites overlap (not converted)");
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Safe;
    fix.edits = edits.take();
    fix.imports = cv.needs;
    emit(cv.st, c, cv.o, std::move(fix), "");
  }

  // The edits of the chain itself: the whole chain in one piece, or root, steps and terminal
  // each in place; then `async for`, and parentheses around a plain `await`.
  static EditList chain_edits(Conversion& cv, const Run& run) {
    const Chain& c = cv.c;
    std::string_view src = cv.ctx.text();
    EditList edits;
    uint32_t root_b = ts_node_start_byte(c.root), root_e = ts_node_end_byte(c.root);
    uint32_t outer_e = ts_node_end_byte(c.outer);
    const std::optional<Step>& terminal = cv.terminal;
    if (run.whole) {
      std::string stmt = run.base_stmt + cv.stmt_tail;
      std::string text_ = !run.whole_text.empty() ? run.whole_text : run.open + stmt + run.pre + run.close + run.after;
      if (run.keep_terminal && terminal) text_ += "." + terminal->name + "(" + std::string(text(terminal->args, src)).substr(1);
      edits.replace(root_b, outer_e, text_);
    } else {
      if (cv.from_variable && cv.o.statement.empty()) edits.insert(root_b, run.open);
      else edits.replace(root_b, root_e, run.open + run.base_stmt);
      for (Edit& e : cv.inplace.take()) {
        if (e.is_insertion()) edits.insert(e.begin, e.text);
        else edits.replace(e.begin, e.end, e.text);
      }
      if (!syntax::is_null(c.slice)) {
        TSNode sub = syntax::parent(c.slice);
        edits.replace(ts_node_end_byte(field(sub, "value")), ts_node_end_byte(sub), run.pre + run.close + run.after);
      } else if (terminal && !run.keep_terminal) {
        // From the terminal's `.` (what lies between the last step and it stays).
        TSNode attr = terminal->call.id ? field(terminal->call, "function") : c.outer;
        edits.replace(terminal_dot(attr, src), outer_e, run.pre + run.close + run.after);
      } else if (!terminal) {
        if (!run.close.empty()) edits.insert(outer_e, run.close);
      }
    }
    if (!syntax::is_null(run.for_stmt) && syntax::kind(ts_node_child(run.for_stmt, 0)) != "async") {
      edits.insert(ts_node_start_byte(run.for_stmt), "async ");
    }
    // A plain `await x` needs parentheses where precedence asks for them.
    if (run.plain_await && needs_parens(c.outer, src, "await")) {
      edits.insert(root_b, "(");
      edits.insert(outer_e, ")");
    }
    return edits;
  }

  // Where the `.` of the terminal's attribute `attr` is.
  static uint32_t terminal_dot(TSNode attr, std::string_view src) {
    TSNode dot = syntax::child_of_kind(attr, ".");
    uint32_t dot_b = ts_node_is_null(dot) ? ts_node_end_byte(field(attr, "object")) : ts_node_start_byte(dot);
    for (uint32_t k = ts_node_start_byte(attr); k < ts_node_end_byte(attr); ++k) {
      if (src[k] == '.' && k >= ts_node_end_byte(field(attr, "object"))) {
        dot_b = k;
        break;
      }
    }
    return dot_b;
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
      if (s.name == "filter" || s.name == "where") stmt += ".where(" + *a + ")";
      else if (s.name == "subquery") stmt += ".subquery(" + *a + ")";
      else if (same_name_steps().count(s.name)) stmt += "." + s.name + "(" + *a + ")";
      else {
        *why = "`." + s.name + "()` inside `select_entity_from()`";
        return std::nullopt;
      }
    }
    return stmt;
  }

  void report(State& st, const Chain& c, const QueryOrigin& o, const std::string& why) const {
    emit(st, c, o, std::nullopt, why + " (not converted)");
    st.pending.clear();
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_query_to_select() { return std::make_shared<QueryToSelect>(); }

}  // namespace asyncfix::rules
