from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

from .config import DATABASE_URL

engine = create_engine(DATABASE_URL, pool_pre_ping=True)  # AF602
reporting = create_engine("postgresql+psycopg2://report@db/reports")  # AF602
legacy = create_engine("oracle://scott@db/orcl")  # AF602: a driver asyncfix does not map
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)  # AF602
Base = declarative_base()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
