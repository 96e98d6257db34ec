# Objects made once at module level and used from other modules.
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite:///app.db")
SessionLocal = async_sessionmaker(engine, class_=AsyncSession)


class Bus:
    async def publish(self, topic: str, payload: dict) -> None:
        return None

    def publish_later(self, topic: str) -> None:
        return None


class Ticker:
    async def __aenter__(self) -> "Ticker":
        return self

    async def __aexit__(self, *exc) -> None:
        return None

    def tick(self) -> None:
        return None


bus = Bus()
ticker = Ticker()
