# Tests that read the schema through inspect(engine): on the async engine the inspector works
# on a connection inside run_sync, and the code that reads it moves there.
import pytest
from sqlalchemy import inspect
from sqlalchemy.engine.reflection import Inspector

from app.database import Base, engine


@pytest.fixture(scope="session")
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_tables():  # AF602
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)  # AF602

    def inspect_schema(conn):
        insp: Inspector = inspect(conn)  # AF602
        names = insp.get_table_names()
        assert "teams" in names
        for name in names:
            assert insp.get_columns(name), name

    async with engine.connect() as conn:
        await conn.run_sync(inspect_schema)
    print("checked")


@pytest.mark.anyio
async def test_one_column():  # AF602
    def inspect_schema(conn):
        assert "name" in [
            c["name"] for c in inspect(conn).get_columns("teams")
        ]  # AF602

    async with engine.connect() as conn:
        await conn.run_sync(inspect_schema)


async def table_names():  # AF602
    def inspect_schema(conn):
        insp = inspect(conn)  # AF602
        return sorted(insp.get_table_names())

    async with engine.connect() as conn:
        return await conn.run_sync(inspect_schema)


@pytest.mark.anyio
async def test_names():  # AF602
    assert "teams" in await table_names()  # AF602


# The inspector's reads cannot move: `names` is read after an await that stays here.
@pytest.mark.anyio
async def test_reported():  # AF602
    insp = inspect(engine)  # AF602: reported
    names = insp.get_table_names()
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)  # AF602
    assert names

