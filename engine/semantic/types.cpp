#include "engine/semantic/types.h"

#include <map>

#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix::semantic {

using syntax::field;
using syntax::is;
using syntax::text;

std::string canonical_type(std::string_view q) {
  static const std::map<std::string_view, std::string_view> kAliases = {
      {"sqlalchemy.orm.session.Session", types::kSession},
      {"sqlalchemy.orm.Session", types::kSession},
      {"sqlalchemy.ext.asyncio.session.AsyncSession", types::kAsyncSession},
      {"sqlalchemy.ext.asyncio.AsyncSession", types::kAsyncSession},
      {"httpx._client.Client", types::kHttpxClient},
      {"httpx.Client", types::kHttpxClient},
      {"httpx._client.AsyncClient", types::kHttpxAsyncClient},
      {"httpx.AsyncClient", types::kHttpxAsyncClient},
      {"requests.sessions.Session", types::kRequestsSession},
      {"requests.Session", types::kRequestsSession},
      {"requests.session", types::kRequestsSession},
      {"aiohttp.ClientSession", types::kAiohttpSession},
      {"aiohttp.client.ClientSession", types::kAiohttpSession},
      {"sqlalchemy.engine.Engine", types::kEngine},
      {"sqlalchemy.engine.base.Engine", types::kEngine},
      {"sqlalchemy.ext.asyncio.AsyncEngine", types::kAsyncEngine},
      {"pathlib.Path", types::kPath},
      {"pathlib.PosixPath", types::kPath},
      {"pathlib.WindowsPath", types::kPath},
      {"pathlib.PurePath", types::kPath},
      {"pathlib.PurePosixPath", types::kPath},
      {"pathlib.PureWindowsPath", types::kPath},
  };
  auto it = kAliases.find(q);
  return it == kAliases.end() ? std::string(q) : std::string(it->second);
}

namespace {

constexpr int kMaxDepth = 8;

// Calls whose result has a known type: constructors and factories.
std::optional<std::string> known_call_result(const std::string& callee, TSNode call, std::string_view src,
                                             const SemanticModel& model) {
  std::string c = canonical_type(callee);
  if (c == types::kSession || c == types::kAsyncSession || c == types::kHttpxClient ||
      c == types::kHttpxAsyncClient || c == types::kRequestsSession || c == types::kAiohttpSession ||
      c == types::kPath)
    return c;
  if (callee == "pathlib.Path.cwd" || callee == "pathlib.Path.home") return std::string(types::kPath);
  if (callee == "sqlalchemy.create_engine" || callee == "sqlalchemy.engine.create_engine") return std::string(types::kEngine);
  if (callee == "sqlalchemy.ext.asyncio.create_async_engine") return std::string(types::kAsyncEngine);
  if (callee == "sqlalchemy.ext.asyncio.async_sessionmaker") {
    return std::string(types::kFactoryPrefix) + std::string(types::kAsyncSession);
  }
  if (callee == "sqlalchemy.orm.sessionmaker" || callee == "sqlalchemy.orm.scoped_session") {
    // sessionmaker(..., class_=AsyncSession) makes async sessions.
    TSNode args = field(call, "arguments");
    for (TSNode a : syntax::code_children(args)) {
      if (!is(a, "keyword_argument")) continue;
      if (text(field(a, "name"), src) != "class_") continue;
      auto q = model.qualified_name(field(a, "value"));
      if (q && canonical_type(*q) == types::kAsyncSession) {
        return std::string(types::kFactoryPrefix) + std::string(types::kAsyncSession);
      }
    }
    return std::string(types::kFactoryPrefix) + std::string(types::kSession);
  }
  return std::nullopt;
}

// The binding's parameter node (typed_parameter / typed_default_parameter / default_parameter).
TSNode parameter_node(TSNode name) {
  TSNode p = syntax::parent(name);
  if (is(p, "typed_parameter") || is(p, "typed_default_parameter") || is(p, "default_parameter")) return p;
  return TSNode{};
}

}  // namespace

namespace {
bool module_class(const SemanticModel& model, std::string_view name) {
  auto it = model.scope(0).bindings.find(std::string(name));
  return it != model.scope(0).bindings.end() && it->second.back().kind == BindingKind::ClassDef;
}
}  // namespace

