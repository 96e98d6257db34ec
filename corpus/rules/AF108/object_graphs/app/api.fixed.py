import asyncio

from sqlalchemy.orm import Session

from .db import DBInterface, Users
from .decorated import add_message, pure
from .rpc import Holder, Loader, Report, RPCHandler, load_config


class Telegram(RPCHandler):
    async def status(self):
        return await asyncio.to_thread(self._rpc.trade_status)  # AF108

    async def version(self):
        return self._rpc.version()  # ok: returns a constant


async def store(db: DBInterface, session: Session, run):
    await asyncio.to_thread(db.store_run, session, run)  # AF108


async def listed(db: DBInterface, session: Session):
    return db.list_runs(session)  # ok: MemoryDB.list_runs does not block


async def user(user_id: int):
    return await asyncio.to_thread(Users.get_user_by_id, user_id)  # AF108


async def construct(path):
    return await asyncio.to_thread(Loader, path)  # AF108


async def construct_plain(value):
    return Holder(value)  # ok: its __init__ does not block


async def through_an_alias():
    return await asyncio.to_thread(load_config)  # AF108


async def decorated(text):
    await asyncio.to_thread(add_message, text)  # AF108


async def decorated_pure(x):
    return pure(x)  # ok: its decorator's wrapper does not block


async def decorated_class(report: Report):
    return await asyncio.to_thread(report.load)  # AF108: a method of a @dataclass
