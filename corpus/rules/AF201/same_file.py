import asyncio

import httpx
from sqlalchemy.ext.asyncio import AsyncSession


async def save_event(name: str) -> None:
    await asyncio.sleep(0)


class Store:
    def __init__(self, db: AsyncSession):
        self.db = db

    async def flush_all(self) -> None:
        await self.db.flush()

    async def close(self) -> None:
        self.flush_all()  # AF201
        self.db.commit()  # AF201


async def create_user(data: dict, db: AsyncSession) -> dict:
    db.add(data)  # ok: add() is not a coroutine
    db.commit()  # AF201
    await db.refresh(data)
    save_event("user.created")  # AF201
    asyncio.sleep(1)  # AF201
    if save_event("check"):  # AF201
        pass
    return data


async def ping(client: httpx.AsyncClient) -> None:
    client.get("https://example.com/health")  # AF201


async def fine(db: AsyncSession) -> None:
    task = asyncio.create_task(save_event("x"))  # ok: stored and awaited later
    await task
    coro = save_event("y")  # ok: kept in a variable
    await coro
    await asyncio.gather(save_event("a"), save_event("b"))  # ok


def sync_caller() -> None:
    save_event("dropped")  # AF201: reported; a plain def cannot await it
