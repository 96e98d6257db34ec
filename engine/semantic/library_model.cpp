#include "engine/semantic/library_model.h"

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace asyncfix::semantic {

// Defined by the generated file that embeds library/*.yml (cmake/embed_patterns.cmake).
struct EmbeddedLibraryFile {
  const char* name;
  std::string_view text;
};
const std::vector<EmbeddedLibraryFile>& embedded_library_files();

namespace {

bool is_dotted_name(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (char c : s) {
    if (!(c == '_' || c == '.' || std::isalnum(static_cast<unsigned char>(c)))) return false;
  }
  return s.find("..") == std::string_view::npos;
}

}  // namespace

bool is_blocking_rule(std::string_view rule) {
  return rule == "AF101" || rule == "AF102" || rule == "AF103" || rule == "AF104" || rule == "AF105" ||
         rule == "AF106" || rule == "AF107";
}

Expected<TypeExpr> TypeExpr::parse(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  size_t open = text.find('(');
  if (open == std::string_view::npos) {
    if (!is_dotted_name(text)) return make_error(Error::Kind::Config, "`" + std::string(text) + "` is not a type name");
    return TypeExpr{Kind::Named, std::string(text), nullptr};
  }
  if (text.back() != ')') return make_error(Error::Kind::Config, "`" + std::string(text) + "`: missing `)`");
  std::string_view head = trim(text.substr(0, open));
  std::string_view inner = trim(text.substr(open + 1, text.size() - open - 2));
  if (head == "factory") {
    auto e = parse(inner);
    if (!e) return e.error();
    return TypeExpr{Kind::Factory, "", std::make_shared<TypeExpr>(std::move(*e))};
  }
  Kind k;
  if (head == "instance") k = Kind::Instance;
  else if (head == "type") k = Kind::TypeOf;
  else if (head == "product") k = Kind::Product;
  else
    return make_error(Error::Kind::Config, "unknown type operator `" + std::string(head) +
                                               "` (factory, instance, type, product)");
  if (inner.size() < 2 || inner[0] != '$' || !is_dotted_name(inner.substr(1)) ||
      inner.substr(1).find('.') != std::string_view::npos)
    return make_error(Error::Kind::Config, "`" + std::string(head) + "(...)` takes an argument: $1, $2, ... or $keyword");
  return TypeExpr{k, std::string(inner.substr(1)), nullptr};
}

std::string TypeExpr::str() const {
  switch (kind) {
    case Kind::Named: return name;
    case Kind::Factory: return "factory(" + inner->str() + ")";
    case Kind::Instance: return "instance($" + name + ")";
    case Kind::TypeOf: return "type($" + name + ")";
    case Kind::Product: return "product($" + name + ")";
  }
  return name;
}

// One file's parse: every error names where it is.
class LibraryReader {
 public:
  LibraryReader(const std::string& origin, LibraryModel& m) : origin_(origin), m_(m) {}

  Error error(const YAML::Node& at, const std::string& what) const {
    const YAML::Mark m = at.Mark();
    SourceLocation loc{origin_, m.line >= 0 ? static_cast<uint32_t>(m.line + 1) : 0,
                       m.column >= 0 ? static_cast<uint32_t>(m.column + 1) : 0};
    return make_error(Error::Kind::Config, what, loc);
  }

  Status keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const char* what) const {
    if (!map.IsMap()) return error(map, std::string(what) + " must be a mapping");
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string k = it->first.as<std::string>();
      bool ok = false;
      std::string list;
      for (const char* a : allowed) {
        ok |= k == a;
        list += std::string(list.empty() ? "" : ", ") + a;
      }
      if (!ok) return error(it->first, "unknown key `" + k + "` in " + what + " (allowed: " + list + ")");
    }
    return Ok{};
  }

  Expected<std::string> scalar(const YAML::Node& n, const char* what) const {
    if (!n.IsScalar()) return error(n, std::string(what) + " must be a string");
    return n.as<std::string>();
  }

  Expected<std::string> name(const YAML::Node& n, const char* what) const {
    auto s = scalar(n, what);
    if (!s) return s;
    if (!is_dotted_name(*s)) return error(n, "`" + *s + "` is not a dotted Python name (" + what + ")");
    return s;
  }

  Expected<std::vector<std::string>> names(const YAML::Node& n, const char* what) const {
    std::vector<std::string> out;
    if (!n.IsSequence()) return error(n, std::string(what) + " must be a list");
    for (const auto& e : n) {
      auto s = name(e, what);
      if (!s) return s.error();
      out.push_back(*s);
    }
    return out;
  }

  // blocks / instead / returns / coroutine / runs of a function or method.
  Status call(const YAML::Node& n, CallFact* f) const {
    if (n["blocks"]) {
      auto r = scalar(n["blocks"], "blocks");
      if (!r) return r.error();
      if (!is_blocking_rule(*r)) return error(n["blocks"], "`blocks: " + *r + "`: a call blocks under one of AF101-AF107");
      f->rule = *r;
    }
    for (auto [key, slot] : {std::pair{"coroutine", &f->coroutine}, std::pair{"sync-entry", &f->sync_entry},
                             std::pair{"pure", &f->pure}}) {
      if (!n[key]) continue;
      auto r = scalar(n[key], key);
      if (!r) return r.error();
      if (*r != "true" && *r != "false") return error(n[key], "`" + std::string(key) + "` is true or false");
      *slot = *r == "true";
    }
    for (auto [key, slot] : {std::pair{"runs", &f->runs}, std::pair{"awaits", &f->awaits}}) {
      if (!n[key]) continue;
      auto r = scalar(n[key], key);
      if (!r) return r.error();
      if (r->size() < 2 || (*r)[0] != '$' || r->find_first_not_of("0123456789", 1) != std::string::npos || *r == "$0")
        return error(n[key], "`" + std::string(key) + ": " + *r + "`: the argument it calls, `$1`, `$2`, ... (positional)");
      *slot = std::stoi(r->substr(1));
    }
    if (n["instead"]) {
      auto r = scalar(n["instead"], "instead");
      if (!r) return r.error();
      f->instead = *r;
    }
    if (n["returns"]) {
      const YAML::Node& rs = n["returns"];
      std::vector<YAML::Node> list;
      if (rs.IsSequence()) {
        for (const auto& e : rs) list.push_back(e);
      } else {
        list.push_back(rs);
      }
      f->returns.clear();
      for (const auto& e : list) {
        auto s = scalar(e, "returns");
        if (!s) return s.error();
        auto t = TypeExpr::parse(*s);
        if (!t) return error(e, t.error().message);
        f->returns.push_back(std::move(*t));
      }
    }
    return Ok{};
  }

  Status file(const YAML::Node& root) {
    if (!root.IsMap()) return make_error(Error::Kind::Config, "a library-model file is a mapping with `asyncfix-library-model: 1`", {origin_});
    if (Status s = keys(root, {"asyncfix-library-model", "functions", "classes", "counterparts"}, "a library-model file"); !s) return s;
    if (!root["asyncfix-library-model"]) return make_error(Error::Kind::Config, "missing `asyncfix-library-model: 1` (the schema version)", {origin_, 1, 1});
    if (root["asyncfix-library-model"].as<std::string>() != "1")
      return error(root["asyncfix-library-model"], "schema version `" + root["asyncfix-library-model"].as<std::string>() +
                                                      "` is not supported by this asyncfix (it reads version 1)");
    if (const YAML::Node fs = root["functions"]) {
      if (!fs.IsSequence()) return error(fs, "`functions` must be a list");
      for (const auto& f : fs) {
        if (Status s = function(f); !s) return s;
      }
    }
    if (Status s = type_map(root["counterparts"], "counterparts", &m_.counterparts_); !s) return s;
    if (const YAML::Node cs = root["classes"]) {
      if (!cs.IsSequence()) return error(cs, "`classes` must be a list");
      for (const auto& c : cs) {
        if (Status s = klass(c); !s) return s;
      }
    }
    return Ok{};
  }

 private:
  Status aliases(const YAML::Node& n, const std::string& canonical) {
    if (!n["aliases"]) return Ok{};
    auto al = names(n["aliases"], "aliases");
    if (!al) return al.error();
    for (const auto& a : *al) m_.aliases_[a] = canonical;
    return Ok{};
  }

  Status function(const YAML::Node& f) {
    if (Status s = keys(f, {"name", "aliases", "blocks", "instead", "returns", "coroutine", "runs", "awaits", "sync-entry", "pure"}, "a function"); !s)
      return s;
    if (!f["name"]) return error(f, "a function needs a `name`");
    auto n = name(f["name"], "name");
    if (!n) return n.error();
    if (Status s = call(f, &m_.functions_[*n]); !s) return s;
    return aliases(f, *n);
  }

  Status klass(const YAML::Node& c) {
    if (Status s = keys(c, {"name", "aliases", "methods", "coroutines", "attributes", "operators", "call-returns",
                            "delegates-to", "items", "awaits-items"},
                        "a class");
        !s)
      return s;
    if (!c["name"]) return error(c, "a class needs a `name`");
    auto n = name(c["name"], "name");
    if (!n) return n.error();
    ClassFact& cls = m_.classes_[*n];
    cls.name = *n;
    if (Status s = aliases(c, *n); !s) return s;
    if (Status s = methods(c, cls); !s) return s;
    for (auto [key, slot] : {std::pair{"attributes", &cls.attributes}, std::pair{"operators", &cls.operators}}) {
      if (Status s = type_map(c[key], key, slot); !s) return s;
    }
    for (auto [key, slot] : {std::pair{"call-returns", &cls.call_returns}, std::pair{"delegates-to", &cls.delegates_to},
                             std::pair{"items", &cls.items}}) {
      if (!c[key]) continue;
      auto t = name(c[key], key);
      if (!t) return t.error();
      *slot = *t;
    }
    if (c["awaits-items"]) {
      auto r = scalar(c["awaits-items"], "awaits-items");
      if (!r) return r.error();
      if (*r != "true" && *r != "false") return error(c["awaits-items"], "`awaits-items` is true or false");
      cls.awaits_items = *r == "true";
    }
    return Ok{};
  }

  Status methods(const YAML::Node& c, ClassFact& cls) {
    if (const YAML::Node ms = c["methods"]) {
      if (!ms.IsMap()) return error(ms, "`methods` must be a mapping of method name to facts");
      for (auto it = ms.begin(); it != ms.end(); ++it) {
        auto mn = name(it->first, "method name");
        if (!mn) return mn.error();
        if (Status s = keys(it->second, {"blocks", "instead", "returns", "runs", "awaits", "sync-entry", "pure"}, "a method"); !s) return s;
        if (Status s = call(it->second, &cls.methods[*mn]); !s) return s;
      }
    }
    if (const YAML::Node co = c["coroutines"]) {
      auto list = names(co, "coroutines");
      if (!list) return list.error();
      for (const auto& n : *list) cls.methods[n].coroutine = true;
    }
    return Ok{};
  }

  Status type_map(const YAML::Node& as, const char* key, std::map<std::string, std::string, std::less<>>* slot) {
    if (!as) return Ok{};
    if (!as.IsMap()) return error(as, std::string("`") + key + "` must be a mapping to a type");
    for (auto it = as.begin(); it != as.end(); ++it) {
      auto t = name(it->second, key);
      if (!t) return t.error();
      (*slot)[it->first.as<std::string>()] = *t;
    }
    return Ok{};
  }

  std::string origin_;
  LibraryModel& m_;
};

