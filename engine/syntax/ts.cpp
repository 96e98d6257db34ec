#include "engine/syntax/ts.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" const TSLanguage* tree_sitter_python();

namespace asyncfix::syntax {

const TSLanguage* python() {
  static const TSLanguage* lang = [] {
    const TSLanguage* l = tree_sitter_python();
    // ts_parser_set_language refuses a grammar built for another ABI; check it once here
    // so every parser below can rely on it.
    TSParser* p = ts_parser_new();
    bool ok = ts_parser_set_language(p, l);
    ts_parser_delete(p);
    if (!ok) {
      std::fprintf(stderr, "asyncfix: internal error: tree-sitter-python ABI %u is not "
                           "supported by the tree-sitter core\n",
                   ts_language_abi_version(l));
      std::abort();
    }
    return l;
  }();
  return lang;
}

const SymbolNames& symbol_names() {
  static const SymbolNames names = [] {
    SymbolNames t;
    const TSLanguage* l = python();
    uint32_t count = ts_language_symbol_count(l);
    t.by_symbol.resize(count);
    for (uint32_t s = 0; s < count; ++s) {
      auto sym = static_cast<TSSymbol>(s);
      const char* name = ts_language_symbol_name(l, sym);
      if (!name) continue;
      t.by_symbol[s] = SymbolName{name, static_cast<uint32_t>(std::strlen(name)),
                                  ts_language_symbol_type(l, sym) == TSSymbolTypeRegular};
    }
    t.kind_of_symbol.assign(count, 0);
    t.kind_names.emplace_back();
    for (uint32_t s = 0; s < count; ++s) {
      const SymbolName& n = t.by_symbol[s];
      if (!n.named) continue;
      std::string_view name(n.name, n.size);
      auto it = std::find(t.kind_names.begin(), t.kind_names.end(), name);
      if (it == t.kind_names.end()) it = t.kind_names.insert(t.kind_names.end(), name);
      t.kind_of_symbol[s] = static_cast<uint16_t>(it - t.kind_names.begin());
    }
    uint32_t fields = ts_language_field_count(l);
    for (uint32_t f = 1; f <= fields; ++f) {
      const char* name = ts_language_field_name_for_id(l, static_cast<TSFieldId>(f));
      if (!name) continue;
      size_t n = std::strlen(name);
      if (t.fields_by_size.size() <= n) t.fields_by_size.resize(n + 1);
      t.fields_by_size[n].emplace_back(name, static_cast<TSFieldId>(f));
    }
    return t;
  }();
  return names;
}

uint16_t SymbolNames::kind_id(std::string_view name) const {
  for (size_t i = 1; i < kind_names.size(); ++i) {
    if (kind_names[i] == name) return static_cast<uint16_t>(i);
  }
  return kNoKind;
}

TSFieldId SymbolNames::field_id(std::string_view name) const {
  if (name.size() >= fields_by_size.size()) return 0;
  for (const auto& [n, id] : fields_by_size[name.size()]) {
    if (std::memcmp(n, name.data(), name.size()) == 0) return id;
  }
  return 0;
}

Tree::~Tree() {
  if (tree_) ts_tree_delete(tree_);
}

Tree& Tree::operator=(Tree&& o) noexcept {
  if (this != &o) {
    if (tree_) ts_tree_delete(tree_);
    tree_ = std::exchange(o.tree_, nullptr);
  }
  return *this;
}

Parser::Parser() : parser_(ts_parser_new()) {
  ts_parser_set_language(parser_, python());  // checked once in python()
}

Parser::~Parser() { ts_parser_delete(parser_); }

namespace {
struct Deadline {
  std::chrono::steady_clock::time_point until;
};
bool past_deadline(TSParseState* state) {
  auto* d = static_cast<Deadline*>(state->payload);
  return std::chrono::steady_clock::now() > d->until;
}
const char* read_string(void* payload, uint32_t byte, TSPoint, uint32_t* bytes_read) {
  auto* text = static_cast<std::string_view*>(payload);
  if (byte >= text->size()) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = static_cast<uint32_t>(text->size() - byte);
  return text->data() + byte;
}
}  // namespace

Expected<Tree> Parser::parse(std::string_view text, uint32_t timeout_ms) {
  if (text.size() > UINT32_MAX / 2) {
    return make_error(Error::Kind::Parse, "file too large to parse");
  }
  Deadline deadline{std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms)};
  TSInput input{&text, read_string, TSInputEncodingUTF8, nullptr};
  TSParseOptions options{&deadline, past_deadline};
  TSTree* tree = ts_parser_parse_with_options(parser_, nullptr, input, options);
  if (!tree) {
    ts_parser_reset(parser_);
    return make_error(Error::Kind::Parse,
                      "parsing took longer than " + std::to_string(timeout_ms) + " ms");
  }
  return Tree(tree);
}

