from contextlib import contextmanager

from sqlmodel import Session, SQLModel, create_engine

engine = create_engine("sqlite:///./roster.db", connect_args={"check_same_thread": False})


def create_db_and_tables():
    SQLModel.metadata.create_all(engine)


def get_session():
    with Session(engine) as session:
        yield session


# For code outside requests (jobs, scripts): the dependency as a context manager, and a
# transaction that commits on success.
session_context = contextmanager(get_session)


@contextmanager
def session_scope():
    session = Session(engine)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
