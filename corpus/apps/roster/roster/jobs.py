from sqlmodel import select

from roster.db import session_context, session_scope
from roster.models import Player


def deactivate(email: str) -> bool:
    with session_scope() as session:
        player = session.exec(select(Player).where(Player.email == email)).first()
        if player is None:
            return False
        player.active = False
        session.add(player)
        return True


def active_count() -> int:
    with session_context() as session:
        return len(session.exec(select(Player).where(Player.active == True)).all())  # noqa: E712
