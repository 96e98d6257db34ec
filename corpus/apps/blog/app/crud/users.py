from typing import List, Optional

from sqlalchemy.orm import Session

from .. import models, schemas


def get_user(db: Session, user_id: int) -> Optional[models.User]:
    return db.query(models.User).get(user_id)


def get_user_by_email(db: Session, email: str) -> Optional[models.User]:
    return db.query(models.User).filter(models.User.email == email).first()


def list_users(db: Session, skip: int = 0, limit: int = 100) -> List[models.User]:
    return db.query(models.User).order_by(models.User.id).offset(skip).limit(limit).all()


def count_users(db: Session) -> int:
    return db.query(models.User).count()


def create_user(db: Session, data: schemas.UserCreate) -> models.User:
    user = models.User(email=data.email, name=data.name)
    db.add(user)
    db.commit()
    db.refresh(user)
    return user
