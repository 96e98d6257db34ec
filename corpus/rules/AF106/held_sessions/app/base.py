# Type aliases and a session factory, as services write them (issue 16, idioms 3 and 6).
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, scoped_session, sessionmaker

SessionType = scoped_session[Session]
SessionLocal = sessionmaker()
AsyncSessionLocal = async_sessionmaker()
db_session = scoped_session(SessionLocal)


def get_session():
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()


async def get_async_session():
    async with AsyncSessionLocal() as session:
        yield session


get_db = contextmanager(get_session)
get_db_alias = get_session
SessionDep = Annotated[Session, Depends(get_session)]
AsyncSessionDep = Annotated[AsyncSession, Depends(get_async_session)]


def create_session() -> Session:
    return SessionLocal()


def create_async_session() -> AsyncSession:
    return AsyncSessionLocal()
