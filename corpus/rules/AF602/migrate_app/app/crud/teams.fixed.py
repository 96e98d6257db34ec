from typing import Optional

from sqlalchemy.ext.asyncio import AsyncSession

from .. import models


async def get_team(db: AsyncSession, team_id: int) -> Optional[models.Team]:  # AF602
    return await db.get(models.Team, team_id)  # AF602


async def rename(
    db: AsyncSession, team: models.Team, name: str
) -> models.Team:  # AF602
    team.name = name
    await db.flush()  # AF602
    await db.commit()  # AF602
    await db.refresh(team)  # AF602
    return team


async def remove(db: AsyncSession, team: models.Team) -> None:  # AF602
    await db.delete(team)  # AF602
    await db.commit()  # AF602


async def add_members(
    db: AsyncSession, team: models.Team, emails: list
) -> None:  # AF602
    db.add_all([models.Member(email=e, team=team) for e in emails])  # ok: add_all stays sync
    db.add(team)  # ok: add stays sync
    await db.commit()  # AF602


def describe(team: models.Team) -> str:  # ok: no session
    return f"{team.name} ({len(team.members)})"
