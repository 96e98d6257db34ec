import app.crud.teams as team_crud
from sqlalchemy.orm import Session

from .crud.teams import get_team as fetch_team


class TeamService:
    def __init__(self, db: Session):  # AF602
        self.db = db

    def rename(self, team_id: int, name: str):  # AF602
        team = fetch_team(self.db, team_id)  # AF602: an aliased import
        return team_crud.rename(self.db, team, name)  # AF602: a module alias

    def label(self, team) -> str:  # ok: no session work
        return team_crud.describe(team)


def rename_team(db: Session, team_id: int, name: str):  # AF602
    service = TeamService(db)
    return service.rename(team_id, name)  # AF602: a method of a project class


def rename_later(db: Session, team_id: int):  # AF602: the annotation
    # db.commit() in a comment stays as it is; so does the string below.
    note = "db.commit() is awaited now"
    callback = lambda: fetch_team(db, team_id)  # AF602: reported, a lambda cannot await
    return note, callback
