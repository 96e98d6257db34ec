# The schema as the app creates it, read through SQLAlchemy's inspector on the app's engine.
from sqlalchemy import inspect

from roster.db import create_db_and_tables, engine


def column_names(table):
    insp = inspect(engine)
    return [c["name"] for c in insp.get_columns(table)]


def test_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    create_db_and_tables()
    insp = inspect(engine)
    tables = insp.get_table_names()
    assert "player" in tables
    # the index on email
    indexed = {tuple(ix["column_names"]) for ix in insp.get_indexes("player")}
    assert ("email",) in indexed
    assert {"id", "name", "email", "active"} <= set(column_names("player"))