Expected<Tree> ParseMemo::parse(std::string_view text, uint32_t timeout_ms) {
  for (const Entry& e : entries_) {
    if (e.tree && e.text == text) {
      ++hits_;
      return Tree(ts_tree_copy(e.tree.get()));
    }
  }
  ++parses_;
  auto tree = parser_.parse(text, timeout_ms);
  if (!tree) return tree;
  Entry& slot = entries_[next_];
  next_ = (next_ + 1) % 2;
  slot.text.assign(text);
  slot.tree = Tree(ts_tree_copy(tree->get()));
  return tree;
}

Query::~Query() {
  if (query_) ts_query_delete(query_);
}

Query& Query::operator=(Query&& o) noexcept {
  if (this != &o) {
    if (query_) ts_query_delete(query_);
    query_ = std::exchange(o.query_, nullptr);
  }
  return *this;
}

Expected<Query> Query::compile(std::string_view source) {
  uint32_t offset = 0;
  TSQueryError err = TSQueryErrorNone;
  TSQuery* q = ts_query_new(python(), source.data(), static_cast<uint32_t>(source.size()),
                            &offset, &err);
  if (!q) {
    const char* what = "invalid query";
    switch (err) {
      case TSQueryErrorSyntax: what = "query syntax error"; break;
      case TSQueryErrorNodeType: what = "unknown node type in query"; break;
      case TSQueryErrorField: what = "unknown field name in query"; break;
      case TSQueryErrorCapture: what = "unknown capture in query"; break;
      case TSQueryErrorStructure: what = "impossible pattern in query (no node can have this structure)"; break;
      case TSQueryErrorLanguage: what = "query language error"; break;
      default: break;
    }
    uint32_t line = 1, col = 1;
    for (uint32_t i = 0; i < offset && i < source.size(); ++i) {
      if (source[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    // Show the token at the error, which is what a user needs to find it.
    size_t end = offset;
    while (end < source.size() && end < offset + 24 && source[end] != '\n' &&
           source[end] != ' ' && source[end] != ')')
      ++end;
    std::string near(source.substr(std::min<size_t>(offset, source.size()), end - offset));
    std::string msg = what;
    if (!near.empty()) msg += " at '" + near + "'";
    return make_error(Error::Kind::Rule, msg, {"", line, col});
  }
  Query out;
  out.query_ = q;
  return out;
}

std::string_view Query::capture_name(uint32_t id) const {
  uint32_t len = 0;
  const char* s = ts_query_capture_name_for_id(query_, id, &len);
  return {s, len};
}

std::optional<uint32_t> Query::capture_index(std::string_view name) const {
  for (uint32_t i = 0; i < capture_count(); ++i) {
    if (capture_name(i) == name) return i;
  }
  return std::nullopt;
}

std::vector<Predicate> Query::predicates(uint32_t pattern_index) const {
  uint32_t count = 0;
  const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query_, pattern_index, &count);
  std::vector<Predicate> out;
  Predicate cur;
  bool have_name = false;
  for (uint32_t i = 0; i < count; ++i) {
    const TSQueryPredicateStep& s = steps[i];
    if (s.type == TSQueryPredicateStepTypeDone) {
      out.push_back(std::move(cur));
      cur = Predicate{};
      have_name = false;
      continue;
    }
    if (!have_name) {
      uint32_t len = 0;
      const char* str = ts_query_string_value_for_id(query_, s.value_id, &len);
      cur.name = std::string_view(str, len);
      have_name = true;
      continue;
    }
    PredicateArg a;
    if (s.type == TSQueryPredicateStepTypeCapture) {
      a.is_capture = true;
      a.capture = s.value_id;
    } else {
      uint32_t len = 0;
      const char* str = ts_query_string_value_for_id(query_, s.value_id, &len);
      a.text = std::string_view(str, len);
    }
    cur.args.push_back(a);
  }
  return out;
}

QueryCursor::QueryCursor() : cursor_(ts_query_cursor_new()) {}
QueryCursor::~QueryCursor() { ts_query_cursor_delete(cursor_); }

void QueryCursor::exec(const Query& query, TSNode node, uint32_t max_start_depth) {
  ts_query_cursor_set_max_start_depth(cursor_, max_start_depth);
  ts_query_cursor_exec(cursor_, query.get(), node);
}

void TreeCursor::reset(TSNode node) {
  table_ = NodeTable::find(node.tree);
  if (table_) {
    if (auto i = table_->index_of(node)) {
      root_ = cur_ = *i;
      return;
    }
    table_ = nullptr;
  }
  if (raw_) {
    ts_tree_cursor_reset(&cursor_, node);
  } else {
    cursor_ = ts_tree_cursor_new(node);
    raw_ = true;
  }
}

}  // namespace asyncfix::syntax
