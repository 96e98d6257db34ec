"""Checked, not migrated: the sync session factory of an app with async handlers is reported."""
from fastapi import Depends, FastAPI
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///./app.db")
SessionLocal = sessionmaker(bind=engine)  # AF602
AsyncLocal = sessionmaker(bind=engine, class_=AsyncSession)  # ok: async already
app = FastAPI()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.get("/users")
async def users(db: Session = Depends(get_db)):
    return []
