import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi import BackgroundTasks, Depends
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from . import hub

executor = ThreadPoolExecutor()


def get_db():
    yield Session()


def create_session() -> Session:
    return Session()


async def create_source(name: str, db: Session = Depends(get_db)):
    await run_in_threadpool(hub.get_store().create_source, db, name)
    await run_in_threadpool(hub.store.label, "label", name)


async def purge_later(kind: str, background_tasks: BackgroundTasks, db: Session = Depends(get_db)):
    background_tasks.add_task(hub.purge, db, kind)


async def archive_in_a_thread(kind: str):
    session = await asyncio.to_thread(create_session)
    await asyncio.to_thread(hub.archive, session, kind=kind)
    await asyncio.get_running_loop().run_in_executor(None, hub.describe, "a str")
    executor.submit(hub.describe, session)


async def count(db: Session = Depends(get_db)):
    loop: asyncio.AbstractEventLoop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, hub.store.count_sources, db)
