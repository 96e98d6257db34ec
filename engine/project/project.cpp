#include "engine/project/project.h"

#include "engine/project/import_order.h"

#include "engine/base/stage_times.h"
#include "engine/base/files.h"
#include "engine/project/summary_io.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "engine/source/triggers.h"
#include "engine/semantic/library_model.h"
#include "engine/semantic/model.h"
#include "engine/syntax/compile_check.h"
#include "engine/syntax/node.h"

namespace asyncfix {

namespace {
constexpr int kMaxSummaryRounds = 16;  // summaries made again, at most, per load
}  // namespace

using syntax::field;
using syntax::is;
using syntax::text;

ProjectIndex::ProjectIndex(std::vector<DiscoveredFile> files, BlockingClassifier classifier)
    : files_(std::move(files)), facts_(files_.size()), classifier_(std::move(classifier)) {
  for (const auto& f : files_) {
    if (!f.module.empty()) by_module_.emplace(f.module, &f);
  }
}

ProjectIndex::~ProjectIndex() = default;

bool ProjectIndex::is_project_module(std::string_view module) const {
  return by_module_.count(std::string(module)) > 0;
}

const ModuleSummary* ProjectIndex::module(std::string_view module) const {
  auto it = modules_.find(module);
  return it == modules_.end() ? nullptr : &it->second;
}

std::string ProjectIndex::function_qualname(const std::string& module, TSNode fn, std::string_view src) {
  return semantic::function_qualname(module, fn, src);
}

namespace {

// Splits "a.b.c" into ("a.b", "c").
std::pair<std::string, std::string> split_last(std::string_view q) {
  size_t dot = q.rfind('.');
  if (dot == std::string_view::npos) return {"", std::string(q)};
  return {std::string(q.substr(0, dot)), std::string(q.substr(dot + 1))};
}

// The project module that holds qualname (its longest dotted prefix that is one), or "".
std::string module_of(std::string_view q, const std::map<std::string, const DiscoveredFile*, std::less<>>& by_module) {
  std::string_view prefix = q;
  while (!prefix.empty()) {
    if (auto it = by_module.find(prefix); it != by_module.end()) return it->first;
    size_t dot = prefix.rfind('.');
    prefix = dot == std::string_view::npos ? std::string_view() : prefix.substr(0, dot);
  }
  return {};
}

// A fresh value for ProjectIndex::generation_ each time some index's modules change (so that
// no two states of any two indexes share one).
std::atomic<uint64_t> g_generations{0};

bool read_text(const std::string& path, std::string* out) {
  auto text = read_whole_file(path);
  if (!text) return false;
  *out = std::move(text).value();
  return true;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '\\'; }

// One base of a class statement as written (`base.Repository[T]`, ` Mixin`, `metaclass=M`):
// the last part of its dotted name, or "" for a keyword argument or an expression.
std::string_view base_name(std::string_view part) {
  size_t cut = part.find_first_of("[(");
  if (cut != std::string_view::npos) part = part.substr(0, cut);
  if (part.find('=') != std::string_view::npos) return {};
  if (size_t dot = part.rfind('.'); dot != std::string_view::npos) part = part.substr(dot + 1);
  while (!part.empty() && is_blank(part.front())) part.remove_prefix(1);
  while (!part.empty() && is_blank(part.back())) part.remove_suffix(1);
  if (part.empty() || std::isdigit(static_cast<unsigned char>(part.front())) ||
      !std::all_of(part.begin(), part.end(), is_name_char))
    return {};
  return part;
}

// The base names of every class statement of a module's text, read without parsing it: a
// line whose code starts with `class Name(`, up to the parenthesis that closes it (bases may
// span lines). Comments inside the parentheses are skipped; a string there is read as code
// (bases are names, not strings).
std::vector<std::string> class_statement_bases(std::string_view t) {
  std::vector<std::string> out;
  for (size_t pos = 0; (pos = t.find("class", pos)) != std::string_view::npos;) {
    size_t at = pos;
    pos += 5;
    size_t ls = at;
    while (ls > 0 && (t[ls - 1] == ' ' || t[ls - 1] == '\t')) --ls;
    if (ls > 0 && t[ls - 1] != '\n') continue;
    size_t i = pos;
    if (i >= t.size() || (t[i] != ' ' && t[i] != '\t')) continue;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    size_t name = i;
    while (i < t.size() && is_name_char(t[i])) ++i;
    if (i == name) continue;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    if (i >= t.size() || t[i] != '(') continue;
    int depth = 0;
    size_t part = ++i;
    auto take = [&](size_t e) {
      std::string_view b = base_name(t.substr(part, e - part));
      if (!b.empty()) out.emplace_back(b);
    };
    for (; i < t.size(); ++i) {
      char c = t[i];
      if (c == '#') {
        // The comment runs to the end of the line. Outside brackets the part is what came
        // before it; inside them the part's name is before the bracket, so it is kept.
        size_t nl = t.find('\n', i);
        if (depth == 0) take(i);
        i = nl == std::string_view::npos ? t.size() - 1 : nl;
        if (depth == 0) part = i + 1;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          take(i);
          break;
        }
        --depth;
      } else if (c == ',' && depth == 0) {
        take(i);
        part = i + 1;
      }
    }
    pos = i;
  }
  return out;
}

}  // namespace

std::string ProjectIndex::resolve_callee(TSNode call, const semantic::SemanticModel& model,
                                         const semantic::TypeOracle* types) {
  return resolve_function_ref(field(call, "function"), model, types);
}

namespace {
// `super().name` in a method of class C: the qualified name of C's first base's `name`.
std::string super_method(TSNode callee, const semantic::SemanticModel& model) {
  std::string_view t = model.source();
  TSNode fn = model.enclosing_function(callee);
  TSNode cls = is(fn, "function_definition") ? syntax::ancestor(fn, "class_definition") : TSNode{};
  if (syntax::is_null(cls)) return {};
  for (TSNode base : syntax::code_children(field(cls, "superclasses"))) {
    if (is(base, "keyword_argument")) continue;
    if (is(base, "subscript")) base = field(base, "value");  // a generic: CRUDBase[Player]
    std::string bq;
    if (is(base, "identifier")) {
      const semantic::Binding* b = model.resolve(text(base, t), base);
      if (b && b->kind == semantic::BindingKind::ClassDef && model.scope_of(b->name) == 0)
        bq = (model.module_name().empty() ? "" : model.module_name() + ".") + std::string(text(base, t));
    }
    if (bq.empty()) {
      auto q = model.qualified_name(base);
      if (q) bq = *q;
    }
    return bq.empty() ? std::string() : bq + "." + std::string(text(field(callee, "attribute"), t));
  }
  return {};
}
}  // namespace

std::string ProjectIndex::resolve_function_ref(TSNode callee, const semantic::SemanticModel& model,
                                               const semantic::TypeOracle* types) {
  std::string_view t = model.source();
  if (auto q = model.qualified_name(callee)) {
    if (is(callee, "identifier")) {
      const semantic::Binding* b = model.resolve(text(callee, t), callee);
      if (b && b->kind == semantic::BindingKind::FunctionDef && model.scope_of(b->name) == 0) {
        return model.module_name().empty() ? *q : model.module_name() + "." + *q;
      }
    }
    return *q;
  }
  // self.method(...) / cls.method(...) inside a method: that class's method.
  if (is(callee, "attribute")) {
    TSNode obj = field(callee, "object");
    if (is(obj, "identifier") && (text(obj, t) == "self" || text(obj, t) == "cls")) {
      TSNode fn = model.enclosing_function(callee);
      if (is(fn, "function_definition")) {
        TSNode cls = syntax::ancestor(fn, "class_definition");
        if (!syntax::is_null(cls)) {
          std::string prefix = model.module_name().empty() ? "" : model.module_name() + ".";
          return prefix + std::string(text(field(cls, "name"), t)) + "." + std::string(text(field(callee, "attribute"), t));
        }
      }
    }
    // super().method(...) inside a method: its class's first base's (nearest in the MRO).
    if (is(obj, "call") && text(field(obj, "function"), t) == "super") return super_method(callee, model);
    // Store.put(...) with Store a class of this module: a static or class method (an
    // imported class is the qualified name's, above).
    if (is(obj, "identifier")) {
      const semantic::Binding* b = model.resolve(text(obj, t), obj);
      if (b && b->kind == semantic::BindingKind::ClassDef && model.scope_of(b->name) == 0)
        return (model.module_name().empty() ? "" : model.module_name() + ".") + std::string(text(obj, t)) + "." +
               std::string(text(field(callee, "attribute"), t));
    }
    // repo.get(...) with repo an instance of a project class: that class's method.
    if (types) {
      auto ty = types->type_of(obj);
      if (ty && types->is_project_class(*ty)) return *ty + "." + std::string(text(field(callee, "attribute"), t));
    }
    return {};
  }
  // A local name bound to something else (a variable): unknown.
  if (is(callee, "identifier")) {
    const semantic::Binding* b = model.resolve(text(callee, t), callee);
    if (b && b->kind == semantic::BindingKind::FunctionDef && model.scope_of(b->name) == 0) {
      return (model.module_name().empty() ? "" : model.module_name() + ".") + std::string(text(callee, t));
    }
  }
  return {};
}

namespace {
// Whether m binds `name` itself (not through one of its star imports).
bool binds(const ModuleSummary& m, const std::string& name) {
  return m.functions.count(name) || m.classes.count(name) || m.imports.count(name) || m.globals.count(name);
}
}  // namespace

const ModuleSummary* ProjectIndex::star_source(const ModuleSummary& m, const std::string& name, int depth) const {
  if (binds(m, name) || name.empty() || name[0] == '_' || depth > 4) return nullptr;  // `*` skips _private
  for (const auto& s : m.star_imports) {
    const ModuleSummary* from = module(s);
    if (!from) continue;
    if (binds(*from, name)) return from;
    if (const ModuleSummary* deeper = star_source(*from, name, depth + 1)) return deeper;
  }
  return nullptr;
}

const ModuleSummary* ProjectIndex::loaded_module_of(std::string_view qualname, std::string* rest) const {
  // "pkg.mod.Class.method": the module is a prefix; try progressively shorter ones.
  // A package that binds a name shadows its submodule of that name, as attribute access
  // does in Python: after `from .user import user` in app/crud/__init__.py, `app.crud.user`
  // is the object, not the module app/crud/user.py.
  // The longest prefix that is a module wins when it binds what follows (the names the index
  // resolves to are module.name); else a shorter one that binds its next name.
  auto [prefix, name] = split_last(qualname);
  std::string r = name;
  const ModuleSummary* found = nullptr;
  std::string found_rest;
  while (!prefix.empty()) {
    if (const ModuleSummary* m = module(prefix)) {
      std::string first = r.substr(0, r.find('.'));
      bool b = binds(*m, first);
      if (found && b) {  // `from . import user` binds the submodule itself: no shadow
        auto imp = m->imports.find(first);
        if (imp != m->imports.end() && imp->second == std::string(prefix) + "." + first) b = false;
      }
      if (!found || b) {
        found = m;
        found_rest = r;
      }
      if (b) break;
    }
    auto [pm, last] = split_last(prefix);
    r = last + "." + r;
    prefix = pm;
  }
  if (found) *rest = std::move(found_rest);
  return found;
}

void ProjectIndex::unloaded_star_sources(std::string_view qualname, std::vector<std::string>* out) const {
  std::string rest;
  const ModuleSummary* m = loaded_module_of(qualname, &rest);
  if (!m) return;
  std::string first = rest.substr(0, rest.find('.'));
  if (binds(*m, first) || star_source(*m, first)) return;
  std::vector<const ModuleSummary*> todo{m};
  std::set<std::string> seen;
  while (!todo.empty()) {
    const ModuleSummary* cur = todo.back();
    todo.pop_back();
    for (const auto& s : cur->star_imports) {
      if (!seen.insert(s).second) continue;
      if (const ModuleSummary* from = module(s)) todo.push_back(from);
      else out->push_back(s);
    }
  }
}

std::string ProjectIndex::resolve_alias(std::string_view qualname) const {
  // The closure and the summaries ask the same names again and again.
  struct Cache {
    uint64_t generation = UINT64_MAX;
    std::unordered_map<std::string, std::string> answers;
  };
  thread_local Cache cache;
  if (cache.generation != generation_) {
    cache.answers.clear();
    cache.generation = generation_;
  }
  std::string key(qualname);
  if (auto it = cache.answers.find(key); it != cache.answers.end()) return it->second;
  std::string answer = resolve_alias_uncached(qualname);
  cache.answers.emplace(std::move(key), answer);
  return answer;
}

