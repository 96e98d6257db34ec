#include "engine/semantic/model.h"

#include <algorithm>

#include "engine/syntax/node.h"

namespace asyncfix::semantic {

using syntax::field;
using syntax::is;
using syntax::kind;
using syntax::start;
using syntax::text;

namespace {

// What identifiers mean under a node, decided from the node's parent and field.
enum class Role : uint8_t {
  Normal,     // identifiers read names
  Target,     // identifiers bind (assignment / loop / with / except targets)
  Params,     // a parameter list: names bind in the new function scope
  ParamItem,  // default_parameter & co: `name` binds, `value`/`type` read in the outer scope
  Skip,       // names that are neither (import paths, attribute names, keyword names)
};


bool is_comprehension(std::string_view k) {
  return k == "list_comprehension" || k == "set_comprehension" ||
         k == "dictionary_comprehension" || k == "generator_expression";
}

bool is_target_container(std::string_view k) {
  return k == "pattern_list" || k == "tuple_pattern" || k == "list_pattern" || k == "tuple" ||
         k == "list" || k == "parenthesized_expression" || k == "list_splat_pattern" ||
         k == "list_splat" || k == "as_pattern_target" || k == "expression_list";
}

}  // namespace

std::string resolve_relative(const std::string& module_name, bool is_package, int dots,
                             const std::string& rest) {
  if (module_name.empty()) return {};
  std::vector<std::string> parts;
  size_t b = 0;
  for (size_t i = 0; i <= module_name.size(); ++i) {
    if (i == module_name.size() || module_name[i] == '.') {
      parts.push_back(module_name.substr(b, i - b));
      b = i + 1;
    }
  }
  // A module's package is its name minus the last part; a package is its own package.
  int drop = is_package ? dots - 1 : dots;
  if (drop > static_cast<int>(parts.size()) || (drop == static_cast<int>(parts.size()) && rest.empty()))
    return {};
  parts.resize(parts.size() - static_cast<size_t>(drop));
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '.';
    out += p;
  }
  if (!rest.empty()) {
    if (!out.empty()) out += '.';
    out += rest;
  }
  return out;
}

class ModelBuilder {
 public:
  explicit ModelBuilder(SemanticModel& m) : m_(m) {}

  void run(TSNode root) {
    Scope module;
    module.kind = ScopeKind::Module;
    module.node = root;
    module.begin = 0;
    module.end = static_cast<uint32_t>(m_.src_.size()) + 1;
    m_.scopes_.push_back(std::move(module));

    // Pre-order walk with one cursor; stack_ holds a Frame for every node on the path.
    syntax::TreeCursor c(root);
    stack_.push_back(Frame{root, 0, -1, -1, Role::Normal, BindingKind::Other, root});
    visit_node(stack_.back());
    for (;;) {
      if (stack_.back().role != Role::Skip && c.first_child()) {
        push_child(c);
        continue;
      }
      for (;;) {
        stack_.pop_back();
        if (stack_.empty()) {
          finish();
          return;
        }
        if (c.next_sibling()) {
          push_child(c);
          break;
        }
        c.parent();
      }
    }
  }

 private:
  // Scopes open in pre-order, but a lambda in a parameter default opens after its function
  // while lying before the function's body: order each scope's children by position.
  void finish() {
    for (auto& s : m_.scopes_) {
      std::sort(s.children.begin(), s.children.end(), [&](int a, int b) {
        return m_.scopes_[static_cast<size_t>(a)].begin < m_.scopes_[static_cast<size_t>(b)].begin;
      });
    }
  }

  struct Frame {
    TSNode node;
    int scope;           // scope in which this node's names resolve
    int aux;             // Params/ParamItem: the function scope parameters bind in
    int opens;           // the scope this node opens (def, lambda, class, comprehension)
    Role role;
    BindingKind target;  // Target: what kind of binding
    TSNode stmt;         // the statement containing the node
  };

  void push_child(syntax::TreeCursor& c) {
    const char* f = c.field_name();
    stack_.push_back(child_frame(c.node(), f ? std::string_view(f) : std::string_view()));
    visit_node(stack_.back());
  }

