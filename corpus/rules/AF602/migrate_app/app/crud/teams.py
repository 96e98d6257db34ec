from typing import Optional

from sqlalchemy.orm import Session

from .. import models


def get_team(db: Session, team_id: int) -> Optional[models.Team]:  # AF602
    return db.get(models.Team, team_id)  # AF602


def rename(db: Session, team: models.Team, name: str) -> models.Team:  # AF602
    team.name = name
    db.flush()  # AF602
    db.commit()  # AF602
    db.refresh(team)  # AF602
    return team


def remove(db: Session, team: models.Team) -> None:  # AF602
    db.delete(team)  # AF602
    db.commit()  # AF602


def add_members(db: Session, team: models.Team, emails: list) -> None:  # AF602
    db.add_all([models.Member(email=e, team=team) for e in emails])  # ok: add_all stays sync
    db.add(team)  # ok: add stays sync
    db.commit()  # AF602


def describe(team: models.Team) -> str:  # ok: no session
    return f"{team.name} ({len(team.members)})"
