from typing import Any, Generic, Optional, TypeVar

from sqlmodel import Session, SQLModel, select

ModelType = TypeVar("ModelType", bound=SQLModel)


class CRUDBase(Generic[ModelType]):
    def __init__(self, model: type):
        self.model = model

    def get(self, db: Session, id: int) -> Optional[ModelType]:
        return db.get(self.model, id)

    def get_multi(self, db: Session, limit: int = 100) -> list:
        return db.exec(select(self.model).limit(limit)).all()

    def create(self, db: Session, obj_in: SQLModel) -> ModelType:
        obj = self.model.from_orm(obj_in)
        db.add(obj)
        db.commit()
        db.refresh(obj)
        return obj

    def update(self, db: Session, id: int, data: dict[str, Any]) -> Optional[ModelType]:
        obj = self.get(db, id)
        if obj is None:
            return None
        for key, value in data.items():
            setattr(obj, key, value)
        db.add(obj)
        db.commit()
        db.refresh(obj)
        return obj
