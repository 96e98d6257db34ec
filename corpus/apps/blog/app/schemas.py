from typing import List

from pydantic import BaseModel


class UserCreate(BaseModel):
    email: str
    name: str


class UserOut(BaseModel):
    id: int
    email: str
    name: str

    class Config:
        orm_mode = True


class CommentOut(BaseModel):
    id: int
    text: str

    class Config:
        orm_mode = True


class PostCreate(BaseModel):
    title: str
    body: str = ""


class PostOut(BaseModel):
    id: int
    title: str
    body: str
    published: bool
    author: UserOut
    comments: List[CommentOut] = []

    class Config:
        orm_mode = True


class UserWithPosts(UserOut):
    posts: List["PostSummary"] = []


class PostSummary(BaseModel):
    id: int
    title: str
    published: bool

    class Config:
        orm_mode = True


UserWithPosts.update_forward_refs()


class Stats(BaseModel):
    users: int
    posts: int
    published: int
