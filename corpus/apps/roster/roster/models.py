from typing import Optional

from sqlmodel import Field, SQLModel


class PlayerBase(SQLModel):
    name: str
    email: str = Field(index=True)


class Player(PlayerBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    active: bool = True


class PlayerCreate(PlayerBase):
    pass


class PlayerRead(PlayerBase):
    id: int
    active: bool


class PlayerUpdate(SQLModel):
    name: Optional[str] = None
    email: Optional[str] = None
    active: Optional[bool] = None
