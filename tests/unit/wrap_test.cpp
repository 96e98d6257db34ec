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
}

TEST(Wrap, IsNotAndNotInAreDelimiters) {
  // black 23: a comparison in the value keeps the optional parentheses, split before `is not`.
  EXPECT_EQ(wrap("def f(db_session):\n    return db_session.scalars(select(UsageReport).where(UsageReport.report_name"
                 ".contains(str(report_id))).limit(1)).first() is not None\n", 88, "def f(db_session):\n"),
            "def f(db_session):\n    return (\n        db_session.scalars(\n            select(UsageReport)\n"
            "            .where(UsageReport.report_name.contains(str(report_id)))\n            .limit(1)\n"
            "        ).first()\n        is not None\n    )\n");
  EXPECT_EQ(wrap("def f(db_session, names):\n    return db_session.scalars(select(UsageReport).limit(1)).first().name not in names\n", 80,
                 "def f(db_session, names):\n"),
            "def f(db_session, names):\n    return (\n        db_session.scalars(select(UsageReport).limit(1)).first().name\n"
            "        not in names\n    )\n");
}

TEST(Wrap, StandaloneCommentsKeepALineOfTheirOwn) {
  // black 23's output for the same input (black's STANDALONE_COMMENT: a comment on a line of
  // its own inside brackets stays alone on its line, and splits what holds it).
  std::string standalone = "def f(db):\n    x = (\n        db.scalars(select(A)\n        # why\n        .where(A.b)).all()\n    )\n";
  EXPECT_EQ(wrap(standalone, 88, "def f(db):\n"),
            "def f(db):\n    x = db.scalars(\n        select(A)\n        # why\n        .where(A.b)\n    ).all()\n");
  std::string in = "def f(db_session, entity, filtering):\n    similar_entities = (\n        db_session.scalars(select(KGEntity)\n        .where(\n            # find entities of the same type with a similar name\n            *filtering,\n            KGEntity.entity_type_id_name == entity.entity_type_id_name,\n            getattr(func, POSTGRES_DEFAULT_SCHEMA).similarity_op(\n                KGEntity.name, entity_name\n            ),\n        )\n        ).all()\n    )\n\n\ndef g(model_name, provider_name):\n    return ModelConfigurationView(\n            name=model_name,\n            supports_image_input=await model_supports_image_input(model_name, provider_name),\n            # No provider row exists yet, so the surface is the provider default.\n            supported_reasoning_efforts=supported_reasoning_efforts(\n                provider_name,\n                [model_name],\n            ),\n        )\n\n\nasync def h(db_session):\n    active_attempts = (\n        (await db_session.execute(\n            select(IndexAttempt).where(\n                IndexAttempt.status.in_([IndexingStatus.IN_PROGRESS]),\n                # Synthetic attempts spawned by the targeted-reindex flow\n                IndexAttempt.targeted_reindex_job_id.is_(None),\n            )\n        ))\n        .scalars()\n        .all()\n    )\n    x = foo(\n        a,\n        # between\n        b\n    )\n    y = foo(  # after open\n        a, b\n    )\n";
  EXPECT_EQ(wrap(in), "def f(db_session, entity, filtering):\n    similar_entities = db_session.scalars(\n        select(KGEntity).where(\n            # find entities of the same type with a similar name\n            *filtering,\n            KGEntity.entity_type_id_name == entity.entity_type_id_name,\n            getattr(func, POSTGRES_DEFAULT_SCHEMA).similarity_op(\n                KGEntity.name, entity_name\n            ),\n        )\n    ).all()\n\n\ndef g(model_name, provider_name):\n    return ModelConfigurationView(\n        name=model_name,\n        supports_image_input=await model_supports_image_input(\n            model_name, provider_name\n        ),\n        # No provider row exists yet, so the surface is the provider default.\n        supported_reasoning_efforts=supported_reasoning_efforts(\n            provider_name,\n            [model_name],\n        ),\n    )\n\n\nasync def h(db_session):\n    active_attempts = (\n        (\n            await db_session.execute(\n                select(IndexAttempt).where(\n                    IndexAttempt.status.in_([IndexingStatus.IN_PROGRESS]),\n                    # Synthetic attempts spawned by the targeted-reindex flow\n                    IndexAttempt.targeted_reindex_job_id.is_(None),\n                )\n            )\n        )\n        .scalars()\n        .all()\n    )\n    x = foo(\n        a,\n        # between\n        b,\n    )\n    y = foo(a, b)  # after open\n");
}

TEST(Wrap, TupleTargetsAndValuesExplodeWithATrailingComma) {
  // black 23: the optional parentheses around a tuple are an atom's, so a split tuple has
  // one element per line and a trailing comma.
  EXPECT_EQ(wrap("async def f(db_session, cc_pair_id):\n    if True:\n        if True:\n            if True:\n                checkpoint, resuming_from_checkpoint = await get_latest_valid_checkpoint(\n                    db_session=db_session,\n                    cc_pair_id=cc_pair_id,\n                )\n    x = first_value_of_the_list, second_value_of_the_list, third_value_of_the_list_is_long\n"), "async def f(db_session, cc_pair_id):\n    if True:\n        if True:\n            if True:\n                (\n                    checkpoint,\n                    resuming_from_checkpoint,\n                ) = await get_latest_valid_checkpoint(\n                    db_session=db_session,\n                    cc_pair_id=cc_pair_id,\n                )\n    x = (\n        first_value_of_the_list,\n        second_value_of_the_list,\n        third_value_of_the_list_is_long,\n    )\n");
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
