import bcrypt
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .database import get_db
from .models import User

router = APIRouter(prefix="/auth")


def load_user(db, email):
    return await db.get(User, email)


@router.post("/login")
async def login(email: str, password: str, db: Session = Depends(get_db)):
    user = db.query(User).filter(User.email == email).first()
    if user is None or not bcrypt.checkpw(password.encode(), user.password_hash):
        return {"ok": False}
    return {"ok": True, "user": user.id}
