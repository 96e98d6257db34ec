"""The session dependencies of an app being migrated to AsyncSession."""
from typing import Generator, Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///./app.db")
SessionLocal = sessionmaker(bind=engine, autocommit=False, autoflush=False)


def get_db() -> Generator[Session, None, None]:  # AF303
    """One session per request."""
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def get_session() -> Iterator[Session]:  # AF303
    with SessionLocal() as session:
        yield session


def get_plain():  # AF303
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def get_transaction() -> Generator[Session, None, None]:  # AF303: not the usual shape
    db = SessionLocal()
    try:
        yield db
        db.commit()
    except Exception:
        db.rollback()
        raise
    finally:
        db.close()
