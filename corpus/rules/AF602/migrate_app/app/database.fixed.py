from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import declarative_base

from .config import DATABASE_URL


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


engine = create_async_engine(
    _async_database_url(DATABASE_URL), pool_pre_ping=True
)  # AF602
reporting = create_async_engine("postgresql+asyncpg://report@db/reports")  # AF602
legacy = create_engine("oracle://scott@db/orcl")  # AF602: a driver asyncfix does not map
SessionLocal = async_sessionmaker(
    autoflush=False, bind=engine, expire_on_commit=False
)  # AF602
Base = declarative_base()


async def get_db():
    async with SessionLocal() as db:
        yield db
