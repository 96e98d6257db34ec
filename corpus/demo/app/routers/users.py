from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import crud, schemas
from ..database import get_db
from ..services.notifications import audit, send_webhook
from ..services.weather import current_weather

router = APIRouter(prefix="/users")


@router.get("/{user_id}", response_model=schemas.UserOut)
async def read_user(user_id: int, db: Session = Depends(get_db)):
    user = crud.get_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="user not found")
    return user


@router.get("/", response_model=list[schemas.UserOut])
async def list_users(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    return crud.list_users(db, skip=skip, limit=limit)


@router.post("/", response_model=schemas.UserOut, status_code=201)
async def create_user(data: schemas.UserCreate, db: Session = Depends(get_db)):
    if crud.get_user_by_email(db, data.email):
        raise HTTPException(status_code=409, detail="email taken")
    user = crud.create_user(db, data)
    audit("user.created")
    await send_webhook("https://hooks.example.com/users", {"id": user.id})
    return user


@router.get("/{user_id}/dashboard")
async def dashboard(user_id: int, city: str, db: Session = Depends(get_db)):
    weather = await current_weather(city)
    orders = crud.count_orders(db, user_id)
    return {"weather": weather, "orders": orders}
