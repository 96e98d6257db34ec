#include "engine/semantic/types.h"

#include <map>

#include "engine/semantic/library_model.h"
#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix::semantic {

using syntax::field;
using syntax::is;
using syntax::text;

std::string canonical_type(std::string_view q) { return LibraryModel::current().canonical(q); }

namespace {

constexpr int kMaxDepth = 8;

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

TypeOracle::TypeOracle(const SemanticModel& model, const ProjectTypes* project)
    : model_(model), project_(project), lib_(LibraryModel::current()) {}

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
    if (auto a = alias_annotation(type)) return a;
    auto q = model_.qualified_name(type);
    if (!q) return std::nullopt;
    if (project_) {
      // A type alias of another module (`SessionDep = Annotated[Session, Depends(get_db)]`).
      auto g = project_->global_type(*q);
      if (g && g->rfind(types::kAliasPrefix, 0) == 0) return g->substr(types::kAliasPrefix.size());
    }
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
    if (it == model_.scope(0).bindings.end()) return std::nullopt;
    const Binding& rb = it->second.back();
    // A class of this module defined further down (`rpc: "RPC"`).
    if (rb.kind == BindingKind::ClassDef && inner == root && !model_.module_name().empty())
      return model_.module_name() + "." + inner;
    if (!rb.is_import()) return std::nullopt;
    std::string q = rb.qualname + inner.substr(root.size());
    if (project_) {
      if (auto c = project_->class_type(q)) return c;
    }
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
                                            "AsyncGenerator", "AsyncIterator", "AsyncIterable", "Union",
                                            "ClassVar", "Final", "Required", "NotRequired", "ReadOnly"};
    bool wrapper = false;
    for (const char* w : kWrappers) wrapper |= last == w;
    // A generic library class (`scoped_session[Session]`): the class itself.
    if (!wrapper && q && lib_.class_fact(canonical_type(*q))) return canonical_type(*q);
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

std::optional<std::string> TypeOracle::alias_annotation(TSNode ref) const {
  // A name of this module bound to a type: `SessionType = scoped_session[Session]`,
  // `DbSession = Annotated[Session, Depends(get_db)]`.
  if (!is(ref, "identifier") || alias_depth_ > 4) return std::nullopt;
  const Binding* b = model_.resolve(text(ref, model_.source()), ref);
  if (!b || b->kind != BindingKind::Assignment || model_.scope_of(b->name) != 0) return std::nullopt;
  TSNode asg = syntax::parent(b->name);
  if (!is(asg, "assignment") || !syntax::same(field(asg, "left"), b->name)) return std::nullopt;
  ++alias_depth_;
  auto t = type_alias(field(asg, "right"));
  --alias_depth_;
  return t;
}

std::optional<std::string> TypeOracle::type_alias(TSNode value) const {
  if (!(is(value, "identifier") || is(value, "attribute") || is(value, "subscript") || is(value, "generic_type") ||
        is(value, "binary_operator")))
    return std::nullopt;
  if (is(value, "binary_operator") && text(field(value, "operator"), model_.source()) != "|") return std::nullopt;
  auto t = annotation_type(value);
  if (!t || !(lib_.class_fact(*t) || is_project_class(*t))) return std::nullopt;
  return t;
}

