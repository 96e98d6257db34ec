// The per-file semantic model: scopes, the bindings in each, the import table, and the
// "colour" of every place in the file (inside `async def`, a plain `def`, a lambda, a class
// body, the module).
//
// Name resolution follows Python's rules, flow-insensitively: a name bound anywhere in a
// function is local to all of it; class scopes are not visible from functions nested in
// them; `global`/`nonlocal` redirect. Where one scope binds a name several times, the
// binding nearest before the use wins (the last one, for uses from nested scopes).
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace asyncfix::semantic {

enum class ScopeKind : uint8_t { Module, Class, Function, Lambda, Comprehension };

enum class BindingKind : uint8_t {
  Import,       // import a.b / import a.b as c
  FromImport,   // from a import b / from a import b as c
  Parameter,
  Assignment,   // =, +=, :=, annotated assignment
  FunctionDef,
  ClassDef,
  LoopTarget,   // for x in ...
  WithTarget,   // with ... as x
  ExceptTarget, // except E as x
  Other,        // match captures, del, ...
};

struct Binding {
  BindingKind kind = BindingKind::Other;
  TSNode name{};                // the identifier that binds (for imports: the bound name)
  TSNode statement{};           // the statement (or parameter) that creates it
  std::string qualname;       // imports only: "time", "time.sleep", "os.path"
  bool is_import() const { return kind == BindingKind::Import || kind == BindingKind::FromImport; }
};

struct Scope {
  ScopeKind kind = ScopeKind::Module;
  TSNode node{};                // module, function_definition, lambda, class_definition, comprehension
  uint32_t begin = 0, end = 0;  // the bytes whose names resolve in this scope
  bool is_async = false;      // async def (Function only)
  int parent = -1;
  std::vector<int> children;  // ordered by begin
  std::unordered_map<std::string_view, std::vector<Binding>> bindings;
  std::unordered_set<std::string_view> globals, nonlocals;
};

// Where a node sits, for the semantic rule conditions.
enum class Context : uint8_t { Module, AsyncFunction, SyncFunction, Lambda, ClassBody };

// One import statement anywhere in the file.
struct ImportStatement {
  TSNode node{};                // import_statement / import_from_statement / future_import_statement
  bool module_level = false;  // a direct child of the module
  bool is_from = false;
  bool is_future = false;
  std::string module;         // from-imports: the (absolute when known) module
  std::vector<Binding> bindings;
};

class SemanticModel {
 public:
  // Builds the model of a parsed file. module_name ("app.crud") absolutises relative imports;
  // is_package says the file is an __init__.py. Both may be empty/false.
  static SemanticModel build(TSNode root, std::string_view source, std::string module_name = {},
                             bool is_package = false);

  std::string_view source() const { return src_; }
  const std::string& module_name() const { return module_name_; }
  const Scope& scope(int id) const { return scopes_[static_cast<size_t>(id)]; }
  int scope_count() const { return static_cast<int>(scopes_.size()); }
  // The innermost scope whose names are visible at a byte offset.
  int scope_at(uint32_t offset) const;
  int scope_of(TSNode n) const { return scope_at(ts_node_start_byte(n)); }

  // The binding a name refers to at node `at`, or nullptr when it is unbound in the file
  // (a builtin, or a name from `import *`).
  const Binding* resolve(std::string_view name, TSNode at) const;
  // The scope in which `name` resolves at `at` (-1: unbound).
  int resolving_scope(std::string_view name, TSNode at) const;

  // The dotted qualified name of an identifier or attribute chain (`t.sleep` -> "time.sleep"
  // after `import time as t`; `nap` -> "time.sleep" after `from time import sleep as nap`).
  // A root name that is unbound keeps its own spelling ("open", "input"). Returns nullopt when
  // the root is bound to something other than an import (a local variable called `time` is
  // not the module), or when the expression is not a plain chain of names.
  std::optional<std::string> qualified_name(TSNode expr) const;

  // Does the identifier/attribute chain `expr` name `dotted` (a qualified name written in a
  // rule)? Through imports when the chain's root is imported (`t.sleep` is time.sleep after
  // `import time as t`); as written when the root is unbound (a builtin such as `open`). A
  // root bound to anything else (a parameter or variable called `time`) names no module.
  bool name_matches(TSNode expr, std::string_view dotted) const;

  Context context_at(TSNode n) const;
  bool inside_async(TSNode n) const { return context_at(n) == Context::AsyncFunction; }
  // The function_definition or lambda whose body holds n (comprehensions are looked through),
  // or a null node at module or class level.
  TSNode enclosing_function(TSNode n) const;

  // A function decorated as a FastAPI / Starlette route (`@app.get("/x")`, `@router.post`...).
  bool is_route_handler(TSNode function_definition) const;

  // Every identifier that reads a name, in file order.
  const std::vector<TSNode>& references() const { return references_; }
  // How many references resolve to a binding (identity by the binding's name node).
  size_t count_references(const Binding& b) const;

  const std::vector<ImportStatement>& imports() const { return imports_; }
  // Is `name` bound anywhere in the file (any scope)? Used to pick fresh names.
  bool is_bound_anywhere(std::string_view name) const;
  // Names bound or read anywhere in the file.
  const std::unordered_set<std::string_view>& all_names() const { return all_names_; }

 private:
  friend class ModelBuilder;
  std::string_view src_;
  std::string module_name_;
  bool is_package_ = false;
  std::vector<Scope> scopes_;
  std::vector<TSNode> references_;
  std::vector<ImportStatement> imports_;
  std::unordered_set<std::string_view> all_names_;
};

// Absolute module for a relative import: resolve_relative("app.api.users", false, 1, "crud")
// == "app.api.crud". Empty when it climbs above the top package or the module is unknown.
std::string resolve_relative(const std::string& module_name, bool is_package, int dots,
                             const std::string& rest);

}  // namespace asyncfix::semantic
