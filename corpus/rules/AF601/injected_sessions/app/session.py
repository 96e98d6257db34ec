# A session injected by a decorator (issue 16, idiom 4), as chatchat writes it.
from contextlib import contextmanager
from functools import wraps

from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker()


@contextmanager
def session_scope() -> Session:
    session = SessionLocal()
    try:
        yield session
        session.commit()
    finally:
        session.close()


def with_session(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        with session_scope() as session:
            return f(session, *args, **kwargs)

    return wrapper


def with_name(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f("name", *args, **kwargs)

    return wrapper
