#include <gtest/gtest.h>

#include "engine/semantic/types.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using testing::parse;

std::string type_at(const std::string& code, std::string_view kind, std::string_view text) {
  auto p = parse(code);
  semantic::TypeOracle oracle(*p->model);
  TSNode n = p->find(kind, text);
  EXPECT_FALSE(ts_node_is_null(n)) << "no " << kind << " `" << text << "`";
  auto t = oracle.type_of(n);
  return t ? *t : "?";
}

TEST(Types, Annotations) {
  {
    // The receiver of `db.x` is the annotated parameter.
    auto p = parse("from sqlalchemy.orm import Session\ndef f(db: Session):\n    db.x\n");
    semantic::TypeOracle o(*p->model);
    TSNode attr = p->find("attribute", "db.x");
    ASSERT_FALSE(ts_node_is_null(attr));
    EXPECT_EQ(o.type_of(syntax::field(attr, "object")).value_or("?"), "sqlalchemy.orm.Session");
  }
  EXPECT_EQ(type_at("from sqlalchemy.orm import Session\ndef f(db: Session):\n    use(db)\n", "argument_list", "(db)"), "?");
  auto p = parse("from sqlalchemy.orm import Session\ndef f(db: Session):\n    use(db)\n");
  semantic::TypeOracle o(*p->model);
  TSNode use = p->find("argument_list", "(db)");
  EXPECT_EQ(o.type_of(ts_node_named_child(use, 0)).value_or("?"), "sqlalchemy.orm.Session");
}

std::string type_of_arg(const std::string& code) {
  // The type of the argument of the last `use(...)` call.
  auto p = parse(code);
  semantic::TypeOracle o(*p->model);
  TSNode last{};
  syntax::walk(p->root(), [&](TSNode n) {
    if (syntax::is(n, "call") && syntax::text(syntax::field(n, "function"), p->source.text()) == "use") last = n;
    return true;
  });
  EXPECT_FALSE(ts_node_is_null(last));
  auto t = o.type_of(ts_node_named_child(syntax::field(last, "arguments"), 0));
  return t.value_or("?");
}

// What the library model (library/*.yml) says calls, methods and attributes give.
TEST(Types, FromTheLibraryModel) {
  // contextmanager(f) gives what f yields; partial(f) what f returns.
  EXPECT_EQ(type_of_arg("from contextlib import contextmanager\nfrom sqlalchemy.orm import Session\n"
                     "def get_session():\n    s = Session()\n    yield s\nget_db = contextmanager(get_session)\n"
                     "with get_db() as db:\n    use(db)\n"),
            "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("import functools\nimport httpx\ndef make():\n    return httpx.Client()\n"
                     "mk = functools.partial(make)\nuse(mk())\n"),
            "httpx.Client");
  // sessionmaker(class_=AsyncSession) makes async sessions; scoped_session proxies one.
  EXPECT_EQ(type_of_arg("from sqlalchemy.orm import sessionmaker\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"
                     "F = sessionmaker(class_=AsyncSession)\nuse(F())\n"),
            "sqlalchemy.ext.asyncio.AsyncSession");
  EXPECT_EQ(type_of_arg("from sqlalchemy.orm import scoped_session, sessionmaker\nS = scoped_session(sessionmaker())\nuse(S())\n"),
            "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("from sqlalchemy.orm import scoped_session, Session\nfrom typing import ClassVar\n"
                     "class T:\n    session: ClassVar[scoped_session[Session]]\n    def f(self):\n        use(self.session)\n"),
            "sqlalchemy.orm.scoped_session");
  // typing.cast, SQLModel, Path methods and attributes.
  EXPECT_EQ(type_of_arg("import typing\nfrom sqlalchemy.orm import Session\ndef f(s):\n    use(typing.cast(Session, s))\n"),
            "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("from sqlmodel import Session\ndef f(s: Session):\n    use(s)\n"), "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("from pathlib import Path\ndef f(p: Path):\n    use(p.parent.joinpath('x').with_suffix('.y'))\n"),
            "pathlib.Path");
  EXPECT_EQ(type_of_arg("from pathlib import Path\ndef f(p: Path):\n    use((p / 'a').absolute())\n"), "pathlib.Path");
  // Drivers: a connection's cursor, a mongo client's collection.
  EXPECT_EQ(type_of_arg("import sqlite3\nc = sqlite3.connect('x')\nuse(c.cursor())\n"), "sqlite3.Cursor");
  EXPECT_EQ(type_of_arg("import pymongo\nc = pymongo.MongoClient()\nuse(c.app['users'])\n"), "pymongo.collection.Collection");
  // Controls: what the model does not say stays unknown.
  EXPECT_EQ(type_of_arg("from pathlib import Path\ndef f(p: Path):\n    use(p.name)\n"), "?");
  EXPECT_EQ(type_of_arg("import functools\nuse(functools.partial(print))\n"), "?");
}

TEST(Types, OptionalStringAndGenerics) {
  EXPECT_EQ(type_of_arg("from typing import Optional\nimport httpx\ndef f(c: Optional[httpx.AsyncClient]):\n    use(c)\n"),
            "httpx.AsyncClient");
  EXPECT_EQ(type_of_arg("import httpx\ndef f(c: 'httpx.AsyncClient'):\n    use(c)\n"), "httpx.AsyncClient");
  EXPECT_EQ(type_of_arg("import httpx\ndef f(c: httpx.AsyncClient | None):\n    use(c)\n"), "httpx.AsyncClient");
}

TEST(Types, FactoriesWithAndAssignments) {
  std::string head = "from sqlalchemy.orm import sessionmaker\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"
                     "SessionLocal = sessionmaker()\nAsyncLocal = sessionmaker(class_=AsyncSession)\n";
  EXPECT_EQ(type_of_arg(head + "def f():\n    db = SessionLocal()\n    use(db)\n"), "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg(head + "async def f():\n    async with AsyncLocal() as s:\n        use(s)\n"),
            "sqlalchemy.ext.asyncio.AsyncSession");
  EXPECT_EQ(type_of_arg(head + "def f():\n    with SessionLocal.begin() as s:\n        use(s)\n"), "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("import httpx\nasync def f():\n    async with httpx.AsyncClient() as c:\n        use(c)\n"),
            "httpx.AsyncClient");
  EXPECT_EQ(type_of_arg("from pathlib import Path\ndef f():\n    p = Path('/x') / 'y'\n    use(p)\n"), "pathlib.Path");
}

TEST(Types, DependsAndSelfAttributes) {
  std::string head = "from fastapi import Depends\nfrom sqlalchemy.orm import Session, sessionmaker\n"
                     "SessionLocal = sessionmaker()\ndef get_db():\n    db = SessionLocal()\n    try:\n        yield db\n"
                     "    finally:\n        db.close()\n";
  EXPECT_EQ(type_of_arg(head + "async def h(db=Depends(get_db)):\n    use(db)\n"), "sqlalchemy.orm.Session");
  EXPECT_EQ(type_of_arg("from sqlalchemy.ext.asyncio import AsyncSession\nclass S:\n    def __init__(self, db: AsyncSession):\n"
                        "        self.db = db\n    async def m(self):\n        use(self.db)\n"),
            "sqlalchemy.ext.asyncio.AsyncSession");
}

}  // namespace
}  // namespace asyncfix