  // Decides how names under node n, child of the top frame under field f, are treated.
  Frame child_frame(TSNode n, std::string_view f) {
    const Frame& p = stack_.back();
    Frame fr{n, p.scope, p.aux, -1, Role::Normal, BindingKind::Other, p.stmt};
    std::string_view pk = kind(p.node);
    std::string_view nk = kind(n);
    if (pk == "block" || pk == "module") fr.stmt = n;

    switch (p.role) {
      case Role::Skip:
        fr.role = Role::Skip;
        return fr;
      case Role::Target:
        if (nk == "identifier" || is_target_container(nk)) {
          fr.role = Role::Target;
          fr.target = p.target;
        }
        return fr;
      case Role::Params:
        if (nk == "identifier") {
          fr.role = Role::Target;
          fr.target = BindingKind::Parameter;
          fr.scope = p.aux;
        } else {
          fr.role = Role::ParamItem;
        }
        return fr;
      case Role::ParamItem:
        if (f == "value" || f == "type") {
          fr.role = Role::Normal;  // defaults and annotations read the enclosing scope
        } else if (nk == "identifier") {
          fr.role = Role::Target;
          fr.target = BindingKind::Parameter;
          fr.scope = p.aux;
        } else {
          fr.role = Role::ParamItem;
        }
        return fr;
      case Role::Normal:
        break;
    }

    if ((pk == "assignment" && f == "left") || (pk == "for_statement" && f == "left") ||
        (pk == "for_in_clause" && f == "left")) {
      // `x = ...` binds x; `self.x = ...` and `a[i] = ...` bind nothing (they read self, a, i).
      if (nk == "identifier" || is_target_container(nk)) {
        fr.role = Role::Target;
        fr.target = pk == "assignment" ? BindingKind::Assignment : BindingKind::LoopTarget;
      }
    } else if (pk == "augmented_assignment" && f == "left" && nk == "identifier") {
      add_binding(p.scope, n, BindingKind::Assignment, p.stmt, {});  // it also reads the name
    } else if (pk == "named_expression" && f == "name") {
      int s = p.scope;  // `:=` in a comprehension binds in the enclosing function
      while (m_.scopes_[static_cast<size_t>(s)].kind == ScopeKind::Comprehension)
        s = m_.scopes_[static_cast<size_t>(s)].parent;
      fr.role = Role::Target;
      fr.target = BindingKind::Assignment;
      fr.scope = s;
    } else if (pk == "as_pattern" && f == "alias") {
      std::string_view gk = stack_.size() >= 2 ? kind(stack_[stack_.size() - 2].node) : "";
      fr.role = Role::Target;  // as_pattern_target: a container of the real target
      fr.target = gk == "with_item" ? BindingKind::WithTarget
                  : gk == "except_clause" ? BindingKind::ExceptTarget
                                          : BindingKind::Other;
    } else if ((pk == "attribute" && f == "attribute") || (pk == "keyword_argument" && f == "name") ||
               ((pk == "function_definition" || pk == "class_definition") && f == "name") ||
               f == "type_parameters" || pk == "import_statement" ||
               pk == "import_from_statement" || pk == "future_import_statement" ||
               pk == "global_statement" || pk == "nonlocal_statement") {
      fr.role = Role::Skip;  // handled at the parent, or not a name at all
    } else if (p.opens >= 0) {
      if ((pk == "function_definition" || pk == "lambda") && f == "parameters") {
        fr.role = Role::Params;
        fr.aux = p.opens;
      } else if (f == "body" || is_comprehension(pk)) {
        fr.scope = p.opens;
      }
    }
    return fr;
  }

