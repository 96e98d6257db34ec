"""The session dependencies of an app being migrated to AsyncSession."""
from typing import AsyncGenerator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite:///./app.db")
SessionLocal = async_sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


async def get_db() -> AsyncGenerator[AsyncSession, None]:  # AF303
    """One session per request."""
    async with SessionLocal() as db:
        yield db


async def get_session() -> AsyncGenerator[AsyncSession, None]:  # AF303
    async with SessionLocal() as session:
        yield session


async def get_plain():  # AF303
    async with SessionLocal() as db:
        yield db


async def get_transaction() -> AsyncGenerator[
    AsyncSession, None
]:  # AF303: not the usual shape
    db = SessionLocal()
    try:
        yield db
        await db.commit()
    except Exception:
        await db.rollback()
        raise
    finally:
        await db.close()