std::string ProjectIndex::resolve_alias_uncached(std::string_view qualname) const {
  std::string q(qualname);
  for (int hop = 0; hop < 8; ++hop) {
    std::string rest;
    const ModuleSummary* m = loaded_module_of(q, &rest);
    if (!m) return q;
    if (m->functions.count(rest)) return q;
    std::string first = rest.substr(0, rest.find('.'));
    auto it = m->imports.find(first);
    std::string next;
    if (it != m->imports.end()) {
      next = it->second + rest.substr(first.size());
    } else if (const ModuleSummary* from = star_source(*m, first)) {
      next = from->module + "." + rest;  // `from .repo import *`: defined there
    } else {
      return q;
    }
    if (next == q) return q;
    q = next;
  }
  return q;
}

const FunctionSummary* ProjectIndex::function(std::string_view qualname) const {
  struct Cache {
    uint64_t generation = UINT64_MAX;
    const ProjectIndex* index = nullptr;  // the answers point into this index's summaries
    std::unordered_map<std::string, const FunctionSummary*> answers;
  };
  thread_local Cache cache;
  if (cache.generation != generation_ || cache.index != this) {
    cache.answers.clear();
    cache.generation = generation_;
    cache.index = this;
  }
  std::string key(qualname);
  if (auto it = cache.answers.find(key); it != cache.answers.end()) return it->second;
  const FunctionSummary* answer = function_uncached(qualname);
  cache.answers.emplace(std::move(key), answer);
  return answer;
}

const FunctionSummary* ProjectIndex::function_uncached(std::string_view qualname) const {
  std::string rest;
  const ModuleSummary* m = loaded_module_of(resolve_alias(qualname), &rest);
  if (!m) return nullptr;
  auto it = m->functions.find(rest);
  if (it != m->functions.end()) return &it->second;
  // `Repo(...)`: a class is called through its __init__.
  if (m->classes.count(rest)) {
    auto init = m->functions.find(rest + ".__init__");
    return init == m->functions.end() ? inherited_method(*m, rest + ".__init__") : &init->second;
  }
  if (const FunctionSummary* f = inherited_method(*m, rest)) return f;
  return instance_method(*m, rest);
}

const FunctionSummary* ProjectIndex::instance_method(const ModuleSummary& m, const std::string& name) const {
  // "Users.get_user_by_id" with `Users = UsersTable(...)` a module-level instance: the
  // method of its class.
  size_t dot = name.find('.');
  if (dot == std::string::npos || name.find('.', dot + 1) != std::string::npos) return nullptr;
  auto g = m.globals.find(name.substr(0, dot));
  if (g == m.globals.end() || !class_type(g->second)) return nullptr;
  thread_local int depth = 0;
  if (depth > 8) return nullptr;
  ++depth;
  const FunctionSummary* f = function(g->second + name.substr(dot));
  --depth;
  return f;
}

const FunctionSummary* ProjectIndex::inherited_method(const ModuleSummary& m, const std::string& name) const {
  // "Class.method" not defined in Class: its project base classes', nearest first.
  size_t dot = name.find('.');
  if (dot == std::string::npos || name.find('.', dot + 1) != std::string::npos) return nullptr;
  auto bases = m.class_bases.find(name.substr(0, dot));
  if (bases == m.class_bases.end()) return nullptr;
  thread_local int depth = 0;
  if (depth > 8) return nullptr;
  ++depth;
  const FunctionSummary* found = nullptr;
  for (const auto& b : bases->second) {
    if (b == m.module + "." + name.substr(0, dot)) continue;
    if ((found = function(b + name.substr(dot)))) break;
  }
  --depth;
  return found;
}

std::optional<std::string> ProjectIndex::global_type(std::string_view qualname) const {
  std::string q = resolve_alias(qualname);
  // "pkg.mod.name", or "pkg.mod.Class.attr": the longest prefix that is a module.
  auto [mod, name] = split_last(q);
  for (int hop = 0; hop < 3 && !mod.empty(); ++hop) {
    if (const ModuleSummary* m = module(mod)) {
      auto it = m->globals.find(name);
      if (it != m->globals.end()) return it->second;
      return inherited_attribute(*m, name);
    }
    auto [pm, last] = split_last(mod);
    name = last + "." + name;
    mod = pm;
  }
  return std::nullopt;
}

std::optional<std::string> ProjectIndex::inherited_attribute(const ModuleSummary& m, const std::string& name) const {
  // "Class.attr" not set in Class: its project base classes', nearest first.
  size_t dot = name.find('.');
  if (dot == std::string::npos || name.find('.', dot + 1) != std::string::npos) return std::nullopt;
  auto bases = m.class_bases.find(name.substr(0, dot));
  if (bases == m.class_bases.end()) return std::nullopt;
  thread_local int depth = 0;  // a cycle of bases (an error in the code) ends here
  if (depth > 8) return std::nullopt;
  ++depth;
  std::optional<std::string> found;
  for (const auto& b : bases->second) {
    if (b == m.module + "." + name.substr(0, dot)) continue;
    if ((found = global_type(b + name.substr(dot)))) break;
  }
  --depth;
  return found;
}

std::optional<std::string> ProjectIndex::class_type(std::string_view qualname) const {
  std::string q = resolve_alias(qualname);
  auto [mod, name] = split_last(q);
  if (const ModuleSummary* m = module(mod); m && m->classes.count(name)) return q;
  return std::nullopt;
}

std::optional<std::string> ProjectIndex::return_type(std::string_view qualname) const {
  if (const FunctionSummary* f = function(qualname)) return f->result_type;
  return std::nullopt;
}

namespace {

// The index as seen by one summary, which notes every question and its answer.
class RecordingTypes : public semantic::ProjectTypes {
 public:
  using Query = ProjectIndex::TypeQuery;
  // all: every question and its answer, for the cache (null: not kept).
  RecordingTypes(const ProjectIndex& index, std::set<Query>* asked, std::set<Query>* all = nullptr)
      : index_(index), asked_(asked), all_(all) {}
  std::optional<std::string> global_type(std::string_view q) const override { return note('g', q, index_.global_type(q)); }
  std::optional<std::string> return_type(std::string_view q) const override { return note('r', q, index_.return_type(q)); }
  std::optional<std::string> class_type(std::string_view q) const override { return note('c', q, index_.class_type(q)); }
  std::optional<std::string> parameter_type(std::string_view fn, std::string_view param) const override {
    return note('p', std::string(fn) + "(" + std::string(param), index_.parameter_type(fn, param));
  }
  std::optional<std::string> decorator_argument_type(std::string_view decorator, size_t k) const override {
    // The decorator's module is loaded with its users: the index's fixed point need not ask again.
    auto a = index_.decorator_argument_type(decorator, k);
    if (all_) all_->insert(Query{'d', std::string(decorator) + "#" + std::to_string(k), a, {}});
    return a;
  }

 private:
 public:
  // The function whose result is being inferred ("" for the module's own code).
  void set_context(std::string context) { context_ = std::move(context); }

 private:
  std::optional<std::string> note(char kind, std::string_view q, std::optional<std::string> a) const {
    if (all_) all_->insert(Query{kind, std::string(q), a, {}});
    // `import heapq`, then `heapq.heappush(...)`: the name is a module of the project, never a
    // value with a type; asking again when heapq is loaded would tell nothing new.
    if (!asked_ || (kind != 'p' && !a && index_.is_project_module(q))) return a;
    Query query{kind, std::string(q), a, context_};
    auto it = asked_->find(query);
    if (it != asked_->end() && !it->context.empty() && context_.empty()) {
      asked_->erase(it);  // the module's own code needs it after all
      it = asked_->end();
    }
    if (it == asked_->end()) asked_->insert(std::move(query));
    return a;
  }
  std::string context_;
  const ProjectIndex& index_;
  std::set<Query>* asked_;
  std::set<Query>* all_;
};

}  // namespace

bool ProjectIndex::answers_changed(const std::set<TypeQuery>& asked) const {
  for (const TypeQuery& q : asked) {
    std::optional<std::string> now;
    if (q.kind == 'd') {
      size_t hash = q.qualname.rfind('#');
      now = decorator_argument_type(std::string_view(q.qualname).substr(0, hash),
                                    std::stoul(q.qualname.substr(hash + 1)));
    } else if (q.kind == 'g') now = global_type(q.qualname);
    else if (q.kind == 'r') now = return_type(q.qualname);
    else if (q.kind == 'c') now = class_type(q.qualname);
    else {
      size_t paren = q.qualname.find('(');
      now = parameter_type(std::string_view(q.qualname).substr(0, paren), std::string_view(q.qualname).substr(paren + 1));
    }
    if (now != q.answer) return true;
  }
  return false;
}

namespace {

// What one walk of a module records for its summary (summarize): one member function per
// kind of node it handles.
class ModuleSummarizer {
 public:
  ModuleSummarizer(const DiscoveredFile& df, const SourceFile& src, const semantic::SemanticModel& model,
                   const semantic::TypeOracle& types, const BlockingClassifier& classifier,
                   std::function<bool(const std::string&)> in_project, RecordingTypes* recorder)
      : df_(df), src_(src), t_(src.text()), model_(model), types_(types), classifier_(classifier),
        in_project_(std::move(in_project)), recorder_(recorder) {
    m_.module = df.module;
    m_.path = df.path;
  }

  ModuleSummary summarize(TSNode root) {
    for (const auto& [name, list] : model_.scope(0).bindings) on_module_binding(name, list.back());
    // `from .message_repository import *` in a package's __init__: its names are the
    // package's too (resolve_alias looks them up there).
    for (const auto& st : model_.imports()) {
      if (!st.module_level || !st.is_from || st.is_future || !st.bindings.empty() || st.module.empty()) continue;
      for (TSNode c : syntax::children(st.node)) {
        if (is(c, "wildcard_import")) m_.star_imports.push_back(st.module);
      }
    }

    for (TSNode st : syntax::code_children(root)) {
      TSNode def = is(st, "decorated_definition") ? field(st, "definition") : st;
      if (is(def, "class_definition")) m_.classes.emplace(text(field(def, "name"), t_));
    }
    for (TSNode st : syntax::code_children(root)) {
      TSNode def = is(st, "decorated_definition") ? field(st, "definition") : st;
      if (is(def, "class_definition")) on_class_attributes(def);
    }

    // Functions: module level and methods of module-level classes.
    for (TSNode fn : summarized_functions(root)) on_function_definition(fn);

    // Calls and awaits, attributed to the function whose own body holds them.
    static const uint16_t kAwait = syntax::kind_id("await"), kCall = syntax::kind_id("call"),
                          kWith = syntax::kind_id("with_statement"), kFor = syntax::kind_id("for_statement"),
                          kForIn = syntax::kind_id("for_in_clause"), kAssignment = syntax::kind_id("assignment"),
                          kAttribute = syntax::kind_id("attribute"), kClass = syntax::kind_id("class_definition");
    syntax::walk(root, [&](TSNode n) {
      uint16_t k = syntax::kind_id(n);
      if (k == kAwait) on_await(n);
      else if (k == kCall) on_call(n);
      else if ((k == kWith || k == kFor || k == kForIn) && syntax::kind(ts_node_child(n, 0)) == "async")
        on_await(n);
      else if (k == kWith) on_sync_with(n);
      return true;
    });
    // Which plain defs Python refuses to compile for their `await`, `async with`, `async for`
    // or async comprehension (an `await` in a generator expression is fine anywhere): asked
    // only of modules with such code outside an `async def`.
    if (maybe_sync_await_) {
      for (const auto& e : syntax::compile_errors(root)) {
        if (!e.is_async_outside_async() || !is(e.where, "function_definition")) continue;
        auto it = by_node_.find(reinterpret_cast<uintptr_t>(e.where.id));
        if (it != by_node_.end()) it->second->sync_with_await = true;
      }
    }
    // Mapped classes' relationships, attribute reads, pydantic fields (for the migration's
    // lazy-loading decisions and string-named joins).
    // (Pre-order: an assignment is seen before its target, which is then not a read.)
    syntax::walk(root, [&](TSNode n) {
      uint16_t k = syntax::kind_id(n);
      if (k == kAssignment) on_assignment(n);
      else if (k == kAttribute) on_attribute(n);
      else if (k == kClass) on_class_definition(n);
      return true;
    });

    // Names of functions used as values (passed as callbacks): `executor.submit(load)`.
    for (TSNode r : model_.references()) on_reference(r);

    // What each function returns, last: the walks above already inferred the results their
    // own code needed, and what is left is asked about only for the function's callers.
    for (TSNode fn : summarized_functions(root)) {
      auto it = by_node_.find(reinterpret_cast<uintptr_t>(fn.id));
      if (it == by_node_.end()) continue;
      if (recorder_) recorder_->set_context(it->second->qualname);
      it->second->result_type = types_.function_result_type(fn);
    }
    if (recorder_) recorder_->set_context("");
    return std::move(m_);
  }

