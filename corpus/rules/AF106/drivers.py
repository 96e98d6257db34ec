import sqlite3

import psycopg2
import redis
from fastapi import Depends
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


async def sqlite_handler():
    conn = sqlite3.connect("app.db")  # AF106
    return conn


async def pg_handler(dsn: str):
    return psycopg2.connect(dsn)  # AF106


async def cache() -> redis.Redis:
    return redis.Redis(host="localhost")  # ok: the client connects when first used


async def cached(key: str):
    r = redis.Redis(host="localhost")
    return r.get(key)  # AF106


async def list_users(db: Session = Depends(get_db)):
    return db.query(User).all()  # AF106


async def with_factory():
    with SessionLocal() as session:
        session.commit()  # AF106


async def dependency_without_annotation(db=Depends(get_db)):
    db.execute("select 1")  # AF106


class Repo:
    def __init__(self, db: Session):
        self.db = db

    async def count(self) -> int:
        return self.db.query(User).count()  # AF106


def sync_handler(db: Session = Depends(get_db)):
    return db.query(User).all()  # ok: a plain def runs in FastAPI's thread pool


class User:
    pass
