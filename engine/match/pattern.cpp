#include "engine/match/pattern.h"

#include <algorithm>
#include <set>

#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix {

using syntax::kind;
using syntax::text;

namespace {

constexpr std::string_view kSingle = "_af_mv_";
constexpr std::string_view kMulti = "_af_mvs_";

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::string encode_metavariables(std::string_view t, std::vector<std::pair<uint32_t, uint32_t>>* mapping) {
  std::string out;
  out.reserve(t.size() + 16);
  for (size_t i = 0; i < t.size();) {
    if (t[i] == '$') {
      bool multi = t.substr(i, 3) == "$$$";
      size_t name_at = i + (multi ? 3 : 1);
      size_t end = name_at;
      if (end < t.size() && is_name_start(t[end])) {
        while (end < t.size() && is_name_char(t[end])) ++end;
      }
      std::string_view name = t.substr(name_at, end - name_at);
      if (multi || !name.empty()) {
        if (mapping) mapping->emplace_back(static_cast<uint32_t>(out.size()), static_cast<uint32_t>(i));
        out += multi ? kMulti : kSingle;
        out += name.empty() ? "_" : std::string(name);
        if (mapping) mapping->emplace_back(static_cast<uint32_t>(out.size()), static_cast<uint32_t>(end));
        i = end;
        continue;
      }
    }
    out += t[i++];
  }
  return out;
}

uint32_t original_offset(const std::vector<std::pair<uint32_t, uint32_t>>& mapping, uint32_t encoded) {
  // Between anchors offsets move together; inside a placeholder they map to its `$`.
  uint32_t enc = 0, orig = 0;
  for (size_t k = 0; k + 1 < mapping.size(); k += 2) {
    auto [e_start, o_start] = mapping[k];
    auto [e_end, o_end] = mapping[k + 1];
    if (encoded < e_start) break;
    if (encoded < e_end) return o_start;
    enc = e_end;
    orig = o_end;
  }
  return orig + (encoded - enc);
}

bool decode_placeholder(std::string_view id, std::string* name, bool* multi) {
  if (id.substr(0, kMulti.size()) == kMulti) {
    *multi = true;
    *name = std::string(id.substr(kMulti.size()));
  } else if (id.substr(0, kSingle.size()) == kSingle) {
    *multi = false;
    *name = std::string(id.substr(kSingle.size()));
  } else {
    return false;
  }
  if (!name->empty() && (*name)[0] == '_') name->clear();  // $_ and $_X capture nothing
  return true;
}

bool same_tokens(TSNode a, TSNode b, std::string_view src) {
  std::vector<std::string_view> ta, tb;
  auto leaves = [&](TSNode n, std::vector<std::string_view>& out) {
    syntax::walk(n, [&](TSNode x) {
      if (kind(x) == "comment") return false;
      if (ts_node_child_count(x) == 0 || syntax::is(x, "string")) {
        out.push_back(text(x, src));
        return false;
      }
      return true;
    });
  };
  leaves(a, ta);
  leaves(b, tb);
  return ta == tb;
}

namespace {

// Kinds compared as a whole, by their text.
bool is_leaf_kind(std::string_view k) {
  return k == "string" || k == "concatenated_string" || k == "integer" || k == "float" ||
         k == "true" || k == "false" || k == "none" || k == "ellipsis" || k == "escape_sequence";
}

bool ignorable(TSNode n) {
  std::string_view k = kind(n);
  return k == "comment" || k == "line_continuation" || (!ts_node_is_named(n) && k == ",");
}

// The children that matching compares, with their field names.
struct Child {
  TSNode node{};
  std::string_view field;
};
std::vector<Child> significant_children(TSNode n) {
  std::vector<Child> out;
  syntax::TreeCursor c(n);
  if (!c.first_child()) return out;
  do {
    TSNode k = c.node();
    if (ignorable(k)) continue;
    const char* f = c.field_name();
    out.push_back(Child{k, f ? std::string_view(f) : std::string_view()});
  } while (c.next_sibling());
  return out;
}

bool all_identifier_chain(TSNode n) {
  if (syntax::is(n, "identifier")) return true;
  if (!syntax::is(n, "attribute")) return false;
  return all_identifier_chain(syntax::field(n, "object"));
}

std::string chain_text(TSNode n, std::string_view src) {
  if (syntax::is(n, "identifier")) return std::string(text(n, src));
  return chain_text(syntax::field(n, "object"), src) + "." + std::string(text(syntax::field(n, "attribute"), src));
}

TSNode chain_root(TSNode n) {
  while (syntax::is(n, "attribute")) n = syntax::field(n, "object");
  return n;
}

class Builder {
 public:
  Builder(std::string_view src, const semantic::SemanticModel& model) : src_(src) {
    for (TSNode r : model.references()) refs_.insert(ts_node_start_byte(r));
  }

