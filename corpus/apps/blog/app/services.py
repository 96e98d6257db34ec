from fastapi import HTTPException
from sqlalchemy.orm import Session

from .crud import posts as post_crud
from .crud import users as user_crud


def require_user(db: Session, user_id: int):
    user = user_crud.get_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="user not found")
    return user


def publish_new_post(db: Session, user_id: int, title: str, body: str):
    author = require_user(db, user_id)
    post = post_crud.create_post(db, author, title, body)
    return post_crud.set_published(db, post, True)


def blog_stats(db: Session) -> dict:
    return {
        "users": user_crud.count_users(db),
        "posts": post_crud.count_posts(db),
        "published": post_crud.count_posts(db, published=True),
    }
