from typing import Any, Optional

from sqlmodel import Session, select

from roster.crud.base import CRUDBase
from roster.models import Player


class CRUDPlayer(CRUDBase[Player]):
    def get_by_email(self, db: Session, email: str) -> Optional[Player]:
        return db.exec(select(Player).where(Player.email == email.lower())).first()

    def update(self, db: Session, id: int, data: dict[str, Any]) -> Optional[Player]:
        if "email" in data:
            data = {**data, "email": data["email"].lower()}
        return super().update(db, id, data)


player = CRUDPlayer(Player)