  PatternNode build(TSNode n, std::string_view field) {
    PatternNode p;
    p.field = std::string(field);
    std::string_view k = kind(n);
    if (!ts_node_is_named(n)) {
      p.type = PatternNode::Type::Token;
      p.text = std::string(text(n, src_));
      return p;
    }
    std::string name;
    bool multi = false;
    if (k == "identifier" && decode_placeholder(text(n, src_), &name, &multi)) {
      p.type = multi ? PatternNode::Type::MultiMetavar : PatternNode::Type::Metavar;
      p.text = name;
      note_metavar(name);
      return p;
    }
    // A statement or a dotted name that is only a metavariable stands for the whole node.
    if (k == "expression_statement" || k == "dotted_name") {
      auto kids = syntax::code_children(n);
      if (kids.size() == 1 && syntax::is(kids[0], "identifier") &&
          decode_placeholder(text(kids[0], src_), &name, &multi)) {
        p.type = multi ? PatternNode::Type::MultiMetavar : PatternNode::Type::Metavar;
        p.text = name;
        note_metavar(name);
        return p;
      }
    }
    if ((k == "identifier" || k == "attribute") && all_identifier_chain(n) &&
        refs_.count(ts_node_start_byte(chain_root(n))) && !has_placeholder(n)) {
      p.type = PatternNode::Type::QualName;
      p.kind = std::string(k);
      p.text = chain_text(n, src_);
      return p;
    }
    if (is_leaf_kind(k) || ts_node_child_count(n) == 0) {
      p.type = PatternNode::Type::Leaf;
      p.kind = std::string(k);
      p.text = std::string(text(n, src_));
      return p;
    }
    p.type = PatternNode::Type::Node;
    p.kind = std::string(k);
    for (const Child& c : significant_children(n)) p.children.push_back(build(c.node, c.field));
    return p;
  }

  std::vector<std::string> metavars;

 private:
  bool has_placeholder(TSNode n) {
    bool found = false;
    syntax::walk(n, [&](TSNode x) {
      std::string nm;
      bool m;
      if (syntax::is(x, "identifier") && decode_placeholder(text(x, src_), &nm, &m)) found = true;
      return !found;
    });
    return found;
  }
  void note_metavar(const std::string& name) {
    if (!name.empty() && std::find(metavars.begin(), metavars.end(), name) == metavars.end()) metavars.push_back(name);
  }

