# A scoped session of the app's factory, the way Flask-era code keeps one: it becomes an
# async_scoped_session with a task scope, and its remove() is awaited.
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_scoped_session
from asyncio import current_task

from .database import SessionLocal, engine
from .models import Team

db_session = async_scoped_session(
    SessionLocal, scopefunc=current_task
)  # AF602: task scope, as async_scoped_session requires
reports_session = async_scoped_session(
    SessionLocal, scopefunc=lambda: "reports"
)  # AF602: its scopefunc is kept


async def team_name(team_id: int):
    team = await db_session.get(Team, team_id)  # AF602
    return team.name


async def end_request():  # AF602: it awaits remove() now
    await db_session.remove()  # AF602


async def close_reports():  # AF602
    await reports_session.close()  # AF602: close() of the session it proxies


class Audit:
    @staticmethod
    async def record(what: str):  # AF602
        await db_session.commit()  # AF602


async def audited(team_id: int):
    await Audit.record("read")  # AF602: a static method called on its class, awaited
    return await team_name(team_id)


async def check_team(find, team_id: int):  # AF602: it awaits the function it is given
    return await find(team_id) is not None  # AF602


async def team_exists(team_id: int):
    return await check_team(
        find_team, team_id
    )  # AF602: awaited; find_team is not reported as a value


async def find_team(team_id: int):  # AF602
    return await db_session.get(Team, team_id)  # AF602


async def team_count():
    await db_session.execute(
        text("update teams set name = trim(name)")
    )  # AF602: awaited, and the SQL in text()
    total = await db_session.scalar(
        text("select count(*) from teams where name = :n"), {"n": "x"}
    )  # AF602: awaited, the SQL in text()
    await db_session.execute(
        "select * from teams where id = %s", (1,)
    )  # AF602: awaited; the driver's parameters are reported
    return total


# Must NOT fire: engine.dispose() is not a session method, and `remove` of something else.
handlers = ["reports"]
handlers.remove("reports")
