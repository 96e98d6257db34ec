# `query(...).statement` is the query's SELECT: the 2.0 form is the select() itself. A chain
# ending in `.statement` once crashed asyncfix (a null node's parent was read).
from sqlalchemy.orm import Session

from .models import User


def users_named(db: Session, name):
    return db.query(User).filter(User.name == name).statement  # AF601


def users_named_subquery(db: Session, name):
    return db.query(User).filter(User.name == name).statement.subquery()  # AF601


def compiled(db: Session):
    statement = db.query(User).order_by(User.id).statement  # AF601
    return str(statement)