  void visit_node(Frame& fr) {
    TSNode n = fr.node;
    std::string_view k = syntax::named_kind(n);  // keywords share type names with constructs ("lambda")
    if (k.empty()) return;
    if (k == "identifier") {
      std::string_view name = text(n, m_.src_);
      // Attribute and keyword names (`x.stdout`, `f(stdout=...)`) are not names in a scope.
      if (fr.role != Role::Skip) m_.all_names_.insert(name);
      if (fr.role == Role::Target) {
        add_binding(fr.scope, n, fr.target, fr.stmt, {});
      } else if (fr.role == Role::Normal) {
        m_.references_.push_back(n);
      }
      return;
    }
    if (k == "function_definition" || k == "class_definition") {
      TSNode name = field(n, "name");
      if (!ts_node_is_null(name)) {
        m_.all_names_.insert(text(name, m_.src_));
        add_binding(fr.scope, name,
                    k == "class_definition" ? BindingKind::ClassDef : BindingKind::FunctionDef,
                    fr.stmt, {});
      }
      TSNode body = field(n, "body");
      fr.opens = open_scope(fr.scope, k == "class_definition" ? ScopeKind::Class : ScopeKind::Function,
                            n, ts_node_is_null(body) ? ts_node_end_byte(n) : start(body),
                            ts_node_end_byte(n));
      m_.scopes_[static_cast<size_t>(fr.opens)].is_async = syntax::is_async_def(n);
    } else if (k == "lambda") {
      TSNode body = field(n, "body");
      fr.opens = open_scope(fr.scope, ScopeKind::Lambda, n,
                            ts_node_is_null(body) ? ts_node_end_byte(n) : start(body),
                            ts_node_end_byte(n));
    } else if (is_comprehension(k)) {
      fr.opens = open_scope(fr.scope, ScopeKind::Comprehension, n, start(n), ts_node_end_byte(n));
    } else if (k == "import_statement" || k == "import_from_statement" ||
               k == "future_import_statement") {
      add_import(fr, n);
    } else if (k == "global_statement" || k == "nonlocal_statement") {
      auto& sc = m_.scopes_[static_cast<size_t>(fr.scope)];
      for (TSNode id : syntax::children(n)) {
        if (!is(id, "identifier")) continue;
        std::string_view name = text(id, m_.src_);
        m_.all_names_.insert(name);
        (k == "global_statement" ? sc.globals : sc.nonlocals).insert(name);
      }
    }
  }

  int open_scope(int parent, ScopeKind sk, TSNode node, uint32_t begin, uint32_t end) {
    Scope s;
    s.kind = sk;
    s.node = node;
    s.begin = begin;
    s.end = end;
    s.parent = parent;
    int id = static_cast<int>(m_.scopes_.size());
    m_.scopes_.push_back(std::move(s));
    m_.scopes_[static_cast<size_t>(parent)].children.push_back(id);
    return id;
  }

  void add_binding(int scope, TSNode name, BindingKind bk, TSNode stmt, std::string qualname) {
    std::string_view n = text(name, m_.src_);
    // `global x` / `nonlocal x` send the binding to the module / the enclosing function.
    int s = scope;
    const Scope& sc = m_.scopes_[static_cast<size_t>(s)];
    if (sc.globals.count(n)) {
      s = 0;
    } else if (sc.nonlocals.count(n)) {
      int p = sc.parent;
      while (p > 0 && m_.scopes_[static_cast<size_t>(p)].kind == ScopeKind::Class)
        p = m_.scopes_[static_cast<size_t>(p)].parent;
      if (p >= 0) s = p;
    }
    m_.scopes_[static_cast<size_t>(s)].bindings[n].push_back(Binding{bk, name, stmt, std::move(qualname)});
  }

  // dotted_name -> "a.b.c" (without the spaces or comments the source may hold)
  std::string dotted(TSNode n) {
    std::string out;
    for (TSNode id : syntax::children(n)) {
      if (!is(id, "identifier")) continue;
      if (!out.empty()) out += '.';
      out += text(id, m_.src_);
    }
    return out;
  }

  void add_import(const Frame& fr, TSNode n) {
    ImportStatement st;
    st.node = n;
    st.module_level = stack_.size() >= 2 && kind(stack_[stack_.size() - 2].node) == "module";
    std::string_view k = kind(n);
    st.is_future = k == "future_import_statement";
    st.is_from = k != "import_statement";
    if (st.is_from) {
      if (st.is_future) {
        st.module = "__future__";
      } else {
        st.module = from_module(n);
      }
      add_from_bindings(fr, n, &st);
    } else {
      add_import_bindings(fr, n, &st);
    }
    m_.imports_.push_back(std::move(st));
  }

  // The module of `from MODULE import ...` (absolute when a relative one resolves).
  std::string from_module(TSNode n) {
    TSNode mod = field(n, "module_name");
    if (is(mod, "relative_import")) {
      int dots = 0;
      std::string rest;
      for (TSNode c : syntax::children(mod)) {
        if (is(c, "import_prefix")) dots = static_cast<int>(ts_node_end_byte(c) - start(c));
        if (is(c, "dotted_name")) rest = dotted(c);
      }
      std::string module = resolve_relative(m_.module_name_, m_.is_package_, dots, rest);
      if (module.empty()) module = std::string(static_cast<size_t>(dots), '.') + rest;
      return module;
    }
    return dotted(mod);
  }

