from sqlalchemy.orm import Session

from . import models, schemas


def get_user(db: Session, user_id: int):
    return db.query(models.User).filter(models.User.id == user_id).first()


def get_user_by_email(db: Session, email: str):
    return db.query(models.User).filter_by(email=email).one_or_none()


def list_users(db: Session, skip: int = 0, limit: int = 100):
    return db.query(models.User).order_by(models.User.id).offset(skip).limit(limit).all()


def count_orders(db: Session, user_id: int) -> int:
    return db.query(models.Order).filter(models.Order.user_id == user_id).count()


def create_user(db: Session, data: schemas.UserCreate):
    user = models.User(email=data.email, name=data.name)
    db.add(user)
    db.commit()
    db.refresh(user)
    return user
