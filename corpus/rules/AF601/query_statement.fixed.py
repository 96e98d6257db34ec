# `query(...).statement` is the query's SELECT: the 2.0 form is the select() itself. A chain
# ending in `.statement` once crashed asyncfix (a null node's parent was read).
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import User


def users_named(db: Session, name):
    return select(User).where(User.name == name)  # AF601


def users_named_subquery(db: Session, name):
    return select(User).where(User.name == name).subquery()  # AF601


def compiled(db: Session):
    statement = select(User).order_by(User.id)  # AF601
    return str(statement)