  // Binds the names of the `from ... import` statement n (st holds its module already).
  void add_from_bindings(const Frame& fr, TSNode n, ImportStatement* st) {
    syntax::TreeCursor c(n);
    if (c.first_child()) {
      do {
        const char* f = c.field_name();
        if (!f || std::string_view(f) != "name") continue;
        TSNode nm = c.node();
        TSNode bound = nm, path = nm;
        if (is(nm, "aliased_import")) {
          path = field(nm, "name");
          bound = field(nm, "alias");
        } else {
          bound = ts_node_named_child(nm, 0);
        }
        if (ts_node_is_null(bound) || ts_node_is_null(path)) continue;
        std::string qual = st->module;
        if (!qual.empty() && qual.back() != '.') qual += '.';
        qual += dotted(path);
        m_.all_names_.insert(text(bound, m_.src_));
        if (!st->is_future) add_binding(fr.scope, bound, BindingKind::FromImport, fr.stmt, qual);
        st->bindings.push_back(Binding{BindingKind::FromImport, bound, fr.stmt, qual});
      } while (c.next_sibling());
    }
  }

  // Binds the names of the `import ...` statement n.
  void add_import_bindings(const Frame& fr, TSNode n, ImportStatement* st) {
    for (TSNode nm : syntax::children(n)) {
      TSNode bound;
      std::string qual;
      if (is(nm, "aliased_import")) {
        bound = field(nm, "alias");
        qual = dotted(field(nm, "name"));
      } else if (is(nm, "dotted_name")) {
        bound = ts_node_named_child(nm, 0);  // `import a.b` binds `a`
        qual = std::string(text(bound, m_.src_));
      } else {
        continue;
      }
      if (ts_node_is_null(bound)) continue;
      m_.all_names_.insert(text(bound, m_.src_));
      add_binding(fr.scope, bound, BindingKind::Import, fr.stmt, qual);
      st->bindings.push_back(Binding{BindingKind::Import, bound, fr.stmt, qual});
    }
  }

  SemanticModel& m_;
  std::vector<Frame> stack_;
};

SemanticModel SemanticModel::build(TSNode root, std::string_view source, std::string module_name,
                                   bool is_package) {
  SemanticModel m;
  m.src_ = source;
  m.module_name_ = std::move(module_name);
  m.is_package_ = is_package;
  ModelBuilder(m).run(root);
  return m;
}

int SemanticModel::scope_at(uint32_t offset) const {
  int s = 0;
  for (;;) {
    const auto& kids = scopes_[static_cast<size_t>(s)].children;
    // Children are disjoint and ordered by begin: find the last one starting at or before offset.
    auto it = std::upper_bound(kids.begin(), kids.end(), offset, [&](uint32_t off, int id) {
      return off < scopes_[static_cast<size_t>(id)].begin;
    });
    if (it == kids.begin()) return s;
    const Scope& c = scopes_[static_cast<size_t>(*(it - 1))];
    if (offset >= c.end) return s;
    s = *(it - 1);
  }
}

int SemanticModel::resolving_scope(std::string_view name, TSNode at) const {
  int first = scope_at(start(at));
  for (int s = first; s >= 0; s = scopes_[static_cast<size_t>(s)].parent) {
    const Scope& sc = scopes_[static_cast<size_t>(s)];
    if (sc.kind == ScopeKind::Class && s != first) continue;
    if (sc.globals.count(name)) return scopes_[0].bindings.count(name) ? 0 : -1;
    if (sc.bindings.count(name)) return s;
  }
  return -1;
}

const Binding* SemanticModel::resolve(std::string_view name, TSNode at) const {
  int s = resolving_scope(name, at);
  if (s < 0) return nullptr;
  const auto& list = scopes_[static_cast<size_t>(s)].bindings.at(name);
  int first = scope_at(start(at));
  if (s == first) {
    // The binding nearest before the use.
    const Binding* best = nullptr;
    for (const auto& b : list) {
      if (start(b.name) <= start(at)) best = &b;
    }
    if (best) return best;
  }
  return &list.back();
}

std::optional<std::string> SemanticModel::qualified_name(TSNode expr) const {
  std::string_view k = kind(expr);
  if (k == "identifier") {
    std::string_view name = text(expr, src_);
    const Binding* b = resolve(name, expr);
    if (!b) return std::string(name);
    if (b->is_import()) return b->qualname;
    return std::nullopt;
  }
  if (k == "attribute") {
    TSNode obj = field(expr, "object");
    TSNode attr = field(expr, "attribute");
    if (ts_node_is_null(obj) || ts_node_is_null(attr)) return std::nullopt;
    auto q = qualified_name(obj);
    if (!q) return std::nullopt;
    *q += '.';
    *q += text(attr, src_);
    return q;
  }
  return std::nullopt;
}

