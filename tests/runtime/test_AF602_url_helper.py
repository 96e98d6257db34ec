"""AF602: a database URL known only at run time goes through the `_async_database_url` helper
the migration adds; a literal URL is rewritten in place. Both must give the same async driver
for every sync driver (they once disagreed: the helper left `mysql+mysqldb://` sync)."""
import ast
import os
import subprocess
import textwrap

ASYNCFIX = os.environ.get("ASYNCFIX", "asyncfix")

SYNC_URLS = [
    "sqlite:///./app.db",
    "sqlite+pysqlite:///./app.db",
    "postgresql://u:p@db/app",
    "postgresql+psycopg2://u:p@db/app",
    "postgres://u:p@db/app",
    "mysql://u:p@db/app",
    "mysql+pymysql://u:p@db/app",
    "mysql+mysqldb://u:p@db/app",
]

APP = """\
import os

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine({url})
SessionLocal = sessionmaker(bind=engine)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def count_users(db: Session):
    return db.query(User).count()
"""


def migrate(tmp_path, url_expr):
    (tmp_path / "app").mkdir(parents=True, exist_ok=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    path = tmp_path / "app" / "database.py"
    path.write_text(APP.format(url=url_expr))
    # The test carries its targets: what this machine has installed does not decide.
    subprocess.run([ASYNCFIX, "migrate", "async-sqlalchemy", "--fix", "--no-progress", "--target-sqlalchemy", "2.0",
                    "--target-fastapi", "0.110", str(tmp_path)],
                   capture_output=True, text=True, check=False)
    return path.read_text()


def helper_from(source):
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "_async_database_url":
            ns = {}
            exec(compile(ast.Module([node], []), "helper", "exec"), ns)
            return ns["_async_database_url"]
    raise AssertionError("no _async_database_url in:\n" + source)


def engine_url_literal(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "create_async_engine":
            return ast.literal_eval(node.args[0])
    raise AssertionError("no create_async_engine(...) in:\n" + source)


def test_AF602_computed_and_literal_urls_get_the_same_async_driver(tmp_path):
    helper = helper_from(migrate(tmp_path / "computed", 'os.environ["DATABASE_URL"]'))
    for url in SYNC_URLS:
        literal = engine_url_literal(migrate(tmp_path / url.split(":")[0].replace("+", "_"), repr(url)))
        assert helper(url) == literal, url
        assert literal != url and "+" in literal.split("://")[0], literal
