# A test module in the style of FastAPI's tutorial: its own engine and sync session factory,
# the tables made at import, the app's get_db overridden.
import asyncio

from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.database import Base, get_db
from app.main import app

engine = create_async_engine(
    "sqlite+aiosqlite:///./test.db", connect_args={"check_same_thread": False}
)  # AF602
TestingSessionLocal = async_sessionmaker(
    autoflush=False, bind=engine, expire_on_commit=False
)  # AF602


async def _create_tables():
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()  # no pooled connection outlives this event loop


asyncio.run(_create_tables())  # AF602


async def override_get_db():
    async with TestingSessionLocal() as db:
        yield db


# FastAPI awaits an async override: not a sync callback.
app.dependency_overrides[get_db] = override_get_db
client = TestClient(app)


def test_missing_team():
    assert client.get("/teams/1").status_code == 404
