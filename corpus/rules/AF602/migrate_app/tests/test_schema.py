# Tests that read the schema through inspect(engine): on the async engine the inspector works
# on a connection inside run_sync, and the code that reads it moves there.
from sqlalchemy import inspect
from sqlalchemy.engine.reflection import Inspector

from app.database import Base, engine


def test_tables():  # AF602
    Base.metadata.create_all(bind=engine)  # AF602
    insp: Inspector = inspect(engine)  # AF602
    names = insp.get_table_names()
    assert "teams" in names
    for name in names:
        assert insp.get_columns(name), name
    print("checked")


def test_one_column():  # AF602
    assert "name" in [c["name"] for c in inspect(engine).get_columns("teams")]  # AF602


def table_names():  # AF602
    insp = inspect(engine)  # AF602
    return sorted(insp.get_table_names())


def test_names():  # AF602
    assert "teams" in table_names()  # AF602


# The inspector's reads cannot move: `names` is read after an await that stays here.
def test_reported():  # AF602
    insp = inspect(engine)  # AF602: reported
    names = insp.get_table_names()
    Base.metadata.create_all(bind=engine)  # AF602
    assert names

