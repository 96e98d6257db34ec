"""Every row of docs/data/sqlalchemy_query_to_select.tsv, run for real: the legacy function
(corpus/rules/AF601/table_sync/rows.py) with a sync Session, its fixed version
(rows.fixed.py) with a sync Session, and the fixed async version
(table_async/rows.fixed.py) with an AsyncSession over aiosqlite, all on the same seeded
SQLite data. Results must be equal (ORM objects compared by class and primary key).

Runs on Debian's SQLAlchemy 1.4 (which still has the legacy API) and aiosqlite.
"""
import asyncio
import importlib
import os
import shutil
import sys
import warnings

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import Session

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "corpus", "rules", "AF601")
ROWS = [f"row{n:02d}" for n in range(1, 52)]
SKIP_ASYNC = {"row46", "row51"}  # row46: a lazy load the async fixture loads explicitly; row51: not a row of the table (a terminal kept in a variable, not rewritten again)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    root = tmp_path_factory.mktemp("table")
    for name, src, rows in [("legacy", "table_sync", "rows.py"), ("fixed_sync", "table_sync", "rows.fixed.py"),
                            ("fixed_async", "table_async", "rows.fixed.py")]:
        pkg = root / name
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        shutil.copy(os.path.join(FIXTURES, src, "models.py"), pkg / "models.py")
        shutil.copy(os.path.join(FIXTURES, src, rows), pkg / "rows.py")
    sys.path.insert(0, str(root))
    yield {n: importlib.import_module(f"{n}.rows") for n in ("legacy", "fixed_sync", "fixed_async")}, root
    sys.path.remove(str(root))


def seed(session, models):
    User, Address, Order, Item, Keyword, Node, Obj, Account, AccountAddress = (
        models.User, models.Address, models.Order, models.Item, models.Keyword, models.Node, models.Obj,
        models.Account, models.AccountAddress)
    names = ["some user", "x", "fred", "foo", "x"] + [f"user{i}" for i in range(6, 26)]
    for i, name in enumerate(names, start=1):
        session.add(User(id=i, name=name, fullname=name.title(), age=25 if i % 4 == 0 else 30 + i))
    emails = [(1, "e@sa.us", "b@x"), (1, "a@x", "a@x"), (2, "c@x", "c@x"), (3, "d@x", "d@x"), (3, "e@x", "e@x"),
              (3, "f@x", "f@x"), (5, "g@x", "g@x")]
    for i, (uid, email, ea) in enumerate(emails, start=1):
        session.add(Address(id=i, user_id=uid, email=email, email_address=ea))
    session.add(Order(id=1, user_id=1))
    session.add(Item(id=1, order_id=1))
    session.add(Keyword(id=1, item_id=1, word="k"))
    session.add(Node(id=1, name="root"))
    session.add(Node(id=2, parent_id=1, name="x"))
    session.add(Node(id=3, parent_id=1, name="y"))
    session.add(Obj(a=1, b=2, label="one-two"))
    session.add(Account(id=1))
    for i, e in enumerate(["p1@x", "q@x", "p2@x"], start=1):
        session.add(AccountAddress(id=i, account_id=1, email=e))
    session.commit()


def norm(value):
    """A comparable form of a result: ORM objects by class and key, rows as tuples."""
    if isinstance(value, (list, tuple)) or isinstance(value, Row):
        return [norm(v) for v in value]
    try:
        state = inspect(value)
        if hasattr(state, "mapper"):
            return (type(value).__name__, tuple(state.mapper.primary_key_from_instance(value)))
    except Exception:
        pass
    return value


def fresh_db(tmp_path, models, name):
    path = tmp_path / f"{name}.db"
    engine = create_engine(f"sqlite:///{path}")
    models.Base.metadata.create_all(engine)
    with Session(engine) as s:
        seed(s, models)
    engine.dispose()
    return path


def run_sync(module, row, path):
    engine = create_engine(f"sqlite:///{path}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Session(engine) as session:
            try:
                return norm(getattr(module, row)(session))
            finally:
                session.rollback()
    engine.dispose()


def run_async(module, row, path):
    async def go():
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                try:
                    return norm(await getattr(module, row)(session))
                finally:
                    await session.rollback()
        finally:
            await engine.dispose()
    return asyncio.run(go())


@pytest.mark.parametrize("row", ROWS)
def test_AF601_row_gives_the_same_result(packages, tmp_path, row):
    mods, _root = packages
    models = sys.modules["legacy.models"]
    path = fresh_db(tmp_path, models, row)
    legacy = run_sync(mods["legacy"], row, path)
    assert run_sync(mods["fixed_sync"], row, path) == legacy, "sync fix differs"
    if row not in SKIP_ASYNC:
        assert run_async(mods["fixed_async"], row, path) == legacy, "async fix differs"


def test_AF601_the_rows_return_data(packages, tmp_path):
    # A guard against a seed that makes every row trivially empty.
    mods, _root = packages
    models = sys.modules["legacy.models"]
    path = fresh_db(tmp_path, models, "guard")
    non_empty = [r for r in ROWS if run_sync(mods["legacy"], r, path) not in (None, [], 0)]
    assert len(non_empty) >= 40, non_empty
