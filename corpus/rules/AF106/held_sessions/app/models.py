from typing import ClassVar

from .base import SessionType


class ModelBase:
    session: ClassVar[SessionType]


class Trade(ModelBase):
    @classmethod
    def rollback(cls):
        cls.session.rollback()


class LocalTrade:
    name: str = "local"
