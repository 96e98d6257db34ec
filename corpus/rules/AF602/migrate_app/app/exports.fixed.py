# Streaming exports: generators that read through the session, and code around the session
# that the migration cannot make async.
import threading

from sqlalchemy.ext.asyncio import AsyncSession

from .database import SessionLocal
from .models import Team


async def team_rows(db: AsyncSession):  # AF602: an async generator now
    for team in await db.execute(Team.__table__.select()):  # AF602
        yield team.name


async def export(db: AsyncSession):  # AF602
    yield "header"
    async for item in team_rows(db):
        yield item  # AF602: an async generator has no `yield from`
    for item in ["footer"]:
        yield item  # AF602: a plain iterable, in a plain for


def export_counted(
    db: AsyncSession,
):  # AF602: the annotation; a generator that returns a value stays sync
    count = 0
    for name in team_rows(db):  # AF602: reported, nothing can await here
        count += 1
        yield name
    return count


def total(
    db: AsyncSession,
):  # AF602: the annotation; it stays sync, as export_counted does
    rows = yield from export_counted(db)
    return rows


def start_touch(db: AsyncSession):  # AF602
    def touch():
        db.query(Team).filter(Team.id == 1).update({"name": "x"})  # AF601: reported, a nested plain function
        db.commit()  # AF602: reported, a nested plain function

    thread = threading.Thread(target=touch)
    thread.start()
    return thread


export_lock = threading.Lock()


async def locked_export():  # AF602
    with (
        SessionLocal() as db,  # AF602: reported here, the `with` also holds a thread lock
        export_lock,
    ):
        return await db.get(Team, 1)  # AF602


def wrap(rows):
    return rows


async def export_handed_on(db: AsyncSession):  # AF602: the annotation
    return wrap(team_rows(db))  # ok: handed on, whoever gets it iterates it


async def export_listed(db: AsyncSession):  # AF602
    names = list(team_rows(db))  # AF602: list() iterates it synchronously
    rows = team_rows(db)  # AF602: iterated with a plain for below
    for row in rows:
        names.append(row)
    return names
