#include "engine/syntax/compile_check.h"

#include <algorithm>
#include <cstring>

#include "engine/syntax/node.h"
#include "engine/syntax/ts.h"

namespace asyncfix::syntax {

namespace {

// What the check needs to know of a node, by its grammar symbol: looked up once per symbol
// (every file's every node is visited, so no string compares per node).
enum class Code : uint8_t {
  Other,
  Function, Class, Lambda,
  ListComp, SetComp, DictComp, GenExp, ForIn,
  Await, With, For, While, Yield, Return, Break, Continue, Try, Except, Comment,
  KwAsync, KwFrom, KwStar, KwColon,  // anonymous tokens
};

struct Codes {
  std::vector<Code> by_symbol;
  TSFieldId body = 0, right = 0;

  Codes() {
    const TSLanguage* lang = python();
    uint32_t n = ts_language_symbol_count(lang);
    by_symbol.assign(n, Code::Other);
    static const std::pair<const char*, Code> named[] = {
        {"function_definition", Code::Function}, {"class_definition", Code::Class}, {"lambda", Code::Lambda},
        {"list_comprehension", Code::ListComp}, {"set_comprehension", Code::SetComp},
        {"dictionary_comprehension", Code::DictComp}, {"generator_expression", Code::GenExp},
        {"for_in_clause", Code::ForIn}, {"await", Code::Await}, {"with_statement", Code::With},
        {"for_statement", Code::For}, {"while_statement", Code::While}, {"yield", Code::Yield},
        {"return_statement", Code::Return}, {"break_statement", Code::Break},
        {"continue_statement", Code::Continue}, {"try_statement", Code::Try}, {"except_clause", Code::Except},
        {"comment", Code::Comment}};
    static const std::pair<const char*, Code> tokens[] = {
        {"async", Code::KwAsync}, {"from", Code::KwFrom}, {"*", Code::KwStar}, {":", Code::KwColon}};
    for (uint32_t s = 0; s < n; ++s) {
      auto sym = static_cast<TSSymbol>(s);
      const char* name = ts_language_symbol_name(lang, sym);
      if (!name) continue;
      bool is_named = ts_language_symbol_type(lang, sym) == TSSymbolTypeRegular;
      const auto* b = is_named ? std::begin(named) : std::begin(tokens);
      const auto* e = is_named ? std::end(named) : std::end(tokens);
      for (const auto* p = b; p != e; ++p) {
        if (std::strcmp(p->first, name) == 0) by_symbol[s] = p->second;
      }
    }
    body = ts_language_field_id_for_name(lang, "body", 4);
    right = ts_language_field_id_for_name(lang, "right", 5);
  }
  Code of(TSNode n) const {
    TSSymbol s = ts_node_symbol(n);
    return s < by_symbol.size() ? by_symbol[s] : Code::Other;
  }
};

const Codes& codes() {
  static const Codes c;
  return c;
}

// The scopes Python compiles separately. A comprehension is a scope of its own (its first
// iterable is evaluated in the enclosing one); a generator expression is one that may be
// asynchronous anywhere, so an `await` in it never reaches further out.
enum class ScopeKind { Module, Class, Function, AsyncFunction, Lambda, Comprehension, GeneratorExpression };

struct Scope {
  ScopeKind kind;
  int parent = -1;
  TSNode node{};
  bool awaits = false;     // a comprehension that awaits or has an `async for` clause
  bool has_yield = false;  // a function that yields: a generator
  std::vector<TSNode> value_returns;  // `return value` statements of an async def
};

// Where a node is, for the node at each depth of the walk.
struct Frame {
  Code code = Code::Other;
  int scope = 0;               // the scope the node is in
  int inner = -1;              // the scope it opens (a def, class, lambda, comprehension)
  bool in_loop = false;        // in a loop's body, in the same scope
  bool first_clause = false;   // the first `for ... in` of a comprehension
  bool seen_clause = false;    // (a comprehension) its first `for ... in` was entered
};

const char* comprehension_words(Code c) {
  if (c == Code::ListComp) return "list comprehension";
  if (c == Code::SetComp) return "set comprehension";
  if (c == Code::DictComp) return "dict comprehension";
  return "generator expression";
}

class Checker {
 public:
  explicit Checker(TSNode root) : cursor_(ts_tree_cursor_new(root)), codes_(codes()) { frames_.reserve(64); }
  ~Checker() { ts_tree_cursor_delete(&cursor_); }
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // One walk with the cursor: enter a node, its children, leave it.
  std::vector<CompileError> run(TSNode root) {
    scopes_.push_back(Scope{ScopeKind::Module, -1, root});
    frames_.push_back(Frame{codes_.of(root), 0, -1, false});
    size_t depth = 0;
    for (;;) {
      bool descend = depth == 0;
      if (depth > 0) {
        if (frames_.size() <= depth) frames_.resize(depth + 1);
        descend = enter(ts_tree_cursor_current_node(&cursor_), ts_tree_cursor_current_field_id(&cursor_),
                        frames_[depth - 1], frames_[depth]);
      }
      if (descend && ts_tree_cursor_goto_first_child(&cursor_)) {
        ++depth;
        continue;
      }
      for (;;) {
        if (frames_[depth].inner >= 0) leave(frames_[depth].inner);
        if (depth == 0) return finish();
        if (ts_tree_cursor_goto_next_sibling(&cursor_)) break;
        ts_tree_cursor_goto_parent(&cursor_);
        --depth;
      }
    }
  }