std::optional<std::string> TypeOracle::type_of(TSNode expr, int depth) const {
  if (depth > kMaxDepth || syntax::is_null(expr)) return std::nullopt;
  std::string_view src = model_.source();
  if (is(expr, "parenthesized_expression")) {
    auto kids = syntax::code_children(expr);
    return kids.size() == 1 ? type_of(kids[0], depth + 1) : std::nullopt;
  }
  if (is(expr, "identifier")) return name_type(expr, depth);
  if (is(expr, "await")) {
    // What a call's result is, in the library model and in a project function's annotation,
    // is the awaited value: `await run_in_threadpool(create_session)` is a Session.
    auto kids = syntax::code_children(expr);
    return kids.size() == 1 ? type_of(kids[0], depth + 1) : std::nullopt;
  }
  if (is(expr, "binary_operator")) {
    // `path / "name"` is a path: the operators of the left operand's class.
    auto l = type_of(field(expr, "left"), depth + 1);
    if (!l) return std::nullopt;
    const ClassFact* c = lib_.class_fact(*l);
    if (!c) return std::nullopt;
    auto it = c->operators.find(text(field(expr, "operator"), src));
    if (it == c->operators.end()) return std::nullopt;
    return it->second;
  }
  if (is(expr, "call")) return call_type(expr, depth);
  if (is(expr, "subscript")) {  // client["db"]: the items of a library class
    auto t = type_of(field(expr, "value"), depth + 1);
    const ClassFact* c = t ? lib_.class_fact(*t) : nullptr;
    if (c && !c->items.empty()) return c->items;
    return std::nullopt;
  }
  if (is(expr, "attribute")) {
    TSNode obj = field(expr, "object");
    std::string_view attr = text(field(expr, "attribute"), src);
    if (is(obj, "identifier") && (text(obj, src) == "self" || text(obj, src) == "cls")) {
      if (auto t = self_attribute_type(expr, depth)) return t;
    }
    // A class attribute of a class of this file or of the project (`Trade.session`, with
    // `session: ClassVar[...]` in its body).
    if (auto local = local_class_attribute(obj, attr, depth)) return local;
    if (auto c = project_class(obj)) {
      if (project_) return project_->global_type(*c + "." + std::string(attr));
      return std::nullopt;
    }
    // A module-level name of another module (through imports).
    auto q = model_.qualified_name(expr);
    if (q && project_) {
      if (auto g = project_->global_type(*q)) return g;
    }
    // An attribute of an object whose class is known: a library class's attributes
    // (`path.parent`), items (`client.db`), or a project class's attributes.
    auto t = type_of(obj, depth + 1);
    if (!t) return std::nullopt;
    if (const ClassFact* c = lib_.class_fact(*t)) {
      auto it = c->attributes.find(attr);
      if (it != c->attributes.end()) return it->second;
      if (!c->items.empty() && !c->methods.count(attr)) return c->items;
      return std::nullopt;
    }
    if (project_ && is_project_class(*t)) return project_->global_type(*t + "." + std::string(attr));
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::evaluate(const TypeExpr& e, TSNode call, int depth) const {
  using K = TypeExpr::Kind;
  if (e.kind == K::Named) return canonical_type(e.name);
  if (e.kind == K::Factory) {
    auto inner = evaluate(*e.inner, call, depth);
    if (!inner) return std::nullopt;
    return std::string(types::kFactoryPrefix) + *inner;
  }
  TSNode arg = argument(call, e.name);
  if (syntax::is_null(arg)) return std::nullopt;
  if (e.kind == K::TypeOf) return type_of(arg, depth + 1);
  if (e.kind == K::Instance) {
    if (auto c = project_class(arg)) return c;
    auto q = model_.qualified_name(arg);
    if (!q) return std::nullopt;
    return canonical_type(*q);
  }
  return product_of(arg, TSNode{}, depth + 1);  // K::Product
}

TSNode TypeOracle::argument(TSNode call, std::string_view which) const {
  if (syntax::is_null(call)) return TSNode{};
  std::string_view src = model_.source();
  bool positional = !which.empty() && std::isdigit(static_cast<unsigned char>(which[0]));
  int want = positional ? std::atoi(std::string(which).c_str()) : 0;
  int k = 0;
  for (TSNode a : syntax::code_children(field(call, "arguments"))) {
    if (is(a, "keyword_argument")) {
      if (!positional && text(field(a, "name"), src) == which) return field(a, "value");
      continue;
    }
    if (is(a, "list_splat") || is(a, "dictionary_splat")) return TSNode{};
    if (positional && ++k == want) return a;
  }
  return TSNode{};
}

std::optional<std::string> TypeOracle::call_type(TSNode call, int depth) const {
  return product_of(field(call, "function"), call, depth);
}

std::optional<std::string> TypeOracle::product_of(TSNode fn, TSNode call, int depth) const {
  if (depth > kMaxDepth || syntax::is_null(fn)) return std::nullopt;
  if (auto c = project_class(fn)) return c;  // an instance of a project class
  if (auto q = model_.qualified_name(fn)) {
    if (auto t = named_callable_result(fn, *q, call, depth)) return t;
  }
  if (is(fn, "attribute")) {
    if (auto t = method_result(fn, call, depth)) return t;
  }
  // Calling a factory gives its product; calling an instance, what its class's calls give.
  auto ft = type_of(fn, depth + 1);
  if (!ft) return std::nullopt;
  if (ft->rfind(types::kFactoryPrefix, 0) == 0) return ft->substr(types::kFactoryPrefix.size());
  if (ft->rfind(types::kAliasPrefix, 0) == 0) return ft->substr(types::kAliasPrefix.size());  // a class's other name
  if (const ClassFact* c = lib_.class_fact(*ft); c && !c->call_returns.empty()) return c->call_returns;
  return std::nullopt;
}

std::optional<std::string> TypeOracle::named_callable_result(TSNode fn, const std::string& q, TSNode call,
                                                            int depth) const {
  std::string_view src = model_.source();
  // A library function or class: what the model says it returns; a class gives an instance.
  std::string canon = canonical_type(q);
  if (const CallFact* f = lib_.function(canon)) {
    for (const TypeExpr& e : f->returns) {
      if (auto t = evaluate(e, call, depth)) return t;
    }
  }
  if (lib_.class_fact(canon)) return canon;
  if (project_) {
    if (auto r = project_->return_type(q)) return r;
  }
  if (!is(fn, "identifier")) return std::nullopt;
  const Binding* b = model_.resolve(text(fn, src), fn);
  if (!b) return std::nullopt;
  // A module-level name of this module (`SessionLocal()` in the module that made it).
  if (project_ && !model_.module_name().empty() && !b->is_import() && model_.scope_of(b->name) == 0) {
    if (auto r = project_->return_type(model_.module_name() + "." + std::string(text(fn, src)))) return r;
  }
  // A function of this file (also one nested in a function).
  if (b->kind == BindingKind::FunctionDef) return result_type(syntax::parent(b->name), depth + 1);
  return std::nullopt;
}

std::optional<std::string> TypeOracle::method_result(TSNode fn, TSNode call, int depth) const {
  // A method of an object whose class is known: the model's `returns`, or a project method's
  // result.
  std::string_view name = text(field(fn, "attribute"), model_.source());
  auto t = type_of(field(fn, "object"), depth + 1);
  if (!t || t->rfind(types::kFactoryPrefix, 0) == 0) return std::nullopt;
  if (const CallFact* m = lib_.method(*t, name)) {
    for (const TypeExpr& e : m->returns) {
      if (auto r = evaluate(e, call, depth)) return r;
    }
    return std::nullopt;
  }
  if (project_ && is_project_class(*t)) return project_->return_type(*t + "." + std::string(name));
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
  if (b->kind == BindingKind::FunctionDef && depth > 0) {
    // `get_db = get_session`: the name is a callable that gives what the function gives.
    if (auto r = result_type(syntax::parent(b->name), depth + 1)) return std::string(types::kFactoryPrefix) + *r;
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::parameter_type(const Binding& b) const {
  TSNode p = parameter_node(b.name);
  bool bare = is(syntax::parent(b.name), "parameters");  // `def get(session):`
  if (syntax::is_null(p) && !bare) return std::nullopt;
  TSNode ann = syntax::is_null(p) ? TSNode{} : field(p, "type");
  if (!syntax::is_null(ann)) {
    if (auto t = annotation_type(ann)) return t;
  }
  // `db = Depends(get_db)`: what the dependency yields.
  TSNode def = syntax::is_null(p) ? TSNode{} : field(p, "value");
  if (is(def, "call")) {
    auto q = model_.qualified_name(field(def, "function"));
    if (q && (*q == "fastapi.Depends" || *q == "fastapi.params.Depends")) return dependency_type(def);
  }
  // No annotation: what every call site passes (the project's fixed point), or what the
  // wrapper of its decorator passes.
  if (project_ && syntax::is_null(ann)) {
    TSNode fn = syntax::ancestor(b.name, "function_definition");
    std::string fq = function_qualname(fn);
    if (fq.empty()) return std::nullopt;
    if (auto t = project_->parameter_type(fq, text(b.name, model_.source()))) return t;
    return decorated_parameter_type(fn, b.name);
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::decorated_parameter_type(TSNode fn, TSNode name) const {
  TSNode dec = syntax::parent(fn);
  if (!is(dec, "decorated_definition") || !is(syntax::parent(dec), "module")) return std::nullopt;
  size_t k = 0;
  bool found = false;
  for (TSNode p : syntax::code_children(field(fn, "parameters"))) {
    if (syntax::same(p, name) || syntax::contains(p, name)) {
      found = true;
      break;
    }
    if (!is(p, "identifier") && !is(p, "typed_parameter") && !is(p, "default_parameter") && !is(p, "typed_default_parameter"))
      return std::nullopt;  // after a * or a splat: not positional
    ++k;
  }
  if (!found) return std::nullopt;
  for (TSNode d : syntax::code_children(dec)) {
    if (!is(d, "decorator")) continue;
    TSNode e = ts_node_named_child(d, 0);
    std::optional<std::string> q;
    if (is(e, "identifier")) {
      const Binding* db = model_.resolve(text(e, model_.source()), e);
      if (db && db->kind == BindingKind::FunctionDef && model_.scope_of(db->name) == 0 && !model_.module_name().empty())
        q = model_.module_name() + "." + std::string(text(e, model_.source()));
    }
    if (!q) q = model_.qualified_name(e);
    if (!q) continue;
    if (auto t = project_->decorator_argument_type(*q, k)) return t;
  }
  return std::nullopt;
}

std::string TypeOracle::function_qualname(TSNode fn) const {
  if (model_.module_name().empty() || !is_module_level_function(fn)) return {};
  return semantic::function_qualname(model_.module_name(), fn, model_.source());
}

std::string function_qualname(const std::string& module, TSNode fn, std::string_view src) {
  std::string name(text(field(fn, "name"), src));
  // Methods: Class.method (classes nested in functions are not indexed).
  TSNode p = syntax::parent(fn);
  if (is(p, "decorated_definition")) p = syntax::parent(p);
  if (is(p, "block")) {
    TSNode cls = syntax::parent(p);
    if (is(cls, "class_definition")) name = std::string(text(field(cls, "name"), src)) + "." + name;
  }
  return module.empty() ? name : module + "." + name;
}

bool is_module_level_function(TSNode fn) {
  if (!is(fn, "function_definition")) return false;
  TSNode p = syntax::parent(fn);
  if (is(p, "decorated_definition")) p = syntax::parent(p);
  if (is(p, "module")) return true;
  if (!is(p, "block") || !is(syntax::parent(p), "class_definition")) return false;
  TSNode top = syntax::parent(syntax::parent(p));
  if (is(top, "decorated_definition")) top = syntax::parent(top);
  return is(top, "module");
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
  const auto& attrs = class_attributes(cls, depth);
  auto found = attrs.find(name);
  if (found != attrs.end() && found->second) return found->second;
  // Inherited from a project class (`class Trade(ModelBase, LocalTrade)`).
  if (!project_) return std::nullopt;
  for (TSNode base : syntax::code_children(field(cls, "superclasses"))) {
    if (is(base, "keyword_argument")) continue;
    if (auto b = project_class(base)) {
      if (auto t = project_->global_type(*b + "." + std::string(name))) return t;
    }
  }
  return std::nullopt;
}

std::optional<std::string> TypeOracle::local_class_attribute(TSNode ref, std::string_view attr, int depth) const {
  if (!is(ref, "identifier")) return std::nullopt;
  const Binding* b = model_.resolve(text(ref, model_.source()), ref);
  if (!b || b->kind != BindingKind::ClassDef) return std::nullopt;
  TSNode cls = syntax::parent(b->name);
  if (!is(cls, "class_definition")) return std::nullopt;
  const auto& attrs = class_attributes(cls, depth);
  auto it = attrs.find(attr);
  return it == attrs.end() ? std::nullopt : it->second;
}

const std::map<std::string, std::optional<std::string>, std::less<>>& TypeOracle::class_attributes(TSNode cls,
                                                                                                   int depth) const {
  std::string_view src = model_.source();
  // All `self.x = ...` / `cls.x = ...` of the class's methods and its class-level `x: T` and
  // `x = ...`, once per class: the first assignment of each attribute whose type can be told.
  auto [it, fresh] = class_attrs_.try_emplace(cls.id);
  auto& attrs = it->second;
  if (!fresh) return attrs;
  TSNode body = field(cls, "body");
  syntax::walk(body, [&](TSNode n) {
    if (is(n, "class_definition")) return false;  // a nested class has its own attributes
    if (!is(n, "assignment")) return true;
    TSNode left = field(n, "left");
    TSNode ann = field(n, "type");
    std::string key;
    if (is(left, "attribute")) {
      TSNode obj = field(left, "object");
      if (!is(obj, "identifier") || (text(obj, src) != "self" && text(obj, src) != "cls")) return true;
      key = std::string(text(field(left, "attribute"), src));
    } else if (is(left, "identifier") && syntax::same(syntax::parent(syntax::parent(n)), body)) {
      key = std::string(text(left, src));
    } else {
      return true;
    }
    auto& slot = attrs[key];
    if (slot) return true;
    if (!syntax::is_null(ann)) slot = annotation_type(ann);
    if (!slot) slot = type_of(field(n, "right"), depth + 1);
    return true;
  });
  return attrs;
}

std::optional<std::string> TypeOracle::function_result_type(TSNode fn) const { return result_type(fn, 0); }

std::optional<std::string> TypeOracle::result_type(TSNode fn, int depth) const {
  if (depth > kMaxDepth || !is(fn, "function_definition")) return std::nullopt;
  // Functions call each other: each body is looked through once (per depth it can matter at).
  if (auto it = results_.find(fn.id); it != results_.end() && (it->second.type || it->second.depth <= depth))
    return it->second.type;
  auto found = result_type_uncached(fn, depth);
  results_[fn.id] = ResultMemo{found, depth};
  return found;
}

std::optional<std::string> TypeOracle::result_type_uncached(TSNode fn, int depth) const {
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
      if (!kids.empty()) found = type_of(kids.back(), depth + 1);
      return false;
    }
    return true;
  });
  return found;
}

}  // namespace asyncfix::semantic
