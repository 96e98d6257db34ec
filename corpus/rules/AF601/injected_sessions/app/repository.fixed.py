from sqlalchemy import delete as _delete_1, func, select

from .models import Item
from .session import with_name, with_session


@with_session
def list_items(session, kind):
    return session.scalars(select(Item).where(Item.kind == kind)).all()  # AF601


@with_name
def not_a_session(session, kind):
    return session.query(Item).all()  # ok: the decorator passes a str


class ItemStore:
    def _delete(self, session, name):
        session.execute(_delete_1(Item).where(Item.name == name))  # AF601

    def delete(self, session, name):
        self._delete(session, name)

    def count(self, session, name):
        return session.query(Item).count()  # ok: one caller passes something that is not a session


@with_session
def count_items(session):
    return session.scalar(
        select(func.count()).select_from(Item)
    )  # AF601: called from nowhere, the decorator still passes a session
