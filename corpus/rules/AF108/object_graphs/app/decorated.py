from functools import wraps

from sqlalchemy.orm import Session


def with_session(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        session = Session()
        try:
            result = f(session, *args, **kwargs)
            session.commit()
            return result
        finally:
            session.close()

    return wrapper


def logged(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        print("calling", f.__name__)
        return f(*args, **kwargs)

    return wrapper


@with_session
def add_message(session, text):
    session.add(text)


@logged
def pure(x):
    return x + 1
