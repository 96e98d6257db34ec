from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class UserRepo:
    def __init__(self, db: "Session"):
        self.db = db


class MaybeRepo:
    def __init__(self, db: Optional["Session"] = None):
        self.db = db
