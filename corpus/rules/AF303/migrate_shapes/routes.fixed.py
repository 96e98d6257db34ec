from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from .database import get_db, get_transaction

router = APIRouter()


@router.get("/health")
async def health(db: AsyncSession = Depends(get_db)):
    return {"ok": db.is_active}


@router.post("/items")
async def create(db: AsyncSession = Depends(get_transaction)):
    db.add(object())
    return {}
