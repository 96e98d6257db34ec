#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "engine/syntax/node.h"
#include "engine/syntax/table.h"
#include "engine/syntax/ts.h"

namespace asyncfix {
namespace {

// What tree-sitter itself says of every node, walked with its own cursor: the node, its
// parent, the field it sits under (relative to the walk's root), its children.
struct Seen {
  std::vector<TSNode> order;
  std::vector<TSNode> parents;
  std::vector<std::string> fields;
};

Seen raw(TSNode root) {
  Seen s;
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    s.order.push_back(n);
    s.parents.push_back(ts_node_parent(n));
    const char* f = ts_tree_cursor_current_field_name(&c);
    s.fields.push_back(f ? f : "");
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&c)) {
      if (!ts_tree_cursor_goto_parent(&c)) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&c);
  return s;
}

// The same through asyncfix's helpers (which read an installed NodeTable).
Seen helpers(TSNode root) {
  Seen s;
  syntax::walk(root, [&](TSNode n) {
    s.order.push_back(n);
    s.parents.push_back(syntax::parent(n));
    return true;
  });
  syntax::TreeCursor c(root);
  for (;;) {
    const char* f = c.field_name();
    s.fields.push_back(f ? f : "");
    if (c.first_child()) continue;
    bool done = false;
    while (!c.next_sibling()) {
      if (!c.parent()) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  return s;
}

void expect_same(const Seen& a, const Seen& b, const std::string& code) {
  ASSERT_EQ(a.order.size(), b.order.size()) << code;
  for (size_t i = 0; i < a.order.size(); ++i) {
    EXPECT_TRUE(ts_node_eq(a.order[i], b.order[i])) << code << " node " << i;
    EXPECT_EQ(ts_node_is_null(a.parents[i]), ts_node_is_null(b.parents[i])) << code << " node " << i;
    if (!ts_node_is_null(a.parents[i]) && !ts_node_is_null(b.parents[i])) {
      EXPECT_TRUE(ts_node_eq(a.parents[i], b.parents[i])) << code << " node " << i;
    }
  }
  EXPECT_EQ(a.fields, b.fields) << code;
}

TEST(NodeTable, AgreesWithTreeSitterOnEveryNode) {
  std::string deep = "x = " + std::string(200, '(') + "1" + std::string(200, ')') + "\n";
  const std::vector<std::string> inputs = {
      "",
      "# only a comment\n",
      "import a.b as c\nfrom . import d\n\n@dec\nasync def f(x: int = 1, *a, **k) -> None:\n"
      "    async with s() as t:\n        await g(x)[0].h\n    return [y async for y in z if y]\n",
      "class C(B):\n    def m(self):\n        self.x = lambda q=1: q\n",
      "\xef\xbb\xbf" "def f():\r\n\treturn 1\r\n",  // a BOM, then `def` (two literals: \xbfdef would be one escape)
      "def f(:\n    pass\nx = (1,\nasync def g():\n    time.sleep(1)\n",  // syntax errors
      "if a:\n  b\n\telse c\n",
      deep,
  };
  syntax::Parser parser;
  for (const std::string& code : inputs) {
    auto tree = parser.parse(code);
    ASSERT_TRUE(tree) << code;
    Seen without = helpers(tree->root());  // no table yet: tree-sitter's own answers
    Seen expected = raw(tree->root());
    expect_same(expected, without, code);
    syntax::NodeTable table(tree->root());
    ASSERT_EQ(syntax::NodeTable::find(tree->get()), &table);
    EXPECT_EQ(table.size(), expected.order.size());
    EXPECT_EQ(table.size(), ts_node_descendant_count(tree->root()));  // what it reserves
    expect_same(expected, helpers(tree->root()), code);
    // A walk rooted inside the tree stays inside it, and children() agree.
    for (size_t i = 0; i < expected.order.size(); i += 7) {
      TSNode n = expected.order[i];
      expect_same(raw(n), helpers(n), code);
      std::vector<TSNode> kids;
      for (uint32_t k = 0; k < ts_node_named_child_count(n); ++k) kids.push_back(ts_node_named_child(n, k));
      std::vector<TSNode> got = syntax::children(n);
      ASSERT_EQ(kids.size(), got.size()) << code;
      for (size_t k = 0; k < kids.size(); ++k) EXPECT_TRUE(ts_node_eq(kids[k], got[k])) << code;
    }
  }
}

// is(), kind_id(), named_kind() and field() read asyncfix's own tables of the grammar's
// symbols and fields: on every node of some code (syntax errors included), they say what
// tree-sitter's own accessors say.
TEST(NodeHelpers, KindAndFieldTablesAgreeWithTreeSitter) {
  const std::string code =
      "import a.b as c\n@dec\nasync def f(x: int = 1, *a, **k) -> None:\n"
      "    async with s() as t:\n        await g(x)[0].h\n    return [y async for y in z if y]\n"
      "lambda q: q\nclass C(B):\n    x: int = 1\n"
      "def broken(:\n    pass\nx = ) = (\n";
  syntax::Parser parser;
  auto tree = parser.parse(code);
  ASSERT_TRUE(tree);
  const auto& tables = syntax::symbol_names();
  std::vector<std::string_view> names(tables.kind_names.begin() + 1, tables.kind_names.end());
  for (std::string_view anonymous : {"lambda", "async", "await", "(", "not-a-kind"}) names.push_back(anonymous);
  EXPECT_EQ(syntax::kind_id("not-a-kind"), syntax::SymbolNames::kNoKind);
  const char* fields[] = {"name", "body", "function", "arguments", "attribute", "object", "left", "right", "nope"};
  size_t nodes = 0, errors = 0;
  syntax::walk(tree->root(), [&](TSNode n) {
    ++nodes;
    bool named = ts_node_is_named(n);
    std::string_view type = ts_node_type(n);
    errors += type == "ERROR";
    EXPECT_EQ(syntax::named_kind(n), named ? type : std::string_view()) << type;
    for (std::string_view k : names) {
      EXPECT_EQ(syntax::is(n, k), named && type == k) << type << " / " << k;
      if (named && type != "ERROR") {
        EXPECT_EQ(syntax::kind_id(n) == syntax::kind_id(k), type == k) << type << " / " << k;
      }
    }
    if (!named) {
      EXPECT_EQ(syntax::kind_id(n), 0);
    }
    for (const char* f : fields) {
      TSNode want = ts_node_child_by_field_name(n, f, static_cast<uint32_t>(std::strlen(f)));
      TSNode got = syntax::field(n, f);
      EXPECT_EQ(ts_node_is_null(want), ts_node_is_null(got)) << type << "." << f;
      if (!ts_node_is_null(want)) {
        EXPECT_TRUE(ts_node_eq(want, got)) << type << "." << f;
      }
    }
    return true;
  });
  EXPECT_GT(nodes, 100u);
  EXPECT_GT(errors, 0u);
}

// A field that is not there is a null node, and code asks for its parent: the answer is a
// null node, not a crash (AF601 crashed on every `query(...).statement` chain this way).
TEST(NodeHelpers, ParentOfANullNodeIsNull) {
  syntax::Parser parser;
  auto tree = parser.parse("x = a.b\n");
  ASSERT_TRUE(tree);
  TSNode missing = syntax::field(tree->root(), "attribute");
  ASSERT_TRUE(syntax::is_null(missing));
  EXPECT_TRUE(syntax::is_null(syntax::parent(missing)));
  syntax::NodeTable table(tree->root());
  EXPECT_TRUE(syntax::is_null(syntax::parent(missing)));
  EXPECT_TRUE(syntax::is_null(syntax::parent(TSNode{})));
}

TEST(NodeTable, OnlyServesItsOwnTreeAndOnlyWhileItLives) {
  syntax::Parser parser;
  auto a = parser.parse("x = 1\n");
  auto b = parser.parse("y = 2\n");
  {
    syntax::NodeTable ta(a->root());
    EXPECT_EQ(syntax::NodeTable::find(a->get()), &ta);
    EXPECT_EQ(syntax::NodeTable::find(b->get()), nullptr);
    EXPECT_FALSE(ta.index_of(b->root()).has_value());
  }
  EXPECT_EQ(syntax::NodeTable::find(a->get()), nullptr);
}

TEST(NodeTable, VeryLargeFilesAreLeftToTreeSitter) {
  std::string big;
  while (big.size() <= syntax::NodeTable::kMaxSourceBytes) big += "x = 1\n";
  syntax::Parser parser;
  auto tree = parser.parse(big);
  ASSERT_TRUE(tree);
  syntax::NodeTable table(tree->root());
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(syntax::NodeTable::find(tree->get()), nullptr);
  size_t n = 0;
  syntax::walk(tree->root(), [&](TSNode) { return ++n, true; });
  EXPECT_GT(n, big.size() / 6);
}

TEST(ParseMemo, ATextParsedAgainIsACopyOfTheTreeThatOutlivesTheMemo) {
  syntax::Parser parser;
  syntax::Tree kept;
  {
    syntax::ParseMemo memo(parser);
    auto a = memo.parse("x = 1\n");
    auto b = memo.parse("def f():\n    return 2\n");
    auto c = memo.parse("x = 1\n");  // remembered
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(memo.parses(), 2u);
    EXPECT_EQ(memo.hits(), 1u);
    EXPECT_NE(a->get(), c->get());  // a tree of its own, not the memo's
    EXPECT_EQ(std::string(ts_node_type(ts_node_named_child(c->root(), 0))), "expression_statement");
    auto d = memo.parse("y = 2\n");  // a third text pushes out the oldest ("x = 1")
    auto e = memo.parse("x = 1\n");
    ASSERT_TRUE(d && e);
    EXPECT_EQ(memo.parses(), 4u);
    auto f = memo.parse("def f():\n    return 2\n");  // pushed out by "x = 1" coming back
    ASSERT_TRUE(f);
    EXPECT_EQ(memo.parses(), 5u);
    auto g = memo.parse("x = 1\n");
    ASSERT_TRUE(g);
    EXPECT_EQ(memo.hits(), 2u);
    kept = std::move(*g);
  }
  // The memo is gone; the copy it gave is whole.
  EXPECT_EQ(std::string(ts_node_type(kept.root())), "module");
  EXPECT_EQ(ts_node_end_byte(kept.root()), 6u);
}

}  // namespace
}  // namespace asyncfix
