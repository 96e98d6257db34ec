from sqlalchemy.orm import Session

from .db import DBInterface, Users
from .decorated import add_message, pure
from .rpc import Holder, Loader, Report, RPCHandler, load_config


class Telegram(RPCHandler):
    async def status(self):
        return self._rpc.trade_status()  # AF108

    async def version(self):
        return self._rpc.version()  # ok: returns a constant


async def store(db: DBInterface, session: Session, run):
    db.store_run(session, run)  # AF108


async def listed(db: DBInterface, session: Session):
    return db.list_runs(session)  # ok: MemoryDB.list_runs does not block


async def user(user_id: int):
    return Users.get_user_by_id(user_id)  # AF108


async def construct(path):
    return Loader(path)  # AF108


async def construct_plain(value):
    return Holder(value)  # ok: its __init__ does not block


async def through_an_alias():
    return load_config()  # AF108


async def decorated(text):
    add_message(text)  # AF108


async def decorated_pure(x):
    return pure(x)  # ok: its decorator's wrapper does not block


async def decorated_class(report: Report):
    return report.load()  # AF108: a method of a @dataclass
