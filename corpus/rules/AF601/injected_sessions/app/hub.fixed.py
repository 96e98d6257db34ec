# Methods reached only through calls that run them in a thread or after the response
# (issue 16, idiom 4): their session parameters get their types from those calls.
from sqlalchemy import delete, func, select

from .models import Item


class HubStore:
    def create_source(self, session, name):
        self._reorder(session, name)

    def _reorder(self, session, name):
        return session.scalars(select(Item).where(Item.name >= name)).all()  # AF601

    def count_sources(self, session):
        return session.scalar(select(func.count()).select_from(Item))  # AF601

    def label(self, session, name):
        return session.query(name)  # ok: the only call passes a str


def purge(session, kind):
    return session.execute(delete(Item).where(Item.kind == kind)).rowcount  # AF601


def archive(session, kind):
    return session.scalars(select(Item).where(Item.kind == kind)).all()  # AF601


def describe(session):
    return session.query(Item).first()  # ok: run once with a session, once with a str


store = HubStore()


def get_store() -> HubStore:
    return store
