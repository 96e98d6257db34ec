# The session factory of db.py, used from a plain function.
from app.db import SessionLocal


def purge() -> None:
    session = SessionLocal()
    session.commit()  # AF201