Expected<LibraryModel> LibraryModel::parse(std::string_view yaml, const std::string& origin) {
  LibraryModel m;
  LibraryReader rd(origin, m);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (Status s = rd.file(root); !s) return s.error();
  } catch (const YAML::Exception& e) {
    return make_error(Error::Kind::Config, e.msg,
                      SourceLocation{origin, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1)});
  }
  m.index();
  return m;
}

namespace {

// What a later file says of a call adds to (or overrides) what an earlier one said.
void merge_call(CallFact& mine, const CallFact& f) {
  if (!f.rule.empty()) mine.rule = f.rule;
  if (!f.instead.empty()) mine.instead = f.instead;
  if (!f.returns.empty()) mine.returns = f.returns;
  mine.coroutine |= f.coroutine;
  if (f.runs) mine.runs = f.runs;
  if (f.awaits) mine.awaits = f.awaits;
  mine.sync_entry |= f.sync_entry;
  mine.pure |= f.pure;
}

}  // namespace

void LibraryModel::merge(const LibraryModel& o) {
  for (const auto& [a, c] : o.aliases_) aliases_[a] = c;
  for (const auto& [a, c] : o.counterparts_) counterparts_[a] = c;
  for (const auto& [n, f] : o.functions_) {
    merge_call(functions_[n], f);
  }
  for (const auto& [n, c] : o.classes_) {
    ClassFact& mine = classes_[n];
    mine.name = n;
    for (const auto& [mn, f] : c.methods) {
      merge_call(mine.methods[mn], f);
    }
    mine.awaits_items |= c.awaits_items;
    for (const auto& [k, v] : c.attributes) mine.attributes[k] = v;
    for (const auto& [k, v] : c.operators) mine.operators[k] = v;
    if (!c.call_returns.empty()) mine.call_returns = c.call_returns;
    if (!c.delegates_to.empty()) mine.delegates_to = c.delegates_to;
    if (!c.items.empty()) mine.items = c.items;
  }
  index();
}

