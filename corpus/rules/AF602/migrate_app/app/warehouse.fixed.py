# A report that reads another database with an engine of its own, synchronously (as pandas'
# read_sql does): that engine is not the app's and stays sync. The app's engine, made by a
# function and returned, is migrated.
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


def _async_database_url(url):
    """The database URL with its async driver (added by asyncfix migrate async-sqlalchemy)."""
    url = str(url)
    for sync, async_ in (
        ("sqlite+pysqlite://", "sqlite+aiosqlite://"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql+psycopg2://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("mysql+pymysql://", "mysql+aiomysql://"),
        ("mysql+mysqldb://", "mysql+aiomysql://"),
        ("mysql://", "mysql+aiomysql://"),
    ):
        if url.startswith(sync):
            return async_ + url[len(sync) :]
    return url


def table_sizes(db_path, tables):
    engine = sqlalchemy.create_engine(db_path)
    sizes = {}
    with engine.connect() as con:
        for t in tables:
            sizes[t] = con.execute(text(f"select count(*) from {t}")).scalar()
    engine.dispose()
    return sizes


def make_engine(url):
    engine = create_async_engine(_async_database_url(url))  # AF602
    return engine
