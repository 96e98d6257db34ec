# A query built over several statements is one finding, at its first statement, with one fix
# for all of them; when one use cannot be converted, none is.
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import User
from .pagination import paginate


def counted(db: Session, name):
    q = select(User)  # AF601
    if name:
        q = q.where(User.name == name)  # part of the query above
    total = db.scalar(
        select(func.count()).select_from(q.subquery())
    )  # part of the query above
    return total, db.scalars(q.limit(10)).all()  # part of the query above


def paged(db: Session, name, page):
    query = db.query(User)  # AF601: passed on below, not converted
    query = query.filter(User.name == name)  # part of the query above
    query = query.order_by(User.id)  # part of the query above
    return paginate(query, page)


def returned(db: Session):
    q = db.query(User)  # AF601: returned as a Query, not converted
    q = q.filter(User.id > 1)  # part of the query above
    return q


def unsupported(db: Session):
    q = db.query(User)  # AF601: one step outside the table, none converted
    q = q.filter(User.id > 1)  # part of the query above
    return q.with_session(db).all()  # part of the query above


def tested(db: Session, slug):
    content = db.query(User).filter(User.name == slug)  # AF601: its truth is tested, not converted
    if not content:
        return None
    return content.first()  # part of the query above


def purge(db: Session, name):
    db.execute(
        delete(User)
        .where(User.name == name)
        .execution_options(synchronize_session=False)
    )  # AF601
    db.commit()


def counts(db: Session):
    # A name assigned twice from a terminal holds numbers, not a query: two findings.
    n = db.scalar(select(func.count()).select_from(User))  # AF601
    total = n
    n = db.scalar(
        select(func.count()).select_from(select(User).where(User.id > 1).subquery())
    )  # AF601
    return total + n