bool TypeOracle::is_project_class(std::string_view type) const {
  if (!project_) return false;
  const std::string& own = model_.module_name();
  // A class of this very module (known before the project has this module's summary).
  if (!own.empty() && type.size() > own.size() + 1 && type.substr(0, own.size()) == own && type[own.size()] == '.' &&
      module_class(model_, type.substr(own.size() + 1)))
    return true;
  return project_->class_type(type).has_value();
}

std::optional<std::string> TypeOracle::project_class(TSNode ref) const {
  if (!project_) return std::nullopt;
  if (is(ref, "identifier")) {
    const Binding* b = model_.resolve(text(ref, model_.source()), ref);
    if (b && b->kind == BindingKind::ClassDef && model_.scope_of(b->name) == 0 && !model_.module_name().empty()) {
      return model_.module_name() + "." + std::string(text(ref, model_.source()));
    }
  }
  auto q = model_.qualified_name(ref);
  if (!q) return std::nullopt;
  return project_->class_type(*q);
}

std::optional<std::string> TypeOracle::annotation_type(TSNode type) const {
  std::string_view src = model_.source();
  if (is(type, "type")) {
    auto kids = syntax::code_children(type);
    if (kids.size() != 1) return std::nullopt;
    type = kids[0];
  }
  if (is(type, "identifier") || is(type, "attribute")) {
    if (auto c = project_class(type)) return c;
    auto q = model_.qualified_name(type);
    if (!q) return std::nullopt;
    return canonical_type(*q);
  }
  if (is(type, "string")) {
    // A forward reference: "Session". Resolve the name it holds in the module.
    std::string_view t = text(type, src);
    size_t b = t.find_first_of("\"'");
    size_t e = t.find_last_of("\"'");
    if (b == std::string_view::npos || e <= b) return std::nullopt;
    std::string inner(t.substr(b + 1, e - b - 1));
    std::string root = inner.substr(0, inner.find('.'));
    auto it = model_.scope(0).bindings.find(root);
    if (it == model_.scope(0).bindings.end() || !it->second.back().is_import()) return std::nullopt;
    std::string q = it->second.back().qualname + inner.substr(root.size());
    return canonical_type(q);
  }
  if (is(type, "binary_operator")) {  // X | None
    auto l = annotation_type(field(type, "left"));
    if (l && *l != "None") return l;
    return annotation_type(field(type, "right"));
  }
  if (is(type, "generic_type") || is(type, "subscript")) {
    // Optional[X], Annotated[X, ...], Generator[X, ...], Iterator[X], AsyncGenerator[X, ...]
    TSNode head = is(type, "subscript") ? field(type, "value") : ts_node_named_child(type, 0);
    auto q = model_.qualified_name(head);
    std::string name = q ? *q : std::string(text(head, src));
    std::string last = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    static const char* const kWrappers[] = {"Optional", "Annotated", "Generator", "Iterator", "Iterable",
                                            "AsyncGenerator", "AsyncIterator", "AsyncIterable", "Union"};
    bool wrapper = false;
    for (const char* w : kWrappers) wrapper |= last == w;
    if (!wrapper) return std::nullopt;
    TSNode first{};
    if (is(type, "subscript")) {
      first = field(type, "subscript");
    } else {
      TSNode params = syntax::child_of_kind(type, "type_parameter");
      auto ps = syntax::code_children(params);
      if (!ps.empty()) first = ps[0];
    }
    if (syntax::is_null(first)) return std::nullopt;
    return annotation_type(first);
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::type_of(TSNode expr) const { return type_of(expr, 0); }

std::optional<std::string> TypeOracle::type_of(TSNode expr, int depth) const {
  if (depth > kMaxDepth || syntax::is_null(expr)) return std::nullopt;
  if (is(expr, "parenthesized_expression")) {
    auto kids = syntax::code_children(expr);
    return kids.size() == 1 ? type_of(kids[0], depth + 1) : std::nullopt;
  }
  if (is(expr, "identifier")) return name_type(expr, depth);
  if (is(expr, "binary_operator") && text(field(expr, "operator"), model_.source()) == "/") {
    auto l = type_of(field(expr, "left"), depth + 1);  // path / "name" is a path
    if (l && *l == types::kPath) return l;
    return std::nullopt;
  }
  if (is(expr, "call")) return call_type(expr, depth);
  if (is(expr, "attribute")) {
    TSNode obj = field(expr, "object");
    if (is(obj, "identifier") && text(obj, model_.source()) == "self") return self_attribute_type(expr, depth);
    // `request.state.db` and other attribute chains: only through imports (module globals).
    auto q = model_.qualified_name(expr);
    if (q && project_) return project_->global_type(*q);
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::call_type(TSNode call, int depth) const {
  TSNode fn = field(call, "function");
  if (auto c = project_class(fn)) return c;  // an instance of a project class
  if (auto q = model_.qualified_name(fn)) {
    if (auto t = known_call_result(*q, call, model_.source(), model_)) return t;
    if (project_) {
      if (auto r = project_->return_type(*q)) return r;
    }
    // A module-level name of this module (`SessionLocal()` in the module that made it).
    if (project_ && !model_.module_name().empty() && is(fn, "identifier")) {
      const Binding* b = model_.resolve(text(fn, model_.source()), fn);
      if (b && !b->is_import() && model_.scope_of(b->name) == 0) {
        if (auto r = project_->return_type(model_.module_name() + "." + std::string(text(fn, model_.source()))))
          return r;
      }
    }
  }
  // Calling a factory gives its product.
  auto ft = type_of(fn, depth + 1);
  if (ft && ft->rfind(types::kFactoryPrefix, 0) == 0) return ft->substr(types::kFactoryPrefix.size());
  return std::nullopt;
}

std::optional<std::string> TypeOracle::name_type(TSNode id, int depth) const {
  std::string_view src = model_.source();
  // A parameter's own name (its declaration lies outside the function's scope range).
  if (!syntax::is_null(parameter_node(id))) {
    Binding self{BindingKind::Parameter, id, TSNode{}, {}};
    return name_type_of_binding(self, id, depth);
  }
  const Binding* b = model_.resolve(text(id, src), id);
  if (!b) return std::nullopt;
  return name_type_of_binding(*b, id, depth);
}

std::optional<std::string> TypeOracle::name_type_of_binding(const Binding& bref, TSNode id, int depth) const {
  const Binding* b = &bref;
  if (b->is_import()) {
    if (project_) return project_->global_type(b->qualname);
    return std::nullopt;
  }
  if (b->kind == BindingKind::Parameter) return parameter_type(*b);
  if (b->kind == BindingKind::Assignment) return assignment_type(*b, id, depth);
  if (b->kind == BindingKind::WithTarget) return with_target_type(*b, depth);
  return std::nullopt;
}

std::optional<std::string> TypeOracle::parameter_type(const Binding& b) const {
  TSNode p = parameter_node(b.name);
  if (syntax::is_null(p)) return std::nullopt;
  TSNode ann = field(p, "type");
  if (!syntax::is_null(ann)) {
    if (auto t = annotation_type(ann)) return t;
  }
  // `db = Depends(get_db)`: what the dependency yields.
  TSNode def = field(p, "value");
  if (is(def, "call")) {
    auto q = model_.qualified_name(field(def, "function"));
    if (q && (*q == "fastapi.Depends" || *q == "fastapi.params.Depends")) return dependency_type(def);
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::dependency_type(TSNode depends_call) const {
  std::string_view src = model_.source();
  auto args = syntax::code_children(field(depends_call, "arguments"));
  if (!args.empty()) {
    auto dep = model_.qualified_name(args[0]);
    if (dep && project_) {
      if (auto r = project_->return_type(*dep)) return r;
    }
    if (is(args[0], "identifier")) {
      const Binding* db = model_.resolve(text(args[0], src), args[0]);
      if (db && db->kind == BindingKind::FunctionDef) {
        return function_result_type(syntax::parent(db->name));
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::assignment_type(const Binding& b, TSNode id, int depth) const {
  TSNode stmt = b.statement;
  // x: T = ...  /  x = <call>
  TSNode asg{};
  syntax::walk(stmt, [&](TSNode n) {
    if (!syntax::is_null(asg)) return false;
    if (is(n, "assignment") && syntax::contains(field(n, "left"), b.name)) {
      asg = n;
      return false;
    }
    return true;
  });
  if (syntax::is_null(asg)) return std::nullopt;
  if (!is(field(asg, "left"), "identifier")) return std::nullopt;  // tuple targets: unknown
  TSNode ann = field(asg, "type");
  if (!syntax::is_null(ann)) {
    if (auto t = annotation_type(ann)) return t;
  }
  TSNode right = field(asg, "right");
  if (syntax::same(right, id) || syntax::contains(right, id)) return std::nullopt;
  return type_of(right, depth + 1);
}

std::optional<std::string> TypeOracle::with_target_type(const Binding& b, int depth) const {
  std::string_view src = model_.source();
  // with <expr> as x: the object itself for sessions and clients.
  TSNode as = syntax::parent(syntax::parent(b.name));  // as_pattern_target -> as_pattern
  if (is(as, "as_pattern")) {
    auto kids = syntax::code_children(as);
    if (!kids.empty()) {
      TSNode value = kids[0];
      // `with SessionLocal.begin() as s` also gives a session.
      if (is(value, "call")) {
        TSNode fn = field(value, "function");
        if (is(fn, "attribute") && text(field(fn, "attribute"), src) == "begin") {
          auto ft = type_of(field(fn, "object"), depth + 1);
          if (ft && ft->rfind(types::kFactoryPrefix, 0) == 0) return ft->substr(types::kFactoryPrefix.size());
        }
      }
      return type_of(value, depth + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::self_attribute_type(TSNode attr, int depth) const {
  std::string_view src = model_.source();
  std::string_view name = text(field(attr, "attribute"), src);
  // The class of the method we are in.
  TSNode fn = model_.enclosing_function(attr);
  if (!is(fn, "function_definition")) return std::nullopt;
  TSNode cls = syntax::ancestor(fn, "class_definition");
  if (syntax::is_null(cls)) return std::nullopt;
  // All `self.x = ...` (and class-level `x: T`) of the class, once per class: the first
  // assignment of each attribute whose type can be told.
  auto [it, fresh] = class_attrs_.try_emplace(cls.id);
  auto& attrs = it->second;
  if (fresh) {
    syntax::walk(field(cls, "body"), [&](TSNode n) {
      if (!is(n, "assignment")) return true;
      TSNode left = field(n, "left");
      if (is(left, "attribute")) {
        TSNode obj = field(left, "object");
        if (!is(obj, "identifier") || text(obj, src) != "self") return true;
        std::string key(text(field(left, "attribute"), src));
        auto& slot = attrs[key];
        if (slot) return true;
        TSNode ann = field(n, "type");
        if (!syntax::is_null(ann)) slot = annotation_type(ann);
        if (!slot) slot = type_of(field(n, "right"), depth + 1);
      } else if (is(left, "identifier") && !syntax::is_null(field(n, "type")) &&
                 syntax::same(syntax::parent(syntax::parent(n)), field(cls, "body"))) {
        auto& slot = attrs[std::string(text(left, src))];
        if (!slot) slot = annotation_type(field(n, "type"));
      }
      return true;
    });
  }
  auto found = attrs.find(name);
  return found == attrs.end() ? std::nullopt : found->second;
}

std::optional<std::string> TypeOracle::function_result_type(TSNode fn) const {
  if (!is(fn, "function_definition")) return std::nullopt;
  TSNode ret = field(fn, "return_type");
  if (!syntax::is_null(ret)) {
    if (auto t = annotation_type(ret)) return t;
  }
  // The first `yield x` / `return x` whose type is known.
  std::optional<std::string> found;
  syntax::walk(field(fn, "body"), [&](TSNode n) {
    if (found) return false;
    if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
    if (is(n, "yield") || is(n, "return_statement")) {
      auto kids = syntax::code_children(n);
      if (!kids.empty()) found = type_of(kids.back(), 1);
      return false;
    }
    return true;
  });
  return found;
}

}  // namespace asyncfix::semantic
