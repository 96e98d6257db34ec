# A scoped session of the app's factory, the way Flask-era code keeps one: it becomes an
# async_scoped_session with a task scope, and its remove() is awaited.
from sqlalchemy.orm import scoped_session

from .database import SessionLocal, engine
from .models import Team

db_session = scoped_session(SessionLocal)  # AF602: task scope, as async_scoped_session requires
reports_session = scoped_session(SessionLocal, scopefunc=lambda: "reports")  # AF602: its scopefunc is kept


async def team_name(team_id: int):
    team = db_session.get(Team, team_id)  # AF602
    return team.name


def end_request():  # AF602: it awaits remove() now
    db_session.remove()  # AF602


def close_reports():  # AF602
    reports_session.close()  # AF602: close() of the session it proxies


class Audit:
    @staticmethod
    def record(what: str):  # AF602
        db_session.commit()  # AF602


async def audited(team_id: int):
    Audit.record("read")  # AF602: a static method called on its class, awaited
    return await team_name(team_id)


def check_team(find, team_id: int):  # AF602: it awaits the function it is given
    return find(team_id) is not None  # AF602


async def team_exists(team_id: int):
    return check_team(find_team, team_id)  # AF602: awaited; find_team is not reported as a value


def find_team(team_id: int):  # AF602
    return db_session.get(Team, team_id)  # AF602


async def team_count():
    db_session.execute("update teams set name = trim(name)")  # AF602: awaited, and the SQL in text()
    total = db_session.scalar("select count(*) from teams where name = :n", {"n": "x"})  # AF602: awaited, the SQL in text()
    db_session.execute("select * from teams where id = %s", (1,))  # AF602: awaited; the driver's parameters are reported
    return total


# Must NOT fire: engine.dispose() is not a session method, and `remove` of something else.
handlers = ["reports"]
handlers.remove("reports")