void LibraryModel::index() {
  blocking_methods_.clear();
  coroutine_methods_.clear();
  runner_methods_.clear();
  for (const auto& [n, c] : classes_) {
    for (const auto& [mn, f] : c.methods) {
      if (!f.rule.empty()) blocking_methods_.insert(mn);
      if (f.coroutine) coroutine_methods_.insert(mn);
      if (f.runs) runner_methods_.insert(mn);
    }
  }
}

std::string LibraryModel::canonical(std::string_view q) const {
  auto it = aliases_.find(q);
  return it == aliases_.end() ? std::string(q) : it->second;
}

const CallFact* LibraryModel::function(std::string_view q) const {
  auto it = functions_.find(q);
  if (it == functions_.end()) {
    auto a = aliases_.find(q);
    if (a == aliases_.end()) return nullptr;
    it = functions_.find(a->second);
    if (it == functions_.end()) return nullptr;
  }
  return &it->second;
}

const ClassFact* LibraryModel::class_fact(std::string_view type) const {
  auto it = classes_.find(type);
  return it == classes_.end() ? nullptr : &it->second;
}

const CallFact* LibraryModel::method(std::string_view type, std::string_view name) const {
  std::string t(type);
  for (int hop = 0; hop < 4 && !t.empty(); ++hop) {
    const ClassFact* c = class_fact(t);
    if (!c) return nullptr;
    auto it = c->methods.find(name);
    if (it != c->methods.end()) return &it->second;
    t = c->delegates_to;
  }
  return nullptr;
}

