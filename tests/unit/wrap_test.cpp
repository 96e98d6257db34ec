// engine/rewrite/wrap: long lines the fixes write, split as black splits them. The expected
// texts are black 23's output for the same input (checked by hand with Debian's black; the
// fixtures are checked by black itself in tests/cli/black_accepts_the_fixes.sh).
#include <gtest/gtest.h>

#include "engine/rewrite/wrap.h"
#include "test_util.h"

namespace asyncfix {
namespace {

std::string wrap(const std::string& code, int length = 88, const std::string& original = "") {
  auto p = testing::parse(code);
  std::unordered_set<std::string_view> lines;
  for (size_t pos = 0; pos < original.size();) {
    size_t nl = original.find('\n', pos);
    lines.insert(std::string_view(original).substr(pos, nl - pos));
    pos = nl + 1;
  }
  WrapOptions o;
  o.line_length = length;
  o.relayout_multiline = true;
  return wrap_long_lines(p->source.text(), p->root(), lines, o);
}

TEST(Wrap, ShortLinesStay) {
  std::string code = "async def f(db, q):\n    return db.scalar(q)\n";
  EXPECT_EQ(wrap(code), code);
}

TEST(Wrap, RightHandSplitAtTheLastBracket) {
  EXPECT_EQ(wrap("def f(db, query):\n    total_count = db.scalar(select(func.count()).select_from(query.subquery()))  # AF601: count\n"),
            "def f(db, query):\n    total_count = db.scalar(\n        select(func.count()).select_from(query.subquery())\n    )  # AF601: count\n");
}

TEST(Wrap, MethodChainInOptionalParentheses) {
  EXPECT_EQ(wrap("def f(session):\n    return session.scalars(select(User).join(Address).where(Address.email == \"e@sa.us\")).unique().all()\n"),
            "def f(session):\n    return (\n        session.scalars(select(User).join(Address).where(Address.email == \"e@sa.us\"))\n"
            "        .unique()\n        .all()\n    )\n");
}

TEST(Wrap, OneArgumentPerLineWithATrailingComma) {
  EXPECT_EQ(wrap("x = call(first_argument_value, second_argument_value, third_argument_value)\n", 40),
            "x = call(\n    first_argument_value,\n    second_argument_value,\n    third_argument_value,\n)\n");
}

TEST(Wrap, FunctionDefinitionsSplitAtTheirParameters) {
  EXPECT_EQ(wrap("async def handler(request_identifier: int, session: AsyncSession) -> dict:\n    pass\n", 60),
            "async def handler(\n    request_identifier: int, session: AsyncSession\n) -> dict:\n    pass\n");
}

TEST(Wrap, ImportsExplodeInParentheses) {
  EXPECT_EQ(wrap("from sqlalchemy.orm import contains_eager, joinedload, selectinload, with_parent, aliased, Session\n"),
            "from sqlalchemy.orm import (\n    contains_eager,\n    joinedload,\n    selectinload,\n    with_parent,\n"
            "    aliased,\n    Session,\n)\n");
}

TEST(Wrap, ARewrittenMultiLineStatementIsLaidOutAgain) {
  // black's earlier split of the old statement, rewritten in place by a fix: joined, it fits.
  std::string before = "def f(session):\n    return (\n        session.query(User).all()\n    )\n";
  EXPECT_EQ(wrap("def f(session):\n    return (\n        session.scalars(select(User)).all()\n    )\n", 88, before),
            "def f(session):\n    return session.scalars(select(User)).all()\n");
}

TEST(Wrap, AMagicTrailingCommaExplodesItsOwnBracket) {
  // An AF601 rewrite of a chain whose filter() had a trailing comma, laid out again: the
  // where() bracket explodes, one element per line, and no comma is added elsewhere.
  std::string code =
      "def f(db_session):\n    return (\n        db_session.scalars(select(Pair)\n        .where(\n"
      "            Pair.access_type == AccessType.SYNC,\n        )\n        ).all()\n    )\n";
  EXPECT_EQ(wrap(code, 88, "def f(db_session):\n"),
            "def f(db_session):\n    return db_session.scalars(\n        select(Pair).where(\n"
            "            Pair.access_type == AccessType.SYNC,\n        )\n    ).all()\n");
}

TEST(Wrap, AShortLineWithAMagicTrailingCommaExplodes) {
  EXPECT_EQ(wrap("def f(db_session):\n    x = db_session.scalars(select(Pair).where(Pair.access_type == AccessType.SYNC,))\n", 88,
                 "def f(db_session):\n"),
            "def f(db_session):\n    x = db_session.scalars(\n        select(Pair).where(\n"
            "            Pair.access_type == AccessType.SYNC,\n        )\n    )\n");
  // A one-element tuple's comma is not magic.
  std::string t = "def f(db):\n    x = db.execute(q, (1,))\n";
  EXPECT_EQ(wrap(t, 88, "def f(db):\n"), t);
}

TEST(Wrap, TrailingCommentsInsideGoWithTheirLeaf) {
  // black 23's output for the same input: a comment after a leaf ends the line that leaf
  // ends up on.
  std::string in =
      "def f(db_session, user_id):\n    public_document_sets = (\n        db_session.scalars(select(DocumentSet)\n"
      "        .where(DocumentSet.is_public == True)  # noqa\n        ).all()\n    )\n    shared = (\n"
      "        db_session.scalars(select(DocumentSet)\n"
      "        .join(DocumentSet__User, DocumentSet.id == DocumentSet__User.document_set_id)  # join\n"
      "        .where(DocumentSet__User.user_id == user_id)\n        ).unique().all()\n    )\n";
  EXPECT_EQ(wrap(in, 88, "def f(db_session, user_id):\n"),
            "def f(db_session, user_id):\n    public_document_sets = db_session.scalars(\n"
            "        select(DocumentSet).where(DocumentSet.is_public == True)  # noqa\n    ).all()\n"
            "    shared = (\n        db_session.scalars(\n            select(DocumentSet)\n            .join(\n"
            "                DocumentSet__User, DocumentSet.id == DocumentSet__User.document_set_id\n"
            "            )  # join\n            .where(DocumentSet__User.user_id == user_id)\n        )\n"
            "        .unique()\n        .all()\n    )\n");
  // A comment on a line of its own inside the brackets is left where it is.
  std::string standalone = "def f(db):\n    x = (\n        db.scalars(select(A)\n        # why\n        .where(A.b)).all()\n    )\n";
  EXPECT_EQ(wrap(standalone, 88, "def f(db):\n"), standalone);
}

TEST(Wrap, LinesTheFileHadAreLeftAlone) {
  std::string code = "x = call(first_argument_value, second_argument_value, third_argument_value)\n";
  EXPECT_EQ(wrap(code, 40, code), code);
}

TEST(Wrap, ProjectLineLength) {
  EXPECT_EQ(formatter_line_length("[tool.black]\nline-length = 100\n"), 100);
  EXPECT_EQ(formatter_line_length("[tool.ruff]\nline-length = 120\n[tool.black]\nline-length = 99\n"), 99);
  EXPECT_EQ(formatter_line_length("[tool.ruff]\nline-length = 120\n"), 120);
  EXPECT_EQ(formatter_line_length("[tool.isort]\nline_length = 100\n"), 88);
  EXPECT_EQ(formatter_line_length(""), 88);
}

}  // namespace
}  // namespace asyncfix