 private:
  // A module-level name: an import, or a global whose type is known.
  void on_module_binding(std::string_view name, const semantic::Binding& b) {
    if (b.is_import()) {
      m_.imports.emplace(std::string(name), b.qualname);
    } else if (b.kind == semantic::BindingKind::Assignment) {
      if (TSNode asg = syntax::parent(b.name); is(asg, "assignment") && syntax::same(field(asg, "left"), b.name) &&
                                                 is(field(asg, "right"), "identifier")) {
        // `get_session_with_shared_schema = get_catalog_session`: another name of a function,
        // followed like an import.
        TSNode r = field(asg, "right");
        const semantic::Binding* rb = model_.resolve(text(r, t_), r);
        if (rb && rb->kind == semantic::BindingKind::FunctionDef && model_.scope_of(rb->name) == 0)
          m_.imports.emplace(std::string(name), df_.module + "." + std::string(text(r, t_)));
        else if (rb && rb->is_import())
          m_.imports.emplace(std::string(name), rb->qualname);
      }
      if (auto ty = types_.type_of(b.name)) {
        m_.globals.emplace(std::string(name), *ty);
      } else if (TSNode asg = syntax::parent(b.name); is(asg, "assignment") && syntax::same(field(asg, "left"), b.name)) {
        if (auto alias = types_.type_alias(field(asg, "right")))
          m_.globals.emplace(std::string(name), std::string(semantic::types::kAliasPrefix) + *alias);
      }
    }
  }

  // The attributes of a module-level class whose type is known, as globals "Class.attr"
  // (read as `Trade.session`, `repo.client`, or through a subclass).
  void on_class_attributes(TSNode cls) {
    std::string name(text(field(cls, "name"), t_));
    // Its bases by the names they are written with (resolved when an attribute or a method
    // is looked up through them: asking now would load every base's module).
    for (TSNode base : syntax::code_children(field(cls, "superclasses"))) {
      if (is(base, "keyword_argument")) continue;
      if (is(base, "subscript")) base = field(base, "value");  // a generic: CRUDBase[User, UserCreate]
      std::string q;
      if (is(base, "identifier")) {
        const semantic::Binding* b = model_.resolve(text(base, t_), base);
        if (b && b->kind == semantic::BindingKind::ClassDef && model_.scope_of(b->name) == 0)
          q = df_.module + "." + std::string(text(base, t_));
      }
      if (q.empty()) q = resolve_name(base);
      if (!q.empty() && in_project_(q)) m_.class_bases[name].push_back(q);
    }
    for (const auto& [attr, ty] : types_.class_attributes(cls)) {
      if (ty) m_.globals.emplace(name + "." + attr, *ty);
    }
  }

  // The module-level functions and the methods of module-level classes, in order.
  static std::vector<TSNode> summarized_functions(TSNode root) {
    std::vector<TSNode> fns;
    syntax::walk(root, [&](TSNode n) {
      if (is(n, "function_definition")) {
        if (semantic::is_module_level_function(n)) fns.push_back(n);
        return false;  // nested functions belong to their parent's body
      }
      return !is(n, "lambda");
    });
    return fns;
  }

  void on_function_definition(TSNode fn) {
    const std::string& module = df_.module;
    FunctionSummary s;
    s.qualname = ProjectIndex::function_qualname(module, fn, t_);
    s.module = module;
    s.path = df_.path;
    s.pos = src_.position(ts_node_start_byte(field(fn, "name")));
    s.is_async = syntax::is_async_def(fn);
    s.is_method = s.qualname.size() > module.size() + 1 &&
                  s.qualname.substr(module.size() + 1).find('.') != std::string::npos;
    s.is_route_handler = model_.is_route_handler(fn);
    s.generator = !syntax::is(syntax::parent(fn), "decorated_definition") && yields(fn);
    if (!s.is_async) s.async_blocker = generator_blocker(fn);
    on_signature(fn, s);
    std::string key = module.empty() ? s.qualname : s.qualname.substr(module.size() + 1);
    auto& slot = m_.functions[key] = std::move(s);
    by_node_[reinterpret_cast<uintptr_t>(fn.id)] = &slot;
  }