std::string LibraryModel::receiver_class(std::string_view type) const {
  std::string t(type);
  for (int hop = 0; hop < 4; ++hop) {
    const ClassFact* c = class_fact(t);
    if (!c || c->delegates_to.empty()) return t;
    t = c->delegates_to;
  }
  return t;
}

std::vector<std::string> LibraryModel::blocking_names(std::string_view rule) const {
  std::set<std::string> out;
  for (const auto& [n, f] : functions_) {
    if (f.rule == rule) out.insert(n.substr(n.rfind('.') == std::string::npos ? 0 : n.rfind('.') + 1));
  }
  for (const auto& [a, c] : aliases_) {
    const CallFact* f = function(c);
    if (f && f->rule == rule) out.insert(a.substr(a.rfind('.') == std::string::npos ? 0 : a.rfind('.') + 1));
  }
  for (const auto& [n, c] : classes_) {
    for (const auto& [mn, f] : c.methods) {
      if (f.rule == rule) out.insert(mn);
    }
  }
  return {out.begin(), out.end()};
}

std::set<std::string> LibraryModel::blocking_apis(std::string_view rule) const {
  std::set<std::string> out;
  for (const auto& [n, f] : functions_) {
    if (f.rule == rule) out.insert(n);
  }
  for (const auto& [n, c] : classes_) {
    for (const auto& [mn, f] : c.methods) {
      if (f.rule == rule) out.insert(n + "." + mn);
    }
  }
  return out;
}

std::set<std::string> LibraryModel::modules_not_in(const LibraryModel& base) const {
  std::set<std::string> out;
  auto root = [](const std::string& n) { return n.substr(0, n.find('.')); };
  for (const auto& [n, f] : functions_) {
    if (!base.functions_.count(n)) out.insert(root(n));
  }
  for (const auto& [n, c] : classes_) {
    if (!base.classes_.count(n)) out.insert(root(n));
  }
  return out;
}

namespace {
// Set once before a run starts (the user's files), read by every thread after.
std::atomic<const LibraryModel*> g_current{nullptr};
std::mutex g_kept_mu;
std::vector<std::unique_ptr<LibraryModel>> g_kept;  // every model set, alive to the end
}  // namespace

const LibraryModel& LibraryModel::builtin() {
  static const LibraryModel model = [] {
    LibraryModel m;
    for (const auto& f : embedded_library_files()) {
      auto one = parse(f.text, f.name);
      // The built-in files are checked by the tests; a broken one is a build error, not a user's.
      if (!one) throw std::logic_error("built-in library model: " + one.error().to_string());
      m.merge(*one);
    }
    return m;
  }();
  return model;
}

const LibraryModel& LibraryModel::current() {
  const LibraryModel* m = g_current.load(std::memory_order_acquire);
  return m ? *m : builtin();
}

void LibraryModel::set_current(LibraryModel model) {
  std::lock_guard<std::mutex> lock(g_kept_mu);
  g_kept.push_back(std::make_unique<LibraryModel>(std::move(model)));
  g_current.store(g_kept.back().get(), std::memory_order_release);
}

}  // namespace asyncfix::semantic