namespace {
// "a . b .c" -> "a.b.c": the chain's text without spaces, comments or line breaks.
bool chain_text(TSNode n, std::string_view src, std::string* out) {
  if (is(n, "identifier")) {
    out->append(text(n, src));
    return true;
  }
  if (!is(n, "attribute")) return false;
  if (!chain_text(field(n, "object"), src, out)) return false;
  out->push_back('.');
  out->append(text(field(n, "attribute"), src));
  return true;
}
}  // namespace

bool SemanticModel::name_matches(TSNode expr, std::string_view dotted) const {
  if (!is(expr, "identifier") && !is(expr, "attribute")) return false;
  TSNode root = expr;
  while (is(root, "attribute")) root = field(root, "object");
  if (!is(root, "identifier")) return false;
  const Binding* b = resolve(text(root, src_), root);
  if (b && !b->is_import()) return false;  // a local variable or parameter is no module
  if (b) {
    auto q = qualified_name(expr);
    return q && *q == dotted;
  }
  std::string written;  // unbound: a builtin, or a global from `import *` or elsewhere
  return chain_text(expr, src_, &written) && written == dotted;
}

Context SemanticModel::context_at(TSNode n) const {
  for (int s = scope_of(n); s >= 0; s = scopes_[static_cast<size_t>(s)].parent) {
    const Scope& sc = scopes_[static_cast<size_t>(s)];
    switch (sc.kind) {
      case ScopeKind::Comprehension: continue;
      case ScopeKind::Function: return sc.is_async ? Context::AsyncFunction : Context::SyncFunction;
      case ScopeKind::Lambda: return Context::Lambda;
      case ScopeKind::Class: return Context::ClassBody;
      case ScopeKind::Module: return Context::Module;
    }
  }
  return Context::Module;
}

TSNode SemanticModel::enclosing_function(TSNode n) const {
  for (int s = scope_of(n); s >= 0; s = scopes_[static_cast<size_t>(s)].parent) {
    const Scope& sc = scopes_[static_cast<size_t>(s)];
    if (sc.kind == ScopeKind::Comprehension) continue;
    if (sc.kind == ScopeKind::Function || sc.kind == ScopeKind::Lambda) return sc.node;
    return TSNode{};
  }
  return TSNode{};
}

bool SemanticModel::is_route_handler(TSNode fn) const {
  static const char* const kVerbs[] = {"get", "post", "put", "delete", "patch", "options", "head",
                                       "trace", "api_route", "route", "websocket", "websocket_route"};
  TSNode dec_def = syntax::parent(fn);
  if (!is(dec_def, "decorated_definition")) return false;
  for (TSNode d : syntax::children(dec_def)) {
    if (!is(d, "decorator")) continue;
    TSNode call = ts_node_named_child(d, 0);
    if (!is(call, "call")) continue;
    TSNode fnexpr = field(call, "function");
    if (!is(fnexpr, "attribute")) continue;
    std::string_view verb = text(field(fnexpr, "attribute"), src_);
    if (std::none_of(std::begin(kVerbs), std::end(kVerbs), [&](const char* v) { return verb == v; }))
      continue;
    // The first positional argument is the path: a string that is empty or starts with '/'.
    TSNode args = field(call, "arguments");
    for (TSNode a : syntax::code_children(args)) {
      if (is(a, "keyword_argument")) continue;
      if (!is(a, "string")) break;
      std::string_view t = text(a, src_);
      size_t q = t.find_first_of("\"'");
      if (q == std::string_view::npos) break;
      std::string_view rest = t.substr(q);
      while (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) rest.remove_prefix(1);
      if (rest.empty() || rest.front() == '/') return true;
      break;
    }
  }
  return false;
}

size_t SemanticModel::count_references(const Binding& b) const {
  std::string_view name = text(b.name, src_);
  size_t n = 0;
  for (TSNode r : references_) {
    if (text(r, src_) != name) continue;
    const Binding* rb = resolve(name, r);
    if (rb && syntax::same(rb->name, b.name)) ++n;
  }
  return n;
}

bool SemanticModel::is_bound_anywhere(std::string_view name) const {
  for (const auto& s : scopes_) {
    if (s.bindings.count(name)) return true;
  }
  return false;
}

}  // namespace asyncfix::semantic