  // Why the generator fn cannot become an async generator, if it cannot: its own body
  // returns a value (a SyntaxError in an async generator), or uses the value of a
  // `yield from` (an async generator has no `yield from`, and `async for` gives no value).
  std::string generator_blocker(TSNode fn) const {
    std::string why;
    bool gen = false;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "yield")) {
        gen = true;
        bool from = syntax::kind(ts_node_child(n, 1)) == "from";
        if (from && !is(syntax::parent(n), "expression_statement") && why.empty())
          why = "uses the value of `yield from` (line " + std::to_string(src_.position(ts_node_start_byte(n)).line) +
                "), which an async generator has no counterpart for";
      }
      if (is(n, "return_statement") && ts_node_named_child_count(n) > 0 && why.empty())
        why = "is a generator that returns a value (line " + std::to_string(src_.position(ts_node_start_byte(n)).line) +
              "), which an async generator cannot";
      return true;
    });
    return gen ? why : std::string();
  }

  // Whether fn's own body (not a nested function's or lambda's) holds `yield`.
  static bool yields(TSNode fn) {
    bool found = false;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (found || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "yield")) found = true;
      return !found;
    });
    return found;
  }

  // The parameters, the implicit first one, the project decorators.
  void on_signature(TSNode fn, FunctionSummary& s) const {
    for (TSNode p : syntax::code_children(field(fn, "parameters"))) {
      TSNode name = is(p, "identifier") ? p : field(p, "name");
      if (is(p, "typed_parameter")) name = ts_node_named_child(p, 0);
      if (is(name, "identifier")) s.params.emplace_back(text(name, t_));
      if (is(name, "identifier") && (is(p, "identifier") || is(p, "typed_parameter"))) s.required_params.emplace_back(text(name, t_));
    }
    bool staticmethod = false;
    TSNode dec = syntax::parent(fn);
    if (is(dec, "decorated_definition")) {
      for (TSNode d : syntax::code_children(dec)) {
        if (!is(d, "decorator")) continue;
        TSNode e = ts_node_named_child(d, 0);
        TSNode dcall = is(e, "call") ? e : TSNode{};
        if (is(e, "call")) e = field(e, "function");
        std::string_view dt = text(e, t_);
        if (dt == "staticmethod") staticmethod = true;
        if (dt == "property" || dt == "cached_property" || dt == "functools.cached_property") s.is_property = true;
        if (dt == "classmethod") s.classmethod = true;
        std::string q = is(e, "identifier") || is(e, "attribute") ? resolve_name(e) : std::string();
        if (q == "pytest.fixture" || q == "pytest_asyncio.fixture") s.fixture_name = fixture_name(fn, dcall);
        if (const semantic::CallFact* fact = decorator_fact(e, dcall); fact && fact->sync_entry) s.sync_entry = true;
        const semantic::LibraryModel& lib = semantic::LibraryModel::current();
        if (!q.empty() && syntax::is_null(dcall) && (lib.async_counterpart(q) || lib.is_async_counterpart(q)))
          s.counterpart_decorated = true;
        if (!q.empty()) s.decorators.push_back(std::move(q));
      }
    }
    s.implicit_first = s.is_method && !staticmethod ? 1 : 0;
    s.abstract = s.is_method && has_no_body(fn);
  }

  // What the library model says of a decorator: `@click.command`, or `@cli.command()` (the
  // method of the object's class).
  const semantic::CallFact* decorator_fact(TSNode e, TSNode decorator_call) const {
    if (!syntax::is_null(decorator_call)) return ProjectIndex::library_fact(decorator_call, model_, types_, t_);
    const auto& lib = semantic::LibraryModel::current();
    auto q = model_.qualified_name(e);
    return q ? lib.function(lib.canonical(*q)) : nullptr;
  }

  // The name a fixture is requested by: `@pytest.fixture(name="session")`, else its own.
  std::string fixture_name(TSNode fn, TSNode decorator_call) const {
    if (!syntax::is_null(decorator_call)) {
      for (TSNode a : syntax::code_children(field(decorator_call, "arguments"))) {
        if (!is(a, "keyword_argument") || text(field(a, "name"), t_) != "name") continue;
        std::string_view v = text(field(a, "value"), t_);
        if (is(field(a, "value"), "string") && v.size() >= 2 && (v[0] == '"' || v[0] == '\'') && v.back() == v[0] &&
            v.find('\\') == std::string_view::npos && v.substr(0, 3) != "\"\"\"" && v.substr(0, 3) != "'''")
          return std::string(v.substr(1, v.size() - 2));
      }
    }
    return std::string(text(field(fn, "name"), t_));
  }

  // `pass`, `...`, a docstring, `raise NotImplementedError(...)`: an interface's method.
  bool has_no_body(TSNode fn) const {
    for (TSNode st : syntax::code_children(field(fn, "body"))) {
      if (is(st, "pass_statement")) continue;
      if (is(st, "expression_statement")) {
        TSNode e = ts_node_named_child(st, 0);
        if (is(e, "string") || is(e, "ellipsis")) continue;
      }
      if (is(st, "raise_statement") && text(st, t_).find("NotImplementedError") != std::string_view::npos) continue;
      return false;
    }
    return true;
  }

  // The qualified name an identifier or attribute chain names (a function of this module
  // gets the module's prefix).
  std::string resolve_name(TSNode e) const {
    if (is(e, "identifier")) {
      const semantic::Binding* b = model_.resolve(text(e, t_), e);
      if (b && b->kind == semantic::BindingKind::FunctionDef && model_.scope_of(b->name) == 0)
        return df_.module + "." + std::string(text(e, t_));
    }
    auto q = model_.qualified_name(e);
    return q ? *q : std::string();
  }

  // The argument types of a call, where known.
  void note_arguments(TSNode call, CallRecord& c) const { note_arguments(field(call, "function"), field(call, "arguments"), 0, c); }

  // The arguments of a call of fn (an expression), from the skip-th positional one on.
  void note_arguments(TSNode fn, TSNode arguments, size_t skip, CallRecord& c) const {
    if (is(fn, "attribute") && types_.project_class(field(fn, "object"))) c.via_class = true;
    bool positional = true;
    for (TSNode a : syntax::code_children(arguments)) {
      if (positional && skip > 0 && !is(a, "keyword_argument") && !is(a, "list_splat") && !is(a, "dictionary_splat")) {
        --skip;
        continue;
      }
      if (is(a, "list_splat") || is(a, "dictionary_splat")) {
        c.splat = true;
        positional = positional && !is(a, "list_splat");
        continue;
      }
      if (is(a, "keyword_argument")) {
        if (auto t = types_.type_of(field(a, "value"))) c.kwargs.emplace(text(field(a, "name"), t_), *t);
        continue;
      }
      if (positional) c.args.push_back(types_.type_of(a));
    }
  }

  // `f(session, *args)` where f is a parameter of the summarized function that holds the
  // call (the wrapper a decorator returns calls the function it decorates).
  bool on_parameter_call(TSNode n) {
    TSNode callee = field(n, "function");
    if (!is(callee, "identifier")) return false;
    const semantic::Binding* b = model_.resolve(text(callee, t_), callee);
    if (!b || b->kind != semantic::BindingKind::Parameter) return false;
    auto it = by_node_.find(reinterpret_cast<uintptr_t>(syntax::ancestor(b->name, "function_definition").id));
    if (it == by_node_.end()) return false;
    CallRecord c;
    c.callee = std::string(text(callee, t_));
    c.caller = it->second->qualname;
    c.pos = src_.position(ts_node_start_byte(n));
    c.awaited = is_awaited(n);
    note_arguments(n, c);
    it->second->param_calls.push_back(std::move(c));
    return true;
  }

  // The summarized function whose own body holds n, if any.
  FunctionSummary* owner(TSNode n) const {
    TSNode fn = model_.enclosing_function(n);
    if (!is(fn, "function_definition")) return nullptr;
    auto it = by_node_.find(reinterpret_cast<uintptr_t>(fn.id));
    return it == by_node_.end() ? nullptr : it->second;
  }

  // `await` (or `async with` / `async for`): a candidate for a plain def that awaits, decided
  // by the compile check once the walk is over.
  void on_await(TSNode n) {
    FunctionSummary* f = owner(n);
    if (!f || !f->is_async) maybe_sync_await_ = true;
  }

  // `with Session(engine) as s:` / `with SessionLocal.begin() as s:` in a function's own body.
  void on_sync_with(TSNode w) {
    FunctionSummary* f = owner(w);
    if (!f || f->is_async || f->enters_session) return;
    for (TSNode item : syntax::code_children(syntax::child_of_kind(w, "with_clause"))) {
      TSNode v = ts_node_named_child(item, 0);
      if (is(v, "as_pattern")) v = ts_node_named_child(v, 0);
      auto t = types_.type_of(v);
      if (!t && is(v, "call") && is(field(v, "function"), "attribute") && text(field(field(v, "function"), "attribute"), t_) == "begin") {
        auto ft = types_.type_of(field(field(v, "function"), "object"));
        if (ft && ft->rfind(semantic::types::kFactoryPrefix, 0) == 0) t = ft->substr(semantic::types::kFactoryPrefix.size());
      }
      if (t && *t == semantic::types::kSession) f->enters_session = true;
    }
  }

  // `Base.metadata.create_all(engine)` / `drop_all(bind=engine)` on a sync engine.
  void note_ddl(TSNode call, FunctionSummary* f) {
    TSNode callee = field(call, "function");
    if (!f || f->is_async || !is(callee, "attribute")) return;
    std::string_view m = text(field(callee, "attribute"), t_);
    if (m != "create_all" && m != "drop_all") return;
    TSNode bind{};
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "keyword_argument") && text(field(a, "name"), t_) == "bind") bind = field(a, "value");
      else if (!is(a, "keyword_argument") && syntax::is_null(bind)) bind = a;
    }
    if (syntax::is_null(bind)) return;
    auto t = types_.type_of(bind);
    if (t && *t == semantic::types::kEngine) f->runs_ddl = true;
  }

  // `inspect(engine)` on a sync engine: reflection, which on an async engine runs on a
  // connection inside `run_sync`, awaited.
  void note_inspect(TSNode call, FunctionSummary* f) {
    if (!f || f->is_async) return;
    auto q = model_.qualified_name(field(call, "function"));
    if (!q || (*q != "sqlalchemy.inspect" && *q != "sqlalchemy.inspection.inspect")) return;
    auto args = syntax::code_children(field(call, "arguments"));
    if (args.size() != 1) return;
    auto t = types_.type_of(args[0]);
    if (t && *t == semantic::types::kEngine) f->runs_ddl = true;
  }

  void on_call(TSNode n) {
    if (on_parameter_call(n)) return;
    note_ddl(n, owner(n));
    note_inspect(n, owner(n));
    FunctionSummary* f = owner(n);
    bool at_module = syntax::is_null(model_.enclosing_function(n));
    std::string resolved = ProjectIndex::resolve_callee(n, model_, &types_);
    if (!f && !at_module) on_call_that_cannot_await(n, resolved);
    if (f || at_module) on_own_call(n, f, resolved);
  }

  // In a lambda or a nested plain def: it cannot await what becomes async.
  void on_call_that_cannot_await(TSNode n, const std::string& resolved) {
    TSNode fn = model_.enclosing_function(n);
    bool lambda = is(fn, "lambda");
    if (!lambda && !syntax::is_async_def(fn) && classifier_) {
      auto top = by_node_.find(reinterpret_cast<uintptr_t>(outermost_function(fn).id));
      if (top != by_node_.end()) {
        if (auto blk = classifier_(n, model_, types_))
          top->second->nested_blocking.push_back(BlockingRecord{blk->first, blk->second, src_.position(ts_node_start_byte(n))});
      }
    }
    if ((lambda || !syntax::is_async_def(fn)) && !resolved.empty()) {
      auto it = by_node_.find(reinterpret_cast<uintptr_t>(outermost_function(fn).id));
      CallRecord c{resolved, it == by_node_.end() ? "" : it->second->qualname, src_.position(ts_node_start_byte(n)),
                   is_awaited(n), false};
      (lambda ? m_.lambda_calls : m_.nested_calls).push_back(std::move(c));
    }
  }

  // The outermost function (or lambda) that encloses fn, fn itself when none does.
  TSNode outermost_function(TSNode fn) const {
    TSNode top = fn;
    for (TSNode up = model_.enclosing_function(syntax::parent(fn)); !syntax::is_null(up); up = model_.enclosing_function(syntax::parent(up))) top = up;
    return top;
  }

  // A call in the own body of summarized function f, or at module level (f null).
  void on_own_call(TSNode n, FunctionSummary* f, const std::string& resolved) {
    CallRecord c;
    c.callee = resolved;
    c.caller = f ? f->qualname : "";
    c.pos = src_.position(ts_node_start_byte(n));
    c.awaited = is_awaited(n);
    c.in_async = f && f->is_async;
    // Argument types, for the parameter types of project functions only (they cost a type
    // inference per argument).
    if (!c.callee.empty() && in_project_(c.callee)) note_arguments(n, c);
    if (f && classifier_) {
      if (auto blk = classifier_(n, model_, types_)) {
        f->blocking.push_back(BlockingRecord{blk->first, blk->second, c.pos});
      }
    }
    note_forwarded(n, f, c.callee);
    if (!c.callee.empty()) (f ? f->calls : m_.module_calls).push_back(std::move(c));
  }

  // `run_in_threadpool(crud.get, db, user_id)`, `background_tasks.add_task(send, db)`: a
  // library call that runs a project function it is given (`runs: $k` in the library model)
  // calls it with the arguments after it.
  void note_forwarded(TSNode call, FunctionSummary* f, const std::string& resolved) {
    const auto& lib = semantic::LibraryModel::current();
    const semantic::CallFact* fact = resolved.empty() ? nullptr : lib.function(lib.canonical(resolved));
    TSNode fn = field(call, "function");
    if (!fact && is(fn, "attribute") && lib.is_runner_method_name(text(field(fn, "attribute"), t_))) {
      if (auto ty = types_.type_of(field(fn, "object"))) fact = lib.method(*ty, text(field(fn, "attribute"), t_));
    }
    if (!fact || fact->runs <= 0) return;
    TSNode target = types_.argument(call, std::to_string(fact->runs));
    if (syntax::is_null(target)) return;
    CallRecord c;
    c.callee = ProjectIndex::resolve_function_ref(target, model_, &types_);
    if (c.callee.empty() || !in_project_(c.callee)) return;
    c.caller = f ? f->qualname : "";
    c.pos = src_.position(ts_node_start_byte(target));
    c.in_async = f && f->is_async;
    note_arguments(target, field(call, "arguments"), static_cast<size_t>(fact->runs), c);
    m_.forwarded_calls.push_back(std::move(c));
  }

  void on_assignment(TSNode n) {
    TSNode left = field(n, "left");
    if (is(left, "attribute")) assigned_.insert(left.id);
  }

  void on_attribute(TSNode n) {
    if (assigned_.count(n.id)) return;
    m_.attribute_reads.emplace(text(field(n, "attribute"), t_));
    on_property_read(n);
  }

  // `self.name` / `cls.name` read (not called) in a method, name a @property of its class.
  void on_property_read(TSNode n) {
    TSNode p = syntax::parent(n);
    if (is(p, "call") && syntax::same(field(p, "function"), n)) return;
    TSNode obj = field(n, "object");
    if (!is(obj, "identifier") || (text(obj, t_) != "self" && text(obj, t_) != "cls")) return;
    FunctionSummary* f = owner(n);
    if (!f || !f->is_method) return;
    std::string cls = split_last(f->qualname).first;
    auto it = m_.functions.find(split_last(cls).second + "." + std::string(text(field(n, "attribute"), t_)));
    if (it == m_.functions.end() || !it->second.is_property) return;
    f->property_reads.push_back(CallRecord{it->second.qualname, f->qualname, src_.position(ts_node_start_byte(n)), false,
                                           f->is_async});
  }

  void on_class_definition(TSNode n) {
    std::string cls(text(field(n, "name"), t_));
    bool pydantic = is_pydantic_model(n);
    if (pydantic) m_.schema_fields.insert("__class__:" + cls);
    for (TSNode st : syntax::code_children(field(n, "body"))) {
      if (!is(st, "expression_statement")) continue;
      TSNode a = ts_node_named_child(st, 0);
      if (!is(a, "assignment") || !is(field(a, "left"), "identifier")) continue;
      on_class_attribute(cls, a, pydantic);
    }
  }

  // Does the class derive from a pydantic model?
  bool is_pydantic_model(TSNode n) const {
    bool pydantic = false;
    for (TSNode b : syntax::code_children(field(n, "superclasses"))) {
      auto q = model_.qualified_name(b);
      std::string_view bt = q ? std::string_view(*q) : text(b, t_);
      if (bt.find("BaseModel") != std::string_view::npos || bt.rfind("pydantic", 0) == 0) pydantic = true;
      // Subclasses of a pydantic model of this module.
      if (is(b, "identifier") && m_.schema_fields.count("__class__:" + std::string(text(b, t_)))) pydantic = true;
    }
    return pydantic;
  }

  // `attr = ...` in the body of class cls: a pydantic field, a relationship.
  void on_class_attribute(const std::string& cls, TSNode a, bool pydantic) {
    std::string attr(text(field(a, "left"), t_));
    if (pydantic && !syntax::is_null(field(a, "type"))) m_.schema_fields.insert(attr);
    TSNode right = field(a, "right");
    if (!is(right, "call")) return;
    auto q = model_.qualified_name(field(right, "function"));
    if (!q || (*q != "sqlalchemy.orm.relationship" && *q != "sqlalchemy.orm.relation")) return;
    m_.relationships[cls][attr] = relationship_info(right);
  }

  // What a `relationship(...)` call says: its target class and its lazy= value.
  RelationshipInfo relationship_info(TSNode call) const {
    RelationshipInfo r;
    r.pos = src_.position(ts_node_start_byte(call));
    for (TSNode arg : syntax::code_children(field(call, "arguments"))) {
      if (is(arg, "keyword_argument")) {
        if (text(field(arg, "name"), t_) == "lazy") r.lazy = std::string(text(field(arg, "value"), t_));
        continue;
      }
      if (r.target.empty()) {
        std::string_view v = text(arg, t_);
        if (is(arg, "string") && v.size() >= 2) v = v.substr(1, v.size() - 2);
        r.target = std::string(v.substr(v.rfind('.') == std::string_view::npos ? 0 : v.rfind('.') + 1));
      }
    }
    return r;
  }

  // A name used but not called: a function passed as a value.
  void on_reference(TSNode r) {
    TSNode p = syntax::parent(r);
    if (is(p, "call") && syntax::same(field(p, "function"), r)) return;
    if (is(p, "attribute")) return;
    const semantic::Binding* b = model_.resolve(text(r, t_), r);
    if (!b || !(b->is_import() || b->kind == semantic::BindingKind::FunctionDef)) return;
    if (ProjectIndex::awaited_by_library(r, model_, types_, t_)) return;
    std::string q = b->is_import() ? b->qualname : df_.module + "." + std::string(text(r, t_));
    FunctionSummary* f = owner(r);
    CallRecord c{q, f ? f->qualname : "", src_.position(ts_node_start_byte(r)), false, f && f->is_async};
    note_passed_to(r, c);
    m_.value_uses.push_back(std::move(c));
  }

  // `authenticate(get_user, name)`: the value is an argument of a call of a project function.
  void note_passed_to(TSNode r, CallRecord& c) const {
    TSNode call{};
    std::string at = ProjectIndex::argument_slot(r, t_, &call);
    if (at.empty()) return;
    std::string g = ProjectIndex::resolve_callee(call, model_, &types_);
    if (g.empty() || !in_project_(g)) return;
    c.passed_to = std::move(g);
    c.passed_at = std::move(at);
  }

  const DiscoveredFile& df_;
  const SourceFile& src_;
  std::string_view t_;
  const semantic::SemanticModel& model_;
  const semantic::TypeOracle& types_;
  const BlockingClassifier& classifier_;
  std::function<bool(const std::string&)> in_project_;  // is a qualified name in a project module?
  RecordingTypes* recorder_;  // the queries the summary makes (null: not recorded)
  bool maybe_sync_await_ = false;  // an `await` or `async with/for` outside a summarized async def
  ModuleSummary m_;
  std::map<uintptr_t, FunctionSummary*> by_node_;  // function node id -> its summary in m_
  std::set<const void*> assigned_;                 // attributes assigned to (not reads)
};

}  // namespace

const semantic::CallFact* ProjectIndex::library_fact(TSNode call, const semantic::SemanticModel& model,
                                                   const semantic::TypeOracle& types, std::string_view src) {
  const auto& lib = semantic::LibraryModel::current();
  std::string resolved = resolve_callee(call, model, &types);
  const semantic::CallFact* fact = resolved.empty() ? nullptr : lib.function(lib.canonical(resolved));
  TSNode fn = field(call, "function");
  if (!fact && is(fn, "attribute")) {
    if (auto ty = types.type_of(field(fn, "object"))) fact = lib.method(*ty, text(field(fn, "attribute"), src));
  }
  // `app.post("/x")(handler)`: calling an instance is its class's __call__.
  if (!fact && is(fn, "call")) {
    if (auto ty = types.type_of(fn)) fact = lib.method(*ty, "__call__");
  }
  return fact;
}

