from typing import List

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import schemas, services
from ..crud import users as user_crud
from ..database import get_db

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=schemas.UserOut, status_code=201)
def create_user(data: schemas.UserCreate, db: Session = Depends(get_db)):
    if user_crud.get_user_by_email(db, data.email):
        raise HTTPException(status_code=409, detail="email already registered")
    return user_crud.create_user(db, data)


@router.get("", response_model=List[schemas.UserOut])
async def list_users(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    return user_crud.list_users(db, skip=skip, limit=limit)


@router.get("/{user_id}", response_model=schemas.UserWithPosts)
async def read_user(user_id: int, db: Session = Depends(get_db)):
    return services.require_user(db, user_id)