  std::string_view src_;
  std::set<uint32_t> refs_;
};

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Query text for a pattern node: the fields below it, recursively; sequences (children
// without a field, where `$$$` and comments live) are left to the full match.
class QueryWriter {
 public:
  std::string write(const PatternNode& root) {
    std::string body = node(root);
    return "(" + body + " @_root" + preds_ + ")";
  }

 private:
  std::string node(const PatternNode& p) {
    switch (p.type) {
      case PatternNode::Type::Metavar:
      case PatternNode::Type::MultiMetavar:
      case PatternNode::Type::Token:
        return "(_)";
      case PatternNode::Type::QualName: {
        std::string cap = "@_q" + std::to_string(n_++);
        preds_ += " (#af-qualname? " + cap + " " + quote(p.text) + ")";
        return "[(identifier) (attribute)] " + cap;
      }
      case PatternNode::Type::Leaf: {
        if (p.kind == "string" || p.kind == "concatenated_string") return "(" + p.kind + ")";
        std::string cap = "@_l" + std::to_string(n_++);
        preds_ += " (#eq? " + cap + " " + quote(p.text) + ")";
        return "(" + p.kind + ") " + cap;
      }
      case PatternNode::Type::Node:
        break;
    }
    std::string out = "(" + p.kind;
    for (const PatternNode& c : p.children) {
      if (c.field.empty() || c.type == PatternNode::Type::Token || c.type == PatternNode::Type::MultiMetavar)
        continue;
      size_t same_field = std::count_if(p.children.begin(), p.children.end(),
                                        [&](const PatternNode& o) { return o.field == c.field; });
      if (same_field != 1) continue;
      if (c.type == PatternNode::Type::Metavar) continue;  // any node: no constraint
      out += " " + c.field + ": " + node(c);
    }
    return out + ")";
  }

  std::string preds_;
  int n_ = 0;
};

// The best trigger: the longest literal the source must contain wherever the pattern matches.
void collect_literals(const PatternNode& p, std::vector<std::string>& out) {
  switch (p.type) {
    case PatternNode::Type::QualName: {
      // Every part of a qualified name is spelled somewhere in a file that uses it: at the
      // use, or in the import statement that binds it (`from requests import get as g`).
      size_t b = 0;
      while (b <= p.text.size()) {
        size_t e = p.text.find('.', b);
        if (e == std::string::npos) e = p.text.size();
        out.push_back(p.text.substr(b, e - b));
        b = e + 1;
      }
      return;
    }
    case PatternNode::Type::Leaf:
      if (p.kind == "identifier" || p.kind == "integer") out.push_back(p.text);
      return;
    case PatternNode::Type::Token: {
      bool word = !p.text.empty() && std::all_of(p.text.begin(), p.text.end(), [](char c) { return isalpha(static_cast<unsigned char>(c)); });
      if (word) out.push_back(p.text);
      return;
    }
    default:
      for (const auto& c : p.children) collect_literals(c, out);
  }
}

class Matcher {
 public:
  Matcher(const MatchInput& in, MetaEnv& env) : in_(in), env_(env) {}

  bool node(const PatternNode& p, TSNode t) {
    switch (p.type) {
      case PatternNode::Type::Metavar:
        if (!ts_node_is_named(t)) return false;
        return bind(p.text, t);
      case PatternNode::Type::MultiMetavar:
        return false;  // only inside sequences
      case PatternNode::Type::Token:
        return !ts_node_is_named(t) && text(t, in_.text) == p.text;
      case PatternNode::Type::Leaf:
        return ts_node_is_named(t) && kind(t) == p.kind && text(t, in_.text) == p.text;
      case PatternNode::Type::QualName:
        if (!syntax::is(t, "identifier") && !syntax::is(t, "attribute")) return false;
        return in_.model().name_matches(t, p.text);
      case PatternNode::Type::Node:
        if (!ts_node_is_named(t) || kind(t) != p.kind) return false;
        return sequence(p.children, 0, significant_children(t), 0, t);
    }
    return false;
  }

 private:
  bool bind(const std::string& name, TSNode t) {
    if (name.empty()) return true;
    auto it = env_.find(name);
    if (it != env_.end()) {
      return !it->second.multi && it->second.nodes.size() == 1 && same_tokens(it->second.nodes[0], t, in_.text);
    }
    env_[name] = Capture{{t}, ts_node_start_byte(t), ts_node_end_byte(t), false};
    return true;
  }

  bool bind_run(const std::string& name, const std::vector<Child>& kids, size_t from, size_t to, uint32_t at) {
    if (name.empty()) return true;
    Capture c;
    c.multi = true;
    for (size_t i = from; i < to; ++i) {
      if (ts_node_is_named(kids[i].node)) c.nodes.push_back(kids[i].node);
    }
    c.begin = from < to ? ts_node_start_byte(kids[from].node) : at;
    c.end = from < to ? ts_node_end_byte(kids[to - 1].node) : at;
    auto it = env_.find(name);
    if (it != env_.end()) {
      return it->second.multi && in_.text.substr(it->second.begin, it->second.end - it->second.begin) ==
                                     in_.text.substr(c.begin, c.end - c.begin);
    }
    env_[name] = std::move(c);
    return true;
  }

  // Matches pattern children ps[i..] against the target's children ts[j..] (of `parent`).
  bool sequence(const std::vector<PatternNode>& ps, size_t i, const std::vector<Child>& ts, size_t j,
                TSNode parent) {
    if (i == ps.size()) return j == ts.size();
    const PatternNode& p = ps[i];
    if (p.type == PatternNode::Type::MultiMetavar) {
      // An empty run sits where the next child starts (in `f()`, before the `)`).
      uint32_t at = j < ts.size() ? ts_node_start_byte(ts[j].node) : ts_node_end_byte(parent);
      // Shortest run first: `f($$$A, $B)` binds B to the last argument.
      for (size_t k = j; k <= ts.size(); ++k) {
        MetaEnv saved = env_;
        if (bind_run(p.text, ts, j, k, at) && sequence(ps, i + 1, ts, k, parent)) return true;
        env_ = std::move(saved);
      }
      return false;
    }
    if (j >= ts.size()) return false;
    if (p.field != ts[j].field) return false;
    MetaEnv saved = env_;
    if (node(p, ts[j].node) && sequence(ps, i + 1, ts, j + 1, parent)) return true;
    env_ = std::move(saved);
    return false;
  }

  const MatchInput& in_;
  MetaEnv& env_;
};

}  // namespace

Expected<std::shared_ptr<const Pattern>> Pattern::compile(std::string_view text_in, std::string_view selector) {
  std::vector<std::pair<uint32_t, uint32_t>> mapping;
  std::string encoded = encode_metavariables(text_in, &mapping);
  syntax::Parser parser;
  auto tree = parser.parse(encoded, 2000);
  if (!tree) return make_error(Error::Kind::Rule, "pattern: " + tree.error().message);
  TSNode root = tree->root();

  auto where = [&](uint32_t encoded_offset) {
    uint32_t o = original_offset(mapping, encoded_offset);
    uint32_t line = 1, col = 1;
    for (uint32_t i = 0; i < o && i < text_in.size(); ++i) {
      if (text_in[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text_in[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return SourceLocation{"", line, col};
  };
  if (ts_node_has_error(root)) {
    // Point at the innermost error (tree-sitter's outer ERROR nodes often start with the
    // whole statement): the last error or missing node in pre-order.
    uint32_t at = static_cast<uint32_t>(encoded.size());
    syntax::walk(root, [&](TSNode n) {
      if (ts_node_is_missing(n)) at = ts_node_start_byte(n);
      if (ts_node_is_error(n)) {
        // Where the parser gave up: the ERROR node's last token.
        uint32_t count = ts_node_child_count(n);
        at = count ? ts_node_start_byte(ts_node_child(n, count - 1)) : ts_node_start_byte(n);
      }
      return ts_node_has_error(n) || ts_node_is_error(n);
    });
    bool one_line = text_in.find('\n') == std::string_view::npos || text_in.find('\n') == text_in.size() - 1;
    return make_error(Error::Kind::Rule,
                      one_line ? "pattern is not valid Python: `" + std::string(text_in) + "`"
                               : std::string("pattern is not valid Python"),
                      where(at));
  }

  TSNode chosen{};
  if (!selector.empty()) {
    syntax::walk(root, [&](TSNode n) {
      if (!ts_node_is_null(chosen)) return false;
      if (ts_node_is_named(n) && kind(n) == selector) {
        chosen = n;
        return false;
      }
      return true;
    });
    if (ts_node_is_null(chosen)) {
      return make_error(Error::Kind::Rule, "pattern: no `" + std::string(selector) + "` node in the context `" +
                                               std::string(text_in) + "`");
    }
  } else {
    auto stmts = syntax::code_children(root);
    if (stmts.empty()) return make_error(Error::Kind::Rule, "pattern is empty");
    if (stmts.size() > 1) {
      return make_error(Error::Kind::Rule,
                        "pattern must be one statement or expression (use `all`, `has` or `follows` "
                        "to relate several)",
                        where(ts_node_start_byte(stmts[1])));
    }
    chosen = stmts[0];
    if (syntax::is(chosen, "expression_statement")) {
      auto kids = syntax::code_children(chosen);
      if (kids.size() == 1) chosen = kids[0];
    }
  }

  auto model = semantic::SemanticModel::build(root, encoded);
  Builder b(encoded, model);
  auto p = std::make_shared<Pattern>();
  p->text_ = std::string(text_in);
  p->root_ = b.build(chosen, {});
  p->root_.field.clear();
  p->metavars_ = std::move(b.metavars);
  if (p->root_.type == PatternNode::Type::Metavar || p->root_.type == PatternNode::Type::MultiMetavar) {
    p->query_ = "((_) @_root)";
  } else if (p->root_.type == PatternNode::Type::Token) {
    return make_error(Error::Kind::Rule, "pattern matches a bare token: `" + std::string(text_in) + "`");
  } else {
    p->query_ = QueryWriter().write(p->root_);
  }
  std::vector<std::string> lits;
  collect_literals(p->root_, lits);
  for (const auto& l : lits) {
    if (l.size() > p->trigger_.size()) p->trigger_ = l;
  }
  return std::shared_ptr<const Pattern>(std::move(p));
}

bool Pattern::match(TSNode node, const MatchInput& in, MetaEnv& env) const {
  // An expression pattern also matches the statement that is just that expression, so
  // `follows: {pattern: a = open($P)}` works between statements.
  if (syntax::is(node, "expression_statement") && root_.kind != "expression_statement") {
    auto kids = syntax::code_children(node);
    if (kids.size() == 1) node = kids[0];
  }
  MetaEnv saved = env;
  Matcher m(in, env);
  bool ok;
  if (root_.type == PatternNode::Type::MultiMetavar) {
    ok = true;  // `$$$X` alone matches any node
    if (!root_.text.empty()) env[root_.text] = Capture{{node}, ts_node_start_byte(node), ts_node_end_byte(node), true};
  } else {
    ok = m.node(root_, node);
  }
  if (!ok) env = std::move(saved);
  return ok;
}

}  // namespace asyncfix
