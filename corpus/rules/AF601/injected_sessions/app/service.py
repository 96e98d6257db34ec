from sqlalchemy.orm import Session

from .repository import ItemStore, list_items


def run(db: Session, other):
    store = ItemStore()
    store.delete(db, "a")
    store.count(db, "a")
    store.count(other, "b")
    return list_items("tools")


async def handler(db: Session):
    # The index follows the project from its async code: run and what it calls.
    return run(db, None)
