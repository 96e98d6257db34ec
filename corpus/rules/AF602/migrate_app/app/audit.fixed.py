# Annotations the migration rewrites where the session class is named through a module import,
# and a string annotation that still names the sync class: its import stays.
from contextlib import AbstractContextManager
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from .models import Team


async def touch(db: AsyncSession, team_id: int):  # AF602: async, and the annotation
    await db.get(Team, team_id)  # AF602


def opener(
    make: Callable[[], AsyncSession]
) -> "Callable[[], AbstractContextManager[Session]]":  # AF602: the string keeps its import
    return make