bool ProjectIndex::awaited_by_library(TSNode ref, const semantic::SemanticModel& model,
                                      const semantic::TypeOracle& types, std::string_view src) {
  const auto& lib = semantic::LibraryModel::current();
  TSNode p = syntax::parent(ref);
  if (is(p, "keyword_argument")) p = syntax::parent(p);
  if (is(p, "argument_list") && is(syntax::parent(p), "call")) {
    TSNode call = syntax::parent(p);
    const semantic::CallFact* fact = library_fact(call, model, types, src);
    if (fact && fact->awaits > 0 && syntax::same(types.argument(call, std::to_string(fact->awaits)), ref)) return true;
  }
  TSNode sub{};
  if (is(p, "subscript") && syntax::same(field(p, "subscript"), ref)) sub = p;
  if (is(p, "assignment") && syntax::same(field(p, "right"), ref) && is(field(p, "left"), "subscript")) sub = field(p, "left");
  if (syntax::is_null(sub)) return false;
  auto ty = types.type_of(field(sub, "value"));
  const semantic::ClassFact* c = ty ? lib.class_fact(*ty) : nullptr;
  return c && c->awaits_items;
}

std::optional<std::string> ProjectIndex::gave_up_on(const std::string& path) const {
  std::lock_guard<std::mutex> lock(gave_up_mu_);
  auto it = gave_up_.find(path);
  if (it == gave_up_.end()) return std::nullopt;
  return it->second;
}

bool ProjectIndex::still_answered(const std::set<TypeQuery>& questions) const { return !answers_changed(questions); }

std::optional<ModuleSummary> ProjectIndex::stored_summary(const std::string& path, const std::string& key,
                                                          std::set<TypeQuery>* asked, Hash128* hash) const {
  for (auto& bytes : store_->get(key)) {
    AskedQuestions questions;
    if (!decode_summary(*bytes, nullptr, nullptr, &questions) || !still_answered(questions)) continue;
    ModuleSummary m;
    std::set<TypeQuery> kept;
    if (!decode_summary(*bytes, &m, &kept, &questions)) continue;
    if (asked) *asked = std::move(kept);
    if (hash) *hash = hash_bytes(*bytes);
    store_->put(path, key, std::move(bytes));
    ++from_store_;
    return m;
  }
  return std::nullopt;
}

std::optional<ModuleSummary> ProjectIndex::summarize(const DiscoveredFile& df, std::set<TypeQuery>* asked,
                                                     Hash128* hash) const {
  StageTimer reading(Stage::IndexRead);
  std::string bytes;
  if (!read_text(df.path, &bytes)) return std::nullopt;
  // The store's key: the module, its file, and its bytes, in this project (the project's
  // files decide what is a project module).
  std::string key;
  if (store_) {
    key = Hasher().add(universe_).add(df.module).add(df.path).add(df.is_package ? 1 : 0).add(bytes).finish().hex();
    if (auto m = stored_summary(df.path, key, asked, hash)) return m;
  }
  auto src = SourceFile::from_bytes(df.path, std::move(bytes));
  if (!src) return std::nullopt;
  reading.stop();
  thread_local syntax::Parser parser;
  StageTimer parsing(Stage::IndexParse);
  auto tree = parser.parse(src->text());
  parsing.stop();
  StageTimer summarizing(Stage::IndexSummarize);
  if (!tree) {
    std::lock_guard<std::mutex> lock(gave_up_mu_);
    gave_up_.emplace(df.path, tree.error().message);
    return std::nullopt;
  }
  syntax::NodeTable table(tree->root());
  auto model = semantic::SemanticModel::build(tree->root(), src->text(), df.module, df.is_package);
  AskedQuestions questions;
  RecordingTypes project(*this, asked, store_ ? &questions : nullptr);
  semantic::TypeOracle types(model, &project);
  auto in_project = [this](const std::string& q) { return !module_of(q, by_module_).empty(); };
  ModuleSummary m = ModuleSummarizer(df, *src, model, types, classifier_, in_project, &project).summarize(tree->root());
  if (store_ && asked) {
    auto encoded = std::make_shared<const std::string>(encode_summary(m, *asked, questions));
    if (hash) *hash = hash_bytes(*encoded);
    store_->put(df.path, key, std::move(encoded));
  }
  return m;
}

void ProjectIndex::use_store(SummaryStore* store) {
  store_ = store;
  Hasher h;
  for (const auto& f : files_) h.add(f.module).add(f.path).add(f.is_package ? 1 : 0);
  universe_ = h.finish();
}

Hash128 ProjectIndex::digest() const {
  if (!store_) return {};
  Hasher h;
  h.add(universe_).add(whole_program_ ? 1 : 0);
  for (const auto& [name, m] : modules_) {
    auto it = summary_hash_.find(name);
    h.add(name).add(it == summary_hash_.end() ? Hash128{} : it->second);
  }
  for (const auto& name : attempted_) h.add(name);
  h.add(uint64_t{0xa77e});
  for (const auto& name : relevant_) h.add(name);
  std::lock_guard<std::mutex> lock(gave_up_mu_);
  for (const auto& [path, why] : gave_up_) h.add(path).add(why);
  return h.finish();
}

void ProjectIndex::load_wave(std::vector<const DiscoveredFile*> wave, int jobs) {
  // A module after the modules of the wave it imports (as far as the text tells): the
  // answers it gets about their types are then there the first time, instead of a summary
  // made too early and made again when they change (a cycle's modules go together).
  auto file_index = [&](const DiscoveredFile* f) { return static_cast<size_t>(f - files_.data()); };
  std::vector<size_t> todo;
  for (const auto* f : wave) todo.push_back(file_index(f));
  read_facts(todo, nullptr, jobs);
  std::map<size_t, size_t> position;
  for (size_t k = 0; k < wave.size(); ++k) position.emplace(todo[k], k);
  std::vector<std::vector<size_t>> deps(wave.size());
  for (size_t k = 0; k < wave.size(); ++k) {
    for (uint32_t i : facts_[todo[k]].imports) {
      if (auto it = position.find(i); it != position.end()) deps[k].push_back(it->second);
    }
  }
  for (const auto& level : project::dependency_levels(deps)) {
    std::vector<const DiscoveredFile*> part;
    for (size_t k : level) part.push_back(wave[k]);
    load_level(std::move(part), jobs);
  }
}

void ProjectIndex::load_level(std::vector<const DiscoveredFile*> wave, int jobs) {
  std::vector<std::optional<ModuleSummary>> out(wave.size());
  std::vector<std::set<TypeQuery>> asked(wave.size());
  std::vector<Hash128> hashes(wave.size());
  // The biggest files first (as far as their sizes are known), so that no thread is left
  // with a big one at the end.
  std::vector<size_t> order(wave.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto size_of = [&](size_t i) { return facts_[static_cast<size_t>(wave[i] - files_.data())].size; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size_of(a) > size_of(b); });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next++) < order.size();) out[order[k]] = summarize(*wave[order[k]], &asked[order[k]], &hashes[order[k]]);
  };
  int n = std::max(1, std::min<int>(jobs, static_cast<int>(wave.size())));
  std::vector<std::thread> threads;
  for (int k = 1; k < n; ++k) threads.emplace_back(work);
  work();
  for (auto& th : threads) th.join();
  summaries_made_ += wave.size();
  for (size_t i = 0; i < wave.size(); ++i) {
    attempted_.insert(wave[i]->module);
    if (out[i]) {
      modules_[wave[i]->module] = std::move(*out[i]);
      if (store_) summary_hash_[wave[i]->module] = hashes[i];
      generation_ = ++g_generations;
      asked_[wave[i]->module] = std::move(asked[i]);
    }
  }
}

namespace {

// What close_over_calls has followed so far: a worklist over functions, so one pass over
// the loaded modules follows the calls as deep as they go, and a loaded wave only adds to it.
struct CallClosure {
  std::set<std::string> expanded, seen_callees;
  std::set<std::string> reached;     // project functions reached from async code
  std::set<std::string> unresolved;  // callees not (yet) known as project functions
  std::vector<const FunctionSummary*> work;  // reached or async, not expanded yet

  void reach(const FunctionSummary* f) {
    if (reached.insert(f->qualname).second) work.push_back(f);
  }

  // The async functions of a module just loaded, and those already reached by name.
  void seed(const ModuleSummary& m) {
    for (const auto& [fname, f] : m.functions) {
      if (f.is_async || reached.count(f.qualname)) work.push_back(&f);
    }
  }

  // The callees not found before, looked up again now that modules were loaded.
  void retry_unresolved(const ProjectIndex& index) {
    for (auto it = unresolved.begin(); it != unresolved.end();) {
      if (const FunctionSummary* f = index.function(*it)) {
        reach(f);
        it = unresolved.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Follows the calls of every function on the worklist, and of the functions they reach,
  // each function once: *relevant gets their modules, on_callee every call followed.
  template <typename OnCallee>
  void drain(const ProjectIndex& index, std::set<std::string>* relevant, OnCallee on_callee) {
    while (!work.empty()) {
      const FunctionSummary* f = work.back();
      work.pop_back();
      if (!expanded.insert(f->qualname).second) continue;
      relevant->insert(f->module);
      for (const auto* list : {&f->calls, &f->property_reads}) {
        for (const auto& c : *list) {
          on_callee(c.callee);
          if (!seen_callees.insert(c.callee).second) continue;
          if (const FunctionSummary* g = index.function(c.callee)) reach(g);
          else unresolved.insert(c.callee);
        }
      }
    }
  }
};

}  // namespace

std::set<std::string> ProjectIndex::demanded_results() const {
  // The functions whose result some module on the async call graph asks for (directly, or
  // to infer the result of a function whose result is asked for in turn).
  std::set<std::string> demanded;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& name : relevant_) {
      auto asked = asked_.find(name);
      if (asked == asked_.end()) continue;
      for (const TypeQuery& q : asked->second) {
        if (q.kind != 'r' || (!q.context.empty() && !demanded.count(q.context))) continue;
        const FunctionSummary* f = function(q.qualname);
        if (demanded.insert(f ? f->qualname : resolve_alias(q.qualname)).second) grew = true;
      }
    }
  }
  return demanded;
}

std::vector<std::string> ProjectIndex::modules_wanted_by(const ModuleSummary& m, const std::set<std::string>& demanded) const {
  std::vector<std::string> out;  // names in the modules wanted
  // The decorators of its functions: a decorator's wrapper may pass them their arguments,
  // and run blocking calls around them.
  for (const auto& [fname, f] : m.functions) {
    for (const auto& d : f.decorators) out.push_back(resolve_alias(d));
  }
  // The functions its calls hand to run_in_threadpool and the like: they get the arguments'
  // types.
  for (const auto& c : m.forwarded_calls) out.push_back(resolve_alias(c.callee));
  // The modules its summary asked types of (a session factory or a client made in
  // database.py, an alias used in an annotation): loaded, its summary is made again when
  // their answers change (load_containing).
  auto asked = asked_.find(m.module);
  if (asked == asked_.end()) return out;
  for (const TypeQuery& q : asked->second) {
    if (!whole_program_ && !q.context.empty() && !demanded.count(q.context)) continue;  // not needed yet
    out.push_back(q.qualname);
    if (!q.answer) out.push_back(resolve_alias(q.qualname));  // through a re-export
  }
  return out;
}

void ProjectIndex::close_over_calls(int jobs) {
  // Follow calls function by function, not module by module: from every async function to
  // what it calls (is it sync? does it block?), and on through the sync functions reached
  // that way (for AF108's call paths). Modules are loaded only when a followed call leads
  // into them, or when such a module's summary asked about a type they define.
  CallClosure closure;
  // Adds the module of q to want when it is a project module not loaded yet.
  std::set<std::string> want;
  auto want_module_of = [&](const std::string& q) {
    std::string mod = module_of(q, by_module_);
    if (!mod.empty() && !attempted_.count(mod)) want.insert(mod);
  };
  for (const auto& [mname, m] : modules_) closure.seed(m);
  for (;;) {
    closure.drain(*this, &relevant_, [&](const std::string& callee) {
      want_module_of(callee);
      // Through a re-export (`from .trade_model import Trade` in a package's __init__).
      want_module_of(resolve_alias(callee));
    });
    std::set<std::string> demanded = demanded_results();
    for (const auto& name : relevant_) {
      auto m = modules_.find(name);
      if (m == modules_.end()) continue;
      for (const auto& q : modules_wanted_by(m->second, demanded)) want_module_of(q);
    }
    // Callees not found yet may be re-exports of a module loaded since, or names of a module
    // that a loaded package star-imports.
    for (const auto& u : closure.unresolved) {
      std::string r = resolve_alias(u);
      want_module_of(r);
      std::vector<std::string> stars;
      unloaded_star_sources(r, &stars);
      for (const auto& s : stars) want_module_of(s + ".*");
    }
    if (want.empty()) break;
    std::vector<const DiscoveredFile*> wave;
    for (const auto& w : want) wave.push_back(by_module_.at(w));
    want.clear();
    load_wave(wave, jobs);
    for (const auto* f : wave) {
      if (auto m = modules_.find(f->module); m != modules_.end()) closure.seed(m->second);
    }
    closure.retry_unresolved(*this);
  }
}

std::vector<const DiscoveredFile*> ProjectIndex::scan_files(const TriggerScanner* scanner, int jobs) {
  // Every module loaded (a whole-program build, which plan_async asks again and again for the
  // files that mention a name): nothing is left to scan.
  if (attempted_.size() >= by_module_.size()) return {};
  std::vector<size_t> todo;
  for (size_t i = 0; i < files_.size(); ++i) {
    if (files_[i].module.empty() || attempted_.count(files_[i].module)) continue;
    if (scanner || !facts_[i].read) todo.push_back(i);
  }
  std::vector<char> hit = read_facts(todo, scanner, jobs);
  std::vector<const DiscoveredFile*> found;
  for (size_t k = 0; k < todo.size(); ++k) {
    if (hit[k]) found.push_back(&files_[todo[k]]);
  }
  return found;
}

std::vector<char> ProjectIndex::read_facts(const std::vector<size_t>& todo, const TriggerScanner* scanner, int jobs) {
  std::vector<char> hit(todo.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::string bytes;
    for (size_t k; (k = next++) < todo.size();) {
      size_t i = todo[k];
      if (!scanner && facts_[i].read) continue;
      if (!read_text(files_[i].path, &bytes)) continue;
      if (!facts_[i].read) {
        facts_[i].read = true;
        facts_[i].size = bytes.size();
        facts_[i].class_bases = class_statement_bases(bytes);
        facts_[i].imports = imported_files(files_[i], bytes);
      }
      hit[k] = scanner && scanner->any(bytes);
    }
  };
  int n = std::max(1, std::min<int>(jobs, static_cast<int>(todo.size() / 16)));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& th : threads) th.join();
  return hit;
}

