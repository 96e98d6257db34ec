from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .database import get_db, get_transaction

router = APIRouter()


@router.get("/health")
async def health(db: Session = Depends(get_db)):
    return {"ok": db.is_active}


@router.post("/items")
async def create(db: Session = Depends(get_transaction)):
    db.add(object())
    return {}
