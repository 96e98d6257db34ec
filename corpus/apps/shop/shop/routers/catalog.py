from typing import List

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..database import get_session
from ..repositories import ProductRepository

router = APIRouter(prefix="/products", tags=["catalog"])


@router.get("", response_model=List[schemas.ProductOut])
async def list_products(session: Session = Depends(get_session)):
    return ProductRepository(session).all()