std::vector<uint32_t> ProjectIndex::imported_files(const DiscoveredFile& f, std::string_view bytes) const {
  std::vector<uint32_t> out;
  for (const auto& written : project::imported_names(bytes)) {
    std::string target = project::absolute_import(written, f.module, f.is_package);
    std::string mod = module_of(target, by_module_);
    if (mod.empty() || mod == f.module) continue;
    out.push_back(static_cast<uint32_t>(by_module_.find(mod)->second - files_.data()));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ProjectIndex::build(const std::vector<std::string>& seed_literals, int jobs) {
  whole_program_ = std::find(seed_literals.begin(), seed_literals.end(), "") != seed_literals.end();
  load_containing(seed_literals, jobs);
}

void ProjectIndex::load_containing(const std::vector<std::string>& literals, int jobs) {
  std::vector<const DiscoveredFile*> wave;
  if (std::find(literals.begin(), literals.end(), "") != literals.end()) {
    for (const auto& f : files_) {
      if (!f.module.empty() && !attempted_.count(f.module)) wave.push_back(&f);
    }
  } else {
    TriggerScanner scanner(literals);
    wave = scan_files(&scanner, jobs);
  }
  // Nothing new to load: what follows was done for these modules already, and would find
  // the same (plan_async asks for the callers of each function it follows, mostly loaded).
  if (wave.empty() && settled_) return;
  settled_ = true;
  load_wave(std::move(wave), jobs);
  close_over_calls(jobs);
  // Types flow across modules (a session factory made in database.py, used in crud.py): a
  // module summarized before the modules it asked about were loaded is summarized again,
  // now that they are, when an answer it got would now be different (the same answers
  // give the same summary). Only where it can change a finding: modules on the async call
  // graph (or all of them, for a whole-program migration).
  // Summarizing a module again can change the answers others got from it (the class
  // attribute `Trade.session` is known once the alias `SessionType` of base.py is): repeat to
  // a fixed point, following the calls the new summaries make. Answers only go from unknown
  // to known along the chains of modules, so this ends; the bound is a guard.
  for (int round = 0; round < kMaxSummaryRounds; ++round) {
    load_implementations(jobs);
    compute_parameter_types();
    std::vector<const DiscoveredFile*> again;
    for (const auto& [name, m] : modules_) {
      if (!whole_program_ && !relevant_.count(name)) continue;
      auto it = asked_.find(name);
      if (it != asked_.end() && answers_changed(it->second)) again.push_back(by_module_.at(name));
    }
    if (again.empty()) break;
    for (const auto* f : again) attempted_.erase(f->module);
    load_wave(std::move(again), jobs);
    close_over_calls(jobs);
  }
  dynamic_relationships_.clear();
  for (const auto& [name, m] : modules_) {
    for (const auto& [cls, rels] : m.relationships) {
      for (const auto& [attr, r] : rels) {
        if (r.lazy.find("dynamic") != std::string::npos) dynamic_relationships_.insert(attr);
      }
    }
  }
  compute_blocking_paths();
}

namespace {

// What the call sites of one function pass for each parameter: the types seen, and whether
// some call passed something unknown (or nothing: the default).
struct ParameterEvidence {
  std::map<std::string, std::set<std::string>> seen;
  std::set<std::string> unknown;

  // One call of target, whose first `offset` parameters are bound implicitly.
  void observe(const FunctionSummary& target, const CallRecord& c, size_t offset) {
    for (size_t j = offset; j < target.params.size(); ++j) {
      const std::string& p = target.params[j];
      size_t k = j - offset;
      std::optional<std::string> t;
      if (k < c.args.size()) {
        t = c.args[k];
      } else if (auto kw = c.kwargs.find(p); kw != c.kwargs.end()) {
        t = kw->second;
      }
      if (t) seen[p].insert(*t);
      else unknown.insert(p);
    }
  }
};

}  // namespace

void ProjectIndex::load_implementations(int jobs) {
  // An abstract method called from the code on the map runs one of its overrides: the
  // modules that subclass its class name it among the bases of a class statement (each
  // class looked for once).
  std::set<std::string, std::less<>> names;
  for (const auto& [mname, m] : modules_) {
    if (!whole_program_ && !relevant_.count(mname)) continue;
    for (const auto& [fname, f] : m.functions) {
      for (const auto& c : f.calls) {
        const FunctionSummary* target = function(c.callee);
        if (!target || !target->abstract) continue;
        auto [cls_q, method] = split_last(target->qualname);
        std::string cls = split_last(cls_q).second;
        if (searched_classes_.insert(cls_q).second) names.insert(cls);
      }
    }
  }
  if (names.empty()) return;
  scan_files(nullptr, jobs);  // the facts of the files not read yet
  std::vector<const DiscoveredFile*> wave;
  for (size_t i = 0; i < files_.size(); ++i) {
    if (files_[i].module.empty() || attempted_.count(files_[i].module)) continue;
    const auto& bases = facts_[i].class_bases;
    if (std::any_of(bases.begin(), bases.end(), [&](const std::string& b) { return names.count(b) > 0; }))
      wave.push_back(&files_[i]);
  }
  if (wave.empty()) return;
  load_wave(std::move(wave), jobs);
  close_over_calls(jobs);
}

void ProjectIndex::compute_parameter_types() {
  // Parameter types from call sites, over the loaded modules: a parameter every call passes
  // the same known type gets it. A function decorated by a project decorator whose wrapper
  // calls it (`f(session, *args, **kwargs)`) is called by that wrapper, not by its callers.
  std::map<std::string, ParameterEvidence> evidence;
  auto wrapped = [&](const FunctionSummary& f) {
    for (const auto& d : f.decorators) {
      const FunctionSummary* w = function(d);
      if (w && !w->param_calls.empty()) return w;
    }
    return static_cast<const FunctionSummary*>(nullptr);
  };
  auto subclasses = subclass_map();
  auto observe_call = [&](const CallRecord& c) {
    const FunctionSummary* target = function(c.callee);
    if (!target || target->params.empty() || wrapped(*target)) return;
    size_t offset = target->implicit_first && (!c.via_class || target->classmethod) ? 1 : 0;
    evidence[target->qualname].observe(*target, c, offset);
    // A call of an abstract method runs one of its overrides: each gets the arguments too.
    if (!target->abstract) return;
    for (const auto& o : overrides_of(target->qualname, subclasses)) {
      if (const FunctionSummary* of = function(o)) evidence[of->qualname].observe(*of, c, offset);
    }
  };
  for (const auto& [mname, m] : modules_) {
    for (const auto& [fname, f] : m.functions) {
      for (const auto& c : f.calls) observe_call(c);
      if (f.params.empty()) continue;
      if (const FunctionSummary* w = wrapped(f); w && !f.is_method) {
        for (const auto& pc : w->param_calls) {
          if (!w->params.empty() && pc.callee == w->params.front()) evidence[f.qualname].observe(f, pc, 0);
        }
      }
    }
    for (const auto& c : m.module_calls) observe_call(c);
    for (const auto& c : m.forwarded_calls) observe_call(c);
  }
  parameter_types_.clear();
  for (const auto& [fn, ev] : evidence) {
    for (const auto& [p, types] : ev.seen) {
      if (types.size() == 1 && !ev.unknown.count(p)) parameter_types_[fn][p] = *types.begin();
    }
  }
  compute_fixtures();
}

std::string ProjectIndex::parameter_at(const FunctionSummary& g, const std::string& at) {
  if (at.empty()) return {};
  if (at.find_first_not_of("0123456789") != std::string::npos)
    return std::find(g.params.begin(), g.params.end(), at) != g.params.end() ? at : std::string();
  size_t k = std::stoul(at) + static_cast<size_t>(g.implicit_first);
  return k < g.params.size() ? g.params[k] : std::string();
}

std::string ProjectIndex::argument_slot(TSNode ref, std::string_view src, TSNode* call) {
  TSNode p = syntax::parent(ref);
  std::string at;
  if (is(p, "keyword_argument") && syntax::same(field(p, "value"), ref)) {
    at = std::string(text(field(p, "name"), src));
    p = syntax::parent(p);
  } else if (is(p, "argument_list")) {
    size_t k = 0;
    for (TSNode a : syntax::code_children(p)) {
      if (syntax::same(a, ref)) break;
      if (is(a, "keyword_argument") || is(a, "list_splat") || is(a, "dictionary_splat")) return {};
      ++k;
    }
    at = std::to_string(k);
  }
  if (at.empty() || !is(p, "argument_list") || !is(syntax::parent(p), "call")) return {};
  *call = syntax::parent(p);
  return at;
}

bool ProjectIndex::is_test_path(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  if (name == "conftest.py" || name.rfind("test_", 0) == 0 || (name.size() > 8 && name.substr(name.size() - 8) == "_test.py"))
    return true;
  for (std::string_view dir : {"/tests/", "/test/"}) {
    if (path.find(dir) != std::string_view::npos || path.rfind(dir.substr(1), 0) == 0) return true;
  }
  return false;
}

namespace {
std::string_view dirname_of(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}
}  // namespace

namespace {
// The conftest.py modules by their directory.
std::map<std::string_view, const ModuleSummary*> conftests_by_dir(const std::map<std::string, ModuleSummary, std::less<>>& modules) {
  std::map<std::string_view, const ModuleSummary*> by_dir;
  for (const auto& [name, m] : modules) {
    std::string_view p = m.path;
    if (p == "conftest.py" || (p.size() > 12 && p.substr(p.size() - 12) == "/conftest.py")) by_dir[dirname_of(p)] = &m;
  }
  return by_dir;
}

std::vector<const ModuleSummary*> conftests_in(const std::map<std::string_view, const ModuleSummary*>& by_dir, std::string_view path) {
  std::vector<const ModuleSummary*> found;
  std::string_view d = dirname_of(path);
  while (true) {
    if (auto it = by_dir.find(d); it != by_dir.end() && it->second->path != path) found.push_back(it->second);
    if (d.empty()) break;
    d = dirname_of(d);
  }
  return found;
}
}  // namespace

std::vector<const ModuleSummary*> ProjectIndex::conftests_above(std::string_view path) const {
  return conftests_in(conftests_by_dir(modules_), path);
}

void ProjectIndex::compute_fixtures() {
  // pytest gives a test function (or a fixture) the fixture named like each parameter
  // without a default: one of its module (defined there or imported into it), else of the
  // nearest conftest.py above it.
  auto fixture_in = [&](const ModuleSummary& m, std::string_view name) -> const FunctionSummary* {
    for (const auto& [fname, f] : m.functions) {
      if (!f.is_method && f.fixture_name == name) return &f;
    }
    for (const auto& [local, q] : m.imports) {
      const FunctionSummary* f = function(q);
      if (f && !f->is_method && f->fixture_name == name) return f;
    }
    return nullptr;
  };
  auto by_dir = conftests_by_dir(modules_);
  for (auto& [mname, m] : modules_) {
    if (!is_test_path(m.path)) continue;
    std::vector<const ModuleSummary*> scopes{&m};
    for (const ModuleSummary* c : conftests_in(by_dir, m.path)) scopes.push_back(c);
    for (auto& [fname, f] : m.functions) {
      f.fixture_requests.clear();
      std::string_view local = std::string_view(f.qualname).substr(f.qualname.rfind('.') + 1);
      bool test = local.rfind("test", 0) == 0 &&
                  (!f.is_method || fname.rfind("Test", 0) == 0);
      if (!test && f.fixture_name.empty()) continue;
      for (size_t i = 0; i < f.required_params.size(); ++i) {
        const std::string& p = f.required_params[i];
        if (i == 0 && f.implicit_first && !f.params.empty() && p == f.params.front()) continue;  // self
        const FunctionSummary* fx = nullptr;
        for (const ModuleSummary* sc : scopes) {
          if ((fx = fixture_in(*sc, p))) break;
        }
        if (!fx || fx == &f) continue;
        f.fixture_requests.push_back(fx->qualname);
        if (fx->result_type && !parameter_type(f.qualname, p)) parameter_types_[f.qualname][p] = *fx->result_type;
      }
    }
  }
}

std::optional<std::string> ProjectIndex::decorator_argument_type(std::string_view decorator, size_t k) const {
  const FunctionSummary* w = function(decorator);
  if (!w || w->params.empty()) return std::nullopt;
  std::optional<std::string> found;
  for (const auto& pc : w->param_calls) {
    if (pc.callee != w->params.front()) continue;
    if (k >= pc.args.size() || !pc.args[k]) return std::nullopt;
    if (found && *found != *pc.args[k]) return std::nullopt;
    found = pc.args[k];
  }
  return found;
}

std::optional<std::string> ProjectIndex::parameter_type(std::string_view fn, std::string_view param) const {
  auto it = parameter_types_.find(fn);
  if (it == parameter_types_.end()) return std::nullopt;
  auto p = it->second.find(param);
  if (p == it->second.end()) return std::nullopt;
  return p->second;
}

void ProjectIndex::compute_blocking_paths() {
  // BFS from each sync function over calls to sync project functions, to the nearest one
  // that blocks directly. Paths are stored per function. An abstract method (its body only
  // `pass`, `...` or `raise NotImplementedError`) whose every project override blocks
  // blocks too (a call through the interface runs one of them): found after a first pass,
  // then the paths are made again with those edges, until nothing changes.
  dispatch_.clear();
  for (int round = 0; round < 4; ++round) {
    blocking_paths_.clear();
    for (const auto& [mname, m] : modules_) {
      for (const auto& [fname, f] : m.functions) {
        if (!f.is_async) blocking_path_from(f.qualname);
      }
    }
    if (!find_dispatches()) break;
  }
}

void ProjectIndex::blocking_path_from(const std::string& start) {
  std::map<std::string, std::string> parent;  // function -> the one that called it
  std::deque<std::string> queue{start};
  parent[start] = "";
  std::string found;
  auto visit = [&](const FunctionSummary* callee, const std::string& from) {
    if (!callee || callee->is_async || parent.count(callee->qualname)) return;
    parent[callee->qualname] = from;
    queue.push_back(callee->qualname);
  };
  std::string via_api;  // the blocking call of a decorator's wrapper, when that is the end
  while (!queue.empty() && found.empty()) {
    std::string cur = queue.front();
    queue.pop_front();
    const FunctionSummary* s = function(cur);
    if (!s || s->is_async) continue;
    if (!s->blocking.empty()) {
      found = cur;
      break;
    }
    // A function decorated by a project decorator whose wrapper calls it runs the wrapper.
    if (const FunctionSummary* w = blocking_wrapper(*s)) {
      found = cur;
      via_api = w->nested_blocking.front().api;
      break;
    }
    for (const auto& c : s->calls) visit(function(c.callee), cur);
    for (const auto& c : s->property_reads) visit(function(c.callee), cur);
    if (auto d = dispatch_.find(cur); d != dispatch_.end()) visit(function(d->second), cur);
  }
  if (found.empty()) return;
  std::vector<std::string> path;
  for (std::string at = found; !at.empty(); at = parent[at]) path.push_back(at);
  std::reverse(path.begin(), path.end());
  path.push_back(via_api.empty() ? function(found)->blocking.front().api : via_api);
  blocking_paths_[start] = std::move(path);
}

std::map<std::string, std::vector<std::string>> ProjectIndex::subclass_map() const {
  std::map<std::string, std::vector<std::string>> subclasses;
  for (const auto& [mname, m] : modules_) {
    for (const auto& [cls, bases] : m.class_bases) {
      for (const auto& b : bases) subclasses[class_type(b).value_or(b)].push_back(m.module + "." + cls);
    }
  }
  return subclasses;
}

std::vector<std::string> ProjectIndex::overrides_of(const std::string& method,
                                                    const std::map<std::string, std::vector<std::string>>& subclasses) const {
  auto [cls, name] = split_last(method);
  std::vector<std::string> overrides;
  std::set<std::string> seen;
  std::vector<std::string> work;
  if (auto it = subclasses.find(cls); it != subclasses.end()) work = it->second;
  while (!work.empty()) {
    std::string sub = work.back();
    work.pop_back();
    if (!seen.insert(sub).second) continue;
    const FunctionSummary* o = function(sub + "." + name);
    if (o && o->qualname == sub + "." + name) overrides.push_back(o->qualname);
    if (auto it = subclasses.find(sub); it != subclasses.end()) work.insert(work.end(), it->second.begin(), it->second.end());
  }
  return overrides;
}

const FunctionSummary* ProjectIndex::blocking_wrapper(const FunctionSummary& f) const {
  for (const auto& d : f.decorators) {
    const FunctionSummary* w = function(d);
    if (w && !w->param_calls.empty() && !w->nested_blocking.empty()) return w;
  }
  return nullptr;
}

bool ProjectIndex::find_dispatches() {
  auto subclasses = subclass_map();
  bool added = false;
  for (const auto& [mname, m] : modules_) {
    for (const auto& [fname, f] : m.functions) {
      if (!f.abstract || f.is_async || blocking_paths_.count(f.qualname) || dispatch_.count(f.qualname)) continue;
      auto overrides = overrides_of(f.qualname, subclasses);
      bool all_block = !overrides.empty() && std::all_of(overrides.begin(), overrides.end(), [&](const std::string& o) {
        return blocking_paths_.count(o) > 0;
      });
      if (!all_block) continue;
      dispatch_[f.qualname] = overrides.front();
      added = true;
    }
  }
  return added;
}

std::vector<std::string> ProjectIndex::blocking_path(std::string_view qualname) const {
  const FunctionSummary* f = function(qualname);
  if (!f) return {};
  auto it = blocking_paths_.find(f->qualname);
  return it == blocking_paths_.end() ? std::vector<std::string>{} : it->second;
}

const BlockingRecord* ProjectIndex::blocking_leaf(std::string_view qualname) const {
  auto path = blocking_path(qualname);
  if (path.size() < 2) return nullptr;
  const FunctionSummary* f = function(path[path.size() - 2]);
  return f && !f->blocking.empty() ? &f->blocking.front() : nullptr;
}

const RelationshipInfo* ProjectIndex::relationship(std::string_view cls, std::string_view attr) const {
  std::string c(cls.substr(cls.rfind('.') == std::string_view::npos ? 0 : cls.rfind('.') + 1));
  for (const auto& [mname, m] : modules_) {
    auto it = m.relationships.find(c);
    if (it == m.relationships.end()) continue;
    auto r = it->second.find(std::string(attr));
    if (r != it->second.end()) return &r->second;
  }
  return nullptr;
}

std::vector<std::string> ProjectIndex::classes_with_relationship(std::string_view attr) const {
  std::vector<std::string> out;
  for (const auto& [mname, m] : modules_) {
    for (const auto& [cls, rels] : m.relationships) {
      if (rels.count(std::string(attr))) out.push_back(cls);
    }
  }
  return out;
}

bool ProjectIndex::attribute_used(std::string_view name) const {
  std::string n(name);
  for (const auto& [mname, m] : modules_) {
    if (m.attribute_reads.count(n) || m.schema_fields.count(n)) return true;
  }
  return false;
}

std::vector<std::string> ProjectIndex::names_typed_with(const std::vector<std::string>& literals) const {
  return names_typed_with([&](std::string_view type) {
    for (size_t b = 0; b <= type.size();) {
      size_t e = std::min(type.find('.', b), type.size());
      if (std::find(literals.begin(), literals.end(), type.substr(b, e - b)) != literals.end()) return true;
      b = e + 1;
    }
    return false;
  });
}

bool ProjectIndex::has_async_methods(std::string_view cls) const {
  thread_local int depth = 0;
  if (depth > 8) return false;
  std::string rest;
  const ModuleSummary* m = loaded_module_of(resolve_alias(cls), &rest);
  if (!m || !m->classes.count(rest)) return false;
  std::string prefix = rest + ".";
  for (auto it = m->functions.lower_bound(prefix); it != m->functions.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string_view method = std::string_view(it->first).substr(prefix.size());
    if (it->second.is_async && method.find('.') == std::string_view::npos && method.substr(0, 2) != "__") return true;
  }
  auto bases = m->class_bases.find(rest);
  if (bases == m->class_bases.end()) return false;
  ++depth;
  bool found = std::any_of(bases->second.begin(), bases->second.end(), [&](const std::string& b) { return has_async_methods(b); });
  --depth;
  return found;
}

std::vector<std::string> ProjectIndex::names_typed_with(const std::function<bool(std::string_view type)>& wanted) const {
  auto mentions = [&](std::string_view type) { return wanted(type); };
  // Globals, and module-level functions whose declared or inferred result is of such a type
  // (`db = create_session()` in a module that never writes `Session`). Not methods: their
  // names (`get`, `open`) are written in most files where they mean something else, and a
  // method is reached through an object whose own name or type is already here.
  std::set<std::string> names;
  for (const auto& [mname, m] : modules_) {
    for (const auto& [g, t] : m.globals) {
      // A class attribute ("Trade.session") is used through its class's name; a proxy
      // (scoped_session) is used as what it delegates to (a Session).
      if (mentions(t) || mentions(semantic::LibraryModel::current().receiver_class(t))) names.insert(g.substr(0, g.find('.')));
    }
    for (const auto& [fname, f] : m.functions) {
      if (f.is_method || !f.result_type || fname.find('.') != std::string::npos) continue;
      const std::string& t = *f.result_type;
      if (mentions(t) || mentions(semantic::LibraryModel::current().receiver_class(t))) names.insert(fname);
    }
  }
  return {names.begin(), names.end()};
}

std::set<std::string> ProjectIndex::caller_paths(std::string_view qualname) const {
  const FunctionSummary* target = function(qualname);
  std::string want = target ? target->qualname : std::string(qualname);
  auto calls = [&](const std::vector<CallRecord>& records) {
    for (const auto& c : records) {
      const FunctionSummary* s = function(c.callee);
      if ((s && s->qualname == want) || c.callee == want) return true;
    }
    return false;
  };
  std::set<std::string> out;
  for (const auto& [mname, m] : modules_) {
    bool found = calls(m.module_calls) || calls(m.value_uses) || calls(m.lambda_calls) || calls(m.nested_calls);
    for (auto it = m.functions.begin(); !found && it != m.functions.end(); ++it) found = calls(it->second.calls);
    if (found) out.insert(m.path);
  }
  return out;
}

std::optional<std::set<std::string>> AsyncPlan::edited_files(const ProjectIndex& index) const {
  if (migration) return std::nullopt;
  std::set<std::string> out;
  for (const auto& [q, why] : make_async) {
    const FunctionSummary* f = index.function(q);
    if (!f) return std::nullopt;
    out.insert(f->path);
    for (auto& p : index.caller_paths(q)) out.insert(std::move(p));
  }
  for (const auto& s : stuck) out.insert(s.path);
  return out;
}

std::vector<const CallRecord*> ProjectIndex::callers_of(std::string_view qualname) const {
  const FunctionSummary* target = function(qualname);
  std::string want = target ? target->qualname : std::string(qualname);
  std::vector<const CallRecord*> out;
  for (const auto& [mname, m] : modules_) {
    for (const auto& [fname, f] : m.functions) {
      for (const auto& c : f.calls) {
        const FunctionSummary* s = function(c.callee);
        if ((s && s->qualname == want) || c.callee == want) out.push_back(&c);
      }
    }
    for (const auto& c : m.module_calls) {
      const FunctionSummary* s = function(c.callee);
      if ((s && s->qualname == want) || c.callee == want) out.push_back(&c);
    }
  }
  return out;
}

namespace {

// Callers are found in the files that mention a function's name: load those first.
void load_mentions(ProjectIndex& index, const std::vector<std::string>& names, int jobs) {
  std::vector<std::string> lits;
  for (const auto& n : names) lits.push_back(split_last(n).second);
  if (!lits.empty()) index.load_containing(lits, jobs);
}

// Which functions are passed to which parameters ("pkg.authenticate(get_user" -> the
// functions given there), and how many calls each function has: made once for the loaded
// modules, again when more are loaded.
class PassedFunctions {
 public:
  explicit PassedFunctions(const ProjectIndex& index) : index_(index) {}

  // The functions every call passes to parameter p of g, or nullptr when some call passes
  // something else there (a lambda, a variable) or passes nothing.
  const std::vector<std::string>* given(const FunctionSummary& g, const std::string& p) {
    refresh();
    std::string key = g.qualname + "(" + p;
    if (unknown_.count(key)) return nullptr;
    auto it = given_.find(key);
    auto calls = calls_.find(g.qualname);
    if (it == given_.end() || calls == calls_.end() || it->second.size() != calls->second) return nullptr;
    return &it->second;
  }

 private:
  void refresh() {
    if (stamp_ == index_.summaries_made()) return;
    stamp_ = index_.summaries_made();
    given_.clear();
    unknown_.clear();
    calls_.clear();
    for (const auto& [mname, m] : index_.modules()) {
      for (const auto& v : m.value_uses) {
        const FunctionSummary* g = v.passed_to.empty() ? nullptr : index_.function(v.passed_to);
        if (!g) continue;
        std::string key = g->qualname + "(" + ProjectIndex::parameter_at(*g, v.passed_at);
        const FunctionSummary* fv = index_.function(v.callee);
        if (fv) given_[key].push_back(fv->qualname);
        else unknown_.insert(key);
      }
      auto count = [&](const CallRecord& c) {
        if (const FunctionSummary* s = index_.function(c.callee)) ++calls_[s->qualname];
      };
      for (const auto& [fname, f] : m.functions) {
        for (const auto& c : f.calls) count(c);
      }
      for (const auto& c : m.module_calls) count(c);
    }
  }

  const ProjectIndex& index_;
  size_t stamp_ = SIZE_MAX;
  std::map<std::string, std::vector<std::string>> given_;
  std::set<std::string> unknown_;
  std::map<std::string, size_t> calls_;
};

// Who calls, requests or passes each function, in the loaded modules: the reverse of the
// call graph, by the qualname a call resolves to (or the callee as written, when it resolves
// to no project function). Made once for the loaded modules, again when more are loaded, so
// that following a function to its callers looks at its callers only, not at every module.
// The uses of one function are in module order, and in a module: calls at import time, in
// lambdas, in nested functions, in functions (each function's calls, then the fixtures it
// requests), passed as values.
class CallersIndex {
 public:
  struct Use {
    enum class Kind { ModuleCall, LambdaCall, NestedCall, Call, Fixture, Value } kind;
    const ModuleSummary* module;
    const FunctionSummary* function;  // Call, Fixture: the function that calls or requests
    const CallRecord* call;           // all but Fixture
  };

  explicit CallersIndex(const ProjectIndex& index) : index_(index) {}

  const std::vector<Use>& uses_of(const std::string& want) {
    refresh();
    static const std::vector<Use> kNone;
    auto it = uses_.find(want);
    return it == uses_.end() ? kNone : it->second;
  }

 private:
  void refresh() {
    if (stamp_ == index_.summaries_made()) return;
    stamp_ = index_.summaries_made();
    uses_.clear();
    auto add = [&](Use::Kind k, const ModuleSummary& m, const FunctionSummary* f, const CallRecord& c) {
      const FunctionSummary* s = index_.function(c.callee);
      uses_[s ? s->qualname : c.callee].push_back(Use{k, &m, f, &c});
    };
    for (const auto& [mname, m] : index_.modules()) {
      for (const auto& c : m.module_calls) add(Use::Kind::ModuleCall, m, nullptr, c);
      for (const auto& c : m.lambda_calls) add(Use::Kind::LambdaCall, m, nullptr, c);
      for (const auto& c : m.nested_calls) add(Use::Kind::NestedCall, m, nullptr, c);
      for (const auto& [fname, f] : m.functions) {
        for (const auto& c : f.calls) add(Use::Kind::Call, m, &f, c);
        std::set<std::string_view> requested;
        for (const auto& fx : f.fixture_requests) {
          if (requested.insert(fx).second) uses_[fx].push_back(Use{Use::Kind::Fixture, &m, &f, nullptr});
        }
      }
      for (const auto& c : m.value_uses) add(Use::Kind::Value, m, nullptr, c);
    }
  }

  const ProjectIndex& index_;
  size_t stamp_ = SIZE_MAX;
  std::unordered_map<std::string, std::vector<Use>> uses_;
};

// Await propagation from one seed (plan_async): the functions that become async with it,
// and the callers that cannot await.
class SeedPropagation {
 public:
  SeedPropagation(const ProjectIndex& index, PassedFunctions& passed, CallersIndex& callers, const std::string& seed,
                  const std::string& seed_reason)
      : index_(index), passed_(passed), callers_(callers), chain_{{seed, seed_reason}} {}

  // Finds the callers of fq in the loaded modules; the sync ones that become async in turn
  // go to *next.
  void find_callers(const std::string& fq, std::vector<std::string>* next) {
    const FunctionSummary* target = index_.function(fq);
    std::string want = target ? target->qualname : fq;
    // A sync entry point stays a plain function (running its async body): its callers and
    // the places it is passed are fine as they are.
    if (target && target->sync_entry) {
      sync_entries_.insert(want);
      return;
    }
    for (const CallersIndex::Use& u : callers_.uses_of(want)) {
      const ModuleSummary& m = *u.module;
      switch (u.kind) {
        case CallersIndex::Use::Kind::ModuleCall:
          reasons_.push_back(m.path + ":" + std::to_string(u.call->pos.line) + ": called at import time by module code, which cannot await");
          stuck_.push_back(AsyncPlan::Stuck{m.path, u.call->pos, want, "", false});
          break;
        case CallersIndex::Use::Kind::LambdaCall:
        case CallersIndex::Use::Kind::NestedCall: {
          bool lambda = u.kind == CallersIndex::Use::Kind::LambdaCall;
          reasons_.push_back(m.path + ":" + std::to_string(u.call->pos.line) + ": called in " +
                             (lambda ? "a lambda" : "a nested function") + ", which cannot await");
          stuck_.push_back(AsyncPlan::Stuck{m.path, u.call->pos, want, u.call->caller, false,
                                            lambda ? AsyncPlan::Stuck::Where::Lambda : AsyncPlan::Stuck::Where::Nested});
          break;
        }
        case CallersIndex::Use::Kind::Call:
          // A sync function that calls want without await joins the chain.
          if (!u.call->awaited && !u.function->is_async) join(*u.function, "calls `" + want + "`, which becomes async", next);
          break;
        case CallersIndex::Use::Kind::Fixture:
          // A test or fixture that requests an async fixture runs on the event loop with it.
          if (!u.function->is_async)
            join(*u.function, "requests the fixture `" + split_last(want).second + "`, which becomes async", next);
          break;
        case CallersIndex::Use::Kind::Value:
          record_value_use(m, *u.call, want, next);
          break;
      }
    }
  }

  // Why the seed cannot become async (empty: nothing stops it).
  std::vector<std::string>& reasons() { return reasons_; }

  // Merges the chain into the plan, and with with_stuck the callers that cannot await
  // (one per place).
  void merge_into(AsyncPlan& plan, bool with_stuck) {
    for (auto& [q, why] : chain_) plan.make_async.emplace(q, why);
    plan.awaited_params.insert(awaited_params_.begin(), awaited_params_.end());
    plan.sync_entries.insert(sync_entries_.begin(), sync_entries_.end());
    if (!with_stuck) return;
    for (auto& st : stuck_) {
      bool dup = std::any_of(plan.stuck.begin(), plan.stuck.end(), [&](const AsyncPlan::Stuck& o) {
        return o.path == st.path && o.pos.line == st.pos.line && o.pos.col == st.pos.col;
      });
      if (!dup) plan.stuck.push_back(std::move(st));
    }
  }

 private:
  void join(const FunctionSummary& f, std::string why, std::vector<std::string>* next) {
    if (chain_.count(f.qualname)) return;
    if (!f.async_blocker.empty()) {
      // It stays sync: the call there cannot be awaited, and is reported where it is.
      reasons_.push_back(f.path + ":" + std::to_string(f.pos.line) + ": `" + split_last(f.qualname).second + "` " + f.async_blocker);
      return;
    }
    chain_.emplace(f.qualname, std::move(why));
    next->push_back(f.qualname);
  }

  void record_value_use(const ModuleSummary& m, const CallRecord& u, const std::string& want, std::vector<std::string>* next) {
    if (awaits_through_parameter(u, want, next)) return;
    reasons_.push_back(m.path + ":" + std::to_string(u.pos.line) + ": `" + split_last(want).second +
                       "` is passed as a value (a callback that will not be awaited)");
    stuck_.push_back(AsyncPlan::Stuck{m.path, u.pos, want, u.caller, true, AsyncPlan::Stuck::Where::Value});
  }

  // `authenticate(get_user, ...)` where authenticate calls its parameter: authenticate
  // becomes async and awaits that call, when every call of it passes a project function
  // there; those functions all become async too (each is awaited now).
  bool awaits_through_parameter(const CallRecord& u, const std::string& want, std::vector<std::string>* next) {
    if (u.passed_to.empty()) return false;
    const FunctionSummary* g = index_.function(u.passed_to);
    if (!g) return false;
    std::string p = ProjectIndex::parameter_at(*g, u.passed_at);
    if (p.empty() || std::none_of(g->param_calls.begin(), g->param_calls.end(), [&](const CallRecord& pc) { return pc.callee == p; }))
      return false;
    const std::vector<std::string>* given = passed_.given(*g, p);  // the functions every call passes there
    if (!given) return false;
    awaited_params_.insert(g->qualname + "(" + p);
    auto join = [&](const std::string& q, std::string why) {
      const FunctionSummary* s = index_.function(q);
      if (!s || s->is_async || chain_.count(s->qualname)) return;
      chain_.emplace(s->qualname, std::move(why));
      next->push_back(s->qualname);
    };
    join(g->qualname, "calls its parameter `" + p + "`, which is given `" + split_last(want).second + "`, which becomes async");
    for (const auto& q : *given) join(q, "is passed to `" + split_last(g->qualname).second + "`, which now awaits what it is given");
    return true;
  }

  const ProjectIndex& index_;
  PassedFunctions& passed_;
  CallersIndex& callers_;
  std::set<std::string> awaited_params_, sync_entries_;
  std::map<std::string, std::string> chain_;  // function -> why it becomes async
  std::vector<std::string> reasons_;
  std::vector<AsyncPlan::Stuck> stuck_;
};

}  // namespace

AsyncPlan ProjectIndex::plan_async(const std::vector<std::string>& seeds, int jobs, bool stop_at_blockers,
                                   const std::string& seed_reason) {
  AsyncPlan plan_;
  PassedFunctions passed(*this);
  CallersIndex callers(*this);
  for (const std::string& seed : seeds) {
    if (plan_.make_async.count(seed)) continue;
    SeedPropagation propagation(*this, passed, callers, seed, seed_reason);
    std::vector<std::string> work{seed};
    while (!work.empty()) {
      std::vector<std::string> next;
      load_mentions(*this, work, jobs);
      for (const std::string& fq : work) propagation.find_callers(fq, &next);
      work = std::move(next);
    }
    if (propagation.reasons().empty() || !stop_at_blockers) {
      propagation.merge_into(plan_, !stop_at_blockers);
    } else {
      plan_.blocked[seed] = std::move(propagation.reasons());
    }
  }
  return plan_;
}

}  // namespace asyncfix