  // The same over the flattened tree (pre-order, each node's parent and field at hand).
  std::vector<CompileError> run(const NodeTable& t, uint32_t root) {
    scopes_.push_back(Scope{ScopeKind::Module, -1, t.node(root)});
    uint32_t stop = t.end(root);
    frames_.assign(stop - root, Frame{});
    frames_[0] = Frame{codes_.of(t.node(root)), 0, -1, false};
    std::vector<std::pair<uint32_t, int>> open;  // (end of the node, the scope it opened)
    for (uint32_t i = root + 1; i < stop;) {
      while (!open.empty() && open.back().first <= i) {
        leave(open.back().second);
        open.pop_back();
      }
      Frame& f = frames_[i - root];
      bool descend = enter(t.node(i), t.field_id(i), frames_[t.parent(i) - root], f);
      if (f.inner >= 0) open.emplace_back(t.end(i), f.inner);
      i = descend ? i + 1 : t.end(i);
    }
    for (; !open.empty(); open.pop_back()) leave(open.back().second);
    return finish();
  }

 private:
  std::vector<CompileError> finish() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const CompileError& a, const CompileError& b) { return a.begin < b.begin; });
    return std::move(errors_);
  }

  std::vector<Scope> scopes_;
  std::vector<Frame> frames_;  // by depth
  std::vector<CompileError> errors_;
  TSTreeCursor cursor_;
  const Codes& codes_;

  void error(CompileError::Kind k, uint32_t b, uint32_t e, std::string message, TSNode where = TSNode{}) {
    errors_.push_back(CompileError{k, b, e, std::move(message), where});
  }
  void error(CompileError::Kind k, TSNode n, std::string message, TSNode where = TSNode{}) {
    error(k, start(n), end(n), std::move(message), where);
  }

  bool starts_with_async(TSNode n) const {
    TSNode first = ts_node_child(n, 0);
    return !is_null(first) && codes_.of(first) == Code::KwAsync;
  }

  int open(ScopeKind k, int parent, TSNode n) {
    scopes_.push_back(Scope{k, parent, n});
    return static_cast<int>(scopes_.size()) - 1;
  }

  // Enters node n, in field `field_id` of the node whose frame is `up`: works out its scope,
  // opens the scope it starts, checks it, and leaves all that in `f`. False when its children
  // are not to be visited (an ERROR node: a syntax error already).
  bool enter(TSNode n, TSFieldId field_id, Frame& up, Frame& f) {
    f = Frame{};
    f.code = codes_.of(n);
    if (f.code == Code::Other && ts_node_child_count(n) == 0) return false;  // a name, a keyword
    if (ts_node_is_error(n) || ts_node_is_missing(n)) return false;
    f.scope = up.scope;
    f.in_loop = up.in_loop;
    switch (up.code) {
      case Code::Function:
      case Code::Class:
      case Code::Lambda:
        // The body is the new scope (and no loop); decorators, defaults, bases and
        // annotations are evaluated where the definition is.
        if (field_id == codes_.body) {
          f.scope = up.inner;
          f.in_loop = false;
        }
        break;
      case Code::ListComp:
      case Code::SetComp:
      case Code::DictComp:
      case Code::GenExp:
        f.scope = up.inner;
        if (f.code == Code::ForIn && !up.seen_clause) {
          f.first_clause = true;
          up.seen_clause = true;
        }
        break;
      case Code::ForIn:
        // The first clause's iterable is evaluated outside the comprehension.
        if (up.first_clause && field_id == codes_.right) f.scope = scopes_[up.scope].parent;
        break;
      case Code::For:
      case Code::While:
        if (field_id == codes_.body) f.in_loop = true;
        break;
      default: break;
    }
    switch (f.code) {
      case Code::Function:
        f.inner = open(starts_with_async(n) ? ScopeKind::AsyncFunction : ScopeKind::Function, f.scope, n);
        break;
      case Code::Class: f.inner = open(ScopeKind::Class, f.scope, n); break;
      case Code::Lambda: f.inner = open(ScopeKind::Lambda, f.scope, n); break;
      case Code::ListComp:
      case Code::SetComp:
      case Code::DictComp: f.inner = open(ScopeKind::Comprehension, f.scope, n); break;
      case Code::GenExp: f.inner = open(ScopeKind::GeneratorExpression, f.scope, n); break;
      case Code::ForIn:
        if (starts_with_async(n)) scopes_[f.scope].awaits = true;
        break;
      default: check(n, f); break;
    }
    return true;
  }

  // The checks of one node in its scope.
  void check(TSNode n, const Frame& f) {
    const int s = f.scope;
    const Code code = f.code;
    switch (code) {
      case Code::Await: check_await(n, s); break;
      case Code::With:
      case Code::For:
        if (starts_with_async(n) && scopes_[s].kind != ScopeKind::AsyncFunction) {
          bool with = code == Code::With;
          // The header only (`async with ...:`), not the block: the error is about the keyword.
          TSNode body = field(n, "body");
          uint32_t e = is_null(body) ? end(n) : start(body);
          error(with ? CompileError::Kind::AsyncWithOutsideAsync : CompileError::Kind::AsyncForOutsideAsync, start(n),
                e, with ? "'async with' outside async function" : "'async for' outside async function",
                scopes_[s].node);
        }
        break;
      case Code::Yield: check_yield(n, s); break;
      case Code::Return: check_return(n, s); break;
      case Code::Break:
      case Code::Continue:
        if (!f.in_loop) {
          error(CompileError::Kind::BreakOutsideLoop, n,
                code == Code::Break ? "'break' outside loop" : "'continue' not properly in loop");
        }
        break;
      case Code::Try: check_except_kinds(n); break;
      default: break;
    }
  }

  void check_await(TSNode n, int s) {
    switch (scopes_[s].kind) {
      case ScopeKind::Module:
      case ScopeKind::Class:
        error(CompileError::Kind::AwaitOutsideFunction, n, "'await' outside function", scopes_[s].node);
        break;
      case ScopeKind::Function:
      case ScopeKind::Lambda:
        error(CompileError::Kind::AwaitOutsideAsync, n, "'await' outside async function", scopes_[s].node);
        break;
      case ScopeKind::Comprehension:
      case ScopeKind::GeneratorExpression: scopes_[s].awaits = true; break;
      case ScopeKind::AsyncFunction: break;
    }
  }

  void check_return(TSNode n, int s) {
    ScopeKind sk = scopes_[s].kind;
    if (sk == ScopeKind::Module || sk == ScopeKind::Class) {
      error(CompileError::Kind::ReturnOutsideFunction, n, "'return' outside function");
    } else if (sk == ScopeKind::AsyncFunction && ts_node_named_child_count(n) > 0) {
      if (codes_.of(ts_node_named_child(n, 0)) != Code::Comment) scopes_[s].value_returns.push_back(n);
    }
  }

  void check_yield(TSNode n, int s) {
    Scope& sc = scopes_[s];
    bool from = false;
    for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i) from |= codes_.of(ts_node_child(n, i)) == Code::KwFrom;
    switch (sc.kind) {
      case ScopeKind::Module:
      case ScopeKind::Class: error(CompileError::Kind::YieldOutsideFunction, n, "'yield' outside function"); break;
      case ScopeKind::Comprehension:
      case ScopeKind::GeneratorExpression:
        error(CompileError::Kind::YieldInComprehension, n,
              std::string("'yield' inside ") + comprehension_words(codes_.of(sc.node)));
        break;
      case ScopeKind::AsyncFunction:
        sc.has_yield = true;
        if (from) error(CompileError::Kind::YieldFromInAsync, n, "'yield from' inside async function");
        break;
      case ScopeKind::Function:
      case ScopeKind::Lambda: sc.has_yield = true; break;
    }
  }

  void check_except_kinds(TSNode n) {
    bool plain = false, star = false;
    for (uint32_t k = 0, count = ts_node_named_child_count(n); k < count; ++k) {
      TSNode c = ts_node_named_child(n, k);
      if (codes_.of(c) != Code::Except) continue;
      bool is_star = false;
      uint32_t colon = 0;
      for (uint32_t i = 0, m = ts_node_child_count(c); i < m; ++i) {
        Code t = codes_.of(ts_node_child(c, i));
        is_star |= t == Code::KwStar;
        if (t == Code::KwColon && !colon) colon = end(ts_node_child(c, i));
      }
      if ((is_star && plain) || (!is_star && star)) {
        // Reported at the first clause of the other kind: its header `except ...:` only.
        error(CompileError::Kind::ExceptMixed, start(c), colon ? colon : end(c),
              "cannot have both 'except' and 'except*' on the same 'try'");
        return;
      }
      (is_star ? star : plain) = true;
    }
  }

  void leave(int s) {
    Scope& sc = scopes_[s];
    if (sc.kind == ScopeKind::AsyncFunction && sc.has_yield) {
      for (TSNode r : sc.value_returns)
        error(CompileError::Kind::ReturnInAsyncGenerator, r, "'return' with value in async generator");
    }
    if (sc.kind != ScopeKind::Comprehension || !sc.awaits) return;
    // An asynchronous list, set or dict comprehension needs an async def around it, or a
    // comprehension (which becomes asynchronous in turn; a generator expression simply is).
    Scope& up = scopes_[sc.parent];
    if (up.kind == ScopeKind::AsyncFunction || up.kind == ScopeKind::GeneratorExpression) return;
    if (up.kind == ScopeKind::Comprehension) {
      up.awaits = true;
      return;
    }
    error(CompileError::Kind::AsyncComprehension, sc.node, "asynchronous comprehension outside of an asynchronous function",
          up.node);
  }
};

}  // namespace

std::vector<CompileError> compile_errors(TSNode root) {
  if (is_null(root)) return {};
  if (const NodeTable* t = NodeTable::find(root.tree)) {
    if (auto i = t->index_of(root)) return Checker(root).run(*t, *i);
  }
  return Checker(root).run(root);
}

}  // namespace asyncfix::syntax
