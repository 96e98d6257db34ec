import typing

from sqlalchemy.ext.asyncio import AsyncSession

from .base import AsyncSessionDep, SessionDep, db_session, get_db
from .models import LocalTrade, Trade
from .repo import UserRepo


async def class_attribute():
    Trade.session.commit()  # AF106


async def inherited_attribute_of_a_subclass():
    return Trade.session.scalars("q")  # AF106


async def scoped_session_global():
    db_session.commit()  # AF106
    db_session.remove()  # AF106: closes the thread's session


async def contextmanager_made_by_a_call():
    with get_db() as db:
        db.flush()  # AF106


async def annotated_alias(db: SessionDep):
    db.commit()  # AF106


async def instance_attribute(repo: UserRepo):
    repo.db.commit()  # AF106


async def cast(s):
    typing.cast("AsyncSession", s)
    return typing.cast(AsyncSession, s).commit()  # ok: an AsyncSession (not awaited: AF201's)


async def async_alias(db: AsyncSessionDep):
    await db.commit()  # ok: an AsyncSession


async def not_a_session():
    return LocalTrade.name.upper()  # ok: a str attribute
