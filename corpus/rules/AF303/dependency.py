"""Session dependencies, checked (not migrated): reported with what to run."""
from typing import Generator

from fastapi import Depends, FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///./app.db")
SessionLocal = sessionmaker(bind=engine)
app = FastAPI()


def get_db() -> Generator[Session, None, None]:  # AF303
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def get_session():  # AF303
    with SessionLocal() as session:
        yield session


def get_transaction():  # AF303
    db = SessionLocal()
    try:
        yield db
        db.commit()
    except Exception:
        db.rollback()
        raise
    finally:
        db.close()


def make_session() -> Session:  # ok: returns, does not yield: not a dependency generator
    return SessionLocal()


def numbers():  # ok: a generator, but of no session
    n = 0
    yield n


async def get_async_db():  # ok: async already
    async with SessionLocal() as db:
        yield db


def outer():
    def get_db_inner():  # AF303
        db = SessionLocal()
        try:
            yield db
        finally:
            db.close()
    return get_db_inner


DOC = """
def get_db():  # ok: a string
    db = SessionLocal()
    yield db
"""
# def get_db(): db = SessionLocal(); yield db   <- ok: a comment


@app.get("/items")
async def items(db: Session = Depends(get_db)):
    return []
